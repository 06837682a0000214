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
import time
from pathlib import Path

from mnist_pad.files import atomic
from mnist_pad.files.regular import TooLarge, read_small

SETTINGS_NAME = "settings.json"
#: A settings file larger than this is not ours: read as empty.
MAX_BYTES = 2**20
#: The values a file may hold; anything else reads as absent.
PLAIN = (str, int, float, bool)
log = logging.getLogger("mnist_pad")


#: A number written with more digits than this is not one of ours (Python refuses to parse past 4,300).
MAX_NUMBER_DIGITS = 40
#: Where an unreadable settings file is kept, beside it, before anything is written over it.
UNREADABLE_SUFFIX = ".unreadable-"


def _number_or_none(parse):
    return lambda text: parse(text) if len(text) <= MAX_NUMBER_DIGITS else None


def _parse(raw: bytes | str) -> object:
    """JSON as leniently as can be done safely: a byte that is not UTF-8 becomes U+FFFD (only the
    value holding it is spoiled), a number of thousands of digits becomes null."""
    return json.loads(
        raw.decode("utf-8", errors="replace") if isinstance(raw, bytes) else raw,
        parse_int=_number_or_none(int),
        parse_float=_number_or_none(float),
    )


def _read(path: Path) -> tuple[dict[str, str | int | float | bool], bool]:
    """The plain values of the settings file, and whether the file held something that could not
    be read whole (then it is kept aside before the first write)."""
    try:
        raw = read_small(path, MAX_BYTES)
    except FileNotFoundError:
        return {}, False
    except OSError as exc:  # a folder, a pipe, too large, unreadable
        log.warning("%s: not readable (%s); using the defaults", path, exc.strerror or type(exc).__name__)
        return {}, isinstance(exc, TooLarge)
    try:
        record = _parse(raw)
    except (ValueError, RecursionError) as exc:
        log.warning("%s: not readable (%s); using the defaults, and keeping the file aside", path, type(exc).__name__)
        return _salvage(raw), True
    if not isinstance(record, dict):
        return {}, bool(raw.strip())
    replaced = b"\xef\xbf\xbd" not in raw  # a U+FFFD in a value is then a byte that was not UTF-8
    values = {
        k: v
        for k, v in record.items()
        if isinstance(v, PLAIN) and not (replaced and "\ufffd" in k + (v if isinstance(v, str) else ""))
    }
    return values, len(values) != len(record)


def _salvage(raw: bytes) -> dict[str, str | int | float | bool]:
    """The top-level "key": plain value pairs of a file that is not JSON as a whole (one value
    nested thousands deep, a broken tail): each one-line pair that parses alone."""
    values: dict[str, str | int | float | bool] = {}
    for line in raw.decode("utf-8", errors="replace").splitlines():
        try:
            pair = _parse("{" + line.strip().rstrip(",") + "}")
        except (ValueError, RecursionError):
            continue
        if isinstance(pair, dict):
            values.update({k: v for k, v in pair.items() if isinstance(v, PLAIN)})
    return values


class Preferences:
    """Plain values by key ("window/geometry"), read once, written whole on every change."""

    def __init__(self, path: str | os.PathLike[str]) -> None:
        self.path = Path(path)
        self._values, self._keep_aside = _read(self.path)
        #: Where the unreadable file was kept, once it was (the log says so too).
        self.kept_aside: Path | None = None

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
            if self._keep_aside:
                self._move_aside()
            atomic.write_text(self.path, json.dumps(self._values, indent=1, sort_keys=True) + "\n")
        except OSError as exc:
            log.warning("%s: cannot be saved (%s)", self.path, exc.strerror or exc)
            return False
        return True

    def _move_aside(self) -> None:
        """Keep the file that could not be read whole under a name of its own: what it held
        that the pad could not read is the person's, not the pad's to overwrite."""
        aside = self.path.with_name(f"{self.path.name}{UNREADABLE_SUFFIX}{time.strftime('%Y%m%d-%H%M%S')}")
        if self.path.is_file() and not self.path.is_symlink():
            os.replace(self.path, aside)
            self.kept_aside = aside
            log.warning("%s: could not be read whole; kept as %s", self.path, aside)
        self._keep_aside = False


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
