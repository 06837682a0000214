"""Reading numbers from QSettings: a hand-edited or garbled settings file must never stop the app."""

from __future__ import annotations

import math

from PySide6.QtCore import QSettings


def read_float(settings: QSettings, key: str, default: float) -> float:
    """The number stored under `key`, or `default` when it is missing, not a number or not finite.

    Not `value(key, default, type=float)`: PySide6 turns a garbled value into 0.0, not the
    default, and passes the number through float32 (0.05 comes back as 0.0500000007)."""
    try:
        value = float(settings.value(key, default))
    except (TypeError, ValueError):
        return default
    return value if math.isfinite(value) else default
