"""Work that must not run on the GUI thread, reported back through Qt signals."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QObject, QThreadPool, Signal

from ..errors import MnistPadError
from ..inference import Classifier, load_classifier


class ModelLoader(QObject):
    """Loads a Classifier in the thread pool: reading files never blocks drawing."""

    loaded = Signal(object, Path)  # Classifier, the path it came from
    failed = Signal(str, Path)

    def load(self, path: Path) -> None:
        QThreadPool.globalInstance().start(lambda: self._load(path))

    def _load(self, path: Path) -> None:
        try:
            classifier: Classifier = load_classifier(path)
        except MnistPadError as exc:
            self.failed.emit(str(exc), path)
        except Exception as exc:  # a bug or a surprise must still reach the person
            self.failed.emit(f"{path}: {type(exc).__name__}: {exc}", path)
        else:
            self.loaded.emit(classifier, path)
