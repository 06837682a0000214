"""Writing a number on the real canvas with mouse events, and working with its digits."""

from helpers import draw_with_mouse
from PySide6.QtCore import QPoint, Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtTest import QTest

from mnist_pad.app.selftest import DIGITS
from mnist_pad.ink.drawing import Drawing


def written(text: str, left: float = 0.3, step: float = 0.55, scale: float = 0.8) -> Drawing:
    """The self-test's digits side by side, in canvas units."""
    strokes = []
    for i, char in enumerate(text):
        for stroke in DIGITS[int(char)]:
            strokes.append(
                [(left + i * step + (x - 0.5) * scale + step / 2, 0.5 + (y - 0.5) * scale) for x, y in stroke]
            )
    return Drawing(strokes)


def test_a_number_written_with_the_mouse_is_read_left_to_right(qtbot, window_factory):
    window = window_factory()
    draw_with_mouse(window.canvas, written("2047"))
    assert window.panel.verdict_text == "2047"
    assert window.panel.selected == 3 and window.panel.prediction == 7  # the digit written last
    assert len(window.canvas.digit_boxes) == 4
    QTest.keyClick(window, Qt.Key.Key_C, Qt.KeyboardModifier.ControlModifier)
    assert QGuiApplication.clipboard().text() == "2047"


def test_clicking_a_digit_of_the_reading_selects_it(qtbot, window_factory):
    window = window_factory()
    draw_with_mouse(window.canvas, written("38"))
    view = window.panel.reading_view
    first = view.cells()[0].center().toPoint()  # where the first digit is drawn
    QTest.mouseClick(view, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, first)
    assert window.panel.selected == 0 and window.panel.prediction == 3
    assert [selected for _, selected, _ in window.canvas.digit_boxes] == [True, False]


def test_a_correction_saves_only_the_selected_digit_and_keeps_the_number(qtbot, window_factory):
    window = window_factory()
    draw_with_mouse(window.canvas, written("38"))
    QTest.keyClick(window, Qt.Key.Key_1, Qt.KeyboardModifier.AltModifier)  # "the 8 was a 1"
    window.sample_writer.wait()
    samples, _ = window.samples.load()
    assert [s.label for s in samples] == [1]
    assert len(samples[0].strokes) == len(DIGITS[8])  # the 8's strokes, not the 3's
    assert window.panel.verdict_text == "38"  # the number stays to correct the rest


def test_a_lone_digit_is_still_one_digit(qtbot, window_factory):
    window = window_factory()
    draw_with_mouse(window.canvas, written("4", left=0.9))
    assert window.panel.verdict_text == "4" and window.canvas.digit_boxes and len(window.canvas.digit_boxes) == 1


def test_a_scribble_over_the_whole_pad_never_freezes_or_fails(qtbot, window_factory):
    window = window_factory()
    zigzag = [[(0.05 + 0.04 * i, 0.1 if i % 2 else 0.9) for i in range(60)]]
    draw_with_mouse(window.canvas, Drawing(zigzag))
    assert window.panel.verdict_text  # something sensible: "?" or a guess, never an exception
    QTest.mouseClick(window.canvas, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, QPoint(5, 5))


def test_hatching_over_the_whole_pad_is_not_a_digit(qtbot, window_factory):
    window = window_factory()
    lines = [[(0.1 + 0.2 * i, 0.9), (0.6 + 0.2 * i, 0.1)] for i in range(10)]  # diagonal, overlapping
    lines += [[(0.1 + 0.2 * i, 0.1), (0.6 + 0.2 * i, 0.9)] for i in range(10)]  # and crossed
    draw_with_mouse(window.canvas, Drawing(lines))
    assert window.panel.verdict_text == "?"
    assert "not a digit" in window.panel.detail.text().lower()
    assert window.panel.bars.muted
    QTest.keyClick(window, Qt.Key.Key_4, Qt.KeyboardModifier.AltModifier)  # "this is my 4" still saves it
    window.sample_writer.wait()
    assert [s.label for s in window.samples.load()[0]] == [4]


def test_two_taps_of_the_pen_are_not_read_as_a_digit(qtbot, window_factory):
    window = window_factory()
    canvas = window.canvas
    for point in ((0.5, 0.3), (1.8, 0.7)):
        QTest.mouseClick(
            canvas, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, canvas.to_widget(point).toPoint()
        )
    assert window.panel.prediction is None and window.panel.verdict_text in ("", "?")
