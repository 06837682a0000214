"""The drawing canvas: mouse and tablet input into a Drawing, painted with Qt.

The screen shows the strokes with QPainter (smooth, anti-aliased, round caps);
the network gets the off-screen `Raster`, kept up to date segment by segment,
so neither display scaling nor a screen grab is ever involved.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QPointF, QRect, QRectF, QSize, Qt, QTimer, Signal
from PySide6.QtGui import (
    QColor,
    QImage,
    QMouseEvent,
    QPainter,
    QPaintEvent,
    QPen,
    QPixmap,
    QTabletEvent,
)
from PySide6.QtWidgets import QSizePolicy, QWidget

from mnist_pad.gui.accessible import announce
from mnist_pad.gui.colours import AMBER, PAPER, SMALL_TEXT_CONTRAST, readable
from mnist_pad.gui.words import counted
from mnist_pad.ink.drawing import CANVAS_ASPECT, Drawing, Point, set_pen_width, usable
from mnist_pad.ink.render import Raster, render
from mnist_pad.ink.segment import Box

#: Live predictions while drawing, at most this often (ms); pen-up predicts at once.
LIVE_INTERVAL_MS = 40
#: The paper in a tall window: at its narrowest, room for four digits written side by side.
MIN_PAPER_ASPECT = 1.5
INK = QColor("#1d1d1f")
#: The empty pad's invitation: quiet, and still 4.5:1 on the paper.
PLACEHOLDER = readable(QColor("#8a8a8a"), PAPER, SMALL_TEXT_CONTRAST)


class DrawingCanvas(QWidget):
    """A wide sheet of paper to write a digit or a number on."""

    #: The drawing changed (throttled while the pen moves, at once on pen-up, undo, clear).
    drawingChanged = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.drawing = Drawing()
        self.raster = Raster(self.drawing.pen_width)
        self._pen_down = False
        self._live_timer = QTimer(self, singleShot=True, interval=LIVE_INTERVAL_MS)
        self._live_timer.timeout.connect(self.drawingChanged)
        #: Digit boxes to outline (canvas units) and which one is selected / unsure.
        self.digit_boxes: list[tuple[Box, bool, bool]] = []
        #: A picture laid over one digit's ink (Look inside's saliency), and that digit's box.
        self.overlay: tuple[Box, QImage] | None = None
        self._sheet: QPixmap | None = None  # paper and ink, see _rebuild_sheet
        #: How far right the ink reaches (canvas units, with the pen): the paper keeps it in view.
        self._ink_right = 0.0
        self.setMinimumSize(round(160 * CANVAS_ASPECT), 160)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self.setCursor(Qt.CursorShape.CrossCursor)
        self.setAttribute(Qt.WidgetAttribute.WA_OpaquePaintEvent)
        self.setToolTip("Write a digit or a number. Ctrl+Z undoes a stroke, Esc clears.")
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)  # its keys (Left/Right select a digit) reach the window
        self.setAccessibleName("Drawing pad")
        self._describe()

    # Geometry: the paper is 1 unit high and, as the widget's shape allows, MIN_PAPER_ASPECT to
    # CANVAS_ASPECT units wide: a tall window gives a taller pad, not an empty band below it. Every
    # point stays in the same units whatever the shape (the raster is always CANVAS_ASPECT wide),
    # and the paper is never narrower than the ink already on it.
    def paper_aspect(self) -> float:
        shape = self.width() / max(self.height(), 1)
        return min(CANVAS_ASPECT, max(MIN_PAPER_ASPECT, self._ink_right, shape))

    def paper_rect(self) -> QRectF:
        aspect = self.paper_aspect()
        height = min(self.height(), self.width() / aspect)
        width = height * aspect
        return QRectF((self.width() - width) / 2, 0, width, height)  # at the top, level with the panel

    def to_widget(self, point: Point) -> QPointF:
        paper = self.paper_rect()
        return QPointF(paper.x() + point[0] * paper.height(), paper.y() + point[1] * paper.height())

    def to_canvas(self, pos: QPointF) -> Point:
        paper = self.paper_rect()
        return ((pos.x() - paper.x()) / paper.height(), (pos.y() - paper.y()) / paper.height())

    def box_rect(self, box: Box) -> QRectF:
        """A digit's box in widget pixels."""
        top_left, bottom_right = self.to_widget((box.left, box.top)), self.to_widget((box.right, box.bottom))
        return QRectF(top_left, bottom_right)

    def _dirty_rect(self, start: Point, end: Point) -> QRect:
        """Widget pixels a segment touches, with its pen: all that needs repainting."""
        pad = self.drawing.pen_width * self.paper_rect().height() / 2 + 2
        a, b = self.to_widget(start), self.to_widget(end)
        left, top = min(a.x(), b.x()), min(a.y(), b.y())
        return QRectF(left - pad, top - pad, abs(a.x() - b.x()) + 2 * pad, abs(a.y() - b.y()) + 2 * pad).toAlignedRect()

    def set_digit_boxes(self, boxes: list[tuple[Box, bool, bool]]) -> None:
        """Outline these digits (box, selected, unsure); an empty list for none.

        Repaints only the outlines that changed: a full repaint after every
        reading would cost more than the reading itself."""
        if boxes == self.digit_boxes:
            return
        shown = lambda outlines: outlines if len(outlines) > 1 else []  # noqa: E731 - one digit: no outline
        changed = set(shown(self.digit_boxes)) ^ set(shown(boxes))
        self.digit_boxes = boxes
        for box, _selected, _unsure in changed:
            self.update(self._outline_rect(box).adjusted(-3, -3, 3, 3).toAlignedRect())

    def set_overlay(self, overlay: tuple[Box, QImage] | None) -> None:
        """Lay an image over the ink in a box (canvas units), stretched to it; None removes it."""
        for shown in (self.overlay, overlay):
            if shown is not None:
                self.update(self.overlay_rect(shown[0]).toAlignedRect().adjusted(-2, -2, 2, 2))
        self.overlay = overlay

    def overlay_rect(self, box: Box) -> QRectF:
        """The ink of a digit's box in widget pixels: its points' box widened by half the pen."""
        half = self.drawing.pen_width * self.paper_rect().height() / 2
        return self.box_rect(box).adjusted(-half, -half, half, half)

    @property
    def pen_down(self) -> bool:
        return self._pen_down

    # Editing
    def set_pen_width(self, width: float) -> None:
        set_pen_width(self.drawing, width)
        self._rerender()

    # Editing while the pen is down ends the stroke first: the moves that follow
    # draw nothing until the next press (never onto another stroke).
    def undo(self) -> None:
        self._pen_down = False
        if self.drawing.undo():
            self._rerender()

    def clear(self) -> None:
        self._pen_down = False
        if not self.drawing.is_empty:
            self.drawing.clear()
            self._rerender()

    def set_drawing(self, drawing: Drawing) -> None:
        self._pen_down = False
        self.drawing = drawing
        self._rerender()

    def sizeHint(self) -> QSize:
        return QSize(round(400 * CANVAS_ASPECT), 400)

    def _rerender(self) -> None:
        self._measure_ink()
        self.raster = render(self.drawing)
        self._sheet = None
        self.update()
        self._emit_now()

    def _emit_now(self) -> None:
        self._live_timer.stop()
        self._describe()
        self.drawingChanged.emit()

    def _describe(self) -> None:
        """The pad's state for a screen reader (what it reads is the panel's to say)."""
        strokes = len(self.drawing.strokes)
        state = counted(strokes, "stroke") if strokes else "empty: write a digit or a number"
        announce(self, f"{state}. Ctrl+Z undoes a stroke, Esc clears.")

    # Input: the mouse and the tablet pen share these three.
    def _press(self, pos: QPointF) -> None:
        point = self.to_canvas(pos)
        if not usable(point):  # a tablet driver with a zero axis range can send an infinity
            return
        self._pen_down = True
        self.drawing.begin_stroke(point)
        self.raster.add_dot(point)
        self._add_ink([point])
        first = len(self.drawing.strokes) == 1  # the placeholder text must go: repaint it all
        self.update(self.rect() if first else self._dirty_rect(point, point))
        self._live_timer.start()

    def _move(self, pos: QPointF, lifting: bool = False) -> None:
        if not self._pen_down:
            return
        point = self.to_canvas(pos)
        if not usable(point):
            return
        previous = self.drawing.strokes[-1][-1]
        if (self.drawing.end_stroke if lifting else self.drawing.add_point)(point):
            self.raster.add_segment(previous, point)
            self._add_ink([previous, point])
            self.update(self._dirty_rect(previous, point))
            if not self._live_timer.isActive():
                self._live_timer.start()

    def _release(self, pos: QPointF) -> None:
        if not self._pen_down:
            return
        self._move(pos, lifting=True)
        self._pen_down = False
        self._emit_now()

    def mousePressEvent(self, event: QMouseEvent) -> None:
        if event.button() == Qt.MouseButton.LeftButton:
            self._press(event.position())

    def mouseMoveEvent(self, event: QMouseEvent) -> None:
        self._move(event.position())

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:
        if event.button() == Qt.MouseButton.LeftButton:
            self._release(event.position())

    def tabletEvent(self, event: QTabletEvent) -> None:
        handler = {
            QEvent.Type.TabletPress: self._press,
            QEvent.Type.TabletMove: self._move,
            QEvent.Type.TabletRelease: self._release,
        }.get(event.type())
        if handler is not None:
            handler(event.position())
            event.accept()  # no synthesised mouse events on top

    # Display
    def paintEvent(self, event: QPaintEvent) -> None:
        with QPainter(self) as painter:  # ended even if painting raises
            self._paint(painter, event)

    def _paint(self, painter: QPainter, event: QPaintEvent) -> None:
        """Copy the dirty part of the sheet, then draw what lies on top of it."""
        sheet = self._sheet_for_size()
        ratio = sheet.devicePixelRatio()
        for rect in event.region():  # type: ignore[attr-defined]  # QRegion iterates its rectangles
            source = QRect(
                round(rect.x() * ratio),
                round(rect.y() * ratio),
                round(rect.width() * ratio),
                round(rect.height() * ratio),
            )
            painter.drawPixmap(rect, sheet, source)
        painter.setClipRegion(event.region())
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        if self.drawing.is_empty:
            painter.setPen(PLACEHOLDER)
            font = painter.font()
            font.setPointSizeF(font.pointSizeF() * 1.3)
            painter.setFont(font)
            painter.drawText(self.paper_rect(), Qt.AlignmentFlag.AlignCenter, "Write a digit, or a number")
        if self.overlay is not None:  # smoothed: the 28x28 grid is not what the person drew
            painter.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform)
            painter.drawImage(self.overlay_rect(self.overlay[0]), self.overlay[1])
        self._paint_digit_boxes(painter)

    # The sheet: paper and ink, painted once into a pixmap. While the pen moves
    # only the new segment is painted into it; a paint event just copies the
    # dirty part, so its cost does not grow with the drawing.
    def _sheet_for_size(self) -> QPixmap:
        ratio = self.devicePixelRatioF()
        if self._sheet is None or self._sheet.size() != self.size() * ratio or self._sheet.devicePixelRatio() != ratio:
            self._rebuild_sheet()
        assert self._sheet is not None  # _rebuild_sheet made it
        return self._sheet

    def _rebuild_sheet(self) -> None:
        ratio = self.devicePixelRatioF()
        sheet = QPixmap(self.size() * ratio)
        sheet.setDevicePixelRatio(ratio)
        sheet.fill(self.palette().window().color())
        with QPainter(sheet) as painter:
            painter.setRenderHint(QPainter.RenderHint.Antialiasing)
            painter.setPen(QPen(self.palette().mid().color(), 1))
            painter.setBrush(PAPER)
            painter.drawRoundedRect(self.paper_rect().adjusted(0.5, 0.5, -0.5, -0.5), 6, 6)
            self._ink_painter_setup(painter)
            for stroke in self.drawing.strokes:
                self._paint_ink(painter, stroke)
        self._sheet = sheet

    def _ink_painter_setup(self, painter: QPainter) -> None:
        paper = self.paper_rect()
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.translate(paper.topLeft())
        painter.scale(paper.height(), paper.height())

    def _paint_ink(self, painter: QPainter, points: list[Point]) -> None:
        """A stroke, or a piece of one, in canvas units (the painter set up by _ink_painter_setup)."""
        width = self.drawing.pen_width
        if len(points) == 1:
            # A round dot the pen's width, as the raster draws it. drawPoint
            # under this scale paints an oblong that spills past the dirty rect.
            painter.setPen(Qt.PenStyle.NoPen)
            painter.setBrush(INK)
            painter.drawEllipse(QPointF(*points[0]), width / 2, width / 2)
            return
        painter.setPen(QPen(INK, width, Qt.PenStyle.SolidLine, Qt.PenCapStyle.RoundCap, Qt.PenJoinStyle.RoundJoin))
        painter.setBrush(Qt.BrushStyle.NoBrush)
        painter.drawPolyline([QPointF(*point) for point in points])

    def _add_ink(self, points: list[Point]) -> None:
        """Paint new ink into the sheet (the rest of it is there already)."""
        if self._sheet is None:
            return  # built whole at the next paint
        with QPainter(self._sheet) as painter:
            self._ink_painter_setup(painter)
            self._paint_ink(painter, points)

    def resizeEvent(self, event) -> None:
        self._sheet = None
        self._measure_ink()  # with what a stroke in progress added
        super().resizeEvent(event)

    def _measure_ink(self) -> None:
        xs = [x for stroke in self.drawing.strokes for x, _ in stroke]
        self._ink_right = max(xs) + self.drawing.pen_width if xs else 0.0

    def changeEvent(self, event) -> None:
        if event.type() == QEvent.Type.PaletteChange:
            self._sheet = None
        super().changeEvent(event)

    def _paint_digit_boxes(self, painter: QPainter) -> None:
        """Light outlines around each digit read, when there is more than one."""
        if len(self.digit_boxes) < 2:
            return
        for box, selected, unsure in self.digit_boxes:
            colour = QColor(AMBER if unsure else self.palette().highlight().color())
            colour.setAlpha(160 if selected else 70)
            painter.setPen(
                QPen(colour, 2 if selected else 1, Qt.PenStyle.SolidLine if selected else Qt.PenStyle.DashLine)
            )
            painter.setBrush(Qt.BrushStyle.NoBrush)
            painter.drawRoundedRect(self._outline_rect(box), 6, 6)

    def _outline_rect(self, box: Box) -> QRectF:
        margin = self.drawing.pen_width * self.paper_rect().height() * 0.3
        return self.box_rect(box).adjusted(-margin, -margin, margin, margin)
