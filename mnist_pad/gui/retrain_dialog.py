"""Model > Retrain…: choose a preset, watch it train, compare, then use or discard."""

from __future__ import annotations

import os
import shutil
import tempfile
from dataclasses import replace
from pathlib import Path

import numpy as np
from PySide6.QtCore import QPointF, QRectF, QSettings, Qt, Signal
from PySide6.QtGui import QColor, QPainter, QPainterPath, QPaintEvent, QPen
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QFileDialog,
    QFormLayout,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QProgressBar,
    QPushButton,
    QSpinBox,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from ..data import ENV_VAR
from ..pendigits import ENV_VAR as PEN_ENV_VAR
from ..presets import PRESETS, get_preset
from ..training import Progress
from ..training_data import LETTERS_ENV_VAR
from .training_worker import TrainingJob, TrainingOutcome, TrainingWorker


def format_duration(seconds: float) -> str:
    seconds = max(0, round(seconds))
    return f"{seconds // 60}:{seconds % 60:02d}" if seconds >= 60 else f"{seconds} s"


class CurvePlot(QWidget):
    """Training and test accuracy per epoch: two small lines."""

    def __init__(self) -> None:
        super().__init__()
        self.train: list[float] = []
        self.test: list[float] = []
        self.setMinimumHeight(110)

    def add_epoch(self, train: float, test: float | None) -> None:
        self.train.append(train)
        if test is not None:
            self.test.append(test)
        self.update()

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        area = QRectF(self.rect()).adjusted(34, 8, -8, -16)
        painter.setPen(self.palette().mid().color())
        painter.drawRect(area)
        values = self.train + self.test
        low = min([*values, 0.95]) if values else 0.9
        painter.setPen(self.palette().text().color())
        painter.drawText(QRectF(0, area.top() - 6, 32, 14), Qt.AlignmentFlag.AlignRight, "100%")
        painter.drawText(QRectF(0, area.bottom() - 8, 32, 14), Qt.AlignmentFlag.AlignRight, f"{low:.0%}")
        painter.drawText(
            QRectF(area.left(), area.bottom() + 1, area.width(), 14),
            Qt.AlignmentFlag.AlignCenter,
            "accuracy per epoch: training (gray), test (blue)",
        )
        count = max(len(self.train), 2)
        for series, color in ((self.train, self.palette().mid().color()), (self.test, QColor("#2a82da"))):
            if not series:
                continue
            path = QPainterPath()
            for i, value in enumerate(series):
                point = QPointF(
                    area.left() + area.width() * i / (count - 1),
                    area.bottom() - area.height() * (value - low) / (1 - low or 1),
                )
                path.lineTo(point) if i else path.moveTo(point)
            painter.setPen(QPen(color, 2))
            painter.drawPath(path)


class ConfusionView(QWidget):
    """A confusion matrix, darker where more digits fell; a last "?" column for "not a digit"."""

    CELL = 22

    def __init__(self, title: str, confusion: list[list[int]]) -> None:
        super().__init__()
        self.title, self.confusion = title, confusion
        columns = max((len(row) for row in confusion), default=10)
        self.labels = [str(d) for d in range(10)] + ["?"] * (columns - 10)
        self.setFixedSize(self.CELL * (columns + 1), self.CELL * (len(confusion) + 1) + 18)

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        font = painter.font()
        font.setPointSizeF(font.pointSizeF() * 0.75)
        painter.setFont(font)
        painter.drawText(QRectF(0, 0, self.width(), 16), Qt.AlignmentFlag.AlignCenter, self.title)
        c, top = self.CELL, 18
        for d, label in enumerate(self.labels):  # truth down the side, prediction across the top
            if d < len(self.confusion):
                painter.drawText(QRectF(0, top + c * (d + 1), c, c), Qt.AlignmentFlag.AlignCenter, label)
            painter.drawText(QRectF(c * (d + 1), top, c, c), Qt.AlignmentFlag.AlignCenter, label)
        for t, row in enumerate(self.confusion):
            total = sum(row) or 1
            for p, count in enumerate(row):
                share = count / total
                cell = QRectF(c * (p + 1), top + c * (t + 1), c, c)
                color = QColor("#2a82da") if t == p else QColor("#d9534f")
                color.setAlphaF(min(1.0, share * (1 if t == p else 20)) * 0.8)
                painter.fillRect(cell, color)
                if count and t != p:
                    painter.drawText(cell, Qt.AlignmentFlag.AlignCenter, str(count))


class RetrainDialog(QDialog):
    """Modeless: the person keeps drawing with the model in use while this trains."""

    #: The person chose to use the new model.
    modelAccepted = Signal(object)  # TrainingOutcome
    #: Training started (True) or ended in any way (False).
    runningChanged = Signal(bool)

    def __init__(
        self,
        settings: QSettings,
        current_model: bytes,
        parent: QWidget | None = None,
        personalise: tuple[Path, np.ndarray, np.ndarray] | None = None,
    ) -> None:
        """With `personalise` (the model in use and the samples), fine-tune instead of training anew."""
        super().__init__(parent)
        self.personalise = personalise
        self.setWindowTitle("Learn from my samples" if personalise else "Retrain the model")
        self.settings = settings
        self.current_model = current_model
        self.worker: TrainingWorker | None = None
        self.outcome: TrainingOutcome | None = None
        self.work_dir: Path | None = None
        self.pages = QStackedWidget()
        self.pages.addWidget(self._settings_page())
        self.pages.addWidget(self._progress_page())
        self.results = QWidget()
        self.pages.addWidget(self.results)
        layout = QVBoxLayout(self)
        layout.addWidget(self.pages)
        self.setMinimumWidth(520)

    # Page 1: what to train
    def _settings_page(self) -> QWidget:
        page = QWidget()
        form = QFormLayout()
        self.preset = QComboBox()
        for preset in PRESETS.values():
            self.preset.addItem(preset.name, preset.name)
        self.preset_summary = QLabel(wordWrap=True)
        self.preset_summary.setEnabled(False)
        self.preset.setCurrentIndex(self.preset.findData("quick"))
        self.epochs = QSpinBox(minimum=1, maximum=200)
        self.batch = QSpinBox(minimum=1, maximum=2048)
        self.folder = QLineEdit(str(self.settings.value("retrain/data_folder", os.environ.get(ENV_VAR, ""))))
        self.folder.setPlaceholderText("empty: download MNIST with Keras (needs a network)")
        self.pen_folder = QLineEdit(str(self.settings.value("retrain/pen_folder", os.environ.get(PEN_ENV_VAR, ""))))
        self.pen_folder.setPlaceholderText("empty: MNIST alone (no pen-written digits)")
        self.letters = QLineEdit(str(self.settings.value("retrain/letters_file", os.environ.get(LETTERS_ENV_VAR, ""))))
        self.letters.setPlaceholderText('empty: no "not a digit" examples')
        folder_row = self._path_row(self.folder, "Folder with the MNIST IDX files", folder=True)
        self.estimate = QLabel()
        form.addRow("Preset", self.preset)
        form.addRow("", self.preset_summary)
        form.addRow("Epochs", self.epochs)
        form.addRow("Batch size", self.batch)
        form.addRow("MNIST folder", folder_row)
        form.addRow("Pen digits folder", self._path_row(self.pen_folder, "Folder with pendigits-orig.tra", folder=True))
        form.addRow("Letters file", self._path_row(self.letters, "Letters (.jsonl[.gz])", folder=False))
        form.addRow("Expected duration", self.estimate)
        self.preset.currentIndexChanged.connect(self._preset_chosen)
        self.epochs.valueChanged.connect(self._update_estimate)
        self.batch.valueChanged.connect(self._update_estimate)
        self._preset_chosen()
        if self.personalise is not None:
            from ..personalise import EPOCHS

            base, images, _labels = self.personalise
            self.preset.setEnabled(False)
            self.batch.setEnabled(False)
            self.epochs.setValue(EPOCHS)
            self.preset_summary.setText(
                f"Fine-tune the model in use ({base.name}) on your {len(images)} samples, mixed with MNIST."
            )
            self.estimate.setText("about 10 s, plus reading MNIST")
        self.start_button = QPushButton("Start training")
        self.start_button.setDefault(True)
        self.start_button.clicked.connect(self.start)
        close = QPushButton("Close")
        close.clicked.connect(self.close)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(close)
        buttons.addWidget(self.start_button)
        layout = QVBoxLayout(page)
        layout.addLayout(form)
        layout.addLayout(buttons)
        return page

    def _preset_chosen(self) -> None:
        preset = get_preset(self.preset.currentData())
        self.preset_summary.setText(preset.summary)
        self.epochs.setValue(preset.epochs)
        self.batch.setValue(preset.batch_size)
        self._update_estimate()

    def _update_estimate(self) -> None:
        if self.personalise is not None:
            return
        preset = get_preset(self.preset.currentData())
        seconds = preset.estimated_seconds(self.epochs.value(), self.batch.value())
        self.estimate.setText(f"about {format_duration(seconds)} on a 2-core machine")

    def _path_row(self, edit: QLineEdit, title: str, folder: bool) -> QHBoxLayout:
        """A path field with its Browse… button."""

        def browse() -> None:
            if folder:
                name = QFileDialog.getExistingDirectory(self, title, edit.text())
            else:
                name, _ = QFileDialog.getOpenFileName(self, title, edit.text(), "Stroke files (*.jsonl *.jsonl.gz)")
            if name:
                edit.setText(name)

        button = QPushButton("Browse…")
        button.clicked.connect(browse)
        row = QHBoxLayout()
        row.addWidget(edit, 1)
        row.addWidget(button)
        return row

    # Page 2: training
    def _progress_page(self) -> QWidget:
        page = QWidget()
        self.bar = QProgressBar(maximum=1000)
        self.status = QLabel("Starting…")
        self.figures = QLabel(" ")
        self.timing = QLabel(" ")
        self.curve = CurvePlot()
        self.cancel_button = QPushButton("Cancel")
        self.cancel_button.clicked.connect(self.cancel)
        layout = QVBoxLayout(page)
        for widget in (self.status, self.bar, self.figures, self.timing, self.curve):
            layout.addWidget(widget)
        layout.addWidget(self.cancel_button, alignment=Qt.AlignmentFlag.AlignRight)
        return page

    @property
    def running(self) -> bool:
        return self.worker is not None and self.worker.isRunning()

    def start(self) -> None:
        folder = self.folder.text().strip()
        pen_folder, letters = self.pen_folder.text().strip(), self.letters.text().strip()
        self.settings.setValue("retrain/data_folder", folder)
        self.settings.setValue("retrain/pen_folder", pen_folder)
        self.settings.setValue("retrain/letters_file", letters)
        self.work_dir = Path(tempfile.mkdtemp(prefix="mnist-pad-training-"))
        job = TrainingJob(
            self.preset.currentData(),
            self.epochs.value(),
            self.batch.value(),
            folder or None,
            self.current_model,
            self.work_dir,
            pen_folder,  # as typed: empty means none, not the environment's
            letters,
        )
        if self.personalise is not None:
            base, images, labels = self.personalise
            job = replace(job, base_model=base, samples=(images, labels))
        self.worker = TrainingWorker(job, self)
        self.worker.progressed.connect(self._progress)
        self.worker.stageChanged.connect(self.status.setText)
        self.worker.succeeded.connect(self._succeeded)
        self.worker.failed.connect(self._failed)
        self.worker.cancelled.connect(self._cancelled)
        self.curve.train.clear()
        self.curve.test.clear()
        self.bar.setValue(0)
        self.pages.setCurrentIndex(1)
        self.cancel_button.setEnabled(True)
        self.worker.start()
        self.runningChanged.emit(True)

    def _progress(self, p: Progress) -> None:
        self.status.setText(f"Epoch {p.epoch} of {p.epochs}, batch {p.batch} of {p.batches}")
        self.bar.setValue(round(p.fraction * 1000))
        self.figures.setText(
            f"loss {p.loss:.4f}   training accuracy {p.accuracy:.2%}"
            + ("" if not self.curve.test else f"   test accuracy {self.curve.test[-1]:.2%}")
        )
        eta = "" if p.eta_s is None else f"   about {format_duration(p.eta_s)} left"
        self.timing.setText(f"elapsed {format_duration(p.elapsed_s)}{eta}")
        if p.epoch_done:
            self.curve.add_epoch(p.accuracy, p.val_accuracy)

    def cancel(self) -> None:
        if self.running:
            self.status.setText("Cancelling…")
            self.cancel_button.setEnabled(False)
            self.worker.cancel()

    def stop(self) -> None:
        """Cancel and wait for the worker: for closing the app mid-training."""
        if self.worker is not None:
            self.worker.cancel()
            self.worker.wait()
        self._discard_files()
        self.runningChanged.emit(False)

    def _finish(self) -> None:
        if self.worker is not None:
            self.worker.wait()  # it has emitted its last signal: returns at once
        self.runningChanged.emit(False)

    def _cancelled(self) -> None:
        self._finish()
        self._discard_files()
        self.pages.setCurrentIndex(0)

    def _failed(self, message: str) -> None:
        self._finish()
        self._discard_files()
        self.pages.setCurrentIndex(0)
        QMessageBox.warning(self, "Training failed", f"{message}\n\nThe model in use is unchanged.")

    # Page 3: compare, then use or discard
    def _succeeded(self, outcome: TrainingOutcome) -> None:
        self._finish()
        self.outcome = outcome
        new, cur = outcome.metrics, outcome.current
        grid = QGridLayout()
        grid.addWidget(QLabel("<b>Accuracy</b>"), 0, 0)
        grid.addWidget(QLabel("<b>in use</b>"), 0, 1)
        grid.addWidget(QLabel("<b>new</b>"), 0, 2)
        rows = [("MNIST test set", cur["accuracy"], new["test_accuracy"])]
        if "samples_accuracy_after" in new:
            rows.insert(0, ("your samples", new["samples_accuracy_before"], new["samples_accuracy_after"]))
        rows += [(f"digit {d}", cur["per_class"][d], new["per_class_accuracy"][d]) for d in range(10)]
        for r, (name, old_value, new_value) in enumerate(rows, start=1):
            grid.addWidget(QLabel(name), r, 0)
            grid.addWidget(QLabel(f"{old_value:.2%}"), r, 1)
            better = "#2e8b57" if new_value > old_value else "#c0392b" if new_value < old_value else ""
            label = QLabel(f"{new_value:.2%}")
            if better:
                label.setStyleSheet(f"color: {better};")
            grid.addWidget(label, r, 2)
        matrices = QHBoxLayout()
        matrices.addWidget(ConfusionView("in use: confusion", cur["confusion"]))
        matrices.addWidget(ConfusionView("new: confusion", new["confusion"]))
        use = QPushButton("Use the new model")
        use.setDefault(True)
        use.clicked.connect(self._use)
        discard = QPushButton("Discard")
        discard.clicked.connect(self._discard)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(discard)
        buttons.addWidget(use)
        summary = QLabel(
            f"Trained <b>{new['preset']}</b> for {new['epochs']} epochs in {format_duration(new['wall_time_s'])}."
        )
        layout = QVBoxLayout()
        layout.addWidget(summary)
        layout.addLayout(grid)
        layout.addLayout(matrices)
        layout.addLayout(buttons)
        page = QWidget()
        page.setLayout(layout)
        self.pages.removeWidget(self.results)
        self.results = page
        self.pages.addWidget(page)
        self.pages.setCurrentWidget(page)
        self.layout().activate()
        self.resize(self.sizeHint())

    def _use(self) -> None:
        self.modelAccepted.emit(self.outcome)
        self._discard_files()
        self.close()

    def _discard(self) -> None:
        self._discard_files()
        self.close()

    def _discard_files(self) -> None:
        if self.work_dir is not None:
            shutil.rmtree(self.work_dir, ignore_errors=True)
            self.work_dir = None
        self.outcome = None

    def closeEvent(self, event) -> None:
        if self.running:  # closing cancels, and waits (at most a save) so no file is written after
            self.worker.cancel()
            self.worker.wait()
            self.runningChanged.emit(False)
        self._discard_files()
        super().closeEvent(event)
