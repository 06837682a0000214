"""The marks some writers add to a digit (pen_training.STYLES), used in training and in the styles check."""

import math

import numpy as np
import pytest

from mnist_pad.datasets.pen_training import STYLES, add_style, cross_seven, foot_one, slash_zero

# y grows downwards, as on the canvas.
ZERO = [[(0.5 + 0.3 * math.sin(t / 10), 0.5 - 0.5 * math.cos(t / 10)) for t in range(63)]]
ONE = [[(0.35, 0.15), (0.5, 0.0), (0.5, 1.0)]]
SEVEN = [[(0.0, 0.0), (0.6, 0.0), (0.2, 1.0)]]


def mark_of(style, digit, seed):
    """The stroke a style adds, after checking that the digit's own strokes are kept as they were."""
    styled = style(digit, np.random.default_rng(seed))
    assert styled[: len(digit)] == digit
    assert len(styled) == len(digit) + 1
    return np.array(styled[-1])


def slope(mark):
    (x0, y0), (x1, y1) = mark[0], mark[-1]
    return abs(y1 - y0) / max(abs(x1 - x0), 1e-9)


@pytest.mark.parametrize("seed", range(20))
def test_a_slashed_zero_has_a_line_through_its_middle(seed):
    mark = mark_of(slash_zero, ZERO, seed)
    # A diagonal or a bar, but always through the oval: it passes near the centre.
    assert np.min(np.hypot(mark[:, 0] - 0.5, mark[:, 1] - 0.5)) < 0.15
    assert np.ptp(mark[:, 0]) > 0.3  # across the oval, not a dot in it


@pytest.mark.parametrize("seed", range(20))
def test_a_footed_one_has_a_flat_base_at_its_foot(seed):
    mark = mark_of(foot_one, ONE, seed)
    assert slope(mark) < 0.2
    assert np.all(np.abs(mark[:, 1] - 1.0) < 0.08)
    assert mark[:, 0].min() < 0.5 < mark[:, 0].max()  # under the stem


@pytest.mark.parametrize("seed", range(20))
def test_a_crossed_seven_has_a_bar_across_its_stem_halfway_down(seed):
    mark = mark_of(cross_seven, SEVEN, seed)
    assert slope(mark) < 0.2
    assert np.all((mark[:, 1] > 0.4) & (mark[:, 1] < 0.65))


def test_only_zeros_ones_and_sevens_have_a_style_and_others_are_left_alone():
    assert set(STYLES) == {0, 1, 7}
    assert add_style(3, SEVEN, np.random.default_rng(0)) is SEVEN
