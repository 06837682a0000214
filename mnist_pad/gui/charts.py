"""The retrain dialog's two pictures: accuracy per epoch, and where digits were confused."""

from __future__ import annotations

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QColor, QPainter, QPaintEvent, QPen
from PySide6.QtWidgets import QWidget

ACCENT = QColor("#2a82da")
WRONG = QColor("#d9534f")


class LearningCurve(QWidget):
    """Training accuracy as it goes (within an epoch too) and test accuracy after each epoch, over
    the whole training: the first line shows from the first report, not after a whole epoch."""

    #: At most this many training points are kept: one every 1/POINTS of the run.
    POINTS = 200

    def __init__(self) -> None:
        super().__init__()
        self.epochs = 1
        self.train: list[tuple[float, float]] = []  # (epochs done, accuracy)
        self.test: list[tuple[float, float]] = []
        self.setMinimumHeight(110)

    @property
    def test_accuracy(self) -> list[float]:
        return [accuracy for _, accuracy in self.test]

    def clear(self, epochs: int = 1) -> None:
        self.epochs = max(epochs, 1)
        self.train.clear()
        self.test.clear()
        self.update()

    def add_progress(self, done: float, train: float, test: float | None = None) -> None:
        """`done`: epochs done so far (fractional); `test` at an epoch's end."""
        if not self.train or done - self.train[-1][0] >= self.epochs / self.POINTS or test is not None:
            self.train.append((done, train))
        if test is not None:
            self.test.append((done, test))
        self.update()

    def paintEvent(self, event: QPaintEvent) -> None:
        with QPainter(self) as painter:
            painter.setRenderHint(QPainter.RenderHint.Antialiasing)
            area = QRectF(self.rect()).adjusted(34, 8, -8, -16)
            painter.setPen(self.palette().mid().color())
            painter.drawRect(area)
            values = [accuracy for _, accuracy in self.train + self.test]
            low = min([*values, 0.95]) if values else 0.9
            painter.setPen(self.palette().text().color())
            painter.drawText(QRectF(0, area.top() - 6, 32, 14), Qt.AlignmentFlag.AlignRight, "100%")
            painter.drawText(QRectF(0, area.bottom() - 8, 32, 14), Qt.AlignmentFlag.AlignRight, f"{low:.0%}")
            painter.drawText(
                QRectF(area.left(), area.bottom() + 1, area.width(), 14),
                Qt.AlignmentFlag.AlignCenter,
                f"accuracy over {self.epochs} epoch{'s' if self.epochs > 1 else ''}: training (gray), test (blue)",
            )
            for series, color in ((self.train, self.palette().mid().color()), (self.test, ACCENT)):
                points = [
                    QPointF(
                        area.left() + area.width() * min(done / self.epochs, 1.0),
                        area.bottom() - area.height() * (value - low) / (1 - low or 1),
                    )
                    for done, value in series
                ]
                painter.setPen(QPen(color, 2))
                if len(points) == 1:
                    painter.drawEllipse(points[0], 2, 2)
                painter.drawPolyline(points)


class ConfusionView(QWidget):
    """A confusion matrix, darker where more digits fell; a last "?" column for "not a digit"."""

    CELL = 22

    def __init__(self, title: str, confusion: list[list[int]]) -> None:
        super().__init__()
        self.title, self.confusion = title, confusion
        columns = max((len(row) for row in confusion), default=10)
        self.labels = [str(d) for d in range(10)] + ["?"] * (columns - 10)
        self.setFixedSize(self.CELL * (columns + 1), self.CELL * (len(confusion) + 1) + 18)

    def paintEvent(self, event: QPaintEvent) -> None:
        with QPainter(self) as painter:
            font = painter.font()
            font.setPointSizeF(font.pointSizeF() * 0.75)
            painter.setFont(font)
            painter.drawText(QRectF(0, 0, self.width(), 16), Qt.AlignmentFlag.AlignCenter, self.title)
            c, top = self.CELL, 18
            for d, label in enumerate(self.labels):  # truth down the side, prediction across the top
                if d < len(self.confusion):
                    painter.drawText(QRectF(0, top + c * (d + 1), c, c), Qt.AlignmentFlag.AlignCenter, label)
                painter.drawText(QRectF(c * (d + 1), top, c, c), Qt.AlignmentFlag.AlignCenter, label)
            for t, row in enumerate(self.confusion):
                total = sum(row) or 1
                for p, count in enumerate(row):
                    cell = QRectF(c * (p + 1), top + c * (t + 1), c, c)
                    color = QColor(ACCENT if t == p else WRONG)
                    color.setAlphaF(min(1.0, count / total * (1 if t == p else 20)) * 0.8)
                    painter.fillRect(cell, color)
                    if count and t != p:
                        painter.drawText(cell, Qt.AlignmentFlag.AlignCenter, str(count))
