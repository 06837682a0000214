"""From a drawing to what the pad reads: digits left to right, each a digit, "not a digit", or unsure.

A model has ten outputs (digits) or eleven (digits and "not a digit"). The
answer is the most probable of them; with calibrated probabilities
(calibration.py) a digit's probability is how often such an answer is right.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np
from PIL import Image

from .drawing import Drawing
from .preprocess import to_mnist
from .presets import DIGITS, NOT_A_DIGIT
from .render import network_input
from .segment import MAX_DIGITS, Box, group_strokes

#: Below this top probability a digit is shown as unsure. Calibrated, this
#: means "wrong about one time in three or more" (README: calibration).
UNSURE_BELOW = 0.7


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
    top = int(np.argmax(probabilities))
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
    image = network_input(Drawing([drawing.strokes[i] for i in strokes], drawing.pen_width))
    return None if image is None else DigitReading(tuple(strokes), box, image, answer(classify(image)))


def read_drawing(drawing: Drawing, classify: Classify, whole: Image.Image | None = None) -> Reading:
    """Split `drawing` into digits (segment.py) and read each through the model.

    `whole` is the drawing's raster if the caller has it (the canvas keeps one):
    a lone digit is then read from it, exactly as before numbers existed.
    """
    groups = group_strokes(drawing.strokes, drawing.pen_width)
    unread = max(0, len(groups) - MAX_DIGITS)
    groups = groups[:MAX_DIGITS]
    if len(groups) == 1:
        image = to_mnist(whole) if whole is not None else network_input(drawing)
        only = groups[0]
        digits = () if image is None else (DigitReading(tuple(only.strokes), only.box, image, answer(classify(image))),)
        return Reading(digits)
    read = [_read_group(drawing, g.strokes, g.box, classify) for g in groups]
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
