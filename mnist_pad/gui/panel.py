"""The side panel: the verdict, ten probability bars, and what the network sees."""

from __future__ import annotations

import numpy as np
from PySide6.QtCore import QRectF, QSize, Qt, Signal
from PySide6.QtGui import QFont, QImage, QMouseEvent, QPainter, QPaintEvent, QPixmap
from PySide6.QtWidgets import QFrame, QLabel, QSizePolicy, QVBoxLayout, QWidget

#: Below this top probability the panel says the model is unsure.
UNSURE_BELOW = 0.6
PREVIEW_SCALE = 4


class ProbabilityBars(QWidget):
    """Ten rows: digit, bar, percentage. The top class is drawn in the accent colour."""

    digitClicked = Signal(int)
    ROW_HEIGHT = 24

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.probabilities: np.ndarray | None = None
        self.setMinimumHeight(self.ROW_HEIGHT * 10)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)

    def sizeHint(self) -> QSize:
        return QSize(260, self.ROW_HEIGHT * 10)

    def set_probabilities(self, probabilities: np.ndarray | None) -> None:
        self.probabilities = probabilities
        self.setToolTip("" if probabilities is None else "Click a digit to save this drawing as that digit")
        self.update()

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        palette = self.palette()
        top = None if self.probabilities is None else int(np.argmax(self.probabilities))
        digit_w, pct_w, gap = 22, 52, 8
        bar_x = digit_w + gap
        bar_w = max(10, self.width() - bar_x - pct_w - gap)
        font = painter.font()
        for digit in range(10):
            y = digit * self.ROW_HEIGHT
            p = 0.0 if self.probabilities is None else float(self.probabilities[digit])
            is_top = digit == top
            font.setBold(is_top)
            painter.setFont(font)
            painter.setPen(palette.highlight().color() if is_top else palette.text().color())
            row = QRectF(0, y, digit_w, self.ROW_HEIGHT)
            painter.drawText(row, Qt.AlignmentFlag.AlignCenter, str(digit))
            track = QRectF(bar_x, y + 6, bar_w, self.ROW_HEIGHT - 12)
            painter.setPen(Qt.PenStyle.NoPen)
            painter.setBrush(palette.alternateBase())
            painter.drawRoundedRect(track, 4, 4)
            if bar_w * p >= 2:  # a sliver for tiny values would read as 'something'
                fill = QRectF(track.x(), track.y(), max(track.height(), bar_w * p), track.height())
                color = palette.highlight().color() if is_top else palette.mid().color()
                painter.setBrush(color)
                painter.drawRoundedRect(fill, 4, 4)
            painter.setPen(palette.highlight().color() if is_top else palette.text().color())
            label = "" if self.probabilities is None else f"{p:.0%}" if p >= 0.01 else "<1%"
            painter.drawText(
                QRectF(bar_x + bar_w + gap, y, pct_w, self.ROW_HEIGHT),
                Qt.AlignmentFlag.AlignVCenter | Qt.AlignmentFlag.AlignRight,
                label,
            )

    def mousePressEvent(self, event: QMouseEvent) -> None:
        digit = int(event.position().y() // self.ROW_HEIGHT)
        if 0 <= digit <= 9:
            self.digitClicked.emit(digit)


def preview_pixmap(image: np.ndarray | None, scale: int = PREVIEW_SCALE) -> QPixmap:
    """The 28x28 input, enlarged with hard pixel edges, white ink on black like MNIST."""
    pixels = np.zeros((28, 28), np.uint8) if image is None else (image * 255).astype(np.uint8)
    pixels = np.ascontiguousarray(pixels)
    qimage = QImage(pixels.data, 28, 28, 28, QImage.Format.Format_Grayscale8).copy()
    return QPixmap.fromImage(qimage).scaled(
        28 * scale,
        28 * scale,
        Qt.AspectRatioMode.IgnoreAspectRatio,
        Qt.TransformationMode.FastTransformation,
    )


class PredictionPanel(QFrame):
    """Verdict, confidence, bars and the network's view of the drawing."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.verdict = QLabel(alignment=Qt.AlignmentFlag.AlignCenter)
        verdict_font = QFont(self.font())
        verdict_font.setPointSizeF(verdict_font.pointSizeF() * 4.2)
        verdict_font.setBold(True)
        self.verdict.setFont(verdict_font)
        self.verdict.setMinimumHeight(76)
        self.detail = QLabel(alignment=Qt.AlignmentFlag.AlignCenter, wordWrap=True)
        detail_font = QFont(self.font())
        detail_font.setPointSizeF(detail_font.pointSizeF() * 1.15)
        self.detail.setFont(detail_font)
        self.bars = ProbabilityBars()
        self.preview = QLabel(alignment=Qt.AlignmentFlag.AlignCenter)
        self.preview.setFixedSize(28 * PREVIEW_SCALE + 2, 28 * PREVIEW_SCALE + 2)
        self.preview.setStyleSheet("border: 1px solid palette(mid);")
        caption = QLabel("What the network sees (28×28)", alignment=Qt.AlignmentFlag.AlignCenter)
        caption.setEnabled(False)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(16, 12, 16, 12)
        layout.setSpacing(8)
        layout.addWidget(self.verdict)
        layout.addWidget(self.detail)
        layout.addSpacing(8)
        layout.addWidget(self.bars)
        # One short line: a wrapped label's height-for-width let the layout squeeze it over the bars.
        self.hint = QLabel("Wrong? Click the right digit.", alignment=Qt.AlignmentFlag.AlignCenter)
        self.hint.setToolTip("Or press Alt+digit. The drawing is saved as that digit, to learn from.")
        self.hint.setEnabled(False)
        layout.addWidget(self.hint)
        layout.addStretch(1)
        layout.addWidget(self.preview, alignment=Qt.AlignmentFlag.AlignHCenter)
        layout.addWidget(caption)
        self.setMinimumWidth(280)
        self.show_message("…", "Loading the model…")

    def show_message(self, big: str, text: str, image: np.ndarray | None = None) -> None:
        """No prediction to show: an empty canvas, a speck, or no model yet."""
        self.prediction: int | None = None
        self.image = image
        self.verdict.setText(big)
        self.verdict.setEnabled(False)
        self.detail.setText(text)
        self.bars.set_probabilities(None)
        self.preview.setPixmap(preview_pixmap(image))

    def show_prediction(self, probabilities: np.ndarray, image: np.ndarray) -> None:
        ranked = np.argsort(probabilities)[::-1]
        top, second = int(ranked[0]), int(ranked[1])
        confidence = float(probabilities[top])
        self.prediction = top
        self.image = image
        self.verdict.setEnabled(True)
        if confidence >= UNSURE_BELOW:
            self.verdict.setText(str(top))
            self.detail.setText(f"{confidence:.0%} sure")
        else:
            self.verdict.setText(f"{top}?")
            self.detail.setText(f"Not sure: {top} ({confidence:.0%}) or {second} ({probabilities[second]:.0%})")
        self.bars.set_probabilities(probabilities)
        self.preview.setPixmap(preview_pixmap(image))
