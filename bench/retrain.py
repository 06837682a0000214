#!/usr/bin/env python3
"""Retraining in the app: event-loop lag while training, and throughput against train.py.

    python bench/retrain.py [--preset quick] [--epochs 1] [--data ../shared/data/mnist]

Runs the same preset twice on full MNIST: once as train.py does (a direct
`training.train` call), once through the GUI's TrainingWorker while a 10 ms
QTimer measures how late the event loop serves it. Prints timer-lag figures
and both throughputs with their ratio, then how long Cancel takes mid-epoch.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import row
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication

from mnist_pad.datasets.mnist import load_mnist
from mnist_pad.gui.training_worker import TrainingJob, TrainingWorker
from mnist_pad.model.model_io import litert_path_for, save_model
from mnist_pad.model.presets import get_preset
from mnist_pad.model.training import train
from mnist_pad.resources import bundled_model

TICK_MS = 10


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--preset", default="quick")
    parser.add_argument("--epochs", type=int, default=1)
    parser.add_argument("--data", default=os.environ.get("MNIST_PAD_DATA"))
    args = parser.parse_args()
    data = load_mnist(args.data)
    samples = len(data.x_train) * args.epochs

    work_dir = Path(tempfile.mkdtemp())
    train(args.preset, data, epochs=1, validate=False)  # warm-up: TensorFlow's first graph build
    start = time.perf_counter()  # what train.py does after loading: train, measure, save
    result = train(args.preset, data, epochs=args.epochs)
    save_model(result.model, work_dir / "direct.keras", result.metrics)
    direct_s = time.perf_counter() - start

    app = QApplication.instance() or QApplication([])
    job = TrainingJob(
        args.preset,
        args.epochs,
        get_preset(args.preset).batch_size,
        args.data,
        litert_path_for(bundled_model()).read_bytes(),
        work_dir,
    )
    worker = TrainingWorker(job)
    lags: list[float] = []
    last = [time.perf_counter()]

    def tick() -> None:
        now = time.perf_counter()
        lags.append(max(0.0, now - last[0] - TICK_MS / 1000))
        last[0] = now

    timer = QTimer(interval=TICK_MS)
    timer.timeout.connect(tick)
    worker.finished.connect(app.quit)
    start = time.perf_counter()
    timer.start()
    worker.start()
    app.exec()
    gui_s = time.perf_counter() - start
    timer.stop()
    print(
        f"preset {args.preset}, {args.epochs} epoch(s) of {len(data.x_train):,} images; both train, "
        "measure and save; the GUI run also reads MNIST and measures the model in use"
    )
    print(row(f"event-loop lag of a {TICK_MS} ms timer while training", lags))
    print(f"train.py path: {samples / direct_s:8.0f} images/s ({direct_s:.1f} s)")
    print(f"GUI worker:    {samples / gui_s:8.0f} images/s ({gui_s:.1f} s)   ratio GUI/train.py {direct_s / gui_s:.2f}")
    print(row("cancel mid-epoch -> cancelled signal", [cancel_latency(app, job) for _ in range(5)]))
    return 0


def cancel_latency(app: QApplication, job: TrainingJob) -> float:
    """Start training, cancel at the second progress report, time until the worker says so."""
    worker = TrainingWorker(job)
    reports: list[float] = []
    cancelled_at: list[float] = []

    def on_progress(_progress) -> None:
        reports.append(time.perf_counter())
        if len(reports) == 2:
            cancelled_at.append(time.perf_counter())
            worker.cancel()

    worker.progressed.connect(on_progress)
    worker.cancelled.connect(lambda: reports.append(time.perf_counter()))
    worker.finished.connect(app.quit)
    worker.start()
    app.exec()
    worker.wait()
    return reports[-1] - cancelled_at[0]


if __name__ == "__main__":
    sys.exit(main())
