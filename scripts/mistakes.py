#!/usr/bin/env python3
"""Picture of the pen-written digits the bundled model gets wrong, most confident first.

    python scripts/mistakes.py [--count 40] [--out docs/mistakes.png]

Each tile is the 28x28 image the network sees, enlarged, captioned
"truth→guess confidence source". Also prints the most frequent confusions.
"""

from __future__ import annotations

import argparse
import sys
from collections import Counter
from pathlib import Path

import numpy as np
from model_card import SHARED
from PIL import Image, ImageDraw

from mnist_pad.ink.reading import NOT_A_DIGIT
from mnist_pad.model.evaluate import evaluate_strokes, read_samples, stroke_inputs
from mnist_pad.model.inference import load_classifier
from mnist_pad.resources import bundled_model

PEN_DIGITS = SHARED / "pen_digits" / "dev.jsonl.gz"
SCALE, CAPTION, COLUMNS = 4, 14, 10


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--count", type=int, default=40)
    parser.add_argument("--strokes", type=Path, default=PEN_DIGITS)
    parser.add_argument("--out", type=Path, default=Path("docs/mistakes.png"))
    args = parser.parse_args()
    samples, _ = read_samples(args.strokes)
    report = evaluate_strokes(load_classifier(bundled_model()), samples)
    wrong = [i for i, s in enumerate(samples) if report["predicted"][i] != s.label]
    wrong.sort(key=lambda i: -report["confidence"][i])
    pairs = Counter((samples[i].label, report["predicted"][i]) for i in wrong)
    print(f"{len(wrong)} of {len(samples)} wrong (10 = answered 'not a digit'); most frequent (truth→guess):")
    print("  " + ", ".join(f"{t}→{g}: {n}" for (t, g), n in pairs.most_common(10)))
    print("  by source: " + ", ".join(f"{s}: {n}" for s, n in Counter(samples[i].source for i in wrong).items()))
    shown = wrong[: args.count]
    images = stroke_inputs([samples[i] for i in shown])
    tile = 28 * SCALE
    rows = -(-len(shown) // COLUMNS)
    sheet = Image.new("L", (COLUMNS * tile, rows * (tile + CAPTION)), 255)
    draw = ImageDraw.Draw(sheet)
    for k, (i, image) in enumerate(zip(shown, images, strict=True)):
        x, y = (k % COLUMNS) * tile, (k // COLUMNS) * (tile + CAPTION)
        digit = Image.fromarray((image * 255).astype(np.uint8)).resize((tile, tile), Image.NEAREST)
        sheet.paste(digit, (x, y))
        guess = "?" if report["predicted"][i] == NOT_A_DIGIT else report["predicted"][i]
        caption = f"{samples[i].label}->{guess} {report['confidence'][i]:.0%} {samples[i].source}"
        draw.text((x + 3, y + tile + 1), caption, fill=0)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    sheet.save(args.out)
    print(f"wrote {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
