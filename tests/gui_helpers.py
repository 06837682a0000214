"""Drive the real canvas with mouse events, as a person would."""

from __future__ import annotations

from PySide6.QtCore import QPoint, QSettings, Qt
from PySide6.QtTest import QTest

from mnist_pad.drawing import Drawing
from mnist_pad.gui.main_window import MainWindow
from mnist_pad.store import ModelStore
from mnist_pad.strokes import CANVAS_PX

NO_MOD = Qt.KeyboardModifier.NoModifier
LEFT = Qt.MouseButton.LeftButton


def draw_with_mouse(canvas, drawing: Drawing) -> None:
    """Press, move and release along each stroke (points in canvas units)."""
    paper = canvas.paper_rect()
    for stroke in drawing.strokes:
        points = [
            QPoint(round(paper.x() + x * paper.width()), round(paper.y() + y * paper.height())) for x, y in stroke
        ]
        QTest.mousePress(canvas, LEFT, NO_MOD, points[0])
        for point in points[1:]:
            QTest.mouseMove(canvas, point)
        QTest.mouseRelease(canvas, LEFT, NO_MOD, points[-1])


def make_window(qtbot, tmp_path, load: bool = True, fixed_canvas: bool = True) -> MainWindow:
    settings = QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat)
    window = MainWindow(ModelStore(tmp_path / "data"), settings)
    qtbot.addWidget(window)
    window.show()
    if fixed_canvas:  # the paper is the largest square: make it exactly the replay grid
        window.canvas.setFixedSize(CANVAS_PX, CANVAS_PX)
    qtbot.waitExposed(window)
    if load:
        window.load_model(window.store.active())
        qtbot.waitUntil(lambda: window.classifier is not None, timeout=10_000)
    return window
