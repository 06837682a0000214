"""Calibrated confidence: a "90% sure" should be right about 90% of the time.

A network trained with cross-entropy and heavy augmentation is usually too
sure or too shy; one temperature T, dividing the logits before the softmax,
fixes most of that (Guo et al., 2017, "On Calibration of Modern Neural
Networks"). T is fitted by minimising the negative log-likelihood on drawings
the network did not train on, then baked into the model as a Rescaling layer,
so the .keras and the LiteRT file both give calibrated probabilities.
"""

from __future__ import annotations

import itertools
from typing import TYPE_CHECKING

import numpy as np

from mnist_pad.model.inputs import model_inputs
from mnist_pad.model.presets import LOGITS_LAYER

if TYPE_CHECKING:
    import keras

#: Temperatures searched (log-spaced): far wider than any plausible fit.
_GRID = np.exp(np.linspace(np.log(0.25), np.log(4.0), 161))


def _log_softmax(logits: np.ndarray) -> np.ndarray:
    shifted = logits - logits.max(axis=1, keepdims=True)
    return shifted - np.log(np.exp(shifted).sum(axis=1, keepdims=True))


def fit_temperature(logits: np.ndarray, labels: np.ndarray) -> float:
    """The T minimising the mean negative log-likelihood of `labels` under softmax(logits / T)."""
    rows = np.arange(len(labels))
    losses = [-_log_softmax(logits / t)[rows, labels].mean() for t in _GRID]
    return float(_GRID[int(np.argmin(losses))])


def expected_calibration_error(confidence: np.ndarray, correct: np.ndarray, bins: int = 10) -> dict:
    """ECE over equal-width confidence bins, with the reliability table behind it."""
    edges = np.linspace(0, 1, bins + 1)
    table, ece = [], 0.0
    for low, high in itertools.pairwise(edges):
        inside = (confidence > low) & (confidence <= high)
        if inside.any():
            accuracy, mean_conf = float(correct[inside].mean()), float(confidence[inside].mean())
            ece += inside.mean() * abs(accuracy - mean_conf)
            table.append(
                {
                    "bin": f"{low:.1f}-{high:.1f}",
                    "n": int(inside.sum()),
                    "confidence": round(mean_conf, 4),
                    "accuracy": round(accuracy, 4),
                }
            )
    return {"ece": round(float(ece), 5), "bins": table}


def logits_model(model: keras.Model) -> keras.Model:
    import keras

    return keras.Model(model.inputs, model.get_layer(LOGITS_LAYER).output)


def with_temperature(model: keras.Model, temperature: float) -> keras.Model:
    """The same network with its logits divided by `temperature` before the softmax."""
    import keras
    from keras import layers

    scaled = layers.Rescaling(1.0 / temperature, name="temperature")(model.get_layer(LOGITS_LAYER).output)
    calibrated = keras.Model(model.inputs, layers.Softmax(name="calibrated")(scaled), name=model.name)
    calibrated.compile(loss="categorical_crossentropy", metrics=["accuracy"])
    return calibrated


def calibrate(
    model: keras.Model, images: np.ndarray, labels: np.ndarray, paths: np.ndarray | None = None
) -> tuple[keras.Model, float]:
    """Fit the temperature on (images, labels) and their paths, and return the calibrated model and T."""
    logits = logits_model(model).predict(model_inputs(model, images, paths), batch_size=1000, verbose=0)
    temperature = fit_temperature(logits, np.asarray(labels, dtype=np.int64))
    return with_temperature(model, temperature), temperature
