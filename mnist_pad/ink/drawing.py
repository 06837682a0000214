"""What the person drew, as strokes: the model behind the canvas.

Coordinates are canvas units: the drawing area is CANVAS_ASPECT units wide
and 1 unit high (wide enough for a number), (0, 0) at the top left, y pointing
down. Widget pixels, display scaling and window size
never reach this model, so they cannot change what the network sees.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

Point = tuple[float, float]
Stroke = list[Point]

#: Width of the drawing area in canvas units (its height is 1).
CANVAS_ASPECT = 2.5

#: Pen width in canvas units. With a digit drawn over about 60% of the canvas,
#: this gives strokes of 2-3 px in the 28x28 image, like MNIST's (tuned on the
#: pen digits, see README).
DEFAULT_PEN_WIDTH = 0.075
PEN_WIDTH_RANGE = (0.03, 0.11)
#: A point nearer than this share of the pen width to the last one kept lies
#: under the pen's round tip there, and the network sees the digit reduced some
#: 6x: it is dropped while the pen moves. This bounds a stroke's points, and so
#: the time to read it, by its length rather than by how often the device
#: reports (README: reading a number, speed).
MIN_STEP = 1 / 2
#: Coordinates beyond this are no drawing: stroke files hold drawings scaled to about 1, the canvas
#: 2.5 by 1, and a huge or infinite number (a tablet driver with a zero axis range sends one) would
#: overflow the arithmetic that reads it.
MAX_COORDINATE = 1e6


def usable(point: Point) -> bool:
    """Whether a point is finite and within MAX_COORDINATE (NaN is neither)."""
    x, y = point
    return -MAX_COORDINATE <= x <= MAX_COORDINATE and -MAX_COORDINATE <= y <= MAX_COORDINATE


def usable_strokes(strokes: Iterable[Sequence[Point]]) -> list[Stroke]:
    """`strokes` without the points `usable` refuses (and without strokes left empty)."""
    kept = ([p for p in stroke if usable(p)] for stroke in strokes)
    return [stroke for stroke in kept if stroke]


def all_usable(strokes: Iterable[Sequence[Point]]) -> bool:
    """Whether every point of `strokes` is usable (about 60 µs for a six-digit number)."""
    return all(usable(point) for stroke in strokes for point in stroke)


@dataclass
class Drawing:
    strokes: list[Stroke] = field(default_factory=list)
    pen_width: float = DEFAULT_PEN_WIDTH
    _cleared: list[Stroke] = field(default_factory=list, repr=False)

    @classmethod
    def of(cls, strokes: Iterable[Sequence[Point]], pen_width: float = DEFAULT_PEN_WIDTH) -> Drawing:
        """A drawing of its own copies of `strokes` (without points `usable` refuses): later edits
        touch neither side."""
        copies = [list(stroke) for stroke in strokes]
        return cls(copies if all_usable(copies) else usable_strokes(copies), pen_width)

    @property
    def is_empty(self) -> bool:
        return not self.strokes

    def begin_stroke(self, point: Point) -> None:
        self.strokes.append([point])
        self._cleared = []

    def add_point(self, point: Point) -> bool:
        """Extend the current stroke; False when the point is within MIN_STEP of the last one."""
        stroke = self.strokes[-1]
        last = stroke[-1]
        dx, dy = point[0] - last[0], point[1] - last[1]
        step = MIN_STEP * self.pen_width
        if dx * dx + dy * dy < step * step:
            return False
        stroke.append(point)
        return True

    def end_stroke(self, point: Point) -> bool:
        """Where the pen lifted ends the stroke, however near the last point kept; False when it is that point."""
        stroke = self.strokes[-1]
        if stroke[-1] == point:
            return False
        stroke.append(point)
        return True

    def undo(self) -> bool:
        """Remove the last stroke, or bring back what Clear removed."""
        if self.strokes:
            self.strokes.pop()
            return True
        if self._cleared:
            self.strokes, self._cleared = self._cleared, []
            return True
        return False

    def clear(self) -> None:
        if self.strokes:
            self._cleared, self.strokes = self.strokes, []

    def copy(self) -> Drawing:
        return Drawing.of(self.strokes, self.pen_width)


def set_pen_width(drawing: Drawing, width: float) -> None:
    low, high = PEN_WIDTH_RANGE
    drawing.pen_width = min(max(width, low), high)
