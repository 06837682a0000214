"""An advisory lock file with a time limit: a lock held by another process (a second
window, a stuck program) makes us wait a while and then say so, never hang.

POSIX only (flock); elsewhere the lock is a no-op and the callers' atomic writes
are all the protection there is.
"""

from __future__ import annotations

import contextlib
import os
import time
from collections.abc import Iterator
from pathlib import Path

try:
    import fcntl
except ImportError:  # Windows: no advisory locks
    fcntl = None  # type: ignore[assignment]

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
    with open(lock_path, "a") as lock:
        if fcntl is not None:
            deadline = time.monotonic() + timeout_s
            while True:
                try:
                    fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
                    break
                except BlockingIOError:
                    if time.monotonic() >= deadline:
                        raise LockTimeout(lock_path, timeout_s) from None
                    time.sleep(_POLL_S)
        try:
            yield
        finally:
            if fcntl is not None:
                fcntl.flock(lock, fcntl.LOCK_UN)
