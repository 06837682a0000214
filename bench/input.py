#!/usr/bin/env python3
"""The canvas under a fast pen: 200 pointer events a second, every handler timed.

    python bench/input.py [--digits 60] [--numbers 10]

Drives the real window (offscreen) with mouse events along pen-written
digits and six-digit numbers, one event every 5 ms, and times each event
together with the work it triggers (painting, live readings on the throttle
timer, the reading after each pen-up: segmentation and every digit). The
budget is 8 ms for any one of them.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import digit_strokes, number_strokes, row
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication

from mnist_pad.gui.main_window import MainWindow
from mnist_pad.ink.strokes import place_on_canvas
from mnist_pad.person.preferences import Preferences
from mnist_pad.person.store import ModelStore

INTERVAL_S = 0.005
BUDGET_MS = 8.0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--digits", type=int, default=60)
    parser.add_argument("--numbers", type=int, default=10, help="six-digit numbers, read again after every stroke")
    args = parser.parse_args()
    app = QApplication.instance() or QApplication([])
    home = Path(tempfile.mkdtemp())
    window = MainWindow(ModelStore(home), Preferences(home / "settings.json"))
    window.resize(1180, 540)  # the default size
    window.show()
    window.load_model(window.store.active())
    while window.classifier is None:
        app.processEvents()
    canvas = window.canvas
    times: list[float] = []
    left, none = Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier

    def timed(send) -> None:
        start = time.perf_counter()
        send()
        app.processEvents()  # the paint and any live prediction this event caused
        times.append(time.perf_counter() - start)
        time.sleep(max(0.0, INTERVAL_S - (time.perf_counter() - start)))

    for strokes in [*digit_strokes(args.digits), *number_strokes(args.numbers, 6)]:
        canvas.clear()
        for stroke in place_on_canvas(strokes):  # every point the pen reported, as a device sends them
            points = [canvas.to_widget(point).toPoint() for point in stroke]
            timed(lambda p=points[0]: QTest.mousePress(canvas, left, none, p))
            for point in points[1:]:
                timed(lambda p=point: QTest.mouseMove(canvas, p))
            timed(lambda p=points[-1]: QTest.mouseRelease(canvas, left, none, p))
    over = sum(t * 1000 > BUDGET_MS for t in times)
    print(
        f"{len(times)} pointer events at {1 / INTERVAL_S:.0f}/s over {args.digits} digits "
        f"and {args.numbers} six-digit numbers "
        f"(window {window.width()}x{window.height()})"
    )
    print(row("event + the work it triggers", times))
    print(f"max {max(times) * 1000:.2f} ms; events over the {BUDGET_MS:.0f} ms budget: {over}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
