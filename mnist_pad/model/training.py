"""The one training function, shared by train.py and the GUI's worker.

`train()` takes plain callables for progress and cancelling, so it knows
nothing of Qt or of the terminal; each caller adapts them to its own world.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timezone
from typing import TYPE_CHECKING, Any

import numpy as np

from mnist_pad.datasets.mnist import Mnist
from mnist_pad.ink.path import no_paths
from mnist_pad.ink.reading import DIGITS, NOT_A_DIGIT
from mnist_pad.model.inputs import image_batch, model_inputs, reads_path
from mnist_pad.model.presets import INPUT_SHAPE, NUM_CLASSES, Preset, get_preset
from mnist_pad.model.progress import Progress

if TYPE_CHECKING:
    import keras


@dataclass
class TrainResult:
    model: keras.Model
    metrics: dict[str, Any] = field(default_factory=dict)


def evaluate_model(model: keras.Model, images: np.ndarray, labels: np.ndarray) -> dict[str, Any]:
    """Accuracy, per-class accuracy and confusion matrix (rows: truth, columns: prediction)."""
    from mnist_pad.ink.reading import decide

    probabilities = model.predict(model_inputs(model, images), batch_size=1000, verbose=0)
    return classification_report(labels, decide(probabilities))


def classification_report(labels: np.ndarray, predicted: np.ndarray) -> dict[str, Any]:
    """Accuracy (a digit answered "not a digit" counts as a mistake), the share rejected,
    per-class accuracy of the digits, and the confusion matrix (a column for "not a digit"
    when anything was rejected)."""
    labels = np.asarray(labels, dtype=np.int64)
    predicted = np.asarray(predicted, dtype=np.int64)
    size = NUM_CLASSES if len(labels) and max(labels.max(), predicted.max()) >= NOT_A_DIGIT else DIGITS
    confusion = np.zeros((size, size), dtype=np.int64)
    np.add.at(confusion, (labels, predicted), 1)
    support = confusion.sum(axis=1)[:DIGITS]
    per_class = np.divide(np.diag(confusion)[:DIGITS], support, out=np.zeros(DIGITS), where=support > 0)
    return {
        "accuracy": float((labels == predicted).mean()) if len(labels) else 0.0,
        "rejected": float((predicted == NOT_A_DIGIT).mean()) if len(labels) else 0.0,
        "n": len(labels),
        "per_class": [round(float(a), 5) for a in per_class],
        # rows: truth (the "not a digit" row only when such drawings were measured); columns: answer
        "confusion": (confusion if (labels == NOT_A_DIGIT).any() else confusion[:DIGITS]).tolist(),
    }


def one_hot(labels: np.ndarray, num_classes: int = NUM_CLASSES) -> np.ndarray:
    import keras

    return keras.utils.to_categorical(labels, num_classes).astype(np.float32)


#: Of the training drawings that have a path, the share shown without it (the picture alone, as an
#: image file or a drawing whose path is unusable is read) and the share shown without the picture
#: (the path alone): each branch learns to stand on its own, and neither leans wholly on the other.
PICTURE_ALONE_SHARE = 0.15
PATH_ALONE_SHARE = 0.2


def _drop_inputs(images, paths):
    """Blank the path or the picture of a random share of the drawings that have both."""
    import tensorflow as tf

    has_path = tf.reduce_max(tf.abs(paths), axis=[1, 2]) > 0
    draw = tf.random.uniform(tf.shape(has_path))
    no_path = has_path & (draw < PICTURE_ALONE_SHARE)
    no_image = has_path & (draw >= 1 - PATH_ALONE_SHARE)
    paths = tf.where(no_path[:, None, None], 0.0, paths)
    images = tf.where(no_image[:, None, None, None], 0.0, images)
    return images, paths


def make_dataset(
    images: np.ndarray,
    labels: np.ndarray,
    batch_size: int,
    augment: bool,
    seed: int,
    num_classes: int = NUM_CLASSES,
    paths: np.ndarray | None = None,
):
    """Shuffled, batched, optionally augmented; images as uint8 (n, 28, 28) or float (n, 28, 28, 1),
    with their paths (n, *PATH_SHAPE) for a model that reads them."""
    import tensorflow as tf

    inputs = image_batch(images)
    features = inputs if paths is None else (inputs, paths.astype(np.float32))
    ds = tf.data.Dataset.from_tensor_slices((features, one_hot(labels, num_classes)))
    ds = ds.shuffle(len(images), seed=seed, reshuffle_each_iteration=True).batch(batch_size)
    if augment:
        from mnist_pad.model.augment import augment_batch, augment_paths

        if paths is None:
            ds = ds.map(lambda x, y: (augment_batch(x), y), num_parallel_calls=tf.data.AUTOTUNE)
        else:
            ds = ds.map(
                lambda x, y: (_drop_inputs(augment_batch(x[0]), augment_paths(x[1])), y),
                num_parallel_calls=tf.data.AUTOTUNE,
            )
    return ds.prefetch(tf.data.AUTOTUNE)


def fit(
    model: keras.Model,
    dataset,
    *,
    epochs: int,
    validation: tuple[np.ndarray, np.ndarray] | None = None,
    on_progress: Callable[[Progress], None] | None = None,
    should_cancel: Callable[[], bool] | None = None,
) -> keras.callbacks.History:
    """`model.fit` with our progress reports and a cancel checked after every batch."""
    from mnist_pad.model.progress_callback import ProgressCallback

    callback = ProgressCallback(on_progress, should_cancel)
    # The dataset shuffles itself (make_dataset); fit's own shuffle only applies to arrays.
    history = model.fit(
        dataset, epochs=epochs, validation_data=validation, callbacks=[callback], verbose=0, shuffle=False
    )
    callback.check_cancel()  # cancelled during the last evaluation
    return history


#: The path network's output layer in the presets that read the path (presets._compact_cnn).
PATH_LOGITS = "path_logits"


def silence_untrained_path(model) -> bool:
    """Make a model that has a path input but was trained without one (MNIST alone: every path all
    zeros) read by its picture alone. Its path network learned nothing but the empty path, and on a
    real one it votes at random, with full confidence (a clear 3 read as 6 at 100%). Its output
    layer gets a zero kernel and, as bias, its logits for the empty path: the model then gives for
    any path exactly what it gives for none. Returns whether the model had such a layer."""
    import keras

    try:
        layer = model.get_layer(PATH_LOGITS)
    except ValueError:
        return False
    votes = keras.Model(model.inputs, layer.output)
    empty = votes(model_inputs(model, np.zeros((1, *INPUT_SHAPE), np.float32), no_paths(1)), training=False)
    kernel, _ = layer.get_weights()
    layer.set_weights([np.zeros_like(kernel), np.asarray(empty)[0]])
    return True


def train(
    preset: str | Preset,
    data: Mnist,
    *,
    epochs: int | None = None,
    batch_size: int | None = None,
    seed: int = 0,
    on_progress: Callable[[Progress], None] | None = None,
    should_cancel: Callable[[], bool] | None = None,
    validate: bool = True,
    calibration: tuple[np.ndarray, ...] | None = None,
) -> TrainResult:
    """Train `preset` on `data.x_train` and measure it on `data.x_test`.

    `should_cancel` is polled after every batch (and every evaluation batch);
    when it returns True, training stops at once with TrainingCancelled.
    `validate` measures test accuracy after each epoch, for monitoring only:
    nothing is selected or tuned on it. `calibration` (images, labels[, paths]),
    when given, fits a softmax temperature on those drawings (calibration.py).
    """
    import keras

    preset = get_preset(preset) if isinstance(preset, str) else preset
    epochs = epochs or preset.epochs
    batch_size = batch_size or preset.batch_size
    keras.utils.set_random_seed(seed)
    batches = -(-len(data.x_train) // batch_size)
    model = preset.build(total_steps=epochs * batches)
    started = time.perf_counter()
    classes = preset.num_classes
    test_targets = one_hot(data.y_test, classes)
    paths = None
    if reads_path(model):
        paths = data.paths_train if data.paths_train is not None else no_paths(len(data.x_train))
    test_inputs = model_inputs(model, data.x_test)
    history = fit(
        model,
        make_dataset(data.x_train, data.y_train, batch_size, preset.augment, seed, classes, paths),
        epochs=epochs,
        validation=(test_inputs, test_targets) if validate else None,
        on_progress=on_progress,
        should_cancel=should_cancel,
    )
    silenced = paths is not None and not np.any(paths) and silence_untrained_path(model)
    temperature = None
    if calibration is not None and classes == NUM_CLASSES:
        from mnist_pad.model.calibration import calibrate

        model, temperature = calibrate(model, *calibration)
    test_loss, _ = model.evaluate(test_inputs, test_targets, batch_size=1000, verbose=0)
    report = evaluate_model(model, data.x_test, data.y_test)
    wall_time = time.perf_counter() - started
    metrics = {
        "preset": preset.name,
        "epochs": len(history.history.get("loss", [])),
        "batch_size": batch_size,
        "seed": seed,
        "params": int(model.count_params()),
        # On the test set, under the names classification_report gives them.
        "accuracy": report["accuracy"],
        "rejected": report["rejected"],
        "num_classes": classes,
        # False: the network has a path input but never saw a pen's path; it reads by the picture alone.
        "reads_path": reads_path(model) and not silenced,
        "temperature": temperature,
        "loss": float(test_loss),
        "per_class": report["per_class"],
        "confusion": report["confusion"],
        "train_samples": len(data.x_train),
        "test_samples": len(data.x_test),
        "wall_time_s": round(wall_time, 1),
        "data_source": data.source,
        "data_checksum": data.checksum,
        "history": {k: [round(float(v), 5) for v in vs] for k, vs in history.history.items()},
        "trained_at": datetime.now(timezone.utc).isoformat(timespec="seconds"),
        "tensorflow": __import__("tensorflow").__version__,
    }
    return TrainResult(model=model, metrics=metrics)
