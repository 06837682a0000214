from __future__ import annotations

import gzip
import os
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")

import pytest

from mnist_pad.data import FILE_NAMES, encode_idx
from mnist_pad.selftest import synthetic_digits

REPO = Path(__file__).resolve().parent.parent
PEN_DIGITS = REPO.parent / "shared" / "data" / "pen_digits" / "dev.jsonl.gz"


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


@pytest.fixture
def window_factory(qtbot, tmp_path):
    """make_window(...) bound to this test's qtbot and folder."""
    from gui_helpers import make_window

    return lambda **kwargs: make_window(qtbot, tmp_path, **kwargs)
