"""The pad for everyone: a screen reader can name every widget and hear the reading change;
the digits of a reading can be chosen without a mouse."""

from helpers import draw_with_mouse, make_window
from PySide6.QtCore import Qt
from PySide6.QtGui import QAccessible
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QWidget

from mnist_pad.app.selftest import written_number
from mnist_pad.ink.drawing import Drawing
from mnist_pad.ink.strokes import replay

SEVEN = [[(0.0, 0.0), (1.0, 0.0), (0.45, 1.0)]]
#: Roles that only hold other widgets: a screen reader names what is inside them.
CONTAINERS = {
    QAccessible.Role.Client,
    QAccessible.Role.Pane,
    QAccessible.Role.Grouping,
    QAccessible.Role.Separator,
    QAccessible.Role.Window,
    QAccessible.Role.StatusBar,
    QAccessible.Role.MenuBar,
    QAccessible.Role.ToolBar,
    QAccessible.Role.Splitter,
    QAccessible.Role.LayeredPane,
    QAccessible.Role.Border,
}


def unnamed(window: QWidget) -> list[str]:
    found = []
    for widget in window.findChildren(QWidget):
        if not widget.isVisible():
            continue
        interface = QAccessible.queryAccessibleInterface(widget)
        if interface is None or interface.role() in CONTAINERS:
            continue
        if not interface.text(QAccessible.Text.Name).strip():
            found.append(f"{type(widget).__name__} ({interface.role().name})")
    return found


def test_every_widget_of_the_window_has_a_name(qtbot, tmp_path):
    window = make_window(qtbot, tmp_path)
    assert unnamed(window) == []
    draw_with_mouse(window.canvas, replay(SEVEN))
    assert unnamed(window) == []


def test_the_reading_and_its_probabilities_are_described_as_they_change(qtbot, tmp_path):
    window = make_window(qtbot, tmp_path)
    reading, bars, canvas = window.panel.reading_view, window.panel.bars, window.canvas
    assert reading.accessibleName() == "Reading" and "Nothing read" in reading.accessibleDescription()
    assert canvas.accessibleName() == "Drawing pad" and canvas.accessibleDescription().startswith("empty")
    draw_with_mouse(canvas, replay(SEVEN))
    assert reading.accessibleDescription() == "Read as 7."
    assert bars.accessibleDescription().startswith("7: ")
    assert canvas.accessibleDescription().startswith("1 stroke.")
    window.canvas.clear()
    assert "Nothing read" in reading.accessibleDescription() and bars.accessibleDescription() == "No drawing yet."


def test_left_and_right_select_the_digits_of_a_number(qtbot, tmp_path):
    window = make_window(qtbot, tmp_path, fixed_canvas=False)
    window.canvas.set_drawing(Drawing.of(written_number("1987")))
    window.canvas.setFocus()
    assert window.selected == 3  # the digit written last
    QTest.keyClick(window.canvas, Qt.Key.Key_Left)
    QTest.keyClick(window.canvas, Qt.Key.Key_Left)
    assert window.selected == 1 and window.panel.detail.text().startswith("Digit 2 of 4")
    assert "digit 2 of 4 selected" in window.panel.reading_view.accessibleDescription()
    for _ in range(5):
        QTest.keyClick(window.canvas, Qt.Key.Key_Right)
    assert window.selected == 3  # stays on the last
    window.pen_slider.setFocus()
    before = window.pen_slider.value()
    QTest.keyClick(window.pen_slider, Qt.Key.Key_Left)  # the slider keeps its own keys
    assert window.pen_slider.value() == before - 1 and window.selected == 3
