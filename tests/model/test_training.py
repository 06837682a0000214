import numpy as np
import pytest

from mnist_pad.datasets.mnist import load_mnist
from mnist_pad.errors import TrainingCancelled
from mnist_pad.model.inference import load_classifier
from mnist_pad.model.model_io import load_keras, save_model
from mnist_pad.model.training import train

pytestmark = pytest.mark.tensorflow  # trains, converts or loads Keras models


def test_one_short_epoch_reports_progress_and_metrics(tiny_mnist):
    data = load_mnist(tiny_mnist)
    seen = []
    result = train("quick", data, epochs=1, batch_size=32, on_progress=seen.append)
    assert seen and seen[-1].epoch_done and seen[-1].val_accuracy is not None
    assert seen[-1].fraction == pytest.approx(1.0)
    m = result.metrics
    for key in (
        "accuracy",
        "rejected",
        "loss",
        "per_class",
        "confusion",
        "epochs",
        "wall_time_s",
        "preset",
        "data_checksum",
    ):
        assert key in m
    assert m["epochs"] == 1 and m["preset"] == "quick"
    assert len(m["per_class"]) == 10
    assert np.array(m["confusion"]).sum() == len(data.x_test)
    assert m["accuracy"] > 0.5  # the synthetic bars are easy


def test_cancel_stops_at_once_and_raises(tiny_mnist):
    data = load_mnist(tiny_mnist)
    batches = []

    def progress(p):
        batches.append(p.batch)

    with pytest.raises(TrainingCancelled):
        train(
            "seed",
            data,
            epochs=5,
            batch_size=8,
            on_progress=progress,
            should_cancel=lambda: len(batches) >= 1,
        )
    assert len(batches) == 1  # no further batch ran after the cancel


def test_saved_model_round_trips_with_a_matching_litert_model(tiny_mnist, tmp_path):
    data = load_mnist(tiny_mnist)
    result = train("seed", data, epochs=1, batch_size=32, validate=False)
    path = save_model(result.model, tmp_path / "m.keras", result.metrics)
    assert path.with_suffix(".tflite").is_file() and path.with_suffix(".json").is_file()
    model = load_keras(path)
    images = np.random.default_rng(0).random((16, 28, 28), dtype=np.float32)
    keras_out = model.predict(images[..., None], verbose=0)
    litert_out = load_classifier(path).predict_batch(images)
    np.testing.assert_allclose(litert_out, keras_out, atol=0.05)  # int8 weights (model_io.to_tflite)
    assert not list(tmp_path.glob(".*tmp*"))  # no temporary files left behind


def test_a_model_that_reads_the_path_round_trips_to_litert_with_both_inputs(tiny_mnist, tmp_path):
    from mnist_pad.ink.path import PATH_SHAPE, no_path
    from mnist_pad.model.inputs import model_inputs, reads_path

    result = train("quick", load_mnist(tiny_mnist), epochs=1, batch_size=32, validate=False)
    assert reads_path(result.model)
    path = save_model(result.model, tmp_path / "m.keras")
    classifier = load_classifier(path)
    assert classifier.reads_path
    rng = np.random.default_rng(0)
    images = rng.random((8, 28, 28), dtype=np.float32)
    paths = rng.normal(size=(8, *PATH_SHAPE)).astype(np.float32)
    expected = load_keras(path).predict(model_inputs(result.model, images, paths), verbose=0)
    np.testing.assert_allclose(classifier.predict_batch(images, paths), expected, atol=0.05)
    np.testing.assert_allclose(classifier.predict(images[0], paths[0]), expected[0], atol=0.05)
    np.testing.assert_array_equal(classifier.predict(images[0]), classifier.predict(images[0], no_path()))


def test_a_model_that_reads_pictures_alone_ignores_a_path(tiny_mnist, tmp_path):
    from mnist_pad.ink.path import path_features

    result = train("seed", load_mnist(tiny_mnist), epochs=1, batch_size=32, validate=False)
    classifier = load_classifier(save_model(result.model, tmp_path / "seed.keras"))
    image = np.random.default_rng(1).random((28, 28), dtype=np.float32)
    assert not classifier.reads_path
    seven = path_features([[(0.1, 0.1), (0.9, 0.1), (0.4, 0.9)]])
    np.testing.assert_array_equal(classifier.predict(image, seven), classifier.predict(image))
    np.testing.assert_array_equal(classifier.classify(image, [[(0.1, 0.1), (0.9, 0.9)]]), classifier.predict(image))


def test_a_model_trained_without_any_pen_path_reads_by_its_picture_alone(tiny_mnist):
    """Issue 34: Retrain on MNIST alone gave a path network that never saw a path and outvoted the
    picture with full confidence (a clear 3 read as 6 at 100%)."""
    from mnist_pad.ink.path import PATH_SHAPE, no_paths
    from mnist_pad.model.inputs import model_inputs

    data = load_mnist(tiny_mnist)  # MNIST's scans: no pen path at all
    result = train("quick", data, epochs=1, batch_size=64, validate=False)
    model = result.model
    rng = np.random.default_rng(0)
    images = data.x_test[:20]
    some_path = rng.normal(size=(20, *PATH_SHAPE)).astype(np.float32)
    with_paths = np.asarray(model(model_inputs(model, images, some_path), training=False))
    without = np.asarray(model(model_inputs(model, images, no_paths(20)), training=False))
    assert np.allclose(with_paths, without, atol=1e-6)
    assert result.metrics["reads_path"] is False


def test_a_model_trained_with_pen_paths_keeps_reading_them(tiny_mnist):
    from mnist_pad.datasets.mnist import Mnist
    from mnist_pad.ink.path import PATH_SHAPE

    data = load_mnist(tiny_mnist)
    rng = np.random.default_rng(1)
    paths = rng.normal(size=(len(data.x_train), *PATH_SHAPE)).astype(np.float32)
    with_paths = Mnist(data.x_train, data.y_train, data.x_test, data.y_test, data.source, paths_train=paths)
    result = train("quick", with_paths, epochs=1, batch_size=64, validate=False)
    assert result.metrics["reads_path"] is True
    assert np.any(result.model.get_layer("path_logits").get_weights()[0])
