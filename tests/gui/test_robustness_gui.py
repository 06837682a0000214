"""Careless input to the window: editing mid-stroke, bad settings, wrong files, a second dialog."""

import pytest
from helpers import (
    LEFT,
    NO_MOD,
    draw_with_mouse,
    make_window,
    open_dialog,
    open_long_training,
    start,
    write_mnist_folder,
)
from PySide6.QtCore import QPoint, Qt
from PySide6.QtTest import QTest

from mnist_pad.ink.drawing import DEFAULT_PEN_WIDTH
from mnist_pad.ink.strokes import replay
from mnist_pad.person.preferences import Preferences

SEVEN = [[(0.0, 0.0), (0.5, 0.02), (1.0, 0.0), (0.7, 0.5), (0.45, 1.0)]]


@pytest.mark.parametrize(
    ("key", "modifier"),
    [
        (Qt.Key.Key_Escape, NO_MOD),
        (Qt.Key.Key_Backspace, NO_MOD),
        (Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier),
        (Qt.Key.Key_7, Qt.KeyboardModifier.AltModifier),
    ],
)
def test_editing_while_the_pen_is_down_ends_the_stroke_cleanly(qtbot, window_factory, key, modifier):
    window = window_factory()
    draw_with_mouse(window.canvas, replay(SEVEN))
    canvas = window.canvas
    start = canvas.rect().center()
    QTest.mousePress(canvas, LEFT, NO_MOD, start)
    QTest.mouseMove(canvas, start + QPoint(20, 30))
    QTest.keyClick(window, key, modifier)
    strokes_after_edit = [list(s) for s in canvas.drawing.strokes]
    for step in range(1, 6):  # the hand keeps moving, then lifts
        QTest.mouseMove(canvas, start + QPoint(20 + 5 * step, 30 + 5 * step))
    QTest.mouseRelease(canvas, LEFT, NO_MOD, start + QPoint(50, 60))
    assert canvas.drawing.strokes == strokes_after_edit  # nothing glued onto any stroke
    QTest.mouseClick(canvas, LEFT, NO_MOD, start)  # and the next stroke starts normally
    assert len(canvas.drawing.strokes) == len(strokes_after_edit) + 1


@pytest.mark.parametrize("value", ["nan", "inf", "-1", "1e308", "seven", ""])
def test_a_bad_pen_width_in_the_settings_falls_back_to_the_default(qtbot, tmp_path, value):
    settings = Preferences(tmp_path / "settings.json")
    settings.set("canvas/pen_width", value)
    settings.set("window/geometry", "not a geometry")
    window = make_window(qtbot, tmp_path, load=False, fixed_canvas=False)
    width = window.canvas.drawing.pen_width
    assert width == DEFAULT_PEN_WIDTH


def test_opening_a_tflite_file_is_refused_with_a_clear_message(qtbot, window_factory, monkeypatch):
    from PySide6.QtWidgets import QFileDialog

    from mnist_pad.resources import assets_dir

    window = window_factory()
    before = window.model_path
    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *a, **k: (str(assets_dir() / "model.tflite"), ""))
    with qtbot.waitSignal(window.errorReported, timeout=10_000) as error:
        window.open_model()
    assert ".keras" in error.args[1]
    assert window.model_path == before and window.store.user_model is None
    assert "Loading" not in window.model_label.text()


@pytest.mark.tensorflow
def test_a_failed_open_does_not_leave_loading_in_the_status_bar(qtbot, window_factory, tmp_path, monkeypatch):
    from PySide6.QtWidgets import QFileDialog

    window = window_factory()
    bad = tmp_path / "bad.keras"
    bad.write_bytes(b"junk")
    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *a, **k: (str(bad), ""))
    with qtbot.waitSignal(window.errorReported, timeout=60_000):
        window.open_model()
    assert "Loading" not in window.model_label.text() and "bundled" in window.model_label.text()


@pytest.mark.tensorflow
def test_ctrl_r_twice_opens_one_dialog(qtbot, window_factory):
    window = window_factory()
    QTest.keyClick(window, Qt.Key.Key_R, Qt.KeyboardModifier.ControlModifier)
    first = window.retrain_dialog
    QTest.keyClick(window, Qt.Key.Key_R, Qt.KeyboardModifier.ControlModifier)
    assert window.retrain_dialog is first and first.isVisible()
    first.close()


@pytest.mark.tensorflow
def test_retrain_and_learn_before_the_model_has_loaded_say_so(qtbot, window_factory):
    import numpy as np

    window = window_factory(load=False)
    window.retrain()
    assert window.retrain_dialog is None and "loading" in window.statusBar().currentMessage().lower()
    window.statusBar().clearMessage()
    window.samples.add(replay(SEVEN), 7, np.zeros((28, 28), np.float32))  # there is something to learn
    window.learn()
    assert window.retrain_dialog is None and "loading" in window.statusBar().currentMessage().lower()


@pytest.mark.tensorflow
def test_a_signal_during_training_quits_without_asking(qtbot, window_factory, tmp_path, answer_questions):
    asked = answer_questions(None)  # a signal means quit: nobody is asked
    window = window_factory()
    dialog, _ = open_long_training(qtbot, window, tmp_path / "mnist")
    work_dir = dialog.work_dir
    window.quit_without_asking()  # what the SIGTERM handler calls
    assert not window.isVisible() and not dialog.running and asked == []
    assert not work_dir.exists()


@pytest.mark.tensorflow
def test_no_candidate_files_are_left_after_quitting_with_results_open(qtbot, window_factory, tmp_path):

    window = window_factory()
    dialog = open_dialog(window, write_mnist_folder(tmp_path / "mnist"), preset="seed")
    with qtbot.waitSignal(dialog.trainingSucceeded, timeout=120_000):
        start(qtbot, dialog)
    work_dir = dialog.work_dir
    assert (work_dir / "candidate.keras").is_file()
    window.close()
    assert not work_dir.exists()


@pytest.mark.tensorflow
def test_closing_the_dialog_mid_training_leaves_no_files(qtbot, window_factory, tmp_path):

    window = window_factory()
    dialog, _ = open_long_training(qtbot, window, tmp_path / "mnist", started=1)
    work_dir = dialog.work_dir
    dialog.close()
    assert not work_dir.exists() and not dialog.running


@pytest.mark.tensorflow
def test_the_window_disappears_before_waiting_for_training_to_stop(qtbot, window_factory, tmp_path):

    window = window_factory()
    # TensorFlow may still be importing on the worker: stopping can take seconds.
    dialog, _ = open_long_training(qtbot, window, tmp_path / "mnist")
    visible_while_stopping = []
    real_stop = dialog.stop
    dialog.stop = lambda: (visible_while_stopping.append(window.isVisible()), real_stop())
    window.quit_without_asking()
    assert visible_while_stopping == [False]


@pytest.mark.tensorflow
def test_a_truncated_keras_with_a_newer_tflite_is_not_adopted(qtbot, window_factory, tmp_path, monkeypatch):
    import shutil

    from PySide6.QtWidgets import QFileDialog

    from mnist_pad.resources import assets_dir

    window = window_factory()
    before = window.model_path
    cut = tmp_path / "cut.keras"
    cut.write_bytes((assets_dir() / "model.keras").read_bytes()[:-4000])
    shutil.copy(assets_dir() / "model.tflite", tmp_path / "cut.tflite")  # valid, and newer
    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *a, **k: (str(cut), ""))
    with qtbot.waitSignal(window.errorReported, timeout=10_000) as error:
        window.open_model()
    assert "damaged" in error.args[1]
    assert window.model_path == before and window.store.user_model is None


def test_a_home_it_cannot_write_to_is_named_once_and_drawing_still_reads(qtbot, tmp_path):
    from mnist_pad.gui.main_window import MainWindow
    from mnist_pad.person.store import ModelStore

    blocker = tmp_path / "a-file"  # nothing can be created beneath a file, not even by root
    blocker.write_text("")
    window = MainWindow(ModelStore(blocker / "data"), Preferences(blocker / "config" / "settings.json"))
    qtbot.addWidget(window)
    window.show()
    window.load_model(window.store.active())
    qtbot.waitUntil(lambda: window.classifier is not None, timeout=10_000)

    notice = window.check_places()
    assert f"settings in {blocker / 'config' / 'settings.json'}" in notice
    assert f"samples and retrained models in {blocker / 'data'}" in notice
    assert window.unsaved_label.isVisible() and window.unsaved_label.toolTip() == notice
    draw_with_mouse(window.canvas, replay(SEVEN))
    assert window.panel.prediction == 7


def test_save_as_names_the_missing_model_not_the_chosen_target(qtbot, window_factory, tmp_path, monkeypatch):
    import shutil

    from PySide6.QtWidgets import QFileDialog

    window = window_factory()
    mine = window.store.accept(window.store.bundled, window.classifier.litert_model)
    window.use_classifier(window.classifier, mine)
    shutil.rmtree(mine.parent)  # another window accepted a model and tidied this one away
    target = tmp_path / "chosen.keras"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(target), ""))
    with qtbot.waitSignal(window.errorReported) as reported:
        window.save_model_as()
    _, message = reported.args
    assert str(mine) in message and str(target) not in message and "No such file" in message
    assert not target.exists()
