"""Learn's memory of the person's drawings (model/memory.py): it speaks for drawings like theirs only."""

from __future__ import annotations

import numpy as np
import pytest

from mnist_pad.datasets.mnist import load_mnist
from mnist_pad.ink.path import no_paths, path_features
from mnist_pad.ink.reading import decide
from mnist_pad.ink.render import network_input
from mnist_pad.ink.strokes import replay
from mnist_pad.model import memory, personalise
from mnist_pad.model.inference import load_classifier
from mnist_pad.model.inputs import model_inputs
from mnist_pad.model.model_io import load_keras, save_model
from mnist_pad.model.personalise import fine_tune
from mnist_pad.resources import bundled_model

pytestmark = pytest.mark.tensorflow  # trains, converts or loads Keras models

#: A European 1 (flag and foot) that a person means as a 7: a correction unlike MNIST's digits.
ONE = [[(0.45, 0.25), (0.6, 0.0), (0.6, 1.0)], [(0.4, 1.0), (0.8, 1.0)]]


@pytest.fixture(scope="module")
def learned(tmp_path_factory):
    from helpers import write_mnist_folder

    data = load_mnist(write_mnist_folder(tmp_path_factory.mktemp("mnist")))
    drawing = replay(ONE)
    image, path = network_input(drawing), path_features(drawing.strokes)
    model = load_keras(bundled_model())
    result = fine_tune(model, np.stack([image] * 4), np.full(4, 7), data, paths=np.stack([path] * 4), strokes=[ONE] * 4)
    return model, result.model, data, image, path


def without_memory(model):
    import keras

    return keras.Model(model.inputs, memory.base_output(model))


def test_a_drawing_like_a_correction_is_read_as_the_correction_says(learned):
    model, tuned, _, image, path = learned
    assert memory.has_memory(tuned) and not memory.has_memory(model)
    inputs = model_inputs(tuned, image[None], path[None])
    assert decide(np.asarray(tuned(inputs, training=False)))[0] == 7


def test_a_drawing_unlike_every_correction_is_read_as_without_the_memory(learned):
    _, tuned, data, _, _ = learned
    pictures = data.x_test[:50].astype(np.float32) / 255
    inputs = model_inputs(tuned, pictures, no_paths(len(pictures)))
    with_it = np.asarray(tuned(inputs, training=False))
    plain = np.asarray(without_memory(tuned)(inputs, training=False))
    np.testing.assert_allclose(with_it, plain, atol=1e-6)  # MNIST's scans are far from a flagged one


def test_the_memory_saves_loads_in_safe_mode_and_runs_in_litert(learned, tmp_path):
    _, tuned, _, image, path = learned
    saved = save_model(tuned, tmp_path / "mine.keras")
    again = load_keras(saved)  # safe mode: Keras's own layers only
    assert memory.has_memory(again)
    keras_answer = np.asarray(again(model_inputs(again, image[None], path[None]), training=False))[0]
    litert_answer = load_classifier(saved).predict(image, path)
    np.testing.assert_allclose(litert_answer, keras_answer, atol=0.02)
    assert int(np.argmax(litert_answer)) == 7


def test_learning_again_replaces_the_memory_and_keeps_the_model_small(learned):
    _, tuned, data, image, path = learned
    again = fine_tune(tuned, image[None], np.array([7]), data, paths=path[None], strokes=[ONE]).model
    names = [layer.name for layer in again.layers]
    assert names.count(memory.MIX) == 1 and len(names) == len(tuned.layers)
    prototypes = again.get_layer(f"{memory.PREFIX}similarity").get_weights()[0]
    assert prototypes.shape[1] == 1 + personalise.VARIANTS  # this learn's one correction and its varied copies
