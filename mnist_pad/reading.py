"""From a drawing to what the pad reads: digits left to right, each a digit, "not a digit", or unsure.

A model has ten outputs (digits) or eleven (digits and "not a digit"). The
answer is the most probable of them; with calibrated probabilities
(calibration.py) a digit's probability is how often such an answer is right.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np
from PIL import Image

from .drawing import Drawing
from .preprocess import to_mnist
from .presets import DIGITS, NOT_A_DIGIT
from .render import RASTER_SIZE, render
from .segment import MAX_DIGITS, Box, group_strokes

#: Below this top probability a digit is shown as unsure. Calibrated, this
#: means "wrong about one time in three or more" (README: calibration).
UNSURE_BELOW = 0.7
#: "Not a digit" when that output's probability reaches this (README: not a digit).
REJECT_AT = 0.8


def decide(probabilities: np.ndarray) -> np.ndarray:
    """The answer for each row of 10 or 11 probabilities: a digit, or NOT_A_DIGIT.

    The one decision rule of the app, the evaluator and training's reports."""
    rows = np.atleast_2d(np.asarray(probabilities))
    answers = rows[:, :DIGITS].argmax(axis=1)
    if rows.shape[1] > DIGITS:
        answers = np.where(rows[:, NOT_A_DIGIT] >= REJECT_AT, NOT_A_DIGIT, answers)
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


def answer(probabilities: np.ndarray) -> Answer:
    """The answer for one output vector of 10 or 11 probabilities."""
    probabilities = np.asarray(probabilities, dtype=np.float32)
    digits = probabilities[:DIGITS]
    rest = float(probabilities[NOT_A_DIGIT]) if len(probabilities) > DIGITS else 0.0
    top = int(decide(probabilities)[0])
    return Answer(digits, rest, None if top == NOT_A_DIGIT else top)


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


Classify = Callable[[np.ndarray], np.ndarray]


def _read_group(drawing: Drawing, strokes: Sequence[int], box: Box, classify: Classify) -> DigitReading | None:
    """Render one digit's strokes alone, on a raster just wide enough, moved left by whole pixels."""
    shift = math.floor(box.left * RASTER_SIZE) / RASTER_SIZE
    alone = Drawing([[(x - shift, y) for x, y in drawing.strokes[i]] for i in strokes], drawing.pen_width)
    image = to_mnist(render(alone, width=box.right - shift + 2 / RASTER_SIZE).image)
    return None if image is None else DigitReading(tuple(strokes), box, image, answer(classify(image)))


PixelBox = tuple[int, int, int, int]


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


def read_drawing(drawing: Drawing, classify: Classify, whole: Image.Image | None = None) -> Reading:
    """Split `drawing` into digits (segment.py) and read each through the model.

    `whole` is the drawing's raster if the caller has it (the canvas keeps
    one). A digit whose ink lies apart from the others is cut from it; a digit
    touching another is rendered alone. Either way its pixels are those of
    its strokes rendered alone, and a lone digit is read exactly as before
    numbers existed.
    """
    groups = group_strokes(drawing.strokes, drawing.pen_width)
    unread = max(0, len(groups) - MAX_DIGITS)
    groups = groups[:MAX_DIGITS]
    if not groups:
        return Reading(())
    whole = whole if whole is not None else render(drawing).image
    if len(groups) == 1:
        image = to_mnist(whole)
        only = groups[0]
        digits = () if image is None else (DigitReading(tuple(only.strokes), only.box, image, answer(classify(image))),)
        return Reading(digits)
    boxes = [_pixel_box(g.box, whole.height) for g in groups]  # the raster's height is one canvas unit
    read: list[DigitReading | None] = []
    for i, group in enumerate(groups):
        if all(_apart(boxes[i], other) for j, other in enumerate(boxes) if j != i):
            image = to_mnist(whole.crop(boxes[i]), canvas_height=whole.height)
            digit = (
                None if image is None else DigitReading(tuple(group.strokes), group.box, image, answer(classify(image)))
            )
            read.append(digit)
        else:
            read.append(_read_group(drawing, group.strokes, group.box, classify))
    digits = [d for d in read if d is not None]
    return Reading(tuple(_rejoin_fragments(drawing, digits, classify)), unread)


def _rejoin_fragments(drawing: Drawing, digits: list[DigitReading], classify: Classify) -> list[DigitReading]:
    """Rejoin neighbours when one alone is no confident digit but together they are one:
    the geometric split can cut a digit whose parts barely overlap (an open 4, a 5 with its bar
    off to the right)."""
    i = 0
    while i < len(digits) - 1:
        left, right = digits[i], digits[i + 1]
        if left.answer.unsure or right.answer.unsure or left.answer.digit is None or right.answer.digit is None:
            joined = _read_group(drawing, sorted(left.strokes + right.strokes), left.box.union(right.box), classify)
            if joined is not None and joined.answer.digit is not None and not joined.answer.unsure:
                digits[i : i + 2] = [joined]
                continue
        i += 1
    return digits
