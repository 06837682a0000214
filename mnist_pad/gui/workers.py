"""Work that must not run on the GUI thread, reported back through Qt signals."""

from __future__ import annotations

import threading
from pathlib import Path

from PySide6.QtCore import QObject, Signal

from ..errors import MnistPadError
from ..inference import Classifier, load_classifier


class ModelLoader(QObject):
    """Loads a Classifier on a background thread: reading files never blocks drawing.

    A plain Python thread, not QThreadPool.start(callable): the latter has
    crashed here with a refcount error in PySide6 6.12. The signals are queued
    to the GUI thread, where the receiver lives.
    """

    loaded = Signal(object, Path)  # Classifier, the path it came from
    failed = Signal(str, Path)

    def load(self, path: Path) -> None:
        threading.Thread(target=self._load, args=(path,), name="model-loader", daemon=True).start()

    def _load(self, path: Path) -> None:
        try:
            classifier: Classifier = load_classifier(path)
        except MnistPadError as exc:
            self.failed.emit(str(exc), path)
        except Exception as exc:  # a bug or a surprise must still reach the person
            self.failed.emit(f"{path}: {type(exc).__name__}: {exc}", path)
        else:
            self.loaded.emit(classifier, path)
