"""The pen's path as the network reads it (ink/path.py): its shape and meaning, and that any input,
however bad, gives a finite path of the same shape (or none, for the picture to decide)."""

import math

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from mnist_pad.ink.path import MAX_PATH_STROKES, PATH_POINTS, PATH_SHAPE, no_path, path_features

DOWN = [(0.5, 0.1), (0.5, 0.9)]
SEVEN = [[(0.1, 0.1), (0.9, 0.1), (0.4, 0.9)], [(0.3, 0.5), (0.7, 0.5)]]


def test_a_stroke_downwards_points_down_from_top_to_bottom():
    path = path_features([DOWN])
    assert path.shape == PATH_SHAPE and path.dtype == np.float32
    np.testing.assert_allclose(path[0, :2], [0, -0.5])
    np.testing.assert_allclose(path[-1, :2], [0, 0.5])
    np.testing.assert_allclose(path[:, 2:4], np.tile([0, 1], (PATH_POINTS, 1)))  # y grows downwards
    assert not path[:, 4].any()  # one stroke: the pen is never lifted


def test_the_same_stroke_drawn_upwards_reads_the_other_way():
    down, up = path_features([DOWN]), path_features([DOWN[::-1]])
    np.testing.assert_allclose(up[:, 2:4], -down[:, 2:4])
    np.testing.assert_allclose(up[:, :2], down[::-1, :2], atol=1e-6)


def test_a_second_stroke_is_marked_where_the_pen_comes_down_again():
    path = path_features(SEVEN)
    starts = np.flatnonzero(path[:, 4])
    assert len(starts) == 1
    np.testing.assert_allclose(path[starts[0], :2], [-0.25, 0.0], atol=1e-6)  # the bar's left end
    lengths = [math.dist(*SEVEN[0][:2]) + math.dist(*SEVEN[0][1:]), 0.4]
    assert starts[0] == pytest.approx(PATH_POINTS * lengths[0] / sum(lengths), abs=1.5)  # points shared by length


def test_position_and_size_do_not_matter():
    moved = [[(x * 3 + 7, y * 3 - 2) for x, y in stroke] for stroke in SEVEN]
    np.testing.assert_allclose(path_features(moved), path_features(SEVEN), atol=1e-5)


def test_a_tap_keeps_one_point_of_its_own():
    path = path_features([DOWN, [(0.8, 0.2)]])
    assert path[-1, 4] == 1 and tuple(path[-1, 2:4]) == (0, 0)


@pytest.mark.parametrize(
    "strokes",
    [
        [],
        [[]],
        [[(0.5, 0.5)]],  # one point
        [[(0.5, 0.5), (0.5, 0.5), (0.5, 0.5)]],  # zero length
        [[(0.2, 0.2)], [(0.2, 0.2)]],  # taps on one spot
        [[(math.nan, 0.1), (math.inf, 0.2), (-math.inf, math.nan)]],
        [[(0.1, 0.1), (0.9, 0.9)]] * (MAX_PATH_STROKES + 1),  # more strokes than any digit
        [[("a", "b"), (None, 1)]],
    ],
    ids=["none", "empty stroke", "one point", "zero length", "taps", "non-finite", "too many strokes", "not numbers"],
)
def test_drawings_with_no_usable_path_give_none(strokes):
    np.testing.assert_array_equal(path_features(strokes), no_path())


def test_non_finite_points_are_left_out_and_the_rest_is_read():
    dirty = [[(0.5, 0.1), (math.nan, 0.5), (0.5, math.inf), (0.5, 0.9)]]
    np.testing.assert_allclose(path_features(dirty), path_features([DOWN]), atol=1e-6)


def test_repeated_points_change_nothing():
    repeated = [[DOWN[0]] * 50 + [DOWN[1]] * 50]
    np.testing.assert_allclose(path_features(repeated), path_features([DOWN]), atol=1e-6)


def test_a_hundred_thousand_points_give_the_same_shape():
    t = np.linspace(0, 2 * np.pi, 100_000)
    path = path_features([list(zip(np.cos(t), np.sin(t), strict=True))])
    assert path.shape == PATH_SHAPE and np.isfinite(path).all()
    np.testing.assert_allclose(np.hypot(path[:, 2], path[:, 3]), 1, atol=1e-3)


coordinate = st.floats(allow_nan=True, allow_infinity=True, width=64)


@given(st.lists(st.lists(st.tuples(coordinate, coordinate), max_size=30), max_size=12))
def test_any_points_give_a_finite_path_of_the_same_shape(strokes):
    path = path_features(strokes)
    assert path.shape == PATH_SHAPE and np.isfinite(path).all()
    assert (np.abs(path[:, :2]) <= 0.5 + 1e-6).all() and set(np.unique(path[:, 4])) <= {0.0, 1.0}
    norms = np.hypot(path[:, 2], path[:, 3])
    assert ((np.abs(norms - 1) < 1e-3) | (norms == 0)).all()
