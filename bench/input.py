#!/usr/bin/env python3
"""The canvas under a fast pen: 200 pointer events a second, every handler timed.

    python bench/input.py [--digits 60]

Drives the real window (offscreen) with mouse events along pen-written
digits, one event every 5 ms, and times each event together with the work it
triggers (painting, live predictions on the throttle timer, pen-up
prediction). The budget is 8 ms for any one of them.
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

from common import row, sample_drawings
from PySide6.QtCore import QPoint, QSettings, Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication

from mnist_pad.gui.main_window import MainWindow
from mnist_pad.store import ModelStore

INTERVAL_S = 0.005
BUDGET_MS = 8.0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--digits", type=int, default=60)
    args = parser.parse_args()
    app = QApplication.instance() or QApplication([])
    home = Path(tempfile.mkdtemp())
    window = MainWindow(ModelStore(home), QSettings(str(home / "s.ini"), QSettings.Format.IniFormat))
    window.resize(900, 640)
    window.show()
    window.load_model(window.store.active())
    while window.classifier is None:
        app.processEvents()
    canvas = window.canvas
    paper = canvas.paper_rect()
    times: list[float] = []
    left, none = Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier

    def timed(send) -> None:
        start = time.perf_counter()
        send()
        app.processEvents()  # the paint and any live prediction this event caused
        times.append(time.perf_counter() - start)
        time.sleep(max(0.0, INTERVAL_S - (time.perf_counter() - start)))

    for drawing in sample_drawings(args.digits):
        canvas.clear()
        for stroke in drawing.strokes:
            points = [
                QPoint(round(paper.x() + x * paper.width()), round(paper.y() + y * paper.height())) for x, y in stroke
            ]
            timed(lambda p=points[0]: QTest.mousePress(canvas, left, none, p))
            for point in points[1:]:
                timed(lambda p=point: QTest.mouseMove(canvas, p))
            timed(lambda p=points[-1]: QTest.mouseRelease(canvas, left, none, p))
    over = sum(t * 1000 > BUDGET_MS for t in times)
    print(
        f"{len(times)} pointer events at {1 / INTERVAL_S:.0f}/s over {args.digits} digits "
        f"(window {window.width()}x{window.height()})"
    )
    print(row("event + the work it triggers", times))
    print(f"max {max(times) * 1000:.2f} ms; events over the {BUDGET_MS:.0f} ms budget: {over}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
