"""The model that ships: correct on digits drawn here, and on MNIST when it is at hand."""

import json
import os

import numpy as np
import pytest
from helpers import draw_with_mouse, make_window

from mnist_pad.app.selftest import DIGITS
from mnist_pad.ink.drawing import Drawing
from mnist_pad.ink.path import PATH_SHAPE
from mnist_pad.ink.reading import decide
from mnist_pad.model.inference import load_classifier
from mnist_pad.model.inputs import model_inputs
from mnist_pad.model.model_io import litert_path_for, load_keras
from mnist_pad.resources import bundled_model, model_card

#: Floors under the shipped model's figures (README), so that a worse model cannot slip in.
MNIST_TARGET = 0.99
FLOORS = {
    ("pen_digits", "accuracy"): 0.98,
    ("pendigits_tes", "accuracy"): 0.98,
    ("letters_held_out", "rejected"): 0.90,
    ("pen_numbers", "exact"): 0.90,
}


@pytest.fixture(scope="module")
def keras_model():
    return load_keras(bundled_model())


def test_bundled_model_reads_digits_drawn_on_the_canvas(qtbot, tmp_path):
    window = make_window(qtbot, tmp_path)
    for label, strokes in DIGITS.items():
        window.canvas.clear()
        draw_with_mouse(window.canvas, Drawing([list(s) for s in strokes]))
        assert window.panel.prediction == label, f"drew a {label}, read {window.panel.prediction}"


#: The LiteRT model stores its weights as int8 (model_io.to_tflite): its probabilities stay
#: this close to the Keras model's (0.039 at most on MNIST's test set).
QUANTISATION_ATOL = 0.05


@pytest.mark.tensorflow
def test_litert_model_matches_keras_on_random_inputs(keras_model):
    rng = np.random.default_rng(7)
    images = rng.random((64, 28, 28), dtype=np.float32)
    images[::2] *= images[::2] > 0.7  # sparse, digit-like inputs too
    paths = rng.uniform(-0.5, 0.5, (64, *PATH_SHAPE)).astype(np.float32)
    paths[::3] = 0  # and drawings without a path
    expected = keras_model.predict(model_inputs(keras_model, images, paths), verbose=0)
    classifier = load_classifier(bundled_model())
    assert classifier.reads_path
    np.testing.assert_allclose(classifier.predict_batch(images, paths), expected, atol=QUANTISATION_ATOL)
    np.testing.assert_allclose(classifier.predict(images[0], paths[0]), expected[0], atol=QUANTISATION_ATOL)


def test_bundled_litert_model_is_current():
    model = bundled_model()
    assert litert_path_for(model).stat().st_mtime >= model.stat().st_mtime


def test_model_card_states_its_figures():
    card = json.loads(model_card().read_text())
    assert card["mnist"]["accuracy"] >= MNIST_TARGET and card["mnist"]["rejected"] <= 0.003
    for (entry, key), floor in FLOORS.items():
        assert card[entry][key] >= floor, (entry, key)
    assert card["letters_held_out"]["confident_digit"] <= 0.03
    assert card["pen_numbers"]["count_errors"] <= 0.01
    assert card["params"] <= 450_000 and card["num_classes"] == 11
    assert card["command"].startswith("python train.py")


@pytest.mark.tensorflow
@pytest.mark.mnist
@pytest.mark.skipif(not os.environ.get("MNIST_PAD_DATA"), reason="needs MNIST_PAD_DATA")
def test_bundled_model_on_the_full_mnist_test_set(keras_model):
    from mnist_pad.datasets.mnist import load_mnist, to_model_input

    data = load_mnist()
    images = to_model_input(data.x_test)
    litert = load_classifier(bundled_model()).predict_batch(images)
    accuracy = float((decide(litert) == data.y_test).mean())
    assert accuracy >= MNIST_TARGET, f"{accuracy:.4f}"
    reference = keras_model.predict(model_inputs(keras_model, images), batch_size=1000, verbose=0)
    np.testing.assert_allclose(litert, reference, atol=QUANTISATION_ATOL)
    assert (decide(litert) != decide(reference)).sum() <= 10  # 4 of 10,000 when measured


def test_the_cards_check_set_figures_are_the_bundled_models_own():
    """One set of figures: About and My models show the card's check-set figures, the retrain results
    measure every other model the same way; the card must be what that measure gives today."""
    from mnist_pad.model.compare import CARD_KEY, card_figures

    card = json.loads(model_card().read_text(encoding="utf-8"))
    assert card_figures(load_classifier(bundled_model())) == card[CARD_KEY]
