"""Measure a model on pen-written digits replayed through the canvas, on letters, or on MNIST.

    python -m mnist_pad.model.evaluate --strokes ../shared/data/pen_digits/dev.jsonl.gz --validation-writers
    python -m mnist_pad.model.evaluate --strokes ../shared/data/pendigits/pendigits-orig.tes.gz
    python -m mnist_pad.model.evaluate --strokes ../shared/data/pen_digits/dev.jsonl.gz --styled
    python -m mnist_pad.model.evaluate --not-digits ../shared/data/letters/dev.jsonl.gz --sources aga,tos
    python -m mnist_pad.model.evaluate --numbers ../shared/data/pen_numbers/dev.jsonl.gz
    python -m mnist_pad.model.evaluate --mnist-test --data ../shared/data/mnist --json

A digit answered "not a digit" counts as a mistake; `rejected` is its share.

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

from mnist_pad.datasets.mnist import Mnist, load_mnist, to_model_input
from mnist_pad.datasets.pen_training import STYLES, add_style
from mnist_pad.datasets.unipen import is_validation_writer
from mnist_pad.errors import MnistPadError
from mnist_pad.ink.drawing import DEFAULT_PEN_WIDTH, PEN_WIDTH_RANGE
from mnist_pad.ink.path import PATH_SHAPE, path_features
from mnist_pad.ink.preprocess import SIZE
from mnist_pad.ink.reading import NOT_A_DIGIT, decide, read_drawing
from mnist_pad.ink.render import network_input
from mnist_pad.ink.strokes import StrokeSample, read_stroke_file, replay
from mnist_pad.model.calibration import expected_calibration_error
from mnist_pad.model.inference import Classifier, load_classifier
from mnist_pad.model.training import classification_report
from mnist_pad.resources import bundled_model

#: "Confident": the share of non-digits answered as a digit at least this sure.
CONFIDENT = 0.9


def read_samples(path: Path) -> tuple[list[StrokeSample], list[str]]:
    """A stroke file (JSONL), or a UCI pendigits file in its original format."""
    if path.name.startswith("pendigits-orig"):
        from mnist_pad.datasets.pendigits import read_file

        result = read_file(path)
        return result.samples, result.skipped
    return read_stroke_file(path)


def styled(samples: Sequence[StrokeSample], seed: int = 0) -> list[StrokeSample]:
    """The digits that have a style (0, 1, 7), each with its mark added: the styles check."""
    rng = np.random.default_rng(seed)
    return [
        StrokeSample(s.label, add_style(s.label, s.strokes, rng), f"{s.source}+style", s.writer)
        for s in samples
        if s.label in STYLES
    ]


def stroke_inputs(samples: Sequence[StrokeSample], pen_width: float = DEFAULT_PEN_WIDTH) -> np.ndarray:
    """(n, 28, 28) network inputs; a digit with nothing to classify is all zeros."""
    return stroke_batch(samples, pen_width)[0]


def stroke_batch(
    samples: Sequence[StrokeSample], pen_width: float = DEFAULT_PEN_WIDTH
) -> tuple[np.ndarray, np.ndarray]:
    """Each sample as the canvas would hold it after a person wrote it: its (n, 28, 28) image (all
    zeros with nothing to classify) and its (n, *PATH_SHAPE) path."""
    images = np.zeros((len(samples), SIZE, SIZE), dtype=np.float32)
    paths = np.zeros((len(samples), *PATH_SHAPE), dtype=np.float32)
    for i, sample in enumerate(samples):
        drawing = replay(sample.strokes, pen_width)
        image = network_input(drawing)
        if image is not None:
            images[i] = image
        paths[i] = path_features(drawing.strokes)
    return images, paths


def readings(classifier: Classifier, images: np.ndarray, paths: np.ndarray) -> dict[str, np.ndarray]:
    """Probabilities of the answer the pad gives and, for a model that reads the path, of the picture
    alone (no path) and of the path alone (a blank picture)."""
    answers = {"answer": classifier.predict_batch(images, paths)}
    if classifier.reads_path:
        answers["picture_alone"] = classifier.predict_batch(images, None)
        answers["path_alone"] = classifier.predict_batch(np.zeros_like(images), paths)
    return answers


def _grouped(keys: Sequence[str], hits: np.ndarray) -> dict[str, dict[str, Any]]:
    groups: dict[str, list[bool]] = defaultdict(list)
    for key, hit in zip(keys, hits, strict=True):
        groups[key].append(bool(hit))
    return {key: {"accuracy": round(float(np.mean(v)), 5), "n": len(v)} for key, v in sorted(groups.items())}


def evaluate_strokes(
    classifier: Classifier,
    samples: Sequence[StrokeSample],
    pen_width: float = DEFAULT_PEN_WIDTH,
) -> dict[str, Any]:
    """Accuracy overall, per class, per source and per writer, the confusion matrix, and (for a model
    that reads the path) the same headline figures for the picture alone and the path alone."""
    images, paths = stroke_batch(samples, pen_width)
    answers = readings(classifier, images, paths)
    probabilities = answers.pop("answer")
    predicted = decide(probabilities)
    labels = np.array([s.label for s in samples])
    report = classification_report(labels, predicted)
    report["per_source"] = _grouped([s.source for s in samples], predicted == labels)
    report["per_writer"] = _grouped([s.writer or "(unknown)" for s in samples], predicted == labels)
    for name, alone in answers.items():
        partial = classification_report(labels, decide(alone))
        report[name] = {key: partial[key] for key in ("accuracy", "rejected", "per_class", "n")}
    read = [read_drawing(replay(s.strokes, pen_width), classifier.classify).text for s in samples]
    report["via_number_reader"] = {
        "accuracy": round(float(np.mean([text == str(s.label) for text, s in zip(read, samples, strict=True)])), 5),
        "split": round(float(np.mean([len(text) > 1 for text in read])), 5),
    }
    confidence = np.take_along_axis(probabilities, predicted[:, None], axis=1)[:, 0]
    report["calibration"] = expected_calibration_error(confidence, predicted == labels)
    report["predicted"] = predicted.tolist()
    report["confidence"] = [round(float(p), 5) for p in confidence]
    return report


def aligned_matches(truth: str, read: str) -> int:
    """Digits of `truth` read right, in order: the matches of a minimal edit alignment."""
    # cost[i][j]: (edits, -matches) to turn truth[:i] into read[:j]
    cost = [[(j, 0) for j in range(len(read) + 1)]]
    for i in range(1, len(truth) + 1):
        row = [(i, 0)]
        for j in range(1, len(read) + 1):
            same = truth[i - 1] == read[j - 1]
            diagonal = cost[i - 1][j - 1]
            row.append(
                min(
                    (diagonal[0] + (not same), diagonal[1] - same),
                    (cost[i - 1][j][0] + 1, cost[i - 1][j][1]),
                    (row[j - 1][0] + 1, row[j - 1][1]),
                )
            )
        cost.append(row)
    return -cost[-1][-1][1]


def evaluate_numbers(classifier: Classifier, samples: Sequence[StrokeSample]) -> dict[str, Any]:
    """Numbers read exactly, digits read right, and how often the digit count came out wrong."""
    exact = digits_right = digits = count_errors = 0
    by_length: dict[int, list[bool]] = defaultdict(list)
    mistakes: list[dict[str, str]] = []
    for sample in samples:
        truth = sample.text
        read = read_drawing(replay(sample.strokes), classifier.classify).text
        exact += read == truth
        count_errors += len(read) != len(truth)
        digits_right += aligned_matches(truth, read)
        digits += len(truth)
        by_length[len(truth)].append(read == truth)
        if read != truth and len(mistakes) < 50:
            mistakes.append({"text": truth, "read": read, "writer": sample.writer})
    n = len(samples)
    return {
        "exact": round(exact / n, 5),
        "digit_accuracy": round(digits_right / max(digits, 1), 5),
        "count_errors": round(count_errors / n, 5),
        "n": n,
        "per_length": {k: {"exact": round(float(np.mean(v)), 5), "n": len(v)} for k, v in sorted(by_length.items())},
        "mistakes": mistakes,
    }


def format_numbers(title: str, report: dict[str, Any]) -> str:
    lines = [
        f"{title}: {report['exact']:.2%} read exactly, digit accuracy {report['digit_accuracy']:.2%}, "
        f"wrong digit count {report['count_errors']:.2%}, on {report['n']:,} numbers",
        "per length: " + "  ".join(f"{k}:{v['exact']:.1%} (n={v['n']})" for k, v in report["per_length"].items()),
        "some mistakes (written -> read): "
        + "  ".join(f"{m['text']}->{m['read'] or '(nothing)'}" for m in report["mistakes"][:12]),
    ]
    return "\n".join(lines)


def evaluate_not_digits(classifier: Classifier, samples: Sequence[StrokeSample]) -> dict[str, Any]:
    """How often drawings that are no digit are answered "not a digit", or a confident digit (and, for
    a model that reads the path, the same for the picture alone and the path alone).

    Nothing to classify (a speck) counts as rejected: the pad shows no digit either.
    """
    images, paths = stroke_batch(samples)
    empty = ~images.any(axis=(1, 2))

    def judged(probabilities: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        rejected = empty | (decide(probabilities) == NOT_A_DIGIT)
        return rejected, ~rejected & (probabilities[:, :NOT_A_DIGIT].max(axis=1) >= CONFIDENT)

    def shares(rejected: np.ndarray, confident: np.ndarray, mask: np.ndarray) -> dict[str, Any]:
        n = int(mask.sum())
        return {
            "rejected": round(float(rejected[mask].mean()), 5) if n else 0.0,
            "confident_digit": round(float(confident[mask].mean()), 5) if n else 0.0,
            "n": n,
        }

    answers = readings(classifier, images, paths)
    rejected, confident = judged(answers.pop("answer"))
    everything = np.ones(len(samples), bool)
    report = shares(rejected, confident, everything)
    keys = {"per_character": [s.text for s in samples], "per_source": [s.source for s in samples]}
    for name, texts in keys.items():
        values = np.array(texts)
        report[name] = {value: shares(rejected, confident, values == value) for value in sorted(set(texts))}
    for name, probabilities in answers.items():
        report[name] = shares(*judged(probabilities), everything)
    return report


def classify_test_set(classifier: Classifier, data: Mnist) -> dict[str, Any]:
    """`classifier` on MNIST's test set, with the app's decision rule (so "not a digit" counts)."""
    return classification_report(data.y_test, decide(classifier.predict_batch(to_model_input(data.x_test))))


def evaluate_mnist_test(classifier: Classifier, data_folder: str | None) -> dict[str, Any]:
    return classify_test_set(classifier, load_mnist(data_folder))


def format_not_digits(title: str, report: dict[str, Any]) -> str:
    lines = [
        f'{title}: {report["rejected"]:.2%} answered "not a digit", {report["confident_digit"]:.2%} '
        f"a digit with >= {CONFIDENT:.0%} confidence, on {report['n']:,} drawings"
    ]
    for name in ("picture_alone", "path_alone"):
        if name in report:
            lines.append(
                f"{name.replace('_', ' ')}: {report[name]['rejected']:.2%} rejected, "
                f"{report[name]['confident_digit']:.2%} a confident digit"
            )
    for key in ("per_source", "per_character"):
        lines.append(
            f"{key.replace('_', ' ')}: "
            + "  ".join(f"{k}:{v['rejected']:.0%}/{v['confident_digit']:.0%}" for k, v in report[key].items())
            + "  (rejected/confident digit)"
        )
    return "\n".join(lines)


def format_report(title: str, report: dict[str, Any]) -> str:
    lines = [
        f"{title}: accuracy {report['accuracy']:.2%} on {report['n']:,} digits, "
        f'{report.get("rejected", 0):.2%} answered "not a digit"'
    ]
    lines.append("per class: " + "  ".join(f"{d}:{a:.1%}" for d, a in enumerate(report["per_class"])))
    for name in ("picture_alone", "path_alone"):
        if name in report:
            alone = report[name]
            lines.append(
                f"{name.replace('_', ' ')}: accuracy {alone['accuracy']:.2%}, {alone['rejected']:.2%} rejected; "
                + "  ".join(f"{d}:{a:.1%}" for d, a in enumerate(alone["per_class"]))
            )
    if "per_writer" in report:
        writers = report["per_writer"]
        enough = [v["accuracy"] for v in writers.values() if v["n"] >= 20]
        if enough:
            lines.append(
                f"per writer ({len(enough)} with 20 digits or more): {np.mean(np.array(enough) >= 0.98):.0%} read at "
                f"98% or better, the worst at {min(enough):.1%}"
            )
    if "via_number_reader" in report:
        via = report["via_number_reader"]
        lines.append(
            f"through the number reader (segmentation first): accuracy {via['accuracy']:.2%}, "
            f"{via['split']:.2%} read as more than one digit"
        )
    if "calibration" in report:
        lines.append(
            f"calibration: expected calibration error {report['calibration']['ece']:.2%}; confidence -> accuracy: "
            + "  ".join(
                f"{b['confidence']:.0%}->{b['accuracy']:.0%} (n={b['n']})" for b in report["calibration"]["bins"]
            )
        )
    if "per_source" in report:
        lines.append(
            "per source: " + "  ".join(f"{s}:{v['accuracy']:.1%} (n={v['n']})" for s, v in report["per_source"].items())
        )
    lines.append("confusion (rows: truth, columns: predicted)")
    lines.append("      " + "".join(f"{d:>6}" for d in range(len(report["confusion"][0]))))
    for digit, row in enumerate(report["confusion"]):
        lines.append(f"{digit:>6}" + "".join(f"{v:>6}" for v in row))
    return "\n".join(lines)


def pen_width(text: str) -> float:
    """An argparse type: a pen width the canvas's slider can set, in canvas units."""
    low, high = PEN_WIDTH_RANGE
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a number") from None
    if not low <= value <= high:  # also refuses NaN and infinities
        raise argparse.ArgumentTypeError(f"{text} is outside the pen's range, {low} to {high} (canvas units)")
    return value


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--strokes", type=Path, help="stroke file (.jsonl[.gz]) or pendigits-orig.tes[.gz]/.tra[.gz]")
    parser.add_argument("--styled", action="store_true", help="with --strokes: add each style mark to 0s, 1s and 7s")
    parser.add_argument("--numbers", type=Path, help='stroke file of numbers ("text": "2026"), read digit by digit')
    parser.add_argument("--not-digits", type=Path, help="stroke file of drawings that are no digit (letters)")
    parser.add_argument("--sources", help="only these sources, comma-separated (e.g. the held-out aga,tos)")
    parser.add_argument(
        "--validation-writers",
        action="store_true",
        help="only the UNIPEN writers kept out of training (datasets/unipen.py): the honest figure on that file",
    )
    parser.add_argument("--mnist-test", action="store_true", help="evaluate on MNIST's test set")
    parser.add_argument("--data", help="MNIST folder for --mnist-test (default: $MNIST_PAD_DATA)")
    parser.add_argument("--model", type=Path, help="a .keras or .tflite file (default: bundled)")
    parser.add_argument(
        "--pen-width",
        type=pen_width,
        default=DEFAULT_PEN_WIDTH,
        help=f"canvas units, {PEN_WIDTH_RANGE[0]} to {PEN_WIDTH_RANGE[1]}",
    )
    parser.add_argument("--json", action="store_true", help="print one JSON object")
    args = parser.parse_args(argv)
    if not (args.strokes or args.mnist_test or args.not_digits or args.numbers):
        parser.error("give --strokes FILE, --numbers FILE, --not-digits FILE and/or --mnist-test")
    wanted = set(args.sources.split(",")) if args.sources else None

    def pick(samples: list[StrokeSample]) -> list[StrokeSample]:
        chosen = [s for s in samples if wanted is None or s.source in wanted]
        if args.validation_writers:
            chosen = [s for s in chosen if is_validation_writer(s.writer)]
        if not chosen:
            raise MnistPadError(
                "no sample from " + (f"the sources {args.sources}" if wanted else "the validation writers")
            )
        return chosen

    try:
        classifier = load_classifier(args.model or bundled_model())
        # The file measured: a .keras is measured through its LiteRT form, when one beside it is current.
        results: dict[str, Any] = {"model": classifier.source}
        problems: list[str] = []
        if args.strokes:
            samples, problems = read_samples(args.strokes)
            samples = pick([s for s in samples if s.label is not None])
            samples = styled(samples) if args.styled else samples
            results["strokes"] = evaluate_strokes(classifier, samples, args.pen_width)
            results["strokes"]["skipped_lines"] = problems
        if args.numbers:
            samples, more = read_stroke_file(args.numbers)
            problems += more
            numbers = pick([s for s in samples if s.label is not None or "text" in s.extra])
            results["numbers"] = evaluate_numbers(classifier, numbers)
        if args.not_digits:
            samples, more = read_stroke_file(args.not_digits)
            problems += more
            results["not_digits"] = evaluate_not_digits(classifier, pick(samples))
        if args.mnist_test:
            results["mnist_test"] = evaluate_mnist_test(classifier, args.data)
    except MnistPadError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    for problem in problems:
        print(f"skipped {problem}", file=sys.stderr)
    if args.json:
        # One object; the figures at the top level when only one evaluation was asked for.
        asked = [key for key in ("strokes", "numbers", "not_digits", "mnist_test") if key in results]
        only = results[asked[0]] if len(asked) == 1 else None
        payload = {"model": results["model"], **(only or {k: v for k, v in results.items()})}
        for report in (payload, payload.get("strokes"), payload.get("mnist_test")):
            if isinstance(report, dict):
                report.pop("predicted", None)
                report.pop("confidence", None)
        print(json.dumps(payload))
    else:
        print(f"model: {classifier.source}")
        for key, title in (
            ("strokes", f"pen digits ({args.strokes}{', styled' if args.styled else ''})"),
            ("mnist_test", "MNIST test"),
        ):
            if key in results:
                print(format_report(title, results[key]))
        if "numbers" in results:
            print(format_numbers(f"numbers ({args.numbers})", results["numbers"]))
        if "not_digits" in results:
            print(format_not_digits(f"not digits ({args.not_digits})", results["not_digits"]))
    return 0


if __name__ == "__main__":
    sys.exit(main())
