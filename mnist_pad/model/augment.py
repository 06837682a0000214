"""Random variation of MNIST digits, as TensorFlow ops on whole batches.

People draw digits slanted, squashed, shifted and with pens of all widths;
MNIST's scans have less of each. Each image gets a random affine transform
(rotation, shear, anisotropic scale, shift) and a random stroke-width change.
Imported only by training code (it imports TensorFlow).
"""

from __future__ import annotations

import math

import tensorflow as tf

MAX_ROTATION = math.radians(15)
MAX_SHEAR = 0.3
SCALE_RANGE = (0.85, 1.15)
ASPECT_RANGE = (0.8, 1.25)
MAX_SHIFT = 2.0
THICKNESS_RANGE = (-0.6, 0.8)  # <0 erodes, >0 dilates, as a fraction of a 3x3 step


def _random_affine(batch: tf.Tensor, size: int) -> tf.Tensor:
    """(batch, 8) projective parameters mapping output pixels to input pixels."""
    uniform = lambda lo, hi: tf.random.uniform((batch,), lo, hi)  # noqa: E731
    angle = uniform(-MAX_ROTATION, MAX_ROTATION)
    shear = uniform(-MAX_SHEAR, MAX_SHEAR)
    scale = uniform(*SCALE_RANGE)
    aspect = tf.sqrt(uniform(*ASPECT_RANGE))
    sx, sy = 1.0 / (scale * aspect), aspect / scale  # output->input, so inverse scale
    cos, sin = tf.cos(angle), tf.sin(angle)
    # M = rotation @ shear @ diag(sx, sy)
    a = cos * sx
    b = (cos * shear - sin) * sy
    c = sin * sx
    d = (sin * shear + cos) * sy
    centre = (size - 1) / 2.0
    tx = centre - a * centre - b * centre + uniform(-MAX_SHIFT, MAX_SHIFT)
    ty = centre - c * centre - d * centre + uniform(-MAX_SHIFT, MAX_SHIFT)
    zeros = tf.zeros_like(a)
    return tf.stack([a, b, tx, c, d, ty, zeros, zeros], axis=1)


def _change_thickness(images: tf.Tensor) -> tf.Tensor:
    batch = tf.shape(images)[0]
    amount = tf.random.uniform((batch, 1, 1, 1), *THICKNESS_RANGE)
    dilated = tf.nn.max_pool2d(images, 3, 1, "SAME")
    eroded = -tf.nn.max_pool2d(-images, 3, 1, "SAME")
    thicker = images + amount * (dilated - images)
    thinner = images + amount * (images - eroded)
    return tf.where(amount > 0, thicker, thinner)


def augment_batch(images: tf.Tensor) -> tf.Tensor:
    """Augment a float32 batch (n, 28, 28, 1) in [0, 1]."""
    size = images.shape[1] or 28
    transforms = _random_affine(tf.shape(images)[0], size)
    warped = tf.raw_ops.ImageProjectiveTransformV3(
        images=images,
        transforms=transforms,
        output_shape=tf.shape(images)[1:3],
        fill_value=0.0,
        interpolation="BILINEAR",
        fill_mode="CONSTANT",
    )
    return tf.clip_by_value(_change_thickness(warped), 0.0, 1.0)


PATH_ROTATION = math.radians(10)
PATH_SHEAR = 0.2


def augment_paths(paths: tf.Tensor) -> tf.Tensor:
    """A random slant, rotation and proportion for each path (n, points, 5) of ink/path.py: positions
    and directions move together, directions stay unit vectors, a blank path stays blank."""
    batch = tf.shape(paths)[0]
    uniform = lambda lo, hi: tf.random.uniform((batch,), lo, hi)  # noqa: E731
    angle, shear, aspect = uniform(-PATH_ROTATION, PATH_ROTATION), uniform(-PATH_SHEAR, PATH_SHEAR), uniform(0.8, 1.25)
    cos, sin = tf.cos(angle), tf.sin(angle)
    sx, sy = tf.sqrt(aspect), 1.0 / tf.sqrt(aspect)
    # rotation @ shear @ diag(sx, sy), as (n, 2, 2) acting on row vectors from the right
    matrix = tf.stack(
        [
            tf.stack([cos * sx, sin * sx], axis=1),
            tf.stack([(cos * shear - sin) * sy, (sin * shear + cos) * sy], axis=1),
        ],
        axis=1,
    )
    xy = tf.matmul(paths[..., 0:2], matrix)
    direction = tf.matmul(paths[..., 2:4], matrix)
    norm = tf.norm(direction, axis=-1, keepdims=True)
    direction = tf.math.divide_no_nan(direction, norm)
    return tf.concat([xy, direction, paths[..., 4:]], axis=-1)
