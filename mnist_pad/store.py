"""Which model is in use: the person's accepted model, else the bundled one.

The person's model lives in their data folder (the GUI passes Qt's
AppDataLocation); the bundled model under assets/ is never written.
"""

from __future__ import annotations

import contextlib
import os
from pathlib import Path

from . import atomic
from .model_io import fast_path_for, metrics_path_for
from .resources import bundled_model

USER_MODEL_NAME = "model.keras"


class ModelStore:
    def __init__(self, data_dir: str | os.PathLike[str], bundled: Path | None = None) -> None:
        self.data_dir = Path(data_dir)
        self.bundled = bundled or bundled_model()

    @property
    def user_model(self) -> Path:
        return self.data_dir / USER_MODEL_NAME

    def active(self) -> Path:
        """The model to use at start-up."""
        model, fast = self.user_model, fast_path_for(self.user_model)
        if model.is_file() and fast.is_file() and fast.stat().st_mtime >= model.stat().st_mtime:
            return model
        return self.bundled

    def is_bundled(self, path: Path) -> bool:
        return Path(path).resolve() == self.bundled.resolve()

    def accept(self, keras_path: str | os.PathLike[str], fast_model: bytes) -> Path:
        """Make a model the one in use: copy its .keras (and metrics) in, write its
        LiteRT form beside it. Each write is atomic; the .tflite goes last, so a
        half-done accept is not taken for a model (see `active`)."""
        source = Path(keras_path)
        atomic.write_bytes(self.user_model, source.read_bytes())
        metrics = metrics_path_for(source)
        if metrics.is_file():
            atomic.write_bytes(metrics_path_for(self.user_model), metrics.read_bytes())
        else:
            with contextlib.suppress(FileNotFoundError):
                metrics_path_for(self.user_model).unlink()
        atomic.write_bytes(fast_path_for(self.user_model), fast_model)
        return self.user_model

    def revert(self) -> None:
        """Forget the person's model; the bundled one is in use again."""
        # The .tflite first: without it the rest is no longer taken for a model.
        for path in (
            fast_path_for(self.user_model),
            self.user_model,
            fast_path_for(self.user_model),
            metrics_path_for(self.user_model),
        ):
            with contextlib.suppress(FileNotFoundError):
                path.unlink()
