"""Fixtures shared by the tests; the helpers they use live in helpers.py."""

from __future__ import annotations

import os
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")

import pytest
from helpers import make_window, write_mnist_folder

from mnist_pad.model.extras import has_tensorflow


def pytest_collection_modifyitems(config, items) -> None:
    """In the light install (no TensorFlow) the tests marked `tensorflow` are skipped, and say why."""
    if has_tensorflow():
        return
    skip = pytest.mark.skip(reason="needs TensorFlow: the light install leaves it out (pip install '.[train]')")
    for item in items:
        if "tensorflow" in item.keywords:
            item.add_marker(skip)


@pytest.fixture
def tiny_mnist(tmp_path: Path) -> Path:
    return write_mnist_folder(tmp_path / "mnist")


@pytest.fixture
def window_factory(qtbot, tmp_path):
    """make_window(...) bound to this test's qtbot and folder."""
    return lambda **kwargs: make_window(qtbot, tmp_path, **kwargs)


@pytest.fixture
def warning_boxes(monkeypatch) -> list[str]:
    """The texts of the warnings shown (gui/notices.warn), which then are not shown at all."""
    from mnist_pad.gui import notices

    shown: list[str] = []
    monkeypatch.setattr(notices, "warn", lambda parent, title, message: shown.append(message))
    return shown


@pytest.fixture
def answer_questions(monkeypatch):
    """answer_questions(button): every question (gui/notices.ask) is answered with `button` at once
    (None: the test fails if one is asked). Returns the questions asked."""
    from PySide6.QtWidgets import QMessageBox

    from mnist_pad.gui import notices

    asked: list[str] = []

    def set_answer(button):
        def ask(parent, title, question, on_yes, on_no=None, default=None):
            asked.append(question)
            if button is None:
                raise AssertionError(f"nobody should be asked: {question}")
            if button == QMessageBox.StandardButton.Yes:
                on_yes()
            elif on_no is not None:
                on_no()

        monkeypatch.setattr(notices, "ask", ask)
        return asked

    return set_answer


#: The calls that run a nested event loop: none may happen in a test (gui/notices.py says why).
_BLOCKING = {
    "QMessageBox": ("warning", "question", "information", "critical", "about", "exec"),
    "QInputDialog": ("getText", "getInt", "getDouble", "getItem", "exec"),
    "QDialog": ("exec",),
}


@pytest.fixture(autouse=True)
def no_nested_event_loops(monkeypatch):
    """Fail a test that opens a blocking dialog (answered No/Cancel at once, so it never hangs) or
    that leaves a QThread running when it ends."""
    from PySide6 import QtCore, QtWidgets

    opened: list[str] = []
    for class_name, methods in _BLOCKING.items():
        cls = getattr(QtWidgets, class_name)
        for method in methods:

            def refuse(*args, _name=f"{class_name}.{method}", **kwargs):
                opened.append(_name)
                return 0 if _name.endswith("exec") else QtWidgets.QMessageBox.StandardButton.No

            monkeypatch.setattr(cls, method, refuse)
    started: list = []
    original_start = QtCore.QThread.start

    def start(thread, *args, **kwargs):
        started.append(thread)
        return original_start(thread, *args, **kwargs)

    monkeypatch.setattr(QtCore.QThread, "start", start)
    yield
    running = []
    for thread in started:
        try:
            if thread.isRunning() and not thread.wait(5000):
                running.append(type(thread).__name__)
        except RuntimeError:  # deleted already: not running
            pass
    assert not opened, f"a blocking dialog (a nested event loop) was opened: {opened}"
    assert not running, f"a QThread was left running at the end of the test: {running}"
