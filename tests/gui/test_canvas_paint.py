"""What incremental painting leaves on screen must equal a full repaint.

`widget.grab()` repaints everything and would hide a stale or clipped dot, so
the screen is read with QScreen.grabWindow (which works offscreen).
"""

import numpy as np
import pytest
from helpers import LEFT, NO_MOD
from PySide6.QtCore import QPoint, QRect
from PySide6.QtGui import QImage
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QWidget


def on_screen(widget: QWidget) -> np.ndarray:
    """The widget's pixels as the screen holds them now, with no repaint."""
    QApplication.processEvents()
    top_left = widget.mapTo(widget.window(), QPoint(0, 0))
    pixmap = widget.screen().grabWindow(
        widget.window().winId(), top_left.x(), top_left.y(), widget.width(), widget.height()
    )
    return image_array(pixmap.toImage())


def fully_repainted(widget: QWidget) -> np.ndarray:
    widget.repaint()
    return on_screen(widget)


def image_array(image: QImage) -> np.ndarray:
    image = image.convertToFormat(QImage.Format.Format_RGB32)
    return np.array(image.constBits(), dtype=np.uint8).reshape(image.height(), image.bytesPerLine())[
        :, : image.width() * 4
    ]


def assert_same_pixels(incremental: np.ndarray, full: np.ndarray) -> None:
    assert incremental.shape == full.shape
    differing = (
        int((incremental != full).any(axis=-1).sum()) if incremental.ndim == 3 else int((incremental != full).sum())
    )
    assert differing == 0, f"{differing} bytes differ between incremental painting and a full repaint"


def test_a_click_leaves_the_same_dot_as_a_full_repaint(qtbot, window_factory):
    window = window_factory(load=False)
    canvas = window.canvas
    centre = canvas.rect().center()
    for offset in (QPoint(-60, 20), QPoint(40, -30)):  # the first dot repaints everything, the second its rect
        QTest.mouseClick(canvas, LEFT, NO_MOD, centre + offset)
        QApplication.processEvents()  # paint after each event, as on a real display
    incremental = on_screen(canvas)
    assert_same_pixels(incremental, fully_repainted(canvas))
    # Each dot is round, the pen's width across both ways (drawPoint once painted an oblong).
    ink = incremental.reshape(incremental.shape[0], -1, 4)[..., :3].max(axis=-1) < 100
    pen_px = canvas.drawing.pen_width * canvas.paper_rect().height()
    for offset in (QPoint(-60, 20), QPoint(40, -30)):
        x, y = (centre + offset).x(), (centre + offset).y()
        around = ink[y - 40 : y + 40, x - 40 : x + 40]
        rows, cols = np.nonzero(around)
        height, width = np.ptp(rows) + 1, np.ptp(cols) + 1
        assert abs(width - height) <= 2 and abs(width - pen_px) <= 3, (width, height, pen_px)


def test_a_first_stroke_leaves_the_same_pixels_as_a_full_repaint(qtbot, window_factory):
    window = window_factory(load=False)
    canvas = window.canvas
    start = canvas.rect().center() + QPoint(-50, -50)
    QTest.mousePress(canvas, LEFT, NO_MOD, start)
    QApplication.processEvents()  # paint after each event, as on a real display
    for step in range(1, 12):
        QTest.mouseMove(canvas, start + QPoint(step, step * 9))
        QApplication.processEvents()
    QTest.mouseRelease(canvas, LEFT, NO_MOD, start + QPoint(11, 99))
    incremental = on_screen(canvas)
    assert_same_pixels(incremental, fully_repainted(canvas))


def test_panel_parts_do_not_overlap_at_the_default_size(qtbot, window_factory):
    window = window_factory(load=False, fixed_canvas=False)
    window.resize(1180, 540)  # the default size (no saved geometry)
    QApplication.processEvents()
    panel = window.panel

    def rect(widget):
        return QRect(widget.mapTo(panel, QPoint(0, 0)), widget.size())

    reading, preview, detail, hint, bars = (
        rect(w) for w in (panel.reading_view, panel.preview, panel.detail, panel.hint, panel.bars)
    )
    assert reading.bottom() < min(preview.top(), detail.top())
    assert detail.bottom() < hint.top() and preview.right() < detail.left()
    assert max(preview.bottom(), hint.bottom()) < bars.top()
    assert bars.height() >= panel.bars.ROW_HEIGHT * 10
    assert bars.bottom() <= panel.height()


def test_the_canvas_drops_a_point_at_infinity(qtbot):
    import math

    from PySide6.QtCore import QPointF

    from mnist_pad.gui.canvas import DrawingCanvas

    canvas = DrawingCanvas()
    qtbot.addWidget(canvas)
    canvas.resize(500, 200)
    canvas._press(QPointF(math.inf, 50))  # as a tablet event would bring it
    assert canvas.drawing.is_empty
    canvas._press(QPointF(50, 50))
    canvas._move(QPointF(math.nan, 80))
    canvas._move(QPointF(60, 150))
    canvas._release(QPointF(60, 150))
    assert len(canvas.drawing.strokes) == 1
    assert all(math.isfinite(v) for p in canvas.drawing.strokes[0] for v in p)


def test_the_pad_takes_the_room_a_tall_window_gives_it_and_keeps_its_ink_in_view(qtbot):
    """Issue 36: in a 1596x940 window the pad stayed about 330 px tall, the lower half empty."""
    from mnist_pad.gui.canvas import MIN_PAPER_ASPECT, DrawingCanvas
    from mnist_pad.ink.drawing import CANVAS_ASPECT, Drawing

    canvas = DrawingCanvas()
    qtbot.addWidget(canvas)
    canvas.resize(1240, 800)
    paper = canvas.paper_rect()
    assert paper.width() == 1240 and paper.height() == 800  # all of it
    canvas.resize(1000, 400)
    assert canvas.paper_rect().width() == 1000 and canvas.paper_rect().height() == 400  # as wide as ever: 2.5
    canvas.resize(600, 900)
    assert canvas.paper_rect().width() / canvas.paper_rect().height() == MIN_PAPER_ASPECT
    canvas.set_drawing(Drawing.of([[(0.1, 0.5), (2.3, 0.5)]]))  # a long number, written on a wide pad
    assert canvas.paper_rect().width() / canvas.paper_rect().height() >= 2.3
    assert canvas.to_canvas(canvas.to_widget((2.3, 0.5))) == pytest.approx((2.3, 0.5))
    assert canvas.paper_rect().width() / canvas.paper_rect().height() <= CANVAS_ASPECT
