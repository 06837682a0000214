"""UNIPEN's own files, as train_r01_v07 is downloaded, converted to the pad's stroke samples.

    train_r01_v07/data/1a/aga/.../x.dat       what was written: .INCLUDE of the ink, then
                                              .SEGMENT CHARACTER 3-4 ? "7"  (components 3 and 4)
    train_r01_v07/include/aga/data/.../x.dat  the ink: .WRITER_ID, .PEN_DOWN, "x y [...]" lines, .PEN_UP

Components are numbered from 0 in the order they come, the included files'
with the file's own; a `.PEN_UP` followed by points (the pen moving in the air)
is a component too, but its points are never ink. A segment names components
(`3`, `3-4`, `3,5`) or parts of them (`3:10-4:20`, component:point). Each
character comes out in the pen-digit convention (y down, longer side 1.0,
top-left at 0, 0), its writer as `contributor/WRITER_ID`, as in
../shared/data/pen_digits (made the same way). Memory stays bounded: files are
read a line at a time within a size limit, and so are the points of a character.
"""

from __future__ import annotations

import gzip
import zlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from mnist_pad.errors import DataError, TrainingCancelled
from mnist_pad.ink.drawing import MAX_COORDINATE, Stroke
from mnist_pad.ink.strokes import MAX_POINTS, StrokeSample, capped_lines, normalise_strokes

#: What each kind of data keeps: digits, or the letters no digit resembles (the shipped letters file's set).
DIGIT_CHARS = frozenset("0123456789")
LETTER_CHARS = frozenset("AEFHKMNPRVWXaefhkmnprvwx")
#: The categories of train_r01_v07 that hold each kind, for the messages.
CATEGORIES = {"digits": "1a", "letters": "1b or 1c"}
#: One UNIPEN file (ink or segments) is at most a few MB; a folder of train_r01_v07 holds about 20,000.
MAX_FILE_BYTES = 32 * 2**20
MAX_FILES = 100_000
MAX_LINE_BYTES = 4096
#: .INCLUDE within .INCLUDE, at most this deep (a file including itself stops here).
MAX_INCLUDE_DEPTH = 4
_FIX = (
    "Give UNIPEN train_r01_v07's own files (a .dat file of data/1a, 1b or 1c, or a folder of them), "
    "or a stroke file in the pad's format (a JSON object a line)."
)


@dataclass
class Ink:
    """The components of one file and what it includes, in order; None: a pen-up component (no ink)."""

    components: list[Stroke | None] = field(default_factory=list)
    writer: str = ""


@dataclass
class Converted:
    samples: list[StrokeSample]
    problems: list[str]
    files: int


def _lines(path: Path) -> Iterator[tuple[int, str]]:
    too_much = f"{path}: more than {MAX_FILE_BYTES / 2**20:g} MB; not a UNIPEN file. {_FIX}"
    for number, raw in capped_lines(path, MAX_FILE_BYTES, MAX_LINE_BYTES, too_much, _FIX):
        yield number, "" if raw is None else raw.decode("latin-1").strip()


def find_include(name: str, beside: Path) -> Path | None:
    """An .INCLUDE's file: looked for in each folder above `beside`, and in an `include/` there."""
    relative = Path(name.replace("\\", "/"))
    if relative.is_absolute() or ".." in relative.parts:
        return None  # a UNIPEN include never leaves its tree
    for folder in [beside.parent, *beside.parents]:
        for candidate in (folder / "include" / relative, folder / relative):
            if candidate.is_file():
                return candidate
    return None


def _parse(path: Path, ink: Ink, segments: list[tuple[str, str]], problems: list[str], depth: int) -> None:
    current: Stroke | None = None
    in_air = False
    points = 0
    for number, text in _lines(path):
        if not text:
            continue
        if text.startswith("."):
            keyword, _, rest = text.partition(" ")
            rest = rest.strip()
            if current is not None and keyword in (".PEN_DOWN", ".PEN_UP"):
                ink.components.append(current)
                current = None
            if keyword == ".PEN_DOWN":
                current, in_air, points = [], False, 0
            elif keyword == ".PEN_UP":
                in_air = True
            elif keyword == ".WRITER_ID" and rest:
                ink.writer = rest.split()[0]
            elif keyword == ".SEGMENT":
                segments.append((rest, f"{path}:{number}"))
            elif keyword == ".INCLUDE" and rest:
                included = find_include(rest.split()[0], path)
                if included is None:
                    if not rest.endswith(".doc"):  # a .doc describes the set; only ink is needed
                        problems.append(f"{path}:{number}: its .INCLUDE {rest} is not in this folder's tree")
                elif depth >= MAX_INCLUDE_DEPTH:
                    problems.append(f"{path}:{number}: .INCLUDE nested more than {MAX_INCLUDE_DEPTH} deep")
                else:
                    _parse(included, ink, segments, problems, depth + 1)
            continue
        if in_air:
            # Points after .PEN_UP: the pen moving in the air, one component of no ink (its points skipped).
            ink.components.append(None)
            in_air = False
            continue
        if current is None:
            continue
        values = text.split()
        try:
            x, y = float(values[0]), float(values[1])
        except (ValueError, IndexError):
            continue
        points += 1
        if abs(x) <= MAX_COORDINATE and abs(y) <= MAX_COORDINATE and points <= MAX_POINTS:
            current.append((x, -y))  # UNIPEN's y points up
    if current is not None:
        ink.components.append(current)


def _part(text: str) -> tuple[int, int | None]:
    component, _, point = text.partition(":")
    return int(component), (int(point) if point else None)


def select(components: list[Stroke | None], spec: str) -> list[Stroke]:
    """The ink that a segment's component list names: `3`, `3-4`, `3,5`, `3:10-4:20`."""
    strokes: list[Stroke] = []
    for piece in spec.split(","):
        first, _, last = piece.strip().partition("-")
        (start, start_point), (end, end_point) = _part(first), _part(last or first)
        if not 0 <= start <= end < len(components) or end - start > 100:
            raise ValueError(f"components {piece} are not in the file")
        for index in range(start, end + 1):
            stroke = components[index]
            if stroke is None:
                continue
            begin = start_point if index == start and start_point is not None else 0
            stop = end_point + 1 if index == end and end_point is not None else len(stroke)
            if stroke[begin:stop]:
                strokes.append(stroke[begin:stop])
    return strokes


def _character(rest: str) -> tuple[str, str] | None:
    """(components, character) of a .SEGMENT's text, `CHARACTER 3-4 ? "7"`; None when it is no character."""
    head, quote, tail = rest.partition('"')
    fields = head.split()
    text = tail.rsplit('"', 1)[0] if quote else ""
    if len(fields) < 2 or len(text) != 1:
        return None
    return fields[1], text


def read_file(path: Path, kind: str) -> tuple[list[StrokeSample], list[str]]:
    """The characters of one UNIPEN .dat file that are of `kind` ("digits" or "letters")."""
    keep = DIGIT_CHARS if kind == "digits" else LETTER_CHARS
    ink, segments, problems = Ink(), list[tuple[str, str]](), list[str]()
    _parse(path, ink, segments, problems, 0)
    contributor = _contributor(path)
    samples = []
    for rest, where in segments:
        character = _character(rest)
        if character is None or character[1] not in keep:
            continue
        spec, char = character
        try:
            strokes = select(ink.components, spec)
        except ValueError as exc:
            problems.append(f"{where}: {exc}")
            continue
        if not strokes or sum(len(s) for s in strokes) > MAX_POINTS:
            problems.append(f"{where}: {'no ink' if not strokes else 'too many points for a character'}")
            continue
        writer = f"{contributor}/{ink.writer}" if ink.writer else contributor
        label, extra = (int(char), {}) if kind == "digits" else (None, {"char": char})
        samples.append(StrokeSample(label, normalise_strokes(strokes), contributor, writer, extra))
    return samples, problems


def _contributor(path: Path) -> str:
    """The contributor's code (`aga`, `tos`): the folder below the category (data/1a/aga/...)."""
    parts = path.parts
    for i, part in enumerate(parts[:-2]):
        if part in ("1a", "1b", "1c", "1d"):
            return parts[i + 1]
    return path.parent.name


def dat_files(root: Path) -> list[Path]:
    """The .dat files to convert: `root` itself, or those under it in data/ (never the ink under include/)."""
    if root.is_file():
        return [root]
    if not root.is_dir():
        raise DataError(f"{root}: no such file or folder.")
    files: list[Path] = []
    try:
        for path in sorted(root.rglob("*.dat")):
            if "include" in path.relative_to(root).parts:
                continue
            files.append(path)
            if len(files) > MAX_FILES:
                raise DataError(f"{root}: more than {MAX_FILES:,} .dat files; give the folder of one category.")
    except OSError as exc:
        raise DataError(f"{root}: cannot be read ({exc}).") from exc
    return files


def convert(
    root: str | Path,
    kind: str,
    on_progress: Callable[[int, int], None] | None = None,
    should_cancel: Callable[[], bool] | None = None,
) -> Converted:
    """Every character of `kind` under `root` (a .dat file or a folder); `on_progress(done, files)`.

    Raises DataError when nothing of that kind is found, naming what was looked at."""
    root = Path(root).expanduser()
    files = dat_files(root)
    samples: list[StrokeSample] = []
    problems: list[str] = []
    for done, path in enumerate(files, start=1):
        if should_cancel is not None and should_cancel():
            raise TrainingCancelled("cancelled")
        try:
            found, troubles = read_file(path, kind)
        except DataError as exc:
            found, troubles = [], [str(exc)]
        samples += found
        problems += troubles
        if on_progress is not None:
            on_progress(done, len(files))
    if not samples:
        detail = f" (first problem: {problems[0]})" if problems else ""
        raise DataError(
            f"{root}: no {kind} in UNIPEN's format found in {len(files)} .dat files{detail}. The {kind} are in "
            f"category {CATEGORIES[kind]} (train_r01_v07/data/{CATEGORIES[kind].split()[0]}). {_FIX}"
        )
    return Converted(samples, problems, len(files))


def looks_like_unipen(path: Path) -> bool:
    """A folder or a .dat file, or a file whose first word is a UNIPEN keyword (`.VERSION`, `.INCLUDE`...)."""
    if path.is_dir() or path.suffix.lower() == ".dat":
        return True
    try:
        opener = gzip.open if path.suffix == ".gz" else open
        with opener(path, "rb") as stream:
            start = stream.read(256).lstrip()
    except (OSError, EOFError, zlib.error):
        return False
    return start.startswith(b".")


def read_samples(
    path: str | Path,
    kind: str,
    on_progress: Callable[[int, int], None] | None = None,
    should_cancel: Callable[[], bool] | None = None,
) -> tuple[list[StrokeSample], list[str]]:
    """The pen samples of a stroke file in the pad's format, or of UNIPEN's own files (converted)."""
    from mnist_pad.ink.strokes import read_stroke_file

    path = Path(path).expanduser()
    if looks_like_unipen(path):
        converted = convert(path, kind, on_progress, should_cancel)
        return converted.samples, converted.problems
    try:
        return read_stroke_file(path)
    except DataError as exc:
        raise DataError(f"{exc} {_FIX}") from exc
