import gzip
import re
import subprocess
import sys

import numpy as np
import pytest
from helpers import REPO, peak_memory, write_mnist_folder

from mnist_pad.datasets import mnist as data
from mnist_pad.datasets.mnist import DataError, encode_idx, load_mnist, parse_idx


def test_idx_round_trip():
    images = np.arange(3 * 28 * 28, dtype=np.uint8).reshape(3, 28, 28)
    assert np.array_equal(parse_idx(encode_idx(images), "x", 3), images)
    labels = np.array([0, 9, 4], dtype=np.uint8)
    assert np.array_equal(parse_idx(encode_idx(labels), "y", 1), labels)


@pytest.mark.parametrize("gz", [True, False])
def test_load_folder_gzip_or_plain(tmp_path, gz):
    folder = write_mnist_folder(tmp_path / "m", n_train=50, n_test=20, gz=gz)
    mnist = load_mnist(folder)
    assert mnist.x_train.shape == (50, 28, 28) and mnist.x_train.dtype == np.uint8
    assert mnist.y_test.shape == (20,)
    assert len(mnist.checksum) == 16


def test_env_var_names_the_folder(tmp_path, monkeypatch):
    folder = write_mnist_folder(tmp_path / "m", n_train=10, n_test=10)
    monkeypatch.setenv("MNIST_PAD_DATA", str(folder))
    assert load_mnist().source == str(folder)


def _corrupt(folder, name, mutate):
    path = folder / f"{name}.gz"
    path.write_bytes(gzip.compress(mutate(gzip.decompress(path.read_bytes()))))


@pytest.mark.parametrize(
    ("file", "mutate", "message"),
    [
        ("train-images-idx3-ubyte", lambda raw: raw[:-100], "truncated"),
        ("train-images-idx3-ubyte", lambda raw: b"\x00\x00\x09\x03" + raw[4:], "magic"),
        ("train-labels-idx1-ubyte", lambda raw: raw[:2], "too short"),
        (
            "t10k-labels-idx1-ubyte",
            lambda raw: encode_idx(np.zeros((5, 2), np.uint8)),
            "dimensions",
        ),
        ("t10k-labels-idx1-ubyte", lambda raw: encode_idx(np.zeros(7, np.uint8)), "labels"),
        (
            "train-images-idx3-ubyte",
            lambda raw: encode_idx(np.zeros((300, 27, 28), np.uint8)),
            "28x28",
        ),
        (
            "train-labels-idx1-ubyte",
            lambda raw: encode_idx(np.full(300, 11, np.uint8)),
            "not a digit",
        ),
    ],
)
def test_corrupt_files_raise_our_error(tmp_path, file, mutate, message):
    folder = write_mnist_folder(tmp_path / "m")
    _corrupt(folder, file, mutate)
    with pytest.raises(DataError, match=message) as info:
        load_mnist(folder)
    assert "m/" in str(info.value) or str(folder) in str(info.value)


def test_missing_file_and_bad_gzip(tmp_path):
    folder = write_mnist_folder(tmp_path / "m")
    (folder / "t10k-images-idx3-ubyte.gz").unlink()
    with pytest.raises(DataError, match="t10k-images-idx3-ubyte.*not found"):
        load_mnist(folder)
    folder = write_mnist_folder(tmp_path / "n")
    (folder / "train-labels-idx1-ubyte.gz").write_bytes(b"not gzip at all")
    with pytest.raises(DataError, match="cannot be read"):
        load_mnist(folder)


def test_missing_folder(tmp_path):
    with pytest.raises(DataError, match="no such folder"):
        load_mnist(tmp_path / "nowhere")


@pytest.mark.tensorflow
def test_no_network_gives_clear_error(monkeypatch, tmp_path):
    import keras

    def offline():
        raise Exception("URL fetch failure on https://storage.googleapis.com/mnist.npz: [Errno -2] None")

    monkeypatch.delenv("MNIST_PAD_DATA", raising=False)
    monkeypatch.setattr(data, "KERAS_CACHE", tmp_path / "none.npz")
    monkeypatch.setattr(
        data, "network_problem", lambda: "no network: the download server's name could not be looked up"
    )
    with pytest.raises(
        data.DownloadError, match=r"^MNIST could not be downloaded \(no network.*--data or MNIST_PAD_DATA"
    ):
        data.load_mnist(data.KERAS_DOWNLOAD)  # asked first: no half-minute wait for Keras
    monkeypatch.setattr(data, "network_problem", lambda: None)  # the server answers, then the download fails
    monkeypatch.setattr(keras.datasets.mnist, "load_data", offline)
    with pytest.raises(DataError, match="could not be downloaded") as failure:
        data.load_mnist(data.KERAS_DOWNLOAD)
    assert "Errno" not in str(failure.value)


def test_no_folder_reads_the_copy_that_ships(monkeypatch):
    """No --data, no MNIST_PAD_DATA, no network: the pad's own copy, never a download."""
    monkeypatch.delenv("MNIST_PAD_DATA", raising=False)
    monkeypatch.setattr(data, "load_download", lambda: pytest.fail("no download when the pad has its copy"))
    loaded = data.load_mnist(None)
    assert loaded.x_train.shape == (60_000, 28, 28) and loaded.x_test.shape == (10_000, 28, 28)
    assert "assets" in loaded.source or "data" in loaded.source


def test_train_py_missing_folder_exits_with_one_line(tmp_path):
    result = subprocess.run(
        [sys.executable, "train.py", "--preset", "seed", "--data", str(tmp_path / "nope")],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode != 0
    errors = [line for line in result.stderr.splitlines() if line.startswith("error:")]
    assert len(errors) == 1 and "no such folder" in errors[0]
    assert "Traceback" not in result.stderr


def gzip_bomb(path, header: bytes, zeros_mb: int) -> None:
    """A .gz holding `header` and then `zeros_mb` MB of zeros (a few hundred kB on disk)."""
    block = bytes(2**20)
    with gzip.open(path, "wb", compresslevel=9) as out:
        out.write(header)
        for _ in range(zeros_mb):
            out.write(block)


@pytest.mark.parametrize("images", [10, 60_000])
def test_a_decompression_bomb_is_refused_within_a_few_mb(tmp_path, images):
    """Round three, D6: the reader decompressed a .gz with no limit (a 3 MB bomb took 6 GB)."""
    folder = write_mnist_folder(tmp_path / "m", n_train=10, n_test=10)
    header = encode_idx(np.zeros((0, 28, 28), np.uint8))[:4] + images.to_bytes(4, "big") + (28).to_bytes(4, "big") * 2
    gzip_bomb(folder / "train-images-idx3-ubyte.gz", header, zeros_mb=200)
    refused, peak = peak_memory(lambda: load_mnist(folder))
    assert isinstance(refused, DataError)
    assert re.search("train-images-idx3-ubyte.gz: holds (more|fewer) bytes than its header", str(refused))
    promised = images * 28 * 28
    assert peak < promised + 8 * 2**20  # what the header promised, and a few MB


def test_a_header_promising_more_than_any_mnist_file_is_refused_before_reading(tmp_path):
    folder = write_mnist_folder(tmp_path / "m", n_train=10, n_test=10)
    header = encode_idx(np.zeros((0, 28, 28), np.uint8))[:4] + (2**31).to_bytes(4, "big") + (28).to_bytes(4, "big") * 2
    (folder / "train-images-idx3-ubyte.gz").write_bytes(gzip.compress(header))
    with pytest.raises(DataError, match="more than any MNIST file"):
        load_mnist(folder)


@pytest.mark.parametrize("which", ["train-images-idx3-ubyte", "t10k-labels-idx1-ubyte"])
def test_a_file_of_no_images_is_a_clear_error_naming_it(tmp_path, which):
    """D11: MNIST files holding 0 images were accepted (evaluate said 0.00% on 0 digits, exit 0)."""
    folder = write_mnist_folder(tmp_path / "m", n_train=10, n_test=10)
    empty = np.zeros((0, 28, 28) if "images" in which else (0,), np.uint8)
    (folder / f"{which}.gz").write_bytes(gzip.compress(encode_idx(empty)))
    with pytest.raises(DataError, match=f"{which}.gz: holds no (images|labels)"):
        load_mnist(folder)
