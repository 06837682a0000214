#!/usr/bin/env python3
"""Picture of the pen-written digits the bundled model gets wrong, most confident first.

    python scripts/mistakes.py [--count 40] [--out docs/mistakes.png]

Each tile is the 28x28 image the network sees, enlarged, and beside it the
path it reads: the strokes from light (where the pen came down) to dark,
with a dot where each stroke starts. The caption is "truth→guess confidence
source". By default the UNIPEN validation writers (the others train). Also
prints the most frequent confusions.
"""

from __future__ import annotations

import argparse
import sys
from collections import Counter
from pathlib import Path

import numpy as np
from model_card import SHARED
from PIL import Image, ImageDraw

from mnist_pad.datasets.unipen import is_validation_writer
from mnist_pad.ink.reading import NOT_A_DIGIT
from mnist_pad.model.evaluate import evaluate_strokes, read_samples, stroke_batch
from mnist_pad.model.inference import load_classifier
from mnist_pad.resources import bundled_model

PEN_DIGITS = SHARED / "pen_digits" / "dev.jsonl.gz"
SCALE, CAPTION, COLUMNS = 4, 14, 6


def draw_path(draw: ImageDraw.ImageDraw, path: np.ndarray, left: int, top: int, size: int) -> None:
    """The path input as the network reads it: light where the pen came down, dark where it ended,
    a dot where each stroke starts."""
    points = [(left + size * (0.5 + 0.85 * x), top + size * (0.5 + 0.85 * y)) for x, y in path[:, :2]]
    count = len(points)
    for n in range(1, count):
        if path[n, 4] == 0:
            shade = int(200 * (1 - n / count))
            draw.line([points[n - 1], points[n]], fill=(shade, shade, 255), width=3)
    for n in range(count):
        if n == 0 or path[n, 4]:
            px, py = points[n]
            draw.ellipse([px - 4, py - 4, px + 4, py + 4], fill=(46, 139, 87))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--count", type=int, default=40)
    parser.add_argument("--strokes", type=Path, default=PEN_DIGITS)
    parser.add_argument("--out", type=Path, default=Path("docs/mistakes.png"))
    args = parser.parse_args()
    samples, _ = read_samples(args.strokes)
    if args.strokes == PEN_DIGITS:
        samples = [s for s in samples if is_validation_writer(s.writer)]
    report = evaluate_strokes(load_classifier(bundled_model()), samples)
    wrong = [i for i, s in enumerate(samples) if report["predicted"][i] != s.label]
    wrong.sort(key=lambda i: -report["confidence"][i])
    pairs = Counter((samples[i].label, report["predicted"][i]) for i in wrong)
    print(f"{len(wrong)} of {len(samples)} wrong (10 = answered 'not a digit'); most frequent (truth→guess):")
    print("  " + ", ".join(f"{t}→{g}: {n}" for (t, g), n in pairs.most_common(10)))
    print("  by source: " + ", ".join(f"{s}: {n}" for s, n in Counter(samples[i].source for i in wrong).items()))
    shown = wrong[: args.count]
    images, paths = stroke_batch([samples[i] for i in shown])
    tile = 28 * SCALE
    rows = -(-len(shown) // COLUMNS)
    sheet = Image.new("RGB", (COLUMNS * 2 * tile, rows * (tile + CAPTION)), "white")
    draw = ImageDraw.Draw(sheet)
    for k, (i, image, path) in enumerate(zip(shown, images, paths, strict=True)):
        x, y = (k % COLUMNS) * 2 * tile, (k // COLUMNS) * (tile + CAPTION)
        digit = Image.fromarray((image * 255).astype(np.uint8)).resize((tile, tile), Image.NEAREST)
        sheet.paste(digit.convert("RGB"), (x, y))
        draw_path(draw, path, x + tile, y, tile)
        guess = "?" if report["predicted"][i] == NOT_A_DIGIT else report["predicted"][i]
        caption = f"{samples[i].label}->{guess}  {report['confidence'][i]:.0%}  {samples[i].writer}"
        draw.text((x + 3, y + tile + 1), caption, fill="black")
    args.out.parent.mkdir(parents=True, exist_ok=True)
    sheet.save(args.out)
    print(f"wrote {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
