"""The light install (no TensorFlow): drawing and reading work, Look inside shows its maps through LiteRT;
Retrain, Learn, the saliency map and opening a .keras file each say in one line what to install."""

from __future__ import annotations

import sys

import pytest
from helpers import draw_with_mouse, make_window
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest

from mnist_pad.ink.strokes import replay
from mnist_pad.model import extras

SEVEN = [[(0.0, 0.0), (1.0, 0.0), (0.4, 1.0)]]


@pytest.fixture
def light(monkeypatch):
    from mnist_pad.gui import inside_worker

    monkeypatch.setattr(extras, "has_tensorflow", lambda: False)
    monkeypatch.setattr(inside_worker, "has_tensorflow", lambda: False)


def test_the_install_command_names_this_python_and_the_train_extra(light):
    said = extras.tensorflow_missing("Retrain")
    assert said is not None and said.startswith("Retrain needs TensorFlow")
    assert f'"{sys.executable}" -m pip install' in said and "[train]'" in said
    assert extras.install_command() in said


@pytest.mark.parametrize(
    ("key", "modifiers", "what"),
    [
        (Qt.Key.Key_R, Qt.KeyboardModifier.ControlModifier, "Retrain"),
        (Qt.Key.Key_L, Qt.KeyboardModifier.ControlModifier, "Learn from my samples"),
    ],
)
def test_what_needs_tensorflow_says_what_to_install(qtbot, tmp_path, light, warning_boxes, key, modifiers, what):
    window = make_window(qtbot, tmp_path)
    draw_with_mouse(window.canvas, replay(SEVEN))
    window.save_sample(7)
    QTest.keyClick(window, key, modifiers)
    qtbot.waitUntil(lambda: len(warning_boxes) == 1, timeout=5_000)
    assert warning_boxes[0].startswith(f"{what} needs TensorFlow") and "pip install" in warning_boxes[0]
    assert window.retrain_dialog is None
    draw_with_mouse(window.canvas, replay(SEVEN))
    assert window.panel.prediction == 7  # the pad itself reads on


def test_opening_a_keras_file_says_what_to_install(qtbot, tmp_path, light, warning_boxes, monkeypatch):
    from PySide6.QtWidgets import QFileDialog

    window = make_window(qtbot, tmp_path)
    model = tmp_path / "mine.keras"
    model.write_bytes(b"PK")
    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *a, **k: (str(model), ""))
    window.open_model()
    assert len(warning_boxes) == 1 and warning_boxes[0].startswith("Opening a .keras model needs TensorFlow")
    assert window.store.is_bundled(window.model_path)  # the model in use is unchanged


def test_look_inside_shows_the_maps_through_litert_and_says_what_the_saliency_needs(qtbot, tmp_path, light):
    window = make_window(qtbot, tmp_path)
    QTest.keyClick(window, Qt.Key.Key_I, Qt.KeyboardModifier.ControlModifier)
    assert window.look_inside is not None and window.look_inside.is_open
    draw_with_mouse(window.canvas, replay(SEVEN))
    view = window.look_inside.view
    qtbot.waitUntil(lambda: view.inside is not None, timeout=30_000)
    assert len(view.inside.stages) > 2 and view.inside.saliency is None
    path_caption, said = view.picture_caption.text().split("\n\n")
    assert path_caption.startswith("The path:") and said.startswith("The map of where the answer comes from needs")
    assert view.saliency_picture.isHidden() and view.picture_titles[view.saliency_picture].isHidden()
    assert not view.overlay.isEnabled()
    window.look_inside.dock.close()
