"""The pen's path as the network reads it: PATH_POINTS points spaced evenly along the ink.

A picture hides how a digit was written; the path keeps it. A European 1's
flag is drawn upwards before the stem, a 7's bar left to right first, a
slashed zero's slash is a stroke of its own. Each point has five channels:

    x, y     where it is, centred on the ink's box and scaled by its longer side (-0.5..0.5)
    dx, dy   the direction the pen moves there (a unit vector; 0, 0 for a lone dot)
    lifted   1 where the pen was lifted before this point (a new stroke begins), else 0

The points are shared among the strokes by their length, at least one each,
so a short dot or bar is never lost. Whatever comes in (a single point,
zero-length strokes, repeated or non-finite coordinates, 100,000 points, more
strokes than any digit), the result is finite and has this shape. A drawing
with no usable path gives `no_path()`, all zeros, which is also what an image
without strokes (MNIST) is paired with: the network then reads the picture
alone. Pure NumPy.
"""

from __future__ import annotations

from collections.abc import Sequence
from itertools import chain

import numpy as np

from mnist_pad.ink.drawing import Stroke

PATH_POINTS = 64
PATH_CHANNELS = 5
PATH_SHAPE = (PATH_POINTS, PATH_CHANNELS)
#: More strokes than this is hatching or scribbling, never a digit (pen-digit sets use at most 4):
#: such a drawing has no path to read, and the picture (or "not a digit") decides.
MAX_PATH_STROKES = 8


def no_path() -> np.ndarray:
    """The path input of a drawing whose path is unknown or unusable: the picture alone decides."""
    return np.zeros(PATH_SHAPE, np.float32)


def _as_array(stroke: Stroke) -> np.ndarray:
    """A stroke's points as (n, 2) float64; a malformed stroke gives none."""
    try:  # fromiter is ten times faster than asarray on a list of tuples
        return np.fromiter(chain.from_iterable(stroke), np.float64).reshape(-1, 2)
    except (TypeError, ValueError):
        try:
            return np.asarray(stroke, dtype=np.float64).reshape(-1, 2)
        except (TypeError, ValueError):
            return np.zeros((0, 2))


def _points(strokes: Sequence[Stroke]) -> tuple[np.ndarray, np.ndarray]:
    """All finite points as (n, 2) float64 and the index of each one's stroke (0, 1, ...), without
    immediate repeats and without strokes left empty."""
    arrays = [_as_array(stroke) for stroke in strokes]
    arrays = [a[np.isfinite(a).all(axis=1)] for a in arrays]
    arrays = [a for a in arrays if len(a)]
    if not arrays:
        return np.zeros((0, 2)), np.zeros(0, int)
    points = np.concatenate(arrays)
    stroke = np.repeat(np.arange(len(arrays)), [len(a) for a in arrays])
    keep = np.ones(len(points), bool)
    keep[1:] = (np.diff(points, axis=0) != 0).any(axis=1) | (np.diff(stroke) != 0)
    return points[keep], stroke[keep]


def _share(lengths: np.ndarray, total: int) -> np.ndarray:
    """Points per stroke: at least one each, the rest in proportion to length (largest remainders)."""
    extra = total - len(lengths)
    weights = lengths / lengths.sum() if lengths.sum() > 0 else np.full(len(lengths), 1 / len(lengths))
    exact = weights * extra
    share = np.floor(exact).astype(int)
    share[np.argsort(share - exact, kind="stable")[: extra - share.sum()]] += 1
    return share + 1


def path_features(strokes: Sequence[Stroke]) -> np.ndarray:
    """The path input (PATH_POINTS, PATH_CHANNELS) float32 of `strokes`, in the order drawn."""
    points, stroke = _points(strokes)
    count = int(stroke[-1]) + 1 if len(stroke) else 0
    if count == 0 or count > MAX_PATH_STROKES:
        return no_path()
    low, high = points.min(axis=0), points.max(axis=0)
    with np.errstate(over="ignore"):  # points a float's range apart: no path to read
        size = float((high - low).max())
    if not np.isfinite(size) or size <= 0:
        return no_path()  # a dot, or taps on one spot: nothing to read in the path
    points = (points - (low + high) / 2) / size
    # Distance along the ink; the pen's jump between strokes counts as a sliver, so that the end of
    # one stroke and the start of the next stay apart.
    steps = np.hypot(*np.diff(points, axis=0).T)
    jump = np.diff(stroke) != 0
    along = np.concatenate([[0.0], np.cumsum(np.where(jump, 1e-6, steps))])
    lengths = np.bincount(stroke[1:][~jump], weights=steps[~jump], minlength=count)
    per_stroke = _share(lengths, PATH_POINTS)
    first = np.searchsorted(stroke, np.arange(count))
    last = np.searchsorted(stroke, np.arange(count), side="right") - 1
    owner = np.repeat(np.arange(count), per_stroke)
    rank = np.arange(PATH_POINTS) - np.repeat(np.cumsum(per_stroke) - per_stroke, per_stroke)
    fraction = rank / np.maximum(per_stroke[owner] - 1, 1)
    targets = along[first[owner]] + fraction * (along[last[owner]] - along[first[owner]])
    resampled = np.stack([np.interp(targets, along, points[:, 0]), np.interp(targets, along, points[:, 1])], axis=1)
    # The direction towards the next point of the same stroke (a stroke's last: from the previous).
    step = np.diff(resampled, axis=0)
    same = owner[1:] == owner[:-1]
    ahead = np.concatenate([np.where(same[:, None], step, 0.0), np.zeros((1, 2))])
    behind = np.concatenate([np.zeros((1, 2)), np.where(same[:, None], step, 0.0)])
    has_next = np.concatenate([same, [False]])
    direction = np.where(has_next[:, None], ahead, behind)
    norm = np.hypot(direction[:, 0], direction[:, 1])[:, None]
    direction = np.divide(direction, norm, out=np.zeros_like(direction), where=norm > 0)
    lifted = np.zeros((PATH_POINTS, 1))
    lifted[np.cumsum(per_stroke)[:-1], 0] = 1.0
    return np.concatenate([resampled, direction, lifted], axis=1).astype(np.float32)
