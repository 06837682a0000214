"""Learn from the person's corrections: refit the model's output layers on frozen features, then
remember the corrections inside the model (memory.py).

    python -m mnist_pad.model.personalise --samples my.jsonl [--model M.keras] [--out P.keras]

The network's features (everything below the two output Dense layers,
`image_logits` and `path_logits`) stay as they are; only those layers are
fitted again, on the corrections (each also shown varied) together with a
replay of MNIST digits and "not a digit" drawings, and pulled towards their
old weights. That is a convex problem of a few thousand weights, solved in
NumPy in about a second: what the person wrote is learned, and what the model
knew is kept (bench/personalise.py: MNIST 99.55% or better after every learn).
No MNIST folder and no network are needed: the replay comes from the data
that ships.

The GUI's Model > Learn from my samples runs the same `fine_tune` in its
background worker.
"""

from __future__ import annotations

import argparse
import functools
import os
import sys
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import numpy as np

from mnist_pad.datasets.mnist import Mnist, to_model_input
from mnist_pad.errors import MnistPadError, TrainingCancelled
from mnist_pad.ink.drawing import Stroke
from mnist_pad.ink.path import no_paths
from mnist_pad.ink.reading import NOT_A_DIGIT, decide
from mnist_pad.model.inputs import model_inputs
from mnist_pad.model.memory import MAX_PROTOTYPES, with_memory
from mnist_pad.model.progress import Progress
from mnist_pad.model.training import TrainResult, evaluate_model

#: The output layers refitted, where the network has them (presets._compact_cnn); else its last Dense.
HEADS = ("image_logits", "path_logits")
#: MNIST digits replayed beside the corrections, and "not a digit" drawings (eleven outputs).
MNIST_REPLAY = 3000
NEGATIVE_REPLAY = 300
#: The corrections' share of the loss; the replay shares the rest.
CORRECTIONS_SHARE = 0.5
#: How strongly the refitted weights are pulled to the old ones (per weight, squared).
PULL = 1e-3
STEPS = 300
LEARNING_RATE = 0.01
#: Each correction is also shown this many times varied (varied_samples): the person's next digits are
#: never drawn quite the same.
VARIANTS = 8
#: Progress reports: one "epoch" of STEPS full-batch steps, reported in this many parts.
REPORTS = 10
#: Kept for the GUI's estimate: what one step trains on is the whole (small) set.
EPOCHS = 1
BATCH_SIZE = MNIST_REPLAY + NEGATIVE_REPLAY


def images_per_epoch(samples: int) -> int:
    """What the refit reads, for its time estimate: the corrections and the replay, once."""
    return samples * (1 + VARIANTS) + MNIST_REPLAY + NEGATIVE_REPLAY


def _negatives(count: int, rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray]:
    """Letters of the training sources that ship (half, when they are there) and scribbles, hatching and dots,
    rendered through the canvas's path, and their paths: "not a digit" as the model learned it."""
    from mnist_pad.datasets.pen_training import negative_drawings, rendered

    letters = _training_letters()
    picked = [letters[i] for i in rng.choice(len(letters), min(len(letters), count // 2), replace=False)]
    drawings = negative_drawings(picked, [], 1, count - len(picked), rng)
    images, paths, _ = rendered(drawings, rng, with_paths=True)
    assert paths is not None  # asked for with_paths
    return images.astype(np.float32) / 255, paths


@functools.cache
def _training_letters() -> list[list[Stroke]]:
    """The shipped letters of the sources that train (none when this copy of the pad has no letters)."""
    from mnist_pad.datasets.shipped import letters_file
    from mnist_pad.ink.strokes import read_stroke_file
    from mnist_pad.model.training_data import LETTER_HOLDOUT

    path = letters_file()
    if path is None:
        return []
    return [s.strokes for s in read_stroke_file(path)[0] if s.label is None and s.source not in LETTER_HOLDOUT]


def variants(images: np.ndarray, count: int, rng: np.random.Generator) -> np.ndarray:
    """`count` copies of each (n, 28, 28) float image, each turned up to 10 degrees, scaled by up to
    10% and moved up to 1.5 pixels (PIL's affine warp, bilinear), as (n * count, 28, 28)."""
    from PIL import Image

    out = np.empty((len(images) * count, *images.shape[1:]), np.float32)
    centre = (images.shape[2] - 1) / 2, (images.shape[1] - 1) / 2
    for i, (image, _) in enumerate((im, k) for im in images for k in range(count)):
        angle, zoom = np.radians(rng.uniform(-10, 10)), rng.uniform(0.9, 1.1)
        dx, dy = rng.uniform(-1.5, 1.5, 2)
        cos, sin = np.cos(angle) / zoom, np.sin(angle) / zoom
        # PIL maps each output pixel back to the input: the inverse of turn-scale-move about the centre.
        a, b, d, e = cos, sin, -sin, cos
        c = centre[0] - a * (centre[0] + dx) - b * (centre[1] + dy)
        f = centre[1] - d * (centre[0] + dx) - e * (centre[1] + dy)
        warped = Image.fromarray(image.astype(np.float32), mode="F").transform(
            image.shape[::-1], Image.Transform.AFFINE, (a, b, c, d, e, f), Image.Resampling.BILINEAR
        )
        out[i] = np.asarray(warped)
    return out


def varied_samples(
    images: np.ndarray, labels: np.ndarray, paths: np.ndarray, strokes: Sequence[list[Stroke]], rng: np.random.Generator
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The samples and VARIANTS varied copies of each: from their strokes when there are (slant, size,
    tremor, pen width, stroke order, as training varies pen digits; no other hand's marks), else from
    their pictures (the path repeated)."""
    if not VARIANTS:
        return images, labels, paths
    if len(strokes) == len(images):
        from mnist_pad.datasets.pen_training import digit_drawings, rendered

        drawings, varied_labels = digit_drawings(
            [(int(label), list(s)) for label, s in zip(labels, strokes, strict=True)], VARIANTS, rng, style_share=0
        )
        varied, varied_paths, ok = rendered(drawings, rng, with_paths=True)
        assert varied_paths is not None
        return (
            np.concatenate([images, varied.astype(np.float32) / 255]),
            np.concatenate([labels, np.asarray(varied_labels)[ok]]),
            np.concatenate([paths, varied_paths]),
        )
    return (
        np.concatenate([images, variants(images, VARIANTS, rng)]),
        np.concatenate([labels, np.repeat(labels, VARIANTS)]),
        np.concatenate([paths, np.repeat(paths, VARIANTS, axis=0)]),
    )


def _named_heads(model, silenced: bool) -> list:
    """The model's HEADS that are silenced (an all-zero kernel: the path network of a model that never
    saw a path, training.silence_untrained_path), or those that are not."""
    return [layer for layer in model.layers if layer.name in HEADS and np.any(layer.get_weights()[0]) != silenced]


def heads(model) -> list:
    """The Dense layers whose outputs, summed, are the model's logits. A silenced head stays silent:
    its features never learned anything to refit."""
    import keras

    named = _named_heads(model, silenced=False)
    if named:
        return named
    dense = [layer for layer in model.layers if isinstance(layer, keras.layers.Dense)]
    if not dense:
        raise MnistPadError(f"{model.name}: no output layer to learn with (a Dense layer at the end).")
    return dense[-1:]


def silenced_bias(model) -> np.ndarray | float:
    """What the silenced heads add to every logit (their bias, a constant): the refit must see it too."""
    return sum((layer.get_weights()[1] for layer in _named_heads(model, silenced=True)), 0.0)


def logit_scale(model) -> float:
    """What the logits are multiplied by before the softmax: 1/T for a calibrated model (calibration.py)."""
    try:
        return float(model.get_layer("temperature").scale)
    except ValueError:
        return 1.0


def _softmax(logits: np.ndarray) -> np.ndarray:
    shifted = np.exp(logits - logits.max(axis=1, keepdims=True))
    return shifted / shifted.sum(axis=1, keepdims=True)


def refit(
    features: np.ndarray,
    labels: np.ndarray,
    weights: np.ndarray,
    kernel: np.ndarray,
    bias: np.ndarray,
    *,
    scale: float = 1.0,
    offset: np.ndarray | float = 0.0,
    pull: float = PULL,
    steps: int = STEPS,
    learning_rate: float = LEARNING_RATE,
    on_step: Callable[[int, float, float], None] | None = None,
) -> tuple[np.ndarray, np.ndarray]:
    """The (kernel, bias) minimising the weighted cross-entropy of softmax(scale * (features @ kernel + bias + offset))
    plus `pull` times the squared distance of the kernel to where it started. Full-batch Adam, float32;
    `on_step(step, loss, accuracy)` after each step."""
    features = features.astype(np.float32)
    params = [kernel.astype(np.float32), bias.astype(np.float32)]
    origin = params[0].copy()
    moments = [np.zeros_like(p) for p in params]
    squares = [np.zeros_like(p) for p in params]
    weights = (weights / weights.sum()).astype(np.float32)
    rows = np.arange(len(labels))
    for step in range(1, steps + 1):
        probabilities = _softmax(scale * (features @ params[0] + params[1] + offset))
        loss = float(-(weights * np.log(probabilities[rows, labels] + 1e-12)).sum())
        accuracy = float((probabilities.argmax(axis=1) == labels).mean())
        error = probabilities
        error[rows, labels] -= 1
        error *= (weights * scale)[:, None]
        grads = [features.T @ error + 2 * pull * (params[0] - origin), error.sum(axis=0)]
        for k, (p, g) in enumerate(zip(params, grads, strict=True)):
            moments[k] = 0.9 * moments[k] + 0.1 * g
            squares[k] = 0.999 * squares[k] + 0.001 * g * g
            p -= learning_rate * (moments[k] / (1 - 0.9**step)) / (np.sqrt(squares[k] / (1 - 0.999**step)) + 1e-8)
        if on_step is not None:
            on_step(step, loss, accuracy)
    return params[0], params[1]


def fine_tune(
    model,
    images: np.ndarray,
    labels: np.ndarray,
    data: Mnist,
    *,
    paths: np.ndarray | None = None,
    strokes: Sequence[list[Stroke]] = (),
    epochs: int = EPOCHS,
    seed: int = 0,
    on_progress: Callable[[Progress], None] | None = None,
    should_cancel: Callable[[], bool] | None = None,
    measure_mnist: bool = True,
) -> TrainResult:
    """A copy of `model` (which is left untouched) whose output layers learned the samples, and its
    before/after figures. `paths` are the samples' paths (ink/path.py); MNIST's replayed digits have none.
    Given the samples' `strokes`, each is also shown as VARIANTS varied drawings, rendered and traced as
    training does (picture and path alike); else as its picture turned and moved. `epochs` repeats the
    refit's steps."""
    import keras

    if len(images) == 0:
        raise MnistPadError("There are no samples to learn from: correct a few drawings first.")
    started = time.perf_counter()
    rng = np.random.default_rng(seed)
    if paths is None:
        paths = no_paths(len(images))
    images_shown, labels_shown, paths_shown = varied_samples(images, labels, paths, strokes, rng)
    shown = len(images_shown)
    picks = rng.choice(len(data.x_train), min(MNIST_REPLAY, len(data.x_train)), replace=False)
    all_x = [images_shown, to_model_input(data.x_train[picks])[..., 0]]
    all_y = [labels_shown, data.y_train[picks]]
    all_paths = [paths_shown, no_paths(len(picks))]
    classes = int(model.outputs[0].shape[-1])
    if classes > NOT_A_DIGIT:
        negatives, negative_paths = _negatives(NEGATIVE_REPLAY, rng)
        all_x.append(negatives)
        all_y.append(np.full(len(negatives), NOT_A_DIGIT))
        all_paths.append(negative_paths)
    x, y, p = (np.concatenate(parts) for parts in (all_x, all_y, all_paths))
    replay = len(x) - shown
    weights = np.concatenate(
        [np.full(shown, CORRECTIONS_SHARE / shown), np.full(replay, (1 - CORRECTIONS_SHARE) / replay)]
    )
    layers = heads(model)
    extractor = keras.Model(model.inputs, [layer.input for layer in layers])
    extracted = extractor.predict(model_inputs(model, x, p), batch_size=500, verbose=0)
    # One problem for all heads: their features side by side, their kernels stacked, their biases summed.
    features = np.concatenate([np.asarray(f) for f in (extracted if isinstance(extracted, list) else [extracted])], 1)
    start = [layer.get_weights() for layer in layers]
    steps = STEPS * max(1, epochs)
    report_every = max(1, steps // REPORTS)

    def on_step(step: int, loss: float, accuracy: float) -> None:
        if should_cancel is not None and should_cancel():
            raise TrainingCancelled("cancelled")
        if on_progress is not None and step % report_every == 0:
            on_progress(
                Progress(
                    epoch=1,
                    epochs=1,
                    batch=step // report_every,
                    batches=REPORTS,
                    loss=loss,
                    accuracy=accuracy,
                    elapsed_s=time.perf_counter() - started,
                    epoch_done=step == steps,
                )
            )

    kernel, bias = refit(
        features,
        y.astype(np.int64),
        weights,
        np.concatenate([k for k, _ in start]),
        sum(b for _, b in start),
        scale=logit_scale(model),
        offset=silenced_bias(model),
        steps=steps,
        on_step=on_step,
    )
    tuned = keras.models.clone_model(model)
    tuned.set_weights(model.get_weights())
    first = 0
    for i, (layer, (old_kernel, _)) in enumerate(zip(layers, start, strict=True)):
        rows = slice(first, first + len(old_kernel))
        # The bias learned goes to the first head; the others keep zero, so that the sum is the same.
        tuned.get_layer(layer.name).set_weights([kernel[rows], bias if i == 0 else np.zeros_like(bias)])
        first += len(old_kernel)

    remembered = len(layers) > 0 and all(layer.name in HEADS for layer in layers)  # a functional model
    if remembered:  # the corrections and their varied copies, as the memory's prototypes (memory.py)
        tuned = with_memory(tuned, [tuned.get_layer(layer.name) for layer in layers], features[:shown], labels_shown)

    def sample_accuracy(m) -> float:
        # A direct call, not predict(): a few dozen samples, and no predict function to build.
        probabilities = np.asarray(m(model_inputs(m, images, paths), training=False))
        return float((decide(probabilities) == labels).mean())

    metrics: dict[str, Any] = {
        "preset": "personalised",
        "epochs": max(1, epochs),
        "samples": len(images),
        "learned": "output layers refitted on frozen features"
        + (f", {min(shown, MAX_PROTOTYPES)} drawings remembered" if remembered else ""),
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
    parser.add_argument("--data", help="MNIST folder (default: $MNIST_PAD_DATA, else the pad's own copy)")
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
        images, labels, paths, strokes = training_arrays(samples)
        data = load_mnist(args.data)
        model = load_keras(args.model or bundled_model())
        before = evaluate_model(model, data.x_test, data.y_test)
        result = fine_tune(model, images, labels, data, paths=paths, strokes=strokes, epochs=args.epochs)
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
