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


@pytest.fixture
def warning_boxes(monkeypatch) -> list[str]:
    """The texts of the QMessageBox.warning boxes shown, which then do not wait for a click."""
    from PySide6.QtWidgets import QMessageBox

    shown: list[str] = []
    monkeypatch.setattr(QMessageBox, "warning", lambda *args: shown.append(args[2]))
    return shown


@pytest.fixture
def answer_questions(monkeypatch):
    """answer_questions(button): every QMessageBox.question is answered with `button` (None: the
    test fails if one is asked). Returns the questions asked."""
    from PySide6.QtWidgets import QMessageBox

    asked: list[str] = []

    def set_answer(button):
        def question(*args):
            asked.append(args[2])
            if button is None:
                raise AssertionError(f"nobody should be asked: {args[2]}")
            return button

        monkeypatch.setattr(QMessageBox, "question", question)
        return asked

    return set_answer
