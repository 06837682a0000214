"""model.inside: the stages of any model the pad holds, and an honest saliency."""

import numpy as np
import pytest

from mnist_pad.errors import ModelFileError
from mnist_pad.ink.drawing import Drawing
from mnist_pad.ink.path import PATH_SHAPE
from mnist_pad.ink.render import network_input
from mnist_pad.model.inside import CONVOLUTION, OUTPUT, POOLING, Inspector
from mnist_pad.model.model_io import load_keras
from mnist_pad.model.presets import get_preset
from mnist_pad.resources import bundled_model

pytestmark = pytest.mark.tensorflow  # Keras models, looked into
keras = pytest.importorskip("keras", reason="needs TensorFlow: the light install leaves it out")

rng = np.random.default_rng(0)
BAR = np.zeros((28, 28), np.float32)
BAR[4:24, 12:16] = 1.0
SEVEN = [[(0.0, 0.0), (0.5, 0.02), (1.0, 0.0), (0.7, 0.5), (0.45, 1.0)]]
ZERO = [[(0.5 + 0.3 * np.sin(t / 6), 0.5 - 0.5 * np.cos(t / 6)) for t in range(40)]]


@pytest.fixture(scope="module")
def bundled():
    return load_keras(bundled_model())


def test_the_seed_network_shows_its_two_convolutions_and_its_softmax(tmp_path):
    model = get_preset("seed").build()
    inside = Inspector(model).look(BAR, None)
    assert [s.kind for s in inside.stages[1:]] == [CONVOLUTION, POOLING, CONVOLUTION, POOLING, OUTPUT]
    assert inside.stages[1].values.shape == (25, 25, 32) and inside.stages[1].filters.shape == (4, 4, 1, 32)
    assert inside.picture_alone is None and inside.path_alone is None and inside.path is None
    np.testing.assert_allclose(inside.answer, np.asarray(model(BAR[None, ..., None]))[0], atol=1e-5)


def test_the_path_alone_and_the_picture_alone_are_the_model_with_the_other_input_blank(bundled):
    path = rng.normal(0, 0.3, PATH_SHAPE).astype(np.float32)
    inside = Inspector(bundled).look(BAR, path)
    blank_image, blank_path = np.zeros((1, 28, 28, 1), np.float32), np.zeros((1, *PATH_SHAPE), np.float32)
    image = BAR[None, ..., None]
    np.testing.assert_allclose(inside.answer, bundled([image, path[None]])[0], atol=1e-5)
    np.testing.assert_allclose(inside.picture_alone, bundled([image, blank_path])[0], atol=1e-5)
    np.testing.assert_allclose(inside.path_alone, bundled([blank_image, path[None]])[0], atol=1e-5)


def test_saliency_adds_up_to_how_much_the_picture_moved_its_vote(bundled):
    """Integrated gradients' completeness: the attributions sum to vote(image) - vote(blank)."""
    inspector = Inspector(bundled)
    votes = keras.Model(bundled.inputs[0], bundled.get_layer("image_logits").output)
    for strokes, explain in ((SEVEN, 7), (SEVEN, 1), (ZERO, 0), (ZERO, 10)):
        image = network_input(Drawing.of(strokes))
        inside = inspector.look(image, None, explain=explain)
        change = float(votes(image[None, ..., None])[0, explain] - votes(np.zeros((1, 28, 28, 1)))[0, explain])
        assert inside.explained == explain
        assert inside.saliency.sum() == pytest.approx(change, abs=0.05 * abs(change) + 0.05)
        assert np.all(inside.saliency[image == 0] == 0)  # a blank pixel has no say


def test_a_model_without_a_picture_input_cannot_be_shown():
    inputs = keras.Input(PATH_SHAPE)
    model = keras.Model(inputs, keras.layers.Dense(10)(keras.layers.Flatten()(inputs)))
    with pytest.raises(ModelFileError, match="takes \\[\\(64, 5\\)\\]"):
        Inspector(model)
