"""Look inside through LiteRT (the light install): the picture branch's maps from the .tflite itself."""

import numpy as np
import pytest

from mnist_pad.app.selftest import DIGITS
from mnist_pad.errors import ModelFileError
from mnist_pad.ink.drawing import Drawing
from mnist_pad.ink.path import path_features
from mnist_pad.ink.render import network_input
from mnist_pad.model.inference import load_classifier
from mnist_pad.model.inside import CONVOLUTION, DENSE, INPUT, OUTPUT, POOLING
from mnist_pad.model.inside_lite import LiteInspector
from mnist_pad.resources import bundled_model


@pytest.fixture(scope="module")
def inspector():
    return LiteInspector.from_file(bundled_model().with_suffix(".tflite"))


def test_the_bundled_models_picture_branch_stage_by_stage(inspector):
    drawing = Drawing.of(DIGITS[7])
    image = network_input(drawing)
    inside = inspector.look(image, path_features(drawing.strokes))
    kinds = [stage.kind for stage in inside.stages]
    assert kinds == [INPUT, CONVOLUTION, POOLING, CONVOLUTION, POOLING, CONVOLUTION, DENSE, OUTPUT]
    first = inside.stages[1]
    assert first.values.shape == (24, 24, 32) and first.filters.shape == (5, 5, 1, 32)
    assert "32 small 5×5 filters" in first.caption
    assert all(np.isfinite(stage.values).all() for stage in inside.stages)
    expected = load_classifier(bundled_model()).predict(image, path_features(drawing.strokes))
    np.testing.assert_allclose(inside.answer, expected, atol=1e-5)  # the same model, the same answer
    assert inside.saliency is None  # TensorFlow's alone
    assert int(inside.picture_alone.argmax()) == 7 and int(inside.path_alone.argmax()) == 7


def test_a_file_that_is_no_model_is_a_clear_error(tmp_path):
    bad = tmp_path / "model.tflite"
    bad.write_bytes(b"not a flatbuffer at all")
    with pytest.raises(ModelFileError, match="model.tflite"):
        LiteInspector.from_file(bad)
    with pytest.raises(ModelFileError, match="cannot be read"):
        LiteInspector.from_file(tmp_path / "missing.tflite")
