"""How long a training will take: from the throughput measured on this machine
the last time, else from the reference machine's (presets.py)."""

from __future__ import annotations

from mnist_pad.model.progress import Progress


def samples_per_second(progress: Progress, batch_size: int) -> float | None:
    """The throughput a training showed so far (None before its first batch)."""
    batches = (progress.epoch - 1) * progress.batches + progress.batch
    if batches == 0 or progress.elapsed_s <= 0:
        return None
    return batches * batch_size / progress.elapsed_s


#: A measured speed this many times off the reference machine's is not believed: a garbled
#: or hand-edited setting, not a computer.
PLAUSIBLE_FACTOR = 50.0


def plausible_rates(reference: float) -> tuple[float, float]:
    """The lowest and highest images per second believed, given the reference machine's."""
    return reference / PLAUSIBLE_FACTOR, reference * PLAUSIBLE_FACTOR


def estimate_seconds(samples_per_epoch: int, epochs: int, rate: float) -> float:
    """Seconds for `epochs` passes over `samples_per_epoch` images at `rate` images per second."""
    return samples_per_epoch * epochs / max(rate, 1e-9)


def format_duration(seconds: float) -> str:
    seconds = max(0, round(seconds))
    return f"{seconds // 60}:{seconds % 60:02d}" if seconds >= 60 else f"{seconds} s"
