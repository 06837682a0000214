from __future__ import annotations

import gzip
import os
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")

import numpy as np
import pytest

from mnist_pad.data import FILE_NAMES, encode_idx

REPO = Path(__file__).resolve().parent.parent
PEN_DIGITS = REPO.parent / "shared" / "data" / "pen_digits" / "dev.jsonl.gz"


def synthetic_digits(n: int, seed: int = 0) -> tuple[np.ndarray, np.ndarray]:
    """Easy images a network learns in one epoch: digit d is a bright bar in row band d."""
    rng = np.random.default_rng(seed)
    labels = rng.integers(0, 10, n).astype(np.uint8)
    images = (rng.random((n, 28, 28)) * 40).astype(np.uint8)
    for image, label in zip(images, labels, strict=False):
        top = 2 + 2 * int(label)
        image[top : top + 3, 4:24] = 255
    return images, labels


def write_mnist_folder(folder: Path, n_train: int = 300, n_test: int = 100, gz: bool = True) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    x_train, y_train = synthetic_digits(n_train, 1)
    x_test, y_test = synthetic_digits(n_test, 2)
    arrays = {
        "train_images": x_train,
        "train_labels": y_train,
        "test_images": x_test,
        "test_labels": y_test,
    }
    for key, name in FILE_NAMES.items():
        raw = encode_idx(arrays[key])
        if gz:
            (folder / f"{name}.gz").write_bytes(gzip.compress(raw))
        else:
            (folder / name).write_bytes(raw)
    return folder


@pytest.fixture
def tiny_mnist(tmp_path: Path) -> Path:
    return write_mnist_folder(tmp_path / "mnist")
