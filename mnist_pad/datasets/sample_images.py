"""A sample's 28x28 image: stored with it (1,568 hex digits), or rendered from its strokes
as the canvas would; and a set of samples as training arrays."""

from __future__ import annotations

from typing import NamedTuple

import numpy as np

from mnist_pad.ink.drawing import Drawing, Stroke
from mnist_pad.ink.path import PATH_SHAPE, path_features
from mnist_pad.ink.render import network_input
from mnist_pad.ink.strokes import StrokeSample


def encode_image(image: np.ndarray) -> str:
    return (np.clip(image, 0, 1) * 255).round().astype(np.uint8).tobytes().hex()


def decode_image(text: str) -> np.ndarray:
    raw = bytes.fromhex(text)
    if len(raw) != 28 * 28:
        raise ValueError("image must be 784 bytes")
    return np.frombuffer(raw, np.uint8).reshape(28, 28).astype(np.float32) / 255


def sample_image(sample: StrokeSample) -> np.ndarray | None:
    """The stored 28x28 image, or one rendered from the strokes (imported files)."""
    try:
        return decode_image(sample.extra["image"])
    except (KeyError, TypeError, ValueError):
        return network_input(Drawing.of(sample.strokes))


class SampleArrays(NamedTuple):
    """Samples as a model trains on them."""

    images: np.ndarray  # (n, 28, 28) float32
    labels: np.ndarray  # (n,) int64
    paths: np.ndarray  # (n, *PATH_SHAPE) float32, the pen's path of each (ink/path.py)
    strokes: tuple[list[Stroke], ...] = ()  # the strokes of each: what Learn varies, picture and path alike


def training_arrays(samples: list[StrokeSample]) -> SampleArrays:
    """Images, labels and paths of the samples that have ink."""
    kept = [(image, s) for s in samples if (image := sample_image(s)) is not None]
    images = np.array([image for image, _ in kept], dtype=np.float32).reshape(-1, 28, 28)
    labels = np.array([s.label for _, s in kept], dtype=np.int64)
    paths = np.array([path_features(s.strokes) for _, s in kept], dtype=np.float32).reshape(-1, *PATH_SHAPE)
    return SampleArrays(images, labels, paths, tuple(s.strokes for _, s in kept))
