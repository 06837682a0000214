"""The UCI pendigits reader: the original format, and every way a file can be bad."""

import gzip

import pytest
from helpers import peak_memory

from mnist_pad.datasets import pendigits
from mnist_pad.errors import DataError

HEADER = '.INCLUDE dene.doc\n.LEXICON "0" "1"\n.HIERARCHY DIGIT\n\n'


def digit(label: str = "7", writer: int = 3, strokes=(((0, 100), (100, 100), (40, 0)),)) -> str:
    text = f'.SEGMENT DIGIT    0 ? "{label}"\n.COMMENT {label} {writer}  1\n'
    for stroke in strokes:
        text += ".PEN_DOWN\n" + "".join(f" {x} {y}\n" for x, y in stroke) + ".PEN_UP\n.DT 100\n"
    return text


def write(folder, name, text, gz=True):
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / (name + (".gz" if gz else ""))
    path.write_bytes(gzip.compress(text.encode()) if gz else text.encode())
    return path


def test_reads_digits_with_y_flipped_and_normalised(tmp_path):
    path = write(
        tmp_path, "pendigits-orig.tra", HEADER + digit("7") + digit("1", strokes=[[(5, 0), (5, 50)], [(0, 0), (10, 0)]])
    )
    result = pendigits.read_file(path, "train")
    assert [s.label for s in result.samples] == [7, 1] and not result.skipped
    seven = result.samples[0].strokes[0]
    assert seven[0] == (0.0, 0.0) and seven[2] == pytest.approx((0.4, 1.0))  # y up in the file, down here
    assert len(result.samples[1].strokes) == 2 and result.samples[0].writer == "train/3"


def test_the_shared_files_are_read_whole():
    folder = pendigits.resolve_folder(None)
    if folder is None or not folder.is_dir():
        pytest.skip("MNIST_PAD_PEN_DATA is not set")
    assert len(pendigits.load_split(folder, "train").samples) == 7494
    assert len(pendigits.load_split(folder, "test").samples) == 3498


@pytest.mark.parametrize(
    ("bad", "reason"),
    [
        (digit("X"), "label 'X' is not a digit"),
        (digit("12"), "label '12' is not a digit"),
        (digit("7", strokes=[[(0, 0), ("1O", 5)]]), "is not a point"),
        ('.SEGMENT DIGIT 0 ? "4"\n.COMMENT 4 1 1\n', "no strokes"),
        ('.SEGMENT DIGIT 0 ? "4"\n.COMMENT 4 1 1\n.PEN_DOWN\n 0 0\n 5 5\n', "no .PEN_UP"),  # truncated
    ],
)
def test_a_malformed_digit_is_skipped_and_named_by_file_and_line(tmp_path, bad, reason):
    path = write(tmp_path, "pendigits-orig.tra", HEADER + digit("3") + bad)
    result = pendigits.read_file(path)
    assert 3 in [s.label for s in result.samples]
    assert len(result.skipped) == 1 and reason in result.skipped[0] and f"{path}:" in result.skipped[0]


def test_a_file_with_no_readable_digit_is_an_error(tmp_path):
    path = write(tmp_path, "pendigits-orig.tra", HEADER + digit("X"), gz=False)
    with pytest.raises(DataError, match="no readable digit"):
        pendigits.read_file(path)


def test_corrupt_or_missing_files_are_clear_errors(tmp_path):
    path = tmp_path / "pendigits-orig.tra.gz"
    path.write_bytes(gzip.compress(b"x" * 1000)[:40] + b"\x00garbage")
    with pytest.raises(DataError, match="pendigits-orig.tra.gz: cannot be read"):
        pendigits.read_file(path)
    with pytest.raises(DataError, match="no such folder"):
        pendigits.load_split(tmp_path / "nowhere", "train")


def test_a_folder_with_only_one_file_trains_with_what_is_there(tmp_path):
    import numpy as np

    from mnist_pad.app.selftest import synthetic_digits
    from mnist_pad.datasets.mnist import Mnist
    from mnist_pad.model import training_data

    write(tmp_path / "pen", "pendigits-orig.tra", HEADER + digit("7") * 3 + digit("X"))
    x, y = synthetic_digits(20)
    built = training_data.build(
        Mnist(x, y, x, y, "synthetic"), tmp_path / "pen", "", pen_digits_file="", digit_variants=2
    )
    assert built.composition == {"mnist": 20, "pendigits": 6}
    assert np.count_nonzero(built.data.y_train == 7) >= 6
    notes = " ".join(built.notes)
    assert "skipped 1 malformed" in notes and "no pendigits-orig.tes" in notes and 'no "not a digit"' in notes


def test_without_pen_data_training_says_it_uses_mnist_alone():
    """Pen data left out ("": --no-pen-data, the dialog's "MNIST alone"), whatever the environment says."""
    from mnist_pad.app.selftest import synthetic_digits
    from mnist_pad.datasets.mnist import Mnist
    from mnist_pad.model import training_data

    x, y = synthetic_digits(10)
    built = training_data.build(Mnist(x, y, x, y, "synthetic"), "", "", pen_digits_file="")
    assert built.composition == {"mnist": 10}
    assert any("MNIST alone" in note for note in built.notes)


def test_a_file_of_short_lines_is_read_in_bounded_memory(tmp_path):
    """Round three, D7: a 0.25 MB .gz of short lines took 6.2 GB."""
    import gzip

    from mnist_pad.datasets import pendigits

    path = tmp_path / "pendigits-orig.tra.gz"
    with gzip.open(path, "wb") as out:
        out.write(b" 1\n" * 2**20)  # 3 MB of short lines (a header): once twenty times that in memory
        out.write(b'.SEGMENT DIGIT 0 ? "1"\n.COMMENT 1 1 1\n.PEN_DOWN\n 1 2\n 3 4\n.PEN_UP\n')
    result, peak = peak_memory(lambda: pendigits.read_file(path, "train"))
    assert len(result.samples) == 1 and peak < 16 * 2**20


def test_a_digit_of_more_points_than_the_cap_is_skipped_as_file_and_line(tmp_path):
    """D7: no per-digit point cap (a 20M-point digit took 8.7 GB)."""
    from mnist_pad.datasets import pendigits
    from mnist_pad.ink.strokes import MAX_POINTS

    path = tmp_path / "pendigits-orig.tra"
    with open(path, "w") as out:
        out.write('.SEGMENT DIGIT 0 ? "7"\n.COMMENT 7 1 1\n.PEN_DOWN\n')
        out.write(" 1 2\n" * (MAX_POINTS * 40))
        out.write('.PEN_UP\n.SEGMENT DIGIT 0 ? "1"\n.COMMENT 1 1 2\n.PEN_DOWN\n 1 2\n 3 4\n.PEN_UP\n')
    result, peak = peak_memory(lambda: pendigits.read_file(path, "train"))
    assert [s.label for s in result.samples] == [1]
    assert result.skipped == [f"{path}:1: more than {MAX_POINTS:,} points (not a pen-written digit)"]
    assert peak < 16 * 2**20
