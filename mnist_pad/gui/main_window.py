"""The main window: canvas on the left, prediction panel on the right, menus on top."""

from __future__ import annotations

import html
import json
import logging
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np
from PySide6.QtCore import QByteArray, QObject, QRect, QSignalBlocker, QSize, QStandardPaths, Qt, QTimer, Signal
from PySide6.QtGui import QAction, QCloseEvent, QGuiApplication, QKeySequence
from PySide6.QtWidgets import (
    QDockWidget,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QMainWindow,
    QPushButton,
    QSizeGrip,
    QSlider,
    QVBoxLayout,
    QWidget,
)

from mnist_pad import APP_NAME, __version__
from mnist_pad.datasets.sample_images import training_arrays
from mnist_pad.files import atomic
from mnist_pad.files.naming import with_suffix
from mnist_pad.gui import notices
from mnist_pad.gui.canvas import DrawingCanvas
from mnist_pad.gui.model_loader import ModelLoader
from mnist_pad.gui.panel import PredictionPanel
from mnist_pad.gui.sample_writer import SampleWriter, Ticket
from mnist_pad.ink.drawing import DEFAULT_PEN_WIDTH, PEN_WIDTH_RANGE, Drawing
from mnist_pad.ink.preprocess import to_mnist
from mnist_pad.ink.reading import Reading, ReadingCache, read_drawing
from mnist_pad.ink.segment import MAX_DIGITS
from mnist_pad.model.compare import CARD_KEY, Verdict
from mnist_pad.model.extras import tensorflow_missing
from mnist_pad.model.inference import Classifier
from mnist_pad.model.model_io import litert_path_for
from mnist_pad.person.places import unsaved_notice
from mnist_pad.person.preferences import Preferences
from mnist_pad.person.samples import SampleStore
from mnist_pad.person.store import MAX_KEPT, ModelStore
from mnist_pad.resources import model_card

if TYPE_CHECKING:  # imported when first opened: start-up stays short
    from mnist_pad.gui.inside_dock import LookInside
    from mnist_pad.gui.retrain_dialog import JobDescription, RetrainDialog
    from mnist_pad.gui.training_worker import TrainingOutcome

PEN_SLIDER_STEPS = 100
#: The setting that remembers whether Look inside was open at closing.
LOOK_INSIDE_OPEN = "view/look_inside"
log = logging.getLogger("mnist_pad")
#: A standard key's bindings on this platform (a name of our own, so tests can play another platform).
standard_bindings = QKeySequence.keyBindings


DEFAULT_SIZE = QSize(1180, 540)


def default_size(screen: QSize | None) -> QSize:
    """The first window: DEFAULT_SIZE, or what fits the screen (a small one, or one scaled to 200%),
    leaving room for the title bar and a desktop panel."""
    if screen is None:
        return DEFAULT_SIZE
    return DEFAULT_SIZE.boundedTo(QSize(screen.width() - 40, screen.height() - 80))


def widened(frame: QRect, available: QRect, extra: int) -> QRect:
    """`frame` up to `extra` pixels wider, as far as `available` (the screen) allows, moved left when
    its right edge would leave it: where the window goes when a dock opens beside the pad."""
    grow = max(0, min(extra, available.width() - frame.width()))
    left = max(available.left(), min(frame.left(), available.right() + 1 - frame.width() - grow))
    return QRect(left, frame.top(), frame.width() + grow, frame.height())


def key_sequences(keys: Iterable[QKeySequence.StandardKey | str]) -> list[QKeySequence]:
    """Every key sequence `keys` stand for here, each once: a standard key's bindings on this
    platform, then the literal keys not already among them. A sequence given twice to one
    action is an "ambiguous shortcut" in Qt, and then neither runs (Ctrl+Q on X11)."""
    sequences: dict[str, QKeySequence] = {}
    for key in keys:
        for sequence in standard_bindings(key) if isinstance(key, QKeySequence.StandardKey) else [QKeySequence(key)]:
            text = sequence.toString(QKeySequence.SequenceFormat.PortableText)
            if text:
                sequences.setdefault(text, sequence)
    return list(sequences.values())


class MainWindow(QMainWindow):
    #: Something went wrong and the person was told (title, message).
    errorReported = Signal(str, str)
    #: Another model is in use now (its path).
    modelChanged = Signal(Path)

    def __init__(self, store: ModelStore, settings: Preferences) -> None:
        super().__init__()
        self.store = store
        self.settings = settings
        self.classifier: Classifier | None = None
        self.model_path: Path | None = None
        self.retrain_dialog: RetrainDialog | None = None
        self.look_inside: LookInside | None = None
        #: Look inside was open when the pad last closed: it opens again once the model is in use.
        self._reopen_look_inside = False
        #: (pixels added, width then) when opening Look inside widened the window: given back at closing.
        self._widened_for_look_inside: tuple[int, int] | None = None
        self._asked_to_quit = False
        #: The log file what goes wrong is written to (app/logfile.py), shown in About; None: none.
        self.log_path: Path | None = None
        #: The one-window socket (app/instance.py), set by start-up; None in tests and the self-test.
        self.instance_server: QObject | None = None
        #: (model, version): the version the pointer moves to once that model has loaded (My models' Use).
        self._point_after_load: tuple[Path, str] | None = None
        self.setWindowTitle(APP_NAME)

        self.canvas = DrawingCanvas()
        self.panel = PredictionPanel()
        self.reading: Reading | None = None
        self.reading_cache = ReadingCache()
        self.selected = 0
        self.canvas.drawingChanged.connect(self.predict)
        self.samples = SampleStore(store.data_dir)
        self.sample_writer = SampleWriter(self.samples, self)
        self.sample_writer.saved.connect(self._sample_saved)
        self.sample_writer.saveFailed.connect(self._sample_failed)
        self.sample_writer.takenBack.connect(self._correction_taken_back)
        self.sample_writer.takeBackFailed.connect(
            lambda message: self._error("Could not take the correction back", message)
        )
        #: The correction that cleared the pad, while Undo would bring its drawing back: Undo takes both back.
        self._undoable_correction: Ticket | None = None
        self.panel.bars.digitClicked.connect(self.save_sample)
        self.panel.reading_view.digitSelected.connect(self.select_digit)
        self._build_central()
        self._build_menus()
        self.model_label = QLabel()
        self.statusBar().addPermanentWidget(self.model_label)
        self.unsaved_label = QLabel()
        self.unsaved_label.setStyleSheet("color: white; background: #b3261e; padding: 1px 6px;")
        self.unsaved_label.hide()
        self.statusBar().addPermanentWidget(self.unsaved_label)
        for grip in self.statusBar().findChildren(QSizeGrip):
            grip.setAccessibleName("Resize the window")

        self.loader = ModelLoader(self)
        self.loader.modelLoaded.connect(self._model_loaded)
        self.loader.loadFailed.connect(self._model_failed)
        self._restore_settings()

    # Layout
    def _build_central(self) -> None:
        undo = QPushButton("Undo")
        undo.setToolTip("Remove the last stroke (Ctrl+Z)")
        undo.clicked.connect(self.undo)
        clear = QPushButton("Clear")
        clear.setToolTip("Start again (Esc)")
        clear.clicked.connect(self.canvas.clear)
        self.pen_slider = QSlider(Qt.Orientation.Horizontal)
        self.pen_slider.setRange(0, PEN_SLIDER_STEPS)
        self.pen_slider.setToolTip("Pen width")
        self.pen_slider.setAccessibleName("Pen width")
        self.pen_slider.setMaximumWidth(160)
        self.pen_slider.valueChanged.connect(self._pen_slider_moved)

        tools = QHBoxLayout()
        tools.addWidget(undo)
        tools.addWidget(clear)
        tools.addStretch(1)
        tools.addWidget(QLabel("Pen"))
        tools.addWidget(self.pen_slider)

        left = QVBoxLayout()  # the pad takes the height the window gives; its paper starts at the top
        left.addWidget(self.canvas, 1)
        left.addLayout(tools)
        central = QWidget()
        layout = QHBoxLayout(central)
        layout.setContentsMargins(12, 12, 12, 8)
        layout.addLayout(left, 1)
        layout.addWidget(self.panel)
        self.setCentralWidget(central)

    def _action(self, text: str, slot, shortcuts, tip: str = "") -> QAction:
        action = QAction(text, self)
        action.setShortcuts(key_sequences(shortcuts))
        action.setStatusTip(tip)
        action.triggered.connect(slot)
        self.addAction(action)  # shortcuts work even with the menu bar hidden
        return action

    def _build_menus(self) -> None:
        S = QKeySequence.StandardKey
        file_menu = self.menuBar().addMenu("&File")
        file_menu.addAction(self._action("&Open model…", self.open_model, [S.Open], "Use a .keras model file"))
        file_menu.addAction(self._action("&Save model as…", self.save_model_as, [S.SaveAs, "Ctrl+Shift+S"]))
        file_menu.addSeparator()
        file_menu.addAction(self._action("&Quit", self.close, [S.Quit, "Ctrl+Q"]))
        edit = self.menuBar().addMenu("&Edit")
        edit.addAction(self._action("&Undo stroke", self.undo, [S.Undo]))
        edit.addAction(self._action("&Copy reading", self.copy_reading, [S.Copy], "Copy what the pad reads"))
        edit.addAction(self._action("&Clear", self.canvas.clear, ["Esc", S.Delete, "Backspace"]))
        model = self.menuBar().addMenu("&Model")
        self.retrain_action = self._action("&Retrain…", self.retrain, ["Ctrl+R"], "Train a new model on MNIST")
        model.addAction(self.retrain_action)
        self.revert_action = self._action(
            "Use the &bundled model", self.revert_model, ["Ctrl+Shift+R"], "Your models are kept (My models…)"
        )
        model.addAction(self.revert_action)
        model.addAction(self._action("My &models…", self.show_models, [], "Every model you kept: use, rename, delete"))
        model.addSeparator()
        model.addAction(self._action("My &samples…", self.show_samples, ["Ctrl+Shift+M"]))
        self.learn_action = self._action("&Learn from my samples…", self.learn, ["Ctrl+L"])
        model.addAction(self.learn_action)
        for digit in range(10):  # Alt+digit: "that was a …"
            self._action(f"That was a {digit}", lambda _=False, d=digit: self.save_sample(d), [f"Alt+{digit}"])
        view = self.menuBar().addMenu("&View")
        view.addAction(
            self._action("Look &inside", self.toggle_look_inside, ["Ctrl+I"], "The network's layers for this digit")
        )
        help_menu = self.menuBar().addMenu("&Help")
        help_menu.addAction(self._action("&About MNIST Pad", self.about, [S.HelpContents, "F1"]))

    # Settings
    def _restore_settings(self) -> None:
        geometry = self.settings.get_bytes("window/geometry")
        if geometry is None or not self.restoreGeometry(QByteArray(geometry)):
            self.resize(default_size(self.screen().availableGeometry().size() if self.screen() else None))
        self.fit_to_screen()
        self.canvas.set_pen_width(self.settings.get_float("canvas/pen_width", DEFAULT_PEN_WIDTH, *PEN_WIDTH_RANGE))
        self._reopen_look_inside = self.settings.get_bool(LOOK_INSIDE_OPEN)
        low, high = PEN_WIDTH_RANGE
        with QSignalBlocker(self.pen_slider):  # the slider's steps must not round the width
            self.pen_slider.setValue(round((self.canvas.drawing.pen_width - low) / (high - low) * PEN_SLIDER_STEPS))

    def bring_to_front(self) -> None:
        """Another start of the pad asked for this window (app/instance.py)."""
        if self.isMinimized():
            self.showNormal()
        self.show()
        self.raise_()
        self.activateWindow()

    def say_another_window_is_open(self) -> None:
        """This is a second window (--new-window): both read and write one set of samples and models."""
        text = "Another MNIST Pad window is open: both share your samples and models."
        log.info("%s", text)
        self.statusBar().showMessage(text, 15_000)

    def check_places(self) -> str | None:
        """Say, once and without a dialog, where nothing can be saved (a read-only or missing home)."""
        notice = unsaved_notice({"samples and retrained models": self.store.data_dir}, {"settings": self.settings.path})
        if notice:
            log.warning("%s", notice)
            self.unsaved_label.setText("Cannot save here (point for details)")
            self.unsaved_label.setToolTip(notice)
            self.unsaved_label.show()
        return notice

    def _pen_slider_moved(self, value: int) -> None:
        low, high = PEN_WIDTH_RANGE
        self.canvas.set_pen_width(low + (high - low) * value / PEN_SLIDER_STEPS)

    def quit_without_asking(self) -> None:
        """Close now, stopping any training: what a signal (SIGTERM, Ctrl+C) asks for."""
        self._asked_to_quit = True
        self.close()

    def closeEvent(self, event: QCloseEvent) -> None:
        if not self._asked_to_quit and self.retrain_dialog is not None and self.retrain_dialog.running:
            event.ignore()  # asked without waiting: Yes closes again, without asking
            notices.ask(
                self,
                "Training is running",
                "Stop training and quit? The new model is not kept.",
                lambda: QTimer.singleShot(0, self.quit_without_asking),
            )
            return
        look_inside_open = self._reopen_look_inside or (self.look_inside is not None and self.look_inside.is_open)
        if self.retrain_dialog is not None:
            self.hide()  # gone at once, even if TensorFlow is still importing on the worker
            self.retrain_dialog.stop()  # waits for a running training to cancel, removes its files
        self.sample_writer.wait()  # every correction made is on disk before the window goes
        self.settings.set("window/geometry", bytes(self.saveGeometry().data()))
        self.settings.set("canvas/pen_width", self.canvas.drawing.pen_width)
        self.settings.set(LOOK_INSIDE_OPEN, look_inside_open)
        super().closeEvent(event)

    # Models
    def load_model(self, path: Path, keep: bool = False) -> None:
        self.model_label.setText(f"Loading {path.name}…" if not keep else f"Loading and checking {path.name}…")
        in_use = self.classifier.litert_model if keep and self.classifier is not None else None
        self.loader.load(path, keep, in_use)

    def _model_loaded(self, classifier: Classifier, path: Path, keep: bool, judged: Verdict | None = None) -> None:
        if keep and judged is not None and judged.worse:  # measured on the check set: ask first
            self._show_model_name()
            notices.ask(
                self,
                "Use a model that is worse?",
                f"{path.name}, measured on the check set that ships with the pad, is worse than the model "
                f"in use at: {'; '.join(judged.worse)}.\n\nUse it anyway? (The model in use stays in "
                "Model > My models… either way.)",
                lambda: self._model_loaded(classifier, path, keep),
            )
            return
        offer_room = False
        if keep:  # an opened file becomes the model in use, also next time
            path, offer_room = self._keep(
                path, classifier.litert_model, {"name": path.stem, "origin": f"opened from {path}"}
            )
        pending, self._point_after_load = self._point_after_load, None
        if pending is not None and pending[0] == path:  # it loaded: only now does the pointer move
            try:
                self.store.use(pending[1])
            except (OSError, ValueError) as exc:
                self._error("Could not switch models", f"{exc}\n\nThe model in use is unchanged.")
                self._show_model_name()
                return
        self.use_classifier(classifier, path)
        if offer_room:
            self._offer_room()

    def _keep(self, model: Path, litert_model: bytes, info: dict) -> tuple[Path, bool]:
        """`model` into the history as the model in use; the path to load it from (`model` itself
        when it could not be kept: it is used this time, and the person is told), and whether it was kept."""
        try:
            return self.store.accept(model, litert_model, info), True
        except OSError as exc:
            self._error("Could not keep the model", f"{model}: {exc.strerror or exc}\n\nIt is used until you quit.")
            return model, False

    def _offer_room(self) -> None:
        """Past MAX_KEPT models, ask to remove the oldest: disk use stays bounded, by the person's choice.
        Asked after the new model is in use, and without waiting for the answer."""
        history = self.store.history()
        oldest = next((v for v in reversed(history) if not v.in_use), None)
        if len(history) <= MAX_KEPT or oldest is None:
            return

        def delete_oldest() -> None:
            try:
                self.store.delete(oldest.folder.name)
            except (OSError, ValueError) as exc:
                self._error("Could not delete the model", str(exc))

        notices.ask(
            self,
            "Many models kept",
            f"You keep {len(history)} models ({sum(v.size_bytes for v in history) / 1e6:.0f} MB). Delete the oldest, "
            f"“{oldest.name}”, to make room? (Model > My models… shows them all.)",
            delete_oldest,
        )

    def use_classifier(self, classifier: Classifier, path: Path) -> None:
        """Classify with `classifier` from now on (loaded from `path`)."""
        self.classifier, self.model_path = classifier, path
        self.reading_cache = ReadingCache()  # what the previous model read no longer holds
        self._show_model_name()
        self.revert_action.setEnabled(not self.store.is_bundled(path))
        if self.look_inside is not None:
            self.look_inside.set_model(path)
        self.predict()
        self.modelChanged.emit(path)
        if self._reopen_look_inside:
            self._reopen_look_inside = False
            self.toggle_look_inside()

    def _model_failed(self, message: str, path: Path) -> None:
        if self._point_after_load is not None and self._point_after_load[0] == path:
            self._point_after_load = None  # it did not load: the pointer stays where it was
        if self.classifier is None and not self.store.is_bundled(path):
            self.load_model(self.store.bundled)  # the saved model is broken: fall back
        elif self.classifier is None:
            self.model_label.setText("No model")
            self.panel.show_message("!", "No model could be loaded.")
        else:  # the one in use stays
            self._show_model_name()
        self._error("Could not load the model", message)

    def model_name(self) -> str:
        """The model in use, as the person knows it."""
        path = self.model_path
        if path is None or self.store.is_bundled(path):
            return "the bundled model"
        version = self.store.version_at(path)  # as My models names it
        return f"your model “{version.name}”" if version is not None else f"your model ({path.name})"

    def _show_model_name(self) -> None:
        self.model_label.setText(f"Model: {self.model_name().removeprefix('the ')}")

    def open_model(self) -> None:
        start = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.DocumentsLocation)
        name, _ = QFileDialog.getOpenFileName(self, "Open model", start, "Keras models (*.keras)")
        if not name:
            return
        if Path(name).suffix != ".keras":  # a .tflite alone cannot be retrained or saved as a model
            self._error(
                "Not a Keras model",
                f"{name}: MNIST Pad opens .keras models (saved by MNIST Pad or train.py); it makes the "
                "LiteRT form itself.",
            )
            return
        if self.store.is_bundled(Path(name)):  # the pad's own model: no copy of it becomes "yours"
            self.revert_model()
            return
        if self._needs_tensorflow("Opening a .keras model"):  # it is checked and converted by TensorFlow
            return
        self.load_model(Path(name), keep=True)

    def save_model_as(self) -> None:
        if self.model_path is None or self.classifier is None:
            return
        try:  # first: a model whose folder was removed meanwhile (another window) is named as the problem
            model = self.model_path.read_bytes()
        except OSError as exc:
            self._error(
                "Could not save the model",
                f"The model in use, {self.model_path}, can no longer be read ({exc.strerror or exc}); was it "
                "removed by another MNIST Pad window? It still reads your drawings until you quit; open a "
                "model file or revert to the bundled model to have one you can save.",
            )
            return
        name, _ = QFileDialog.getSaveFileName(self, "Save model as", "digits.keras", "Keras models (*.keras)")
        if not name:
            return
        target = with_suffix(name, ".keras")  # the name chosen: "digits.v2" is digits.v2.keras
        litert, litert_model = litert_path_for(target), self.classifier.litert_model

        def write() -> None:
            try:
                atomic.write_bytes(target, model)
                atomic.write_bytes(litert, litert_model)
            except OSError as exc:
                self._error("Could not save the model", f"{target}: {exc.strerror or exc}")
                return
            self.statusBar().showMessage(f"Saved {target} and {litert.name}", 5000)

        notices.write_after_asking(self, name, [target, litert], write)

    def revert_model(self) -> None:
        """The bundled model in use again; the person's models stay in the history."""
        try:
            self.store.use_bundled()
        except OSError as exc:
            self._error("Could not switch to the bundled model", f"{exc.strerror or exc}")
            return
        self.load_model(self.store.bundled)
        self.statusBar().showMessage("The bundled model is in use. Your models are kept: Model > My models…", 6000)

    def show_models(self) -> None:
        from mnist_pad.gui.models_window import BUNDLED, ModelsWindow

        window = ModelsWindow(self.store, self.model_path is None or self.store.is_bundled(self.model_path), self)
        window.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)

        def use(key: str) -> None:
            if key == BUNDLED:
                self.revert_model()
                return
            try:
                model = self.store.version_model(key)
            except (OSError, ValueError) as exc:
                self._error("Could not switch models", str(exc))
                return
            self._point_after_load = (model, key)  # the pointer moves once it has loaded
            self.load_model(model)

        window.useRequested.connect(use)
        self.modelChanged.connect(window.model_switched)
        window.historyChanged.connect(self._show_model_name)  # a rename shows in the status bar at once
        window.show()

    # Samples: the person's corrections
    def save_sample(self, digit: int) -> None:
        """Keep the selected digit as a sample of `digit`: a correction, or a confirmation.

        A lone digit is then cleared, ready for the next; in a number the digit
        stays, so the others can be corrected too."""
        if self.reading is None or not self.reading.digits:
            self.statusBar().showMessage("Nothing to save: draw a digit first.", 4000)
            return
        read = self.reading.digits[self.selected]
        drawing = self.canvas.drawing
        strokes = Drawing.of((drawing.strokes[i] for i in read.strokes), drawing.pen_width)
        ticket = self.sample_writer.add(strokes, digit, read.image)  # on disk shortly, off this thread
        if len(self.reading.digits) == 1:
            self.canvas.clear()
            self._undoable_correction = ticket

    def undo(self) -> None:
        """Undo the last stroke or Clear; right after a correction cleared the pad, the correction
        too: the drawing comes back and its sample is removed, so what is seen and what is saved agree."""
        ticket, self._undoable_correction = self._undoable_correction, None
        self.canvas.undo()
        if ticket is not None and not self.canvas.drawing.is_empty:
            self.sample_writer.take_back(ticket)

    def _correction_taken_back(self, digit: int) -> None:
        self.statusBar().showMessage(f"Correction taken back: the drawing is no longer saved as a {digit}.", 5000)

    def _sample_saved(self, digit: int) -> None:
        self.statusBar().showMessage(f"Saved as a {digit}. Model > Learn from my samples uses it.", 5000)

    def _sample_failed(self, message: str, drawing: Drawing) -> None:
        if self.canvas.drawing.is_empty:  # the lone digit cleared for the next one: give it back
            self.canvas.set_drawing(drawing)
        self._error("Could not save the sample", message)

    def show_samples(self) -> None:
        self._after_saves(self._open_samples)  # the list shows the correction just made

    def _open_samples(self) -> None:
        from mnist_pad.gui.samples_window import SamplesWindow

        SamplesWindow(self.samples, self).show()

    def _after_saves(self, then: Callable[[], None]) -> None:
        """Run `then` once the corrections made so far are saved; the window stays live meanwhile
        (another program may hold the samples file for a while), and says what it waits for."""
        if not self.sample_writer.pending:
            then()
            return
        waiting = f"Waiting for your corrections to be saved to {self.samples.path}…"
        self.statusBar().showMessage(waiting)

        def saved() -> None:
            if self.statusBar().currentMessage() == waiting:
                self.statusBar().clearMessage()
            then()

        self.sample_writer.after_saves(saved)

    def learn(self) -> None:
        if not self._needs_tensorflow("Learn from my samples"):
            self._after_saves(self._learn_now)

    def _learn_now(self) -> None:
        samples = training_arrays(self.samples.load()[0])
        if not len(samples.images):
            self._error("No samples yet", "Correct a few drawings first: click the right digit's bar.")
            return
        from mnist_pad.gui.retrain_dialog import JobDescription

        # Described only once a model is in use: _open_training checks that first.
        self._open_training(lambda: JobDescription.fine_tune(self._path_in_use(), samples))

    def retrain(self) -> None:
        from mnist_pad.gui.retrain_dialog import JobDescription

        if not self._needs_tensorflow("Retrain"):
            self._open_training(JobDescription.retrain)

    def _needs_tensorflow(self, what: str) -> bool:
        """True, having said in one line what to install, when this light install has no TensorFlow."""
        missing = tensorflow_missing(what)
        if missing is not None:
            self._error(f"{what} needs TensorFlow", missing)
        return missing is not None

    def _path_in_use(self) -> Path:
        """The model in use; only asked for once one is (the training dialog checks that first)."""
        assert self.model_path is not None
        return self.model_path

    def _open_training(self, describe: Callable[[], JobDescription]) -> None:
        """The training dialog for the job `describe` gives: a new model, or a fine-tuned one. One at a time."""
        if self.classifier is None:
            self.statusBar().showMessage("The model is still loading; try again in a moment.", 4000)
            return
        if self.retrain_dialog is not None and (self.retrain_dialog.running or self.retrain_dialog.isVisible()):
            self.retrain_dialog.raise_()
            self.retrain_dialog.activateWindow()
            return
        from mnist_pad.gui.retrain_dialog import RetrainDialog

        self.retrain_dialog = RetrainDialog(self.settings, self.classifier.litert_model, describe(), self)
        self.retrain_dialog.runningChanged.connect(self._training_running)
        self.retrain_dialog.modelAccepted.connect(self._adopt)
        self.retrain_dialog.show()

    def _training_running(self, running: bool) -> None:
        self.retrain_action.setEnabled(not running)
        self.learn_action.setEnabled(not running)

    def _adopt(self, outcome: TrainingOutcome) -> None:
        """Use a freshly trained model: into the history (atomically), then load it."""
        try:
            path = self.store.accept(outcome.candidate, outcome.litert_model, outcome.info())
        except OSError as exc:
            self._error("Could not save the new model", f"{exc.strerror or exc}\n\nThe model in use is unchanged.")
            return
        self.load_model(path)
        self._offer_room()

    def about(self) -> None:
        figures = ""
        try:
            card = json.loads(model_card().read_text())
            figures = (
                f"<p>Bundled model: preset <b>{card['preset']}</b>, {card['params']:,} parameters, "
                f"{card['epochs']} epochs.<br>MNIST test accuracy <b>{card['mnist']['accuracy']:.2%}</b>"
            )
            check = card[CARD_KEY]
            figures += (
                f".<br>On the check set that ships (pen digits and letters of writers no model trained on; "
                f"the figures the retrain results and My models show): pen digits <b>{check['check_digits']:.1%}"
                f"</b>, letters turned away <b>{check['check_letters_rejected']:.1%}</b>, numbers read exactly "
                f"<b>{check['check_numbers']:.1%}</b>"
            )
            figures += f".<br>Trained {card['trained_at'][:10]} in {card['wall_time_s'] / 60:.0f} min.</p>"
            figures += (
                "<p>Trained on, and shipped with the pad for Retrain and Learn:<br>"
                + "<br>".join(html.escape(line) for line in card["training_data_credits"])
                + "</p>"
            )
        except (OSError, ValueError, KeyError, TypeError):
            figures = "<p>(The model card could not be read.)</p>"
        notices.inform(
            self,
            f"About {APP_NAME}",
            f"<h3>{APP_NAME} {__version__}</h3><p>Write a digit or a number; a neural network trained "
            f"on MNIST and on pen-written digits reads it, from its picture and from the path your pen "
            f"took, and says when a drawing is not a digit.</p>"
            f"{figures}<p>Model in use: {self.model_name()}</p>"
            + (f"<p>What goes wrong is written to {html.escape(str(self.log_path))}</p>" if self.log_path else ""),
        )

    def _error(self, title: str, message: str) -> None:
        """Tell the person, without blocking (gui/notices.py: never a nested event loop)."""
        notices.warn(self, title, message)
        self.errorReported.emit(title, message)

    # Reading: well under a millisecond, so it runs right here on the GUI thread.
    def predict(self) -> None:
        """Read the drawing again (it changed, or the model did); select the digit written last."""
        drawing = self.canvas.drawing
        if not drawing.is_empty:  # drawn on after a correction: Undo is about the new strokes now
            self._undoable_correction = None
        self.reading = None
        if drawing.is_empty:
            self._show_no_reading("", "Draw a digit, or write a number, on the pad.")
            return
        if self.classifier is None:
            self._show_no_reading("…", "Loading the model…", to_mnist(self.canvas.raster.image))
            return
        self.reading = read_drawing(drawing, self.classifier.classify, self.canvas.raster.image, self.reading_cache)
        if not self.reading.digits:
            self._show_no_reading("", "Too small to read: draw bigger.")
            return
        last = len(drawing.strokes) - 1
        self.selected = next(
            (i for i, d in enumerate(self.reading.digits) if last in d.strokes), len(self.reading.digits) - 1
        )
        self._show_reading()

    def _show_no_reading(self, big: str, text: str, image: np.ndarray | None = None) -> None:
        self.canvas.set_digit_boxes([])
        if self.look_inside is not None:
            self.look_inside.no_reading(text)
        self.panel.show_message(big, text, image)

    def keyPressEvent(self, event) -> None:
        """Left and Right select the previous or next digit of a reading (keys the widget with the
        focus did not take: a slider keeps its own)."""
        step = {Qt.Key.Key_Left: -1, Qt.Key.Key_Right: 1}.get(Qt.Key(event.key()))
        if step is not None and event.modifiers() == Qt.KeyboardModifier.NoModifier and self.reading is not None:
            self.select_digit(self.selected + step)
            event.accept()
            return
        super().keyPressEvent(event)

    def select_digit(self, index: int) -> None:
        if self.reading is not None and 0 <= index < len(self.reading.digits):
            self.selected = index
            self._show_reading()

    def _show_reading(self) -> None:
        assert self.reading is not None
        note = f"Only the first {MAX_DIGITS} digits are read." if self.reading.unread else ""
        self.panel.show_reading(self.reading, self.selected, note)
        self.canvas.set_digit_boxes(
            [
                (d.box, i == self.selected, d.answer.unsure or d.answer.digit is None)
                for i, d in enumerate(self.reading.digits)
            ]
        )
        if self.look_inside is not None:
            self.look_inside.show_reading(self.reading, self.selected)

    def toggle_look_inside(self) -> None:
        """Open the Look inside view (built, and TensorFlow imported, the first time), or close it."""
        if self.look_inside is None:
            from mnist_pad.gui.inside_dock import LookInside

            self.look_inside = LookInside(self, self.canvas)
            self.look_inside.set_model(self.model_path)
            self.look_inside.dock.visibilityChanged.connect(self._look_inside_visibility)
        if self.look_inside.is_open:
            self.look_inside.dock.close()
            return
        dock = self.look_inside.dock
        screen = self.available_area()
        if screen is not None and self.minimumSizeHint().width() + dock.minimumSizeHint().width() > screen.width():
            dock.setFloating(True)  # no room beside the pad on this screen (a small one, or 200%): its own window
            dock.resize(dock.size().boundedTo(screen.size()))
        else:
            self._make_room(dock)
        self.look_inside.open()
        if not dock.isFloating():
            self.resizeDocks(
                [dock], [dock.minimumSizeHint().width()], Qt.Orientation.Horizontal
            )  # the pad keeps the rest
        self.fit_to_screen()
        self.predict()

    def available_area(self) -> QRect | None:
        """The screen's area windows may take (without panels and docks), or None off any screen."""
        return self.screen().availableGeometry() if self.screen() is not None else None

    def showEvent(self, event) -> None:
        super().showEvent(event)
        if not event.spontaneous():  # the frame's own size is known once shown: fit again, frame and all
            QTimer.singleShot(0, self.fit_to_screen)

    def fit_to_screen(self) -> None:
        """Never larger than the screen's available area, nor beyond its edges (a geometry saved on
        another screen or at another scale, a dock's minimum width)."""
        available = self.available_area()
        if available is None or self.isMaximized() or self.isFullScreen():
            return
        frame = self.frameGeometry()
        margins = QSize(frame.width() - self.width(), frame.height() - self.height())
        size = self.size().boundedTo(available.size() - margins).expandedTo(self.minimumSize())
        if size != self.size():
            self.resize(size)
        frame = self.frameGeometry()
        left = max(available.left(), min(frame.left(), available.right() + 1 - frame.width()))
        top = max(available.top(), min(frame.top(), available.bottom() + 1 - frame.height()))
        if (left, top) != (frame.left(), frame.top()):
            self.move(left, top)

    def _make_room(self, dock: QDockWidget) -> None:
        """Widen the window for `dock`, as far as the screen allows, so that the pad keeps the room of
        the first window instead of being squeezed to its smallest."""
        available = self.available_area()
        if available is None or self.isMaximized() or self.isFullScreen() or dock.isFloating():
            return
        width = dock.minimumSizeHint().width()
        frame = self.frameGeometry()
        target = widened(frame, available, DEFAULT_SIZE.width() + width - self.width())
        grow = target.width() - frame.width()
        if grow > 0:
            self.resize(self.width() + grow, self.height())
            self.move(target.topLeft())
            self._widened_for_look_inside = (grow, self.width())

    def _look_inside_visibility(self, visible: bool) -> None:
        """Closed by the person (its key, the menu or its own button): give back the width it took,
        unless the window was resized since."""
        dock = self.look_inside.dock if self.look_inside is not None else None
        if visible or dock is None or not dock.isHidden() or self._widened_for_look_inside is None:
            return
        grow, width = self._widened_for_look_inside
        self._widened_for_look_inside = None
        if self.width() == width and not (self.isMaximized() or self.isFullScreen()):
            self.resize(width - grow, self.height())

    def copy_reading(self) -> None:
        if self.reading is None or not self.reading.digits:
            self.statusBar().showMessage("Nothing to copy: write a number first.", 4000)
            return
        QGuiApplication.clipboard().setText(self.reading.text)
        self.statusBar().showMessage(f"Copied {self.reading.text}", 3000)
