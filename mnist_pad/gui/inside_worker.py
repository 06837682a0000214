"""The Look inside view's work, off the GUI thread: loading the Keras model and looking at digits.

One daemon thread does both, in order: a model change first, then the latest
digit asked for (older requests are dropped: the person has drawn on since).
A daemon Python thread, as in ModelLoader: the first load imports TensorFlow
for seconds, and quitting must never wait for it.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from PySide6.QtCore import QObject, Signal

from mnist_pad.errors import MnistPadError
from mnist_pad.model.extras import has_tensorflow
from mnist_pad.model.inside import Inside, Inspector
from mnist_pad.model.inside_lite import LiteInspector
from mnist_pad.model.model_io import litert_path_for


@dataclass(frozen=True)
class Request:
    image: np.ndarray
    path: np.ndarray | None
    explain: int | None
    token: int  # which reading this is for: the view shows only the latest


class InsideWorker(QObject):
    ready = Signal(object, int)  # Inside, the request's token
    modelReady = Signal()
    failed = Signal(str)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._wake = threading.Condition()
        self._model: Path | None = None
        self._model_changed = False
        self._request: Request | None = None
        self._thread: threading.Thread | None = None
        self._inspector: Inspector | LiteInspector | None = None

    def set_model(self, path: Path | None) -> None:
        """Show this .keras model from now on (None: no model in use); read again even if the path
        is the one before: the model in use keeps its path when the person adopts a new one."""
        with self._wake:
            self._model, self._model_changed = path, True
            self._wake.notify()
        self._start()

    def look(self, request: Request) -> None:
        with self._wake:
            self._request = request
            self._wake.notify()
        self._start()

    def _start(self) -> None:
        if self._thread is None:
            self._thread = threading.Thread(target=self._run, name="look-inside", daemon=True)
            self._thread.start()

    def _run(self) -> None:
        while True:
            with self._wake:
                while not self._model_changed and self._request is None:
                    self._wake.wait()
                model, changed = self._model, self._model_changed
                self._model_changed = False
                request = None if changed else self._request
                if request is not None:
                    self._request = None
            if changed:
                self._load(model)
            elif request is not None and self._inspector is not None:
                self._look(self._inspector, request)

    def _load(self, model: Path | None) -> None:
        self._inspector = None
        if model is None:
            return
        try:
            # The light install reads the maps from the LiteRT form (no saliency there); else Keras.
            self._inspector = (
                Inspector.from_file(model) if has_tensorflow() else LiteInspector.from_file(litert_path_for(model))
            )
        except MnistPadError as exc:
            self.failed.emit(f"The layers of this model cannot be shown: {exc}")
        except Exception as exc:  # a model Keras loads but this view does not understand
            self.failed.emit(f"The layers of this model cannot be shown ({type(exc).__name__}: {exc}).")
        else:
            self.modelReady.emit()

    def _look(self, inspector: Inspector | LiteInspector, request: Request) -> None:
        try:
            inside: Inside = inspector.look(request.image, request.path, request.explain)
        except Exception as exc:  # a bug must reach the person, not kill the thread
            self.failed.emit(f"Could not look inside for this digit ({type(exc).__name__}: {exc}).")
        else:
            self.ready.emit(inside, request.token)
