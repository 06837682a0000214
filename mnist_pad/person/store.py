"""Which model is in use: the person's accepted model, else the bundled one.

The person's models live in their data folder (the GUI passes Qt's
AppDataLocation), each in a folder of its own under `models/` with its
`info.json` (name, origin, figures), written whole before a small pointer
file, `model-in-use.txt`, is switched to it with one atomic rename. A full
disk or a crash at any moment leaves either the old model in use or the new
one, never a mix of their files. Every model kept stays in the history until
the person deletes it; switching (to the bundled model too) removes nothing.
The bundled model under assets/ is never written.
"""

from __future__ import annotations

import contextlib
import json
import math
import os
import re
import shutil
import stat
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from mnist_pad.files import atomic, locking
from mnist_pad.files.regular import is_regular_file, read_small
from mnist_pad.model.model_io import litert_path_for, metrics_path_for
from mnist_pad.resources import bundled_model

POINTER_NAME = "model-in-use.txt"
#: Where versions before 0.2 kept the person's model: still used when no pointer exists.
LEGACY_MODEL = "model.keras"
MODELS_DIR = "models"
MODEL_NAME = "model.keras"
#: Held while a model is accepted, reverted or old versions are tidied away (inside models/).
LOCK_NAME = ".lock"
#: A pointer longer than this is not one of ours.
POINTER_MAX_BYTES = 256
#: What a version knows about itself: its name, where it came from, its headline figures.
INFO_NAME = "info.json"
#: An info.json longer than this is not one of ours: read as empty.
INFO_MAX_BYTES = 16_384
#: The pointer's content when the person chose the bundled model (never a version's name).
BUNDLED_POINTER = ".bundled"
#: Past this many models, keeping another asks to remove the oldest (disk use stays bounded).
MAX_KEPT = 20
#: The names `accept` gives version folders (time, pid, a clock): the only folders tidy may remove.
OWN_VERSION_NAME = re.compile(r"\d{8}-\d{6}-\d+-\d+")
#: A version folder younger than this may still be being written by another window: tidy leaves it.
TIDY_GRACE_S = 600.0


def is_version_name(name: str) -> bool:
    """A name this store gives a version folder: one plain path component, not hidden.

    Refuses '', '.', '..', anything with a separator or a NUL, and dot-names
    (the lock, folders being written), so that a hand-edited pointer can never
    name the data folder, models/ itself, or anything outside it."""
    return (
        bool(name)
        and not name.startswith(".")
        and "/" not in name
        and "\\" not in name
        and "\0" not in name
        and Path(name).name == name
    )


class ModelStore:
    def __init__(self, data_dir: str | os.PathLike[str], bundled: Path | None = None) -> None:
        self.data_dir = Path(data_dir)
        self.bundled = bundled or bundled_model()

    @property
    def pointer(self) -> Path:
        return self.data_dir / POINTER_NAME

    @property
    def models_dir(self) -> Path:
        return self.data_dir / MODELS_DIR

    def _version_in_use(self) -> str | None:
        """The version folder the pointer names, when it names an existing one directly inside
        models/; None for a missing, garbled or hostile pointer ('..', '/', a path, a pipe)."""
        try:
            raw = read_small(self.pointer, POINTER_MAX_BYTES)
            name = raw.decode("utf-8").removesuffix("\n").removesuffix("\r")
        except (OSError, UnicodeDecodeError):
            return None
        if not is_version_name(name):
            return None
        folder = self.models_dir / name
        return name if folder.is_dir() and not folder.is_symlink() else None

    @property
    def user_model(self) -> Path | None:
        """The person's model the pointer names (which may not be whole: then the bundled one is
        used); None when it names none (the bundled model, or a pointer that is no version's)."""
        if not self.pointer.exists() and not self.pointer.is_symlink():
            legacy = self.data_dir / LEGACY_MODEL  # an earlier version's model, if any
            return legacy if is_regular_file(legacy) else None
        name = self._version_in_use()
        return None if name is None else self.models_dir / name / MODEL_NAME

    def active(self) -> Path:
        """The model to use at start-up: exactly the version the pointer names when it is whole
        (its .keras and its .tflite, whatever their times: the store wrote both), else the bundled one."""
        model = self.user_model
        if model is None or not (is_regular_file(model) and is_regular_file(litert_path_for(model))):
            return self.bundled
        return model

    def is_bundled(self, path: Path) -> bool:
        return Path(path).resolve() == self.bundled.resolve()

    def _locked(self, timeout_s: float = locking.DEFAULT_TIMEOUT_S):
        return locking.locked(self.models_dir / LOCK_NAME, timeout_s)

    def accept(
        self, keras_path: str | os.PathLike[str], litert_model: bytes, info: dict[str, Any] | None = None
    ) -> Path:
        """Make a model the one in use: all its files (and `info`: name, origin, figures) into a new
        version folder, then the pointer switched to it. Earlier versions stay in the history. On
        any failure (OSError, LockTimeout included) the model in use is unchanged."""
        source = Path(keras_path)
        with self._locked():
            name = time.strftime(f"%Y%m%d-%H%M%S-{os.getpid()}-{time.monotonic_ns()}")
            folder = self.models_dir / name
            target = folder / MODEL_NAME
            try:
                folder.mkdir(parents=True)
                atomic.write_bytes(target, source.read_bytes())
                if metrics_path_for(source).is_file():
                    atomic.write_bytes(metrics_path_for(target), metrics_path_for(source).read_bytes())
                atomic.write_bytes(litert_path_for(target), litert_model)
                record = {"name": time.strftime("%Y-%m-%d %H:%M"), "created": time.time(), **(info or {})}
                atomic.write_text(folder / INFO_NAME, json.dumps(record, indent=1) + "\n")
                atomic.write_text(self.pointer, name + "\n")  # the one step that switches
            except OSError:
                self._remove_version(folder)
                raise
        return target

    def version_model(self, version: str) -> Path:
        """The model file of a whole version of the history. ValueError if there is no such one."""
        if not is_version_name(version) or version not in {v.folder.name for v in self._versions()}:
            raise ValueError(f"{version}: no such model in {self.models_dir}")
        return self.models_dir / version / MODEL_NAME

    def use(self, version: str) -> Path:
        """Switch to a version of the history (nothing is removed). ValueError if it is not a whole
        one. Call it once the version's model has loaded, so the pointer never names a broken one."""
        with self._locked():
            model = self.version_model(version)
            atomic.write_text(self.pointer, version + "\n")
        return model

    def use_bundled(self) -> None:
        """The bundled model is in use again. Nothing is removed: the person's models stay in the history."""
        with self._locked():
            atomic.write_text(self.pointer, BUNDLED_POINTER + "\n")

    def version_at(self, model: Path) -> Version | None:
        """The version of the history whose model is `model`, or None (the bundled model, a file elsewhere)."""
        folder = Path(model).parent
        if folder.parent != self.models_dir or not is_version_name(folder.name):
            return None
        try:
            return Version.of(folder, folder.name == self._version_in_use()) if _whole(Path(model)) else None
        except OSError:
            return None

    def history(self) -> list[Version]:
        """The person's models, newest first."""
        return sorted(self._versions(), key=lambda v: v.created, reverse=True)

    def rename(self, version: str, name: str) -> None:
        name = " ".join(name.split())[:80]
        if not name:
            raise ValueError("a model needs a name")
        with self._locked():
            folder = self.models_dir / version
            if not is_version_name(version) or not (folder / MODEL_NAME).is_file():
                raise ValueError(f"{version}: no such model in {self.models_dir}")
            atomic.write_text(folder / INFO_NAME, json.dumps({**_read_info(folder), "name": name}, indent=1) + "\n")

    def delete(self, version: str) -> None:
        """Remove one version for good: what the person asked for, never the one in use."""
        with self._locked():
            if version == self._version_in_use():
                raise ValueError("the model in use cannot be deleted: use another one first")
            folder = self.models_dir / version
            if not is_version_name(version) or not folder.is_dir():
                raise ValueError(f"{version}: no such model in {self.models_dir}")
            self._remove_version(folder)

    def tidy(self, now: float | None = None) -> int:
        """Remove what a crash left behind, and nothing else: folders with the names `accept` gives
        (never a folder of the person's own), older than TIDY_GRACE_S, without a whole model, and
        not the one in use; and the pad's own stale temporary files. Nothing at all when any entry
        of models/ could not be looked at (a listing that is not complete proves nothing), or when
        another window holds the lock. Returns how many folders went."""
        now = time.time() if now is None else now
        remove_stale_temporaries(self.data_dir, now)
        if not self.models_dir.is_dir():
            return 0
        try:
            with self._locked(timeout_s=0):
                listing = self._listing()
                if listing is None or not listing.complete:
                    return 0
                in_use = self._version_in_use()
                removed = 0
                for folder in listing.crashed:
                    remove_stale_temporaries(folder, now)
                    if folder.name != in_use and _age_s(folder, now) > TIDY_GRACE_S:
                        removed += self._remove_version(folder)
                for version in listing.whole:
                    remove_stale_temporaries(version.folder, now)
                return removed
        except OSError:  # busy, or not ours to change: next time
            return 0

    def _versions(self) -> list[Version]:
        """Every whole version folder (a model and its LiteRT form) that can be read; one that
        cannot be looked at is left out, and never stops the others being listed."""
        listing = self._listing()
        return [] if listing is None else listing.whole

    def _listing(self) -> _Listing | None:
        """models/ sorted into whole versions and folders of ours a crash left incomplete; None
        when models/ itself cannot be listed. `complete` is False when any entry could not be
        looked at."""
        in_use = self._version_in_use()
        listing = _Listing()
        try:
            entries = list(os.scandir(self.models_dir))
        except OSError:
            return None
        for entry in entries:
            if not is_version_name(entry.name):
                continue
            try:
                if not stat.S_ISDIR(entry.stat(follow_symlinks=False).st_mode):
                    continue  # a link or a file: never a version, never removed here
                folder = Path(entry.path)
                if _whole(folder / MODEL_NAME):
                    listing.whole.append(Version.of(folder, entry.name == in_use))
                elif OWN_VERSION_NAME.fullmatch(entry.name) and not _any_unreadable(folder):
                    listing.crashed.append(folder)
            except OSError:  # EACCES, ESTALE, EIO, ENAMETOOLONG: this entry only
                listing.complete = False
        return listing

    def _remove_version(self, folder: Path) -> bool:
        """rmtree `folder` only if it is a real version folder directly inside models/:
        never the data folder, never models/ itself, never through a link."""
        try:
            inside = folder.parent.resolve(strict=True) == self.models_dir.resolve(strict=True)
        except OSError:
            return False
        if not inside or not is_version_name(folder.name):
            return False
        if folder.is_symlink():  # the link goes, never what it points to
            folder.unlink(missing_ok=True)
            return True
        if not folder.is_dir():
            return False
        shutil.rmtree(folder, ignore_errors=True)
        return True


def _whole(model: Path) -> bool:
    """A model and its LiteRT form, both regular files. OSError when they cannot be looked at."""
    for path in (model, litert_path_for(model)):
        try:
            if not stat.S_ISREG(path.stat().st_mode):
                return False
        except FileNotFoundError:
            return False
    return True


def _any_unreadable(folder: Path) -> bool:
    """Whether something in `folder` cannot be looked at: then it is not known to be a crashed write."""
    try:
        for entry in os.scandir(folder):
            entry.stat(follow_symlinks=False)
    except OSError:
        return True
    return False


def _age_s(folder: Path, now: float) -> float:
    try:
        return now - folder.stat(follow_symlinks=False).st_mtime
    except OSError:
        return 0.0


#: How atomic.atomic_path names its temporary files (mkstemp's eight characters), and places' probes.
_TEMPORARY = re.compile(r"\..+\.[a-z0-9_]{8}\.tmp(\.[^./]+)?|\.write-test-[a-z0-9_]{8}")


def remove_stale_temporaries(folder: Path, now: float) -> int:
    """Remove the temporary files an atomic write killed midway left in `folder` (not below it),
    once older than TIDY_GRACE_S (another window may be writing one now). Returns how many."""
    removed = 0
    try:
        entries = list(os.scandir(folder))
    except OSError:
        return 0
    for entry in entries:
        if not _TEMPORARY.fullmatch(entry.name):
            continue
        try:
            info = entry.stat(follow_symlinks=False)
            if stat.S_ISREG(info.st_mode) and now - info.st_mtime > TIDY_GRACE_S:
                os.unlink(entry.path)
                removed += 1
        except OSError:
            continue
    return removed


def _read_info(folder: Path) -> dict[str, Any]:
    """A version's info.json: plain values only; {} when missing, garbled or not a regular file."""
    try:
        record = json.loads(read_small(folder / INFO_NAME, INFO_MAX_BYTES).decode("utf-8"))
    except (OSError, ValueError, RecursionError):
        return {}
    return record if isinstance(record, dict) else {}


#: The plausible range of an info.json's numbers: figures are fractions, `created` a time since 1970.
FIGURE_RANGE = (0.0, 1.0)
CREATED_RANGE = (0.0, 2.0**33)


def _plausible(value: Any, low: float, high: float) -> float | None:
    """`value` as a float when it is a finite number (not a bool) within [low, high], else None."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    try:
        number = float(value)
    except OverflowError:  # a 5,000-digit integer
        return None
    return number if math.isfinite(number) and low <= number <= high else None


@dataclass(frozen=True)
class Version:
    """One of the person's models, as the history shows it."""

    folder: Path
    name: str
    created: float
    origin: str
    figures: dict[str, float]
    size_bytes: int
    in_use: bool

    @property
    def model(self) -> Path:
        return self.folder / MODEL_NAME

    @classmethod
    def of(cls, folder: Path, in_use: bool) -> Version:
        """The version in `folder` as info.json describes it; only finite, plausible numbers are
        taken from it (any bytes there give a row). OSError when its model cannot be looked at."""
        info = _read_info(folder)
        model_stat = (folder / MODEL_NAME).stat()
        raw_figures = info.get("figures")
        figures = {}
        for key, value in raw_figures.items() if isinstance(raw_figures, dict) else ():
            number = _plausible(value, *FIGURE_RANGE)
            if number is not None:
                figures[str(key)] = number
        created = _plausible(info.get("created"), *CREATED_RANGE)
        size = 0
        for entry in os.scandir(folder):
            with contextlib.suppress(OSError):
                entry_stat = entry.stat(follow_symlinks=False)
                size += entry_stat.st_size if stat.S_ISREG(entry_stat.st_mode) else 0
        return cls(
            folder=folder,
            name=" ".join(str(info.get("name") or folder.name).split())[:80] or folder.name,
            created=model_stat.st_mtime if created is None else created,
            origin=str(info.get("origin", ""))[:300],
            figures=figures,
            size_bytes=size,
            in_use=in_use,
        )


@dataclass
class _Listing:
    whole: list[Version] = field(default_factory=list)
    crashed: list[Path] = field(default_factory=list)
    complete: bool = True
