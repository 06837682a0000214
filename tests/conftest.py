"""Fixtures shared by the tests; the helpers they use live in helpers.py."""

from __future__ import annotations

import os
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")

import pytest
from helpers import make_window, write_mnist_folder


@pytest.fixture
def tiny_mnist(tmp_path: Path) -> Path:
    return write_mnist_folder(tmp_path / "mnist")


@pytest.fixture
def window_factory(qtbot, tmp_path):
    """make_window(...) bound to this test's qtbot and folder."""
    return lambda **kwargs: make_window(qtbot, tmp_path, **kwargs)
