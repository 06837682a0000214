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
import os
import shutil
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from mnist_pad.files import atomic, locking
from mnist_pad.model.model_io import current_litert_path, litert_path_for, metrics_path_for
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
        models/; None for a missing, garbled or hostile pointer ('..', '/', a path)."""
        try:
            with open(self.pointer, "rb") as f:
                raw = f.read(POINTER_MAX_BYTES + 1)
            name = raw.decode("utf-8").strip()
        except (OSError, UnicodeDecodeError):
            return None
        if len(raw) > POINTER_MAX_BYTES or not is_version_name(name):
            return None
        folder = self.models_dir / name
        return name if folder.is_dir() and not folder.is_symlink() else None

    @property
    def user_model(self) -> Path:
        """The person's model in use (which may not exist: then the bundled one is used)."""
        if not self.pointer.exists() and not self.pointer.is_symlink():
            return self.data_dir / LEGACY_MODEL  # an earlier version's model, if any
        name = self._version_in_use()
        return self.models_dir / (name or ".none") / MODEL_NAME

    def active(self) -> Path:
        """The model to use at start-up."""
        model = self.user_model
        return model if current_litert_path(model) is not None else self.bundled

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

    def use(self, version: str) -> Path:
        """Switch to a version of the history (nothing is removed). ValueError if it is not a whole one."""
        with self._locked():
            if version not in {v.folder.name for v in self._versions()}:
                raise ValueError(f"{version}: no such model in {self.models_dir}")
            atomic.write_text(self.pointer, version + "\n")
        return self.models_dir / version / MODEL_NAME

    def use_bundled(self) -> None:
        """The bundled model is in use again. Nothing is removed: the person's models stay in the history."""
        with self._locked():
            atomic.write_text(self.pointer, BUNDLED_POINTER + "\n")

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

    def tidy(self) -> int:
        """Remove what a crash left behind: version folders without a whole model (no .keras or no
        .tflite), never a whole one, which is in the person's history. Skipped when another window
        holds the lock (it may be writing one). Returns how many went."""
        if not self.models_dir.is_dir():
            return 0
        try:
            with self._locked(timeout_s=0):
                keep = {v.folder.name for v in self._versions()} | {self._version_in_use()}
                return self._remove_versions(keep=keep)
        except OSError:  # busy, or not ours to change: next time
            return 0

    def _versions(self) -> list[Version]:
        """Every whole version folder (a model and its LiteRT form)."""
        in_use = self._version_in_use()
        found = []
        with contextlib.suppress(OSError):
            for folder in self.models_dir.iterdir():
                model = folder / MODEL_NAME
                whole = model.is_file() and litert_path_for(model).is_file()
                if is_version_name(folder.name) and not folder.is_symlink() and whole:
                    found.append(Version.of(folder, folder.name == in_use))
        return found

    def _remove_versions(self, keep: set[str | None]) -> int:
        """Every version folder not in `keep`; the lock must be held."""
        removed = 0
        with contextlib.suppress(OSError):
            for entry in list(self.models_dir.iterdir()):
                if entry.name not in keep and is_version_name(entry.name):
                    removed += self._remove_version(entry)
        return removed

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


def _read_info(folder: Path) -> dict[str, Any]:
    """A version's info.json: plain values only; {} when missing or garbled."""
    try:
        with open(folder / INFO_NAME, "rb") as f:
            record = json.loads(f.read(INFO_MAX_BYTES).decode("utf-8"))
    except (OSError, ValueError, RecursionError):
        return {}
    return record if isinstance(record, dict) else {}


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
        info = _read_info(folder)
        stat = (folder / MODEL_NAME).stat()
        figures = info.get("figures") if isinstance(info.get("figures"), dict) else {}
        created = info.get("created")
        size = sum(f.stat().st_size for f in folder.iterdir() if f.is_file())
        return cls(
            folder=folder,
            name=str(info.get("name") or folder.name)[:80],
            created=float(created) if isinstance(created, int | float) else stat.st_mtime,
            origin=str(info.get("origin", "")),
            figures={k: float(v) for k, v in figures.items() if isinstance(v, int | float)},
            size_bytes=size,
            in_use=in_use,
        )
