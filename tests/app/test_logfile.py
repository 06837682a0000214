"""What goes wrong is written to a log file a person can find: warnings, and uncaught exceptions
on any thread."""

import logging
import sys
import threading

import pytest

from mnist_pad.app import logfile


@pytest.fixture
def log_file(tmp_path, monkeypatch):
    logger = logging.getLogger("mnist_pad")
    monkeypatch.setattr(sys, "excepthook", lambda *a: None)
    monkeypatch.setattr(threading, "excepthook", lambda args: None)
    monkeypatch.setattr(logfile, "_route_qt_messages", lambda: None)
    handlers, level = list(logger.handlers), logger.level
    path = logfile.start_log_file(tmp_path / "state")
    yield path
    for handler in logger.handlers[len(handlers) :]:
        handler.close()
    logger.handlers[:] = handlers
    logger.setLevel(level)


def test_warnings_and_uncaught_exceptions_of_every_thread_reach_the_log(log_file):
    logging.getLogger("mnist_pad").warning("settings.json: cannot be saved")
    try:
        raise ValueError("on the GUI thread")
    except ValueError:
        sys.excepthook(*sys.exc_info())

    def fail() -> None:
        raise RuntimeError("in a worker")

    worker = threading.Thread(target=fail, name="model-loader")
    worker.start()
    worker.join()
    text = log_file.read_text()
    assert "WARNING" in text and "settings.json: cannot be saved" in text
    assert "ValueError: on the GUI thread" in text and "uncaught exception on the main thread" in text
    assert "RuntimeError: in a worker" in text and "in thread model-loader" in text


def test_a_folder_that_cannot_be_written_means_no_log_file_and_no_failure(tmp_path, caplog):
    blocker = tmp_path / "a-file"
    blocker.write_text("")
    assert logfile.start_log_file(blocker / "state") is None
    assert "no log file" in caplog.text


def test_the_log_folder_is_the_platforms_state_folder(qapp):
    from PySide6.QtCore import QCoreApplication

    QCoreApplication.setApplicationName("MNIST Pad")
    assert logfile.log_folder().name == "MNIST Pad"


def test_litert_announcing_its_delegate_goes_to_the_log_not_the_console(capfd, caplog):
    """Issue 36: the console filled with "INFO: Created TensorFlow Lite XNNPACK delegate for CPU"."""
    from mnist_pad.model.inference import Classifier
    from mnist_pad.resources import assets_dir

    caplog.set_level(logging.INFO, logger="mnist_pad")
    for _ in range(2):
        Classifier.from_file(assets_dir() / "model.tflite")
    assert "XNNPACK" not in capfd.readouterr().err
    print("still here", file=sys.stderr, flush=True)
    assert "still here" in capfd.readouterr().err  # stderr is back where it was
