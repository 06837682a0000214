"""Loading a model off the GUI thread, reported back through Qt signals."""

from __future__ import annotations

import threading
from pathlib import Path

from PySide6.QtCore import QObject, Signal

from mnist_pad.errors import MnistPadError
from mnist_pad.model.compare import load_check_set, measure, verdict
from mnist_pad.model.inference import Classifier
from mnist_pad.model.model_io import litert_path_for, load_keras, to_tflite


class ModelLoader(QObject):
    """Loads a Classifier on a background thread: reading files never blocks drawing.

    A daemon Python thread, not a QThread: a load may import TensorFlow for
    seconds (a .keras without its .tflite), and quitting must never wait for
    it; a running QThread cannot be abandoned at exit. The signals are queued
    to the GUI thread, where the receiver lives.
    """

    modelLoaded = Signal(object, Path, bool, object)  # Classifier, the path it came from, keep, Verdict | None
    loadFailed = Signal(str, Path)

    def load(self, path: Path, keep: bool = False, in_use: bytes | None = None) -> None:
        """`keep`: the person chose this file; it becomes the model in use for good. Then its .keras
        must load in Keras's safe mode and pass the signature check, and its LiteRT form is made
        from it here (imports TensorFlow): a .tflite lying beside it is never trusted; and, given
        `in_use` (the LiteRT form of the model in use), both are measured on the check set that
        ships, so that a worse one is not taken without asking. Otherwise `path` is the bundled
        model or one of the store's, whose .tflite beside it is read as it is."""
        threading.Thread(target=self._load, args=(path, keep, in_use), name="model-loader", daemon=True).start()

    def _load(self, path: Path, keep: bool, in_use: bytes | None) -> None:
        judged = None
        try:
            if keep:
                classifier = Classifier(to_tflite(load_keras(path)), str(path))
                if in_use is not None:
                    check = load_check_set()
                    # The model in use gets an interpreter of its own: the GUI thread keeps reading with its.
                    judged = verdict(measure(Classifier(in_use, "model in use"), check), measure(classifier, check))
            else:
                classifier = Classifier.from_file(litert_path_for(path))
        except MnistPadError as exc:
            self.loadFailed.emit(str(exc), path)
        except Exception as exc:  # a bug or a surprise must still reach the person
            self.loadFailed.emit(f"{path}: {type(exc).__name__}: {exc}", path)
        else:
            self.modelLoaded.emit(classifier, path, keep, judged)
