"""The side panel: what the pad reads, the selected digit's probabilities, and what the network sees."""

from __future__ import annotations

import numpy as np
from PySide6.QtCore import QPointF, QRectF, QSize, Qt, Signal
from PySide6.QtGui import QColor, QFont, QImage, QMouseEvent, QPainter, QPaintEvent, QPen, QPixmap
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QSizePolicy, QVBoxLayout, QWidget

from mnist_pad.gui.accessible import announce
from mnist_pad.gui.colours import SecondaryLabel, accent_text, secondary_text, unsure_text
from mnist_pad.ink.reading import Answer, Reading

PREVIEW_SCALE = 4
HINT = "Wrong? Click the right digit below."


class ProbabilityBars(QWidget):
    """Ten rows: digit, bar, percentage. The answer is drawn in the accent colour;
    everything is muted when the drawing does not look like a digit."""

    digitClicked = Signal(int)
    #: A row's height when there is room; on a small screen (or at 200% scale) rows shrink to MIN_ROW_HEIGHT.
    ROW_HEIGHT = 24
    MIN_ROW_HEIGHT = 13

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.probabilities: np.ndarray | None = None
        self.top: int | None = None
        self.muted = False
        self.setMinimumHeight(self.MIN_ROW_HEIGHT * 10)
        self.setMaximumHeight(self.ROW_HEIGHT * 10)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)
        self.setAccessibleName("Probability of each digit")
        announce(self, "No drawing yet.")

    @property
    def row_height(self) -> float:
        return self.height() / 10

    def sizeHint(self) -> QSize:
        return QSize(260, self.ROW_HEIGHT * 10)

    def set_answer(self, answer: Answer | None) -> None:
        self.probabilities = None if answer is None else answer.digits
        self.top = None if answer is None else answer.digit
        self.muted = answer is not None and answer.digit is None
        self.setToolTip("" if answer is None else "Click a digit to save this drawing as that digit")
        if answer is None:
            announce(self, "No drawing yet.")
        else:
            ranked = sorted(range(len(answer.digits)), key=lambda d: -answer.digits[d])
            announce(
                self, "; ".join(f"{d}: {answer.digits[d]:.0%}" for d in ranked) + ". Alt+digit saves it as that digit."
            )
        self.update()

    def paintEvent(self, event: QPaintEvent) -> None:
        with QPainter(self) as painter:
            painter.setRenderHint(QPainter.RenderHint.Antialiasing)
            palette = self.palette()
            accent = palette.highlight().color()  # the bar's fill
            accent_label = accent_text(palette)  # the answer's digit and percentage
            text = secondary_text(palette) if self.muted else palette.windowText().color()
            digit_w, pct_w, gap = 22, 52, 8
            bar_x = digit_w + gap
            bar_w = max(10, self.width() - bar_x - pct_w - gap)
            font = painter.font()
            row_h = self.row_height
            for digit in range(10):
                y = digit * row_h
                p = 0.0 if self.probabilities is None else float(self.probabilities[digit])
                is_top = digit == self.top
                font.setBold(is_top)
                painter.setFont(font)
                painter.setPen(accent_label if is_top else text)
                painter.drawText(QRectF(0, y, digit_w, row_h), Qt.AlignmentFlag.AlignCenter, str(digit))
                track = QRectF(bar_x, y + row_h / 4, bar_w, row_h / 2)
                painter.setPen(Qt.PenStyle.NoPen)
                painter.setBrush(palette.alternateBase())
                painter.drawRoundedRect(track, 4, 4)
                if bar_w * p >= 2:  # a sliver for tiny values would read as 'something'
                    fill = QRectF(track.x(), track.y(), max(track.height(), bar_w * p), track.height())
                    painter.setBrush(accent if is_top else palette.mid().color())
                    painter.drawRoundedRect(fill, 4, 4)
                painter.setPen(accent_label if is_top else text)
                label = "" if self.probabilities is None else f"{p:.0%}" if p >= 0.01 else "<1%"
                painter.drawText(
                    QRectF(bar_x + bar_w + gap, y, pct_w, row_h),
                    Qt.AlignmentFlag.AlignVCenter | Qt.AlignmentFlag.AlignRight,
                    label,
                )

    def mousePressEvent(self, event: QMouseEvent) -> None:
        digit = int(event.position().y() // self.row_height)
        if self.probabilities is not None and 0 <= digit <= 9:
            self.digitClicked.emit(digit)


class ReadingView(QWidget):
    """The reading, large: "2026". Click a digit to select it; unsure digits are marked."""

    digitSelected = Signal(int)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.text = ""
        self.unsure: list[bool] = []
        self.selected: int | None = None
        self.placeholder = "–"
        font = QFont(self.font())
        font.setPointSizeF(font.pointSizeF() * 3.2)
        font.setBold(True)
        self.setFont(font)
        self.setFixedHeight(self.fontMetrics().height() + 16)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self.setAccessibleName("Reading")
        announce(self, "Nothing read yet.")

    def set_reading(self, text: str, unsure: list[bool], selected: int | None, placeholder: str = "–") -> None:
        self.text, self.unsure, self.selected, self.placeholder = text, unsure, selected, placeholder
        self.setToolTip("Click a digit to see its probabilities" if len(text) > 1 else "")
        if not text:
            announce(self, "Nothing read yet.")
        else:
            said = "not a digit" if text == "?" else text
            doubtful = [text[i] for i, u in enumerate(unsure) if u and i < len(text)]
            if doubtful:
                said += f", not sure of {', '.join(doubtful)}"
            if len(text) > 1 and selected is not None:
                said += f"; digit {selected + 1} of {len(text)} selected (Left and Right select another)"
            announce(self, f"Read as {said}.")
        self.update()

    def cells(self) -> list[QRectF]:
        """One rectangle per character, the row centred; shrunk to fit a long number."""
        metrics = self.fontMetrics()
        widest = max(metrics.horizontalAdvance("0"), metrics.horizontalAdvance("?")) + 6
        advance = min(float(widest), self.width() / max(len(self.text), 1))
        left = (self.width() - advance * len(self.text)) / 2
        return [QRectF(left + i * advance, 0, advance, self.height()) for i in range(len(self.text))]

    def paintEvent(self, event: QPaintEvent) -> None:
        with QPainter(self) as painter:
            painter.setRenderHint(QPainter.RenderHint.Antialiasing)
            palette = self.palette()
            if not self.text:
                painter.setPen(secondary_text(palette))
                painter.drawText(self.rect(), Qt.AlignmentFlag.AlignCenter, self.placeholder)
                return
            font = painter.font()
            cells = self.cells()
            if cells and cells[0].width() < self.fontMetrics().horizontalAdvance("0"):
                font.setPointSizeF(font.pointSizeF() * cells[0].width() / self.fontMetrics().horizontalAdvance("0"))
                painter.setFont(font)
            for i, (char, cell) in enumerate(zip(self.text, cells, strict=True)):
                if i == self.selected and len(self.text) > 1:  # the digit the bars show: plainly marked
                    wash = QColor(palette.highlight().color())
                    wash.setAlphaF(0.18)
                    painter.setPen(QPen(palette.highlight().color(), 2))
                    painter.setBrush(wash)
                    painter.drawRoundedRect(cell.adjusted(2, 4, -2, -4), 6, 6)
                unsure = i < len(self.unsure) and self.unsure[i]
                if unsure:
                    painter.setPen(unsure_text(palette))
                else:
                    painter.setPen(secondary_text(palette) if char == "?" else palette.windowText().color())
                painter.drawText(cell, Qt.AlignmentFlag.AlignCenter, char)
                if unsure:
                    painter.setPen(QPen(unsure_text(palette), 2, Qt.PenStyle.DotLine))
                    y = cell.bottom() - 8
                    painter.drawLine(QPointF(cell.left() + 6, y), QPointF(cell.right() - 6, y))

    def mousePressEvent(self, event: QMouseEvent) -> None:
        for i, cell in enumerate(self.cells()):
            if cell.contains(event.position()):
                self.digitSelected.emit(i)
                return


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


#: A runner-up less likely than this is not named as the alternative ("or 2 (0%)").
ALTERNATIVE_AT = 0.05


def describe(answer: Answer) -> str:
    """One line about one digit's answer."""
    if answer.digit is None:
        return "Not a digit."
    ranked = np.argsort(answer.digits)[::-1]
    if answer.unsure:
        # The runner-up: another digit, or "not a digit", whichever is likelier; one under
        # ALTERNATIVE_AT is no alternative, and is not offered as one.
        second = int(ranked[1])
        likeliest, chance = (
            ("not a digit", answer.not_a_digit)
            if answer.not_a_digit > answer.digits[second]
            else (str(second), float(answer.digits[second]))
        )
        first = f"{answer.digit} ({answer.confidence:.0%})"
        return (
            f"Not sure:<br>{first} or {likeliest} ({chance:.0%})"
            if chance >= ALTERNATIVE_AT
            else f"Not sure:<br>{first}"
        )
    return f"{answer.confidence:.0%} sure"


class PredictionPanel(QFrame):
    """The reading, the selected digit's confidence, bars and the network's view of it."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.reading_view = ReadingView()
        self.detail = QLabel(alignment=Qt.AlignmentFlag.AlignCenter, wordWrap=True, textFormat=Qt.TextFormat.RichText)
        detail_font = QFont(self.font())
        detail_font.setPointSizeF(detail_font.pointSizeF() * 1.15)
        self.detail.setFont(detail_font)
        self.detail.setMinimumHeight(self.detail.fontMetrics().lineSpacing() * 2 + 4)  # two lines, never squeezed
        self.bars = ProbabilityBars()
        self.preview = QLabel(alignment=Qt.AlignmentFlag.AlignCenter)
        self.preview.setFixedSize(28 * PREVIEW_SCALE + 2, 28 * PREVIEW_SCALE + 2)
        self.preview.setStyleSheet("border: 1px solid palette(mid);")
        self.preview.setAccessibleName("The network's view: the 28 by 28 image it reads")
        caption = SecondaryLabel("Network's view", alignment=Qt.AlignmentFlag.AlignCenter)
        caption.setToolTip("The 28×28 image the network reads: cropped, scaled to 20×20, centred by mass, as MNIST")

        self.hint = SecondaryLabel(HINT, wordWrap=True)
        self.hint.setToolTip("Or press Alt+digit. The selected digit is saved as that digit, to learn from.")
        keep_place = self.hint.sizePolicy()
        keep_place.setRetainSizeWhenHidden(True)  # the layout must not jump when the hint comes and goes
        self.hint.setSizePolicy(keep_place)
        self.detail.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)

        # The network's view beside the words about it; the bars below.
        about = QVBoxLayout()
        about.addStretch(1)
        about.addWidget(self.detail)
        about.addWidget(self.hint)
        about.addStretch(1)
        view = QVBoxLayout()
        view.addWidget(self.preview)
        view.addWidget(caption)
        row = QHBoxLayout()
        row.addLayout(view)
        row.addSpacing(8)
        row.addLayout(about, 1)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(16, 8, 16, 8)
        layout.setSpacing(8)
        layout.addWidget(self.reading_view)
        layout.addLayout(row)
        layout.addSpacing(4)
        layout.addWidget(self.bars)
        layout.addStretch(1)
        # A fixed width: text of another length must never resize the canvas (a resize repaints it all).
        self.setFixedWidth(320)
        self.setAccessibleName("What the network reads")
        self.reading: Reading | None = None
        self.selected: int | None = None
        self.show_message("…", "Loading the model…")

    @property
    def verdict_text(self) -> str:
        """What the large answer shows."""
        return self.reading_view.text or self.reading_view.placeholder

    def show_message(self, big: str, text: str, image: np.ndarray | None = None) -> None:
        """No reading to show: an empty canvas, a speck, or no model yet."""
        self.prediction: int | None = None
        self.image = image
        self.reading, self.selected = None, None
        self.reading_view.set_reading("", [], None, big)
        self.detail.setText(text)
        self.hint.hide()  # nothing to correct: and "A digit after all?" must not outlive its drawing
        self.bars.set_answer(None)
        self.preview.setPixmap(preview_pixmap(image))

    def show_reading(self, reading: Reading, selected: int, note: str = "") -> None:
        """Show the whole reading; the bars and the preview follow digit `selected`."""
        self.reading, self.selected = reading, selected
        digit = reading.digits[selected]
        self.prediction = digit.answer.digit
        self.image = digit.image
        self.reading_view.set_reading(reading.text, [d.answer.unsure for d in reading.digits], selected)
        prefix = f"Digit {selected + 1} of {len(reading.digits)}:<br>" if len(reading.digits) > 1 else ""
        self.detail.setText(prefix + describe(digit.answer) + (f"<br>{note}" if note else ""))
        self.hint.setText("A digit after all? Click it below." if digit.answer.digit is None else HINT)
        self.hint.show()
        self.bars.set_answer(digit.answer)
        self.preview.setPixmap(preview_pixmap(digit.image))
