"""The person's own samples: drawings with the digit they really are.

One JSON object a line, the pen-digit format (strokes in canvas units) plus
`time` and `image` (the 28x28 input as 1,568 hex digits), so sample files
and stroke datasets are interchangeable. Adding appends one line and fsyncs:
a crash can at worst leave one half-written last line, which reading reports
and skips; every earlier sample survives. Deleting re-reads the file and
removes exactly the chosen samples, keeping everything else, unreadable lines
included, and rewrites it atomically. Appending and deleting hold a lock
file, so two windows (or two instances of the app) never lose each other's
samples.
"""

from __future__ import annotations

import contextlib
import os
import time
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

try:
    import fcntl
except ImportError:  # Windows: no advisory locks
    fcntl = None  # type: ignore[assignment]

import numpy as np

from . import atomic
from .drawing import Drawing
from .errors import DataError
from .render import network_input
from .strokes import StrokeSample, parse_sample, read_stroke_file

SAMPLES_NAME = "samples.jsonl"


def encode_image(image: np.ndarray) -> str:
    return (np.clip(image, 0, 1) * 255).round().astype(np.uint8).tobytes().hex()


def decode_image(text: str) -> np.ndarray:
    raw = bytes.fromhex(text)
    if len(raw) != 28 * 28:
        raise ValueError("image must be 784 bytes")
    return np.frombuffer(raw, np.uint8).reshape(28, 28).astype(np.float32) / 255


def sample_image(sample: StrokeSample) -> np.ndarray | None:
    """The stored 28x28 image, or one rendered from the strokes (imported files)."""
    try:
        return decode_image(sample.extra["image"])
    except (KeyError, TypeError, ValueError):
        return network_input(Drawing.of(sample.strokes))


class SampleStore:
    def __init__(self, data_dir: str | os.PathLike[str]) -> None:
        self.path = Path(data_dir) / SAMPLES_NAME

    def load(self) -> tuple[list[StrokeSample], list[str]]:
        """All readable samples, and a 'line N: reason' for each unreadable line."""
        if not self.path.is_file() or self.path.stat().st_size == 0:
            return [], []
        try:
            return read_stroke_file(self.path)
        except DataError as exc:  # only unreadable lines: report them, lose nothing else
            return [], [str(exc)]

    def add(self, drawing: Drawing, label: int, image: np.ndarray) -> StrokeSample:
        sample = StrokeSample(
            label=label,
            strokes=[list(s) for s in drawing.strokes],
            source="mnist-pad",
            writer="me",
            extra={"time": time.strftime("%Y-%m-%dT%H:%M:%S"), "image": encode_image(image)},
        )
        self._append([sample])
        return sample

    @contextlib.contextmanager
    def _locked(self) -> Iterator[None]:
        """An exclusive lock on the samples file for a read-modify-write (POSIX; elsewhere none)."""
        self.path.parent.mkdir(parents=True, exist_ok=True)
        with open(self.path.with_name(self.path.name + ".lock"), "a") as lock:
            if fcntl is not None:
                fcntl.flock(lock, fcntl.LOCK_EX)
            try:
                yield
            finally:
                if fcntl is not None:
                    fcntl.flock(lock, fcntl.LOCK_UN)

    def _append(self, samples: list[StrokeSample]) -> None:
        with self._locked(), open(self.path, "a+b") as f:
            f.seek(0, os.SEEK_END)
            if f.tell() > 0:  # never glue a line onto a half-written one
                f.seek(-1, os.SEEK_END)
                if f.read(1) != b"\n":
                    f.write(b"\n")
            f.write("".join(s.to_json() + "\n" for s in samples).encode())
            f.flush()
            os.fsync(f.fileno())

    def delete(self, doomed: list[StrokeSample]) -> int:
        """Remove these samples (one line each, matched by content) from the file as it is now,
        whoever added to it since it was read; every other line stays as it was. Returns how many went."""
        wanted = Counter(sample.to_json() for sample in doomed)
        with self._locked():
            try:
                lines = self.path.read_text(encoding="utf-8", errors="replace").splitlines(keepends=True)
            except FileNotFoundError:
                return 0
            kept = []
            for line in lines:
                try:
                    key = parse_sample(line).to_json() if line.strip() else None
                except ValueError:
                    key = None  # unreadable: kept as it is, never dropped silently
                if key is not None and wanted[key] > 0:
                    wanted[key] -= 1
                    continue
                kept.append(line if line.endswith("\n") else line + "\n")
            atomic.write_text(self.path, "".join(kept))
        return len(doomed) - sum(wanted.values())

    def import_file(self, path: str | os.PathLike[str]) -> tuple[int, list[str]]:
        """Append the valid samples of a stroke file; return how many, and the bad lines."""
        samples, problems = read_stroke_file(path)
        self._append(samples)
        return len(samples), problems

    def export(self, target: str | os.PathLike[str], samples: list[StrokeSample]) -> None:
        atomic.write_text(target, "".join(s.to_json() + "\n" for s in samples))


def training_arrays(samples: list[StrokeSample]) -> tuple[np.ndarray, np.ndarray]:
    """(n, 28, 28) float32 images and (n,) labels of the samples that have ink."""
    pairs = [(sample_image(s), s.label) for s in samples]
    pairs = [(image, label) for image, label in pairs if image is not None]
    images = np.array([image for image, _ in pairs], dtype=np.float32).reshape(-1, 28, 28)
    return images, np.array([label for _, label in pairs], dtype=np.int64)
