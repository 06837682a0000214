"""Issue 34: the training data travels with the pad; every default reads it, offline."""

from __future__ import annotations

import gzip
import hashlib
import json
import subprocess
import sys
from pathlib import Path

import pytest

from mnist_pad.datasets import mnist, pendigits, shipped
from mnist_pad.model.training_data import resolve_letters, resolve_pen_digits
from mnist_pad.resources import assets_dir

REPO = Path(__file__).resolve().parents[2]
#: The md5 of each MNIST file's decompressed bytes, as LeCun et al. published them.
MNIST_MD5 = {
    "train-images-idx3-ubyte.gz": "6bbc9ace898e44ae57da46a324031adb",
    "train-labels-idx1-ubyte.gz": "a25bea736e30d166cdddb491f175f624",
    "t10k-images-idx3-ubyte.gz": "2646ac647ad5339dbf082846283269ea",
    "t10k-labels-idx1-ubyte.gz": "27ae3e4e09519cfbb04c329615203637",
}
ENV_VARS = ("MNIST_PAD_DATA", "MNIST_PAD_PEN_DATA", "MNIST_PAD_PEN_DIGITS", "MNIST_PAD_LETTERS")


def test_every_shipped_file_is_there_and_packaged():
    for name in shipped.SHIPPED_FILES:
        assert (assets_dir() / name).is_file(), name
    assert '"data/*/*.gz"' in (REPO / "pyproject.toml").read_text()  # package-data of mnist_pad.assets
    assert '(ROOT / "assets" / "data").glob("*/*.gz")' in (REPO / "build.spec").read_text()


def test_the_shipped_mnist_is_mnist():
    folder = shipped.mnist_folder()
    assert folder is not None
    for name, md5 in MNIST_MD5.items():
        with gzip.open(folder / name, "rb") as stream:
            assert hashlib.md5(stream.read()).hexdigest() == md5, name


def test_no_flag_and_no_variable_means_the_copy_that_ships(monkeypatch):
    for name in ENV_VARS:
        monkeypatch.delenv(name, raising=False)
    assert mnist.resolve_folder(None) == shipped.mnist_folder()
    assert pendigits.resolve_folder(None) == shipped.pendigits_folder()
    assert resolve_pen_digits(None) == shipped.pen_digits_file()
    assert resolve_letters(None) == shipped.letters_file()
    # Left out on purpose ("" from --no-pen-data or the dialog's "MNIST alone"), and Keras's download by name.
    assert pendigits.resolve_folder("") is None and resolve_pen_digits("") is None and resolve_letters("") is None
    assert mnist.resolve_folder(mnist.KERAS_DOWNLOAD) is None


def test_only_the_training_data_ships():
    """The .tes writers and the pen numbers give honest figures: they never go into the project."""
    shipped_names = {p.relative_to(assets_dir()).as_posix() for p in (assets_dir() / "data").rglob("*") if p.is_file()}
    assert shipped_names == set(shipped.SHIPPED_FILES)
    assert not any("tes" in name or "pen_numbers" in name for name in shipped_names)


def test_credits_name_every_data_set_and_licence():
    lines = "\n".join(shipped.credit_lines())
    for words in ("MNIST", "CC BY-SA 3.0", "pendigits", "UNIPEN", "CC BY 4.0"):
        assert words in lines
    card = json.loads((assets_dir() / "model_card.json").read_text())
    assert card["training_data_credits"] == shipped.credit_lines()
    readme = (REPO / "README.md").read_text()
    assert "ships with the pad" in readme


@pytest.mark.tensorflow
@pytest.mark.slow
def test_train_py_no_pen_data_trains_on_mnist_alone_and_reads_by_the_picture(tmp_path, tiny_mnist):
    out = tmp_path / "m.keras"
    result = subprocess.run(
        [sys.executable, "train.py", "--preset", "quick", "--no-pen-data", "--epochs", "1"]
        + ["--data", str(tiny_mnist), "--out", str(out)],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert result.returncode == 0, result.stderr[-2000:]
    assert "Training on MNIST alone." in result.stdout
    metrics = json.loads(out.with_suffix(".json").read_text())
    assert metrics["reads_path"] is False
    assert set(metrics.get("train_composition", {"mnist": 1})) == {"mnist"}


def test_train_py_no_pen_data_refuses_a_pen_flag_beside_it(tmp_path):
    result = subprocess.run(
        [sys.executable, "train.py", "--preset", "quick", "--no-pen-data", "--letters", "x.jsonl"],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 2 and "--no-pen-data leaves out what --letters gives" in result.stderr
