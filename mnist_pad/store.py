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

from . import atomic
from .model_io import current_litert_path, litert_path_for, metrics_path_for
from .resources import bundled_model

POINTER_NAME = "model-in-use.txt"
#: Where versions before 0.2 kept the person's model: still used when no pointer exists.
LEGACY_MODEL = "model.keras"
MODELS_DIR = "models"
MODEL_NAME = "model.keras"


class ModelStore:
    def __init__(self, data_dir: str | os.PathLike[str], bundled: Path | None = None) -> None:
        self.data_dir = Path(data_dir)
        self.bundled = bundled or bundled_model()

    @property
    def pointer(self) -> Path:
        return self.data_dir / POINTER_NAME

    @property
    def user_model(self) -> Path:
        """The person's model in use (which may not exist: then the bundled one is used)."""
        try:
            name = self.pointer.read_text(encoding="utf-8").strip()
        except FileNotFoundError:
            return self.data_dir / LEGACY_MODEL  # an earlier version's model, if any
        except (OSError, UnicodeDecodeError):
            name = ""
        folder = self.data_dir / MODELS_DIR / Path(name).name if name else self.data_dir / MODELS_DIR / "none"
        return folder / MODEL_NAME

    def active(self) -> Path:
        """The model to use at start-up."""
        model = self.user_model
        return model if current_litert_path(model) is not None else self.bundled

    def is_bundled(self, path: Path) -> bool:
        return Path(path).resolve() == self.bundled.resolve()

    def accept(self, keras_path: str | os.PathLike[str], litert_model: bytes) -> Path:
        """Make a model the one in use: all its files into a new folder, then the pointer
        switched to it. On any failure (OSError) the model in use is unchanged."""
        source = Path(keras_path)
        folder = self.data_dir / MODELS_DIR / time.strftime(f"%Y%m%d-%H%M%S-{os.getpid()}-{time.monotonic_ns()}")
        target = folder / MODEL_NAME
        try:
            folder.mkdir(parents=True)
            atomic.write_bytes(target, source.read_bytes())
            if metrics_path_for(source).is_file():
                atomic.write_bytes(metrics_path_for(target), metrics_path_for(source).read_bytes())
            atomic.write_bytes(litert_path_for(target), litert_model)
            previous = self.user_model.parent
            atomic.write_text(self.pointer, folder.name + "\n")  # the one step that switches
        except OSError:
            shutil.rmtree(folder, ignore_errors=True)
            raise
        if previous not in (folder, self.data_dir):  # never the data folder itself (an earlier version's model)
            shutil.rmtree(previous, ignore_errors=True)
        return target

    def revert(self) -> None:
        """Forget the person's model; the bundled one is in use again."""
        model = self.user_model
        legacy = self.data_dir / LEGACY_MODEL
        # The pointer to the bundled model's absence first; an earlier version's files too.
        with contextlib.suppress(FileNotFoundError):
            self.pointer.unlink()
        for path in (litert_path_for(legacy), legacy, metrics_path_for(legacy)):
            with contextlib.suppress(FileNotFoundError):
                path.unlink()
        if model.parent != self.data_dir:
            shutil.rmtree(model.parent, ignore_errors=True)
