"""Model > Retrain…: training in the background while the window keeps working."""

import time

import pytest
from helpers import LEFT, draw_with_mouse, make_window, open_dialog, open_long_training, start, write_mnist_folder
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QMessageBox

from mnist_pad.ink.strokes import replay

pytestmark = pytest.mark.tensorflow  # trains, converts or loads Keras models

SEVEN = [[(0.0, 0.0), (0.5, 0.02), (1.0, 0.0), (0.7, 0.5), (0.45, 1.0)]]


def test_training_reports_progress_and_keeps_the_window_responsive(qtbot, tmp_path):
    window = make_window(qtbot, tmp_path)
    dialog = open_dialog(window, write_mnist_folder(tmp_path / "mnist", n_train=600), epochs=2, batch=16)
    ticks = []
    timer = QTimer(interval=20)
    timer.timeout.connect(lambda: ticks.append(time.perf_counter()))
    timer.start()
    progress = []
    dialog.progressed.connect(progress.append)
    with qtbot.waitSignal(dialog.trainingSucceeded, timeout=120_000):
        start(qtbot, dialog)
        assert not window.retrain_action.isEnabled()  # one training at a time
        qtbot.waitUntil(lambda: len(progress) >= 2, timeout=60_000)
        # Mid-training: draw, and the panel still predicts with the model in use.
        draw_with_mouse(window.canvas, replay(SEVEN))
        assert window.panel.prediction == 7
    assert dialog.current_page() is dialog.results_page
    assert len(ticks) > 10  # the event loop kept turning while TensorFlow trained
    assert progress[-1].epoch == 2 and progress[-1].fraction == pytest.approx(1.0)
    assert dialog.outcome.metrics["epochs"] == 2
    assert window.retrain_action.isEnabled()


def test_cancel_mid_epoch_returns_fast_and_keeps_the_model(qtbot, tmp_path):
    window = make_window(qtbot, tmp_path)
    before = window.classifier
    dialog, progress = open_long_training(qtbot, window, tmp_path / "mnist", started=2)
    assert progress[-1].epoch == 1 and not progress[-1].epoch_done  # mid-epoch
    work_dir = dialog.work_dir
    with qtbot.waitSignal(dialog.trainingCancelled, timeout=5_000):  # a hang guard, not a speed test
        qtbot.mouseClick(dialog.progress_page.cancel_button, LEFT)
    assert not dialog.running and dialog.current_page() is dialog.settings_page
    # Stopped at the next batch, mid-epoch: the first of 50 epochs never finished.
    # (How fast that is: bench/retrain.py measures it.)
    assert not any(p.epoch_done for p in progress)
    assert dialog.progress_page.curve.train  # the curve moved within the first epoch
    notice = dialog.settings_page.notice
    assert notice.isVisible() and "model in use is unchanged" in notice.text()  # said, not silent
    assert window.classifier is before
    assert window.store.user_model is None
    assert not work_dir.exists()  # no new file anywhere
    assert window.retrain_action.isEnabled()


def test_corrupt_data_folder_gives_an_error_dialog(qtbot, tmp_path, warning_boxes):
    window = make_window(qtbot, tmp_path)
    folder = write_mnist_folder(tmp_path / "mnist")
    (folder / "train-images-idx3-ubyte.gz").write_bytes(b"\x1f\x8b broken")
    dialog = open_dialog(window, folder)
    with qtbot.waitSignal(dialog.trainingFailed, timeout=30_000):
        start(qtbot, dialog)
    assert "train-images-idx3-ubyte" in warning_boxes[0] and "unchanged" in warning_boxes[0]
    assert dialog.current_page() is dialog.settings_page and not dialog.running
    assert window.classifier is not None


def test_missing_data_folder_gives_an_error_dialog(qtbot, tmp_path, warning_boxes):
    window = make_window(qtbot, tmp_path)
    dialog = open_dialog(window, tmp_path / "nowhere")
    with qtbot.waitSignal(dialog.trainingFailed, timeout=30_000):
        start(qtbot, dialog)
    assert "no such folder" in warning_boxes[0]


def test_closing_the_window_mid_training_stops_the_thread(qtbot, tmp_path, answer_questions):
    answer_questions(QMessageBox.StandardButton.Yes)
    window = make_window(qtbot, tmp_path)
    dialog, _ = open_long_training(qtbot, window, tmp_path / "mnist", started=1)
    work_dir = dialog.work_dir
    window.close()  # asked without waiting; "Yes" closes the window a moment later
    qtbot.waitUntil(lambda: not window.isVisible() and not dialog.running, timeout=30_000)
    assert not work_dir.exists()
    assert window.store.user_model is None


def test_closing_can_be_refused_while_training(qtbot, tmp_path, answer_questions):
    answer_questions(QMessageBox.StandardButton.No)
    window = make_window(qtbot, tmp_path)
    dialog, _ = open_long_training(qtbot, window, tmp_path / "mnist")
    assert not window.close() and dialog.running
    dialog.stop()
    assert not dialog.running


def test_modelAccepted_is_saved_and_used_at_next_start(qtbot, tmp_path, answer_questions):
    from PySide6.QtWidgets import QMessageBox

    window = make_window(qtbot, tmp_path)
    dialog = open_dialog(window, write_mnist_folder(tmp_path / "mnist"), preset="seed")
    with qtbot.waitSignal(dialog.trainingSucceeded, timeout=120_000):
        start(qtbot, dialog)
    candidate = dialog.outcome.candidate
    verdict = dialog.results_page.verdict.text()
    assert 'cannot say "not a digit"' in verdict.replace("&quot;", '"')  # the seed network has ten outputs
    assert dialog.results_page.use_button.text() == "Use it anyway…"  # never offered as a plain "Use"
    asked = answer_questions(QMessageBox.StandardButton.No)
    qtbot.mouseClick(dialog.results_page.use_button, LEFT)  # a worse model: asked first, and "No" keeps it out
    assert len(asked) == 1 and "worse" in asked[0] and dialog.isVisible() and window.store.history() == []
    asked = answer_questions(QMessageBox.StandardButton.Yes)
    with qtbot.waitSignal(dialog.modelAccepted):
        qtbot.mouseClick(dialog.results_page.use_button, LEFT)
    qtbot.waitUntil(lambda: window.model_path == window.store.user_model, timeout=10_000)
    store = window.store
    assert store.user_model.is_file() and store.user_model.with_suffix(".tflite").is_file()
    assert not candidate.exists()
    assert not list(store.data_dir.glob(".*tmp*"))  # atomic writes left nothing behind
    window.close()
    again = make_window(qtbot, tmp_path)  # the same data folder: the next launch
    assert again.model_path == store.user_model
    assert again.revert_action.isEnabled()
    again.revert_model()
    qtbot.waitUntil(lambda: again.store.is_bundled(again.model_path), timeout=10_000)
    (kept,) = store.history()  # going back to the bundled model deletes nothing
    assert kept.model.is_file() and not kept.in_use and kept.origin.startswith("retrained: preset seed")
    assert "mnist" in kept.figures and "kept" in again.statusBar().currentMessage()


def test_retraining_uses_the_pen_digits_folder_when_given(qtbot, tmp_path):
    import gzip

    pen = tmp_path / "pendigits"
    pen.mkdir()
    digit = '.SEGMENT DIGIT 0 ? "7"\n.COMMENT 7 1 1\n.PEN_DOWN\n 0 100\n 100 100\n 40 0\n.PEN_UP\n'
    (pen / "pendigits-orig.tra.gz").write_bytes(gzip.compress((digit * 20).encode()))
    window = make_window(qtbot, tmp_path)
    dialog = open_dialog(window, write_mnist_folder(tmp_path / "mnist"), pen_folder=pen)
    with qtbot.waitSignal(dialog.trainingSucceeded, timeout=120_000):
        start(qtbot, dialog)
    assert dialog.outcome.metrics["train_composition"] == {"mnist": 300, "pendigits": 20}  # one rendering each
    assert window.settings.get_str("retrain/pen_folder") == str(pen)  # remembered for next time
    dialog.close()


def test_a_model_retrained_without_pen_data_says_it_reads_by_the_picture_alone(qtbot, tmp_path):
    window = make_window(qtbot, tmp_path)
    dialog = open_dialog(window, write_mnist_folder(tmp_path / "mnist"), preset="quick")  # no pen data given
    with qtbot.waitSignal(dialog.trainingSucceeded, timeout=180_000):
        start(qtbot, dialog)
    assert dialog.outcome.metrics["reads_path"] is False
    assert "never saw a pen's path" in dialog.results_page.summary.text()
    dialog.close()


def test_the_dialogs_default_is_the_data_that_ships(qtbot, tmp_path, monkeypatch):
    """Retrain with every field as it opens: the shipped MNIST, pendigits, UNIPEN digits and letters,
    named outright, whatever the environment says (offline, the bundled model's recipe)."""
    from mnist_pad.datasets import shipped
    from mnist_pad.gui.retrain_dialog import chosen_data
    from mnist_pad.gui.retrain_pages import MNIST_ALONE, SHIPPED

    monkeypatch.setenv("MNIST_PAD_DATA", str(tmp_path / "elsewhere"))
    window = make_window(qtbot, tmp_path)
    window.retrain()
    page = window.retrain_dialog.settings_page
    assert page.data_choice() == SHIPPED and page.own_files.isHidden()
    typed = ("", "", "", "")
    assert chosen_data(SHIPPED, typed) == (
        str(shipped.mnist_folder()),
        str(shipped.pendigits_folder()),
        str(shipped.letters_file()),
        str(shipped.pen_digits_file()),
    )
    assert chosen_data(MNIST_ALONE, typed) == (str(shipped.mnist_folder()), "", "", "")
    window.retrain_dialog.close()


def test_retraining_converts_unipen_files_given_in_the_dialog(qtbot, tmp_path, monkeypatch):
    from helpers import write_unipen_tree

    from mnist_pad.datasets.shipped import pen_digits_file
    from mnist_pad.ink.strokes import read_stroke_file

    digits = [s for s in read_stroke_file(pen_digits_file())[0] if s.label is not None][:12]
    tree = tmp_path / "train_r01_v07"
    write_unipen_tree(tree, digits)
    window = make_window(qtbot, tmp_path)
    dialog = open_dialog(window, write_mnist_folder(tmp_path / "mnist"), pen_digits=tree / "data" / "1a")
    stages: list[str] = []
    failures: list[str] = []
    dialog.trainingFailed.connect(failures.append)
    show_stage = dialog.progress_page.show_stage  # what the progress page says, each step
    monkeypatch.setattr(dialog.progress_page, "show_stage", lambda text: (stages.append(text), show_stage(text)))
    start(qtbot, dialog)
    qtbot.waitUntil(lambda: dialog.outcome is not None or bool(failures), timeout=180_000)
    assert failures == []
    assert dialog.outcome.metrics["train_composition"] == {"mnist": 300, "unipen": 12}  # one rendering each
    assert any(stage.startswith("Converting UNIPEN's digits") for stage in stages)
    assert any("not calibrated" in note for note in dialog.outcome.metrics["notes"])  # no validation writer in it
    dialog.close()
