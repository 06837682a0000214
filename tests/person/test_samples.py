"""The person's samples: corrections that survive restarts, crashes and bad files."""

import json

import numpy as np
import pytest
from helpers import another_program_holds, draw_with_mouse, make_window, start
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QLabel, QMessageBox

from mnist_pad.datasets.mnist import load_mnist
from mnist_pad.datasets.sample_images import training_arrays
from mnist_pad.errors import DataError
from mnist_pad.gui.samples_window import SamplesWindow
from mnist_pad.ink.drawing import Drawing
from mnist_pad.ink.path import path_features
from mnist_pad.ink.reading import NOT_A_DIGIT, decide
from mnist_pad.ink.render import network_input
from mnist_pad.ink.strokes import replay
from mnist_pad.model.inputs import model_inputs
from mnist_pad.model.model_io import load_keras
from mnist_pad.model.personalise import fine_tune
from mnist_pad.person.samples import SampleStore
from mnist_pad.resources import bundled_model

SEVEN = [[(0.0, 0.0), (0.5, 0.02), (1.0, 0.0), (0.7, 0.5), (0.45, 1.0)]]
ONE = [[(0.5, 0.0), (0.5, 1.0)]]


def test_a_correction_is_saved_and_survives_a_restart(qtbot, tmp_path):
    window = make_window(qtbot, tmp_path)
    draw_with_mouse(window.canvas, replay(SEVEN))
    seen = window.panel.image.copy()
    window.panel.bars.digitClicked.emit(1)  # "that was a 1": a click on the bar of 1
    assert window.canvas.drawing.is_empty  # ready for the next drawing
    draw_with_mouse(window.canvas, replay(ONE))
    QTest.keyClick(window, Qt.Key.Key_4, Qt.KeyboardModifier.AltModifier)  # Alt+digit
    window.close()
    again = make_window(qtbot, tmp_path, load=False)
    samples, problems = again.samples.load()
    assert problems == []
    assert [s.label for s in samples] == [1, 4]
    assert samples[0].strokes == replay(SEVEN).strokes
    images, labels, paths, strokes = training_arrays(samples)
    np.testing.assert_allclose(images[0], seen, atol=1 / 255)
    assert list(labels) == [1, 4]
    np.testing.assert_array_equal(paths[0], path_features(samples[0].strokes))  # the path travels with it
    assert strokes[1] == samples[1].strokes  # and the strokes: Learn varies them


def test_a_save_is_reported_once_it_is_on_disk(qtbot, tmp_path):
    window = make_window(qtbot, tmp_path)
    draw_with_mouse(window.canvas, replay(SEVEN))
    with qtbot.waitSignal(window.sample_writer.saved, timeout=10_000) as saved:
        window.panel.bars.digitClicked.emit(7)
    assert saved.args == [7]
    assert [s.label for s in window.samples.load()[0]] == [7]
    assert "Saved as a 7" in window.statusBar().currentMessage()


def test_a_failed_save_says_why_and_gives_the_drawing_back(qtbot, tmp_path):
    window = make_window(qtbot, tmp_path)
    window.samples.path.mkdir(parents=True)  # a folder where the file should be: the append fails
    draw_with_mouse(window.canvas, replay(SEVEN))
    drawn = window.canvas.drawing.strokes
    with qtbot.waitSignal(window.sample_writer.saveFailed, timeout=10_000):
        window.panel.bars.digitClicked.emit(7)
    qtbot.waitUntil(lambda: not window.canvas.drawing.is_empty)
    assert window.canvas.drawing.strokes == drawn  # nothing lost: it can be saved again elsewhere
    boxes = [w for w in window.findChildren(QMessageBox) if w.isVisible()]
    assert boxes and "Could not save the sample" in boxes[0].windowTitle()
    assert str(window.samples.path) in boxes[0].text()


def test_an_empty_canvas_saves_nothing(qtbot, tmp_path):
    window = make_window(qtbot, tmp_path)
    window.save_sample(3)
    assert window.samples.load() == ([], [])
    assert "Nothing to save" in window.statusBar().currentMessage()


def test_a_half_written_line_loses_no_other_sample(tmp_path):
    store = SampleStore(tmp_path)
    drawing = replay(SEVEN)
    store.add(drawing, 7, network_input(drawing))
    with open(store.path, "a") as f:  # a crash in the middle of an append
        f.write('{"label": 2, "strokes": [[[0.1, 0.')
    store.add(drawing, 9, network_input(drawing))
    store.path.write_bytes(store.path.read_bytes() + b"\x00garbage\n")
    samples, problems = store.load()
    assert [s.label for s in samples] == [7, 9]
    assert [p.split(": ")[0] for p in problems] == [f"{store.path}:2", f"{store.path}:4"]


def test_import_reports_malformed_lines_by_number_and_export_round_trips(tmp_path):
    good = {"label": 5, "source": "x", "writer": "x/1", "strokes": [[[0, 0], [1, 1]]]}
    source = tmp_path / "in.jsonl"
    source.write_text(
        "\n".join([json.dumps(good), "{broken", json.dumps({**good, "label": "five"}), json.dumps(good)]) + "\n"
    )
    store = SampleStore(tmp_path / "data")
    imported = store.import_file(source)
    assert (imported.added, imported.duplicates) == (1, 1)  # the same drawing twice is one sample
    assert [p.split(": ")[0] for p in imported.problems] == [f"{source}:2", f"{source}:3"]
    store.export(tmp_path / "out.jsonl", store.load()[0])
    assert [json.loads(line)["label"] for line in (tmp_path / "out.jsonl").read_text().splitlines()] == [5]
    with pytest.raises(DataError, match="no valid stroke sample"):
        bad = tmp_path / "bad.jsonl"
        bad.write_text("nope\n[]\n")
        store.import_file(bad)


@pytest.mark.tensorflow
def test_fine_tuning_on_a_handful_of_samples_changes_the_prediction(tiny_mnist):
    """A person whose sevens the model reads as ones teaches it, with 6 samples, strokes and all."""
    model = load_keras(bundled_model())
    drawing = replay(ONE)
    image, path = network_input(drawing), path_features(drawing.strokes)

    def read(m, picture=image, strokes=path):
        return decide(m.predict(model_inputs(m, picture[None], strokes[None]), verbose=0))[0]

    assert read(model) == 1
    images, paths = np.stack([image] * 6), np.stack([path] * 6)
    labels = np.full(6, 7)
    result = fine_tune(model, images, labels, load_mnist(tiny_mnist), paths=paths, epochs=3)
    assert read(result.model) == 7
    assert read(model) == 1  # the original is untouched
    assert result.metrics["samples_accuracy_before"] == 0.0
    assert result.metrics["samples_accuracy_after"] == 1.0
    hatch = Drawing([[(0.1 * i, 0.0), (0.1 * i + 0.6, 1.0)] for i in range(10)])
    assert read(result.model, network_input(hatch), path_features(hatch.strokes)) == NOT_A_DIGIT  # not unlearnt


@pytest.mark.tensorflow
def test_learning_keeps_a_silenced_path_silent(tiny_mnist):
    """A model that never saw a pen path (MNIST alone) reads by its picture; learning from corrections,
    strokes and all, must not wake its untrained path network (issue 34)."""
    from mnist_pad.ink.path import PATH_SHAPE, no_paths
    from mnist_pad.model.training import train

    data = load_mnist(tiny_mnist)
    model = train("quick", data, epochs=1, batch_size=64, validate=False).model
    drawing = replay(ONE)
    image, path = network_input(drawing), path_features(drawing.strokes)
    result = fine_tune(model, np.stack([image] * 6), np.full(6, 7), data, paths=np.stack([path] * 6))
    tuned = result.model
    assert not np.any(tuned.get_layer("path_logits").get_weights()[0])
    some = np.random.default_rng(0).normal(size=(5, *PATH_SHAPE)).astype(np.float32)
    pictures = data.x_test[:5]
    with_paths = np.asarray(tuned(model_inputs(tuned, pictures, some), training=False))
    without = np.asarray(tuned(model_inputs(tuned, pictures, no_paths(5)), training=False))
    assert np.allclose(with_paths, without, atol=1e-6)


@pytest.mark.tensorflow
def test_learn_from_samples_runs_in_the_background_worker(qtbot, tmp_path, monkeypatch):
    """Offline, with no MNIST folder anywhere: the replay digits are the copy that ships."""
    from mnist_pad.datasets import mnist as mnist_data

    monkeypatch.delenv("MNIST_PAD_DATA", raising=False)
    monkeypatch.setattr(mnist_data, "load_download", lambda: pytest.fail("Learn must not download"))
    window = make_window(qtbot, tmp_path)
    for _ in range(3):
        draw_with_mouse(window.canvas, replay(ONE))
        window.save_sample(7)
    window.learn()  # once the three corrections are on disk
    qtbot.waitUntil(lambda: window.retrain_dialog is not None, timeout=10_000)
    dialog = window.retrain_dialog
    page = dialog.settings_page
    assert dialog.windowTitle() == "Learn from my samples" and "3 samples" in page.summary.text()
    assert page.preset.isHidden() and page.batch.isHidden() and page.epochs.isHidden()  # the model in use is the start
    shown = [w for w in QApplication.topLevelWidgets() if w.isVisible() and w not in (window, dialog)]
    assert shown == []  # no widget of the page stray in a window of its own
    page.epochs.setValue(1)
    with qtbot.waitSignal(dialog.trainingSucceeded, timeout=120_000):
        start(qtbot, dialog)
        assert not window.learn_action.isEnabled()
    assert dialog.outcome.metrics["preset"] == "personalised"
    assert dialog.outcome.metrics["samples"] == 3
    page = dialog.results_page  # Learn gets the same comparison and plain-words verdict as Retrain
    assert "The new model" in page.verdict.text()
    assert "your samples read right" in [label.text() for label in page.findChildren(QLabel)]


def test_deleting_keeps_samples_added_since_the_window_opened(qtbot, window_factory):
    from mnist_pad.gui.samples_window import SamplesWindow

    window = window_factory()
    store = window.samples
    for digit in (1, 2, 3):
        store.add(replay(SEVEN), digit, np.zeros((28, 28), np.float32) + digit / 10)
    shown = SamplesWindow(store, window)
    qtbot.addWidget(shown)
    for _ in range(2):  # two 7s from the pad (or another instance) after the window read the file
        store.add(replay(SEVEN), 7, np.zeros((28, 28), np.float32))
    first = next(i for i in range(shown.gallery.count()) if shown.gallery.item(i).text() == "1")
    shown.gallery.item(first).setSelected(True)
    shown.delete_selected()
    assert sorted(s.label for s in store.load()[0]) == [2, 3, 7, 7]


def test_deleting_keeps_unreadable_lines(tmp_path):
    from mnist_pad.person.samples import SampleStore

    store = SampleStore(tmp_path)
    kept = store.add(replay(SEVEN), 4, np.zeros((28, 28), np.float32))
    doomed = store.add(replay(SEVEN), 5, np.zeros((28, 28), np.float32))
    with open(store.path, "a") as f:
        f.write('{"label": 12, "strokes": "broken"}\n')
    assert store.delete([doomed]) == 1
    samples, problems = store.load()
    assert [s.label for s in samples] == [kept.label] and len(problems) == 1


def test_a_held_samples_lock_never_freezes_the_window_and_loses_no_correction(qtbot, tmp_path):
    window = make_window(qtbot, tmp_path)
    window.samples.lock_timeout_s = 1.0
    with another_program_holds(window.samples.lock_path):
        draw_with_mouse(window.canvas, replay(SEVEN))
        window.save_sample(7)
        window.show_samples()  # returns at once: the window stays live and says what it waits for
        assert "Waiting for your corrections" in window.statusBar().currentMessage()
        assert str(window.samples.path) in window.statusBar().currentMessage()
        with qtbot.waitSignal(window.sample_writer.saved, timeout=10_000):
            pass  # the lock stays held: the sample is saved aside after the time limit
        qtbot.waitUntil(lambda: window.findChild(SamplesWindow) is not None, timeout=10_000)
        assert [s.label for s in window.samples.load()[0]] == [7] and len(window.samples.pending_files()) == 1
        draw_with_mouse(window.canvas, replay(ONE))
        window.save_sample(1)
        window.close()  # closing waits at most the time limit for each pending save
        assert len(window.samples.pending_files()) == 2  # both kept, aside, while the lock is held
    assert sorted(s.label for s in SampleStore(tmp_path / "data").load()[0]) == [1, 7]


def test_a_correction_that_fails_on_a_full_disk_leaves_no_half_line(tmp_path, monkeypatch):
    """Round three, D13: a failed append left half a line, reported as unreadable for ever."""
    import errno
    import os

    store = SampleStore(tmp_path)
    store.add(replay(SEVEN), 7, np.zeros((28, 28), np.float32))
    before = store.path.read_bytes()

    def full(fd):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(os, "fsync", full)
    with pytest.raises(OSError, match="No space"):
        store.add(replay(ONE), 1, np.zeros((28, 28), np.float32))
    monkeypatch.undo()
    assert store.path.read_bytes() == before
    samples, problems = store.load()
    assert [s.label for s in samples] == [7] and problems == []


def test_importing_the_same_file_twice_adds_its_samples_once(qtbot, tmp_path, monkeypatch):
    """Issue 36: importing the same samples file twice doubled 11 samples to 22 without a word."""
    from PySide6.QtWidgets import QFileDialog

    store = SampleStore(tmp_path / "data")
    for i in range(11):
        wider = [[(x * (1 + i / 10), y) for x, y in stroke] for stroke in SEVEN]
        store.add(replay(wider), 7, np.zeros((28, 28), np.float32))
    exported = tmp_path / "mine.jsonl"
    store.export(exported, store.load()[0])
    window = SamplesWindow(store)
    qtbot.addWidget(window)
    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *a, **k: (str(exported), ""))
    window.import_file()
    assert len(store.load()[0]) == 11
    assert window.undo_note.text() == "Imported 0 samples from mine.jsonl; 11 samples already here, skipped."
    other = SampleStore(tmp_path / "other")
    assert other.import_file(exported).added == 11 and other.import_file(exported).added == 0


def test_undo_right_after_a_correction_takes_the_correction_back_too(qtbot, tmp_path):
    """Issue 36: Ctrl+Z after Alt+digit brought the drawing back, but the sample stayed saved."""
    window = make_window(qtbot, tmp_path)
    draw_with_mouse(window.canvas, replay(SEVEN))
    QTest.keyClick(window, Qt.Key.Key_1, Qt.KeyboardModifier.AltModifier)  # "that was a 1"
    assert window.canvas.drawing.is_empty
    qtbot.waitUntil(lambda: not window.sample_writer.pending, timeout=10_000)
    assert [s.label for s in window.samples.load()[0]] == [1]
    with qtbot.waitSignal(window.sample_writer.takenBack, timeout=10_000):
        QTest.keyClick(window, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert not window.canvas.drawing.is_empty and window.samples.load()[0] == []
    assert "taken back" in window.statusBar().currentMessage()
    QTest.keyClick(window, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)  # an ordinary undo again
    assert window.canvas.drawing.is_empty


def test_undo_after_drawing_on_keeps_the_correction(qtbot, tmp_path):
    window = make_window(qtbot, tmp_path)
    draw_with_mouse(window.canvas, replay(SEVEN))
    QTest.keyClick(window, Qt.Key.Key_1, Qt.KeyboardModifier.AltModifier)
    draw_with_mouse(window.canvas, replay(ONE))
    QTest.keyClick(window, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)  # removes the new stroke only
    qtbot.waitUntil(lambda: not window.sample_writer.pending, timeout=10_000)
    assert [s.label for s in window.samples.load()[0]] == [1]
