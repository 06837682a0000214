"""Message and question boxes that never block.

The pad's rule: no nested event loop. A blocking box (`QMessageBox.warning`,
`.question`, `.about`, `exec()`) runs an event loop of its own inside whatever
slot opened it: timers, workers' signals and a second close then arrive in the
middle of that slot, and a box nobody can see (offscreen, the self-test)
hangs the program. These boxes are window-modal, open with `open()`, answer
through a callback and delete themselves when closed. Every warning is also
written to the log. (File dialogs stay the platform's own static calls: native
dialogs exist only that way.)
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox, QWidget

from mnist_pad.files.naming import replaced_unasked

log = logging.getLogger("mnist_pad")
Button = QMessageBox.StandardButton


def _box(parent: QWidget | None, icon: QMessageBox.Icon, title: str, text: str, buttons: Button) -> QMessageBox:
    box = QMessageBox(icon, title, text, buttons, parent)
    box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    box.setWindowModality(Qt.WindowModality.WindowModal)
    box.setAccessibleName(title)
    box.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)  # a path or a command to copy
    return box


def warn(parent: QWidget | None, title: str, message: str) -> QMessageBox:
    """Show a warning with an OK button, and go on at once."""
    log.warning("%s: %s", title, message)
    box = _box(parent, QMessageBox.Icon.Warning, title, message, Button.Ok)
    box.open()
    return box


def inform(parent: QWidget | None, title: str, rich_text: str) -> QMessageBox:
    """Show information (About), and go on at once."""
    box = _box(parent, QMessageBox.Icon.Information, title, rich_text, Button.Ok)
    box.setTextFormat(Qt.TextFormat.RichText)
    box.open()
    return box


def ask(
    parent: QWidget | None,
    title: str,
    question: str,
    on_yes: Callable[[], None],
    on_no: Callable[[], None] | None = None,
    default: Button = Button.No,
) -> QMessageBox:
    """Ask a yes/no question and go on at once; `on_yes` (or `on_no`) runs when it is answered.
    Closing the box (Esc, the window's close button) answers No."""
    box = _box(parent, QMessageBox.Icon.Question, title, question, Button.Yes | Button.No)
    box.setDefaultButton(default)
    box.setEscapeButton(Button.No)

    def answered(button) -> None:
        if box.standardButton(button) == Button.Yes:
            on_yes()
        elif on_no is not None:
            on_no()

    box.buttonClicked.connect(answered)
    box.open()
    return box


def write_after_asking(parent: QWidget | None, typed: str, files: list[Path], write: Callable[[], None]) -> None:
    """Run `write`, which writes `files` for the name `typed` in a save dialog, once the person
    agreed to replace those of them that exist and that the dialog did not ask about (it asks only
    about the name typed, not the one with a suffix appended, nor a file written beside it)."""
    unasked = replaced_unasked(typed, files)
    if not unasked:
        write()
        return
    names = " and ".join(f"“{path.name}”" for path in unasked)
    many = len(unasked) > 1
    also = f" Saving writes {' and '.join(path.name for path in files)}." if len(files) > 1 else ""
    ask(
        parent,
        "Replace files?" if many else "Replace the file?",
        f"{names} already {'exist' if many else 'exists'} in {unasked[0].parent}.{also} "
        f"Replace {'them' if many else 'it'}?",
        write,
    )
