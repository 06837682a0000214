#!/usr/bin/env python3
"""Write assets/model_card.json: the bundled model's training record and every figure it is judged by.

    python scripts/model_card.py [--model assets/model.keras] [--shared ../shared/data]

Reads the metrics train.py saved beside the model and measures, through the
product's own path (the evaluator): the pen-digit dev set, the held-out
pendigits writers (.tes), the styles check, letters from sources kept out of
training, and written numbers. Each entry names the command that reproduces it.
"""

from __future__ import annotations

import argparse
import json
import sys
from datetime import date
from pathlib import Path

from mnist_pad.datasets.shipped import credit_lines
from mnist_pad.datasets.unipen import is_validation_writer
from mnist_pad.files import atomic
from mnist_pad.ink.strokes import read_stroke_file
from mnist_pad.model.compare import CARD_KEY, card_figures
from mnist_pad.model.evaluate import (
    evaluate_mnist_test,
    evaluate_not_digits,
    evaluate_numbers,
    evaluate_strokes,
    read_samples,
    styled,
)
from mnist_pad.model.inference import load_classifier
from mnist_pad.model.model_io import metrics_path_for
from mnist_pad.model.training_data import LETTER_HOLDOUT
from mnist_pad.resources import bundled_model, model_card

SHARED = Path(__file__).resolve().parents[2] / "shared" / "data"
KEEP = (
    "preset",
    "epochs",
    "batch_size",
    "seed",
    "params",
    "num_classes",
    "temperature",
    "loss",
    "train_composition",
    "wall_time_s",
    "trained_at",
    "data_source",
    "data_checksum",
    "tensorflow",
    "command",
)


def writers_summary(per_writer: dict, least: int = 20) -> dict:
    """How the writers with `least` digits or more fare: the share read at 98% or better, the worst."""
    enough = {w: v for w, v in per_writer.items() if v["n"] >= least}
    if not enough:
        return {"writers": 0}
    accuracies = [v["accuracy"] for v in enough.values()]
    worst = min(enough, key=lambda w: enough[w]["accuracy"])
    return {
        "writers": len(enough),
        "at_least_98": round(sum(a >= 0.98 for a in accuracies) / len(accuracies), 4),
        "worst": {"writer": worst, **enough[worst]},
        "least_digits": least,
    }


def digits_entry(report: dict, how: str) -> dict:
    keys = ("n", "accuracy", "rejected", "per_class", "per_source", "via_number_reader", "picture_alone", "path_alone")
    entry = {key: report[key] for key in keys if key in report}
    entry["per_writer"] = writers_summary(report["per_writer"])
    entry["accuracy"] = round(entry["accuracy"], 5)
    entry["rejected"] = round(entry["rejected"], 5)
    entry["calibration_error"] = report["calibration"]["ece"]
    entry["reliability"] = report["calibration"]["bins"]
    entry["how"] = how
    return entry


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--model", type=Path, default=bundled_model())
    parser.add_argument("--shared", type=Path, default=SHARED, help="the folder holding the data sets")
    parser.add_argument("--out", type=Path, default=model_card())
    args = parser.parse_args()
    metrics = json.loads(metrics_path_for(args.model).read_text())
    card = {key: metrics[key] for key in KEEP if key in metrics}
    card["card_written"] = date.today().isoformat()
    classifier = load_classifier(args.model)
    how = "python -m mnist_pad.model.evaluate"

    mnist = evaluate_mnist_test(classifier, str(args.shared / "mnist"))  # with the app's decision rule
    card["mnist"] = {
        "accuracy": round(mnist["accuracy"], 5),
        "rejected": round(mnist["rejected"], 5),
        "per_class": mnist["per_class"],
        "how": f"{how} --mnist-test --data ../shared/data/mnist",
    }
    dev, _ = read_stroke_file(args.shared / "pen_digits" / "dev.jsonl.gz")
    dev = [s for s in dev if is_validation_writer(s.writer)]  # the others train
    card["pen_digits"] = digits_entry(
        evaluate_strokes(classifier, dev),
        f"{how} --strokes ../shared/data/pen_digits/dev.jsonl.gz --validation-writers",
    )
    card["pen_digits"]["writers"] = "the 25 UNIPEN validation writers, never trained on (datasets/unipen.py)"
    tes, _ = read_samples(args.shared / "pendigits" / "pendigits-orig.tes.gz")
    card["pendigits_tes"] = digits_entry(
        evaluate_strokes(classifier, tes), f"{how} --strokes ../shared/data/pendigits/pendigits-orig.tes.gz"
    )
    styles = evaluate_strokes(classifier, styled(dev))
    card["styles_check"] = {
        "n": styles["n"],
        "accuracy": round(styles["accuracy"], 5),
        "per_class": {d: styles["per_class"][d] for d in (0, 1, 7)},
        "what": "dev 0s with a slash or bar, 1s with a foot, 7s with a crossbar added",
        "how": f"{how} --strokes ../shared/data/pen_digits/dev.jsonl.gz --validation-writers --styled",
    }
    letters, _ = read_stroke_file(args.shared / "letters" / "dev.jsonl.gz")
    held_out = [s for s in letters if s.source in LETTER_HOLDOUT]
    report = evaluate_not_digits(classifier, held_out)
    card["letters_held_out"] = {
        "sources": list(LETTER_HOLDOUT),
        **{k: report[k] for k in ("n", "rejected", "confident_digit", "per_character")},
        "how": f"{how} --not-digits ../shared/data/letters/dev.jsonl.gz --sources {','.join(LETTER_HOLDOUT)}",
    }
    numbers, _ = read_stroke_file(args.shared / "pen_numbers" / "dev.jsonl.gz")
    report = evaluate_numbers(classifier, [s for s in numbers if is_validation_writer(s.writer)])
    card["pen_numbers"] = {
        **{k: report[k] for k in ("n", "exact", "digit_accuracy", "count_errors", "per_length")},
        "writers": "the validation writers' numbers: the others' digits train",
        "how": f"{how} --numbers ../shared/data/pen_numbers/dev.jsonl.gz --validation-writers",
    }
    report = evaluate_numbers(classifier, numbers)
    card["pen_numbers_all_writers"] = {
        **{k: report[k] for k in ("n", "exact", "digit_accuracy", "count_errors")},
        "writers": "all 1,000, most by writers whose digits train (not a held-out figure)",
        "how": f"{how} --numbers ../shared/data/pen_numbers/dev.jsonl.gz",
    }
    # The figures every other model is shown with (the result page, My models): the same measures.
    card[CARD_KEY] = card_figures(classifier)
    card["training_data_credits"] = credit_lines()
    atomic.write_text(args.out, json.dumps(card, indent=1) + "\n")
    print(
        f"{args.out}: MNIST {card['mnist']['accuracy']:.2%} ({card['mnist']['rejected']:.2%} rejected), "
        f"pen digits {card['pen_digits']['accuracy']:.2%}, pendigits .tes {card['pendigits_tes']['accuracy']:.2%}, "
        f"styles {card['styles_check']['accuracy']:.2%}, letters rejected {card['letters_held_out']['rejected']:.2%}, "
        f"numbers exact {card['pen_numbers']['exact']:.2%}"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
