"""Measure a model on pen-written digits replayed through the canvas, or on MNIST.

    python -m mnist_pad.evaluate --strokes ../shared/data/pen_digits/dev.jsonl.gz
    python -m mnist_pad.evaluate --mnist-test --data ../shared/data/mnist --json

Strokes go through the canvas's own rendering and preprocessing
(`render.network_input`), so the figures are those of the app.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import defaultdict
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np

from .drawing import DEFAULT_PEN_WIDTH
from .errors import MnistPadError
from .inference import Classifier, load_classifier
from .preprocess import SIZE
from .render import network_input
from .resources import bundled_model
from .strokes import StrokeSample, read_stroke_file, replay
from .training import classification_report


def stroke_inputs(samples: Sequence[StrokeSample], pen_width: float = DEFAULT_PEN_WIDTH):
    """(n, 28, 28) network inputs; a digit with nothing to classify is all zeros."""
    inputs = np.zeros((len(samples), SIZE, SIZE), dtype=np.float32)
    for i, sample in enumerate(samples):
        image = network_input(replay(sample.strokes, pen_width))
        if image is not None:
            inputs[i] = image
    return inputs


def evaluate_strokes(
    classifier: Classifier,
    samples: Sequence[StrokeSample],
    pen_width: float = DEFAULT_PEN_WIDTH,
) -> dict[str, Any]:
    """Accuracy overall, per class, per source, and the confusion matrix."""
    inputs = stroke_inputs(samples, pen_width)
    probabilities = classifier.predict_batch(inputs)
    predicted = probabilities.argmax(axis=1)
    labels = np.array([s.label for s in samples])
    report = classification_report(labels, predicted)
    by_source: dict[str, list[bool]] = defaultdict(list)
    for sample, guess in zip(samples, predicted, strict=False):
        by_source[sample.source].append(bool(sample.label == guess))
    report["per_source"] = {
        source: {"accuracy": round(float(np.mean(hits)), 5), "n": len(hits)}
        for source, hits in sorted(by_source.items())
    }
    report["predicted"] = predicted.tolist()
    report["confidence"] = [round(float(p), 5) for p in probabilities.max(axis=1)]
    return report


def evaluate_mnist_test(classifier: Classifier, data_folder: str | None) -> dict[str, Any]:
    from .data import load_mnist, to_model_input

    data = load_mnist(data_folder)
    probabilities = classifier.predict_batch(to_model_input(data.x_test))
    return classification_report(data.y_test, probabilities.argmax(axis=1))


def format_report(title: str, report: dict[str, Any]) -> str:
    lines = [f"{title}: accuracy {report['accuracy']:.2%} on {report['n']:,} digits"]
    lines.append("per class: " + "  ".join(f"{d}:{a:.1%}" for d, a in enumerate(report["per_class"])))
    if "per_source" in report:
        lines.append(
            "per source: " + "  ".join(f"{s}:{v['accuracy']:.1%} (n={v['n']})" for s, v in report["per_source"].items())
        )
    lines.append("confusion (rows: truth, columns: predicted)")
    lines.append("      " + "".join(f"{d:>6}" for d in range(10)))
    for digit, row in enumerate(report["confusion"]):
        lines.append(f"{digit:>6}" + "".join(f"{v:>6}" for v in row))
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--strokes", type=Path, help="stroke file (.jsonl or .jsonl.gz)")
    parser.add_argument("--mnist-test", action="store_true", help="evaluate on MNIST's test set")
    parser.add_argument("--data", help="MNIST folder for --mnist-test (default: $MNIST_PAD_DATA)")
    parser.add_argument("--model", type=Path, help="a .keras or .tflite file (default: bundled)")
    parser.add_argument("--pen-width", type=float, default=DEFAULT_PEN_WIDTH, help="canvas units")
    parser.add_argument("--json", action="store_true", help="print one JSON object")
    args = parser.parse_args(argv)
    if not args.strokes and not args.mnist_test:
        parser.error("give --strokes FILE and/or --mnist-test")
    try:
        classifier = load_classifier(args.model or bundled_model())
        results: dict[str, Any] = {"model": str(args.model or bundled_model())}
        problems: list[str] = []
        if args.strokes:
            samples, problems = read_stroke_file(args.strokes)
            results["strokes"] = evaluate_strokes(classifier, samples, args.pen_width)
            results["strokes"]["skipped_lines"] = problems
        if args.mnist_test:
            results["mnist_test"] = evaluate_mnist_test(classifier, args.data)
    except MnistPadError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    for problem in problems:
        print(f"{args.strokes}: skipped {problem}", file=sys.stderr)
    if args.json:
        # One object; the stroke figures at the top level when only strokes were asked for.
        only = results.get("strokes") if not args.mnist_test else None
        payload = {"model": results["model"], **(only or {k: v for k, v in results.items()})}
        for report in (payload, payload.get("strokes"), payload.get("mnist_test")):
            if isinstance(report, dict):
                report.pop("predicted", None)
                report.pop("confidence", None)
        print(json.dumps(payload))
    else:
        for key, title in (
            ("strokes", f"pen digits ({args.strokes})"),
            ("mnist_test", "MNIST test"),
        ):
            if key in results:
                print(format_report(title, results[key]))
    return 0


if __name__ == "__main__":
    sys.exit(main())
