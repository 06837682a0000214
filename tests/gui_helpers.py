"""Drive the real canvas with mouse events, as a person would."""

from __future__ import annotations

from PySide6.QtCore import QSettings, Qt
from PySide6.QtTest import QTest

from mnist_pad.drawing import CANVAS_ASPECT, Drawing
from mnist_pad.gui.main_window import MainWindow
from mnist_pad.store import ModelStore
from mnist_pad.strokes import CANVAS_PX

NO_MOD = Qt.KeyboardModifier.NoModifier
LEFT = Qt.MouseButton.LeftButton


def draw_with_mouse(canvas, drawing: Drawing) -> None:
    """Press, move and release along each stroke (points in canvas units)."""
    for stroke in drawing.strokes:
        points = [canvas.to_widget(point).toPoint() for point in stroke]
        QTest.mousePress(canvas, LEFT, NO_MOD, points[0])
        for point in points[1:]:
            QTest.mouseMove(canvas, point)
        QTest.mouseRelease(canvas, LEFT, NO_MOD, points[-1])


def make_window(qtbot, tmp_path, load: bool = True, fixed_canvas: bool = True) -> MainWindow:
    settings = QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat)
    window = MainWindow(ModelStore(tmp_path / "data"), settings)
    qtbot.addWidget(window)
    window.show()
    if fixed_canvas:  # make the paper exactly the replay grid
        window.canvas.setFixedSize(round(CANVAS_PX * CANVAS_ASPECT), CANVAS_PX)
    qtbot.waitExposed(window)
    if load:
        window.load_model(window.store.active())
        qtbot.waitUntil(lambda: window.classifier is not None, timeout=10_000)
    return window


def open_dialog(window, folder, preset="quick", epochs=1, batch=32, pen_folder="", letters=""):
    """Model > Retrain…, filled in; no pen digits or letters unless given (fast, and tests stay small)."""
    window.retrain()
    dialog = window.retrain_dialog
    dialog.preset.setCurrentIndex(dialog.preset.findData(preset))
    dialog.epochs.setValue(epochs)
    dialog.batch.setValue(batch)
    dialog.folder.setText(str(folder))
    dialog.pen_folder.setText(str(pen_folder))
    dialog.letters.setText(str(letters))
    return dialog
