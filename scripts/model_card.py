#!/usr/bin/env python3
"""Write assets/model_card.json: the bundled model's training record and its figures.

    python scripts/model_card.py [--model assets/model.keras] [--strokes PEN_DIGITS]

Reads the metrics train.py saved beside the model and adds the accuracy on
pen-written digits, replayed through the canvas (per source and per class).
"""

from __future__ import annotations

import argparse
import json
import sys
from datetime import date
from pathlib import Path

from mnist_pad import atomic
from mnist_pad.evaluate import evaluate_strokes
from mnist_pad.inference import load_classifier
from mnist_pad.model_io import metrics_path_for
from mnist_pad.resources import bundled_model, model_card
from mnist_pad.strokes import read_stroke_file

PEN_DIGITS = Path(__file__).resolve().parents[2] / "shared" / "data" / "pen_digits" / "dev.jsonl.gz"
KEEP = (
    "preset",
    "epochs",
    "batch_size",
    "seed",
    "params",
    "test_accuracy",
    "test_loss",
    "per_class_accuracy",
    "wall_time_s",
    "trained_at",
    "data_source",
    "data_checksum",
    "tensorflow",
    "command",
)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--model", type=Path, default=bundled_model())
    parser.add_argument("--strokes", type=Path, default=PEN_DIGITS)
    parser.add_argument("--out", type=Path, default=model_card())
    args = parser.parse_args()
    metrics = json.loads(metrics_path_for(args.model).read_text())
    card = {key: metrics[key] for key in KEEP if key in metrics}
    card["card_written"] = date.today().isoformat()
    samples, _ = read_stroke_file(args.strokes)
    report = evaluate_strokes(load_classifier(args.model), samples)
    card["pen_digits"] = {
        "file": args.strokes.name,
        "n": report["n"],
        "accuracy": round(report["accuracy"], 5),
        "per_class": report["per_class"],
        "per_source": report["per_source"],
        "how": "python -m mnist_pad.evaluate --strokes ../shared/data/pen_digits/dev.jsonl.gz",
    }
    atomic.write_text(args.out, json.dumps(card, indent=1) + "\n")
    print(f"{args.out}: MNIST {card['test_accuracy']:.2%}, pen digits {report['accuracy']:.2%}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
