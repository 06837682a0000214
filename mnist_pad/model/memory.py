"""The person's own drawings, remembered inside the model: a digit drawn the way one of their
corrections was is read as that correction says.

Learn refits the output layers (personalise.py), which moves the boundaries
between digits a little for everyone. The memory is the other half, for this
one hand: the features of each correction (and of its varied copies) are kept
as prototypes; a new drawing's features are compared with them (cosine
similarity), the prototypes vote by how close they are (a softmax sharpened by
`SHARPNESS`), and the vote is mixed into the answer in proportion to how close
the nearest prototype is: not at all below `FROM`, up to `WEIGHT` from `FULL`
on. A drawing unlike any correction (a letter, an MNIST scan, another digit)
is read exactly as the refitted model reads it.

Built from Keras's own layers only (Dense with fixed kernels, Softmax,
GlobalMaxPooling1D, ReLU, Rescaling, Multiply, Add), so the model still loads
in safe mode and converts to LiteRT as it is. The figures behind the constants
are in docs/training.md ("Learning from the person").
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

if TYPE_CHECKING:
    import keras

#: How sharply the nearest prototypes outvote the others: weights exp((similarity - 1) / SHARPNESS).
SHARPNESS = 0.02
#: The share of the answer the memory may take, for a drawing as close as FULL to a correction.
WEIGHT = 0.7
#: Cosine similarity of the nearest correction below which the memory says nothing, and from which it
#: says all it may.
FROM, FULL = 0.75, 0.9
#: Prototypes kept at most (the newest): a model stays a few MB whatever the number of samples.
MAX_PROTOTYPES = 2000
#: The layers the memory adds; the first is the mix of the model's own answer and the vote.
PREFIX = "memory_"
MIX = f"{PREFIX}mix"
KEPT = f"{PREFIX}kept"


def has_memory(model: keras.Model) -> bool:
    return any(layer.name == MIX for layer in model.layers)


def base_output(model: keras.Model) -> keras.KerasTensor:
    """The model's own answer, before any memory mixed into it."""
    if has_memory(model):
        return model.get_layer(KEPT).input[1]
    return model.outputs[0]


def unit_rows(features: np.ndarray) -> np.ndarray:
    return (features / (np.linalg.norm(features, axis=1, keepdims=True) + 1e-9)).astype(np.float32)


def with_memory(model: keras.Model, feature_layers: list, prototypes: np.ndarray, labels: np.ndarray) -> keras.Model:
    """`model` (its memory, if any, replaced) remembering `prototypes`: the features (n, d) that
    `feature_layers`' inputs give for the person's drawings, labelled `labels` (n,)."""
    import keras
    from keras import layers

    prototypes, labels = prototypes[-MAX_PROTOTYPES:], np.asarray(labels[-MAX_PROTOTYPES:], np.int64)
    count = len(prototypes)
    base = base_output(model)
    classes = int(base.shape[-1])
    inputs = [layer.input for layer in feature_layers]
    features = inputs[0] if len(inputs) == 1 else layers.Concatenate(name=f"{PREFIX}features")(inputs)
    unit = layers.UnitNormalization(name=f"{PREFIX}unit")(features)

    def fixed(units: int, name: str, kernel: np.ndarray, bias: np.ndarray | None = None) -> layers.Dense:
        dense = layers.Dense(units, use_bias=bias is not None, trainable=False, name=name)
        dense.build((None, kernel.shape[0]))
        dense.set_weights([kernel] if bias is None else [kernel, bias])
        return dense

    similarity = fixed(count, f"{PREFIX}similarity", unit_rows(prototypes).T)(unit)
    sharpened = layers.Rescaling(1 / SHARPNESS, offset=-1 / SHARPNESS, name=f"{PREFIX}sharpened")(similarity)
    attention = layers.Softmax(name=f"{PREFIX}attention")(sharpened)
    vote = fixed(classes, f"{PREFIX}vote", np.eye(classes, dtype=np.float32)[labels])(attention)
    nearest = layers.GlobalMaxPooling1D(name=f"{PREFIX}nearest")(
        layers.Reshape((count, 1), name=f"{PREFIX}column")(similarity)
    )
    ramp = fixed(1, f"{PREFIX}ramp", np.array([[1 / (FULL - FROM)]], np.float32), np.array([-FROM / (FULL - FROM)]))
    gate = layers.Rescaling(WEIGHT, name=f"{PREFIX}gate")(
        layers.ReLU(max_value=1.0, name=f"{PREFIX}clip")(ramp(nearest))
    )
    # (1 - gate) and gate, each as wide as the answer, so that the mix is two plain products.
    ones = np.ones((1, classes), np.float32)
    keep = fixed(classes, f"{PREFIX}keep", -ones, np.ones(classes, np.float32))(gate)
    take = fixed(classes, f"{PREFIX}take", ones)(gate)
    mixed = layers.Add(name=MIX)(
        [layers.Multiply(name=KEPT)([keep, base]), layers.Multiply(name=f"{PREFIX}voted")([take, vote])]
    )
    remembering = keras.Model(model.inputs, mixed, name=model.name)
    remembering.compile(loss="categorical_crossentropy", metrics=["accuracy"])
    return remembering
