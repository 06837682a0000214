"""Time estimates: from the throughput a training measured, else the reference machine's."""

import pytest
from helpers import open_dialog, start, write_mnist_folder

from mnist_pad.model.duration import estimate_seconds, format_duration, samples_per_second
from mnist_pad.model.progress import Progress

pytestmark = pytest.mark.tensorflow  # trains, converts or loads Keras models


def test_throughput_counts_every_finished_batch():
    p = Progress(epoch=2, epochs=3, batch=5, batches=10, loss=0.1, accuracy=0.9, elapsed_s=3.0)
    assert samples_per_second(p, 32) == pytest.approx(15 * 32 / 3.0)
    assert samples_per_second(Progress(1, 3, 0, 10, 0.0, 0.0, 0.0), 32) is None
    assert estimate_seconds(60_000, 2, 1000.0) == pytest.approx(120.0)
    assert format_duration(59.4) == "59 s" and format_duration(125) == "2:05"


def test_a_finished_training_makes_the_next_estimate_its_own(qtbot, window_factory, tmp_path):
    window = window_factory()
    dialog = open_dialog(window, write_mnist_folder(tmp_path / "mnist"), preset="quick", epochs=1)
    assert "on a 2-core machine" in dialog.settings_page.estimate.text()
    with qtbot.waitSignal(dialog.trainingSucceeded, timeout=120_000):
        start(qtbot, dialog)
    assert window.settings.get_float("retrain/images_per_second/quick", 0.0) > 0
    dialog.close()
    again = open_dialog(window, tmp_path / "mnist", preset="quick")
    assert "as measured here last time" in again.settings_page.estimate.text()
    again.settings_page.preset.setCurrentIndex(again.settings_page.preset.findData("seed"))
    assert "on a 2-core machine" in again.settings_page.estimate.text()  # another network: not measured yet


@pytest.mark.parametrize("stored", ["inf", "nan", "fast", "-5", 1e-300, 1e308, "1e308", ["a"]])
def test_a_garbled_measured_rate_gives_the_reference_estimate(window_factory, tmp_path, stored):
    window = window_factory()
    dialog = open_dialog(window, write_mnist_folder(tmp_path / "mnist"), preset="quick")
    reference = dialog.settings_page.estimate.text()  # nothing measured yet
    dialog.close()
    window.settings._values["retrain/images_per_second/quick"] = stored  # as a hand-edited file may hold
    again = open_dialog(window, tmp_path / "mnist", preset="quick")
    assert again.settings_page.estimate.text() == reference
