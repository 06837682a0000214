"""Keras's training events as our `Progress` reports, with a cancel checked after every batch.

Imported only inside `training.fit`: it imports Keras.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

import keras

from mnist_pad.errors import TrainingCancelled
from mnist_pad.model.progress import CANCELLED, PROGRESS_INTERVAL_S, Progress


class ProgressCallback(keras.callbacks.Callback):
    """Forwards batch and epoch events to plain callables; epochs and steps come from Keras's `params`."""

    def __init__(
        self,
        on_progress: Callable[[Progress], None] | None = None,
        should_cancel: Callable[[], bool] | None = None,
    ) -> None:
        super().__init__()
        self.on_progress = on_progress
        self.should_cancel = should_cancel
        self.started = time.perf_counter()
        self.last_sent = 0.0
        self.epoch = 0

    def check_cancel(self) -> None:
        # Raise rather than set `model.stop_training`: that ends `fit` as if it had
        # finished, handing back a half-trained model, and lets evaluation run on.
        if self.should_cancel is not None and self.should_cancel():
            raise TrainingCancelled(CANCELLED)

    def _send(self, batch: int, logs: dict, **extra: Any) -> None:
        if self.on_progress is None:
            return
        self.on_progress(
            Progress(
                epoch=self.epoch + 1,
                epochs=self.params["epochs"],
                batch=batch,
                batches=self.params.get("steps") or batch,
                loss=float(logs.get("loss", float("nan"))),
                accuracy=float(logs.get("accuracy", float("nan"))),
                elapsed_s=time.perf_counter() - self.started,
                **extra,
            )
        )

    def on_epoch_begin(self, epoch: int, logs: dict | None = None) -> None:
        self.epoch = epoch

    def on_train_batch_end(self, batch: int, logs: dict | None = None) -> None:
        self.check_cancel()
        now = time.perf_counter()
        if now - self.last_sent >= PROGRESS_INTERVAL_S:
            self.last_sent = now
            self._send(batch + 1, logs or {})

    def on_test_batch_end(self, batch: int, logs: dict | None = None) -> None:
        self.check_cancel()

    def on_epoch_end(self, epoch: int, logs: dict | None = None) -> None:
        logs = logs or {}
        val = logs.get("val_accuracy")
        steps = self.params.get("steps") or 1
        self._send(steps, logs, val_accuracy=None if val is None else float(val), epoch_done=True)
