"""`mnist-pad --self-test`: prove an installed or frozen app works, with no display.

Loads the bundled model, draws a few digits on the real canvas, checks what it
reads, and with `--with-training` trains a tiny model through TensorFlow,
exports it and fine-tunes it, as Model > Retrain… and Learn from my samples
would, and looks inside the bundled model as View > Look inside does.
Prints one line per check; exit 0 only when all pass.
"""

from __future__ import annotations

import contextlib
import math
import os
import sys
import tempfile
import threading
from pathlib import Path

import numpy as np

from mnist_pad.errors import MnistPadError
from mnist_pad.ink.drawing import Point
from mnist_pad.model.extras import tensorflow_missing


def _arc(cx, cy, rx, ry, start_deg, end_deg, steps=24):
    return [
        (cx + rx * math.cos(math.radians(a)), cy + ry * math.sin(math.radians(a)))
        for a in (start_deg + (end_deg - start_deg) * i / steps for i in range(steps + 1))
    ]


#: One way of writing each digit, as strokes in canvas units (y down).
DIGITS = {
    0: [_arc(0.5, 0.5, 0.2, 0.3, -90, 270)],
    1: [[(0.45, 0.28), (0.53, 0.2), (0.53, 0.5), (0.53, 0.8)]],
    2: [_arc(0.5, 0.35, 0.18, 0.15, 200, 380) + [(0.6, 0.5), (0.3, 0.8), (0.7, 0.8)]],
    3: [_arc(0.48, 0.35, 0.17, 0.14, 210, 450) + _arc(0.48, 0.64, 0.19, 0.16, -90, 150)],
    4: [[(0.45, 0.2), (0.3, 0.6), (0.72, 0.6)], [(0.6, 0.35), (0.6, 0.82)]],
    5: [[(0.68, 0.2), (0.38, 0.2), (0.35, 0.47)] + _arc(0.5, 0.62, 0.19, 0.17, -130, 150)],
    6: [[(0.62, 0.18), (0.45, 0.35), (0.34, 0.6)] + _arc(0.5, 0.65, 0.16, 0.15, 180, 540)],
    7: [[(0.3, 0.22), (0.7, 0.22), (0.48, 0.82)]],
    8: [_arc(0.5, 0.34, 0.14, 0.14, 90, 450), _arc(0.5, 0.64, 0.17, 0.16, -90, 270)],
    9: [_arc(0.5, 0.36, 0.16, 0.15, 0, 360) + [(0.66, 0.55), (0.62, 0.82)]],
}


def written_number(text: str, left: float = 0.2, step: float = 0.52, scale: float = 0.85) -> list[list[Point]]:
    """The digits above side by side, as strokes in canvas units: a number as the pad gets it."""
    return [
        [(left + i * step + (x - 0.5) * scale + 0.5 * step, 0.5 + (y - 0.5) * scale) for x, y in stroke]
        for i, char in enumerate(text)
        for stroke in DIGITS[int(char)]
    ]


#: A year of birth: what people write within the first minute.
NUMBER = "1987"


def synthetic_digits(n: int, seed: int = 0) -> tuple[np.ndarray, np.ndarray]:
    """Easy 28x28 images a network learns in one epoch: digit d is a bright bar in band d."""
    rng = np.random.default_rng(seed)
    labels = rng.integers(0, 10, n).astype(np.uint8)
    images = (rng.random((n, 28, 28)) * 40).astype(np.uint8)
    for image, label in zip(images, labels, strict=True):
        top = 2 + 2 * int(label)
        image[top : top + 3, 4:24] = 255
    return images, labels


def _check_drawing(report) -> bool:
    from PySide6.QtWidgets import QApplication

    from mnist_pad.gui.main_window import MainWindow
    from mnist_pad.ink.drawing import Drawing
    from mnist_pad.model.inference import load_classifier
    from mnist_pad.person.preferences import Preferences
    from mnist_pad.person.store import ModelStore
    from mnist_pad.resources import bundled_model

    path = bundled_model()
    classifier = load_classifier(path)  # synchronously: a missing or broken model fails here, in one line
    report(f"ok   model: {path}")
    app = QApplication.instance() or QApplication(["mnist-pad"])
    passed = True
    with tempfile.TemporaryDirectory(prefix="mnist-pad-selftest-") as scratch:  # settings and models: not the user's
        window = MainWindow(ModelStore(scratch, path), Preferences(Path(scratch) / "settings.json"))
        window.show()
        window.use_classifier(classifier, path)
        app.processEvents()
        for label, strokes in DIGITS.items():
            window.canvas.set_drawing(Drawing.of(strokes))
            guess = window.panel.prediction
            passed &= guess == label
            report(f"{'ok  ' if guess == label else 'FAIL'} drew a {label}, read {guess}")
        window.canvas.set_drawing(Drawing.of(written_number(NUMBER)))
        read = window.panel.verdict_text
        passed &= read == NUMBER
        report(f"{'ok  ' if read == NUMBER else 'FAIL'} wrote {NUMBER}, read {read}")
        window.close()
    return passed


def _check_training(report) -> bool:
    from mnist_pad.datasets.mnist import Mnist
    from mnist_pad.model.inference import load_classifier
    from mnist_pad.model.inputs import model_inputs
    from mnist_pad.model.model_io import save_model
    from mnist_pad.model.personalise import fine_tune
    from mnist_pad.model.training import train

    x_train, y_train = synthetic_digits(300, 1)
    x_test, y_test = synthetic_digits(100, 2)
    data = Mnist(x_train, y_train, x_test, y_test, source="self-test")
    result = train("quick", data, epochs=1, batch_size=32)
    with tempfile.TemporaryDirectory(prefix="mnist-pad-selftest-") as scratch:
        path = save_model(result.model, Path(scratch) / "m.keras")
        load_classifier(path)
    accuracy = result.metrics["accuracy"]
    report(f"{'ok  ' if accuracy > 0.5 else 'FAIL'} training: 1 epoch, accuracy {accuracy:.0%}, exported {path.name}")
    # Model > Learn from my samples: fine-tuning mixes in rendered "not a digit" drawings.
    # The synthetic bars look like its hatching, so only that it runs and still answers is checked.
    tuned = fine_tune(result.model, x_test[:20] / 255, y_test[:20], data, epochs=1, measure_mnist=False)
    outputs = tuned.model.predict(model_inputs(tuned.model, x_test[:20]), verbose=0)
    tuned_ok = outputs.shape == (20, result.model.outputs[0].shape[-1]) and bool(np.isfinite(outputs).all())
    report(f"{'ok  ' if tuned_ok else 'FAIL'} fine-tuning: 1 epoch on 20 samples")
    return accuracy > 0.5 and tuned_ok


def _check_shipped_data(report) -> bool:
    """The training data that ships (Retrain's and Learn's defaults) is all there and reads: MNIST's
    labels, the pendigits writers, the UNIPEN digits and letters."""
    from mnist_pad.datasets import pendigits, shipped
    from mnist_pad.datasets.mnist import read_idx
    from mnist_pad.ink.strokes import read_stroke_file
    from mnist_pad.resources import assets_dir

    missing = [name for name in shipped.SHIPPED_FILES if not (assets_dir() / name).is_file()]
    if missing:
        report(f"FAIL training data: missing {', '.join(missing)}")
        return False
    folder, digits, letters = shipped.mnist_folder(), shipped.pen_digits_file(), shipped.letters_file()
    pen_folder = shipped.pendigits_folder()
    assert folder is not None and digits is not None and letters is not None and pen_folder is not None
    counts = (
        len(read_idx(folder, "train-labels-idx1-ubyte", 1)),
        len(pendigits.read_file(pendigits.find_file(pen_folder, "train") or pen_folder).samples),
        len(read_stroke_file(digits)[0]),
        len(read_stroke_file(letters)[0]),
    )
    ok = counts == (60_000, 7_494, 5_899, 5_338)
    report(f"{'ok  ' if ok else 'FAIL'} training data that ships: MNIST, pendigits, UNIPEN digits, letters {counts}")
    return ok


def _check_look_inside(report, through_litert: bool = False) -> bool:
    """View > Look inside on the bundled model for a drawn 7: its stages and answer, and the saliency
    (Keras); or, as the light install shows it, the maps from the LiteRT model itself (no saliency)."""
    from mnist_pad.ink.drawing import Drawing
    from mnist_pad.ink.path import path_features
    from mnist_pad.ink.render import network_input
    from mnist_pad.model.inside import Inspector
    from mnist_pad.model.inside_lite import LiteInspector
    from mnist_pad.resources import bundled_model

    drawing = Drawing.of(DIGITS[7])
    image = network_input(drawing)
    assert image is not None
    inspector: Inspector | LiteInspector
    if through_litert:
        inspector = LiteInspector.from_file(bundled_model().with_suffix(".tflite"))
    else:
        inspector = Inspector.from_file(bundled_model())
    inside = inspector.look(image, path_features(drawing.strokes))
    answer = int(inside.answer.argmax())
    saliency = inside.saliency
    explained = through_litert or (saliency is not None and bool(np.isfinite(saliency).all()))
    ok = answer == 7 and len(inside.stages) > 2 and explained
    how = " through LiteRT" if through_litert else ""
    report(f"{'ok  ' if ok else 'FAIL'} look inside{how}: {len(inside.stages)} stages, a 7 read as {answer}")
    return ok


def installed_tensorflows() -> list[str]:
    """The TensorFlow distributions installed here, as "name version" (more than one is a broken install)."""
    from importlib.metadata import PackageNotFoundError, version

    found = []
    for name in ("tensorflow", "tensorflow-cpu"):
        with contextlib.suppress(PackageNotFoundError):
            found.append(f"{name} {version(name)}")
    return found


def _check_tensorflow_install(report) -> bool:
    """`tensorflow` and `tensorflow-cpu` unpack into the same folder: both installed means neither is whole."""
    found = installed_tensorflows()
    if len(found) > 1:
        report(f"FAIL {' and '.join(found)} are installed over each other: pip uninstall both, then pip install .")
        return False
    return True


#: A self-test that can hang cannot guard a release: past this, it fails.
TIMEOUT_S = 300


def _watchdog(report, seconds: float) -> threading.Timer:
    def expire() -> None:
        report(f"FAIL timed out after {seconds:.0f} s")
        os._exit(1)  # the GUI thread may be stuck: leave at once

    timer = threading.Timer(seconds, expire)
    timer.daemon = True
    timer.start()
    return timer


def run(with_training: bool = False, timeout_s: float = TIMEOUT_S) -> int:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")  # no display needed

    def report(line: str) -> None:
        print(f"self-test: {line}", flush=True)

    watchdog = _watchdog(report, timeout_s)

    try:
        passed = _check_drawing(report)
        passed &= _check_look_inside(report, through_litert=True)
        if with_training and (missing := tensorflow_missing("--with-training")) is not None:
            report(f"FAIL {missing}")
            passed = False
        elif with_training:
            passed &= _check_tensorflow_install(report)
            passed &= _check_shipped_data(report)
            passed &= _check_training(report)
            passed &= _check_look_inside(report)
    except MnistPadError as exc:  # a missing or broken file: our message says which and what to do
        report(f"FAIL {exc}")
        passed = False
    except Exception as exc:  # any failure is a failed self-test, said in one line
        report(f"FAIL {type(exc).__name__}: {exc}")
        passed = False
    watchdog.cancel()
    report("passed" if passed else "FAILED")
    return 0 if passed else 1


if __name__ == "__main__":
    sys.exit(run("--with-training" in sys.argv))
