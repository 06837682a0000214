"""Segmentation: which strokes make one digit, and reading a number left to right."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from mnist_pad.app.selftest import DIGITS
from mnist_pad.ink.drawing import DEFAULT_PEN_WIDTH, Drawing
from mnist_pad.ink.reading import read_drawing
from mnist_pad.ink.segment import MAX_DIGITS, group_strokes

#: Digits written in several strokes, in canvas units around (0.5, 0.5).
MULTI_STROKE = {
    "5 with a detached bar": [
        [(0.38, 0.22), (0.35, 0.47), (0.5, 0.45), (0.65, 0.6), (0.5, 0.8), (0.33, 0.75)],
        [(0.4, 0.2), (0.68, 0.2)],
    ],
    "crossed 7": [[(0.3, 0.22), (0.7, 0.22), (0.48, 0.82)], [(0.42, 0.52), (0.68, 0.5)]],
    "4 in two strokes": DIGITS[4],
    "1 with a flag and a foot": [[(0.42, 0.32), (0.55, 0.2), (0.55, 0.8)], [(0.42, 0.8), (0.68, 0.8)]],
    "8 in two loops": DIGITS[8],
}


def shifted(strokes, dx=0.0, dy=0.0, scale=1.0):
    return [[(x * scale + dx, y * scale + dy) for x, y in stroke] for stroke in strokes]


def number(digits: list[int], gap: float = 0.12, scale: float = 0.6, pen: float = DEFAULT_PEN_WIDTH) -> list:
    """Digits side by side, `gap` apart (canvas units) between their ink boxes."""
    strokes, left = [], 0.1
    for digit in digits:
        glyph = shifted(DIGITS[digit], scale=scale)
        xs = [x for s in glyph for x, _ in s]
        strokes += shifted(glyph, dx=left - min(xs))
        left += max(xs) - min(xs) + gap + pen
    return strokes


@given(st.sampled_from(sorted(MULTI_STROKE)), st.randoms())
def test_a_lone_digit_is_one_group_whatever_the_stroke_order(name, random):
    strokes = list(MULTI_STROKE[name])
    random.shuffle(strokes)
    assert len(group_strokes(strokes, DEFAULT_PEN_WIDTH)) == 1, name


@settings(max_examples=40)
@given(st.lists(st.integers(0, 9), min_size=1, max_size=8), st.floats(0.06, 0.4))
def test_n_digits_written_apart_are_n_groups_left_to_right(digits, gap):
    strokes = number(digits, gap)
    groups = group_strokes(strokes, DEFAULT_PEN_WIDTH)
    assert len(groups) == len(digits)
    lefts = [g.box.left for g in groups]
    assert lefts == sorted(lefts)


@settings(max_examples=40)
@given(
    st.lists(st.integers(0, 9), min_size=1, max_size=5),
    st.floats(-2, 2),
    st.floats(-1, 1),
    st.floats(0.3, 3),
)
def test_translation_and_scale_do_not_change_the_grouping(digits, dx, dy, scale):
    strokes = number(digits) + MULTI_STROKE["crossed 7"]
    before = [g.strokes for g in group_strokes(strokes, DEFAULT_PEN_WIDTH)]
    after = [g.strokes for g in group_strokes(shifted(strokes, dx, dy, scale), DEFAULT_PEN_WIDTH * scale)]
    assert after == before


def test_a_line_across_everything_joins_it_into_one_group():
    strokes = [*number([1, 2, 3]), [(0.05, 0.5), (1.6, 0.5)]]
    assert len(group_strokes(strokes, DEFAULT_PEN_WIDTH)) == 1


def fake_classifier(image, strokes):
    """Reads the mass of ink: enough to tell that something was read."""
    out = np.zeros(11, np.float32)
    out[int(image.sum()) % 10] = 1.0
    return out


def test_a_dot_between_digits_is_not_read_as_a_digit():
    strokes = number([4, 7], gap=0.3)
    left = max(x for s in strokes[:2] for x, _ in s)
    reading = read_drawing(Drawing([*strokes, [(left + 0.15, 0.5)]]), fake_classifier)
    assert len(reading.digits) == 2


def test_thirty_digits_are_capped_with_a_count_of_the_rest():
    strokes = number([1] * 30, gap=0.02, scale=0.25, pen=0.03)  # all within the canvas's width
    reading = read_drawing(Drawing(strokes, pen_width=0.03), fake_classifier)
    assert len(reading.digits) == MAX_DIGITS and reading.unread == 30 - MAX_DIGITS


def test_empty_drawing_reads_nothing():
    assert read_drawing(Drawing(), fake_classifier).digits == ()


@pytest.mark.parametrize("pair", ["10", "44", "94", "54"])
def test_two_digits_grouped_for_their_overlap_are_split_again_by_writing_order(pair):
    """Two digits written close enough to be grouped (after a 3, so it is a number) are read
    as two: in writing order, the first strokes are one digit and the rest the other."""
    from mnist_pad.model.inference import load_classifier
    from mnist_pad.resources import bundled_model

    classifier = load_classifier(bundled_model())
    first, second = (shifted(DIGITS[int(d)], dx=dx, scale=0.6) for d, dx in zip(pair, (0.2, 0.35), strict=True))
    strokes = shifted(DIGITS[3], dx=-0.15, scale=0.6) + first + second
    assert len(group_strokes(strokes, DEFAULT_PEN_WIDTH)) == 2  # "3" and the pair
    assert read_drawing(Drawing(strokes), classifier.classify).text == "3" + pair


@pytest.mark.parametrize("name", sorted(MULTI_STROKE))
def test_digits_of_several_strokes_in_a_number_are_not_split(name):
    from mnist_pad.model.inference import load_classifier
    from mnist_pad.resources import bundled_model

    classifier = load_classifier(bundled_model())
    glyph = shifted(MULTI_STROKE[name], dx=0.2, scale=0.6)
    strokes = shifted(DIGITS[3], dx=-0.15, scale=0.6) + glyph
    reading = read_drawing(Drawing(strokes), classifier.classify)
    assert [d.strokes for d in reading.digits] == [(0,), tuple(range(1, len(glyph) + 1))]


def test_the_cache_tells_apart_strokes_with_the_same_ends_and_length():
    """After an undo, a different stroke between the same two points is read afresh."""
    from mnist_pad.ink.reading import ReadingCache

    cache = ReadingCache()
    straight = [(0.5, 0.2), (0.5, 0.5), (0.5, 0.8)]
    bent = [(0.5, 0.2), (0.75, 0.5), (0.5, 0.8)]
    first = read_drawing(Drawing([straight]), fake_classifier, cache=cache).digits[0]
    second = read_drawing(Drawing([bent]), fake_classifier, cache=cache).digits[0]
    assert not np.array_equal(first.image, second.image)


def test_hatching_beside_a_number_is_not_split_stroke_by_stroke():
    """A doubtful group is tried as two digits, but not one of 30 strokes: no digit pair has
    that many, and trying each split on every stroke would make the pad sluggish."""
    calls = []

    def counting(image, strokes):
        calls.append(1)
        out = np.zeros(11, np.float32)
        out[10] = 1.0  # nothing is a confident digit
        return out

    hatch = [[(1.2 + 0.01 * i, 0.3), (1.25 + 0.01 * i, 0.7)] for i in range(30)]
    read_drawing(Drawing(number([1, 2]) + hatch), counting)
    assert len(calls) < 30


def test_a_full_cache_forgets_the_least_recently_used_digit():
    from mnist_pad.ink.reading import ReadingCache

    cache = ReadingCache(size=2)
    cache.put(("a",), None)
    cache.put(("b",), None)
    assert cache.get(("a",)) is None  # "a" used again: "b" is now the oldest
    cache.put(("c",), None)
    assert cache.get(("b",)) is False and cache.get(("a",)) is None and cache.get(("c",)) is None


@pytest.mark.parametrize("strokes", [7, 8, 9, 12])
def test_a_hatch_beside_a_digit_does_not_become_digits_by_splitting(strokes):
    """A 1 with a hatch of close parallel strokes beside it: the hatch is one group of more strokes
    than any digit, and its halves (vertical bars, each a fine 1) must not be read as digits."""
    from mnist_pad.model.inference import load_classifier
    from mnist_pad.resources import bundled_model

    classify = load_classifier(bundled_model()).classify
    one = [[(0.3, 0.3), (0.3, 0.7)]]
    hatch = [[(0.5 + 0.025 * i, 0.3), (0.5 + 0.025 * i, 0.7)] for i in range(strokes)]
    assert read_drawing(Drawing(one + hatch), classify).text == "1?"
