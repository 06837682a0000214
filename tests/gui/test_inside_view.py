"""The Look inside view's pictures: each map lands in its own tile, in the shared colour scale."""

import numpy as np
from PySide6.QtGui import QColor

from mnist_pad.gui.inside_view import LUT, FeatureMaps, saliency_rgba
from mnist_pad.model.inside import CONVOLUTION, Stage


def test_every_map_is_drawn_in_its_own_tile_on_one_scale(qtbot):
    for size, count, columns in ((24, 32, 8), (3, 20, 16)):
        values = np.broadcast_to(np.arange(count, dtype=np.float32), (size, size, count)).copy()
        maps = FeatureMaps(Stage(CONVOLUTION, "c", "", "layer", values))
        qtbot.addWidget(maps)
        assert maps.columns == columns and maps.rows == -(-count // columns)
        for k in range(count):
            centre = maps.source_rect(k).center().toPoint()
            expected = LUT[int(k / (count - 1) * 255)]
            assert maps.atlas.pixelColor(centre) == QColor(*(int(c) for c in expected))


def test_saliency_colours_what_raised_the_vote_red_and_what_lowered_it_blue():
    saliency = np.zeros((28, 28), np.float32)
    saliency[5, 5], saliency[6, 6] = 2.0, -1.0
    rgba = saliency_rgba(saliency)
    assert rgba[5, 5, 0] > rgba[5, 5, 2] and rgba[6, 6, 2] > rgba[6, 6, 0]
    assert rgba[5, 5, 3] > rgba[6, 6, 3] > 0 and rgba[0, 0, 3] == 0  # stronger is more opaque; nothing is clear
