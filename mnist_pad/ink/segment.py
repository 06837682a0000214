"""Split a drawing into digits, from its strokes: what makes "2026" four digits.

People write a number left to right, digit by digit, and the strokes of one
digit overlap along the line: a 5's detached top bar lies over its body, a
7's crossbar and a 1's foot over their stems, the two strokes of a 4 over
each other. Strokes of neighbouring digits sit side by side, at most
touching or overlapping a little. So strokes are grouped by how much their
horizontal extents overlap, relative to the narrower of the two, or when one
is stacked above the other; a flat mark joins the digit it touches. Groups
are read left to right. Pure geometry, no pixels: fast enough to rerun on
every stroke.
"""

from __future__ import annotations

import functools
from collections.abc import Iterable
from dataclasses import dataclass

from mnist_pad.ink.drawing import Stroke

#: Strokes (or groups) whose horizontal extents overlap by at least this share
#: of the narrower one belong to one digit.
MIN_OVERLAP = 0.35
#: Boxes sharing less than this share of the shorter one's height are stacked.
STACKED = 0.5
#: A stroke flatter than this share of the drawing's tallest stroke is a mark
#: (a bar, a foot, a flag) that belongs to the digit it touches, preferably the
#: one written just before it.
MARK_HEIGHT = 0.4
#: A mark "touches" a digit when the ink gap between them is at most this many pen widths.
TOUCHING = 0.5
#: No drawing is read as more digits than this; the rest is reported, not read.
MAX_DIGITS = 16


@dataclass(frozen=True)
class Box:
    left: float
    top: float
    right: float
    bottom: float

    @property
    def width(self) -> float:
        return self.right - self.left

    @property
    def height(self) -> float:
        return self.bottom - self.top

    def padded(self, margin: float) -> Box:
        return Box(self.left - margin, self.top - margin, self.right + margin, self.bottom + margin)

    def union(self, other: Box) -> Box:
        return Box(
            min(self.left, other.left),
            min(self.top, other.top),
            max(self.right, other.right),
            max(self.bottom, other.bottom),
        )


def stroke_box(stroke: Stroke) -> Box:
    xs, ys = zip(*stroke, strict=True)
    return Box(min(xs), min(ys), max(xs), max(ys))


def ink_box(strokes: Iterable[Stroke], pen_width: float) -> Box:
    """The box of the ink these (non-empty) strokes leave: their points padded by half the pen."""
    return functools.reduce(Box.union, map(stroke_box, strokes)).padded(pen_width / 2)


def horizontal_overlap(a: Box, b: Box) -> float:
    """How far two boxes overlap along the line of writing (negative: the gap between them)."""
    return min(a.right, b.right) - max(a.left, b.left)


def _belong_together(a: Box, b: Box) -> bool:
    """Overlapping enough side by side, or stacked (a 5's bar above its body): digits of a
    number stand beside each other on one line, never above each other."""
    overlap = horizontal_overlap(a, b)
    if overlap <= 0:  # side by side: the common case in a number, so decided first
        return False
    if overlap >= MIN_OVERLAP * min(a.width, b.width):
        return True
    vertical = min(a.bottom, b.bottom) - max(a.top, b.top)
    return vertical < STACKED * min(a.height, b.height)


@dataclass
class Group:
    """The strokes of one digit (indices into the drawing, in writing order) and their box."""

    strokes: list[int]
    box: Box


def group_strokes(strokes: list[Stroke], pen_width: float) -> list[Group]:
    """The drawing's digits, left to right. A lone digit, in any stroke order, is one group.

    Boxes are of the ink (the points padded by half the pen), so a straight
    vertical stroke is as wide as the pen draws it and touching strokes overlap.
    """
    boxes = {i: ink_box([stroke], pen_width) for i, stroke in enumerate(strokes) if stroke}
    tallest = max((box.height for box in boxes.values()), default=0.0)
    groups: list[Group] = []
    for index, box in boxes.items():
        home = None
        if groups and box.height < MARK_HEIGHT * tallest:  # a mark: join the digit it touches
            touching = [g for g in groups if horizontal_overlap(g.box, box) >= -TOUCHING * pen_width]
            previous = next((g for g in groups if index - 1 in g.strokes), None)
            home = (
                previous
                if previous in touching
                else max(touching, key=lambda g: horizontal_overlap(g.box, box), default=None)
            )
        if home is None:
            home = next((g for g in reversed(groups) if _belong_together(g.box, box)), None)
        if home is None:
            groups.append(Group([index], box))
        else:
            home.strokes.append(index)
            home.box = home.box.union(box)
    merged = True
    while merged:  # a group that grew may now overlap another
        merged = False
        for i, first in enumerate(groups):  # pairs with earlier groups were checked on their turn
            second = next((g for g in groups[i + 1 :] if _belong_together(first.box, g.box)), None)
            if second is not None:
                first.strokes = sorted(first.strokes + second.strokes)
                first.box = first.box.union(second.box)
                groups.remove(second)
                merged = True
                break
    return sorted(groups, key=lambda g: (g.box.left + g.box.right) / 2)
