"""Model > My samples…: the person's corrections, grouped by digit; delete, export, import."""

from __future__ import annotations

import html
from collections import Counter
from pathlib import Path

from PySide6.QtCore import QSize, Qt
from PySide6.QtGui import QIcon
from PySide6.QtWidgets import (
    QDialog,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QListView,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from mnist_pad.datasets.sample_images import sample_image
from mnist_pad.errors import MnistPadError
from mnist_pad.files.naming import with_suffix
from mnist_pad.gui import notices
from mnist_pad.gui.panel import preview_pixmap
from mnist_pad.gui.words import counted
from mnist_pad.ink.strokes import StrokeSample
from mnist_pad.person.samples import SampleStore

#: How long Delete waits for another program's lock on the samples file (on the GUI thread).
DELETE_WAIT_S = 1.0


class SamplesWindow(QDialog):
    def __init__(self, store: SampleStore, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("My samples")
        self.store = store
        self.samples: list[StrokeSample] = []
        self.summary = QLabel(wordWrap=True)
        self.gallery = QListWidget()
        self.gallery.setViewMode(QListView.ViewMode.IconMode)
        self.gallery.setIconSize(QSize(56, 56))
        self.gallery.setGridSize(QSize(76, 84))
        self.gallery.setResizeMode(QListView.ResizeMode.Adjust)
        self.gallery.setMovement(QListView.Movement.Static)
        self.gallery.setSelectionMode(QListWidget.SelectionMode.ExtendedSelection)
        buttons = QHBoxLayout()
        for text, slot in (("Delete", self.delete_selected), ("Import…", self.import_file), ("Export…", self.export)):
            button = QPushButton(text)
            button.setAutoDefault(False)  # Enter never deletes: only Close is the default
            button.clicked.connect(slot)
            buttons.addWidget(button)
            if text == "Delete":
                self.delete_button = button
        buttons.addStretch(1)
        close = QPushButton("Close")
        close.setDefault(True)
        close.clicked.connect(self.close)
        buttons.addWidget(close)
        # After a delete: what went, and the way back.
        self.deleted: list[StrokeSample] = []
        self.undo_note = QLabel()
        self.undo_button = QPushButton("Undo")
        self.undo_button.setAutoDefault(False)
        self.undo_button.clicked.connect(self.undo_delete)
        undo_row = QHBoxLayout()
        undo_row.addWidget(self.undo_note, 1)
        undo_row.addWidget(self.undo_button)
        self.undo_note.hide()
        self.undo_button.hide()
        layout = QVBoxLayout(self)
        layout.addWidget(self.summary)
        layout.addWidget(self.gallery, 1)
        layout.addLayout(undo_row)
        layout.addLayout(buttons)
        self.resize(640, 480)
        self.reload()

    def reload(self) -> None:
        self.samples, problems = self.store.load()
        self.gallery.clear()
        order = sorted(range(len(self.samples)), key=lambda i: self.samples[i].label or 0)
        for i in order:  # grouped by digit
            sample = self.samples[i]
            image = sample_image(sample)
            item = QListWidgetItem(QIcon(preview_pixmap(image, 2)), f"{sample.label}")
            item.setData(Qt.ItemDataRole.UserRole, i)
            item.setToolTip(f"{sample.label}, saved {sample.extra.get('time', 'unknown')}")
            self.gallery.addItem(item)
        counts = Counter(s.label for s in self.samples)
        text = f"{counted(len(self.samples), 'sample')}: " + ", ".join(f"{d}: {counts[d]}" for d in range(10))
        if problems:
            text += f"<br><b>{len(problems)} unreadable line(s) skipped</b> ({html.escape(problems[0])})"
        self.summary.setText(text)

    def delete_selected(self) -> None:
        doomed = {item.data(Qt.ItemDataRole.UserRole) for item in self.gallery.selectedItems()}
        if not doomed:
            return
        chosen = [self.samples[i] for i in sorted(doomed)]
        try:
            gone = self.store.delete(chosen, timeout_s=DELETE_WAIT_S)
        except OSError as exc:
            notices.warn(self, "Could not delete", str(exc))
            gone = 0
        if gone:
            self.deleted = chosen
            self.undo_note.setText(f"Deleted {counted(gone, 'sample')}.")
            self.undo_note.show()
            self.undo_button.show()
        self.reload()

    def undo_delete(self) -> None:
        """Put the samples just deleted back (appended, as they were)."""
        try:
            self.store.restore(self.deleted)
        except OSError as exc:
            notices.warn(self, "Could not undo", str(exc))
            return
        self.undo_note.setText(f"Put back {counted(len(self.deleted), 'sample')}.")
        self.undo_button.hide()
        self.deleted = []
        self.reload()

    def export(self) -> None:
        name, _ = QFileDialog.getSaveFileName(self, "Export samples", "my-digits.jsonl", "Stroke files (*.jsonl)")
        if not name:
            return
        target, samples = with_suffix(name, ".jsonl"), list(self.samples)

        def write() -> None:
            try:
                self.store.export(target, samples)
            except OSError as exc:
                notices.warn(self, "Could not export", f"{target}: {exc.strerror or type(exc).__name__}")

        notices.write_after_asking(self, name, [target], write)

    def import_file(self) -> None:
        name, _ = QFileDialog.getOpenFileName(self, "Import samples", "", "Stroke files (*.jsonl *.jsonl.gz)")
        if not name:
            return
        try:
            imported = self.store.import_file(Path(name))
        except (MnistPadError, OSError) as exc:
            notices.warn(self, "Could not import", str(exc))
            return
        self.reload()
        said = f"Imported {counted(imported.added, 'sample')} from {Path(name).name}"
        if imported.duplicates:
            said += f"; {counted(imported.duplicates, 'sample')} already here, skipped"
        self.undo_note.setText(said + ".")
        self.undo_note.show()
        self.undo_button.hide()
        self.deleted = []
        if imported.problems:
            notices.warn(
                self,
                "Some lines were skipped",
                f"{said}; unreadable lines skipped:\n" + "\n".join(imported.problems[:20]),
            )
