"""Model > My models…: every model the person kept, with its figures; switch, rename, delete.

Nothing here removes a model without a question, and switching (to the
bundled model too) removes nothing.
"""

from __future__ import annotations

import json
import time
from pathlib import Path

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QHBoxLayout,
    QInputDialog,
    QPushButton,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from mnist_pad.gui import notices
from mnist_pad.gui.colours import SecondaryLabel
from mnist_pad.gui.words import counted
from mnist_pad.model.compare import CARD_KEY
from mnist_pad.person.store import ModelStore, Version
from mnist_pad.resources import model_card

#: The bundled model's row (it has no version folder).
BUNDLED = ""
COLUMNS = ("Model", "Kept", "MNIST", "Pen digits", 'Letters "not a digit"', "Size", "Made by")


#: The figures shown for each model, in the columns after "Kept": MNIST's test set and the check set
#: that ships (model/compare.py), the same measures the result page shows, so every row compares.
FIGURES = ("mnist", "check_digits", "check_letters_rejected")


def percent(figures: dict[str, float], key: str) -> str:
    return f"{figures[key]:.1%}" if key in figures else "–"


def bundled_figures() -> dict[str, float]:
    """The bundled model's headline figures, from its card ({} if it cannot be read)."""
    try:
        card = json.loads(model_card().read_text(encoding="utf-8"))
        return {"mnist": card["mnist"]["accuracy"], **{key: card[CARD_KEY][key] for key in FIGURES[1:]}}
    except (OSError, ValueError, KeyError, TypeError):
        return {}


class ModelsWindow(QDialog):
    """The history: the bundled model first, then the person's, newest first."""

    #: The person chose a model to use: a version folder's name, or BUNDLED.
    useRequested = Signal(str)
    #: The list was read again (after a rename or a delete): names shown elsewhere may have changed.
    historyChanged = Signal()

    def __init__(self, store: ModelStore, bundled_in_use: bool, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("My models")
        self.store = store
        self.bundled_in_use = bundled_in_use
        self.table = QTreeWidget()
        self.table.setHeaderLabels(COLUMNS)
        self.table.setRootIsDecorated(False)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.itemSelectionChanged.connect(self._selection_changed)
        self.table.itemDoubleClicked.connect(lambda *_: self.use_selected())
        self.summary = SecondaryLabel(wordWrap=True)
        self.use_button = QPushButton("Use")
        self.rename_button = QPushButton("Rename…")
        self.delete_button = QPushButton("Delete…")
        close = QPushButton("Close")
        for button in (self.use_button, self.rename_button, self.delete_button):
            button.setAutoDefault(False)  # Enter never deletes
        close.setDefault(True)
        self.use_button.clicked.connect(self.use_selected)
        self.rename_button.clicked.connect(self.rename_selected)
        self.delete_button.clicked.connect(self.delete_selected)
        close.clicked.connect(self.close)
        buttons = QHBoxLayout()
        for button in (self.use_button, self.rename_button, self.delete_button):
            buttons.addWidget(button)
        buttons.addStretch(1)
        buttons.addWidget(close)
        layout = QVBoxLayout(self)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.summary)
        layout.addLayout(buttons)
        self.resize(760, 360)
        self.reload()

    def reload(self) -> None:
        self.versions = {v.folder.name: v for v in self.store.history()}
        self.table.clear()
        card = bundled_figures()
        bundled = QTreeWidgetItem(
            ["Bundled model", "comes with the pad", *(percent(card, k) for k in FIGURES), "", "MNIST Pad"]
        )
        bundled.setData(0, Qt.ItemDataRole.UserRole, BUNDLED)
        self.table.addTopLevelItem(bundled)
        self._mark(bundled, self.bundled_in_use and not any(v.in_use for v in self.versions.values()))
        for key, version in self.versions.items():
            item = QTreeWidgetItem(self._row(version))
            item.setData(0, Qt.ItemDataRole.UserRole, key)
            item.setToolTip(0, str(version.folder))
            item.setToolTip(6, version.origin)
            self.table.addTopLevelItem(item)
            self._mark(item, version.in_use)
        for column in range(len(COLUMNS)):
            self.table.resizeColumnToContents(column)
        size = sum(v.size_bytes for v in self.versions.values())
        self.summary.setText(
            f"{counted(len(self.versions), 'model')} of yours, {size / 1e6:.1f} MB in "
            f"{self.store.models_dir}. Switching keeps every model; only Delete removes one. Pen digits and "
            "letters: the check set that ships with the pad (writers no model trained on), as the "
            "retrain results show them."
        )
        self._selection_changed()
        self.historyChanged.emit()

    @staticmethod
    def _row(version: Version) -> list[str]:
        kept = time.strftime("%Y-%m-%d %H:%M", time.localtime(version.created))
        figures = [percent(version.figures, key) for key in FIGURES]
        return [version.name, kept, *figures, f"{version.size_bytes / 1e6:.1f} MB", version.origin]

    def _mark(self, item: QTreeWidgetItem, in_use: bool) -> None:
        if in_use:
            item.setText(0, f"{item.text(0)}  (in use)")
            font = item.font(0)
            font.setBold(True)
            item.setFont(0, font)

    def selected(self) -> str | None:
        items = self.table.selectedItems()
        return None if not items else items[0].data(0, Qt.ItemDataRole.UserRole)

    def _selection_changed(self) -> None:
        key = self.selected()
        mine = key is not None and key != BUNDLED
        self.use_button.setEnabled(key is not None)
        self.rename_button.setEnabled(mine)
        self.delete_button.setEnabled(mine and key is not None and not self.versions[key].in_use)

    def use_selected(self) -> None:
        key = self.selected()
        if key is not None:
            self.useRequested.emit(key)

    def rename_selected(self) -> None:
        key = self.selected()
        if not key:
            return
        dialog = QInputDialog(self)
        dialog.setWindowTitle("Rename model")
        dialog.setLabelText("Name:")
        dialog.setTextValue(self.versions[key].name)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)

        def renamed(name: str) -> None:
            if name.strip():
                try:
                    self.store.rename(key, name)
                except (OSError, ValueError) as exc:
                    notices.warn(self, "Could not rename", str(exc))
                self.reload()

        dialog.textValueSelected.connect(renamed)
        dialog.open()  # never a nested event loop (gui/notices.py)
        self.rename_dialog = dialog

    def delete_selected(self) -> None:
        key = self.selected()
        if not key or self.versions[key].in_use:
            return
        version = self.versions[key]

        def delete() -> None:
            try:
                self.store.delete(key)
            except (OSError, ValueError) as exc:
                notices.warn(self, "Could not delete", str(exc))
            self.reload()

        notices.ask(
            self,
            "Delete this model?",
            f"Delete “{version.name}” ({version.size_bytes / 1e6:.1f} MB) for good? This cannot be undone.",
            delete,
        )

    def model_switched(self, path: Path) -> None:
        """The main window switched models (to `path`, once loaded): show which is in use now."""
        self.bundled_in_use = self.store.is_bundled(path)
        self.reload()
