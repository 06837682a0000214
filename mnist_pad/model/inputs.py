"""What a Keras model is given: the picture alone, or the picture and the pen's path.

A model saved before the path reader (and the `seed` preset) has one input;
the bundled model has two, the image and the path (ink/path.py). Code that
feeds a model goes through `model_inputs`, so it works with either.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from mnist_pad.datasets.mnist import to_model_input
from mnist_pad.ink.path import PATH_SHAPE, no_paths
from mnist_pad.model.presets import INPUT_SHAPE

if TYPE_CHECKING:
    import keras


def reads_path(model: keras.Model) -> bool:
    return len(model.inputs) == 2


def image_batch(images: np.ndarray) -> np.ndarray:
    """(n, 28, 28, 1) float32 in [0, 1] from uint8 (n, 28, 28) or float images of any of those shapes."""
    return (
        to_model_input(images) if images.dtype == np.uint8 else np.asarray(images, np.float32).reshape(-1, *INPUT_SHAPE)
    )


def model_inputs(model: keras.Model, images: np.ndarray, paths: np.ndarray | None = None):
    """The batch `model` takes: the images, with their paths (none: all zeros) if it reads paths."""
    batch = image_batch(images)
    if not reads_path(model):
        return batch
    paths = no_paths(len(batch)) if paths is None else np.asarray(paths, np.float32).reshape(-1, *PATH_SHAPE)
    return batch, paths
