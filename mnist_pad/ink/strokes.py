"""Stroke files: one JSON object a line, the format of ../shared/data/pen_digits.

    {"label": 7, "source": "syn", "writer": "syn/...", "strokes": [[[x, y], ...], ...]}

Used by the evaluator and for personal samples. Files may be gzip-compressed
(by name: .gz). Bad lines are reported as file:line and skipped, never fatal
alone; a line is capped in length while it is read, so no file (a device, a
line of gigabytes) can take unbounded memory.
"""

from __future__ import annotations

import gzip
import json
import os
import zlib
from collections.abc import Iterator
from dataclasses import dataclass, field
from io import BufferedIOBase
from pathlib import Path
from typing import Any

from mnist_pad.errors import DataError
from mnist_pad.ink.drawing import CANVAS_ASPECT, MAX_COORDINATE, Drawing, Stroke

#: The canvas's height in logical pixels at its default size; replay rounds
#: points to this grid, as mouse events do.
CANVAS_PX = 400
#: A replayed digit's longer side, as a fraction of the canvas's height: where
#: a person draws a digit on an empty pad.
REPLAY_FILL = 0.6
#: Wider than this times its height, a drawing is a number (no digit is).
WIDE = 1.6
#: A replayed number's width at most, as a fraction of the canvas's width:
#: a long number is written smaller, to fit.
REPLAY_WIDTH_FILL = 0.9


#: A stroke of more points than this is refused: a pen sampled at 200 Hz makes
#: 2,000 points in ten seconds of one stroke; more is not a drawing (and would
#: take seconds to render).
MAX_POINTS = 5_000
#: A line longer than this is refused while it is read, before it is parsed or
#: held whole: a digit of MAX_POINTS points a stroke is a few hundred kB of JSON.
MAX_LINE_BYTES = 2 * 2**20


@dataclass
class StrokeSample:
    """A digit (`label`), or with label None a letter (`extra["char"]`) or a number (`extra["text"]`)."""

    label: int | None
    strokes: list[Stroke]
    source: str = ""
    writer: str = ""
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def text(self) -> str:
        """What was written: the digit, the number, or the character."""
        return str(self.label) if self.label is not None else str(self.extra.get("text", self.extra.get("char", "")))

    def to_json(self) -> str:
        record: dict[str, Any] = {"label": self.label, "source": self.source, "writer": self.writer}
        record["strokes"] = [[[round(x, 5), round(y, 5)] for x, y in s] for s in self.strokes]
        return json.dumps({**self.extra, **record}, separators=(",", ":"))


def parse_sample(line: str) -> StrokeSample:
    """One line to a sample; ValueError with the reason when it is malformed."""
    try:
        record = json.loads(line)
    except json.JSONDecodeError as exc:
        raise ValueError(f"not JSON ({exc.msg})") from None
    except RecursionError:
        raise ValueError("nested too deeply to be a sample") from None
    if not isinstance(record, dict):
        raise ValueError("not a JSON object")
    label = record.get("label")
    text, char = record.get("text"), record.get("char")
    if label is None and isinstance(text, str) and text.isdigit() and text.isascii():
        pass  # a number: pen_numbers
    elif label is None and isinstance(char, str) and len(char) == 1:
        pass  # a character that is not a digit: letters
    elif not isinstance(label, int) or isinstance(label, bool) or not 0 <= label <= 9:
        raise ValueError(f'label must be a digit 0-9 (or give "text" digits, or a "char"), got {label!r}')
    raw = record.get("strokes")
    if not isinstance(raw, list) or not raw:
        raise ValueError("strokes must be a non-empty list")
    strokes: list[Stroke] = []
    for stroke in raw:
        if not isinstance(stroke, list) or not stroke:
            raise ValueError("each stroke must be a non-empty list of [x, y] points")
        if len(stroke) > MAX_POINTS:
            raise ValueError(f"a stroke of {len(stroke):,} points (at most {MAX_POINTS:,})")
        points = []
        for point in stroke:
            if (
                not isinstance(point, list | tuple)
                or len(point) != 2
                or not all(isinstance(v, int | float) and not isinstance(v, bool) for v in point)
                or not all(-MAX_COORDINATE <= v <= MAX_COORDINATE for v in point)  # also refuses NaN
            ):
                raise ValueError(f"bad point {str(point)[:60]}: expected [x, y] numbers within ±{MAX_COORDINATE:g}")
            points.append((float(point[0]), float(point[1])))
        strokes.append(points)
    extra = {k: v for k, v in record.items() if k not in ("label", "strokes", "source", "writer")}
    return StrokeSample(label, strokes, str(record.get("source", "")), str(record.get("writer", "")), extra)


def check_regular_file(path: Path) -> None:
    """DataError unless `path` is a regular file: a device (/dev/zero), a pipe or a folder
    would be read without end or not at all."""
    try:
        if not path.exists():
            raise DataError(f"{path}: cannot be read (no such file).")
        if not path.is_file():
            raise DataError(f"{path}: not a regular file (a folder, a device or a pipe). Give a data file.")
    except OSError as exc:
        raise DataError(f"{path}: cannot be read ({exc}).") from exc


def bounded_lines(stream: BufferedIOBase, limit: int = MAX_LINE_BYTES) -> Iterator[tuple[int, bytes | None]]:
    """(line number, raw line) for each line of `stream`; None for a line longer than `limit`,
    which is skipped without ever being held whole."""
    number = 0
    while True:
        line = stream.readline(limit + 1)
        if not line:
            return
        number += 1
        if len(line) > limit and not line.endswith(b"\n"):
            while line and not line.endswith(b"\n"):  # the rest of the long line, a piece at a time
                line = stream.readline(limit)
            yield number, None
        else:
            yield number, line


def capped_lines(
    path: Path, max_bytes: int, max_line_bytes: int, too_much: str, fix: str
) -> Iterator[tuple[int, bytes | None]]:
    """(line number, raw line, None when longer than `max_line_bytes`) of a text file, gzip-compressed
    too (.gz, .Z), streamed within `max_bytes` in all: DataError(`too_much`) beyond, and DataError naming
    the file and `fix` when it cannot be read. Memory stays bounded whatever the file."""
    check_regular_file(path)
    total = 0
    try:
        opener = gzip.open if path.suffix in (".gz", ".Z") else open
        with opener(path, "rb") as stream:
            for number, raw in bounded_lines(stream, max_line_bytes):
                total += max_line_bytes if raw is None else len(raw)
                if total > max_bytes:
                    raise DataError(too_much)
                yield number, raw
    except (OSError, EOFError, gzip.BadGzipFile, zlib.error) as exc:
        raise DataError(f"{path}: cannot be read ({exc}). {fix}") from exc


def read_stroke_file(path: str | os.PathLike[str]) -> tuple[list[StrokeSample], list[str]]:
    """All valid samples, and one problem ('file:N: reason') for each bad line.

    Raises DataError when the file cannot be read or holds no valid line.
    """
    path = Path(path)
    check_regular_file(path)
    samples: list[StrokeSample] = []
    problems: list[str] = []
    try:
        opener = gzip.open if path.suffix == ".gz" else open
        with opener(path, "rb") as stream:
            for number, raw in bounded_lines(stream):
                if raw is None:
                    problems.append(f"{path}:{number}: a line of more than {MAX_LINE_BYTES:,} bytes")
                    continue
                line = raw.decode("utf-8", errors="replace")
                if not line.strip():
                    continue
                try:
                    samples.append(parse_sample(line))
                except ValueError as exc:
                    problems.append(f"{path}:{number}: {exc}")
    except (OSError, EOFError, zlib.error) as exc:
        raise DataError(f"{path}: cannot be read ({exc}). Is it a complete, uncorrupted file?") from exc
    if not samples:
        detail = f" ({problems[0]})" if problems else " (it is empty)"
        raise DataError(f"{path}: no valid stroke sample{detail}.")
    return samples, problems


def normalise_strokes(strokes: list[Stroke]) -> list[Stroke]:
    """Scale and shift so the ink's box has its longer side 1.0 and its top-left corner at (0, 0)."""
    xs = [x for s in strokes for x, _ in s]
    ys = [y for s in strokes for _, y in s]
    left, top = min(xs), min(ys)
    extent = max(max(xs) - left, max(ys) - top) or 1.0
    return [[((x - left) / extent, (y - top) / extent) for x, y in stroke] for stroke in strokes]


def place_on_canvas(
    strokes: list[Stroke],
    canvas_px: int = CANVAS_PX,
    fill: float = REPLAY_FILL,
) -> list[Stroke]:
    """Where a person's pen would report these strokes on the canvas: every point, in canvas units.

    A digit's longer side becomes `fill` of the canvas's height, centred; a
    number's height becomes `fill` unless that makes it wider than
    REPLAY_WIDTH_FILL of the canvas. Each point is rounded to a whole pixel of
    a canvas `canvas_px` high, exactly as the canvas receives mouse events,
    then stored in canvas units like the canvas does.
    """
    xs = [x for s in strokes for x, _ in s]
    ys = [y for s in strokes for _, y in s]
    width, height = max(xs) - min(xs), max(ys) - min(ys)
    canvas_width = canvas_px * CANVAS_ASPECT
    scale = fill * canvas_px / (max(width, height) or 1.0)
    if width > height * WIDE:  # a number, not a digit
        scale = min(fill * canvas_px / (height or 1.0), REPLAY_WIDTH_FILL * canvas_width / width)
    left = (canvas_width - width * scale) / 2 - min(xs) * scale
    top = (canvas_px - (max(ys) - min(ys)) * scale) / 2 - min(ys) * scale
    return [
        [(round(x * scale + left) / canvas_px, round(y * scale + top) / canvas_px) for x, y in stroke]
        for stroke in strokes
    ]


def replay(
    strokes: list[Stroke],
    pen_width: float | None = None,
    canvas_px: int = CANVAS_PX,
    fill: float = REPLAY_FILL,
) -> Drawing:
    """The drawing the canvas holds after a person wrote these strokes: each placed like a pen
    would report it (`place_on_canvas`), pressed, moved through and lifted."""
    drawing = Drawing() if pen_width is None else Drawing(pen_width=pen_width)
    for points in place_on_canvas(strokes, canvas_px, fill):
        drawing.begin_stroke(points[0])
        for point in points[1:-1]:
            drawing.add_point(point)
        if len(points) > 1:
            drawing.end_stroke(points[-1])
    return drawing
