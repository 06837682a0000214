import subprocess
import sys

import numpy as np
import pytest
from helpers import PEN_DIGITS, REPO, draw_with_mouse, make_window
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication

from mnist_pad.ink.render import network_input
from mnist_pad.ink.strokes import read_stroke_file, replay
from mnist_pad.model.evaluate import stroke_batch

SEVEN = [[(0.0, 0.0), (0.5, 0.02), (1.0, 0.0), (0.7, 0.5), (0.45, 1.0)]]
ONE = [[(0.5, 0.0), (0.5, 0.5), (0.5, 1.0)]]


def dev_samples(count=6):
    if not PEN_DIGITS.is_file():
        pytest.skip("pen digits not found beside the checkout")
    samples, _ = read_stroke_file(PEN_DIGITS)
    return [samples[i] for i in np.linspace(0, len(samples) - 1, count).astype(int)]


def test_canvas_and_evaluator_agree_on_dev_digits(qtbot, tmp_path):
    window = make_window(qtbot, tmp_path)
    samples = dev_samples()
    expected_images, expected_paths = stroke_batch(samples)
    for sample, image, path in zip(samples, expected_images, expected_paths, strict=True):
        window.canvas.clear()
        draw_with_mouse(window.canvas, replay(sample.strokes))
        assert window.canvas.drawing.strokes == replay(sample.strokes).strokes
        np.testing.assert_array_equal(window.panel.image, image)
        assert window.panel.prediction == int(np.argmax(window.classifier.predict(image, path)))


def test_canvas_matches_replay_for_strokes_written_here(qtbot, tmp_path):
    window = make_window(qtbot, tmp_path)
    for strokes in (SEVEN, ONE):
        window.canvas.clear()
        drawing = replay(strokes)
        draw_with_mouse(window.canvas, drawing)
        np.testing.assert_array_equal(window.panel.image, network_input(drawing))
        assert window.panel.prediction is not None


def test_empty_canvas_and_dot_say_so(qtbot, tmp_path):
    window = make_window(qtbot, tmp_path)
    assert window.panel.prediction is None and "Draw a digit" in window.panel.detail.text()
    QTest.mouseClick(window.canvas, Qt.MouseButton.LeftButton, pos=window.canvas.rect().center())
    assert len(window.canvas.drawing.strokes) == 1
    assert window.panel.prediction is None and "Too small" in window.panel.detail.text()


def test_undo_and_clear_shortcuts(qtbot, tmp_path):
    window = make_window(qtbot, tmp_path)
    draw_with_mouse(window.canvas, replay(SEVEN + ONE))
    assert len(window.canvas.drawing.strokes) == 2
    QTest.keyClick(window, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert len(window.canvas.drawing.strokes) == 1
    QTest.keyClick(window, Qt.Key.Key_Escape)
    assert window.canvas.drawing.is_empty and window.panel.prediction is None
    QTest.keyClick(window, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)  # undo the clear
    assert len(window.canvas.drawing.strokes) == 1


def test_resizing_keeps_the_drawing_and_what_the_network_sees(qtbot, tmp_path):
    window = make_window(qtbot, tmp_path)
    draw_with_mouse(window.canvas, replay(SEVEN))
    before = window.panel.image.copy()
    window.canvas.setFixedSize(250, 320)
    qtbot.waitUntil(lambda: window.canvas.size().width() == 250)
    assert len(window.canvas.drawing.strokes) == 1
    window.predict()
    np.testing.assert_array_equal(window.panel.image, before)


def test_window_geometry_and_pen_are_remembered(qtbot, tmp_path):
    window = make_window(qtbot, tmp_path, load=False, fixed_canvas=False)
    window.resize(780, 520)  # larger than the minimum, smaller than the default (and the 800x600 screen)
    window.pen_slider.setValue(80)
    pen = window.canvas.drawing.pen_width
    window.close()
    again = make_window(qtbot, tmp_path, load=False, fixed_canvas=False)
    assert again.width() == 780 and again.canvas.drawing.pen_width == pytest.approx(pen)


def test_window_accepts_strokes_before_the_model_has_loaded(qtbot, tmp_path):
    window = make_window(qtbot, tmp_path, load=False)
    draw_with_mouse(window.canvas, replay(SEVEN))
    assert window.classifier is None and "Loading" in window.panel.detail.text()
    assert window.panel.image is not None  # the network's view shows already
    window.load_model(window.store.active())
    qtbot.waitUntil(lambda: window.panel.prediction is not None, timeout=10_000)


def test_a_broken_saved_model_falls_back_to_the_bundled_one(qtbot, tmp_path):
    window = make_window(qtbot, tmp_path, load=False)
    bad = tmp_path / "data" / "model.keras"
    bad.parent.mkdir(parents=True)
    bad.write_bytes(b"junk")
    bad.with_suffix(".tflite").write_bytes(b"junk too")
    with qtbot.waitSignal(window.errorReported, timeout=10_000) as error:
        window.load_model(bad)
    assert "model.tflite" in error.args[1]
    qtbot.waitUntil(lambda: window.classifier is not None, timeout=10_000)
    assert window.store.is_bundled(window.model_path)


STARTUP_PROBE = """
import sys
from PySide6.QtWidgets import QApplication
app = QApplication([])
from mnist_pad.gui.main_window import MainWindow
from mnist_pad.person.preferences import Preferences
from mnist_pad.person.store import ModelStore
from mnist_pad.ink.strokes import replay
w = MainWindow(ModelStore(sys.argv[1]), Preferences(sys.argv[1] + "/settings.json"))
w.show()
w.load_model(w.store.active())
while w.classifier is None:
    app.processEvents()
w.canvas.set_drawing(replay([[(0, 0), (1, 0), (0.4, 1)]]))
print("prediction", w.panel.prediction)
print("tensorflow imported:", any(m == "tensorflow" or m.startswith(("tensorflow.", "keras")) for m in sys.modules))
"""


def test_tensorflow_is_not_imported_by_start_up_and_prediction(tmp_path):
    result = subprocess.run(
        [sys.executable, "-c", STARTUP_PROBE, str(tmp_path)],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=60,
        env={**__import__("os").environ, "QT_QPA_PLATFORM": "offscreen"},
    )
    assert result.returncode == 0, result.stderr
    assert "prediction 7" in result.stdout
    assert "tensorflow imported: False" in result.stdout


def test_drawing_does_not_leak_references_to_none(qtbot, tmp_path):
    """PySide6 6.12.0 dropped a reference to None in every overridden virtual,
    which aborts Python 3.11 after a few minutes of drawing. Guard the pin."""
    window = make_window(qtbot, tmp_path)
    drawing = replay(SEVEN)
    before = sys.getrefcount(None)
    for _ in range(30):
        window.canvas.clear()
        draw_with_mouse(window.canvas, drawing)
        QApplication.processEvents()  # the paint events run the overridden virtuals too
    assert sys.getrefcount(None) >= before - 20


@pytest.mark.tensorflow
def test_opening_a_model_makes_it_the_one_in_use(qtbot, tmp_path, monkeypatch):
    import shutil

    from PySide6.QtWidgets import QFileDialog

    from mnist_pad.resources import bundled_model

    window = make_window(qtbot, tmp_path)
    other = tmp_path / "elsewhere" / "digits.keras"
    other.parent.mkdir()
    shutil.copy(bundled_model(), other)  # no .tflite beside it: converted on the loader thread
    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *a, **k: (str(other), ""))
    window.open_model()
    qtbot.waitUntil(lambda: window.model_path == window.store.user_model, timeout=60_000)
    assert window.store.user_model.with_suffix(".tflite").is_file()
    assert window.revert_action.isEnabled()


@pytest.mark.tensorflow
def test_a_model_that_reads_pictures_alone_opens_and_reads_what_is_drawn(
    qtbot, tmp_path, monkeypatch, tiny_mnist, answer_questions
):
    """A model with one input (saved before the path reader, or the seed preset) is a model like any,
    once the person said yes to using a model that is worse on the check set."""
    from PySide6.QtWidgets import QFileDialog, QMessageBox

    from mnist_pad.datasets.mnist import load_mnist
    from mnist_pad.model.model_io import save_model
    from mnist_pad.model.training import train

    seed = save_model(train("seed", load_mnist(tiny_mnist), epochs=1, validate=False).model, tmp_path / "seed.keras")
    window = make_window(qtbot, tmp_path)
    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *a, **k: (str(seed), ""))
    asked = answer_questions(QMessageBox.StandardButton.Yes)
    window.open_model()
    qtbot.waitUntil(lambda: window.model_path == window.store.user_model, timeout=60_000)
    assert len(asked) == 1 and "cannot say" in asked[0]  # measured on the check set first
    assert not window.classifier.reads_path
    draw_with_mouse(window.canvas, replay(SEVEN))
    assert window.panel.prediction is not None  # ten outputs: always a digit, read from the picture
    expected = window.classifier.predict(window.panel.image)
    assert window.panel.prediction == int(np.argmax(expected))


@pytest.mark.tensorflow
def test_opening_a_corrupt_model_keeps_the_one_in_use(qtbot, tmp_path, monkeypatch):
    from PySide6.QtWidgets import QFileDialog

    window = make_window(qtbot, tmp_path)
    before = window.classifier
    bad = tmp_path / "bad.keras"
    bad.write_bytes(b"PK\x03\x04 not really a zip")
    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *a, **k: (str(bad), ""))
    with qtbot.waitSignal(window.errorReported, timeout=60_000) as error:
        window.open_model()
    assert "bad.keras" in error.args[1] and "not a Keras model" in error.args[1]
    assert window.classifier is before and window.store.user_model is None


def draw_with_pen(canvas, drawing) -> None:
    """The same strokes as draw_with_mouse, as a tablet pen sends them."""
    from PySide6.QtCore import QEvent, QPointF
    from PySide6.QtGui import QInputDevice, QPointingDevice, QTabletEvent

    pen = QPointingDevice(
        "test pen",
        1,
        QInputDevice.DeviceType.Stylus,
        QPointingDevice.PointerType.Pen,
        QInputDevice.Capability.Position | QInputDevice.Capability.Pressure,
        1,
        2,
    )
    for stroke in drawing.strokes:
        points = [QPointF(canvas.to_widget(point).toPoint()) for point in stroke]
        kinds = [QEvent.Type.TabletPress] + [QEvent.Type.TabletMove] * (len(points) - 2) + [QEvent.Type.TabletRelease]
        for kind, point in zip(kinds, points, strict=True):
            down = Qt.MouseButton.NoButton if kind == QEvent.Type.TabletRelease else Qt.MouseButton.LeftButton
            event = QTabletEvent(
                kind,
                pen,
                point,
                canvas.mapToGlobal(point),
                0.6,
                0.0,
                0.0,
                0.0,
                0.0,
                0.0,
                Qt.KeyboardModifier.NoModifier,
                Qt.MouseButton.LeftButton,
                down,
            )
            QApplication.sendEvent(canvas, event)
            assert event.isAccepted()  # so Qt synthesises no mouse events on top


def test_a_tablet_pen_draws_exactly_what_the_mouse_draws(qtbot, tmp_path):
    window = make_window(qtbot, tmp_path)
    draw_with_mouse(window.canvas, replay(SEVEN))
    by_mouse = [list(stroke) for stroke in window.canvas.drawing.strokes]
    image_by_mouse = window.panel.image.copy()
    window.canvas.clear()
    draw_with_pen(window.canvas, replay(SEVEN))
    assert window.canvas.drawing.strokes == by_mouse
    assert window.panel.prediction == 7
    np.testing.assert_array_equal(window.panel.image, image_by_mouse)
