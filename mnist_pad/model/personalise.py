"""Fine-tune the model in use on the person's own samples, mixed with MNIST so it
does not forget what it knew.

    python -m mnist_pad.model.personalise --samples my.jsonl [--model M.keras] [--out P.keras]

The GUI's Model > Learn from my samples runs the same `fine_tune` in its
background worker.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np

from mnist_pad.datasets.mnist import Mnist, to_model_input
from mnist_pad.errors import MnistPadError
from mnist_pad.ink.path import no_paths
from mnist_pad.ink.reading import NOT_A_DIGIT, decide
from mnist_pad.model.inputs import model_inputs, reads_path
from mnist_pad.model.progress import Progress
from mnist_pad.model.training import TrainResult, evaluate_model, fit, make_dataset

EPOCHS = 3
LEARNING_RATE = 5e-4
#: MNIST images mixed in; the samples are repeated to as many again.
MNIST_MIX = 1500
#: Synthetic "not a digit" drawings mixed in (for an eleven-output model), so
#: fine-tuning on digits alone does not unlearn saying "not a digit".
NEGATIVE_MIX = 300
BATCH_SIZE = 64


def _repeats(samples: int) -> int:
    """How often each sample is shown per epoch: as many sample images as MNIST ones."""
    return max(1, MNIST_MIX // max(samples, 1))


def images_per_epoch(samples: int) -> int:
    """What one fine-tuning epoch trains on, for its time estimate."""
    return samples * _repeats(samples) + MNIST_MIX + NEGATIVE_MIX


def _negatives(count: int, rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray]:
    """Scribbles, hatching and dots, rendered through the canvas's path (no data needed), and their paths."""
    from mnist_pad.datasets.pen_training import negative_drawings, rendered

    images, paths, _ = rendered(negative_drawings([], [], 0, count, rng), rng, with_paths=True)
    return images.astype(np.float32) / 255, paths


def fine_tune(
    model,
    images: np.ndarray,
    labels: np.ndarray,
    data: Mnist,
    *,
    paths: np.ndarray | None = None,
    epochs: int = EPOCHS,
    seed: int = 0,
    on_progress: Callable[[Progress], None] | None = None,
    should_cancel: Callable[[], bool] | None = None,
    measure_mnist: bool = True,
) -> TrainResult:
    """A fine-tuned copy of `model` (which is left untouched) and its before/after figures.

    `paths` are the samples' paths (ink/path.py), for a model that reads them; MNIST's digits mixed
    in have none."""
    import keras

    if len(images) == 0:
        raise MnistPadError("There are no samples to learn from: correct a few drawings first.")
    keras.utils.set_random_seed(seed)
    started = time.perf_counter()
    tuned = keras.models.clone_model(model)
    tuned.set_weights(model.get_weights())
    tuned.compile(optimizer=keras.optimizers.Adam(LEARNING_RATE), loss="categorical_crossentropy", metrics=["accuracy"])
    rng = np.random.default_rng(seed)
    picks = rng.choice(len(data.x_train), min(MNIST_MIX, len(data.x_train)), replace=False)
    repeats = _repeats(len(images))
    if paths is None:
        paths = no_paths(len(images))
    classes = int(model.outputs[0].shape[-1])
    mixed_x = np.concatenate([np.repeat(images, repeats, axis=0), to_model_input(data.x_train[picks])[..., 0]])
    mixed_y = np.concatenate([np.repeat(labels, repeats), data.y_train[picks]])
    mixed_paths = np.concatenate([np.repeat(paths, repeats, axis=0), no_paths(len(picks))])
    if classes > NOT_A_DIGIT:
        negatives, negative_paths = _negatives(NEGATIVE_MIX, rng)
        mixed_x = np.concatenate([mixed_x, negatives])
        mixed_y = np.concatenate([mixed_y, np.full(len(negatives), NOT_A_DIGIT)])
        mixed_paths = np.concatenate([mixed_paths, negative_paths])
    fit(
        tuned,
        make_dataset(
            mixed_x[..., None], mixed_y, BATCH_SIZE, True, seed, classes, mixed_paths if reads_path(model) else None
        ),
        epochs=epochs,
        on_progress=on_progress,
        should_cancel=should_cancel,
    )

    def sample_accuracy(m) -> float:
        # A direct call, not predict(): a few dozen samples, and no predict function to build.
        probabilities = np.asarray(m(model_inputs(m, images, paths), training=False))
        return float((decide(probabilities) == labels).mean())

    metrics: dict[str, Any] = {
        "preset": "personalised",
        "epochs": epochs,
        "samples": len(images),
        "samples_accuracy_before": sample_accuracy(model),
        "samples_accuracy_after": sample_accuracy(tuned),
    }
    if measure_mnist:
        after = evaluate_model(tuned, data.x_test, data.y_test)
        metrics.update(accuracy=after["accuracy"], per_class=after["per_class"], confusion=after["confusion"])
    metrics["wall_time_s"] = round(time.perf_counter() - started, 1)
    return TrainResult(model=tuned, metrics=metrics)


def main(argv: list[str] | None = None) -> int:
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--samples", type=Path, required=True, help="a samples / stroke file (.jsonl[.gz])")
    parser.add_argument("--model", type=Path, help="the model to start from (default: bundled)")
    parser.add_argument("--data", help="MNIST folder (default: $MNIST_PAD_DATA, else Keras's download)")
    parser.add_argument("--out", type=Path, default=Path("runs/personalised.keras"))
    parser.add_argument("--epochs", type=int, default=EPOCHS)
    args = parser.parse_args(argv)
    from mnist_pad.datasets.mnist import load_mnist
    from mnist_pad.datasets.sample_images import training_arrays
    from mnist_pad.ink.strokes import read_stroke_file
    from mnist_pad.model.model_io import load_keras, save_model
    from mnist_pad.resources import bundled_model

    try:
        samples, problems = read_stroke_file(args.samples)
        for problem in problems:
            print(f"skipped {problem}", file=sys.stderr)
        images, labels, paths = training_arrays(samples)
        data = load_mnist(args.data)
        model = load_keras(args.model or bundled_model())
        before = evaluate_model(model, data.x_test, data.y_test)
        result = fine_tune(model, images, labels, data, paths=paths, epochs=args.epochs)
        save_model(result.model, args.out, result.metrics)
    except MnistPadError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    m = result.metrics
    print(f"{len(images)} samples, {m['epochs']} epochs, {m['wall_time_s']:.1f} s")
    print(f"samples accuracy {m['samples_accuracy_before']:.2%} -> {m['samples_accuracy_after']:.2%}")
    print(f"MNIST test accuracy {before['accuracy']:.2%} -> {m['accuracy']:.2%}")
    print(f"saved {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
