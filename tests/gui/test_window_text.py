"""Every text on the window can be read (WCAG AA, 4.5:1) in a light and a dark palette, and says
what it means: no stale hints, no doubled words, no line broken mid-phrase."""

import re

import pytest
from helpers import draw_with_mouse, make_window
from PySide6.QtGui import QColor, QPalette
from PySide6.QtWidgets import QApplication, QLabel, QMessageBox

from mnist_pad.app.launch import main as launch
from mnist_pad.app.selftest import DIGITS, written_number
from mnist_pad.gui.canvas import PLACEHOLDER
from mnist_pad.gui.colours import MIN_CONTRAST, PAPER, accent_text, contrast, secondary_text, unsure_text
from mnist_pad.ink.drawing import Drawing
from mnist_pad.ink.strokes import replay

H = [[(0.1, 0.0), (0.1, 1.0)], [(0.9, 0.0), (0.9, 1.0)], [(0.1, 0.5), (0.9, 0.5)]]


def dark_palette() -> QPalette:
    palette = QPalette()
    roles = {
        QPalette.ColorRole.Window: "#2b2b2b",
        QPalette.ColorRole.WindowText: "#e6e6e6",
        QPalette.ColorRole.Base: "#1e1e1e",
        QPalette.ColorRole.AlternateBase: "#353535",
        QPalette.ColorRole.Text: "#e6e6e6",
        QPalette.ColorRole.Button: "#353535",
        QPalette.ColorRole.ButtonText: "#e6e6e6",
        QPalette.ColorRole.Highlight: "#2a82da",
        QPalette.ColorRole.HighlightedText: "#ffffff",
        QPalette.ColorRole.Mid: "#555555",
    }
    for role, colour in roles.items():
        palette.setColor(role, QColor(colour))
    return palette


@pytest.fixture(params=["light", "dark"])
def palette(request):
    app = QApplication.instance()
    before = app.palette()
    if request.param == "dark":
        app.setPalette(dark_palette())
    yield app.palette()
    app.setPalette(before)


def stylesheet_colour(label: QLabel, key: str) -> QColor | None:
    match = re.search(rf"(?<![-\w]){key}\s*:\s*(#[0-9a-fA-F]{{3,6}}|[a-z]+)", label.styleSheet())
    return QColor(match[1]) if match else None


def label_contrasts(widget) -> list[tuple[str, float]]:
    """(text, contrast) of every visible label under `widget`, as it is painted."""
    found = []
    for label in widget.findChildren(QLabel):
        if not label.isVisible() or not label.text().strip():
            continue
        group = QPalette.ColorGroup.Active if label.isEnabled() else QPalette.ColorGroup.Disabled
        text = stylesheet_colour(label, "color") or label.palette().color(group, label.foregroundRole())
        back = stylesheet_colour(label, "background") or label.palette().color(group, label.backgroundRole())
        found.append((label.text(), contrast(text, back)))
    return found


@pytest.mark.tensorflow
def test_every_label_and_painted_text_reads_at_4_5_to_1(qtbot, tmp_path, palette):
    window = make_window(qtbot, tmp_path)
    draw_with_mouse(window.canvas, replay(DIGITS[7]))  # a reading: detail, hint, caption
    low = [(text, round(ratio, 2)) for text, ratio in label_contrasts(window) if ratio < MIN_CONTRAST]
    assert low == []
    window.retrain()
    low = [(text, round(ratio, 2)) for text, ratio in label_contrasts(window.retrain_dialog) if ratio < MIN_CONTRAST]
    window.retrain_dialog.close()
    assert low == []
    window.toggle_look_inside()  # View > Look inside: its captions, opinions and status
    inside = window.look_inside
    qtbot.waitUntil(lambda: inside.view.inside is not None and not inside.view.scroll_area.isHidden(), timeout=60_000)
    low = [(text, round(ratio, 2)) for text, ratio in label_contrasts(inside.view) if ratio < MIN_CONTRAST]
    assert low == []
    background = palette.window().color()
    for name, colour in (
        ("secondary", secondary_text(palette)),
        ("accent", accent_text(palette)),
        ("unsure", unsure_text(palette)),
        ("text", palette.windowText().color()),
    ):
        assert contrast(colour, background) >= MIN_CONTRAST, name
    assert contrast(PLACEHOLDER, PAPER) >= MIN_CONTRAST  # the empty pad's invitation


def test_no_hint_outlives_its_drawing(qtbot, tmp_path):
    window = make_window(qtbot, tmp_path)
    draw_with_mouse(window.canvas, Drawing.of(H))
    assert window.panel.verdict_text == "?" and window.panel.hint.isVisible()
    assert "A digit after all?" in window.panel.hint.text()
    window.save_sample(4)  # "it was my 4": the pad clears for the next one
    qtbot.waitUntil(lambda: window.canvas.drawing.is_empty)
    assert not window.panel.hint.isVisible()
    assert window.panel.verdict_text == ""  # no grey dash standing in for nothing


def test_the_reading_of_a_number_breaks_lines_where_meant(qtbot, tmp_path):
    window = make_window(qtbot, tmp_path, fixed_canvas=False)
    window.canvas.set_drawing(Drawing.of(written_number("1987")))
    assert window.panel.verdict_text == "1987"
    assert window.panel.detail.text().startswith("Digit 4 of 4:<br>")


def test_the_about_box_names_the_model_once(qtbot, tmp_path, monkeypatch):
    window = make_window(qtbot, tmp_path)
    window.about()  # a box that does not block
    shown = [box.text() for box in window.findChildren(QMessageBox) if box.isVisible()]
    assert "Model in use: the bundled model" in shown[0] and "Model: " not in shown[0].split("Model in use")[1]


def test_without_a_display_it_says_so_in_one_line(monkeypatch, capsys):
    for name in ("DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setattr("sys.platform", "linux")
    assert launch([]) == 2
    err = capsys.readouterr().err.strip()
    assert len(err.splitlines()) == 1 and "no display" in err and "--self-test" in err


def test_the_window_fits_small_and_scaled_screens(qtbot, tmp_path):
    """1366x768 at 100%, and 1600x1000 at 200% (where every logical pixel takes two), with room left for
    the title bar and a panel of the desktop."""
    window = make_window(qtbot, tmp_path, load=False, fixed_canvas=False)
    least = window.minimumSizeHint()
    assert least.width() <= 1366 - 40 and least.height() <= 768 - 80
    assert least.width() * 2 <= 1600 - 40 and least.height() * 2 <= 1000 - 80


@pytest.mark.parametrize("size", [(1180, 540), (1600, 1000), (2400, 1300)])
def test_canvas_and_panel_line_up_at_the_top_at_any_size(qtbot, tmp_path, size):
    window = make_window(qtbot, tmp_path, load=False, fixed_canvas=False)
    window.resize(*size)
    QApplication.processEvents()
    canvas_top = window.canvas.mapTo(window, window.canvas.rect().topLeft()).y()
    reading_top = window.panel.reading_view.mapTo(window, window.panel.reading_view.rect().topLeft()).y()
    assert abs(canvas_top - reading_top) <= 12  # no band above one of them
    assert window.panel.bars.height() >= window.panel.bars.MIN_ROW_HEIGHT * 10


def test_quitting_after_tensorflow_skips_its_slow_shutdown(monkeypatch):
    """Everything is saved when the window closes; then TensorFlow's thread pools would hold the
    interpreter's exit for seconds, so the app leaves at once."""
    import sys

    import mnist_pad.app.launch as launch_module

    class App:
        def exec(self):
            return 0

    exits = []
    monkeypatch.setenv("QT_QPA_PLATFORM", "offscreen")
    monkeypatch.setattr(launch_module, "create_window", lambda argv, new_window: (App(), object()))
    monkeypatch.setattr(launch_module, "_close_on_signals", lambda app, window: None)
    monkeypatch.setattr(launch_module, "_log_start_up", lambda app, window: None)
    monkeypatch.setattr(launch_module.os, "_exit", exits.append)
    monkeypatch.setitem(sys.modules, "tensorflow", sys)
    launch([])
    assert exits == [0]
    monkeypatch.delitem(sys.modules, "tensorflow")
    assert launch([]) == 0 and exits == [0]  # without TensorFlow: the normal way out


def measured_contrast(widget) -> float:
    """The contrast of a widget's text as painted, measured on its pixels, not computed from colours:
    the background is the most common pixel; the text, the quarter of the other (ink) pixels that
    stand out most, as the eye reads a glyph's stems rather than its anti-aliased edges."""
    image = widget.grab().toImage()
    counts: dict[int, int] = {}
    for y in range(image.height()):
        for x in range(image.width()):
            rgb = image.pixel(x, y) & 0xFFFFFF
            counts[rgb] = counts.get(rgb, 0) + 1
    background = max(counts, key=counts.get)
    ink = sorted(
        (contrast(QColor(rgb), QColor(background)) for rgb, n in counts.items() if rgb != background for _ in range(n)),
        reverse=True,
    )
    return ink[len(ink) // 4]


@pytest.mark.tensorflow
def test_small_quiet_text_measures_4_5_to_1_on_screen(qtbot, tmp_path, palette):
    """Issue 36: grey hints ("Wrong? Click the right digit below.", the dialogs' descriptions)
    measured about 3.9:1 at small size."""
    from mnist_pad.gui.colours import SecondaryLabel

    window = make_window(qtbot, tmp_path)
    draw_with_mouse(window.canvas, replay(DIGITS[7]))
    window.retrain()
    labels = [w for w in (*window.findChildren(SecondaryLabel), *window.retrain_dialog.findChildren(SecondaryLabel))]
    shown = [label for label in labels if label.isVisible() and label.text().strip()]
    assert len(shown) >= 3  # the hint, the caption, the dialog's description at least
    low = [(label.text()[:40], round(measured_contrast(label), 2)) for label in shown]
    window.retrain_dialog.close()
    assert [item for item in low if item[1] < MIN_CONTRAST] == []
