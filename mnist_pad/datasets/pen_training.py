"""Training images from pen strokes: varied, styled, and the "not a digit" examples.

MNIST was written by American census staff and students; people elsewhere
slash their zeros, flag and foot their ones, cross their sevens. Pen-written
digits (the UCI pendigits writers) bring those styles, and each is rendered
several times through the canvas's own path (`strokes.replay` ->
`render.network_input`) with random slant, shear, proportions, size and pen
width, so training sees what the canvas produces. `add_style` adds the marks
some writers make and others do not, and the negatives (letters, scribbles,
hatching, dots, crossed-out and squeezed digits) teach the eleventh class,
"not a digit". Pure NumPy; no Qt, no TensorFlow.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence

import numpy as np

from mnist_pad.ink.drawing import PEN_WIDTH_RANGE, Stroke
from mnist_pad.ink.path import path_batch
from mnist_pad.ink.render import network_input
from mnist_pad.ink.strokes import normalise_strokes, replay

NOT_A_DIGIT = 10
#: Pen widths a person may pick (canvas units), drawn uniformly.
PEN_WIDTHS = (0.05, 0.1)
#: How large people draw on the pad: the longer side as a share of the canvas.
FILL_RANGE = (0.4, 0.8)

Rng = np.random.Generator


def _transform(strokes: list[Stroke], matrix: np.ndarray) -> list[Stroke]:
    return [[tuple(matrix @ np.array(p)) for p in stroke] for stroke in strokes]


def vary(strokes: list[Stroke], rng: Rng, max_rotation: float = 12.0, max_shear: float = 0.25) -> list[Stroke]:
    """A random slant, rotation, proportion and a little tremor, as different hands would write."""
    angle = math.radians(rng.uniform(-max_rotation, max_rotation))
    shear = rng.uniform(-max_shear, max_shear)
    aspect = math.exp(rng.uniform(-0.2, 0.2))
    rotation = np.array([[math.cos(angle), -math.sin(angle)], [math.sin(angle), math.cos(angle)]])
    matrix = rotation @ np.array([[1.0, shear], [0.0, 1.0]]) @ np.diag([aspect, 1 / aspect])
    jitter = rng.uniform(0, 0.008)
    varied = [
        [(x + rng.normal(0, jitter), y + rng.normal(0, jitter)) for x, y in stroke]
        for stroke in _transform(strokes, matrix)
    ]
    return normalise_strokes(varied)


def _box(strokes: list[Stroke]) -> tuple[float, float, float, float]:
    xs = [x for s in strokes for x, _ in s]
    ys = [y for s in strokes for _, y in s]
    return min(xs), min(ys), max(xs), max(ys)


def _line(a: tuple[float, float], b: tuple[float, float], steps: int = 8) -> Stroke:
    return [(a[0] + (b[0] - a[0]) * t / steps, a[1] + (b[1] - a[1]) * t / steps) for t in range(steps + 1)]


def slash_zero(strokes: list[Stroke], rng: Rng) -> list[Stroke]:
    """Ø: a diagonal through the oval (now and then a horizontal bar), as programmers and Scandinavians write."""
    left, top, right, bottom = _box(strokes)
    w, h = right - left, bottom - top
    over = rng.uniform(-0.05, 0.15)
    if rng.random() < 0.2:  # a bar across the middle
        y = top + h * rng.uniform(0.4, 0.6)
        return [*strokes, _line((left - w * over, y), (right + w * over, y + rng.normal(0, 0.03)))]
    start = (left + w * rng.uniform(0.0, 0.25) - w * over, bottom + h * over)
    end = (right - w * rng.uniform(0.0, 0.25) + w * over, top - h * over)
    return [*strokes, _line(start, end) if rng.random() < 0.5 else _line(end, start)]


def foot_one(strokes: list[Stroke], rng: Rng) -> list[Stroke]:
    """A base under a one, written as its own stroke."""
    left, top, right, bottom = _box(strokes)
    h = bottom - top
    centre = right - (right - left) * rng.uniform(0.1, 0.5)
    half = h * rng.uniform(0.15, 0.3)
    y = bottom + h * rng.uniform(-0.02, 0.03)
    return [*strokes, _line((centre - half, y), (centre + half, y + rng.normal(0, 0.01)))]


def cross_seven(strokes: list[Stroke], rng: Rng) -> list[Stroke]:
    """The continental bar across a seven's stem."""
    left, top, right, bottom = _box(strokes)
    w, h = right - left, bottom - top
    y = top + h * rng.uniform(0.45, 0.6)
    centre = left + w * rng.uniform(0.35, 0.6)
    half = w * rng.uniform(0.2, 0.35)
    return [*strokes, _line((centre - half, y), (centre + half, y + rng.normal(0, 0.02)))]


#: Marks some writers add and others do not, by digit.
STYLES: dict[int, Callable[[list[Stroke], Rng], list[Stroke]]] = {0: slash_zero, 1: foot_one, 7: cross_seven}


def add_style(label: int, strokes: list[Stroke], rng: Rng) -> list[Stroke]:
    style = STYLES.get(label)
    return strokes if style is None else style(strokes, rng)


# The eleventh class: drawings that are not a digit.


def _smooth_walk(rng: Rng, points: int, turn: float) -> Stroke:
    heading = rng.uniform(0, 2 * math.pi)
    x, y, stroke = 0.0, 0.0, []
    for _ in range(points):
        heading += rng.normal(0, turn)
        x, y = x + math.cos(heading) * 0.05, y + math.sin(heading) * 0.05
        stroke.append((x, y))
    return stroke


def scribble(rng: Rng) -> list[Stroke]:
    """A tangle: a long wandering line with many turns, sometimes two. Long enough to cross
    itself often; a short hook would be a fair 1, 6 or 9."""
    return [_smooth_walk(rng, int(rng.integers(120, 240)), 0.6) for _ in range(int(rng.integers(1, 3)))]


def hatching(rng: Rng) -> list[Stroke]:
    """Parallel lines, or a grid of them: shading, crossing out."""
    lines = int(rng.integers(4, 10))
    angle = rng.uniform(0, math.pi)
    strokes = []
    for i in range(lines):
        offset = i / (lines - 1) - 0.5 + rng.normal(0, 0.02)
        c, s = math.cos(angle), math.sin(angle)
        centre = (-s * offset, c * offset)
        half = rng.uniform(0.4, 0.55)
        strokes.append(
            _line((centre[0] - c * half, centre[1] - s * half), (centre[0] + c * half, centre[1] + s * half))
        )
    if rng.random() < 0.4:  # cross-hatching
        strokes += [[(y, -x) for x, y in stroke] for stroke in strokes]
    return strokes


def dots(rng: Rng) -> list[Stroke]:
    """Two to five separate taps of the pen."""
    return [[(float(x), float(y))] for x, y in rng.uniform(0, 1, (int(rng.integers(2, 6)), 2))]


def crossed_out(strokes: list[Stroke], rng: Rng) -> list[Stroke]:
    """A digit scratched out with a dense zigzag. Never a single line or an X: a slashed
    zero, a crossed seven and a flagged one are digits."""
    turns = int(rng.integers(6, 12))
    zigzag = [(i / turns, 0.1 if i % 2 else 0.9) for i in range(turns + 1)]
    return [*strokes, [(x + rng.normal(0, 0.02), y + rng.normal(0, 0.05)) for x, y in zigzag]]


def squeezed_pair(first: list[Stroke], second: list[Stroke], rng: Rng) -> list[Stroke]:
    """Two digits written as one: side by side, their ink touching. Never overlapping: a one
    drawn over a zero is a slashed zero, a digit."""
    a, b = normalise_strokes(first), normalise_strokes(second)
    shift = max(x for s in a for x, _ in s) + rng.uniform(0.0, 0.08)
    return a + [[(x + shift, y) for x, y in stroke] for stroke in b]


#: How often a stroke is drawn the other way round, and how often a drawing's strokes come in another
#: order, than the writer at hand did it. People mostly keep to one way: in the UNIPEN and pendigits
#: digits a 0 starts at the top, a 1 goes down, a 7's bar comes first; some writers do otherwise.
REVERSE_SHARE = 0.08
REORDER_SHARE = 0.1


def other_order(strokes: list[Stroke], rng: Rng) -> list[Stroke]:
    """The same ink drawn another way now and then: strokes reversed, or taken in another order.
    The picture is the same; the path reader learns not to lean on a habit every writer has."""
    strokes = [stroke[::-1] if rng.random() < REVERSE_SHARE else stroke for stroke in strokes]
    if len(strokes) > 1 and rng.random() < REORDER_SHARE:
        strokes = [strokes[i] for i in rng.permutation(len(strokes))]
    return strokes


def render_images(drawings: Sequence[list[Stroke]], rng: Rng) -> tuple[np.ndarray, np.ndarray]:
    """uint8 (n, 28, 28) images through the canvas's path, each with a random pen width and size,
    and a mask of those with something to classify."""
    images = np.zeros((len(drawings), 28, 28), np.uint8)
    ok = np.zeros(len(drawings), bool)
    low, high = PEN_WIDTH_RANGE
    for i, strokes in enumerate(drawings):
        pen = float(np.clip(rng.uniform(*PEN_WIDTHS), low, high))
        image = network_input(replay(strokes, pen, fill=rng.uniform(*FILL_RANGE)))
        if image is not None:
            images[i] = np.round(image * 255).astype(np.uint8)
            ok[i] = True
    return images, ok


def rendered(
    drawings: Sequence[list[Stroke]], rng: Rng, with_paths: bool
) -> tuple[np.ndarray, np.ndarray | None, np.ndarray]:
    """The drawings with something to classify: their uint8 images, their paths (None unless
    `with_paths`), and the mask of those kept among `drawings`."""
    images, ok = render_images(drawings, rng)
    paths = path_batch([d for d, keep in zip(drawings, ok, strict=True) if keep]) if with_paths else None
    return images[ok], paths, ok


def digit_drawings(
    samples: Sequence[tuple[int, list[Stroke]]], variants: int, rng: Rng, style_share: float = 0.3
) -> tuple[list[list[Stroke]], list[int]]:
    """`variants` varied copies of every digit, a share of them with the marks of other hands."""
    drawings, labels = [], []
    for label, strokes in samples:
        for _ in range(variants):
            varied = vary(strokes, rng)
            if rng.random() < style_share:
                varied = add_style(label, varied, rng)
            drawings.append(other_order(varied, rng))
            labels.append(label)
    return drawings, labels


def negative_drawings(
    letters: Sequence[list[Stroke]],
    digits: Sequence[list[Stroke]],
    variants: int,
    synthetic: int,
    rng: Rng,
) -> list[list[Stroke]]:
    """Letters (`variants` copies each) and `synthetic` scribbles, hatchings, dots, crossed-out and squeezed digits."""
    drawings = [other_order(vary(strokes, rng), rng) for strokes in letters for _ in range(variants)]
    makers = [lambda: scribble(rng), lambda: hatching(rng), lambda: dots(rng)]
    if digits:
        makers += [
            lambda: crossed_out(normalise_strokes(digits[int(rng.integers(len(digits)))]), rng),
            lambda: squeezed_pair(digits[int(rng.integers(len(digits)))], digits[int(rng.integers(len(digits)))], rng),
        ]
    drawings += [makers[i % len(makers)]() for i in range(synthetic)]
    return drawings
