"""The training data that ships with the pad, so that Retrain and Learn work offline with their defaults.

    assets/data/mnist/        MNIST's four IDX files          CC BY-SA 3.0
    assets/data/pendigits/    UCI pendigits-orig.tra          CC BY 4.0
    assets/data/pen_digits/   UNIPEN train_r01_v07 1a digits  CC BY 4.0
    assets/data/letters/      UNIPEN train_r01_v07 1b/1c      CC BY 4.0

As they are in the project's data folder, about 15 MB. The pendigits `.tes`
writers and the pen numbers do not ship: they give honest figures only.
Each reader keeps its own order: an argument, else its environment variable,
else this copy.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from mnist_pad.resources import assets_dir


@dataclass(frozen=True)
class Credit:
    name: str
    by: str
    licence: str
    url: str


#: Who made the data that ships, for the README, About and the model card.
CREDITS = (
    Credit(
        "MNIST",
        "Y. LeCun, C. Cortes, C. J. C. Burges",
        "CC BY-SA 3.0",
        "https://creativecommons.org/licenses/by-sa/3.0/",
    ),
    Credit(
        "UCI Pen-Based Recognition of Handwritten Digits (pendigits-orig.tra)",
        "E. Alpaydin, F. Alimoglu, Bogazici University",
        "CC BY 4.0",
        "https://archive.ics.uci.edu/dataset/81",
    ),
    Credit(
        "UNIPEN train_r01_v07 digits (1a) and letters (1b, 1c)",
        "I. Guyon, L. Schomaker, R. Plamondon, M. Liberman, S. Janet",
        "CC BY 4.0",
        "https://doi.org/10.5281/zenodo.1195803",
    ),
)


#: Every shipped file, under assets/ (what the wheel and build.spec must carry).
SHIPPED_FILES = (
    "data/mnist/train-images-idx3-ubyte.gz",
    "data/mnist/train-labels-idx1-ubyte.gz",
    "data/mnist/t10k-images-idx3-ubyte.gz",
    "data/mnist/t10k-labels-idx1-ubyte.gz",
    "data/pendigits/pendigits-orig.tra.gz",
    "data/pen_digits/dev.jsonl.gz",
    "data/letters/dev.jsonl.gz",
)


def data_dir() -> Path:
    return assets_dir() / "data"


def mnist_folder() -> Path | None:
    """The shipped MNIST folder, or None when this copy of the pad was built without it."""
    folder = data_dir() / "mnist"
    return folder if (folder / "train-images-idx3-ubyte.gz").is_file() else None


def pendigits_folder() -> Path | None:
    folder = data_dir() / "pendigits"
    return folder if (folder / "pendigits-orig.tra.gz").is_file() else None


def pen_digits_file() -> Path | None:
    return _file("pen_digits")


def letters_file() -> Path | None:
    return _file("letters")


def _file(name: str) -> Path | None:
    path = data_dir() / name / "dev.jsonl.gz"
    return path if path.is_file() else None


def credit_lines() -> list[str]:
    """One line per data set: what it is, by whom, under which licence."""
    return [f"{c.name}, by {c.by} ({c.licence})" for c in CREDITS]
