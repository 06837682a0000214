"""Helpers shared by the tests: paths, a tiny MNIST folder, and driving the real window with mouse events."""

from __future__ import annotations

import contextlib
import gzip
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtTest import QTest

from mnist_pad.app.selftest import synthetic_digits
from mnist_pad.datasets.mnist import FILE_NAMES, encode_idx
from mnist_pad.gui.main_window import MainWindow
from mnist_pad.ink.drawing import CANVAS_ASPECT, Drawing
from mnist_pad.ink.strokes import CANVAS_PX
from mnist_pad.person.preferences import Preferences
from mnist_pad.person.store import ModelStore

REPO = Path(__file__).resolve().parent.parent
PEN_DIGITS = REPO.parent / "shared" / "data" / "pen_digits" / "dev.jsonl.gz"


def write_mnist_folder(folder: Path, n_train: int = 300, n_test: int = 100, gz: bool = True) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    x_train, y_train = synthetic_digits(n_train, 1)
    x_test, y_test = synthetic_digits(n_test, 2)
    arrays = {
        "train_images": x_train,
        "train_labels": y_train,
        "test_images": x_test,
        "test_labels": y_test,
    }
    for key, name in FILE_NAMES.items():
        raw = encode_idx(arrays[key])
        if gz:
            (folder / f"{name}.gz").write_bytes(gzip.compress(raw))
        else:
            (folder / name).write_bytes(raw)
    return folder


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
    window = MainWindow(ModelStore(tmp_path / "data"), Preferences(tmp_path / "settings.json"))
    qtbot.addWidget(window)
    window.show()
    if fixed_canvas:  # make the paper exactly the replay grid
        window.canvas.setFixedSize(round(CANVAS_PX * CANVAS_ASPECT), CANVAS_PX)
    qtbot.waitExposed(window)
    if load:
        window.load_model(window.store.active())
        qtbot.waitUntil(lambda: window.classifier is not None, timeout=10_000)
    return window


def open_dialog(window, folder, preset="quick", epochs=1, batch=32, pen_folder="", letters="", pen_digits=""):
    """Model > Retrain…, "Files of my own" filled in; no pen digits or letters unless given (fast, and
    tests stay small)."""
    from mnist_pad.gui.retrain_pages import OWN_FILES

    window.retrain()
    dialog = window.retrain_dialog
    page = dialog.settings_page
    page.data.setCurrentIndex(page.data.findData(OWN_FILES))
    page.preset.setCurrentIndex(page.preset.findData(preset))
    page.epochs.setValue(epochs)
    page.batch.setValue(batch)
    page.folder.setText(str(folder))
    page.pen_folder.setText(str(pen_folder))
    page.letters.setText(str(letters))
    page.pen_digits.setText(str(pen_digits))
    return dialog


def start(qtbot, dialog) -> None:
    """Click "Start training", as a person would."""
    qtbot.mouseClick(dialog.settings_page.start_button, LEFT)


def open_long_training(qtbot, window, folder: Path, started: int = 0):
    """A training far too long to finish in a test (seed preset, 50 epochs at batch 1), started;
    with `started` > 0, also past that many progress reports. Returns (dialog, progress seen)."""
    dialog = open_dialog(window, write_mnist_folder(folder, n_train=2000), preset="seed", epochs=50, batch=1)
    progress = []
    dialog.progressed.connect(progress.append)
    with qtbot.waitSignal(dialog.runningChanged):
        start(qtbot, dialog)
    if started:
        qtbot.waitUntil(lambda: len(progress) >= started, timeout=60_000)
    return dialog, progress


@contextlib.contextmanager
def another_program_holds(lock_path: Path):
    """Hold `lock_path` the way another program would (its own open file, flock) for the `with` block."""
    import fcntl
    import threading

    lock_path.parent.mkdir(parents=True, exist_ok=True)
    release, held = threading.Event(), threading.Event()

    def hold():
        with open(lock_path, "a") as f:
            fcntl.flock(f, fcntl.LOCK_EX)
            held.set()
            release.wait(60)

    holder = threading.Thread(target=hold, daemon=True)
    holder.start()
    assert held.wait(5)
    try:
        yield
    finally:
        release.set()
        holder.join(10)


def peak_memory(call):
    """(what `call()` returns, or the exception it raised; the most memory Python held meanwhile, in bytes)."""
    import tracemalloc

    tracemalloc.start()
    try:
        try:
            result = call()
        except Exception as exc:  # the caller asserts what it expected
            result = exc
        return result, tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


def ink_lines(strokes, scale=1000, in_air=False) -> list[str]:
    """Strokes (y down, in 0..1) as UNIPEN's ink: integers, y up, one block a stroke."""
    lines = []
    for stroke in strokes:
        lines.append(".PEN_DOWN")
        lines += [f"\t{round(x * scale)}\t{round((1 - y) * scale)}\t{i * 10}" for i, (x, y) in enumerate(stroke)]
        lines.append(".PEN_UP")
        if in_air:
            lines += ["\t1\t1", "\t2\t2"]  # the pen moving in the air: a component, never ink
    return lines


def write_unipen_tree(root, digits, writer="jdoe", contributor="aga", extra_segments=(), in_air=False):
    """train_r01_v07's layout: data/1a/<contributor>/x.dat naming the ink in include/<contributor>/data/x.dat."""
    ink = root / "include" / contributor / "data" / "w1" / "x.dat"
    ink.parent.mkdir(parents=True)
    lines = [f".WRITER_ID {writer}", ".STYLE PRINTED"]
    segments, component = [], 0
    for sample in digits:
        lines += ink_lines(sample.strokes, in_air=in_air)
        count = len(sample.strokes) * (2 if in_air else 1)
        last = component + count - (2 if in_air else 1)
        span = str(component) if last == component else f"{component}-{last}"
        segments.append(f'.SEGMENT CHARACTER {span} ? "{sample.label}"')
        component += count
    ink.write_text("\n".join(lines) + "\n")
    data = root / "data" / "1a" / contributor / "w1" / "x.dat"
    data.parent.mkdir(parents=True)
    header = [".VERSION 1.0", f".INCLUDE {contributor}/app.doc", f".INCLUDE {contributor}/data/w1/x.dat"]
    data.write_text("\n".join(header + segments + list(extra_segments)) + "\n")
    return data
