"""Look inside: the selected digit as the network's stages see it, and where its answer comes from.

Paints what `model.inside.Inspector` computed (on InsideWorker's thread); this
module only turns arrays into pictures. Feature maps share one colour scale
per stage, so a bright map is a strong response compared with its
neighbours; click one to see it large with its filter.
"""

from __future__ import annotations

import numpy as np
from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QPointF, QRectF, QSize, Qt, Signal
from PySide6.QtGui import QColor, QImage, QMouseEvent, QPainter, QPaintEvent, QPen, QPixmap
from PySide6.QtWidgets import (
    QCheckBox,
    QFileDialog,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QScrollArea,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from mnist_pad.files import atomic
from mnist_pad.files.naming import with_suffix
from mnist_pad.gui import notices
from mnist_pad.gui.colours import SecondaryLabel, accent_text, blend
from mnist_pad.gui.panel import preview_pixmap
from mnist_pad.ink.reading import DIGITS, NOT_A_DIGIT
from mnist_pad.model.extras import tensorflow_missing
from mnist_pad.model.inside import DENSE, INPUT, OUTPUT, Inside, Stage

#: Viridis at five stops (dark blue, blue, teal, green, yellow): ordered in lightness, readable in grey.
_STOPS = np.array([[68, 1, 84], [59, 82, 139], [33, 145, 140], [94, 201, 98], [253, 231, 37]], np.float32)
LUT = np.stack([np.interp(np.linspace(0, 4, 256), np.arange(5), _STOPS[:, c]) for c in range(3)], 1).astype(np.uint8)
PICTURE_SCALE = 4  # the 28x28 pictures at 112 px
PATH_CAPTION = (
    "The path: {n} points spaced evenly along your ink, in the order you drew them (light to dark), "
    "with the direction the pen moved; a ring marks where the pen was put down again."
)
SALIENCY_CAPTION = (
    "Where the answer comes from (integrated gradients): red pixels raised the picture's vote for "
    "{answer}, blue ones lowered it."
)


def class_name(index: int) -> str:
    return "not a digit" if index == NOT_A_DIGIT else str(index)


def rgb_image(pixels: np.ndarray) -> QImage:
    """(h, w, 3) uint8 as a QImage that owns its copy."""
    pixels = np.ascontiguousarray(pixels, np.uint8)
    h, w, _ = pixels.shape
    return QImage(pixels.data, w, h, 3 * w, QImage.Format.Format_RGB888).copy()


def coloured(values: np.ndarray, top: float) -> QImage:
    """A map of values from 0 to `top` in viridis (values below 0 as 0)."""
    index = np.clip(values / top if top > 0 else values * 0, 0, 1) * 255
    return rgb_image(LUT[index.astype(np.uint8)])


def saliency_rgba(saliency: np.ndarray) -> np.ndarray:
    """(h, w, 4) uint8: red where the pixels raised the vote, blue where they lowered it, clear elsewhere."""
    top = float(np.abs(saliency).max()) or 1.0
    strength = np.clip(np.abs(saliency) / top, 0, 1)
    rgba = np.zeros((*saliency.shape, 4), np.uint8)
    rgba[..., 0] = np.where(saliency > 0, 215, 30)
    rgba[..., 1] = np.where(saliency > 0, 48, 100)
    rgba[..., 2] = np.where(saliency > 0, 39, 230)
    rgba[..., 3] = (np.sqrt(strength) * 230).astype(np.uint8)  # sqrt: faint evidence stays visible
    return rgba


def saliency_over(image: np.ndarray, saliency: np.ndarray) -> QImage:
    """The saliency laid over the input, dimmed so the colours carry."""
    base = np.repeat((image[..., None] * 110 + 20).astype(np.float32), 3, axis=2)
    rgba = saliency_rgba(saliency).astype(np.float32)
    alpha = rgba[..., 3:] / 255
    return rgb_image(base * (1 - alpha) + rgba[..., :3] * alpha)


def big(image: QImage, scale: int = PICTURE_SCALE) -> QPixmap:
    return QPixmap.fromImage(image).scaled(
        image.width() * scale,
        image.height() * scale,
        Qt.AspectRatioMode.IgnoreAspectRatio,
        Qt.TransformationMode.FastTransformation,
    )


class FeatureMaps(QWidget):
    """Every map of a stage in a grid; click one to zoom."""

    mapClicked = Signal(int)
    #: Maps per row: eight of a large map, sixteen of a small one (a 3x3 map needs no more room).
    COLUMNS, SMALL_MAP_COLUMNS, SMALL_MAP = 8, 16, 5

    def __init__(self, stage: Stage, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.selected: int | None = None
        self.count, self.columns = 0, self.COLUMNS
        self.set_stage(stage)
        policy = QSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)
        policy.setHeightForWidth(True)
        self.setSizePolicy(policy)
        self.setCursor(Qt.CursorShape.PointingHandCursor)
        self.setToolTip("Click a map to see it large, with its filter")

    def set_stage(self, stage: Stage) -> None:
        """All maps coloured at once, laid side by side in one image: one QImage per stage, not per map."""
        maps = stage.values
        height, width, self.count = maps.shape
        self.columns = self.SMALL_MAP_COLUMNS if max(height, width) <= self.SMALL_MAP else self.COLUMNS
        spare = self.rows * self.columns - self.count
        tiles = np.concatenate([maps, np.zeros((height, width, spare), maps.dtype)], axis=2)
        tiles = tiles.reshape(height, width, self.rows, self.columns).transpose(2, 0, 3, 1)
        self.atlas = coloured(tiles.reshape(self.rows * height, self.columns * width), float(maps.max()))
        self.tile = (width, height)
        self.update()

    @property
    def rows(self) -> int:
        return -(-self.count // self.columns)

    def source_rect(self, index: int) -> QRectF:
        row, column = divmod(index, self.columns)
        width, height = self.tile
        return QRectF(column * width, row * height, width, height)

    def cell(self, width: int | None = None) -> float:
        return (width if width is not None else self.width()) / self.columns

    def hasHeightForWidth(self) -> bool:
        return True

    def heightForWidth(self, width: int) -> int:
        return round(self.rows * self.cell(width))

    def sizeHint(self) -> QSize:
        return QSize(360, self.heightForWidth(360))

    def map_rect(self, index: int) -> QRectF:
        cell = self.cell()
        row, column = divmod(index, self.columns)
        return QRectF(column * cell + 1, row * cell + 1, cell - 2, cell - 2)

    def paintEvent(self, event: QPaintEvent) -> None:
        with QPainter(self) as painter:
            for i in range(self.count):
                painter.drawImage(self.map_rect(i), self.atlas, self.source_rect(i))
            if self.selected is not None and self.selected < self.count:
                painter.setPen(QPen(self.palette().highlight().color(), 2))
                painter.drawRect(self.map_rect(self.selected).adjusted(-1, -1, 1, 1))

    def mousePressEvent(self, event: QMouseEvent) -> None:
        for i in range(self.count):
            if self.map_rect(i).contains(event.position()):
                self.selected = None if self.selected == i else i
                self.update()
                self.mapClicked.emit(i)
                return


class VoteBars(QWidget):
    """Signed bars, one per class: a dense layer's votes, or probabilities."""

    ROW = 16

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.values = np.zeros(0)
        self.highlight: int | None = None
        self.percent = False
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)

    def set_values(self, values: np.ndarray, highlight: int | None, percent: bool = False) -> None:
        """`percent`: probabilities, shown as such; else signed votes."""
        self.values, self.highlight, self.percent = np.asarray(values, np.float32), highlight, percent
        self.setFixedHeight(self.ROW * max(1, min(len(self.values), DIGITS + 1)))
        self.update()

    def paintEvent(self, event: QPaintEvent) -> None:
        values = self.values[: DIGITS + 1]
        if not len(values):
            return
        with QPainter(self) as painter:
            palette = self.palette()
            label_w, number_w = 84, 56
            span = float(np.abs(values).max()) or 1.0
            bar_w = max(10.0, self.width() - label_w - number_w)
            zero = label_w + (bar_w / 2 if values.min() < 0 else 0)
            scale = (bar_w / 2 if values.min() < 0 else bar_w) / span
            for i, value in enumerate(values):
                y = i * self.ROW
                chosen = i == self.highlight
                text = accent_text(palette) if chosen else palette.windowText().color()
                painter.setPen(text)
                font = painter.font()
                font.setBold(chosen)
                painter.setFont(font)
                painter.drawText(QRectF(0, y, label_w - 6, self.ROW), Qt.AlignmentFlag.AlignRight, class_name(i))
                colour = palette.highlight().color() if chosen else palette.mid().color()
                width = float(value) * scale
                painter.fillRect(QRectF(min(zero, zero + width), y + 3, abs(width), self.ROW - 6), colour)
                painter.drawText(
                    QRectF(label_w + bar_w + 4, y, number_w - 4, self.ROW),
                    Qt.AlignmentFlag.AlignLeft,
                    f"{value:.0%}" if self.percent else f"{value:+.1f}",
                )


class PathPicture(QWidget):
    """The path the network reads: its points in drawing order, with their direction."""

    SIZE = 28 * PICTURE_SCALE

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.path: np.ndarray | None = None
        self.setFixedSize(self.SIZE, self.SIZE)

    def set_path(self, path: np.ndarray | None) -> None:
        self.path = path
        self.update()

    def paintEvent(self, event: QPaintEvent) -> None:
        with QPainter(self) as painter:
            painter.fillRect(self.rect(), QColor("#14141a"))
            path = self.path
            if path is None or not np.any(path):
                painter.setPen(QColor("#e8e8e8"))
                painter.drawText(self.rect(), Qt.AlignmentFlag.AlignCenter | Qt.TextFlag.TextWordWrap, "no path")
                return
            painter.setRenderHint(QPainter.RenderHint.Antialiasing)
            margin, side = 10.0, self.SIZE - 20.0
            points = [QPointF(margin + (x + 0.5) * side, margin + (y + 0.5) * side) for x, y in path[:, :2]]
            first, last = QColor("#ffe27a"), QColor("#e8431e")  # light yellow, then deep orange
            for i, point in enumerate(points):
                colour = blend(last, first, i / max(1, len(points) - 1))
                dx, dy = path[i, 2], path[i, 3]
                painter.setPen(QPen(colour, 1.5))
                painter.drawLine(point, point + QPointF(dx * 7, dy * 7))
                painter.setBrush(colour)
                painter.drawEllipse(point, 1.8, 1.8)
                if path[i, 4] > 0.5:  # the pen came down again here
                    painter.setBrush(Qt.BrushStyle.NoBrush)
                    painter.setPen(QPen(QColor("#ffffff"), 1.2))
                    painter.drawEllipse(point, 5, 5)


class StageView(QFrame):
    """One stage: its title, a caption for a newcomer, and its maps or votes."""

    def __init__(self, stage: Stage, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.stage = stage
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 8, 0, 4)
        title = QLabel(self._title(stage))
        font = title.font()
        font.setBold(True)
        title.setFont(font)
        layout.addWidget(title)
        caption = SecondaryLabel(stage.caption)
        caption.setWordWrap(True)
        layout.addWidget(caption)
        self.maps: FeatureMaps | None = None
        self.bars: VoteBars | None = None
        self.zoom, self.filter = QLabel(), QLabel()
        self.zoom_caption = SecondaryLabel()
        self.zoom_caption.setWordWrap(True)
        if stage.values.ndim == 3:
            self.maps = FeatureMaps(stage)
            self.maps.mapClicked.connect(self._zoom)
            layout.addWidget(self.maps)
            zoom_row = QHBoxLayout()
            zoom_row.addWidget(self.zoom)
            zoom_row.addWidget(self.filter)
            zoom_row.addWidget(self.zoom_caption, 1)
            layout.addLayout(zoom_row)
        else:
            self.bars = VoteBars()
            layout.addWidget(self.bars)
        self._show_zoom(False)
        self.set_stage(stage, None)

    def _show_zoom(self, shown: bool) -> None:
        for widget in (self.zoom, self.filter, self.zoom_caption):
            widget.setVisible(shown)

    @staticmethod
    def _title(stage: Stage) -> str:
        shape = "×".join(str(n) for n in stage.values.shape)
        return f"{stage.title}  ({shape})"

    def set_stage(self, stage: Stage, explained: int | None) -> None:
        self.stage = stage
        if self.maps is not None:
            self.maps.set_stage(stage)
            if self.maps.selected is not None:
                self._zoom(self.maps.selected)
        elif self.bars is not None:
            self.bars.set_values(stage.values, explained, percent=stage.kind == OUTPUT)

    def _zoom(self, index: int) -> None:
        """Map `index` large, with its filter: a click on the selected map closes the zoom."""
        assert self.maps is not None
        if self.maps.selected is None:
            self._show_zoom(False)
            return
        maps = self.stage.values
        self.zoom.setPixmap(big(coloured(maps[..., index], float(maps.max())), max(2, 112 // maps.shape[0])))
        text = f"Map {index + 1} of {maps.shape[-1]}: strongest response {float(maps[..., index].max()):.2f}."
        kernels = self.stage.filters
        self.filter.setVisible(kernels is not None)
        if kernels is not None:
            kernel = kernels[..., index]
            if kernel.shape[2] == 1:
                text += " Beside it, its filter: the pattern it looks for (light: ink wanted, dark: unwanted)."
            else:
                text += f" Beside it, its filter's weights, averaged over the {kernel.shape[2]} maps it reads."
            weights = kernel.mean(axis=2)
            span = float(np.abs(weights).max()) or 1.0
            grey = ((weights / span + 1) * 127.5).clip(0, 255).astype(np.uint8)
            self.filter.setPixmap(big(rgb_image(np.repeat(grey[..., None], 3, 2)), max(2, 64 // kernel.shape[0])))
        self.zoom_caption.setText(text)
        self.zoom.show()
        self.zoom_caption.show()


class InsideView(QWidget):
    """The whole view: answers, the input with its saliency and path, then every stage."""

    overlayToggled = Signal(bool)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.inside: Inside | None = None
        self.setMinimumWidth(400)
        outer = QVBoxLayout(self)
        outer.setContentsMargins(8, 8, 8, 8)
        self.status = QLabel()
        self.status.setWordWrap(True)
        self.status.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        outer.addWidget(self.status)
        self.scroll_area = QScrollArea()
        self.scroll_area.setWidgetResizable(True)
        self.scroll_area.setFrameShape(QFrame.Shape.NoFrame)
        self.scroll_area.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.content = QWidget()
        self.content.setAutoFillBackground(True)
        self.body = QVBoxLayout(self.content)
        self.body.setContentsMargins(0, 0, 8, 0)
        self.scroll_area.setWidget(self.content)
        outer.addWidget(self.scroll_area, 1)
        self.scroll_area.hide()
        buttons = QHBoxLayout()
        self.overlay = QCheckBox("Show on my &ink")
        self.overlay.setToolTip("Colour the canvas where the answer comes from")
        self.overlay.toggled.connect(self.overlayToggled)
        self.export_button = QPushButton("E&xport PNG…")
        self.export_button.clicked.connect(self.export)
        self.export_button.setEnabled(False)
        buttons.addWidget(self.overlay)
        buttons.addStretch(1)
        buttons.addWidget(self.export_button)
        outer.addLayout(buttons)
        self._build_top()
        self.stage_views: list[StageView] = []
        self.body.addStretch(1)

    def _build_top(self) -> None:
        self.opinions = QLabel()
        self.opinions.setWordWrap(True)
        self.opinions.setTextFormat(Qt.TextFormat.RichText)
        self.body.addWidget(self.opinions)
        pictures = QGridLayout()
        self.input_picture, self.saliency_picture, self.path_picture = QLabel(), QLabel(), PathPicture()
        self.picture_titles: dict[QWidget, QLabel] = {}
        for column, (widget, title) in enumerate(
            ((self.input_picture, "Input"), (self.saliency_picture, "Why"), (self.path_picture, "Path"))
        ):
            self.picture_titles[widget] = QLabel(title)
            pictures.addWidget(self.picture_titles[widget], 0, column)
            pictures.addWidget(widget, 1, column)
        pictures.setColumnStretch(3, 1)
        self.body.addLayout(pictures)
        self.picture_caption = SecondaryLabel()
        self.picture_caption.setWordWrap(True)
        self.body.addWidget(self.picture_caption)

    def show_message(self, text: str) -> None:
        """Say why there is nothing to show (no digit, a model loading or unreadable), and show nothing
        else: stale maps greyed out would be text below 4.5:1."""
        self.status.setText(text)
        self.scroll_area.hide()
        self.export_button.setEnabled(False)

    def set_inside(self, inside: Inside, heading: str) -> None:
        self.inside = inside
        self.status.setText(heading)
        self.scroll_area.show()
        self.export_button.setEnabled(True)
        self.opinions.setText(self._opinions(inside))
        self.input_picture.setPixmap(preview_pixmap(inside.stages[0].values))
        if inside.saliency is not None:
            self.saliency_picture.setPixmap(big(saliency_over(inside.stages[0].values, inside.saliency)))
        self.saliency_picture.setVisible(inside.saliency is not None)
        self.picture_titles[self.saliency_picture].setVisible(inside.saliency is not None)
        self.overlay.setEnabled(inside.saliency is not None)
        self.path_picture.setVisible(inside.path is not None)
        self.path_picture.set_path(inside.path)
        sentences = (
            [SALIENCY_CAPTION.format(answer=class_name(inside.explained))] if inside.saliency is not None else []
        )
        if inside.path is not None:
            sentences.append(PATH_CAPTION.format(n=len(inside.path)))
        caption = " ".join(sentences)
        if inside.saliency is None:  # the light install: the map needs TensorFlow, said on a line of its own
            missing = tensorflow_missing("The map of where the answer comes from") or ""
            caption = f"{caption}\n\n{missing}" if caption else missing
        self.picture_caption.setText(caption)
        stages = [s for s in inside.stages if s.kind != INPUT]
        if [v.stage.layer for v in self.stage_views] != [s.layer for s in stages]:
            self._rebuild_stages(stages)
        for view, stage in zip(self.stage_views, stages, strict=True):
            view.set_stage(stage, inside.explained if stage.kind in (DENSE, OUTPUT) else None)

    def _rebuild_stages(self, stages: list[Stage]) -> None:
        for view in self.stage_views:
            view.deleteLater()
        self.stage_views = [StageView(stage) for stage in stages]
        for view in self.stage_views:
            self.body.insertWidget(self.body.count() - 1, view)
            view.show()  # now, not at the next event loop turn: an export may follow at once

    def _opinions(self, inside: Inside) -> str:
        def says(probabilities: np.ndarray) -> str:
            top = int(probabilities.argmax())
            return f"<b>{class_name(top)}</b> ({probabilities[top]:.0%})"

        if inside.picture_alone is None or inside.path_alone is None:
            return f"The picture: {says(inside.answer)}. This model does not read the pen's path."
        return "<br>".join(
            (
                f"Picture and path: {says(inside.answer)}",
                f"Picture alone: {says(inside.picture_alone)}",
                f"Path alone: {says(inside.path_alone)}",
            )
        )

    def png(self) -> bytes:
        """The view's content, every stage, as PNG bytes."""
        image = self.content.grab().toImage()
        data = QByteArray()
        buffer = QBuffer(data)
        buffer.open(QIODevice.OpenModeFlag.WriteOnly)
        image.save(buffer, "PNG")  # type: ignore[call-overload]  # the stubs want bytes; PySide6 takes str
        return bytes(data.data())

    def export(self) -> None:
        name, _ = QFileDialog.getSaveFileName(self, "Export the view", "look-inside.png", "PNG image (*.png)")
        if not name:
            return
        target = with_suffix(name, ".png")
        png = self.png()

        def write() -> None:
            try:
                atomic.write_bytes(target, png)
            except OSError as exc:  # the chosen file is named, never the temporary one beside it
                self.status.setText(f"Could not write {target}: {exc.strerror or type(exc).__name__}")
            else:
                self.status.setText(f"Saved {target}")

        notices.write_after_asking(self, name, [target], write)
