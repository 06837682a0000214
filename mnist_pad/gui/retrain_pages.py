"""The retrain dialog's three pages: what to train, training, and the comparison.

Each page lays out its own widgets and says what the person asked for with
a signal; the dialog (retrain_dialog.py) decides what happens.
"""

from __future__ import annotations

import html
from typing import TYPE_CHECKING

from PySide6.QtCore import QSize, Qt, Signal
from PySide6.QtGui import QColor
from PySide6.QtWidgets import (
    QComboBox,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QProgressBar,
    QPushButton,
    QScrollArea,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from mnist_pad.gui.charts import ConfusionView, LearningCurve
from mnist_pad.gui.colours import SecondaryLabel, readable
from mnist_pad.gui.words import counted
from mnist_pad.model.compare import MEASURES
from mnist_pad.model.duration import format_duration
from mnist_pad.model.presets import PRESETS
from mnist_pad.model.progress import Progress

if TYPE_CHECKING:
    from mnist_pad.gui.training_worker import TrainingOutcome

BETTER, WORSE = "#2e8b57", "#c0392b"


#: What the settings page offers to train on (its data), and in what words.
SHIPPED, MNIST_ALONE, OWN_FILES = "shipped", "mnist_alone", "own"
DATA_CHOICES = {
    SHIPPED: "What ships with the pad: MNIST, pen digits and letters (offline)",
    MNIST_ALONE: "MNIST alone: no pen digits, no letters",
    OWN_FILES: "Files of my own…",
}
SHIPPED_CREDIT = (
    "MNIST (Y. LeCun, C. Cortes, C. J. C. Burges; CC BY-SA 3.0), the UCI pendigits .tra writers "
    "(E. Alpaydin, F. Alimoglu; CC BY 4.0) and the UNIPEN train_r01_v07 digits and letters (I. Guyon et al.; "
    "CC BY 4.0): the bundled model's own recipe. The UNIPEN validation writers never train."
)

#: Where each data set comes from (name, link, licence), under its field.
SOURCES = {
    "mnist": "MNIST (Y. LeCun, C. Cortes, C. J. C. Burges; CC BY-SA 3.0): the four .gz files from "
    '<a href="https://yann.lecun.com/exdb/mnist/">yann.lecun.com/exdb/mnist</a>. Empty: downloaded, which needs a '
    "network.",
    "pen": "UCI pendigits, 44 writers from Istanbul (E. Alpaydin, F. Alimoglu; CC BY 4.0): "
    '<a href="https://archive.ics.uci.edu/dataset/81">archive.ics.uci.edu/dataset/81</a>, the original '
    "trajectories; unpack pendigits-orig.tra.Z with gzip -d.",
    "letters": "Pen-written letters in the pad's stroke format (a JSON object a line), from UNIPEN "
    'train_r01_v07 (CC BY 4.0; <a href="https://doi.org/10.5281/zenodo.1195803">doi.org/10.5281/zenodo.1195803</a>).',
    "pen_digits": "Pen-written digits by about 128 writers in the same format, from UNIPEN train_r01_v07 (CC BY 4.0; "
    '<a href="https://doi.org/10.5281/zenodo.1195803">doi.org/10.5281/zenodo.1195803</a>). Its 25 validation '
    "writers never train.",
    "unipen": "UNIPEN's own files are converted as they are read: choose a .dat file or a folder of them "
    "(train_r01_v07/data/1a for the digits, 1b or 1c for the letters; the ink in train_r01_v07/include is "
    "found by itself).",
}


def capabilities(reads_pen_data: bool, pen_given: bool, letters_given: bool, pen_digits_given: bool) -> str:
    """What the new model will be able to do with the data given, and what each missing set costs."""
    if not reads_pen_data:
        return (
            "This network reads MNIST's ten digits only: it cannot say \u201cnot a digit\u201d, and pen data "
            "are not used."
        )
    lines = ["With this data the new model will read MNIST-style digits"]
    lines.append(
        "read pen-written styles (flagged 1s, crossed 7s, open 4s)"
        if pen_given
        else "<b>not</b> learn pen-written styles: without pen digits it reads European 1s, 7s and 4s less well"
    )
    if pen_digits_given:
        lines.append("learn how digits are written (the pen's path) from about a hundred more writers")
    elif pen_given:
        lines.append(
            "learn the pen's path from <b>fewer</b> writers: without the UNIPEN digits, unusual hands read less well"
        )
    else:
        lines.append("<b>not</b> read the pen's path: without pen digits it reads by the picture alone")
    lines.append(
        "say \u201cnot a digit\u201d for letters and scribbles"
        if letters_given
        else "<b>not</b> say \u201cnot a digit\u201d: without letters, letters and scribbles are read as digits"
    )
    return lines[0] + "; " + "; ".join(lines[1:-1]) + "; and " + lines[-1] + "."


class SettingsPage(QWidget):
    """Preset, epochs, batch size, the data to read, and the expected duration."""

    startRequested = Signal()
    closeRequested = Signal()
    #: Preset, epochs or batch size changed: the estimate is due again.
    choiceChanged = Signal()

    def __init__(self, choose_preset: bool, folders: tuple[str, str, str, str], data_choice: str = SHIPPED) -> None:
        super().__init__()
        self.preset = QComboBox()
        for preset in PRESETS.values():
            self.preset.addItem(preset.name, preset.name)
        self.preset.setCurrentIndex(self.preset.findData("quick"))
        self.summary = SecondaryLabel(wordWrap=True)
        # A wrapped label in a form gets one line's height; the summaries take up to three.
        self.summary.setMinimumHeight(3 * self.summary.fontMetrics().lineSpacing())
        self.epochs = QSpinBox(minimum=1, maximum=200)
        self.batch = QSpinBox(minimum=1, maximum=2048)
        self.folder, self.pen_folder, self.letters, self.pen_digits = (QLineEdit(text) for text in folders)
        self.folder.setPlaceholderText("empty: download MNIST with Keras (needs a network)")
        self.pen_folder.setPlaceholderText("empty: no pendigits writers")
        self.letters.setPlaceholderText('empty: no "not a digit" examples')
        self.pen_digits.setPlaceholderText("empty: no UNIPEN digits")
        self.data = QComboBox()
        for key, words in DATA_CHOICES.items():
            self.data.addItem(words, key)
        self.data.setCurrentIndex(max(0, self.data.findData(data_choice)))
        self.data_credit = source_label(SHIPPED_CREDIT)
        self.estimate = QLabel(wordWrap=True)
        #: What happened to the last training, when it did not end on the results page.
        self.notice = QLabel(wordWrap=True)
        self.notice.hide()

        form = QFormLayout()
        if choose_preset:
            form.addRow("Preset", self.preset)
        form.addRow("", self.summary)
        if choose_preset:  # Learn has no epochs to choose (its refit converges in one go) nor a batch size
            form.addRow("Epochs", self.epochs)
            form.addRow("Batch size", self.batch)
        else:
            for unused in (self.epochs, self.batch, self.preset):
                unused.setParent(self)
                unused.hide()
        self.capabilities = QLabel(wordWrap=True, textFormat=Qt.TextFormat.RichText)
        #: The fields of "Files of my own", shown only when that is chosen.
        self.own_files = QWidget()
        own = QFormLayout(self.own_files)
        own.setContentsMargins(0, 0, 0, 0)
        if choose_preset:
            form.addRow("Training data", self.data)
            form.addRow("", self.data_credit)
            own.addRow("MNIST folder", self._path_row(self.folder, "Folder with the MNIST IDX files", folder=True))
            own.addRow("", source_label(SOURCES["mnist"]))
            own.addRow("Pen digits folder", self._path_row(self.pen_folder, "Folder with pendigits-orig.tra", True))
            own.addRow("", source_label(SOURCES["pen"]))
            own.addRow("UNIPEN digits", self._path_row(self.pen_digits, "Pen digits", folder=False, unipen=True))
            own.addRow("", source_label(SOURCES["pen_digits"]))
            own.addRow("Letters", self._path_row(self.letters, "Letters", folder=False, unipen=True))
            own.addRow("", source_label(SOURCES["letters"]))
            own.addRow("", source_label(SOURCES["unipen"]))
            form.addRow(self.own_files)
            form.addRow("What you get", self.capabilities)
            for edit in (self.pen_folder, self.pen_digits, self.letters):
                edit.textChanged.connect(self.choiceChanged)
            self.data.currentIndexChanged.connect(self._data_chosen)
            self.data.currentIndexChanged.connect(self.choiceChanged)
        else:
            form.addRow(
                "Needs",
                SecondaryLabel(
                    "nothing more: your samples, with MNIST digits and \u201cnot a digit\u201d drawings that ship "
                    "with the pad replayed beside them, so that it keeps what it knew.",
                    wordWrap=True,
                ),
            )
        form.addRow("Expected duration", self.estimate)

        buttons = QDialogButtonBox()
        self.start_button = buttons.addButton("Start training", QDialogButtonBox.ButtonRole.AcceptRole)
        self.start_button.setDefault(True)
        buttons.addButton(QDialogButtonBox.StandardButton.Close)
        buttons.accepted.connect(self.startRequested)
        buttons.rejected.connect(self.closeRequested)
        # The fields and their sources scroll when the screen is too short for them (the fields of "Files of my
        # own" with their sources take some 900 px): never squeezed into clipped lines. The buttons stay put.
        fields = QWidget()
        inner = QVBoxLayout(fields)
        inner.setContentsMargins(0, 0, 0, 0)
        inner.addLayout(form)
        inner.addWidget(self.notice)
        inner.addStretch(1)
        self.scroll_area = FittingScrollArea()
        self.scroll_area.setWidgetResizable(True)
        self.scroll_area.setFrameShape(QFrame.Shape.NoFrame)
        self.scroll_area.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.scroll_area.setWidget(fields)
        layout = QVBoxLayout(self)
        layout.addWidget(self.scroll_area, 1)
        layout.addWidget(buttons)
        if choose_preset:  # only then are the data widgets in the page (else, shown, each is a window)
            self._data_chosen()
        self.preset.currentIndexChanged.connect(self.choiceChanged)
        self.epochs.valueChanged.connect(self.choiceChanged)
        self.batch.valueChanged.connect(self.choiceChanged)

    def preset_name(self) -> str:
        return self.preset.currentData()

    def data_choice(self) -> str:
        return self.data.currentData()

    def _data_chosen(self) -> None:
        self.own_files.setVisible(self.data_choice() == OWN_FILES)
        self.data_credit.setVisible(self.data_choice() != OWN_FILES)
        self.scroll_area.updateGeometry()  # the room it asks for changed with what it holds

    def show_capabilities(self, reads_pen_data: bool) -> None:
        choice = self.data_choice()
        if choice == OWN_FILES:
            given = [bool(edit.text().strip()) for edit in (self.pen_folder, self.letters, self.pen_digits)]
        else:
            given = [choice == SHIPPED] * 3
        self.capabilities.setText(capabilities(reads_pen_data, *given))

    def show_preset(self, summary: str, epochs: int, batch_size: int) -> None:
        self.summary.setText(summary)
        self.epochs.setValue(epochs)
        self.batch.setValue(batch_size)

    def _path_row(self, edit: QLineEdit, title: str, folder: bool, unipen: bool = False) -> QHBoxLayout:
        """A path field with its Browse… button; `unipen`: a file of either format, or a Folder… of UNIPEN's."""

        def browse(pick_folder: bool) -> None:
            if pick_folder:
                name = QFileDialog.getExistingDirectory(self, title, edit.text())
            else:
                kinds = "Stroke files (*.jsonl *.jsonl.gz)" + (
                    ";;UNIPEN files (*.dat);;All files (*)" if unipen else ""
                )
                name, _ = QFileDialog.getOpenFileName(self, title, edit.text(), kinds)
            if name:
                edit.setText(name)

        row = QHBoxLayout()
        row.addWidget(edit, 1)
        button = QPushButton("Browse…")
        button.clicked.connect(lambda: browse(folder))
        button.setAccessibleName(f"{title}: browse")
        row.addWidget(button)
        if unipen:
            folder_button = QPushButton("Folder…")
            folder_button.setAccessibleName(f"{title}: choose a folder of UNIPEN files")
            folder_button.clicked.connect(lambda: browse(True))
            row.addWidget(folder_button)
        return row


class FittingScrollArea(QScrollArea):
    """A scroll area that asks for all of its content's room (the window gives what the screen has),
    and is never narrower than its content: it only ever scrolls up and down."""

    def sizeHint(self) -> QSize:
        content = self.widget()
        if content is None:
            return super().sizeHint()
        bar = self.verticalScrollBar().sizeHint().width()
        return QSize(content.sizeHint().width() + bar, content.sizeHint().height())

    def minimumSizeHint(self) -> QSize:
        content = self.widget()
        if content is None:
            return super().minimumSizeHint()
        bar = self.verticalScrollBar().sizeHint().width()
        return QSize(content.minimumSizeHint().width() + bar, min(200, content.sizeHint().height()))


def source_label(text: str) -> QLabel:
    label = SecondaryLabel(text, wordWrap=True, textFormat=Qt.TextFormat.RichText)
    label.setOpenExternalLinks(True)
    return label


class ProgressPage(QWidget):
    """The stage, a progress bar, loss and accuracy, time left, and the learning curve."""

    cancelRequested = Signal()

    def __init__(self) -> None:
        super().__init__()
        self.bar = QProgressBar(maximum=1000)
        self.status = QLabel("Starting…")
        self.figures = QLabel(" ")
        self.timing = QLabel(" ")
        self.curve = LearningCurve()
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        self.cancel_button = buttons.button(QDialogButtonBox.StandardButton.Cancel)
        buttons.rejected.connect(self._cancel)
        layout = QVBoxLayout(self)
        for widget in (self.status, self.bar, self.figures, self.timing, self.curve, buttons):
            layout.addWidget(widget)

    def restart(self, epochs: int = 1) -> None:
        self.curve.clear(epochs)
        self.bar.setValue(0)
        self.status.setText("Starting…")
        self.cancel_button.setEnabled(True)

    def show_progress(self, p: Progress) -> None:
        self.status.setText(f"Epoch {p.epoch} of {p.epochs}, batch {p.batch} of {p.batches}")
        self.bar.setValue(round(p.fraction * 1000))
        if p.epoch_done or p.batch:
            self.curve.add_progress(p.epoch - 1 + p.batch / max(p.batches, 1), p.accuracy, p.val_accuracy)
        test = f"   test accuracy {self.curve.test_accuracy[-1]:.2%}" if self.curve.test else ""
        self.figures.setText(f"loss {p.loss:.4f}   training accuracy {p.accuracy:.2%}{test}")
        if p.fraction >= 1.0:  # every batch done: what follows (testing, saving, comparing) is a step of its own
            eta = "   last step: testing, saving and comparing the new model"
        else:
            eta = "" if p.eta_s is None else f"   about {format_duration(p.eta_s)} left"
        self.timing.setText(f"elapsed {format_duration(p.elapsed_s)}{eta}")

    def show_stage(self, stage: str) -> None:
        """A step before or after the epochs ("Saving…"): said as it is, never as "about 0 s left"."""
        self.status.setText(stage)
        if self.bar.value() >= self.bar.maximum():
            elapsed = self.timing.text().split("   ")[0]
            self.timing.setText(f"{elapsed}   last step: {stage[0].lower() + stage[1:]}")

    def _cancel(self) -> None:
        self.status.setText("Cancelling…")
        self.cancel_button.setEnabled(False)
        self.cancelRequested.emit()


class ResultsPage(QWidget):
    """The model in use beside the new one, on every measure, with a verdict in plain words; per digit
    and the confusions below."""

    useRequested = Signal()
    discardRequested = Signal()

    def __init__(self) -> None:
        super().__init__()
        self.summary = QLabel(wordWrap=True)
        self.verdict = QLabel(wordWrap=True, textFormat=Qt.TextFormat.RichText)
        self.verdict.setContentsMargins(8, 6, 8, 6)
        self.table = QGridLayout()
        self.matrices = QHBoxLayout()
        buttons = QDialogButtonBox()
        self.use_button = buttons.addButton("Use the new model", QDialogButtonBox.ButtonRole.AcceptRole)
        self.use_button.setAutoDefault(False)  # never on Enter alone: the person reads first
        self.discard_button = buttons.addButton(QDialogButtonBox.StandardButton.Discard)
        self.discard_button.setAutoDefault(False)
        buttons.accepted.connect(self.useRequested)
        self.discard_button.clicked.connect(self.discardRequested)
        layout = QVBoxLayout(self)
        layout.addWidget(self.summary)
        layout.addWidget(self.verdict)
        layout.addLayout(self.table)
        layout.addLayout(self.matrices)
        layout.addWidget(buttons)

    def show_comparison(self, outcome: TrainingOutcome) -> None:
        new, in_use, comparison = outcome.metrics, outcome.current, outcome.comparison
        for layout in (self.table, self.matrices):
            while (item := layout.takeAt(0)) is not None:
                if (widget := item.widget()) is not None:
                    widget.deleteLater()
        if "samples" in new:  # Learn: the output layers refitted, no epochs to speak of
            what = f"Learned from {counted(new['samples'], 'sample')} of yours"
            said = f"{what} in {format_duration(new['wall_time_s'])} (its last layers refitted)."
        else:
            what = f"Trained <b>{new['preset']}</b>"
            said = f"{what} for {new['epochs']} epochs in {format_duration(new['wall_time_s'])}."
        if new.get("reads_path") is False:
            said += (
                " <b>It never saw a pen's path</b> (no pen-written digits were given), so it reads your drawings "
                "by their picture alone, as an MNIST model does."
            )
        self.summary.setText(said)
        judged = outcome.verdict
        sentences = [judged.headline]
        if comparison.get("shift"):
            sentences.append(f"Biggest change: {comparison['shift']}.")
        if judged.worse:
            sentences.append("Keep the model in use unless this is what you wanted.")
        # A worse model is never offered as a plain "Use": the button says what it means, and it asks.
        self.use_button.setText("Use it anyway…" if judged.worse else "Use the new model")
        window = self.palette().window().color()
        tone = readable(QColor(WORSE if judged.worse else BETTER), window)
        self.verdict.setText(" ".join(html.escape(s) for s in sentences))
        self.verdict.setStyleSheet(f"color: {tone.name()}; border: 1px solid {tone.name()}; border-radius: 4px;")
        figures_in_use, figures_new = comparison.get("in_use", {}), comparison.get("new", {})
        rows = [
            (what, figures_in_use[key], figures_new[key])
            for key, (what, _) in MEASURES.items()
            if key in figures_in_use and key in figures_new
        ]
        if not rows:  # no comparison (an older outcome): MNIST, as training measured it
            rows = [("MNIST test digits read right", in_use["accuracy"], new["accuracy"])]
        rows += [(f"MNIST digit {d}", in_use["per_class"][d], new["per_class"][d]) for d in range(10)]
        for column, heading in enumerate(("Measure", "in use", "new")):
            self.table.addWidget(QLabel(f"<b>{heading}</b>"), 0, column)
        for row, (name, old_value, new_value) in enumerate(rows, start=1):
            self.table.addWidget(QLabel(name), row, 0)
            self.table.addWidget(QLabel(f"{old_value:.2%}"), row, 1)
            label = QLabel(f"{new_value:.2%}")
            if abs(new_value - old_value) >= 0.0005:
                colour = readable(QColor(BETTER if new_value > old_value else WORSE), window)
                label.setStyleSheet(f"color: {colour.name()};")
            self.table.addWidget(label, row, 2)
        if "calibration_error" in figures_in_use and "calibration_error" in figures_new:
            row = len(rows) + 1
            self.table.addWidget(QLabel("calibration error (lower is better)"), row, 0)
            self.table.addWidget(QLabel(f"{figures_in_use['calibration_error']:.2%}"), row, 1)
            self.table.addWidget(QLabel(f"{figures_new['calibration_error']:.2%}"), row, 2)
        self.matrices.addWidget(ConfusionView("in use: confusion", in_use["confusion"]))
        self.matrices.addWidget(ConfusionView("new: confusion", new["confusion"]))
