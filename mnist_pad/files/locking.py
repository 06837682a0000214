"""An advisory lock file with a time limit: a lock held by another process (a second
window, a stuck program) makes us wait a while and then say so, never hang.

The lock itself is filelock's: flock on Linux and macOS, msvcrt's locking on
Windows, the same for every caller on every system (the README says why a
library and not our own).
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Iterator
from pathlib import Path

import filelock

#: How long to wait for a lock another process holds before giving up.
DEFAULT_TIMEOUT_S = 5.0
_POLL_S = 0.05


class LockTimeout(OSError):
    """Another process held the lock for longer than we were willing to wait."""

    def __init__(self, lock_path: Path, waited_s: float) -> None:
        super().__init__(
            f"{lock_path} is held by another program (another MNIST Pad window?); gave up after {waited_s:.0f} s"
        )
        self.strerror = str(self)
        self.lock_path = lock_path


@contextlib.contextmanager
def locked(lock_path: str | os.PathLike[str], timeout_s: float = DEFAULT_TIMEOUT_S) -> Iterator[None]:
    """Hold an exclusive lock on `lock_path` (created if missing) for the `with` block.

    Raises LockTimeout when another process holds it for more than `timeout_s`
    (0: try once)."""
    lock_path = Path(lock_path)
    lock_path.parent.mkdir(parents=True, exist_ok=True)
    # Not thread-local and not a singleton: each `with` is one holder, as another program would be.
    lock = filelock.FileLock(lock_path, thread_local=False, is_singleton=False)
    try:
        lock.acquire(timeout=max(0.0, timeout_s), poll_interval=_POLL_S)
    except filelock.Timeout:
        raise LockTimeout(lock_path, timeout_s) from None
    try:
        yield
    finally:
        lock.release()
