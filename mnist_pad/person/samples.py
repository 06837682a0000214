"""The person's own samples: drawings with the digit they really are.

One JSON object a line, the pen-digit format (strokes in canvas units) plus
`time` and `image` (the 28x28 input as 1,568 hex digits), so sample files
and stroke datasets are interchangeable. Adding appends one line and fsyncs:
a crash can at worst leave one half-written last line, which reading reports
and skips; every earlier sample survives. Deleting re-reads the file and
removes exactly the chosen samples, keeping every other line byte for byte
(unreadable ones included), and rewrites it atomically. Appending and
deleting hold a lock file, so two windows (or two instances of the app) never
lose each other's samples; a lock held too long (another program) never
hangs the pad: a new sample is then saved aside and joins the file later.
"""

from __future__ import annotations

import contextlib
import os
import time
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from mnist_pad.datasets.sample_images import encode_image
from mnist_pad.errors import DataError
from mnist_pad.files import atomic, locking
from mnist_pad.ink.drawing import Drawing
from mnist_pad.ink.strokes import MAX_LINE_BYTES, StrokeSample, parse_sample, read_stroke_file

SAMPLES_NAME = "samples.jsonl"
#: A sample saved aside while the file was locked: samples.jsonl.pending-<time>-<pid>.
PENDING_SUFFIX = ".pending-"


@dataclass(frozen=True)
class Imported:
    """What an import did: samples added, samples skipped as already there, bad lines."""

    added: int
    duplicates: int
    problems: list[str]


class SampleStore:
    def __init__(self, data_dir: str | os.PathLike[str], lock_timeout_s: float = locking.DEFAULT_TIMEOUT_S) -> None:
        self.path = Path(data_dir) / SAMPLES_NAME
        self.lock_timeout_s = lock_timeout_s

    @property
    def lock_path(self) -> Path:
        return self.path.with_name(self.path.name + ".lock")

    def pending_files(self) -> list[Path]:
        """Samples saved aside while another program held the lock, oldest first."""
        return sorted(self.path.parent.glob(self.path.name + PENDING_SUFFIX + "*"))

    def load(self) -> tuple[list[StrokeSample], list[str]]:
        """All readable samples (those saved aside included), and a 'file:N: reason' for each unreadable line."""
        samples: list[StrokeSample] = []
        problems: list[str] = []
        for path in [self.path, *self.pending_files()]:
            if not path.is_file() or path.stat().st_size == 0:
                continue
            try:
                more, bad = read_stroke_file(path)
            except DataError as exc:  # only unreadable lines: report them, lose nothing else
                more, bad = [], [str(exc)]
            samples += more
            problems += bad
        return samples, problems

    def add(self, drawing: Drawing, label: int, image: np.ndarray) -> StrokeSample:
        """Append a sample. When another program holds the lock past the time limit, the sample
        is saved aside in a file of its own and joins the others at the next save or delete."""
        sample = StrokeSample(
            label=label,
            strokes=[list(s) for s in drawing.strokes],
            source="mnist-pad",
            writer="me",
            extra={"time": time.strftime("%Y-%m-%dT%H:%M:%S"), "image": encode_image(image)},
        )
        try:
            self._append([sample])
        except locking.LockTimeout:
            aside = self.path.with_name(f"{self.path.name}{PENDING_SUFFIX}{time.time_ns()}-{os.getpid()}")
            atomic.write_text(aside, sample.to_json() + "\n")
        return sample

    def _locked(self, timeout_s: float | None = None) -> contextlib.AbstractContextManager[None]:
        """An exclusive lock on the samples file for a read-modify-write (POSIX; elsewhere none)."""
        return locking.locked(self.lock_path, self.lock_timeout_s if timeout_s is None else timeout_s)

    def _append(self, samples: list[StrokeSample]) -> None:
        with self._locked():
            self._append_locked("".join(s.to_json() + "\n" for s in samples).encode())
            self._take_in_pending()

    def _append_locked(self, data: bytes) -> None:
        """Append `data` whole or not at all: a write that fails (a full disk) is cut back to the
        length before it, so no half line is left to be reported as unreadable for ever."""
        with open(self.path, "a+b") as f:
            f.seek(0, os.SEEK_END)
            before = f.tell()
            try:
                if before > 0:  # never glue a line onto a half-written one
                    f.seek(-1, os.SEEK_END)
                    if f.read(1) != b"\n":
                        f.write(b"\n")
                f.write(data)
                f.flush()
                os.fsync(f.fileno())
            except OSError:
                with contextlib.suppress(OSError):
                    f.truncate(before)
                    os.fsync(f.fileno())
                raise

    def _take_in_pending(self) -> None:
        """Move samples saved aside into the file (the lock is held): appended first, then removed."""
        for aside in self.pending_files():
            try:
                data = aside.read_bytes() if aside.is_file() and aside.stat().st_size <= MAX_LINE_BYTES else b""
            except OSError:
                continue
            if data:
                self._append_locked(data if data.endswith(b"\n") else data + b"\n")
            aside.unlink(missing_ok=True)

    def delete(self, doomed: list[StrokeSample], timeout_s: float | None = None) -> int:
        """Remove these samples (one line each, matched by content) from the file as it is now,
        whoever added to it since it was read; every other line stays byte for byte, unreadable
        ones included. Returns how many went. LockTimeout when the file stays busy."""
        wanted = Counter(sample.to_json() for sample in doomed)
        with self._locked(timeout_s):
            self._take_in_pending()
            if not self.path.is_file():
                return 0
            data = self.path.read_bytes()
            lines = [line + b"\n" for line in data.split(b"\n")]
            lines[-1] = lines[-1][:-1]  # what follows the last newline: b"" or a line without one
            kept = []
            for line in lines:
                key = None
                if line.strip() and len(line) <= MAX_LINE_BYTES:
                    try:
                        key = parse_sample(line.decode("utf-8", errors="replace")).to_json()
                    except ValueError:
                        key = None  # unreadable: kept as it is, never dropped silently
                if key is not None and wanted[key] > 0:
                    wanted[key] -= 1
                    continue
                kept.append(line)
            atomic.write_bytes(self.path, b"".join(kept))
        return len(doomed) - sum(wanted.values())

    def restore(self, samples: list[StrokeSample]) -> None:
        """Append samples again, exactly as they were (an undone delete)."""
        if samples:
            self._append(samples)

    def import_file(self, path: str | os.PathLike[str]) -> Imported:
        """Append the valid samples of a stroke file that are not here already (the same drawing,
        digit and time: a file imported twice, or one exported from here), each once."""
        samples, problems = read_stroke_file(path)
        with self._locked():
            self._take_in_pending()
            seen = {sample.to_json() for sample in self.load()[0]}
            new = []
            for sample in samples:
                key = sample.to_json()
                if key not in seen:
                    seen.add(key)
                    new.append(sample)
            if new:
                self._append_locked("".join(s.to_json() + "\n" for s in new).encode())
        return Imported(len(new), len(samples) - len(new), problems)

    def export(self, target: str | os.PathLike[str], samples: list[StrokeSample]) -> None:
        atomic.write_text(target, "".join(s.to_json() + "\n" for s in samples))
