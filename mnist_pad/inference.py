"""Fast inference with LiteRT (TensorFlow Lite): no TensorFlow import, ~0.1 ms a call.

The GUI and the evaluator classify through `Classifier`; the Keras model is
only for training. Every saved model has a `.tflite` twin (model_io), whose
probabilities equal Keras's to 1e-5.
"""

from __future__ import annotations

import os
import threading
from pathlib import Path

import numpy as np

from .errors import ModelFileError
from .presets import INPUT_SHAPE, NUM_CLASSES


class Classifier:
    """A LiteRT interpreter for one model. Thread-safe: calls are serialised."""

    def __init__(self, model_content: bytes, source: str = "<memory>") -> None:
        from ai_edge_litert.interpreter import Interpreter

        self.source = source
        self._model_content = model_content
        try:
            self._interpreter = Interpreter(model_content=model_content, num_threads=1)
            self._interpreter.allocate_tensors()
        except (ValueError, RuntimeError) as exc:
            raise ModelFileError(
                f"{source}: not a readable LiteRT model ({exc}). Open a .keras model saved by MNIST Pad or train.py."
            ) from exc
        (inp,) = self._interpreter.get_input_details()
        (out,) = self._interpreter.get_output_details()
        if tuple(inp["shape"][1:]) != INPUT_SHAPE or tuple(out["shape"][1:]) != (NUM_CLASSES,):
            raise ModelFileError(
                f"{source}: takes {tuple(inp['shape'])} and gives {tuple(out['shape'])}; MNIST "
                f"Pad needs a model from 28x28x1 images to {NUM_CLASSES} probabilities."
            )
        self._input, self._output = inp["index"], out["index"]
        self._lock = threading.Lock()

    @classmethod
    def from_file(cls, path: str | os.PathLike[str]) -> Classifier:
        path = Path(path)
        try:
            content = path.read_bytes()
        except OSError as exc:
            raise ModelFileError(f"{path}: cannot be read ({exc.strerror}).") from exc
        return cls(content, str(path))

    @property
    def model_content(self) -> bytes:
        return self._model_content

    def predict(self, image: np.ndarray) -> np.ndarray:
        """Probabilities (10,) for one 28x28 float32 image."""
        with self._lock:
            self._interpreter.set_tensor(self._input, image.reshape(1, *INPUT_SHAPE))
            self._interpreter.invoke()
            return self._interpreter.get_tensor(self._output)[0].copy()

    def predict_batch(self, images: np.ndarray, batch_size: int = 256) -> np.ndarray:
        """Probabilities (n, 10) for n images, in batches."""
        images = np.asarray(images, dtype=np.float32).reshape(-1, *INPUT_SHAPE)
        out = np.empty((len(images), NUM_CLASSES), dtype=np.float32)
        with self._lock:
            current = 1
            for start in range(0, len(images), batch_size):
                chunk = images[start : start + batch_size]
                if len(chunk) != current:
                    self._interpreter.resize_tensor_input(self._input, [len(chunk), *INPUT_SHAPE])
                    self._interpreter.allocate_tensors()
                    current = len(chunk)
                self._interpreter.set_tensor(self._input, chunk)
                self._interpreter.invoke()
                out[start : start + len(chunk)] = self._interpreter.get_tensor(self._output)
            if current != 1:
                self._interpreter.resize_tensor_input(self._input, [1, *INPUT_SHAPE])
                self._interpreter.allocate_tensors()
        return out


def load_classifier(path: str | os.PathLike[str]) -> Classifier:
    """A Classifier for a .tflite file, or for a .keras file through its .tflite twin.

    A .keras file without an up-to-date twin (say, from another tool) is
    converted in memory, which imports TensorFlow: call this off the GUI thread.
    """
    from .model_io import fast_path_for, load_keras, to_tflite

    path = Path(path)
    if path.suffix == ".tflite":
        return Classifier.from_file(path)
    twin = fast_path_for(path)
    try:
        if twin.stat().st_mtime >= path.stat().st_mtime:
            return Classifier.from_file(twin)
    except OSError:
        pass  # no twin, or no model: load_keras says which
    return Classifier(to_tflite(load_keras(path)), str(path))
