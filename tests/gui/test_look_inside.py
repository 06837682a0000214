"""Look inside: opened from the View menu's key, it follows the drawing and shows the model's own layers."""

import numpy as np
import pytest
from helpers import draw_with_mouse, make_window
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest

from mnist_pad.ink.path import path_features
from mnist_pad.ink.strokes import replay
from mnist_pad.model.inside import CONVOLUTION, DENSE, OUTPUT, POOLING
from mnist_pad.model.model_io import load_keras

pytestmark = pytest.mark.tensorflow  # Keras models, looked into
keras = pytest.importorskip("keras", reason="needs TensorFlow: the light install leaves it out")

SEVEN = [[(0.0, 0.0), (0.5, 0.02), (1.0, 0.0), (0.7, 0.5), (0.45, 1.0)]]
ZERO = [[(0.5 + 0.3 * np.sin(t / 6), 0.5 - 0.5 * np.cos(t / 6)) for t in range(40)]]


def open_view(qtbot, window):
    QTest.keyClick(window, Qt.Key.Key_I, Qt.KeyboardModifier.ControlModifier)
    assert window.look_inside is not None and window.look_inside.is_open
    return window.look_inside


def wait_for_its_model(qtbot, window):
    """Until the view's worker has loaded the model: a test must not end while TensorFlow is still
    loading on it (the interpreter's exit would abort there; the app itself skips that exit)."""
    qtbot.waitUntil(lambda: window.look_inside._inspector_ready, timeout=60_000)


def draw_and_wait(qtbot, window, strokes):
    inside = window.look_inside
    window.canvas.clear()
    with qtbot.waitSignal(inside.worker.ready, timeout=60_000):
        draw_with_mouse(window.canvas, replay(strokes))
    qtbot.waitUntil(lambda: inside.view.inside is not None and inside._shown_digit is inside._asked[0])
    return inside.view.inside


@pytest.fixture
def window(qtbot, tmp_path):
    return make_window(qtbot, tmp_path)


def test_the_view_shows_every_stage_of_the_model_and_they_match_its_own_layers(qtbot, window):
    open_view(qtbot, window)
    inside = draw_and_wait(qtbot, window, SEVEN)
    kinds = [stage.kind for stage in inside.stages]
    assert kinds.count(CONVOLUTION) == 3 and kinds.count(POOLING) == 2 and kinds[-2:] == [DENSE, OUTPUT]
    digit = window.reading.digits[0]
    np.testing.assert_array_equal(inside.stages[0].values, digit.image)
    model = load_keras(window.model_path)
    path = path_features(window.canvas.drawing.strokes)
    for stage in inside.stages[1:]:
        probe = keras.Model(model.inputs, model.get_layer(stage.layer).output)
        expected = np.asarray(probe([digit.image.reshape(1, 28, 28, 1), path[None]], training=False))[0]
        np.testing.assert_allclose(stage.values, expected, atol=1e-4)
    # The three opinions: the combined one is the model's, and the pad gave the same answer.
    assert inside.picture_alone is not None and inside.path_alone is not None
    assert int(inside.answer.argmax()) == digit.answer.digit == inside.explained
    assert np.allclose(inside.path, path)
    # One stage view per stage, with a map for every channel.
    views = window.look_inside.view.stage_views
    assert [v.stage.layer for v in views] == [s.layer for s in inside.stages[1:]]
    assert views[0].maps.count == inside.stages[1].values.shape[-1]


def test_the_maps_follow_the_drawing(qtbot, window):
    open_view(qtbot, window)
    seven = draw_and_wait(qtbot, window, SEVEN)
    zero = draw_and_wait(qtbot, window, ZERO)
    assert zero.explained == 0 and seven.explained == 7
    for a, b in zip(seven.stages, zero.stages, strict=True):
        assert not np.allclose(a.values, b.values)
    assert not np.allclose(seven.saliency, zero.saliency)


def test_saliency_lies_on_the_ink_and_can_be_laid_over_the_canvas(qtbot, window):
    view = open_view(qtbot, window).view
    inside = draw_and_wait(qtbot, window, SEVEN)
    image = inside.stages[0].values
    on_ink = np.abs(inside.saliency[image > 0]).sum()
    assert on_ink > 0.9 * np.abs(inside.saliency).sum()  # a blank pixel times any gradient is nothing
    assert window.canvas.overlay is None
    view.overlay.click()
    assert window.canvas.overlay is not None and window.canvas.overlay[0] == window.reading.digits[0].box
    view.overlay.click()
    assert window.canvas.overlay is None


def test_clicking_a_map_zooms_it_with_its_filter(qtbot, window):
    view = open_view(qtbot, window).view
    draw_and_wait(qtbot, window, SEVEN)
    first = view.stage_views[0]
    QTest.mouseClick(first.maps, Qt.MouseButton.LeftButton, pos=first.maps.map_rect(3).center().toPoint())
    assert first.maps.selected == 3
    assert first.zoom.isVisible() and first.filter.isVisible()
    assert "Map 4 of 32" in first.zoom_caption.text()


def test_export_writes_a_png_of_the_view(qtbot, window, tmp_path, monkeypatch):
    view = open_view(qtbot, window).view
    draw_and_wait(qtbot, window, SEVEN)
    target = tmp_path / "inside.png"
    monkeypatch.setattr("mnist_pad.gui.inside_view.QFileDialog.getSaveFileName", lambda *a, **k: (str(target), ""))
    view.export_button.click()
    assert target.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert "Saved" in view.status.text()


def test_clearing_the_canvas_says_so_and_closing_removes_the_overlay(qtbot, window):
    inside = open_view(qtbot, window)
    draw_and_wait(qtbot, window, SEVEN)
    inside.view.overlay.setChecked(True)
    assert window.canvas.overlay is not None
    window.canvas.clear()
    assert window.canvas.overlay is None and inside.view.scroll_area.isHidden()
    assert "Draw a digit" in inside.view.status.text() and not inside.view.export_button.isEnabled()
    QTest.keyClick(window, Qt.Key.Key_I, Qt.KeyboardModifier.ControlModifier)
    assert not inside.is_open


def test_a_model_that_reads_pictures_alone_shows_its_picture_stages(qtbot, window, tmp_path, tiny_mnist):
    from mnist_pad.datasets.mnist import load_mnist
    from mnist_pad.model.model_io import save_model
    from mnist_pad.model.training import train

    seed = save_model(train("seed", load_mnist(tiny_mnist), epochs=1, validate=False).model, tmp_path / "seed.keras")
    inside = open_view(qtbot, window)
    window.load_model(seed)
    qtbot.waitUntil(lambda: window.model_path == seed, timeout=60_000)
    shown = draw_and_wait(qtbot, window, SEVEN)
    assert [s.kind for s in shown.stages[1:]] == [CONVOLUTION, POOLING, CONVOLUTION, POOLING, OUTPUT]
    assert shown.path is None and "does not read the pen's path" in inside.view.opinions.text()
    assert not inside.view.path_picture.isVisible()


def test_a_model_whose_layers_cannot_be_read_is_said_so_and_the_pad_reads_on(qtbot, window, tmp_path):
    inside = open_view(qtbot, window)
    broken = tmp_path / "gone.keras"
    with qtbot.waitSignal(inside.worker.failed, timeout=60_000) as failed:
        inside.set_model(broken)
    assert "cannot be shown" in failed.args[0] and str(broken) in failed.args[0]
    assert "cannot be shown" in inside.view.status.text()
    draw_with_mouse(window.canvas, replay(SEVEN))
    assert window.panel.prediction == 7  # the model in use reads as before


def test_a_new_model_in_use_at_the_same_path_is_read_again(qtbot, window):
    """Adopting a retrained model keeps the path of the model in use: the view must not keep the old one."""
    inside = open_view(qtbot, window)
    draw_and_wait(qtbot, window, SEVEN)
    with qtbot.waitSignal(inside.worker.modelReady, timeout=60_000):
        window.use_classifier(window.classifier, window.model_path)
    qtbot.waitUntil(lambda: not inside.view.scroll_area.isHidden(), timeout=60_000)  # and it shows the digit again


def test_opened_over_a_dot_it_says_what_the_panel_says(qtbot, window):
    QTest.mouseClick(window.canvas, Qt.MouseButton.LeftButton, pos=window.canvas.rect().center())
    inside = open_view(qtbot, window)
    qtbot.waitUntil(lambda: inside._inspector_ready, timeout=60_000)
    assert "Too small" in inside.view.status.text() and inside.view.scroll_area.isHidden()


def test_an_export_that_cannot_be_written_says_so(qtbot, window, tmp_path, monkeypatch):
    view = open_view(qtbot, window).view
    draw_and_wait(qtbot, window, SEVEN)
    (tmp_path / "a file").write_text("not a folder")
    target = tmp_path / "a file" / "inside.png"
    monkeypatch.setattr("mnist_pad.gui.inside_view.QFileDialog.getSaveFileName", lambda *a, **k: (str(target), ""))
    view.export_button.click()
    assert "Could not write" in view.status.text() and (tmp_path / "a file").read_text() == "not a folder"


def test_in_a_number_it_follows_the_selected_digit(qtbot, window):
    from mnist_pad.app.selftest import written_number
    from mnist_pad.ink.drawing import Drawing

    inside = open_view(qtbot, window)
    with qtbot.waitSignal(inside.worker.ready, timeout=60_000):
        draw_with_mouse(window.canvas, Drawing.of(written_number("17")))
    qtbot.waitUntil(lambda: inside.view.status.text().startswith("Digit 2 of 2, read as 7"), timeout=60_000)
    window.panel.reading_view.digitSelected.emit(0)  # a click on the reading's first digit
    qtbot.waitUntil(lambda: inside.view.status.text().startswith("Digit 1 of 2, read as 1"), timeout=60_000)
    np.testing.assert_array_equal(inside.view.inside.stages[0].values, window.reading.digits[0].image)


def test_the_view_opens_again_at_the_next_start_if_it_was_open_at_closing(qtbot, tmp_path):
    first = make_window(qtbot, tmp_path)
    open_view(qtbot, first)
    wait_for_its_model(qtbot, first)
    first.close()
    second = make_window(qtbot, tmp_path)  # same settings file: the next start
    assert second.look_inside is not None and second.look_inside.is_open
    wait_for_its_model(qtbot, second)
    QTest.keyClick(second, Qt.Key.Key_I, Qt.KeyboardModifier.ControlModifier)  # closed by its key
    assert not second.look_inside.is_open
    second.close()
    third = make_window(qtbot, tmp_path)
    assert third.look_inside is None  # nothing of it built, no TensorFlow loaded for it


@pytest.mark.parametrize(
    ("frame", "extra", "expected"),
    [
        ((100, 50, 1180, 540), 400, (100, 50, 1580, 540)),  # room to the right: grows there
        ((600, 50, 1180, 540), 400, (340, 50, 1580, 540)),  # near the right edge: moves left as it grows
        ((0, 0, 1800, 540), 400, (0, 0, 1920, 540)),  # as wide as the screen allows
        ((0, 0, 2000, 540), 400, (0, 0, 2000, 540)),  # already wider than the screen: left as it is
        ((100, 50, 1600, 540), -20, (100, 50, 1600, 540)),  # wide enough already
    ],
)
def test_opening_the_view_widens_the_window_within_the_screen(frame, extra, expected):
    from PySide6.QtCore import QRect

    from mnist_pad.gui.main_window import widened

    target = widened(QRect(*frame), QRect(0, 0, 1920, 1080), extra)
    assert (target.x(), target.y(), target.width(), target.height()) == expected


def test_the_width_the_view_took_is_given_back_when_it_closes(qtbot, tmp_path, monkeypatch):
    from PySide6.QtCore import QRect

    from mnist_pad.gui import main_window

    # A screen with room to spare (the offscreen screen has none).
    monkeypatch.setattr(
        main_window, "widened", lambda frame, _, extra: QRect(frame.x(), frame.y(), frame.width() + 300, frame.height())
    )
    monkeypatch.setattr(main_window.MainWindow, "available_area", lambda self: QRect(0, 0, 3000, 2000))
    window = make_window(qtbot, tmp_path, fixed_canvas=False)
    window.resize(1300, 600)  # wider than the offscreen screen's first window, as on a desktop
    qtbot.waitUntil(lambda: window.width() == 1300)
    width = window.width()
    open_view(qtbot, window)
    qtbot.waitUntil(lambda: window.width() == width + 300)
    QTest.keyClick(window, Qt.Key.Key_I, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: window.width() == width)
    open_view(qtbot, window)
    qtbot.waitUntil(lambda: window.width() == width + 300)
    window.resize(width + 100, window.height())  # the person's own size: kept when the view closes
    qtbot.waitUntil(lambda: window.width() == width + 100)
    window.look_inside.dock.close()  # its own close button
    assert window.width() == width + 100
    wait_for_its_model(qtbot, window)
