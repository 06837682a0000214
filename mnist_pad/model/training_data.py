"""What a model trains on: MNIST, plus pen-written digits and "not a digit" drawings when at hand.

    MNIST (images)            the American hands of the census and of students
    pendigits .tra (strokes)  30 writers from Istanbul: flagged ones, crossed sevens, open fours
    UNIPEN (strokes)          about 100 writers of six contributors, less the validation writers
    letters (strokes)         A E F H K M N P R V W X ... for the eleventh class, "not a digit"
    synthetic (strokes)       scribbles, hatching, dots, crossed-out and squeezed digits

Strokes are rendered through the canvas's path (pen_training.py) and, for a
model that reads the path, turned into its path input (ink/path.py); MNIST's
scans have none (all zeros). The pendigits `.tes` writers, the UNIPEN
validation writers (datasets/unipen.py) and the letters of `holdout` sources
never enter training: they give the honest figures.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from mnist_pad.datasets import pen_training, pendigits, shipped, unipen_files
from mnist_pad.datasets.mnist import Mnist
from mnist_pad.datasets.unipen import VALIDATION_WRITERS, is_validation_writer
from mnist_pad.ink.path import no_paths
from mnist_pad.ink.reading import DIGITS, NOT_A_DIGIT
from mnist_pad.ink.strokes import StrokeSample
from mnist_pad.model.presets import Preset

LETTERS_ENV_VAR = "MNIST_PAD_LETTERS"
PEN_DIGITS_ENV_VAR = "MNIST_PAD_PEN_DIGITS"
#: Letter sources kept out of training, so that "not a digit" is measured on other writers.
LETTER_HOLDOUT = ("aga", "tos")
DIGIT_VARIANTS = 4
LETTER_VARIANTS = 3


@dataclass
class TrainingData:
    data: Mnist
    composition: dict[str, int] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)
    #: (images, labels, paths) of the UNIPEN validation writers, never trained on: what the confidence
    #: temperature is fitted on (calibration.py), as the bundled model's was. None without that file.
    calibration: tuple[np.ndarray, np.ndarray, np.ndarray] | None = None


def calibration_set(samples: list[StrokeSample]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The digits of `samples` as the canvas would hold them: (images, labels, paths)."""
    from mnist_pad.model.evaluate import stroke_batch

    digits = [s for s in samples if s.label is not None]
    images, paths = stroke_batch(digits)
    return images, np.array([s.label for s in digits], np.int64), paths


def _resolve(path: str | os.PathLike[str] | None, env_var: str, own_copy: Path | None) -> Path | None:
    chosen = os.environ.get(env_var) if path is None else path
    if chosen is None:
        return own_copy
    return Path(chosen).expanduser() if chosen else None


def resolve_letters(path: str | os.PathLike[str] | None) -> Path | None:
    """The letters file: the argument (an empty one: none), else `MNIST_PAD_LETTERS`, else the pad's own."""
    return _resolve(path, LETTERS_ENV_VAR, shipped.letters_file())


def resolve_pen_digits(path: str | os.PathLike[str] | None) -> Path | None:
    """The UNIPEN digits file: the argument (an empty one: none), else `MNIST_PAD_PEN_DIGITS`, else the pad's own."""
    return _resolve(path, PEN_DIGITS_ENV_VAR, shipped.pen_digits_file())


class _Parts:
    """Training images, labels and paths as they are gathered, source by source."""

    def __init__(self, mnist: Mnist, with_paths: bool) -> None:
        self.images, self.labels = [mnist.x_train], [mnist.y_train.astype(np.uint8)]
        self.paths = [no_paths(len(mnist.x_train))] if with_paths else None

    def add(self, drawings: list, labels, rng: np.random.Generator) -> int:
        """Render `drawings` (and their paths); those with ink join the training set. How many did."""
        images, paths, ok = pen_training.rendered(drawings, rng, with_paths=self.paths is not None)
        self.images.append(images)
        self.labels.append(np.broadcast_to(np.asarray(labels, np.uint8), len(drawings))[ok])
        if self.paths is not None and paths is not None:
            self.paths.append(paths)
        return len(images)


def build(
    mnist: Mnist,
    pen_folder: str | os.PathLike[str] | None = None,
    letters_file: str | os.PathLike[str] | None = None,
    *,
    pen_digits_file: str | os.PathLike[str] | None = None,
    holdout: tuple[str, ...] = LETTER_HOLDOUT,
    seed: int = 0,
    digit_variants: int = DIGIT_VARIANTS,
    letter_variants: int = LETTER_VARIANTS,
    with_paths: bool = False,
    on_stage: Callable[[str], None] | None = None,
    should_cancel: Callable[[], bool] | None = None,
) -> TrainingData:
    """MNIST's training set extended with rendered pen digits and negatives; MNIST's test set as is.

    The pen digits and letters may be stroke files or UNIPEN's own files, converted here
    (`on_stage` hears how far). Raises DataError for unreadable files; digits skipped inside a
    readable file are counted in `notes`.
    """

    def read(path: Path, kind: str) -> tuple[list[StrokeSample], list[str]]:
        def converting(done: int, files: int) -> None:
            if on_stage is not None and (done == files or done % max(1, files // 50) == 0):
                on_stage(f"Converting UNIPEN's {kind}: file {done:,} of {files:,}…")

        return unipen_files.read_samples(path, kind, converting, should_cancel)

    rng = np.random.default_rng(seed)
    parts = _Parts(mnist, with_paths)
    composition = {"mnist": len(mnist.x_train)}
    notes: list[str] = []
    sources = [mnist.source]
    pen_strokes: list = []
    calibration = None
    folder = pendigits.resolve_folder(pen_folder)
    if folder is None:
        notes.append("Without the pendigits writers (left out): fewer pen-written styles.")
    else:
        train = pendigits.load_split(folder, "train")
        if train is None:
            notes.append(f"{folder}: no {pendigits.SPLITS['train']}[.gz]: training without pen digits.")
        else:
            if train.skipped:
                notes.append(f"{train.path}: skipped {len(train.skipped)} malformed digits ({train.skipped[0]}, ...).")
            pen_strokes = [s.strokes for s in train.samples]
            drawings, labels = pen_training.digit_drawings(
                [(s.label, s.strokes) for s in train.samples if s.label is not None], digit_variants, rng
            )
            composition["pendigits"] = parts.add(drawings, labels, rng)
            sources.append(str(train.path))
        if pendigits.find_file(folder, "test") is None and folder != shipped.pendigits_folder():  # never ships
            notes.append(f"{folder}: no {pendigits.SPLITS['test']}[.gz]: no held-out pen writers to measure on.")
    unipen_path = resolve_pen_digits(pen_digits_file)
    if unipen_path is not None:
        samples, problems = read(unipen_path, "digits")
        if problems:
            notes.append(f"Skipped {len(problems)} malformed lines ({problems[0]}, ...).")
        training = [(s.label, s.strokes) for s in samples if s.label is not None and not is_validation_writer(s.writer)]
        drawings, labels = pen_training.digit_drawings(training, digit_variants, rng)
        composition["unipen"] = parts.add(drawings, labels, rng)
        pen_strokes += [strokes for _, strokes in training]
        held_out = [s for s in samples if s.label is not None and is_validation_writer(s.writer)]
        if held_out:  # a file of other writers (UNIPEN's own, a person's) has none to fit the temperature on
            calibration = calibration_set(held_out)
        else:
            notes.append(f"{unipen_path}: none of the validation writers, so the confidence is not calibrated.")
        sources.append(f"{unipen_path} (without its {len(VALIDATION_WRITERS)} validation writers)")
    else:
        notes.append("Without the UNIPEN digits (left out): fewer writers to learn paths from.")
    letters_path = resolve_letters(letters_file)
    if letters_path is not None:
        samples, problems = read(letters_path, "letters")
        letters = [s.strokes for s in samples if s.label is None and s.source not in holdout]
        if problems:
            notes.append(f"Skipped {len(problems)} malformed lines ({problems[0]}, ...).")
        negatives = pen_training.negative_drawings(
            letters, pen_strokes, letter_variants, synthetic=len(letters) * letter_variants, rng=rng
        )
        composition["not_a_digit"] = parts.add(negatives, NOT_A_DIGIT, rng)
        sources.append(f"{letters_path} (without {', '.join(holdout)})")
    else:
        notes.append('Without letters (left out): no "not a digit" examples.')
    if len(composition) == 1:
        notes.append("Training on MNIST alone.")
    data = Mnist(
        np.concatenate(parts.images),
        np.concatenate(parts.labels),
        mnist.x_test,
        mnist.y_test,
        source=" + ".join(sources),
        paths_train=None if parts.paths is None else np.concatenate(parts.paths),
    )
    return TrainingData(data, composition, notes, calibration if with_paths else None)


def for_preset(
    preset: Preset,
    mnist: Mnist,
    pen_folder: str | os.PathLike[str] | None = None,
    letters_file: str | os.PathLike[str] | None = None,
    seed: int = 0,
    pen_digits_file: str | os.PathLike[str] | None = None,
    on_stage: Callable[[str], None] | None = None,
    should_cancel: Callable[[], bool] | None = None,
) -> TrainingData:
    """What `preset` trains on: MNIST alone for a ten-digit network (the seed), else everything at hand."""
    if preset.num_classes == DIGITS:
        return TrainingData(mnist, {"mnist": len(mnist.x_train)}, [f"Preset {preset.name} reads MNIST's digits only."])
    return build(
        mnist,
        pen_folder,
        letters_file,
        pen_digits_file=pen_digits_file,
        seed=seed,
        digit_variants=preset.pen_variants,
        letter_variants=preset.letter_variants,
        with_paths=preset.reads_path,
        on_stage=on_stage,
        should_cancel=should_cancel,
    )
