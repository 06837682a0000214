#!/usr/bin/env python3
"""How far averaging several trained models gets: a probe of what more capacity could buy.

    python scripts/ensemble_probe.py runs/a.keras runs/b.keras [...] [--shared ../shared/data]

Each model alone, then the mean of their probabilities for every subset of two
or more, on MNIST test, the pen-digit dev set and the held-out pendigits `.tes`
writers, with the app's decision rule. An ensemble of N models costs N times
the inference and training of one; it is not a candidate for the app, only a
yardstick: if N models together miss a target, a network N times larger on the
same data is unlikely to reach it.
"""

from __future__ import annotations

import argparse
import functools
import itertools
import sys
from pathlib import Path

import numpy as np
from model_card import SHARED

from mnist_pad.datasets import pendigits
from mnist_pad.datasets.mnist import load_mnist, to_model_input
from mnist_pad.ink.reading import decide
from mnist_pad.ink.strokes import read_stroke_file
from mnist_pad.model.evaluate import stroke_inputs
from mnist_pad.model.inference import load_classifier


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("models", nargs="+", type=Path)
    parser.add_argument("--shared", type=Path, default=SHARED, help="the folder holding the data sets")
    parser.add_argument("--top", type=int, default=10, help="subsets to list, best on the dev set first")
    args = parser.parse_args()
    dev, _ = read_stroke_file(args.shared / "pen_digits" / "dev.jsonl.gz")
    tes = pendigits.load_split(args.shared / "pendigits", "test")
    mnist = load_mnist(args.shared / "mnist")
    sets = {
        "MNIST": (to_model_input(mnist.x_test), mnist.y_test),
        "dev": (stroke_inputs(dev), np.array([s.label for s in dev])),
        ".tes": (stroke_inputs(tes.samples), np.array([s.label for s in tes.samples])),
    }
    probabilities = {}
    for path in args.models:
        classifier = load_classifier(path)
        probabilities[path.stem] = {name: classifier.predict_batch(x) for name, (x, _) in sets.items()}

    @functools.cache  # sorting the subsets and printing the best both ask
    def accuracies(names: tuple[str, ...]) -> dict[str, float]:
        return {
            name: float((decide(np.mean([probabilities[n][name] for n in names], axis=0)) == labels).mean())
            for name, (_, labels) in sets.items()
        }

    def row(names: tuple[str, ...]) -> str:
        return "  ".join(f"{name} {value:7.2%}" for name, value in accuracies(names).items()) + "  " + "+".join(names)

    print("alone:")
    for name in probabilities:
        print(" ", row((name,)))
    subsets = [c for r in range(2, len(probabilities) + 1) for c in itertools.combinations(probabilities, r)]
    subsets.sort(key=lambda names: -accuracies(names)["dev"])
    print(f"averaged, best {args.top} of {len(subsets)} subsets on the dev set:")
    for names in subsets[: args.top]:
        print(" ", row(names))
    return 0


if __name__ == "__main__":
    sys.exit(main())
