"""Look inside, docked beside the main window: follows the reading and the model in use.

Built the first time the person opens it, so start-up and drawing never pay
for it (no TensorFlow until then). While it is open, each pen-up asks the
worker about the selected digit; only the latest answer is shown.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
from PySide6.QtCore import Qt
from PySide6.QtGui import QImage
from PySide6.QtWidgets import QDockWidget, QMainWindow

from mnist_pad.gui.canvas import DrawingCanvas
from mnist_pad.gui.inside_view import InsideView, saliency_rgba
from mnist_pad.gui.inside_worker import InsideWorker, Request
from mnist_pad.ink.path import path_features
from mnist_pad.ink.reading import NOT_A_DIGIT, DigitReading, Reading
from mnist_pad.model.inside import Inside

NOTHING = "Draw a digit to look inside the network."
LOADING = "Loading the model's layers (TensorFlow takes a few seconds the first time)…"


def ink_overlay(image: np.ndarray, saliency: np.ndarray) -> QImage | None:
    """The saliency over the part of the 28x28 field the ink fills, which maps onto the digit's box
    on the canvas (the image is that box, scaled and shifted)."""
    rows, columns = np.nonzero(image > 0)
    if not len(rows):
        return None
    rgba = np.ascontiguousarray(saliency_rgba(saliency)[rows.min() : rows.max() + 1, columns.min() : columns.max() + 1])
    height, width, _ = rgba.shape
    return QImage(rgba.data, width, height, 4 * width, QImage.Format.Format_RGBA8888).copy()


class LookInside:
    """The dock, its worker, and the overlay on the canvas."""

    def __init__(self, window: QMainWindow, canvas: DrawingCanvas) -> None:
        self.canvas = canvas
        self.view = InsideView()
        self.view.overlayToggled.connect(self._overlay_toggled)
        self.dock = QDockWidget("Look inside", window)
        self.dock.setObjectName("look-inside")
        self.dock.setWidget(self.view)
        window.addDockWidget(Qt.DockWidgetArea.RightDockWidgetArea, self.dock)
        self.worker = InsideWorker(window)
        self.worker.ready.connect(self._ready)
        self.worker.failed.connect(self._failed)
        self.worker.modelReady.connect(self._model_ready)
        self.dock.visibilityChanged.connect(self._visibility_changed)
        self._token = 0
        self._inspector_ready = False
        self._asked: tuple[DigitReading, str] | None = None
        self._shown_digit: DigitReading | None = None
        self._model: Path | None = None
        self._model_sent = False
        self._nothing = NOTHING  # what to say while there is no digit

    @property
    def is_open(self) -> bool:
        return self.dock.isVisible()

    def set_model(self, path: Path | None) -> None:
        """The model in use changed: the worker reads it now if the view is open, else at opening."""
        self._model, self._model_sent = path, False
        self._inspector_ready = False
        self._token += 1  # a look the old model is still taking must not be shown
        if self.is_open:
            self._send_model()

    def _send_model(self) -> None:
        self.view.show_message(LOADING)
        self.worker.set_model(self._model)
        self._model_sent = True

    def open(self) -> None:
        self.dock.show()
        self.dock.raise_()
        if not self._model_sent:
            self._send_model()

    def _visibility_changed(self, visible: bool) -> None:
        if not visible:
            self.canvas.set_overlay(None)

    def show_reading(self, reading: Reading, selected: int) -> None:
        """A new reading (the selected digit is the one to show); ignored while the pen is down."""
        if not self.is_open or self.canvas.pen_down:
            return
        digit = reading.digits[selected]
        count = len(reading.digits)
        heading = f"Digit {selected + 1} of {count}" if count > 1 else "The digit"
        heading += f", read as {digit.answer.text if digit.answer.digit is not None else 'not a digit'}."
        self._asked = (digit, heading)
        self.canvas.set_overlay(None)
        if self._inspector_ready:
            self._ask()

    def _ask(self) -> None:
        assert self._asked is not None
        digit, _ = self._asked
        self._token += 1
        strokes = [self.canvas.drawing.strokes[i] for i in digit.strokes]
        explain = digit.answer.digit if digit.answer.digit is not None else NOT_A_DIGIT
        self.worker.look(Request(digit.image, path_features(strokes), explain, self._token))

    def no_reading(self, text: str) -> None:
        """Nothing to look at, and why (the panel's words)."""
        self._asked = None
        self._nothing = text or NOTHING
        self.canvas.set_overlay(None)
        if self.is_open and self._inspector_ready:
            self.view.show_message(self._nothing)

    def _model_ready(self) -> None:
        self._inspector_ready = True
        if self._asked is not None:
            self._ask()
        else:
            self.view.show_message(self._nothing)

    def _ready(self, inside: Inside, token: int) -> None:
        if token != self._token or self._asked is None:
            return  # the person has drawn on since
        digit, heading = self._asked
        self._shown_digit = digit
        self.view.set_inside(inside, heading)
        self._overlay_toggled(self.view.overlay.isChecked())

    def _overlay_toggled(self, on: bool) -> None:
        inside, digit = self.view.inside, self._shown_digit
        if (
            not on
            or inside is None
            or inside.saliency is None
            or digit is None
            or self._asked is None
            or self._asked[0] is not digit
        ):
            self.canvas.set_overlay(None)
            return
        image = ink_overlay(digit.image, inside.saliency)
        self.canvas.set_overlay(None if image is None else (digit.box, image))

    def _failed(self, message: str) -> None:
        self.view.show_message(message)
