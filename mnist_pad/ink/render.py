"""Off-screen rendering of a Drawing: the one path from strokes to pixels.

The canvas keeps a `Raster` and adds each new segment as the pen moves (cheap,
so the pointer never waits); the evaluator renders whole drawings with
`render()`. Both go through `Raster.add_segment`, so what the network sees from
the canvas and from a replayed stroke file cannot drift apart.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from PIL import Image, ImageDraw

from mnist_pad.ink.drawing import CANVAS_ASPECT, Drawing, Point
from mnist_pad.ink.preprocess import to_mnist

#: Height of the raster, in pixels (its width is CANVAS_ASPECT times that). A
#: digit drawn over 60% of the height spans about 115 px, nearly 6x the 20 px
#: box it is reduced to, so the reduction anti-aliases well.
RASTER_SIZE = 192


class Raster:
    """A grayscale image of the canvas: ink is 255 on 0.

    Draws through Pillow's C drawing object (what ImageDraw.line and .ellipse
    call underneath), skipping their per-call Python set-up: a 6-digit number
    is some 300 segments, re-rendered after every stroke.
    """

    def __init__(
        self, pen_width: float, size: int = RASTER_SIZE, width: float = CANVAS_ASPECT, left: float = 0.0
    ) -> None:
        self.size = size  # pixels per canvas unit: the height
        self.left = left  # the canvas x at the raster's left edge
        self.image = Image.new("L", (round(size * width), size), 0)
        self._core = ImageDraw.Draw(self.image).draw
        self._ink = self._core.draw_ink(255)
        self.pen_px = max(1.0, pen_width * size)
        self._width = round(self.pen_px)
        self._radius = self.pen_px / 2

    def _px(self, point: Point) -> tuple[float, float]:
        return (point[0] - self.left) * self.size, point[1] * self.size

    def _dot(self, x: float, y: float) -> None:
        r = self._radius
        self._core.draw_ellipse((x - r, y - r, x + r, y + r), self._ink, 1)

    def add_dot(self, point: Point) -> None:
        self._dot(*self._px(point))

    def add_segment(self, start: Point, end: Point) -> None:
        """A straight piece of stroke with a round cap at its end (its start has one)."""
        (x0, y0), (x1, y1) = self._px(start), self._px(end)
        self._core.draw_lines(((x0, y0), (x1, y1)), self._ink, self._width)
        self._dot(x1, y1)

    def add_stroke(self, stroke: list[Point]) -> None:
        """The same pixels as add_dot(stroke[0]) then add_segment for each pair: all ink is one
        value drawn over, so the order does not matter, and the segments go in one call."""
        size, left, r, ink, ellipse = self.size, self.left, self._radius, self._ink, self._core.draw_ellipse
        points = [((x - left) * size, y * size) for x, y in stroke]
        if len(points) > 1:
            self._core.draw_lines(points, ink, self._width)
        for x, y in points:  # what _dot does, inlined: this loop is most of a render's time
            ellipse((x - r, y - r, x + r, y + r), ink, 1)


def render(
    drawing: Drawing,
    size: int = RASTER_SIZE,
    width: float = CANVAS_ASPECT,
    left: float = 0.0,
    strokes: Sequence[int] | None = None,
) -> Raster:
    """The drawing on a raster `width` canvas units wide from `left` (the canvas unless told);
    only the strokes of index `strokes` when given."""
    raster = Raster(drawing.pen_width, size, width, left)
    for i in range(len(drawing.strokes)) if strokes is None else strokes:
        raster.add_stroke(drawing.strokes[i])
    return raster


def network_input(drawing: Drawing) -> np.ndarray | None:
    """The 28x28 float32 image the network sees, or None when there is nothing to read."""
    return to_mnist(render(drawing).image)
