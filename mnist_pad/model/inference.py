"""Fast inference with LiteRT (TensorFlow Lite): no TensorFlow import, ~0.1 ms a call.

The GUI and the evaluator classify through `Classifier`; the Keras model is
only for training. Every saved model has its LiteRT model (`.tflite`, see
model_io) beside it, with int8 weights: its probabilities stay within 0.04 of
Keras's, and its decisions agree on 9,996 of MNIST's 10,000 test digits.
"""

from __future__ import annotations

import contextlib
import logging
import os
import tempfile
import threading
from collections.abc import Iterator, Sequence
from pathlib import Path

import numpy as np

from mnist_pad.errors import ModelFileError
from mnist_pad.ink.drawing import Stroke
from mnist_pad.ink.path import PATH_SHAPE, no_path, no_paths, path_features
from mnist_pad.model.presets import INPUT_SHAPE, OUTPUT_SIZES, SIGNATURE

log = logging.getLogger("mnist_pad")


@contextlib.contextmanager
def _native_stderr_to_log() -> Iterator[None]:
    """What native code writes to the process's stderr meanwhile goes to the log, not the console:
    LiteRT announces its CPU delegate on every model. (Python's own stderr is the same file
    descriptor: a line it writes in these few milliseconds reaches the log instead.) One at a
    time: two threads swapping file descriptor 2 at once could leave it on a closed file."""
    with _STDERR_SWAP:
        try:
            saved = os.dup(2)
        except OSError:  # no stderr at all (a windowed app on Windows)
            yield
            return
        with _captured_into(saved):
            yield


_STDERR_SWAP = threading.Lock()


@contextlib.contextmanager
def _captured_into(saved: int) -> Iterator[None]:
    try:
        captured = tempfile.TemporaryFile()  # noqa: SIM115 (closed by the `with` below)
    except OSError:  # nowhere to put it: the console keeps it
        os.close(saved)
        yield
        return
    with captured:
        os.dup2(captured.fileno(), 2)
        try:
            yield
        finally:
            os.dup2(saved, 2)
            os.close(saved)
            captured.seek(0)
            for line in captured.read(65536).decode("utf-8", errors="replace").splitlines():
                if line.strip():
                    log.info("%s", line.strip())


class Classifier:
    """A LiteRT interpreter for one model. Thread-safe: calls are serialised."""

    def __init__(self, litert_model: bytes, source: str = "<memory>") -> None:
        from ai_edge_litert.interpreter import Interpreter

        self.source = source
        self._litert_model = litert_model
        try:
            with _native_stderr_to_log():  # "INFO: Created TensorFlow Lite XNNPACK delegate for CPU."
                self._interpreter = Interpreter(model_content=litert_model, num_threads=1)
                self._interpreter.allocate_tensors()
        except (ValueError, RuntimeError) as exc:
            raise ModelFileError(
                f"{source}: not a readable LiteRT model ({exc}). Open a .keras model saved by MNIST Pad or train.py."
            ) from exc
        inputs, outputs = self._interpreter.get_input_details(), self._interpreter.get_output_details()
        by_shape = {tuple(i["shape"][1:]): i for i in inputs}
        image, path = by_shape.get(INPUT_SHAPE), by_shape.get(PATH_SHAPE)
        if (
            image is None
            or len(inputs) != (1 if path is None else 2)
            or len(outputs) != 1
            or len(outputs[0]["shape"]) != 2
            or int(outputs[0]["shape"][1]) not in OUTPUT_SIZES
            or any(i["dtype"] != np.float32 for i in (*inputs, *outputs))
        ):
            shapes = f"takes {[tuple(i['shape']) for i in inputs]} and gives {[tuple(o['shape']) for o in outputs]}"
            kinds = ", ".join(sorted({i["dtype"].__name__ for i in (*inputs, *outputs)})) or "no input"
            raise ModelFileError(f"{source}: {shapes} ({kinds}); {SIGNATURE}")
        self._input, self._output = image["index"], outputs[0]["index"]
        self._path = None if path is None else path["index"]
        self.num_outputs = int(outputs[0]["shape"][1])
        self._no_path = no_path()[None]
        self._lock = threading.Lock()

    @property
    def reads_path(self) -> bool:
        """Whether the model reads the pen's path beside the picture (one saved before, or the seed: no)."""
        return self._path is not None

    @classmethod
    def from_file(cls, path: str | os.PathLike[str]) -> Classifier:
        path = Path(path)
        try:
            content = path.read_bytes()
        except OSError as exc:
            raise ModelFileError(f"{path}: cannot be read ({exc.strerror}).") from exc
        return cls(content, str(path))

    @property
    def litert_model(self) -> bytes:
        return self._litert_model

    def predict(self, image: np.ndarray, path: np.ndarray | None = None) -> np.ndarray:
        """Probabilities (10 or 11,) for one 28x28 float32 image and its path (ink/path.py; None: the
        picture alone). A model that does not read paths ignores it."""
        with self._lock:
            self._interpreter.set_tensor(self._input, image.reshape(1, *INPUT_SHAPE))
            if self._path is not None:
                self._interpreter.set_tensor(
                    self._path, self._no_path if path is None else path.reshape(1, *PATH_SHAPE).astype(np.float32)
                )
            self._interpreter.invoke()
            return self._interpreter.get_tensor(self._output)[0].copy()

    def classify(self, image: np.ndarray, strokes: Sequence[Stroke]) -> np.ndarray:
        """Probabilities for one drawn digit: its 28x28 image and the strokes it was drawn with, in order."""
        return self.predict(image, path_features(strokes) if self._path is not None else None)

    def predict_batch(self, images: np.ndarray, paths: np.ndarray | None = None, batch_size: int = 256) -> np.ndarray:
        """Probabilities (n, 10 or 11) for n images and their paths (None: the pictures alone), in batches."""
        images = np.asarray(images, dtype=np.float32).reshape(-1, *INPUT_SHAPE)
        if self._path is not None:
            paths = no_paths(len(images)) if paths is None else np.asarray(paths, np.float32).reshape(-1, *PATH_SHAPE)
        out = np.empty((len(images), self.num_outputs), dtype=np.float32)
        with self._lock:
            current = 1
            for start in range(0, len(images), batch_size):
                chunk = images[start : start + batch_size]
                if len(chunk) != current:
                    self._resize(len(chunk))
                    current = len(chunk)
                self._interpreter.set_tensor(self._input, chunk)
                if self._path is not None and paths is not None:
                    self._interpreter.set_tensor(self._path, paths[start : start + batch_size])
                self._interpreter.invoke()
                out[start : start + len(chunk)] = self._interpreter.get_tensor(self._output)
            if current != 1:
                self._resize(1)
        return out

    def _resize(self, batch: int) -> None:
        self._interpreter.resize_tensor_input(self._input, [batch, *INPUT_SHAPE])
        if self._path is not None:
            self._interpreter.resize_tensor_input(self._path, [batch, *PATH_SHAPE])
        self._interpreter.allocate_tensors()


def load_classifier(path: str | os.PathLike[str]) -> Classifier:
    """A Classifier for a .tflite file, or for a .keras file through its LiteRT model.

    A .keras file without an up-to-date LiteRT model (say, from another tool) is
    converted in memory, which imports TensorFlow: call this off the GUI thread.
    """
    from mnist_pad.model.model_io import current_litert_path, load_keras, to_tflite

    path = Path(path)
    if path.suffix == ".tflite":
        return Classifier.from_file(path)
    litert = current_litert_path(path)
    if litert is not None:
        return Classifier.from_file(litert)
    return Classifier(to_tflite(load_keras(path)), str(path))  # no model at all: load_keras says so
