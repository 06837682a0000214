"""Reading a small file of ours without ever blocking or reading without end.

A pipe (FIFO) where a settings or info file should be would make a plain
`open()` wait for a writer for ever; a device (/dev/zero) would never end.
Opening without blocking, then checking on the open descriptor that it is a
regular file, closes both holes with no race between the check and the read.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path


class NotRegularFile(OSError):
    """The path is a folder, a pipe, a device or a socket: nothing of ours."""


class TooLarge(OSError):
    """The file holds more than the caller's limit: not one of ours."""


def read_small(path: str | os.PathLike[str], max_bytes: int) -> bytes:
    """The bytes of the regular file at `path`, at most `max_bytes` of them.

    Raises FileNotFoundError and the other OSErrors of opening, NotRegularFile
    for anything but a regular file, TooLarge past `max_bytes`."""
    fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0))
    try:
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            raise NotRegularFile(f"{path}: not a regular file")
        chunks: list[bytes] = []
        size = 0
        while size <= max_bytes:
            chunk = os.read(fd, min(65536, max_bytes + 1 - size))
            if not chunk:
                break
            chunks.append(chunk)
            size += len(chunk)
    finally:
        os.close(fd)
    if size > max_bytes:
        raise TooLarge(f"{path}: larger than {max_bytes:,} bytes")
    return b"".join(chunks)


def is_regular_file(path: Path) -> bool:
    """Whether `path` is a regular file (a link to one counts); False for any error of asking."""
    try:
        return stat.S_ISREG(path.stat().st_mode)
    except (OSError, ValueError):
        return False
