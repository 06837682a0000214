"""Saving corrections off the GUI thread, one at a time and in order.

A save appends a line and fsyncs (samples.py): milliseconds on a quiet disk,
far more on a busy or network one, and the pad must never stutter for it.
"""

from __future__ import annotations

from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

import numpy as np
from PySide6.QtCore import QObject, Signal

from mnist_pad.ink.drawing import Drawing
from mnist_pad.ink.strokes import StrokeSample
from mnist_pad.person.samples import SampleStore


@dataclass
class Ticket:
    """One save handed to the writer: what was saved, once it was (None until then, or if it failed)."""

    sample: StrokeSample | None = None


class SampleWriter(QObject):
    """Appends samples to `store` on one background thread; reports back through queued signals."""

    saved = Signal(int)  # the digit saved
    saveFailed = Signal(str, object)  # the message, and the Drawing that was not saved
    takenBack = Signal(int)  # the digit of a sample removed again (an undone correction)
    takeBackFailed = Signal(str)
    _caughtUp = Signal(object)  # a callback to run on the receiver's (GUI) thread

    def __init__(self, store: SampleStore, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.store = store
        self._pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="sample-writer")
        self._queued = 0  # saves handed over and not yet finished (touched on the GUI thread only)
        self._caughtUp.connect(self._run)

    @property
    def pending(self) -> int:
        """How many saves are still on their way to the disk."""
        return self._queued

    def add(self, drawing: Drawing, label: int, image: np.ndarray) -> Ticket:
        """Save a sample, off this thread; the ticket names it for `take_back`."""
        ticket = Ticket()
        self._queued += 1
        self._pool.submit(self._add, drawing, label, image, ticket).add_done_callback(
            lambda _: self._caughtUp.emit(self._one_done)
        )
        return ticket

    def take_back(self, ticket: Ticket) -> None:
        """Remove the sample `ticket` saved (after its save: one worker, in order); nothing if it failed."""
        self._queued += 1
        self._pool.submit(self._take_back, ticket).add_done_callback(lambda _: self._caughtUp.emit(self._one_done))

    def _take_back(self, ticket: Ticket) -> None:
        if ticket.sample is None:
            return
        try:
            self.store.delete([ticket.sample])
        except OSError as exc:
            self.takeBackFailed.emit(f"{self.store.path}: {exc.strerror or exc}")
        else:
            self.takenBack.emit(ticket.sample.label)

    def _one_done(self) -> None:
        self._queued -= 1

    def after_saves(self, callback: Callable[[], None]) -> None:
        """Run `callback` on the GUI thread once every sample added so far is on disk (or has failed),
        without waiting here: the window stays live while another program holds the samples file."""
        self._pool.submit(lambda: None).add_done_callback(lambda _: self._caughtUp.emit(callback))

    def _run(self, callback: Callable[[], None]) -> None:
        callback()

    def _add(self, drawing: Drawing, label: int, image: np.ndarray, ticket: Ticket) -> None:
        try:
            ticket.sample = self.store.add(drawing, label, image)
        except OSError as exc:
            self.saveFailed.emit(f"{self.store.path}: {exc.strerror or exc}", drawing)
        except Exception as exc:  # a bug must still reach the person, not vanish in the pool
            self.saveFailed.emit(f"{self.store.path}: {type(exc).__name__}: {exc}", drawing)
        else:
            self.saved.emit(label)

    def wait(self) -> None:
        """Return once every sample added so far is on disk, saved aside or has failed: one worker, in
        order, and each save gives up on a held lock after `store.lock_timeout_s` (closing the window)."""
        self._pool.submit(lambda: None).result()
