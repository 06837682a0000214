"""Off-screen rendering of a Drawing: the one path from strokes to pixels.

The canvas keeps a `Raster` and adds each new segment as the pen moves (cheap,
so the pointer never waits); the evaluator renders whole drawings with
`render()`. Both go through `Raster.add_segment`, so what the network sees from
the canvas and from a replayed stroke file cannot drift apart.
"""

from __future__ import annotations

import itertools

import numpy as np
from PIL import Image, ImageDraw

from .drawing import CANVAS_ASPECT, Drawing, Point
from .preprocess import to_mnist

#: Height of the raster, in pixels (its width is CANVAS_ASPECT times that). A
#: digit drawn over 60% of the height spans about 115 px, nearly 6x the 20 px
#: box it is reduced to, so the reduction anti-aliases well.
RASTER_SIZE = 192


class Raster:
    """A grayscale image of the canvas: ink is 255 on 0."""

    def __init__(self, pen_width: float, size: int = RASTER_SIZE) -> None:
        self.size = size  # pixels per canvas unit: the height
        self.image = Image.new("L", (round(size * CANVAS_ASPECT), size), 0)
        self._draw = ImageDraw.Draw(self.image)
        self.pen_px = max(1.0, pen_width * size)

    def _px(self, point: Point) -> tuple[float, float]:
        return point[0] * self.size, point[1] * self.size

    def add_dot(self, point: Point) -> None:
        x, y = self._px(point)
        r = self.pen_px / 2
        self._draw.ellipse((x - r, y - r, x + r, y + r), fill=255)

    def add_segment(self, start: Point, end: Point) -> None:
        """A straight piece of stroke with a round cap at its end (its start has one)."""
        self._draw.line((self._px(start), self._px(end)), fill=255, width=round(self.pen_px))
        self.add_dot(end)

    def add_stroke(self, stroke: list[Point]) -> None:
        self.add_dot(stroke[0])
        for start, end in itertools.pairwise(stroke):
            self.add_segment(start, end)



def render(drawing: Drawing, size: int = RASTER_SIZE) -> Raster:
    raster = Raster(drawing.pen_width, size)
    for stroke in drawing.strokes:
        raster.add_stroke(stroke)
    return raster


def network_input(drawing: Drawing) -> np.ndarray | None:
    """The 28x28 float32 image the network sees, or None when there is nothing to read."""
    return to_mnist(render(drawing).image)
