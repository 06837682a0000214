"""Fast inference with LiteRT (TensorFlow Lite): no TensorFlow import, ~0.1 ms a call.

The GUI and the evaluator classify through `Classifier`; the Keras model is
only for training. Every saved model has its LiteRT model (`.tflite`, see
model_io) beside it, with int8 weights: its probabilities stay within 0.04 of
Keras's, and its decisions agree on 9,996 of MNIST's 10,000 test digits.
"""

from __future__ import annotations

import os
import threading
from pathlib import Path

import numpy as np

from mnist_pad.errors import ModelFileError
from mnist_pad.model.presets import INPUT_SHAPE, OUTPUT_SIZES


class Classifier:
    """A LiteRT interpreter for one model. Thread-safe: calls are serialised."""

    def __init__(self, litert_model: bytes, source: str = "<memory>") -> None:
        from ai_edge_litert.interpreter import Interpreter

        self.source = source
        self._litert_model = litert_model
        try:
            self._interpreter = Interpreter(model_content=litert_model, num_threads=1)
            self._interpreter.allocate_tensors()
        except (ValueError, RuntimeError) as exc:
            raise ModelFileError(
                f"{source}: not a readable LiteRT model ({exc}). Open a .keras model saved by MNIST Pad or train.py."
            ) from exc
        inputs, outputs = self._interpreter.get_input_details(), self._interpreter.get_output_details()
        shapes = f"takes {[tuple(i['shape']) for i in inputs]} and gives {[tuple(o['shape']) for o in outputs]}"
        if (
            len(inputs) != 1
            or len(outputs) != 1
            or tuple(inputs[0]["shape"][1:]) != INPUT_SHAPE
            or len(outputs[0]["shape"]) != 2
            or int(outputs[0]["shape"][1]) not in OUTPUT_SIZES
            or inputs[0]["dtype"] != np.float32
            or outputs[0]["dtype"] != np.float32
        ):
            raise ModelFileError(
                f"{source}: {shapes} ({inputs[0]['dtype'].__name__ if inputs else 'no input'}); MNIST Pad needs "
                f'one float32 28x28x1 image in and 10 digit probabilities (or 11, with "not a digit") out.'
            )
        self._input, self._output = inputs[0]["index"], outputs[0]["index"]
        self.num_outputs = int(outputs[0]["shape"][1])
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
    def litert_model(self) -> bytes:
        return self._litert_model

    def predict(self, image: np.ndarray) -> np.ndarray:
        """Probabilities (10 or 11,) for one 28x28 float32 image."""
        with self._lock:
            self._interpreter.set_tensor(self._input, image.reshape(1, *INPUT_SHAPE))
            self._interpreter.invoke()
            return self._interpreter.get_tensor(self._output)[0].copy()

    def predict_batch(self, images: np.ndarray, batch_size: int = 256) -> np.ndarray:
        """Probabilities (n, 10 or 11) for n images, in batches."""
        images = np.asarray(images, dtype=np.float32).reshape(-1, *INPUT_SHAPE)
        out = np.empty((len(images), self.num_outputs), dtype=np.float32)
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
