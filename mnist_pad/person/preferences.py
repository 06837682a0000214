"""What the pad remembers between launches (window size, pen width, the retrain
dialog's folders, measured training speed), in one small JSON file.

Not QSettings: PySide6 stores Python objects there as pickles and unpickles
them when a value is read, so a hand-edited or hostile settings file could run
code at start-up, and a garbled one stopped every launch. JSON holds only
plain values and parsing it runs nothing. Every read checks the type and
range it needs and falls back to the default, so no value, however garbled,
can stop the app or show nonsense; writes are atomic.
"""

from __future__ import annotations

import base64
import binascii
import json
import logging
import math
import os
from pathlib import Path

from mnist_pad.files import atomic

SETTINGS_NAME = "settings.json"
#: A settings file larger than this is not ours: read as empty.
MAX_BYTES = 2**20
#: The values a file may hold; anything else reads as absent.
PLAIN = (str, int, float, bool)
log = logging.getLogger("mnist_pad")


def _read(path: Path) -> dict[str, str | int | float | bool]:
    try:
        if not path.is_file():
            return {}
        with open(path, "rb") as f:
            raw = f.read(MAX_BYTES + 1)
        record = json.loads(raw.decode("utf-8")) if len(raw) <= MAX_BYTES else None
    except (OSError, UnicodeDecodeError, ValueError, RecursionError) as exc:
        log.warning("%s: not readable (%s); using the defaults", path, type(exc).__name__)
        return {}
    if not isinstance(record, dict):
        return {}
    return {k: v for k, v in record.items() if isinstance(v, PLAIN)}


class Preferences:
    """Plain values by key ("window/geometry"), read once, written whole on every change."""

    def __init__(self, path: str | os.PathLike[str]) -> None:
        self.path = Path(path)
        self._values = _read(self.path)

    def get_str(self, key: str, default: str = "") -> str:
        value = self._values.get(key)
        return value if isinstance(value, str) and "\0" not in value else default

    def get_float(self, key: str, default: float, low: float = -math.inf, high: float = math.inf) -> float:
        """The number under `key` when it is finite and within [low, high], else `default`."""
        value = self._values.get(key)
        if isinstance(value, bool) or not isinstance(value, int | float | str):
            return default
        try:
            number = float(value)
        except (ValueError, OverflowError):
            return default
        return number if math.isfinite(number) and low <= number <= high else default

    def get_bool(self, key: str, default: bool = False) -> bool:
        value = self._values.get(key)
        return value if isinstance(value, bool) else default

    def get_bytes(self, key: str) -> bytes | None:
        try:
            return base64.b64decode(self.get_str(key), validate=True) or None
        except (binascii.Error, ValueError):
            return None

    def set(self, key: str, value: str | int | float | bool | bytes) -> bool:
        """Remember `value` (bytes are kept as base64 text). False when the file cannot be
        written (a read-only home): the pad says so once at start-up, and goes on."""
        if isinstance(value, bytes | bytearray):
            value = base64.b64encode(bytes(value)).decode("ascii")
        if not isinstance(value, PLAIN) or (isinstance(value, float) and not math.isfinite(value)):
            raise TypeError(f"{key}: only plain finite values are remembered, not {type(value).__name__}")
        self._values[key] = value
        try:
            atomic.write_text(self.path, json.dumps(self._values, indent=1, sort_keys=True) + "\n")
        except OSError as exc:
            log.warning("%s: cannot be saved (%s)", self.path, exc.strerror or exc)
            return False
        return True


def from_qsettings_file(path: str | os.PathLike[str]) -> dict[str, str]:
    """The plain values of the QSettings INI file that versions before 0.3 wrote, for carrying
    them over once. Text only: anything Qt would decode (@Variant, @ByteArray, escapes,
    quotes) is left behind, so nothing in that file is ever unpickled."""
    values: dict[str, str] = {}
    section = ""
    try:
        with open(path, "rb") as f:
            text = f.read(MAX_BYTES).decode("utf-8", errors="replace")
    except OSError:
        return values
    for line in text.splitlines():
        line = line.strip()
        if line.startswith("[") and line.endswith("]"):
            section = "" if line == "[General]" else line[1:-1] + "/"
        elif "=" in line:
            key, value = (part.strip() for part in line.split("=", 1))
            if key and value and value[0] not in "@\"'" and "\\" not in value + key and "%" not in key:
                values[section + key] = value
    return values


def open_preferences(folder: str | os.PathLike[str]) -> Preferences:
    """The preferences in `folder` (settings.json), started from an earlier version's
    QSettings file there when this is the first launch of this version."""
    folder = Path(folder)
    preferences = Preferences(folder / SETTINGS_NAME)
    old = folder / "MNIST Pad.conf"
    if not preferences.path.exists() and old.is_file():
        for key, value in from_qsettings_file(old).items():
            preferences._values[key] = value
        if preferences._values:
            preferences.set("migrated_from", str(old))
    return preferences
