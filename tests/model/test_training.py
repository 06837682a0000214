import numpy as np
import pytest

from mnist_pad.datasets.mnist import load_mnist
from mnist_pad.errors import TrainingCancelled
from mnist_pad.model.inference import load_classifier
from mnist_pad.model.model_io import load_keras, save_model
from mnist_pad.model.training import train


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
