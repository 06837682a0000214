"""A sample's 28x28 image: stored with it (1,568 hex digits), or rendered from its strokes
as the canvas would; and a set of samples as training arrays."""

from __future__ import annotations

import numpy as np

from mnist_pad.ink.drawing import Drawing
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


def training_arrays(samples: list[StrokeSample]) -> tuple[np.ndarray, np.ndarray]:
    """(n, 28, 28) float32 images and (n,) labels of the samples that have ink."""
    pairs = [(sample_image(s), s.label) for s in samples]
    pairs = [(image, label) for image, label in pairs if image is not None]
    images = np.array([image for image, _ in pairs], dtype=np.float32).reshape(-1, 28, 28)
    return images, np.array([label for _, label in pairs], dtype=np.int64)
