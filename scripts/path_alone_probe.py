#!/usr/bin/env python3
"""How well the pen's path reads digits by itself: the bundled path encoder trained alone.

    python scripts/path_alone_probe.py [--varied 3] [--slant] [--epochs 15] [--shared ../shared/data]

Trains the path encoder of the bundled network (presets.path_encoder) with a
ten-digit dense layer on the pendigits `.tra` writers and the UNIPEN training
writers, nothing else (no picture, no MNIST, no "not a digit"), then reads the
held-out pendigits `.tes` writers and the UNIPEN validation writers by their
paths as the canvas holds them (argmax of the ten digits). `--varied N` trains
on N varied copies of each digit as training does (pen_training.digit_drawings)
instead of the writers' own strokes; `--slant` adds training's on-the-fly slant
(augment.augment_paths). A yardstick for the path network inside the bundled
model, which learns only through the sum with the picture (docs/training.md).
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

import numpy as np
from model_card import SHARED

from mnist_pad.datasets import pen_training, pendigits
from mnist_pad.datasets.unipen import is_validation_writer
from mnist_pad.ink.path import PATH_SHAPE, path_batch
from mnist_pad.ink.strokes import read_stroke_file
from mnist_pad.model.evaluate import stroke_batch


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--shared", type=Path, default=SHARED, help="the folder holding the data sets")
    parser.add_argument("--varied", type=int, default=0, help="varied copies of each digit (0: its own strokes)")
    parser.add_argument("--slant", action="store_true", help="training's on-the-fly slant, rotation and proportion")
    parser.add_argument("--epochs", type=int, default=15)
    args = parser.parse_args()
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
    import keras
    import tensorflow as tf
    from keras import layers

    from mnist_pad.model.augment import augment_paths
    from mnist_pad.model.presets import PATH_WIDTHS, path_encoder

    unipen, _ = read_stroke_file(args.shared / "pen_digits" / "dev.jsonl.gz")
    tra = pendigits.load_split(args.shared / "pendigits", "train").samples
    tes = pendigits.load_split(args.shared / "pendigits", "test").samples
    training = [(s.label, s.strokes) for s in tra]
    training += [(s.label, s.strokes) for s in unipen if s.label is not None and not is_validation_writer(s.writer)]
    if args.varied:
        drawings, labels = pen_training.digit_drawings(training, args.varied, np.random.default_rng(0))
    else:
        drawings, labels = [strokes for _, strokes in training], [label for label, _ in training]
    paths, labels = path_batch(drawings), np.array(labels)

    keras.utils.set_random_seed(0)
    inputs = keras.Input(PATH_SHAPE)
    model = keras.Model(inputs, layers.Dense(10, activation="softmax")(path_encoder(inputs, PATH_WIDTHS)))
    steps = args.epochs * -(-len(paths) // 128)
    schedule = keras.optimizers.schedules.CosineDecay(
        3e-4, steps, warmup_target=3e-3, warmup_steps=steps // 20, alpha=0.01
    )
    model.compile(keras.optimizers.Adam(schedule), "sparse_categorical_crossentropy")
    data = tf.data.Dataset.from_tensor_slices((paths, labels)).shuffle(len(paths), seed=0).batch(128)
    if args.slant:
        data = data.map(lambda p, y: (augment_paths(p), y))
    started = time.perf_counter()
    model.fit(data.prefetch(2), epochs=args.epochs, verbose=0, shuffle=False)  # the dataset shuffles
    print(f"{len(paths):,} paths, {args.epochs} epochs in {time.perf_counter() - started:.0f} s")

    validation = [s for s in unipen if s.label is not None and is_validation_writer(s.writer)]
    for name, samples in (("pendigits .tes", tes), ("UNIPEN validation writers", validation)):
        truth = np.array([s.label for s in samples])
        read = model.predict(stroke_batch(samples)[1], batch_size=1000, verbose=0).argmax(axis=1)
        writers, mistakes = np.unique(np.array([s.writer for s in samples])[read != truth], return_counts=True)
        worst = ", ".join(f"{w} {n}" for n, w in sorted(zip(mistakes, writers, strict=True), reverse=True)[:3])
        print(f"{name}: {np.mean(read == truth):.2%} ({(read != truth).sum()} mistakes; most by {worst})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
