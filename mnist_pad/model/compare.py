"""The model in use beside a new one, on every measure the pad cares about, and a verdict in
plain words: what the retrain dialog and Learn show before the person chooses.

Measured through the product's path (model/evaluate.py) on the check set that
ships with the app (assets/check_set.jsonl.gz: pen digits of writers never
trained on, letters, and numbers made of those digits), so a comparison is
always possible; on the held-out pen writers and letters too when the person
gave those files.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from mnist_pad.ink.reading import NOT_A_DIGIT
from mnist_pad.ink.strokes import StrokeSample, read_stroke_file
from mnist_pad.model.evaluate import evaluate_not_digits, evaluate_numbers, evaluate_strokes
from mnist_pad.model.inference import Classifier
from mnist_pad.resources import check_set

#: What each measure is called on the results page, and how much worse counts as worse
#: (points of a share; beyond what another training seed moves).
MEASURES = {
    "mnist": ("MNIST test digits read right", 0.003),
    "check_digits": ("pen digits of writers never trained on", 0.02),
    "pen_digits": ("pen digits of the held-out pendigits writers", 0.01),
    "check_numbers": ("numbers read exactly", 0.05),
    "check_letters_rejected": ('letters answered "not a digit"', 0.05),
    "letters_rejected": ('held-out letters answered "not a digit"', 0.05),
    "samples": ("your samples read right", 0.0),
}
#: What `measure` always gives: the figures on the check set that ships, the same for every model.
CHECK_FIGURES = ("check_digits", "check_numbers", "check_letters_rejected", "calibration_error")
#: A calibration error this much higher counts as worse (confidence that means less).
CALIBRATION_SLACK = 0.02
#: A shift of at least this many digits from one answer to another is worth a sentence.
SHIFT_AT_LEAST = 5


@dataclass(frozen=True)
class CheckSet:
    digits: list[StrokeSample]
    letters: list[StrokeSample]
    numbers: list[StrokeSample]


def numbers_from(digits: Sequence[StrokeSample], count: int = 40, seed: int = 0) -> list[StrokeSample]:
    """Numbers of 2 to 4 digits, each digit a check-set digit, side by side as people write them."""
    rng = np.random.default_rng(seed)
    numbers = []
    for _ in range(count):
        picked = [digits[i] for i in rng.choice(len(digits), int(rng.integers(2, 5)), replace=False)]
        strokes, left = [], 0.0
        for digit in picked:
            xs = [x for stroke in digit.strokes for x, _ in stroke]
            strokes += [[(x - min(xs) + left, y) for x, y in stroke] for stroke in digit.strokes]
            left += max(xs) - min(xs) + 0.35
        text = "".join(str(d.label) for d in picked)
        numbers.append(StrokeSample(None, strokes, "check", "check", {"text": text}))
    return numbers


def load_check_set(path: Path | None = None) -> CheckSet:
    samples, _ = read_stroke_file(path or check_set())
    digits = [s for s in samples if s.label is not None]
    letters = [s for s in samples if s.label is None]
    return CheckSet(digits, letters, numbers_from(digits))


def measure(
    classifier: Classifier,
    check: CheckSet,
    pen_digits: Sequence[StrokeSample] = (),
    letters: Sequence[StrokeSample] = (),
) -> dict[str, float]:
    """Every figure of one model (shares, 0 to 1); `pen_digits` and `letters`: held-out sets, if given."""
    figures: dict[str, float] = {}
    report = evaluate_strokes(classifier, check.digits)
    figures["check_digits"] = report["accuracy"]
    figures["calibration_error"] = report["calibration"]["ece"]
    figures["check_numbers"] = evaluate_numbers(classifier, check.numbers)["exact"]
    figures["check_letters_rejected"] = evaluate_not_digits(classifier, check.letters)["rejected"]
    if pen_digits:
        figures["pen_digits"] = evaluate_strokes(classifier, pen_digits)["accuracy"]
    if letters:
        figures["letters_rejected"] = evaluate_not_digits(classifier, letters)["rejected"]
    figures["says_not_a_digit"] = float(classifier.num_outputs > NOT_A_DIGIT)
    return figures


@dataclass
class Verdict:
    """Plain sentences: where the new model is worse (the person is asked before using it), and better."""

    worse: list[str] = field(default_factory=list)
    better: list[str] = field(default_factory=list)

    @property
    def headline(self) -> str:
        if self.worse and self.better:
            return (
                "The new model is better at: "
                + "; ".join(self.better)
                + ". But it is worse than the one in use at: "
                + "; ".join(self.worse)
                + "."
            )
        if self.worse:
            return "The new model is worse than the one in use at: " + "; ".join(self.worse) + "."
        if self.better:
            return (
                "The new model is better at: "
                + "; ".join(self.better)
                + ". On every other measure it is within what another training would move."
            )
        return (
            "The new model reads as well as the one in use: every measure is within what another training would move."
        )


def verdict(in_use: dict[str, float], new: dict[str, float]) -> Verdict:
    result = Verdict()
    if in_use.get("says_not_a_digit") and not new.get("says_not_a_digit"):
        result.worse.append('it cannot say "not a digit": letters and scribbles would be read as digits')
    for key, (what, slack) in MEASURES.items():
        if key not in in_use or key not in new:
            continue
        change = f"{what}, {in_use[key]:.1%} → {new[key]:.1%}"
        if new[key] < in_use[key] - slack:
            result.worse.append(change)
        elif new[key] > in_use[key] + slack:
            result.better.append(change)
    before, after = in_use.get("calibration_error"), new.get("calibration_error")
    if before is not None and after is not None and after > before + CALIBRATION_SLACK:
        result.worse.append(
            f"how far its confidence can be trusted (calibration error {in_use['calibration_error']:.1%} → "
            f"{new['calibration_error']:.1%})"
        )
    return result


def biggest_shift(in_use: list[list[int]], new: list[list[int]]) -> str | None:
    """The answer that changed most between two confusion matrices on the same digits, in words:
    '17 more 7s are read as 1'. None when nothing moved by SHIFT_AT_LEAST."""
    old, now = np.asarray(in_use), np.asarray(new)
    size = min(old.shape[1], now.shape[1]), min(old.shape[0], now.shape[0])
    delta = now[: size[1], : size[0]] - old[: size[1], : size[0]]
    np.fill_diagonal(delta, 0)
    truth, answer = np.unravel_index(int(delta.argmax()), delta.shape)
    count = int(delta[truth, answer])
    if count < SHIFT_AT_LEAST:
        return None
    said = '"not a digit"' if answer == NOT_A_DIGIT else str(answer)
    return f"{count} more {truth}s of MNIST's test set are read as {said}"


#: What the figures of one model, measured on the check set, are called on the model card.
CARD_KEY = "check_set"


def card_figures(classifier: Classifier, check: CheckSet | None = None) -> dict[str, float | int | str]:
    """The check-set figures as the model card keeps them: the same measures the result page and
    My models show for every other model, so that all of them can be compared."""
    check = check or load_check_set()
    measured = measure(classifier, check)
    measured.pop("says_not_a_digit")
    figures: dict[str, float | int | str] = {k: round(v, 5) for k, v in measured.items()}
    figures.update(
        digits=len(check.digits),
        letters=len(check.letters),
        numbers=len(check.numbers),
        how="python -m mnist_pad.model.compare",
    )
    return figures


def main(argv: list[str] | None = None) -> int:
    """Print one model's check-set figures (the bundled model's by default) as JSON."""
    import argparse
    import json

    from mnist_pad.resources import bundled_model

    parser = argparse.ArgumentParser(description=main.__doc__)
    parser.add_argument("model", nargs="?", type=Path, help="a .tflite (default: the bundled model)")
    args = parser.parse_args(argv)
    path = args.model or bundled_model().with_suffix(".tflite")
    print(json.dumps(card_figures(Classifier.from_file(path)), indent=2))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
