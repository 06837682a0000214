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

import math
from collections.abc import Sequence
from itertools import accumulate, chain

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


def no_paths(count: int) -> np.ndarray:
    """`no_path()` for each of `count` drawings, (count, *PATH_SHAPE)."""
    return np.zeros((count, *PATH_SHAPE), np.float32)


def path_batch(drawings: Sequence[Sequence[Stroke]]) -> np.ndarray:
    """The path input of each drawing, (n, *PATH_SHAPE) float32."""
    return np.stack([path_features(strokes) for strokes in drawings]) if drawings else no_paths(0)


def _finite_points(stroke: Stroke) -> np.ndarray:
    """A stroke's finite points as (n, 2) float64; a malformed stroke gives none."""
    try:  # fromiter is ten times faster than asarray on a list of tuples
        points = np.fromiter(chain.from_iterable(stroke), np.float64).reshape(-1, 2)
    except (TypeError, ValueError):
        try:
            points = np.asarray(stroke, dtype=np.float64).reshape(-1, 2)
        except (TypeError, ValueError):
            return np.zeros((0, 2))
    finite = np.isfinite(points)
    return points if finite.all() else points[finite.all(axis=1)]


def _share(lengths: np.ndarray, total: int) -> np.ndarray:
    """Points per stroke: at least one each, the rest in proportion to length (largest remainders)."""
    extra = total - len(lengths)
    weights = lengths / lengths.sum() if lengths.sum() > 0 else np.full(len(lengths), 1 / len(lengths))
    exact = weights * extra
    share = np.floor(exact).astype(int)
    share[np.argsort(share - exact, kind="stable")[: extra - share.sum()]] += 1
    return share + 1


#: Where the points of a one-stroke path fall along it, as shares of its length.
_RAMP = np.arange(PATH_POINTS) / (PATH_POINTS - 1)


def path_features(strokes: Sequence[Stroke]) -> np.ndarray:
    """The path input (PATH_POINTS, PATH_CHANNELS) float32 of `strokes`, in the order drawn.

    This runs for every digit after every stroke, so it keeps to few NumPy calls (bench/latency.py)."""
    arrays = [points for points in map(_finite_points, strokes) if len(points)]
    count = len(arrays)
    if count == 0 or count > MAX_PATH_STROKES:
        return no_path()
    points = np.concatenate(arrays) if count > 1 else arrays[0]
    low, high = points.min(axis=0), points.max(axis=0)
    size = max(float(high[0]) - float(low[0]), float(high[1]) - float(low[1]))  # Python floats: inf, no warning
    if not math.isfinite(size) or size <= 0:
        return no_path()  # a dot, or taps on one spot: nothing to read in the path
    points = (points - (low + high) / 2) / size
    # Distance along the ink; the pen's jump between strokes counts as a sliver, so that the end of
    # one stroke and the start of the next stay apart.
    delta = points[1:] - points[:-1]
    steps = np.hypot(delta[:, 0], delta[:, 1])
    ends = list(accumulate(len(a) for a in arrays))
    if count > 1:
        steps[[end - 1 for end in ends[:-1]]] = 1e-6
    along = np.zeros(len(points))
    along[1:] = steps.cumsum()
    features = np.zeros(PATH_SHAPE)
    if count == 1:
        per_stroke = None
        targets = along[-1] * _RAMP
    else:
        first, last = along[[0, *ends[:-1]]], along[[end - 1 for end in ends]]
        per_stroke = _share(last - first, PATH_POINTS)
        owner = np.repeat(np.arange(count), per_stroke)
        rank = np.arange(PATH_POINTS) - np.repeat(np.cumsum(per_stroke) - per_stroke, per_stroke)
        targets = first[owner] + rank / np.maximum(per_stroke[owner] - 1, 1) * (last - first)[owner]
    features[:, 0] = np.interp(targets, along, points[:, 0])
    features[:, 1] = np.interp(targets, along, points[:, 1])
    # The direction towards the next point of the same stroke (a stroke's last: from the previous).
    direction = features[:, 2:4]
    direction[:-1] = features[1:, :2] - features[:-1, :2]
    direction[-1] = direction[-2]
    if per_stroke is not None:
        breaks = np.cumsum(per_stroke)[:-1]  # where a stroke begins, after the first
        ends_at = breaks - 1
        direction[ends_at] = direction[ends_at - 1]  # one point at least before each break
        direction[np.append(ends_at, PATH_POINTS - 1)[per_stroke == 1]] = 0.0
        features[breaks, 4] = 1.0
    norm = np.hypot(direction[:, 0], direction[:, 1])
    norm[norm == 0] = 1.0
    direction /= norm[:, None]
    return features.astype(np.float32)
