"""Which action each documented key runs in the real main window: imported by test_keys.py
(offscreen), and run as a script on the X11 platform under Xvfb, where it prints JSON.

    python tests/key_probe.py DATA_FOLDER
"""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path

README = Path(__file__).resolve().parents[2] / "README.md"

#: What each documented key must run: the action's text as the menu shows it.
EXPECTED = {
    "Ctrl+Z": "Undo stroke",
    "Esc": "Clear",
    "Delete": "Clear",
    "Backspace": "Clear",
    "Ctrl+C": "Copy reading",
    "Alt+0": "That was a 0",
    "Alt+9": "That was a 9",
    "Ctrl+O": "Open model…",
    "Ctrl+Shift+S": "Save model as…",
    "Ctrl+R": "Retrain…",
    "Ctrl+L": "Learn from my samples…",
    "Ctrl+Shift+M": "My samples…",
    "Ctrl+Shift+R": "Use the bundled model",
    "Ctrl+I": "Look inside",
    "F1": "About MNIST Pad",
    "Ctrl+Q": "Quit",
}


def documented_keys() -> list[str]:
    """The keys of the README's key table (bold, in the first column)."""
    lines = README.read_text(encoding="utf-8").splitlines()
    keys = []
    for line in lines[lines.index("| Key | What it does |") + 2 :]:
        if not line.startswith("|"):
            return keys
        keys += re.findall(r"\*\*([^*]+)\*\*", line.split("|")[1])
    return keys


def registered(window) -> dict[str, list[str]]:
    """Every key sequence registered on the window, and the actions holding it."""
    from PySide6.QtGui import QKeySequence

    holders: dict[str, list[str]] = {}
    for action in window.actions():
        for sequence in action.shortcuts():
            text = sequence.toString(QKeySequence.SequenceFormat.PortableText)
            holders.setdefault(text, []).append(action.text().replace("&", ""))
    return holders


def triggered(window, keys: list[str]) -> dict[str, list[str]]:
    """Press each key on the window; the actions it ran (their slots replaced by a note)."""
    from PySide6.QtGui import QKeySequence
    from PySide6.QtTest import QTest

    ran: list[str] = []
    for action in window.actions():
        action.triggered.disconnect()
        action.triggered.connect(lambda _=False, a=action: ran.append(a.text().replace("&", "")))
        action.setEnabled(True)
    window.activateWindow()
    QTest.qWaitForWindowActive(window, 5000)  # shortcuts go to the active window only
    result = {}
    for key in keys:
        ran.clear()
        combination = QKeySequence(key)[0]
        QTest.keyClick(window, combination.key(), combination.keyboardModifiers())
        result[key] = list(ran)
    return result


def main(folder: str) -> None:
    from PySide6.QtWidgets import QApplication

    from mnist_pad.gui.main_window import MainWindow
    from mnist_pad.person.preferences import Preferences
    from mnist_pad.person.store import ModelStore

    warnings: list[str] = []
    from PySide6.QtCore import qInstallMessageHandler

    qInstallMessageHandler(lambda _kind, _context, message: warnings.append(message))
    app = QApplication([])
    window = MainWindow(ModelStore(folder), Preferences(Path(folder) / "settings.json"))
    window.show()
    report = {
        "platform": app.platformName(),
        "registered": registered(window),
        "triggered": triggered(window, list(EXPECTED)),
        "warnings": warnings,
    }
    print(json.dumps(report))


if __name__ == "__main__":
    main(sys.argv[1])
