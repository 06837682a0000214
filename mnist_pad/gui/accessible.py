"""Saying a widget's state to a screen reader."""

from __future__ import annotations

from PySide6.QtGui import QAccessible, QAccessibleEvent
from PySide6.QtWidgets import QWidget


def announce(widget: QWidget, description: str) -> None:
    """Describe `widget`'s state for a screen reader, and tell it when that changed."""
    if widget.accessibleDescription() == description:
        return
    widget.setAccessibleDescription(description)
    QAccessible.updateAccessibility(QAccessibleEvent(widget, QAccessible.Event.DescriptionChanged))
