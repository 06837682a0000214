"""Training drawings go through the canvas: the picture and the path the app would read."""

import numpy as np

from mnist_pad.datasets.pen_training import rendered
from mnist_pad.ink.path import path_features


def shaky_line(points: int = 1000, shake: float = 1e-4, seed: int = 0) -> list[list[tuple[float, float]]]:
    """A horizontal line whose points wobble far less than a pixel, as a fine digitiser reports."""
    rng = np.random.default_rng(seed)
    return [[(i / points, 0.5 + float(rng.normal(0, shake))) for i in range(points)]]


def test_the_path_trained_on_is_the_canvas_path_not_the_raw_points():
    line = shaky_line()
    images, paths, ok = rendered([line, line], np.random.default_rng(1), with_paths=True)
    assert ok.all() and images.shape == (2, 28, 28) and paths is not None
    # On the canvas every point lands on the same pixel row: the line runs straight.
    assert np.all(paths[:, :, 3] == 0)
    # The raw points wobble, and their path says so.
    assert np.abs(path_features(line)[:, 3]).max() > 1e-3


def test_no_paths_are_made_unless_asked():
    _, paths, ok = rendered([shaky_line()], np.random.default_rng(3), with_paths=False)
    assert paths is None and ok.all()
