"""The bundled model reads the pen's path beside the picture: an unusual or unusable path never
makes its answer worse than the picture alone would."""

import math

import numpy as np
import pytest

from mnist_pad.ink.drawing import Drawing
from mnist_pad.ink.path import MAX_PATH_STROKES
from mnist_pad.ink.reading import decide, read_drawing
from mnist_pad.ink.render import network_input
from mnist_pad.ink.strokes import StrokeSample, replay
from mnist_pad.model.compare import load_check_set
from mnist_pad.model.evaluate import stroke_batch
from mnist_pad.model.inference import load_classifier
from mnist_pad.resources import bundled_model


@pytest.fixture(scope="module")
def classifier():
    return load_classifier(bundled_model())


@pytest.fixture(scope="module")
def check_digits():
    return load_check_set().digits


def read(classifier, samples, with_path: bool = True) -> tuple[float, float]:
    """Accuracy, and the mean log-probability given to the right digit."""
    images, paths = stroke_batch(samples)
    probabilities = classifier.predict_batch(images, paths if with_path else None)
    labels = np.array([s.label for s in samples])
    right = np.log(np.maximum(probabilities[np.arange(len(labels)), labels], 1e-9)).mean()
    return float((decide(probabilities) == labels).mean()), float(right)


def accuracy(classifier, samples, with_path: bool = True) -> float:
    return read(classifier, samples, with_path)[0]


def test_the_path_makes_the_pad_surer_of_the_right_digit_than_the_picture_alone(classifier, check_digits):
    both, picture = read(classifier, check_digits), read(classifier, check_digits, with_path=False)
    assert both[0] >= picture[0] and both[1] > picture[1]


@pytest.mark.parametrize(
    "change",
    [
        lambda strokes, rng: [s[::-1] for s in strokes],  # every stroke traced backwards
        lambda strokes, rng: strokes[::-1],  # the strokes in the opposite order
        lambda strokes, rng: [strokes[i] for i in rng.permutation(len(strokes))],
    ],
    ids=["traced backwards", "strokes reversed in order", "strokes shuffled"],
)
def test_a_path_drawn_another_way_is_no_worse_than_the_picture_alone(classifier, check_digits, change):
    rng = np.random.default_rng(0)
    changed = [StrokeSample(s.label, change(s.strokes, rng), s.source, s.writer) for s in check_digits]
    assert accuracy(classifier, changed) >= accuracy(classifier, check_digits, with_path=False) - 0.01


CIRCLE = [(0.5 + 0.3 * math.cos(t), 0.5 + 0.4 * math.sin(t)) for t in np.linspace(0, 2 * math.pi, 100_000)]


SEVEN = [[(0.3, 0.2), (0.7, 0.2), (0.45, 0.8)]]


@pytest.mark.parametrize(
    "strokes",
    [
        [[(0.5, 0.5)]],
        [[(0.5, 0.3)] * 40],
        [[(math.nan, 0.5), (math.inf, -math.inf)]],
        [[(0.1, 0.1), (0.9, 0.9)]] * (MAX_PATH_STROKES + 1),
    ],
    ids=["one point", "zero length, repeated", "non-finite points only", "more strokes than any digit"],
)
def test_a_path_with_nothing_to_read_leaves_the_answer_to_the_picture(classifier, strokes):
    image = network_input(Drawing(SEVEN))
    probabilities = classifier.classify(image, strokes)
    assert np.isfinite(probabilities).all()
    np.testing.assert_array_equal(probabilities, classifier.predict(image))


@pytest.mark.parametrize("strokes", [[[(0.5, 0.5)]], [[(0.5, 0.3)] * 40], [[(0.5, 0.3)], [(0.5, 0.3)]]])
def test_a_dot_or_taps_on_one_spot_read_nothing(classifier, strokes):
    assert read_drawing(Drawing(strokes), classifier.classify).digits == ()


def test_non_finite_points_are_left_out_and_the_rest_is_read(classifier):
    dirty = [[*SEVEN[0][:2], (math.nan, 0.5), (0.45, math.inf), SEVEN[0][2]]]
    image = network_input(Drawing(SEVEN))
    np.testing.assert_allclose(classifier.classify(image, dirty), classifier.classify(image, SEVEN), atol=1e-6)


def test_a_hundred_thousand_points_are_read_like_any_stroke(classifier):
    reading = read_drawing(replay([CIRCLE]), classifier.classify)
    assert reading.text == "0"


def test_more_strokes_than_any_digit_is_not_a_digit_whatever_the_path(classifier):
    hatch = [[(0.2 + 0.07 * i, 0.2), (0.25 + 0.07 * i, 0.8)] for i in range(MAX_PATH_STROKES + 2)]
    digit = read_drawing(Drawing(hatch), classifier.classify).digits[0]
    assert digit.answer.digit is None  # MAX_STROKES (reading.py): "not a digit"
    np.testing.assert_array_equal(classifier.classify(digit.image, hatch), classifier.predict(digit.image))
