"""Model > Retrain… and Learn from my samples: choose, watch it train, compare, then use or discard.

Which of the two it is comes in as a `JobDescription`; the three pages are in
retrain_pages.py, the charts in charts.py, the thread in training_worker.py.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import QPoint, QRect, QSize, Signal
from PySide6.QtWidgets import QDialog, QLayout, QStackedWidget, QVBoxLayout, QWidget

from mnist_pad.datasets import mnist, pendigits, shipped
from mnist_pad.datasets.sample_images import SampleArrays
from mnist_pad.gui import notices
from mnist_pad.gui.retrain_pages import MNIST_ALONE, OWN_FILES, SHIPPED, ProgressPage, ResultsPage, SettingsPage
from mnist_pad.gui.training_worker import TrainingJob, TrainingOutcome, TrainingWorker
from mnist_pad.gui.words import counted
from mnist_pad.ink.reading import DIGITS
from mnist_pad.model.duration import estimate_seconds, format_duration, plausible_rates, samples_per_second
from mnist_pad.model.presets import get_preset
from mnist_pad.model.progress import Progress
from mnist_pad.model.training_data import LETTERS_ENV_VAR, PEN_DIGITS_ENV_VAR
from mnist_pad.person.preferences import Preferences

#: The paths "Files of my own" remembers (settings key), and the variable that fills each before that.
REMEMBERED_PATHS = (
    ("retrain/data_folder", mnist.ENV_VAR),
    ("retrain/pen_folder", pendigits.ENV_VAR),
    ("retrain/letters_file", LETTERS_ENV_VAR),
    ("retrain/pen_digits_file", PEN_DIGITS_ENV_VAR),
)
DATA_CHOICE_KEY = "retrain/data"


def _text(path: Path | None) -> str:
    return "" if path is None else str(path)


def chosen_data(choice: str, typed: tuple[str, ...]) -> tuple[str | None, str, str, str]:
    """(MNIST folder, pendigits folder, letters file, UNIPEN digits file) for the dialog's choice; an empty
    pen path means none. The shipped copy is named outright, whatever the environment says."""
    own_mnist = _text(shipped.mnist_folder()) or None  # None: the environment's, else Keras's download
    if choice == SHIPPED:
        return (
            own_mnist,
            _text(shipped.pendigits_folder()),
            _text(shipped.letters_file()),
            _text(shipped.pen_digits_file()),
        )
    if choice == MNIST_ALONE:
        return own_mnist, "", "", ""
    folder, pen_folder, letters, pen_digits = typed
    return folder or mnist.KERAS_DOWNLOAD, pen_folder, letters, pen_digits


def remembered_paths(settings) -> tuple[str, str, str, str]:
    """What was typed last time in each path field, else what the environment names (MNIST_PAD_DATA, ...)."""
    mnist_folder, pen_folder, letters, pen_digits = (
        settings.get_str(key, os.environ.get(variable, "")) for key, variable in REMEMBERED_PATHS
    )
    return mnist_folder, pen_folder, letters, pen_digits


def place_beside(window: QRect, dialog: QSize, screen: QRect, avoid: QRect) -> QPoint:
    """Where a dialog of size `dialog` goes: right of `window`, else left of it, both on `screen`;
    else over the part of the window right of `avoid` (the canvas), else below `avoid`."""
    top = max(screen.top(), min(window.top(), screen.bottom() - dialog.height()))
    for x in (window.right() + 1, window.left() - dialog.width()):
        if screen.left() <= x and x + dialog.width() <= screen.right() + 1:
            return QPoint(x, top)
    x = max(avoid.right() + 1, screen.left())
    if x + dialog.width() <= screen.right() + 1:
        return QPoint(x, top)
    y = min(avoid.bottom() + 1, screen.bottom() - dialog.height())
    return QPoint(max(screen.left(), screen.right() + 1 - dialog.width()), max(screen.top(), y))


@dataclass(frozen=True)
class JobDescription:
    """What the dialog offers: a new network from a preset, or the model in use fine-tuned on samples.
    Fields left None come from the preset chosen in the dialog."""

    title: str
    choose_preset: bool = True
    summary: str | None = None
    epochs: int | None = None
    batch_size: int | None = None
    images_per_epoch: int | None = None
    #: Whose throughput estimates the duration until this job has measured its own.
    reference_preset: str | None = None
    base_model: Path | None = None
    samples: SampleArrays | None = None

    @classmethod
    def retrain(cls) -> JobDescription:
        return cls("Retrain the model")

    @classmethod
    def fine_tune(cls, base_model: Path, samples: SampleArrays) -> JobDescription:
        from mnist_pad.model.personalise import BATCH_SIZE, EPOCHS, images_per_epoch

        return cls(
            "Learn from my samples",
            choose_preset=False,
            summary=f"Teach the model in use ({base_model.name}) your {counted(len(samples.images), 'sample')}: its "
            "output layers learn them and it remembers them; its features stay, and MNIST digits replayed beside "
            "them keep what it knew.",
            epochs=EPOCHS,
            batch_size=BATCH_SIZE,
            images_per_epoch=images_per_epoch(len(samples.images)),
            reference_preset="default",  # the bundled model's network
            base_model=base_model,
            samples=samples,
        )

    def rate_key(self, preset: str) -> str:
        """Where the measured throughput is remembered: per preset, or one for fine-tuning."""
        return f"retrain/images_per_second/{'fine-tune' if self.samples is not None else preset}"


class RetrainDialog(QDialog):
    """Modeless: the person keeps drawing with the model in use while this trains."""

    #: The person chose to use the new model.
    modelAccepted = Signal(object)  # TrainingOutcome
    #: Training started (True) or ended in any way (False).
    runningChanged = Signal(bool)
    progressed = Signal(object)  # training.Progress
    trainingSucceeded = Signal(object)  # TrainingOutcome, shown on the results page
    trainingFailed = Signal(str)
    trainingCancelled = Signal()

    def __init__(
        self, settings: Preferences, current_model: bytes, job: JobDescription, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(job.title)
        self.settings = settings
        self.job = job
        self.current_model = current_model
        self._worker: TrainingWorker | None = None
        self._outcome: TrainingOutcome | None = None
        self._work_dir: Path | None = None
        self._rate: float | None = None

        # What was typed last time, else what the environment names (MNIST_PAD_DATA, ...).
        self.settings_page = SettingsPage(
            job.choose_preset,
            remembered_paths(settings),
            settings.get_str(DATA_CHOICE_KEY, SHIPPED),
        )
        self.progress_page = ProgressPage()
        self.results_page = ResultsPage()
        self.pages = QStackedWidget()
        for page in (self.settings_page, self.progress_page, self.results_page):
            self.pages.addWidget(page)
        layout = QVBoxLayout(self)
        layout.addWidget(self.pages)
        # Never narrower than its pages need (a page's fields scroll up and down, never sideways).
        layout.setSizeConstraint(QLayout.SizeConstraint.SetMinimumSize)
        self.setMinimumWidth(520)

        self.settings_page.startRequested.connect(self.start)
        self.settings_page.closeRequested.connect(self.close)
        self.settings_page.preset.currentIndexChanged.connect(self._preset_chosen)
        self.settings_page.data.currentIndexChanged.connect(self._refit)
        self.settings_page.choiceChanged.connect(self._update_estimate)
        self.progress_page.cancelRequested.connect(self.cancel)
        self.results_page.useRequested.connect(self._use)
        self.results_page.discardRequested.connect(self.close)
        self._preset_chosen()

    # What the tests and the main window may ask
    @property
    def running(self) -> bool:
        return self._worker is not None and self._worker.isRunning()

    @property
    def outcome(self) -> TrainingOutcome | None:
        """The trained candidate while the results page shows it."""
        return self._outcome

    @property
    def work_dir(self) -> Path | None:
        """Where the candidate is being written (removed on every ending but "use")."""
        return self._work_dir

    def current_page(self) -> QWidget | None:
        return self.pages.currentWidget()

    # Settings page
    def _preset_chosen(self) -> None:
        preset = get_preset(self.settings_page.preset_name())
        job = self.job
        self.settings_page.show_preset(
            job.summary or preset.summary, job.epochs or preset.epochs, job.batch_size or preset.batch_size
        )
        self._update_estimate()

    def _batch_size(self) -> int:
        return self.job.batch_size or self.settings_page.batch.value()

    def _update_estimate(self) -> None:
        page = self.settings_page
        preset = get_preset(page.preset_name())
        reference = get_preset(self.job.reference_preset or preset.name).reference_rate
        low, high = plausible_rates(reference)  # a garbled measurement falls back to the reference
        measured = self.settings.get_float(self.job.rate_key(preset.name), 0.0, low, high)
        images = self.job.images_per_epoch or preset.typical_samples
        page.show_capabilities(preset.num_classes > DIGITS)
        seconds = estimate_seconds(images, page.epochs.value(), measured if measured > 0 else reference)
        where = "as measured here last time" if measured > 0 else "on a 2-core machine"
        page.estimate.setText(f"about {format_duration(seconds)} {where}, plus reading the data")

    # Training
    def start(self) -> None:
        page = self.settings_page
        page.notice.hide()
        typed = tuple(edit.text().strip() for edit in (page.folder, page.pen_folder, page.letters, page.pen_digits))
        if self.job.samples is None:
            self.settings.set(DATA_CHOICE_KEY, page.data_choice())
        if page.data_choice() == OWN_FILES:
            for (key, _), value in zip(REMEMBERED_PATHS, typed, strict=True):
                self.settings.set(key, value)
        folder, pen_folder, letters, pen_digits = chosen_data(page.data_choice(), typed)
        if self.job.samples is not None:  # Learn: the replay digits that ship, whatever the page shows
            folder = _text(shipped.mnist_folder()) or None
        self._work_dir = Path(tempfile.mkdtemp(prefix="mnist-pad-training-"))
        job = TrainingJob(
            page.preset_name(),
            page.epochs.value(),
            self._batch_size(),
            folder,
            self.current_model,
            self._work_dir,
            pen_folder,  # empty means none, not the environment's
            letters,
            pen_digits,
            base_model=self.job.base_model,
            samples=self.job.samples,
        )
        self._worker = TrainingWorker(job, self)
        self._worker.progressed.connect(self._progressed)
        self._worker.stageChanged.connect(self.progress_page.show_stage)
        self._worker.succeeded.connect(self._succeeded)
        self._worker.failed.connect(self._failed)
        self._worker.cancelled.connect(self._cancelled)
        self._rate = None
        self.progress_page.restart(page.epochs.value())
        self.pages.setCurrentWidget(self.progress_page)
        self._worker.start()
        self.runningChanged.emit(True)

    def _progressed(self, progress: Progress) -> None:
        self.progress_page.show_progress(progress)
        self._rate = samples_per_second(progress, self._batch_size()) or self._rate
        self.progressed.emit(progress)

    def cancel(self) -> None:
        if self._worker is not None and self.running:
            self._worker.cancel()

    def stop(self) -> None:
        """Cancel a running training and wait for it (at most a save, so no file is written
        after), then remove the candidate's files: for closing the dialog or the app."""
        if self._worker is not None and self.running:
            self._worker.cancel()
            self._worker.wait()
            self.runningChanged.emit(False)
        self._discard_files()

    def _finish(self) -> None:
        if self._worker is not None:
            self._worker.wait()  # it has emitted its last signal: returns at once
        self.runningChanged.emit(False)

    def _cancelled(self) -> None:
        self._finish()
        self._discard_files()
        self.settings_page.notice.setText("<b>Training cancelled.</b> The model in use is unchanged.")
        self.settings_page.notice.show()
        self.pages.setCurrentWidget(self.settings_page)
        self.trainingCancelled.emit()

    def _failed(self, message: str) -> None:
        self._finish()
        self._discard_files()
        self.pages.setCurrentWidget(self.settings_page)
        notices.warn(self, "Training failed", f"{message}\n\nThe model in use is unchanged.")
        self.trainingFailed.emit(message)

    def _succeeded(self, outcome: TrainingOutcome) -> None:
        self._finish()
        if self._rate:
            self.settings.set(self.job.rate_key(self.settings_page.preset_name()), self._rate)
        self._outcome = outcome
        self.results_page.show_comparison(outcome)
        self.pages.setCurrentWidget(self.results_page)
        if (layout := self.layout()) is not None:
            layout.activate()
        self.resize(self.sizeHint())
        self.trainingSucceeded.emit(outcome)

    # Results page
    def _use(self) -> None:
        outcome = self._outcome
        if outcome is None:
            return

        def accept() -> None:
            if self._outcome is outcome:  # not discarded meanwhile
                self.modelAccepted.emit(outcome)
                self.close()

        worse = outcome.verdict.worse
        if not worse:
            accept()
            return
        notices.ask(
            self,
            "Use a model that is worse?",
            "The new model is worse than the one in use at: " + "; ".join(worse) + ".\n\nUse it anyway? "
            "(The model in use stays in Model > My models… either way.)",
            accept,
        )

    def _discard_files(self) -> None:
        if self._work_dir is not None:
            shutil.rmtree(self._work_dir, ignore_errors=True)
            self._work_dir = None
        self._outcome = None

    def showEvent(self, event) -> None:
        super().showEvent(event)
        self._place()

    def _refit(self) -> None:
        """The page grew or shrank (the fields of "Files of my own"): its new size, placed again."""
        if self.isVisible():
            self.adjustSize()
            self._place()

    def _place(self) -> None:
        """Beside the window, never over the canvas: the person keeps drawing while it trains."""
        parent = self.parentWidget()
        if parent is not None and hasattr(parent, "canvas") and self.screen() is not None:
            canvas = parent.canvas  # its paper, where the person draws (the widget may be larger)
            avoid = QRect(
                canvas.mapToGlobal(canvas.paper_rect().topLeft().toPoint()), canvas.paper_rect().size().toSize()
            )
            screen = self.screen().availableGeometry()
            self.move(place_beside(parent.frameGeometry(), self.frameGeometry().size(), screen, avoid))

    def closeEvent(self, event) -> None:
        self.stop()
        super().closeEvent(event)
