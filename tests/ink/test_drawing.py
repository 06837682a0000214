"""The drawing model: which points a stroke keeps, and the one rendering path."""

import itertools
import math

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from mnist_pad.ink.drawing import MIN_STEP, Drawing
from mnist_pad.ink.reading import answer, decide
from mnist_pad.ink.render import render


def test_points_nearer_than_the_step_are_dropped_but_the_lift_point_is_kept():
    drawing = Drawing(pen_width=0.06)
    step = MIN_STEP * 0.06
    drawing.begin_stroke((0.5, 0.5))
    assert not drawing.add_point((0.5 + step * 0.9, 0.5))
    assert drawing.add_point((0.5 + step * 1.1, 0.5))
    assert drawing.end_stroke((0.5 + step * 1.5, 0.5))  # where the pen lifted, however near
    assert not drawing.end_stroke((0.5 + step * 1.5, 0.5))
    assert drawing.strokes == [[(0.5, 0.5), (0.5 + step * 1.1, 0.5), (0.5 + step * 1.5, 0.5)]]


def test_a_device_reporting_every_pixel_gives_points_by_length_not_by_rate():
    """A 1 kHz pen on a slow line reports a point per pixel or less; the stroke keeps about
    one per step, so reading it costs the same as from a mouse."""
    reported = [(0.2 + i / 4000, 0.5 + 0.1 * math.sin(i / 400)) for i in range(2000)]
    drawing = Drawing()
    drawing.begin_stroke(reported[0])
    for point in reported[1:-1]:
        drawing.add_point(point)
    drawing.end_stroke(reported[-1])
    kept = drawing.strokes[0]
    length = sum(math.dist(a, b) for a, b in itertools.pairwise(reported))
    assert len(kept) <= length / (MIN_STEP * drawing.pen_width) + 2
    assert kept[0] == reported[0] and kept[-1] == reported[-1]
    assert min(math.dist(a, b) for a, b in itertools.pairwise(kept[:-1])) >= MIN_STEP * drawing.pen_width


@settings(max_examples=30, deadline=None)
@given(st.lists(st.floats(0.3, 1.5), min_size=1, max_size=4), st.integers(0, 3))
def test_rendering_some_strokes_from_an_offset_equals_rendering_them_moved(lefts, skip):
    strokes = [[(0.3 + 0.2 * k, 0.2), (0.2 + 0.2 * k, 0.6), (0.5 + 0.1 * k, 0.8)] for k in range(4)]
    drawing = Drawing.of(strokes)
    chosen = [i for i in range(4) if i != skip]
    for left in lefts:
        shift = math.floor(left * 192) / 192
        moved = Drawing([[(x - shift, y) for x, y in strokes[i]] for i in chosen], drawing.pen_width)
        expected = np.asarray(render(moved, width=1.0).image)
        got = np.asarray(render(drawing, width=1.0, left=shift, strokes=chosen).image)
        np.testing.assert_array_equal(got, expected)


@settings(max_examples=200, deadline=None)
@given(
    st.lists(st.floats(0.0, 1.0), min_size=11, max_size=11),
    st.sampled_from([0.5, 0.8, 0.99]),
    st.booleans(),
)
def test_one_answer_decides_as_the_batch_rule(weights, reject_at, eleven):
    probabilities = np.asarray(weights if eleven else weights[:10], np.float32)
    probabilities /= probabilities.sum() or 1.0
    expected = int(decide(probabilities, reject_at)[0])
    got = answer(probabilities, reject_at).digit
    assert (10 if got is None else got) == expected


def test_points_that_are_not_finite_are_never_read():
    """Round three, D14: an infinite pen position in a drawing of two or more digits raised
    OverflowError on every reading until Clear."""
    from mnist_pad.ink.drawing import all_usable
    from mnist_pad.ink.reading import read_drawing

    inf, nan = math.inf, math.nan
    strokes = [[(0.3, 0.2), (0.3, 0.8)], [(1.2, 0.2), (inf, 0.5), (1.5, 0.5), (1.2, 0.8)], [(nan, nan)]]
    drawing = Drawing(strokes=[list(s) for s in strokes])
    assert not all_usable(drawing.strokes)
    reading = read_drawing(drawing, lambda image, path: np.full(11, 1 / 11, np.float32))
    assert 1 <= len(reading.digits) <= 2
    assert all_usable(Drawing.of(strokes).strokes) and len(Drawing.of(strokes).strokes) == 2
