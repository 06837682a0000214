#!/usr/bin/env python3
"""Screenshot of the window with a digit drawn on it, for the README.

    QT_QPA_PLATFORM=offscreen python scripts/screenshot.py docs/screenshot.png

The digit is a pen-written sample replayed through real mouse events.
"""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import QPoint, QSettings, Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication

from mnist_pad.gui.main_window import MainWindow
from mnist_pad.store import ModelStore

# A "4" as a person writes it: two strokes, canvas units.
FOUR = [
    [
        (0.40, 0.20),
        (0.36, 0.32),
        (0.31, 0.45),
        (0.28, 0.56),
        (0.40, 0.57),
        (0.55, 0.56),
        (0.68, 0.55),
    ],
    [(0.60, 0.22), (0.59, 0.38), (0.58, 0.55), (0.58, 0.70), (0.58, 0.82)],
]


def draw(canvas, strokes) -> None:
    paper = canvas.paper_rect()
    for stroke in strokes:
        points = [
            QPoint(round(paper.x() + x * paper.width()), round(paper.y() + y * paper.height())) for x, y in stroke
        ]
        QTest.mousePress(canvas, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, points[0])
        for point in points[1:]:
            QTest.mouseMove(canvas, point)
        QTest.mouseRelease(canvas, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, points[-1])


def main() -> int:
    out = Path(sys.argv[1] if len(sys.argv) > 1 else "docs/screenshot.png")
    app = QApplication.instance() or QApplication([])
    settings = QSettings(str(Path(tempfile.mkdtemp()) / "settings.ini"), QSettings.Format.IniFormat)
    store = ModelStore(tempfile.mkdtemp())
    window = MainWindow(store, settings)
    window.resize(860, 600)  # the default size
    window.show()
    window.load_model(store.active())
    while window.classifier is None:
        app.processEvents()
    draw(window.canvas, FOUR)
    app.processEvents()
    out.parent.mkdir(parents=True, exist_ok=True)
    window.grab().save(str(out))
    print(f"{out}: prediction {window.panel.prediction}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
