"""What a model trains on: MNIST, plus pen-written digits and "not a digit" drawings when at hand.

    MNIST (images)            the American hands of the census and of students
    pendigits .tra (strokes)  30 writers from Istanbul: flagged ones, crossed sevens, open fours
    letters (strokes)         A E F H K M N P R V W X ... for the eleventh class, "not a digit"
    synthetic (strokes)       scribbles, hatching, dots, crossed-out and squeezed digits

Strokes are rendered through the canvas's path (pen_training.py). The
pendigits `.tes` writers and the letters of `holdout` sources never enter
training: they give the honest figures.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from mnist_pad.datasets import pen_training, pendigits
from mnist_pad.datasets.mnist import Mnist
from mnist_pad.ink.reading import DIGITS, NOT_A_DIGIT
from mnist_pad.ink.strokes import read_stroke_file
from mnist_pad.model.presets import Preset

LETTERS_ENV_VAR = "MNIST_PAD_LETTERS"
#: Letter sources kept out of training, so that "not a digit" is measured on other writers.
LETTER_HOLDOUT = ("aga", "tos")
DIGIT_VARIANTS = 4
LETTER_VARIANTS = 3


@dataclass
class TrainingData:
    data: Mnist
    composition: dict[str, int] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)


def resolve_letters(path: str | os.PathLike[str] | None) -> Path | None:
    """The letters file: the argument (an empty one: none), else `MNIST_PAD_LETTERS`, else None."""
    chosen = os.environ.get(LETTERS_ENV_VAR) if path is None else path
    return Path(chosen).expanduser() if chosen else None


def build(
    mnist: Mnist,
    pen_folder: str | os.PathLike[str] | None = None,
    letters_file: str | os.PathLike[str] | None = None,
    *,
    holdout: tuple[str, ...] = LETTER_HOLDOUT,
    seed: int = 0,
    digit_variants: int = DIGIT_VARIANTS,
    letter_variants: int = LETTER_VARIANTS,
) -> TrainingData:
    """MNIST's training set extended with rendered pen digits and negatives; MNIST's test set as is.

    Raises DataError for unreadable files; digits skipped inside a readable
    file are counted in `notes`.
    """
    rng = np.random.default_rng(seed)
    images, labels = [mnist.x_train], [mnist.y_train.astype(np.uint8)]
    composition = {"mnist": len(mnist.x_train)}
    notes: list[str] = []
    sources = [mnist.source]
    pen_strokes: list = []
    folder = pendigits.resolve_folder(pen_folder)
    if folder is None:
        notes.append("No pen-digit folder (--pen-data or MNIST_PAD_PEN_DATA): training on MNIST alone.")
    else:
        train = pendigits.load_split(folder, "train")
        if train is None:
            notes.append(f"{folder}: no {pendigits.SPLITS['train']}[.gz]: training without pen digits.")
        else:
            if train.skipped:
                notes.append(f"{train.path}: skipped {len(train.skipped)} malformed digits ({train.skipped[0]}, ...).")
            pen_strokes = [s.strokes for s in train.samples]
            drawings, pen_labels = pen_training.digit_drawings(
                [(s.label, s.strokes) for s in train.samples], digit_variants, rng
            )
            rendered, ok = pen_training.render_images(drawings, rng)
            images.append(rendered[ok])
            labels.append(np.asarray(pen_labels, np.uint8)[ok])
            composition["pendigits"] = int(ok.sum())
            sources.append(str(train.path))
        if pendigits.find_file(folder, "test") is None:
            notes.append(f"{folder}: no {pendigits.SPLITS['test']}[.gz]: no held-out pen writers to measure on.")
    letters_path = resolve_letters(letters_file)
    if letters_path is not None:
        samples, problems = read_stroke_file(letters_path)
        letters = [s.strokes for s in samples if s.label is None and s.source not in holdout]
        if problems:
            notes.append(f"Skipped {len(problems)} malformed lines ({problems[0]}, ...).")
        negatives = pen_training.negative_drawings(
            letters, pen_strokes, letter_variants, synthetic=len(letters) * letter_variants, rng=rng
        )
        rendered, ok = pen_training.render_images(negatives, rng)
        images.append(rendered[ok])
        labels.append(np.full(int(ok.sum()), NOT_A_DIGIT, np.uint8))
        composition["not_a_digit"] = int(ok.sum())
        sources.append(f"{letters_path} (without {', '.join(holdout)})")
    else:
        notes.append('No letters file (--letters or MNIST_PAD_LETTERS): no "not a digit" examples.')
    data = Mnist(np.concatenate(images), np.concatenate(labels), mnist.x_test, mnist.y_test, source=" + ".join(sources))
    return TrainingData(data, composition, notes)


def for_preset(
    preset: Preset,
    mnist: Mnist,
    pen_folder: str | os.PathLike[str] | None = None,
    letters_file: str | os.PathLike[str] | None = None,
    seed: int = 0,
) -> TrainingData:
    """What `preset` trains on: MNIST alone for a ten-digit network (the seed), else everything at hand."""
    if preset.num_classes == DIGITS:
        return TrainingData(mnist, {"mnist": len(mnist.x_train)}, [f"Preset {preset.name} reads MNIST's digits only."])
    return build(
        mnist,
        pen_folder,
        letters_file,
        seed=seed,
        digit_variants=preset.pen_variants,
        letter_variants=preset.letter_variants,
    )
