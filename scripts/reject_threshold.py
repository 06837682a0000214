#!/usr/bin/env python3
"""Choose the "not a digit" threshold: digits wrongly rejected against letters rightly rejected.

    python scripts/reject_threshold.py [--model M.keras] [--data ../shared/data/mnist]

Tuned on the pen-digit dev set and on the letters of the sources that
training saw; the held-out letter sources stay out, for honest figures.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import numpy as np

from mnist_pad.datasets.mnist import load_mnist, to_model_input
from mnist_pad.ink.reading import DIGITS, NOT_A_DIGIT
from mnist_pad.ink.strokes import read_stroke_file
from mnist_pad.model.evaluate import stroke_inputs
from mnist_pad.model.inference import load_classifier
from mnist_pad.model.training_data import LETTER_HOLDOUT
from mnist_pad.resources import bundled_model

SHARED = Path(__file__).resolve().parents[2] / "shared" / "data"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--model", type=Path, default=bundled_model())
    parser.add_argument("--data", help="MNIST folder (default: $MNIST_PAD_DATA)")
    args = parser.parse_args()
    classifier = load_classifier(args.model)
    dev, _ = read_stroke_file(SHARED / "pen_digits" / "dev.jsonl.gz")
    letters, _ = read_stroke_file(SHARED / "letters" / "dev.jsonl.gz")
    seen = [s for s in letters if s.source not in LETTER_HOLDOUT]
    p_dev = classifier.predict_batch(stroke_inputs(dev))
    p_letters = classifier.predict_batch(stroke_inputs(seen))
    p_mnist = classifier.predict_batch(to_model_input(load_mnist(args.data).x_test))
    labels = np.array([s.label for s in dev])
    print(f"{'threshold':>9} {'dev rejected':>13} {'dev accuracy':>13} {'MNIST rejected':>15} {'letters rejected':>17}")
    for threshold in (0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9):
        rejected = p_dev[:, NOT_A_DIGIT] >= threshold
        correct = ~rejected & (p_dev[:, :DIGITS].argmax(1) == labels)
        mnist_rejected = (p_mnist[:, NOT_A_DIGIT] >= threshold).mean()
        letters_rejected = (p_letters[:, NOT_A_DIGIT] >= threshold).mean()
        print(
            f"{threshold:>9.1f} {rejected.mean():>13.2%} {correct.mean():>13.2%} "
            f"{mnist_rejected:>15.2%} {letters_rejected:>17.2%}"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
