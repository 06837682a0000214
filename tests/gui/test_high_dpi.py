"""At 200% scale (QT_SCALE_FACTOR=2) the pad reads what is drawn with the mouse as at 100%, and the
window never opens larger than the screen."""

import json
import os
import subprocess
import sys

import pytest
from helpers import REPO

PROBE = """
import json, sys
from PySide6.QtCore import QByteArray, QPointF, QStandardPaths, Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QMainWindow
app = QApplication([])
app.setApplicationName("MNIST Pad")
from mnist_pad.app.launch import create_window
from mnist_pad.ink.strokes import replay
from mnist_pad.person.preferences import open_preferences
from pathlib import Path
big = QMainWindow()  # what a wide window with Look inside open, on a bigger screen, saved
big.setGeometry(0, 0, 2312, 1300)
config = Path(QStandardPaths.writableLocation(QStandardPaths.StandardLocation.AppConfigLocation))
settings = open_preferences(config)
settings.set("window/geometry", big.saveGeometry().data())
settings.set("view/look_inside", sys.argv[1] == "inside")
_, w = create_window(["mnist-pad"], new_window=True)
while w.classifier is None or (sys.argv[1] == "inside" and w.look_inside is None):
    app.processEvents()
canvas = w.canvas
seven = replay([[(0, 0), (1, 0), (0.4, 1)]])
for stroke in seven.strokes:  # real mouse events, in logical pixels
    points = [canvas.to_widget(p).toPoint() for p in stroke]
    QTest.mousePress(canvas, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, points[0])
    for point in points[1:]:
        QTest.mouseMove(canvas, point)
    QTest.mouseRelease(canvas, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, points[-1])
screen = w.screen().availableGeometry()
print(json.dumps({
    "ratio": canvas.devicePixelRatioF(),
    "prediction": w.panel.prediction,
    "frame": [w.frameGeometry().width(), w.frameGeometry().height()],
    "screen": [screen.width(), screen.height()],
    "icon_sizes": sorted({s.width() for s in app.windowIcon().availableSizes()}),
    "inside_floating": w.look_inside is not None and w.look_inside.dock.isFloating(),
    "inside_fits": w.look_inside is None or w.look_inside.dock.frameGeometry().width() <= screen.width(),
}))
"""


SCREEN = {"screens": [{"name": "S", "x": 0, "y": 0, "width": 1600, "height": 900, "logicalDpi": 96, "dpr": 1}]}


@pytest.mark.parametrize(
    ("scale", "view"), [("1", "pad"), ("2", "pad"), pytest.param("2", "inside", marks=pytest.mark.tensorflow)]
)
def test_at_each_scale_a_drawn_seven_reads_as_seven_and_the_window_fits(tmp_path, scale, view):
    """Issue 36: with Look inside left open, QT_SCALE_FACTOR=2 opened a 2312 px window on a 1600 px screen."""
    (tmp_path / "screen.json").write_text(json.dumps(SCREEN))
    platform = f"offscreen:configfile={tmp_path / 'screen.json'}"
    env = {**os.environ, "QT_QPA_PLATFORM": platform, "QT_SCALE_FACTOR": scale, "HOME": str(tmp_path)}
    env.pop("XDG_DATA_HOME", None)
    env.pop("XDG_CONFIG_HOME", None)
    env["XDG_RUNTIME_DIR"] = str(tmp_path)
    result = subprocess.run(
        [sys.executable, "-c", PROBE, view], cwd=REPO, capture_output=True, text=True, timeout=120, env=env
    )
    assert result.returncode == 0, result.stderr
    seen = json.loads(result.stdout.strip().splitlines()[-1])
    assert seen["ratio"] == float(scale) and seen["prediction"] == 7
    assert seen["frame"][0] <= seen["screen"][0] and seen["frame"][1] <= seen["screen"][1]
    assert seen["icon_sizes"] == [16, 24, 32, 48, 64, 128, 256, 512]
    assert seen["inside_fits"] and seen["inside_floating"] == (view == "inside" and scale == "2")
