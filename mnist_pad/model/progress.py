"""Where a training is, as the worker and the window see it: no Keras here, so the GUI and
the duration estimates can import it without TensorFlow."""

from __future__ import annotations

from dataclasses import dataclass

PROGRESS_INTERVAL_S = 0.1
CANCELLED = "Training was cancelled; the model in use is unchanged."


@dataclass(frozen=True)
class Progress:
    """Where training is; sent at most every PROGRESS_INTERVAL_S and at each epoch end."""

    epoch: int  # 1-based
    epochs: int
    batch: int  # batches done in this epoch
    batches: int  # batches per epoch
    loss: float
    accuracy: float
    elapsed_s: float
    val_accuracy: float | None = None  # set at the end of an epoch
    epoch_done: bool = False

    @property
    def fraction(self) -> float:
        return ((self.epoch - 1) * self.batches + self.batch) / (self.epochs * self.batches)

    @property
    def eta_s(self) -> float | None:
        done = self.fraction
        return self.elapsed_s * (1 - done) / done if done > 0 else None
