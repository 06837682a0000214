#!/usr/bin/env python3
"""Simulated people: does learning from a few corrections fix a writer's style?

    python bench/personalise.py [--data ../shared/data/mnist] [--worst N] [--writers N]

For each held-out writer with at least 40 digits (the pendigits `.tes`
writers and the UNIPEN validation writers: the bundled model never trained
on them), up to 3 samples per digit become that writer's corrections; the
bundled model is fine-tuned on them (`personalise.fine_tune`, as the app
does, strokes and all) and measured on the writer's other digits before and
after, on MNIST's test set and on the held-out letters (still turned away?). `--worst N` takes the N writers the bundled
model misreads most (the issue's measure: 10). Prints a row per writer and
the averages: the error's fall as the ratio of the averages and as the
average of each writer's fall, MNIST after every learn, and the time of the
learn itself (features and refit; the app adds loading the model).
"""

from __future__ import annotations

import argparse
import os
import sys
from collections import defaultdict
from pathlib import Path

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
sys.path.insert(0, str(Path(__file__).resolve().parent))

import numpy as np
from common import LETTERS, PEN_DIGITS

from mnist_pad.datasets.mnist import load_mnist
from mnist_pad.datasets.unipen import is_validation_writer
from mnist_pad.ink.reading import NOT_A_DIGIT, decide
from mnist_pad.ink.strokes import read_stroke_file
from mnist_pad.model.evaluate import read_samples, stroke_batch
from mnist_pad.model.inputs import model_inputs
from mnist_pad.model.model_io import load_keras
from mnist_pad.model.personalise import fine_tune
from mnist_pad.model.training import evaluate_model
from mnist_pad.model.training_data import LETTER_HOLDOUT
from mnist_pad.resources import bundled_model

MIN_DIGITS, PER_DIGIT = 40, 3


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--data", default=os.environ.get("MNIST_PAD_DATA"))
    parser.add_argument("--writers", type=int, default=0, help="at most this many writers (0: all)")
    parser.add_argument("--worst", type=int, default=0, help="only the N writers read worst before learning")
    args = parser.parse_args()
    unipen, _ = read_stroke_file(PEN_DIGITS)
    samples = [s for s in unipen if is_validation_writer(s.writer)]
    samples += read_samples(PEN_DIGITS.parents[1] / "pendigits" / "pendigits-orig.tes.gz")[0]
    (images, paths), labels = stroke_batch(samples), np.array([s.label for s in samples])
    by_writer = defaultdict(list)
    for i, sample in enumerate(samples):
        by_writer[sample.writer].append(i)
    writers = [w for w, ix in by_writer.items() if len(ix) >= MIN_DIGITS][: args.writers or None]
    data = load_mnist(args.data)
    model = load_keras(bundled_model())
    mnist_before = evaluate_model(model, data.x_test, data.y_test)["accuracy"]
    held_out = [s for s in read_stroke_file(LETTERS)[0] if s.source in LETTER_HOLDOUT]
    letter_images, letter_paths = stroke_batch(held_out)

    def turned_away(m) -> float:
        return float((decide(m.predict(model_inputs(m, letter_images, letter_paths), verbose=0)) == NOT_A_DIGIT).mean())

    letters_before = turned_away(model)

    def error(m, idx):
        answers = decide(m.predict(model_inputs(m, images[idx], paths[idx]), verbose=0))
        return float((answers != labels[idx]).mean())

    if args.worst:
        writers = sorted(writers, key=lambda w: -error(model, by_writer[w]))[: args.worst]

    rows = []
    print(
        f"{'writer':<30}{'digits':>7}{'corr.':>6}{'error before':>14}{'after':>8}{'MNIST after':>13}"
        f"{'letters after':>15}{'time':>7}"
    )
    for writer in writers:
        per_digit = defaultdict(list)
        for i in by_writer[writer]:
            per_digit[labels[i]].append(i)
        corrections = [i for idx in per_digit.values() for i in idx[:PER_DIGIT]]
        rest = sorted(set(by_writer[writer]) - set(corrections))
        result = fine_tune(
            model,
            images[corrections],
            labels[corrections],
            data,
            paths=paths[corrections],
            strokes=[samples[i].strokes for i in corrections],
            measure_mnist=False,
        )
        mnist_after = evaluate_model(result.model, data.x_test, data.y_test)["accuracy"]
        row = (
            error(model, rest),
            error(result.model, rest),
            mnist_after,
            turned_away(result.model),
            result.metrics["wall_time_s"],
        )
        rows.append(row)
        print(
            f"{writer:<30}{len(by_writer[writer]):>7}{len(corrections):>6}{row[0]:>14.2%}{row[1]:>8.2%}"
            f"{row[2]:>13.2%}{row[3]:>15.2%}{row[4]:>6.1f}s",
            flush=True,
        )
    before, after, mnist, letters, seconds = (np.array(column) for column in zip(*rows, strict=True))
    print(
        f"{'average over ' + str(len(rows)) + ' writers':<43}{before.mean():>14.2%}{after.mean():>8.2%}"
        f"{mnist.mean():>13.2%}{letters.mean():>15.2%}{seconds.mean():>6.1f}s"
    )
    falls = [1 - a / b for b, a in zip(before, after, strict=True) if b > 0]
    print(
        f"error falls by {1 - after.mean() / before.mean():.0%} (of the averages; {np.mean(falls):.0%} as the "
        f"average of each writer's fall); MNIST {mnist_before:.2%} -> {mnist.mean():.2%} on average (worst "
        f"{mnist.min():.2%}); held-out letters turned away {letters_before:.2%} -> {letters.mean():.2%} (worst "
        f"{letters.min():.2%}); learning at most {seconds.max():.1f} s (median {np.median(seconds):.1f} s)"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
