"""The UCI pen-digit set (Alimoglu & Alpaydin, 1996) in its original UNIPEN-like text.

    .SEGMENT DIGIT    0 ? "8"
    .COMMENT 8 12  224          label, writer (numbered from 1 in each file), index
    .PEN_DOWN
     267  333                   x y, integers, y pointing up
    .PEN_UP

Files are `pendigits-orig.tra` (30 writers, for training) and
`pendigits-orig.tes` (14 other writers, held out), plain or gzip-compressed.
Digits come out as `StrokeSample`s in the pen-digit JSONL convention (y down,
box's longer side 1.0, top-left at 0,0), so they replay through the canvas's
own rendering like any stroke file.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from mnist_pad.datasets import shipped
from mnist_pad.errors import DataError
from mnist_pad.ink.drawing import Stroke
from mnist_pad.ink.strokes import (
    MAX_COORDINATE,
    MAX_POINTS,
    StrokeSample,
    capped_lines,
    normalise_strokes,
)

ENV_VAR = "MNIST_PAD_PEN_DATA"
SPLITS = {"train": "pendigits-orig.tra", "test": "pendigits-orig.tes"}
_FIX = "Download pendigits-orig.tra.Z / .tes.Z again from the UCI Machine Learning Repository (gzip -d unpacks them)."


@dataclass
class PenDigits:
    """The digits of one file, and one problem line ('file:line: reason') per digit skipped."""

    path: Path
    samples: list[StrokeSample]
    skipped: list[str] = field(default_factory=list)


#: The original files unpack to 3.6 and 1.7 MB; anything much larger is not one of them.
MAX_BYTES = 16 * 2**20
#: A pendigits line is a point or a keyword: a few dozen bytes.
MAX_LINE_BYTES = 4096
#: The two files hold 7,494 and 3,498 digits: a file of many more is not one of them.
MAX_DIGITS = 100_000


def _lines(path: Path) -> Iterator[str]:
    """The file's lines, streamed (a gzip file too), within MAX_BYTES in all: memory stays bounded
    whatever the file, a line of more than MAX_LINE_BYTES is given as one that is no point."""
    too_much = f"{path}: more than {MAX_BYTES // 2**20} MB of text; not a pendigits file. {_FIX}"
    for _, raw in capped_lines(path, MAX_BYTES, MAX_LINE_BYTES, too_much, _FIX):
        yield "(a line too long to be a point)" if raw is None else raw.decode("ascii", errors="replace")


def parse(lines: Iterable[str], name: str, split: str = "") -> PenDigits:
    """Digits from the text of one file; malformed digits are skipped and listed."""
    samples: list[StrokeSample] = []
    skipped: list[str] = []
    label: int | None = None
    writer = ""
    strokes: list[Stroke] = []
    current: Stroke | None = None
    problem: str | None = None
    started_at = 0
    points = 0

    def finish() -> None:
        nonlocal label
        if label is None:
            return
        reason = problem
        if current is not None:
            reason = reason or "the last stroke has no .PEN_UP (file truncated?)"
        reason = reason or (None if any(strokes) else "no strokes")
        if reason:
            skipped.append(f"{name}:{started_at}: {reason}")
        else:
            flipped = [[(x, -y) for x, y in stroke] for stroke in strokes if stroke]
            samples.append(StrokeSample(label, normalise_strokes(flipped), f"pendigits.{split or 'file'}", writer))
        label = None

    for number, line in enumerate(lines, start=1):
        text = line.strip()
        if not text:
            continue
        if text.startswith(".SEGMENT"):
            finish()
            if len(samples) + len(skipped) >= MAX_DIGITS:
                raise DataError(f"{name}: more than {MAX_DIGITS:,} digits; not a pendigits file. {_FIX}")
            label, writer, strokes, current, problem, started_at, points = -1, "", [], None, None, number, 0
            parts = text.split('"')
            if len(parts) >= 2 and parts[1].isdigit() and 0 <= int(parts[1]) <= 9:
                label = int(parts[1])
            else:
                problem = f"label {parts[1] if len(parts) >= 2 else text!r} is not a digit 0-9"
        elif label is None:
            continue  # the header: .INCLUDE, .LEXICON, .HIERARCHY
        elif text.startswith(".COMMENT"):
            fields = text.split()
            writer = f"{split or Path(name).name.removesuffix('.gz')}/{fields[2]}" if len(fields) >= 3 else ""
        elif text.startswith(".PEN_DOWN"):
            current = []
        elif text.startswith(".PEN_UP"):
            if current:  # an empty stroke carries nothing (and millions of them would add up)
                strokes.append(current)
            current = None
        elif text.startswith("."):
            continue  # .DT and other keywords carry nothing we need
        elif current is None:
            problem = problem or f"line {number}: a point outside .PEN_DOWN/.PEN_UP"
        else:
            values = text.split()
            try:
                x, y = (float(v) for v in values)
            except ValueError:
                problem = problem or f"line {number}: {text[:40]!r} is not a point (two numbers)"
                continue
            if not (abs(x) <= MAX_COORDINATE and abs(y) <= MAX_COORDINATE):  # also NaN and infinities
                problem = problem or f"line {number}: {text[:40]!r} is not a point within ±{MAX_COORDINATE:g}"
                continue
            points += 1
            if points > MAX_POINTS:  # skipped, and never held: the digit's points stop growing here
                problem = problem or f"more than {MAX_POINTS:,} points (not a pen-written digit)"
                strokes, current = [], None
                continue
            if problem is None:
                current.append((x, y))
    finish()
    return PenDigits(Path(name), samples, skipped)


def find_file(folder: Path, split: str) -> Path | None:
    base = SPLITS[split]
    for candidate in (folder / f"{base}.gz", folder / base, folder / f"{base}.Z"):
        if candidate.is_file():
            return candidate
    return None


def read_file(path: str | os.PathLike[str], split: str = "") -> PenDigits:
    path = Path(path)
    result = parse(_lines(path), str(path), split)
    if not result.samples:
        detail = f" (first problem: {result.skipped[0]})" if result.skipped else ""
        raise DataError(f"{path}: holds no readable digit{detail}. {_FIX}")
    return result


def resolve_folder(folder: str | os.PathLike[str] | None = None) -> Path | None:
    """The folder to read: the argument (an empty one: none), else `MNIST_PAD_PEN_DATA`, else the pad's own copy."""
    chosen = os.environ.get(ENV_VAR) if folder is None else folder
    if chosen is None:
        return shipped.pendigits_folder()
    return Path(chosen).expanduser() if chosen else None


def load_split(folder: str | os.PathLike[str], split: str) -> PenDigits | None:
    """One split ('train' or 'test') from `folder`, or None when its file is absent."""
    folder = Path(folder).expanduser()
    if not folder.is_dir():
        raise DataError(f"{folder}: no such folder. Give the folder holding {SPLITS['train']}[.gz] with --pen-data.")
    path = find_file(folder, split)
    return None if path is None else read_file(path, split)
