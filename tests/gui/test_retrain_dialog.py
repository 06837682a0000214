"""The retrain dialog says what a training will give and where it went wrong, in the dialog's own
words, and stands beside the window, never over the canvas."""

import pytest
from helpers import open_dialog, start, write_mnist_folder
from PySide6.QtCore import QRect, QSize

from mnist_pad.datasets import mnist as mnist_data
from mnist_pad.gui.retrain_dialog import place_beside
from mnist_pad.gui.training_worker import rendering_stage

pytestmark = pytest.mark.tensorflow  # trains, converts or loads Keras models


def test_offline_the_download_fails_fast_and_names_the_dialogs_field(qtbot, window_factory, monkeypatch, tmp_path):
    monkeypatch.setattr(mnist_data, "KERAS_CACHE", tmp_path / "no-cache.npz")
    offline = "no network: the download server's name could not be looked up"
    monkeypatch.setattr(mnist_data, "network_problem", lambda: offline)
    monkeypatch.delenv("MNIST_PAD_DATA", raising=False)
    window = window_factory()
    dialog = open_dialog(window, "")
    failures = []
    dialog.trainingFailed.connect(failures.append)
    from PySide6.QtWidgets import QMessageBox

    monkeypatch.setattr(QMessageBox, "warning", lambda *a: None)
    with qtbot.waitSignal(dialog.trainingFailed, timeout=30_000):
        start(qtbot, dialog)
    (message,) = failures
    assert "MNIST folder" in message and "no network" in message and "What ships with the pad" in message
    assert "--data" not in message and "MNIST_PAD_DATA" not in message and "[Errno" not in message


@pytest.mark.parametrize(
    ("pen", "letters", "unipen", "said"),
    [
        ("", "", "", None),
        ("/pen", "", "", "Rendering pen-written digits…"),
        ("", "", "/unipen.jsonl.gz", "Rendering pen-written digits…"),
        ("", "/letters.jsonl", "", "Rendering letters…"),
        ("/pen", "/letters.jsonl", "/unipen.jsonl.gz", "Rendering pen-written digits and letters…"),
    ],
)
def test_the_rendering_stage_names_only_what_was_given(pen, letters, unipen, said):
    assert rendering_stage(True, pen, letters, unipen) == said
    assert rendering_stage(False, pen, letters, unipen) is None  # the seed preset reads MNIST alone


SCREEN = QRect(0, 0, 1600, 1000)


@pytest.mark.parametrize(
    ("window", "expected_x"),
    [
        (QRect(0, 0, 1000, 540), 1000),  # room on the right
        (QRect(560, 0, 1040, 540), 0),  # room on the left only
    ],
)
def test_the_dialog_goes_beside_the_window(window, expected_x):
    canvas = QRect(window.left() + 12, window.top() + 40, 640, 256)
    placed = place_beside(window, QSize(560, 600), SCREEN, canvas)
    assert placed.x() == expected_x and not QRect(placed, QSize(560, 600)).intersects(canvas)


def test_a_full_width_window_keeps_its_canvas_free():
    window = QRect(0, 0, 1600, 900)
    canvas = QRect(12, 40, 1100, 440)
    placed = place_beside(window, QSize(480, 600), SCREEN, canvas)
    assert not QRect(placed, QSize(480, 600)).intersects(canvas)
    assert SCREEN.contains(QRect(placed, QSize(480, 600)))


def test_the_open_dialog_goes_where_it_covers_the_least_of_the_paper(qtbot, window_factory, tmp_path):
    """Beside the window where the screen has room; on the small offscreen screen (800 px), below the
    paper as far as the screen allows (place_beside's own tests cover each case)."""
    window = window_factory(fixed_canvas=False)
    window.move(0, 0)
    window.resize(900, 540)
    dialog = open_dialog(window, write_mnist_folder(tmp_path / "mnist"))
    qtbot.waitExposed(dialog)
    canvas = window.canvas
    paper = QRect(canvas.mapToGlobal(canvas.paper_rect().topLeft().toPoint()), canvas.paper_rect().size().toSize())
    screen = dialog.screen().availableGeometry()
    expected = place_beside(window.frameGeometry(), dialog.frameGeometry().size(), screen, paper)
    assert dialog.frameGeometry().topLeft() == expected
    dialog.close()


def test_the_settings_page_says_what_the_data_given_buys(qtbot, window_factory, tmp_path):
    window = window_factory()
    dialog = open_dialog(window, write_mnist_folder(tmp_path / "mnist"))  # quick, no pen digits, no letters
    page = dialog.settings_page
    said = page.capabilities.text()
    assert "not</b> say \u201cnot a digit\u201d" in said and "European 1s, 7s and 4s" in said
    page.pen_folder.setText("/somewhere/pendigits")
    page.letters.setText("/somewhere/letters.jsonl.gz")
    said = page.capabilities.text()
    assert "read pen-written styles" in said and "say \u201cnot a digit\u201d for letters" in said
    page.preset.setCurrentIndex(page.preset.findData("seed"))
    assert "MNIST's ten digits only" in page.capabilities.text()
    sources = " ".join(label.text() for label in page.findChildren(type(page.capabilities)) if "CC BY" in label.text())
    for where in ("yann.lecun.com", "archive.ics.uci.edu/dataset/81", "10.5281/zenodo.1195803"):
        assert where in sources
    dialog.close()


def test_the_learn_estimate_wraps_instead_of_being_clipped(qtbot, window_factory):
    import numpy as np

    from mnist_pad.ink.strokes import replay

    window = window_factory()
    window.samples.add(replay([[(0, 0), (1, 0), (0.4, 1)]]), 7, np.zeros((28, 28), np.float32))
    window.learn()
    qtbot.waitUntil(lambda: window.retrain_dialog is not None)
    estimate = window.retrain_dialog.settings_page.estimate
    assert estimate.wordWrap() and estimate.text().startswith("about")
    assert estimate.geometry().right() <= window.retrain_dialog.width()
    window.retrain_dialog.close()


def test_the_last_step_of_training_is_said_as_a_step_not_as_no_time_left(qtbot):
    """Issue 34: the ETA showed "about 0 s left" for about 35 s at the end (testing, saving, comparing)."""
    from mnist_pad.gui.retrain_pages import ProgressPage
    from mnist_pad.model.progress import Progress

    page = ProgressPage()
    qtbot.addWidget(page)
    page.restart(2)
    page.show_progress(Progress(epoch=2, epochs=2, batch=50, batches=100, loss=0.1, accuracy=0.9, elapsed_s=60))
    assert "left" in page.timing.text()
    page.show_progress(Progress(epoch=2, epochs=2, batch=100, batches=100, loss=0.1, accuracy=0.9, elapsed_s=120))
    assert "0 s left" not in page.timing.text() and "last step" in page.timing.text()
    page.show_stage("Comparing the new model with the one in use…")
    assert page.status.text().startswith("Comparing") and "last step: comparing" in page.timing.text()
    assert page.timing.text().startswith("elapsed 2:00")
