"""From a canvas image to the 28x28 input of the network, the way MNIST was made.

LeCun et al. normalised each NIST digit to fit a 20x20 box keeping its aspect
ratio (anti-aliased, hence the gray levels), then centred it in a 28x28 field
by its centre of mass. This module does the same to any grayscale image with
bright ink on black. Pure Pillow and NumPy; no Qt, no TensorFlow.
"""

from __future__ import annotations

import numpy as np
from PIL import Image

SIZE = 28
BOX = 20
#: Pixel coordinate of the field's centre (pixel centres are 0..27).
CENTRE = (SIZE - 1) / 2
#: Ink whose bounding box is smaller than this fraction of the canvas's height
#: is a speck or a dot, not a digit: scaled up to 20 px it would be a blob.
MIN_INK_EXTENT = 0.13
#: Area filter: each output pixel averages the input pixels it covers,
#: the anti-aliasing of a real reduction (Lanczos would add ringing halos).
RESAMPLE = Image.Resampling.BOX


def _as_image(image: Image.Image | np.ndarray) -> Image.Image:
    if isinstance(image, Image.Image):
        return image if image.mode == "L" else image.convert("L")
    array = np.asarray(image)
    if array.dtype != np.uint8:
        array = (np.clip(array, 0.0, 1.0) * 255).round().astype(np.uint8)
    return Image.fromarray(array, mode="L")


def ink_box(image: Image.Image, canvas_height: int | None = None) -> tuple[int, int, int, int] | None:
    """Bounding box of the ink, or None for an empty canvas or a speck."""
    box = image.getbbox()
    if box is None:
        return None
    extent = max(box[2] - box[0], box[3] - box[1])
    return None if extent < MIN_INK_EXTENT * (canvas_height or image.height) else box


def to_mnist(image: Image.Image | np.ndarray, canvas_height: int | None = None) -> np.ndarray | None:
    """28x28 float32 in [0, 1], or None when there is nothing to classify.

    `image` is grayscale, any size, ink bright on a black background (uint8
    0-255 or float 0-1). `canvas_height` is the height of the canvas it was
    cut from, when it is a piece of one (a speck is small against the canvas).
    """
    image = _as_image(image)
    box = ink_box(image, canvas_height)
    if box is None:
        return None
    width, height = box[2] - box[0], box[3] - box[1]
    scale = BOX / max(width, height)
    size = (max(1, round(width * scale)), max(1, round(height * scale)))
    reduced = image.resize(size, RESAMPLE, box=box)
    digit = np.frombuffer(reduced.tobytes(), np.uint8).reshape(size[1], size[0]) * np.float32(1 / 255)
    centre = centre_of_mass(digit)
    if centre is None:
        return None
    return _paste(digit, round(CENTRE - centre[0]), round(CENTRE - centre[1]))


def _paste(digit: np.ndarray, top: int, left: int) -> np.ndarray:
    """Place `digit` at (top, left) in an empty field, clipping what falls outside."""
    field = np.zeros((SIZE, SIZE), dtype=np.float32)
    rows, cols = digit.shape
    y0, x0 = max(top, 0), max(left, 0)
    y1, x1 = min(top + rows, SIZE), min(left + cols, SIZE)
    if y1 > y0 and x1 > x0:
        field[y0:y1, x0:x1] = digit[y0 - top : y1 - top, x0 - left : x1 - left]
    return field


def centre_of_mass(image: np.ndarray) -> tuple[float, float] | None:
    """(row, column) of the intensity-weighted centre of an image, None when it has no ink."""
    mass = image.sum()
    if mass <= 0:
        return None
    rows, cols = image.shape
    return (
        float(image.sum(axis=1) @ np.arange(rows, dtype=np.float32) / mass),
        float(image.sum(axis=0) @ np.arange(cols, dtype=np.float32) / mass),
    )
