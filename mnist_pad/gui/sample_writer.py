"""Saving corrections off the GUI thread, one at a time and in order.

A save appends a line and fsyncs (samples.py): milliseconds on a quiet disk,
far more on a busy or network one, and the pad must never stutter for it.
"""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

import numpy as np
from PySide6.QtCore import QObject, Signal

from ..drawing import Drawing
from ..samples import SampleStore


class SampleWriter(QObject):
    """Appends samples to `store` on one background thread; reports back through queued signals."""

    saved = Signal(int)  # the digit saved
    saveFailed = Signal(str, object)  # the message, and the Drawing that was not saved

    def __init__(self, store: SampleStore, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.store = store
        self._pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="sample-writer")

    def add(self, drawing: Drawing, label: int, image: np.ndarray) -> None:
        self._pool.submit(self._add, drawing, label, image)

    def _add(self, drawing: Drawing, label: int, image: np.ndarray) -> None:
        try:
            self.store.add(drawing, label, image)
        except OSError as exc:
            self.saveFailed.emit(f"{self.store.path}: {exc.strerror or exc}", drawing)
        except Exception as exc:  # a bug must still reach the person, not vanish in the pool
            self.saveFailed.emit(f"{self.store.path}: {type(exc).__name__}: {exc}", drawing)
        else:
            self.saved.emit(label)

    def wait(self) -> None:
        """Return once every sample added so far is on disk (or has failed): one worker, in order."""
        self._pool.submit(lambda: None).result()
