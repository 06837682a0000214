#!/usr/bin/env python3
"""Write assets/check_set.jsonl.gz: the small check set that ships with the app, so that a
retrained model can always be compared with the model in use, whatever data the person has.

    python scripts/make_check_set.py [--shared ../shared/data]

300 pen-written digits (30 of each) from the UNIPEN validation writers
(mnist_pad/datasets/unipen.py: never trained on), and 200 pen-written letters
that no digit resembles, from the UNIPEN letter sources that train (art, imp,
pri, syn; the held-out aga and tos stay out). UNIPEN train_r01_v07 (the
International Unipen Foundation), CC BY 4.0: credited in the README and the
model card. Deterministic: the same files give the same set.
"""

from __future__ import annotations

import argparse
import gzip
import sys
from pathlib import Path

import numpy as np

from mnist_pad.datasets.unipen import is_validation_writer
from mnist_pad.files import atomic
from mnist_pad.ink.strokes import read_stroke_file
from mnist_pad.model.training_data import LETTER_HOLDOUT
from mnist_pad.resources import check_set

SHARED = Path(__file__).resolve().parents[2] / "shared" / "data"
DIGITS_EACH = 30
LETTERS = 200


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--shared", type=Path, default=SHARED)
    parser.add_argument("--out", type=Path, default=check_set())
    args = parser.parse_args(argv)
    rng = np.random.default_rng(0)
    digits, _ = read_stroke_file(args.shared / "pen_digits" / "dev.jsonl.gz")
    chosen = []
    for label in range(10):
        pool = [s for s in digits if s.label == label and is_validation_writer(s.writer)]
        chosen += [pool[i] for i in sorted(rng.choice(len(pool), DIGITS_EACH, replace=False))]
    letters, _ = read_stroke_file(args.shared / "letters" / "dev.jsonl.gz")
    pool = [s for s in letters if s.source not in LETTER_HOLDOUT]
    chosen += [pool[i] for i in sorted(rng.choice(len(pool), LETTERS, replace=False))]
    text = "".join(s.to_json() + "\n" for s in chosen)
    atomic.write_bytes(args.out, gzip.compress(text.encode(), mtime=0))
    print(f"wrote {args.out}: {DIGITS_EACH * 10} digits, {LETTERS} letters, {args.out.stat().st_size:,} bytes")
    return 0


if __name__ == "__main__":
    sys.exit(main())
