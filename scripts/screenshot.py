#!/usr/bin/env python3
"""Screenshots of the window for the README: a number, a lone digit, and a letter.

    QT_QPA_PLATFORM=offscreen python scripts/screenshot.py docs/

Everything is written through real mouse events on the canvas.
"""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication

from mnist_pad.app.selftest import DIGITS, written_number
from mnist_pad.gui.main_window import MainWindow
from mnist_pad.person.preferences import Preferences
from mnist_pad.person.store import ModelStore

LEFT, NO_MOD = Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier
#: An H: what is not a digit.
LETTER_H = [[(1.05, 0.2), (1.08, 0.8)], [(1.42, 0.18), (1.45, 0.82)], [(1.06, 0.5), (1.44, 0.48)]]


def draw(canvas, strokes) -> None:
    for stroke in strokes:
        points = [canvas.to_widget(p).toPoint() for p in stroke]
        QTest.mousePress(canvas, LEFT, NO_MOD, points[0])
        for point in points[1:]:
            QTest.mouseMove(canvas, point)
        QTest.mouseRelease(canvas, LEFT, NO_MOD, points[-1])


def main() -> int:
    out = Path(sys.argv[1] if len(sys.argv) > 1 else "docs")
    out.mkdir(parents=True, exist_ok=True)
    app = QApplication.instance() or QApplication([])
    settings = Preferences(Path(tempfile.mkdtemp()) / "settings.json")
    store = ModelStore(tempfile.mkdtemp())
    window = MainWindow(store, settings)
    window.resize(1180, 540)  # the default size
    window.show()
    window.load_model(store.active())
    while window.classifier is None:
        app.processEvents()
    for name, strokes in (
        ("screenshot.png", written_number("2026")),
        ("screenshot-digit.png", [[(x + 0.75, y) for x, y in s] for s in DIGITS[4]]),
        ("screenshot-not-a-digit.png", LETTER_H),
    ):
        window.canvas.clear()
        draw(window.canvas, strokes)
        app.processEvents()
        window.grab().save(str(out / name))
        print(f"{out / name}: reads {window.panel.verdict_text!r}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
