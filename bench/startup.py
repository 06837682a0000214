#!/usr/bin/env python3
"""Launch to first painted window, and to model ready, in fresh processes.

    python bench/startup.py [--runs 10]
    python bench/startup.py --executable dist/mnist-pad/mnist-pad

Each run starts a new Python process that goes through `mnist_pad.app.launch.create_window`
(offscreen) and reports when the window first paints and when a drawing first
gets probabilities. The baseline does the same after importing TensorFlow
first, as an app that loads Keras models on start-up would.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

CHILD = r"""
import os, sys, time
launched = float(sys.argv[1])
if sys.argv[2] == "tensorflow":
    import tensorflow  # the baseline: TensorFlow before the window
from PySide6.QtCore import QEvent, QObject, QTimer
from mnist_pad.app.launch import create_window
from mnist_pad.ink.strokes import replay
marks = {}
class FirstPaint(QObject):
    def eventFilter(self, obj, event):
        if event.type() == QEvent.Type.Paint and "painted" not in marks:
            marks["painted"] = time.time() - launched
        return False
app, window = create_window(["bench"])
spy = FirstPaint()
window.canvas.installEventFilter(spy)
drawing = replay([[(0, 0), (1, 0), (0.4, 1)]])
def poll():
    if window.classifier is not None and "painted" in marks:
        window.canvas.set_drawing(drawing)
        if window.panel.prediction is not None:
            marks["ready"] = time.time() - launched
            print(marks["painted"], marks["ready"], flush=True)
            app.quit()
            return
    QTimer.singleShot(1, poll)
poll()
app.exec()
"""


def launch(mode: str, env: dict[str, str]) -> tuple[float, float]:
    launched = time.time()
    out = subprocess.run(
        [sys.executable, "-c", CHILD, str(launched), mode],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
        check=True,
    ).stdout.split()
    return float(out[0]), float(out[1])


def launch_logged(command: list[str], env: dict[str, str]) -> tuple[float, float]:
    """Spawn to the app's own --verbose milestones: window shown, model ready."""
    launched = time.perf_counter()
    process = subprocess.Popen([*command, "--verbose"], env=env, stderr=subprocess.PIPE, text=True)
    marks: dict[str, float] = {}
    for line in process.stderr:
        for key, text in (("shown", "window shown"), ("ready", "model ready")):
            if text in line and key not in marks:
                marks[key] = time.perf_counter() - launched
        if len(marks) == 2:
            break
    process.terminate()
    process.communicate(timeout=30)
    return marks["shown"], marks["ready"]


def compare_executable(executable: str, runs: int, env: dict[str, str]) -> None:
    from common import row, stats_ms

    commands = {"built executable": [executable], "from source": [sys.executable, "-m", "mnist_pad"]}
    results = {}
    for name, command in commands.items():
        launch_logged(command, env)  # warm the file cache
        times = [launch_logged(command, env) for _ in range(runs)]
        results[name] = ([s for s, _ in times], [r for _, r in times])
    print(f"{runs} launches each, offscreen, spawn to the app's --verbose log lines")
    for name, (shown, ready) in results.items():
        base = None if name == "from source" else stats_ms(results["from source"][0])
        print(row(f"{name}: window shown", shown, base and {"p50": base["p50"]}))
        print(row(f"{name}: model ready", ready))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--runs", type=int, default=10)
    parser.add_argument("--executable", help="compare a PyInstaller build against running from source")
    args = parser.parse_args()
    from common import row, stats_ms

    home = tempfile.mkdtemp()  # fresh settings and data folder: the bundled model
    env = {
        **os.environ,
        "QT_QPA_PLATFORM": "offscreen",
        "TF_CPP_MIN_LOG_LEVEL": "3",
        "XDG_CONFIG_HOME": home,
        "XDG_DATA_HOME": home,
    }
    if args.executable:
        compare_executable(args.executable, args.runs, env)
        return 0
    launch("app", env)  # warm the file cache
    results = {}
    for mode in ("app", "tensorflow"):
        runs = [launch(mode, env) for _ in range(args.runs)]
        results[mode] = ([p for p, _ in runs], [r for _, r in runs])
    base_paint, base_ready = (stats_ms(t) for t in results["tensorflow"])
    print(f"{args.runs} launches each, offscreen, times from process launch")
    print(row("app: first painted window", results["app"][0], base_paint))
    print(row("app: model ready (first probabilities)", results["app"][1], base_ready))
    print(row("baseline (TensorFlow imported first): paint", results["tensorflow"][0]))
    print(row("baseline (TensorFlow imported first): ready", results["tensorflow"][1]))
    return 0


if __name__ == "__main__":
    sys.exit(main())
