"""From a drawing to what the pad reads: digits left to right, each a digit, "not a digit", or unsure.

A model has ten outputs (digits) or eleven (digits and "not a digit"). The
answer is "not a digit" when that output reaches REJECT_AT (or the drawing
has more strokes than any digit), else the most probable digit; with
calibrated probabilities (calibration.py) a digit's probability is how often
such an answer is right. `read_drawing` does this for every digit of a
drawing, split by segment.py.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TypeGuard

import numpy as np
from PIL import Image

from mnist_pad.ink.drawing import Drawing, Stroke, all_usable, usable_strokes
from mnist_pad.ink.preprocess import to_mnist
from mnist_pad.ink.render import RASTER_SIZE, render
from mnist_pad.ink.segment import MAX_DIGITS, Box, group_strokes, horizontal_overlap, ink_box

#: A model's outputs: the ten digits, then (eleven outputs) "not a digit" at index NOT_A_DIGIT.
DIGITS = 10
NOT_A_DIGIT = 10
#: Below this top probability a digit is shown as unsure. Calibrated, this
#: means "wrong about one time in three or more" (README: calibration).
UNSURE_BELOW = 0.7
#: "Not a digit" when that output's probability reaches this (README: not a digit).
REJECT_AT = 0.8
#: The same within a number (two digits or more side by side): there a group is
#: a digit far more often than not, so "?" only when the model is all but sure
#: (README: reading a number).
REJECT_IN_NUMBER_AT = 0.99
#: Two halves of a doubtful group are two digits only if their horizontal overlap is at most
#: this share of the narrower half: side by side, not one over the other (README: reading a number).
SPLIT_MAX_OVERLAP = 0.6
#: No digit takes more strokes than this (the pen-digit sets never use more than
#: 3); more is hatching or crossing out, whatever the pixels look like.
MAX_STROKES = 6


def _rejects(not_a_digit: float | np.ndarray, reject_at: float) -> bool | np.ndarray:
    """The rule behind every "not a digit", for one probability or an array of them."""
    return not_a_digit >= reject_at


def decide(probabilities: np.ndarray, reject_at: float = REJECT_AT) -> np.ndarray:
    """The answer for each row of 10 or 11 probabilities: a digit, or NOT_A_DIGIT.

    The one decision rule of the app, the evaluator and training's reports."""
    rows = np.atleast_2d(np.asarray(probabilities))
    answers = rows[:, :DIGITS].argmax(axis=1)
    if rows.shape[1] > DIGITS:
        answers = np.where(_rejects(rows[:, NOT_A_DIGIT], reject_at), NOT_A_DIGIT, answers)
    return answers


@dataclass(frozen=True)
class Answer:
    """What the pad says about one drawing."""

    digits: np.ndarray  # (10,) probability of each digit
    not_a_digit: float  # 0.0 for a ten-output model
    digit: int | None  # None: not a digit

    @property
    def confidence(self) -> float:
        """The probability of the answer given (of "not a digit" when that is the answer)."""
        return self.not_a_digit if self.digit is None else float(self.digits[self.digit])

    @property
    def unsure(self) -> bool:
        return self.digit is not None and self.confidence < UNSURE_BELOW

    @property
    def text(self) -> str:
        return "?" if self.digit is None else str(self.digit)


def answer(probabilities: np.ndarray, reject_at: float = REJECT_AT) -> Answer:
    """The answer for one output vector of 10 or 11 probabilities: `decide` for one row, without
    its batch machinery (this runs for every digit after every stroke)."""
    probabilities = np.asarray(probabilities, dtype=np.float32)
    digits = probabilities[:DIGITS]
    if len(probabilities) == DIGITS:
        return Answer(digits, 0.0, int(digits.argmax()))
    rest = float(probabilities[NOT_A_DIGIT])
    return Answer(digits, rest, None if _rejects(rest, reject_at) else int(digits.argmax()))


@dataclass(frozen=True)
class DigitReading:
    """One digit of a drawing: its strokes, its box (canvas units), what the network saw and said."""

    strokes: tuple[int, ...]
    box: Box
    image: np.ndarray
    answer: Answer


@dataclass(frozen=True)
class Reading:
    """The whole drawing, read left to right. Specks are left out."""

    digits: tuple[DigitReading, ...]
    #: Groups beyond MAX_DIGITS, not read.
    unread: int = 0

    @property
    def text(self) -> str:
        return "".join(d.answer.text for d in self.digits)


#: A model's probabilities for one digit: from its 28x28 image and its strokes, in the order drawn.
Classify = Callable[[np.ndarray, Sequence[Stroke]], np.ndarray]


PixelBox = tuple[int, int, int, int]
#: What a digit was read as, by its strokes' points (and the pen and the threshold).
CacheKey = tuple


class ReadingCache:
    """Digits already read, by the content of their strokes: after a stroke only the digit
    it changed is read again. One cache belongs to one model (make a new one for another)."""

    def __init__(self, size: int = 256) -> None:
        self.size = size
        self._items: dict[CacheKey, tuple[np.ndarray, Answer] | None] = {}

    def get(self, key: CacheKey) -> tuple[np.ndarray, Answer] | bool | None:
        """The cached (image, answer), None for a cached speck, False when not cached."""
        if key not in self._items:
            return False
        value = self._items.pop(key)
        self._items[key] = value  # now the most recently used
        return value

    def put(self, key: CacheKey, value: tuple[np.ndarray, Answer] | None) -> None:
        """Keep `value`, forgetting the least recently used entry when full."""
        if len(self._items) >= self.size:
            del self._items[next(iter(self._items))]
        self._items[key] = value


def _pixel_box(box: Box, scale: float) -> PixelBox:
    """`box` (ink, canvas units) in raster pixels, rounded outward with a margin for rasterisation."""
    margin = 2
    return (
        math.floor(box.left * scale) - margin,
        math.floor(box.top * scale) - margin,
        math.ceil(box.right * scale) + margin,
        math.ceil(box.bottom * scale) + margin,
    )


def _apart(a: PixelBox, b: PixelBox) -> bool:
    return a[2] <= b[0] or b[2] <= a[0] or a[3] <= b[1] or b[3] <= a[1]


class _Reader:
    """Reads groups of one drawing: pixels cut from the whole raster where a digit stands
    apart, rendered alone where it touches another; answers cached by stroke content."""

    def __init__(
        self,
        drawing: Drawing,
        classify: Classify,
        whole: Image.Image | None,
        cache: ReadingCache | None,
        reject_at: float,
    ):
        self.drawing, self.classify, self.cache = drawing, classify, cache or ReadingCache()
        self._whole = whole
        self.reject_at = reject_at

    @property
    def whole(self) -> Image.Image:
        if self._whole is None:
            self._whole = render(self.drawing).image
        return self._whole

    def key(self, strokes: Sequence[int]) -> CacheKey:
        lines = self.drawing.strokes
        return (self.reject_at, self.drawing.pen_width, *(tuple(lines[i]) for i in strokes))

    def read(self, strokes: Sequence[int], box: Box, cut_from: PixelBox | None = None) -> DigitReading | None:
        """One group; `cut_from`: its pixel box in the whole raster when no other ink is inside."""
        key = self.key(strokes)
        found = self.cache.get(key)
        cached = found if isinstance(found, tuple) else None
        if found is False:
            if cut_from is not None:
                image = to_mnist(self.whole.crop(cut_from), canvas_height=self.whole.height)
            else:
                image = self._render_alone(strokes, box)
            if image is None:
                cached = None
            else:
                probabilities = self.classify(image, [self.drawing.strokes[i] for i in strokes])
                cached = (image, answer(probabilities, self.reject_at))
            if cached is not None and len(strokes) > MAX_STROKES:
                cached = (cached[0], Answer(cached[1].digits, 1.0, None))
            self.cache.put(key, cached)
        return None if cached is None else DigitReading(tuple(strokes), box, *cached)

    def _render_alone(self, strokes: Sequence[int], box: Box) -> np.ndarray | None:
        """The strokes alone on a raster just wide enough, moved left by whole pixels."""
        shift = math.floor(box.left * RASTER_SIZE) / RASTER_SIZE
        raster = render(self.drawing, width=box.right - shift + 2 / RASTER_SIZE, left=shift, strokes=strokes)
        return to_mnist(raster.image)


def read_drawing(
    drawing: Drawing, classify: Classify, whole: Image.Image | None = None, cache: ReadingCache | None = None
) -> Reading:
    """Split `drawing` into digits (segment.py) and read each through the model.

    `whole` is the drawing's raster if the caller has it (the canvas keeps
    one); `cache` keeps what was read between calls (the canvas reads after
    every stroke). A digit's pixels are always those of its strokes rendered
    alone, and a lone digit is read exactly as before numbers existed.
    """
    if not all_usable(drawing.strokes):  # a NaN or an infinity from a device: never read, never fatal
        drawing = Drawing(usable_strokes(drawing.strokes), drawing.pen_width)
    groups = group_strokes(drawing.strokes, drawing.pen_width)
    unread = max(0, len(groups) - MAX_DIGITS)
    groups = groups[:MAX_DIGITS]
    reader = _Reader(drawing, classify, whole, cache, REJECT_AT if len(groups) <= 1 else REJECT_IN_NUMBER_AT)
    if len(groups) <= 1:
        lone = [reader.read(g.strokes, g.box, (0, 0, *reader.whole.size)) for g in groups]
        return Reading(tuple(d for d in lone if d is not None))
    boxes = [_pixel_box(g.box, RASTER_SIZE) for g in groups]
    read = [
        reader.read(
            g.strokes, g.box, boxes[i] if all(_apart(boxes[i], b) for b in boxes[:i] + boxes[i + 1 :]) else None
        )
        for i, g in enumerate(groups)
    ]
    digits = _split_doubtful(reader, [d for d in read if d is not None])
    return Reading(tuple(_rejoin_fragments(reader, digits)), unread)


def _confident(digit: DigitReading | None) -> TypeGuard[DigitReading]:
    return digit is not None and digit.answer.digit is not None and not digit.answer.unsure


def _split_doubtful(reader: _Reader, digits: list[DigitReading]) -> list[DigitReading]:
    """Split a group of a number that is no confident digit into two that are, in writing order:
    two digits written close together overlap enough to be grouped (a 1 tucked against a 0,
    "44"), and people finish one digit before they start the next. The halves must stand side
    by side, so a 4, a crossed 7 or a 5 with its bar (parts over each other) stay whole."""
    result = []
    for digit in digits:
        halves = None if _confident(digit) else _best_split(reader, digit)
        result.extend(halves or [digit])
    return result


def _best_split(reader: _Reader, digit: DigitReading) -> list[DigitReading] | None:
    strokes, pen = digit.strokes, reader.drawing.pen_width
    if len(strokes) > MAX_STROKES:
        # Not a digit by its strokes (hatching, crossing out), and no two digits take that many either
        # (pen-written digits never use more than 3 strokes): its halves must not become digits.
        return None
    best, best_score = None, 0.0
    for k in range(1, len(strokes)):
        parts = [strokes[:k], strokes[k:]]
        boxes = [ink_box((reader.drawing.strokes[i] for i in part if reader.drawing.strokes[i]), pen) for part in parts]
        if horizontal_overlap(*boxes) > SPLIT_MAX_OVERLAP * min(boxes[0].width, boxes[1].width):
            continue  # one over the other: parts of one digit
        first, rest = (reader.read(part, box) for part, box in zip(parts, boxes, strict=True))
        if _confident(first) and _confident(rest):
            score = first.answer.confidence * rest.answer.confidence
            if score > best_score:
                best, best_score = sorted([first, rest], key=lambda d: d.box.left + d.box.right), score
    return best


def _rejoin_fragments(reader: _Reader, digits: list[DigitReading]) -> list[DigitReading]:
    """Rejoin neighbours when one alone is no confident digit but together they are one:
    the geometric split can cut a digit whose parts barely overlap (an open 4, a 5 with its bar
    off to the right)."""
    i = 0
    while i < len(digits) - 1:
        left, right = digits[i], digits[i + 1]
        if not (_confident(left) and _confident(right)):
            joined = reader.read(sorted(left.strokes + right.strokes), left.box.union(right.box))
            if _confident(joined):
                digits[i : i + 2] = [joined]
                continue
        i += 1
    return digits
