"""MNIST as uint8 arrays, from the original IDX files or Keras's download.

Where the data comes from, in order:
1. a folder named by `--data` (the `folder` argument) or `MNIST_PAD_DATA`,
   holding the four original IDX files, gzip-compressed or not;
2. otherwise the copy that ships with the pad (datasets/shipped.py);
3. `keras.datasets.mnist.load_data()` when asked for by name (`KERAS_DOWNLOAD`)
   or when the pad was built without its copy: it downloads once and caches
   in ~/.keras/datasets.
"""

from __future__ import annotations

import gzip
import hashlib
import io
import os
import socket
import struct
import zlib
from dataclasses import dataclass
from io import BufferedIOBase
from pathlib import Path

import numpy as np

from mnist_pad.datasets import shipped
from mnist_pad.errors import DataError
from mnist_pad.ink.strokes import check_regular_file

ENV_VAR = "MNIST_PAD_DATA"
#: What the command lines add to a DownloadError.
USE_A_FOLDER = (
    f"Without a network, leave --data out (the pad's own copy) or give a folder holding the four MNIST IDX files "
    f"with --data or {ENV_VAR}."
)
#: The `folder` that asks for Keras's download instead of a folder or the pad's own copy.
KERAS_DOWNLOAD = "keras"

#: IDX file names as published by LeCun et al.
FILE_NAMES = {
    "train_images": "train-images-idx3-ubyte",
    "train_labels": "train-labels-idx1-ubyte",
    "test_images": "t10k-images-idx3-ubyte",
    "test_labels": "t10k-labels-idx1-ubyte",
}

_IDX_UBYTE = 0x08
_FIX = "Download the four MNIST files again or point --data / MNIST_PAD_DATA elsewhere."


@dataclass(frozen=True)
class Mnist:
    """The MNIST training and test sets, images as (n, 28, 28) uint8."""

    x_train: np.ndarray
    y_train: np.ndarray
    x_test: np.ndarray
    y_test: np.ndarray
    source: str
    #: The pen's path of each training image (ink/path.py), all zeros where there is none (MNIST's
    #: own scans); None for images alone.
    paths_train: np.ndarray | None = None

    @property
    def checksum(self) -> str:
        """SHA-256 of all four arrays, so a metrics record names its data exactly."""
        digest = hashlib.sha256()
        for array in (self.x_train, self.y_train, self.x_test, self.y_test):
            digest.update(np.ascontiguousarray(array).tobytes())
        return digest.hexdigest()[:16]


#: The most an IDX file may promise: MNIST's largest, the training images, is 47,040,016 bytes.
MAX_IDX_BYTES = 64 * 2**20


def parse_idx(raw: bytes, name: str, expected_ndim: int) -> np.ndarray:
    """Decode an IDX file of unsigned bytes, checking everything the header claims."""
    return read_idx_stream(io.BytesIO(raw), name, expected_ndim)


def _read_exactly(stream: BufferedIOBase, size: int) -> bytearray:
    """Up to `size` bytes (fewer only at the end of the stream), read into one buffer of that size."""
    buffer = bytearray(size)
    view, filled = memoryview(buffer), 0
    while filled < size:
        count = stream.readinto(view[filled : filled + 2**20])
        if not count:
            break
        filled += count
    view.release()
    del buffer[filled:]
    return buffer


def read_idx_stream(stream: BufferedIOBase, name: str, expected_ndim: int) -> np.ndarray:
    """Decode an IDX file of unsigned bytes from `stream` (a gzip stream too), holding no more than
    its header promises: a header first, then at most MAX_IDX_BYTES, then one byte to show there is
    nothing more. A decompression bomb is a DataError within a few MB of memory."""
    head = _read_exactly(stream, 4)
    if len(head) < 4:
        raise DataError(f"{name}: file is too short to be an IDX file ({len(head)} bytes). {_FIX}")
    zero, dtype, ndim = struct.unpack(">HBB", bytes(head))
    if zero != 0 or dtype != _IDX_UBYTE:
        raise DataError(
            f"{name}: wrong magic number 0x{bytes(head).hex()} (expected an IDX file of unsigned "
            f"bytes, 0x000008{expected_ndim:02x}). {_FIX}"
        )
    if ndim != expected_ndim:
        raise DataError(
            f"{name}: has {ndim} dimensions, expected {expected_ndim}. Are the image and label files swapped?"
        )
    dims = _read_exactly(stream, 4 * ndim)
    if len(dims) < 4 * ndim:
        raise DataError(f"{name}: header is truncated. {_FIX}")
    shape = struct.unpack(f">{ndim}I", bytes(dims))
    if ndim == 3 and shape[1:] != (28, 28):
        raise DataError(f"{name}: images are {shape[1]}x{shape[2]}, expected 28x28. {_FIX}")
    if shape[0] == 0:
        raise DataError(f"{name}: holds no {'images' if ndim == 3 else 'labels'} (its header says 0). {_FIX}")
    promised = int(np.prod(shape, dtype=np.int64))
    if promised > MAX_IDX_BYTES:
        raise DataError(
            f"{name}: its header promises {promised:,} bytes, more than any MNIST file "
            f"({MAX_IDX_BYTES // 2**20} MB at most); refused. {_FIX}"
        )
    body = _read_exactly(stream, promised)
    if len(body) != promised or stream.read(1):
        found = "fewer" if len(body) != promised else "more"
        raise DataError(
            f"{name}: holds {found} bytes than its header {shape} promises ({4 + 4 * ndim + promised:,}); "
            f"the file is truncated or corrupt. {_FIX}"
        )
    return np.frombuffer(body, dtype=np.uint8).reshape(shape)


def encode_idx(array: np.ndarray) -> bytes:
    """The inverse of `parse_idx`, for tests and for writing small data sets."""
    array = np.ascontiguousarray(array, dtype=np.uint8)
    header = struct.pack(">HBB", 0, _IDX_UBYTE, array.ndim)
    return header + struct.pack(f">{array.ndim}I", *array.shape) + array.tobytes()


def read_idx(folder: Path, base_name: str, expected_ndim: int) -> np.ndarray:
    """Read `base_name` or `base_name.gz` from `folder`."""
    for path in (folder / f"{base_name}.gz", folder / base_name):
        if path.is_file():
            break
    else:
        raise DataError(
            f"{folder / base_name}[.gz]: file not found. The MNIST folder must hold the four "
            f"original files: {', '.join(FILE_NAMES.values())} (gzip-compressed or not)."
        )
    check_regular_file(path)
    try:
        with gzip.open(path, "rb") if path.suffix == ".gz" else open(path, "rb") as stream:
            return read_idx_stream(stream, str(path), expected_ndim)
    except (OSError, EOFError, zlib.error) as exc:  # BadGzipFile is an OSError
        raise DataError(f"{path}: cannot be read ({exc}). {_FIX}") from exc


def load_folder(folder: str | os.PathLike[str]) -> Mnist:
    folder = Path(folder).expanduser()
    try:
        return _load_folder(folder)
    except PermissionError as exc:  # a folder we may not list or enter
        raise DataError(f"{exc.filename or folder}: permission denied. Make the MNIST folder readable.") from exc


def _load_folder(folder: Path) -> Mnist:
    if not folder.is_dir():
        raise DataError(
            f"{folder}: no such folder. Give the folder that holds the MNIST IDX files with --data or {ENV_VAR}."
        )
    arrays = {key: read_idx(folder, name, 3 if key.endswith("images") else 1) for key, name in FILE_NAMES.items()}
    for split in ("train", "test"):
        images, labels = arrays[f"{split}_images"], arrays[f"{split}_labels"]
        if len(images) != len(labels):
            raise DataError(
                f"{folder}: {FILE_NAMES[f'{split}_images']} holds {len(images)} images but "
                f"{FILE_NAMES[f'{split}_labels']} holds {len(labels)} labels. {_FIX}"
            )
        if len(labels) and labels.max() > 9:
            raise DataError(f"{folder / FILE_NAMES[f'{split}_labels']}: label {labels.max()} is not a digit. {_FIX}")
    return Mnist(
        arrays["train_images"],
        arrays["train_labels"],
        arrays["test_images"],
        arrays["test_labels"],
        source=str(folder),
    )


class DownloadError(DataError):
    """MNIST could not be downloaded (no network, most often). `reason` says what happened in plain
    words; the message adds the command line's way out, and the GUI names its own field instead."""

    def __init__(self, reason: str) -> None:
        self.reason = reason
        super().__init__(f"{reason}. {USE_A_FOLDER}")


#: Where Keras downloads MNIST from, and how long to wait for it to answer before calling it offline.
DOWNLOAD_HOST = ("storage.googleapis.com", 443)
PROBE_TIMEOUT_S = 3.0
#: Keras's cache of the download.
KERAS_CACHE = Path("~/.keras/datasets/mnist.npz")


def network_problem(host: tuple[str, int] = DOWNLOAD_HOST, timeout_s: float = PROBE_TIMEOUT_S) -> str | None:
    """Why the download server cannot be reached, in plain words, or None when it answers.

    Asked before Keras's download, which can sit for half a minute without a network."""
    try:
        with socket.create_connection(host, timeout=timeout_s):
            return None
    except socket.gaierror:
        return "no network: the download server's name could not be looked up"
    except TimeoutError:
        return f"no answer from the download server within {timeout_s:.0f} s"
    except OSError:
        return "the download server could not be reached"


def load_download() -> Mnist:
    """Keras's own copy: downloaded once, then cached in ~/.keras/datasets. Offline, DownloadError
    within a few seconds."""
    if not KERAS_CACHE.expanduser().is_file():
        problem = network_problem()
        if problem:
            raise DownloadError(f"MNIST could not be downloaded ({problem})")
    try:
        from keras.datasets import mnist  # heavy import, only on this path

        (x_train, y_train), (x_test, y_test) = mnist.load_data()
    except Exception as exc:  # Keras reports network failures as bare Exceptions
        raise DownloadError(f"MNIST could not be downloaded ({type(exc).__name__})") from exc
    return Mnist(x_train, y_train, x_test, y_test, source="keras.datasets.mnist")


def resolve_folder(folder: str | os.PathLike[str] | None = None) -> Path | None:
    """The folder to read: the argument, else `MNIST_PAD_DATA`, else the pad's own copy; None: Keras's
    download (asked for as `KERAS_DOWNLOAD`, or no copy shipped)."""
    chosen = folder if folder else os.environ.get(ENV_VAR)
    if chosen == KERAS_DOWNLOAD:
        return None
    return Path(chosen).expanduser() if chosen else shipped.mnist_folder()


def load_mnist(folder: str | os.PathLike[str] | None = None) -> Mnist:
    """Load MNIST from `folder`, `MNIST_PAD_DATA`, the pad's own copy, or Keras's download, in that order.

    Raises DataError, with a message that says what to do, on any failure.
    """
    resolved = resolve_folder(folder)
    return load_folder(resolved) if resolved is not None else load_download()


def to_model_input(images: np.ndarray) -> np.ndarray:
    """uint8 (n, 28, 28) -> float32 (n, 28, 28, 1) in [0, 1], what every preset takes."""
    return (images.astype(np.float32) / 255.0)[..., None]
