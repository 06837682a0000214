"""Which model is in use: the person's accepted model, else the bundled one.

The person's models live in their data folder (the GUI passes Qt's
AppDataLocation), each in a folder of its own under `models/`, written whole
before a small pointer file, `model-in-use.txt`, is switched to it with one
atomic rename. A full disk or a crash at any moment leaves either the old
model in use or the new one, never a mix of their files. The bundled model
under assets/ is never written.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import time
from pathlib import Path

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

    def accept(self, keras_path: str | os.PathLike[str], litert_model: bytes) -> Path:
        """Make a model the one in use: all its files into a new folder, then the pointer
        switched to it; then every other version folder goes. On any failure (OSError,
        LockTimeout included) the model in use is unchanged."""
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
                atomic.write_text(self.pointer, name + "\n")  # the one step that switches
            except OSError:
                self._remove_version(folder)
                raise
            self._remove_versions(keep=name)
        return target

    def revert(self) -> None:
        """Forget the person's model; the bundled one is in use again."""
        legacy = self.data_dir / LEGACY_MODEL
        with self._locked():
            # The pointer to the bundled model's absence first; an earlier version's files too.
            with contextlib.suppress(FileNotFoundError):
                self.pointer.unlink()
            for path in (litert_path_for(legacy), legacy, metrics_path_for(legacy)):
                with contextlib.suppress(FileNotFoundError):
                    path.unlink()
            self._remove_versions(keep=None)

    def tidy(self) -> int:
        """Remove version folders left behind (two windows accepting at once, a crash):
        every one but the version in use. Skipped when another window holds the lock.
        Returns how many went."""
        if not self.models_dir.is_dir():
            return 0
        try:
            with self._locked(timeout_s=0):
                return self._remove_versions(keep=self._version_in_use())
        except OSError:  # busy, or not ours to change: next time
            return 0

    def _remove_versions(self, keep: str | None) -> int:
        """Every version folder but `keep`; the lock must be held."""
        removed = 0
        with contextlib.suppress(OSError):
            for entry in list(self.models_dir.iterdir()):
                if entry.name != keep and is_version_name(entry.name):
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
