"""UNIPEN's own files (train_r01_v07 as downloaded) converted to stroke samples."""

from __future__ import annotations

import gzip

import pytest
from helpers import write_unipen_tree

from mnist_pad.datasets import unipen_files
from mnist_pad.datasets.shipped import pen_digits_file
from mnist_pad.errors import DataError, TrainingCancelled
from mnist_pad.ink.strokes import read_stroke_file


@pytest.fixture(scope="module")
def originals():
    samples, _ = read_stroke_file(pen_digits_file())
    return [s for s in samples if s.label is not None][:12]


def close(a, b, tolerance=2e-3) -> bool:
    return len(a) == len(b) and all(
        len(sa) == len(sb)
        and all(
            abs(pa[0] - pb[0]) < tolerance and abs(pa[1] - pb[1]) < tolerance for pa, pb in zip(sa, sb, strict=True)
        )
        for sa, sb in zip(a, b, strict=True)
    )


@pytest.mark.parametrize("in_air", [False, True])
def test_a_tree_as_downloaded_converts_to_the_shipped_convention(tmp_path, originals, in_air):
    write_unipen_tree(tmp_path, originals, in_air=in_air)
    seen = []
    converted = unipen_files.convert(tmp_path, "digits", on_progress=lambda done, total: seen.append((done, total)))
    assert [s.label for s in converted.samples] == [s.label for s in originals]
    assert all(close(c.strokes, o.strokes) for c, o in zip(converted.samples, originals, strict=True))
    assert {s.writer for s in converted.samples} == {"aga/jdoe"}
    assert seen == [(1, 1)] and converted.problems == []


def test_point_ranges_lists_and_letters(tmp_path, originals):
    data = write_unipen_tree(
        tmp_path,
        originals[:2],
        extra_segments=['.SEGMENT CHARACTER 0:1-0:3 ? "A"', '.SEGMENT CHARACTER 0,0 ? "x"', '.SEGMENT WORD 0 ? "no"'],
    )
    letters = unipen_files.convert(data, "letters").samples
    assert [s.extra["char"] for s in letters] == ["A", "x"]
    assert len(letters[0].strokes) == 1 and len(letters[0].strokes[0]) == 3
    assert len(letters[1].strokes) == 2  # component 0 twice
    assert all(s.label is None for s in letters)


def test_bad_segments_are_listed_and_the_rest_kept(tmp_path, originals):
    data = write_unipen_tree(
        tmp_path, originals[:3], extra_segments=['.SEGMENT CHARACTER 90-95 ? "4"', '.SEGMENT CHARACTER x ? "4"']
    )
    converted = unipen_files.convert(data, "digits")
    assert len(converted.samples) == 3
    assert len(converted.problems) == 2 and all(":" in p for p in converted.problems)


def test_missing_ink_and_wrong_kind_say_what_to_give(tmp_path, originals):
    data = write_unipen_tree(tmp_path, originals[:2])
    (tmp_path / "include" / "aga" / "data" / "w1" / "x.dat").unlink()
    with pytest.raises(DataError, match=r"no digits in UNIPEN's format.*\.INCLUDE.*train_r01_v07"):
        unipen_files.convert(data, "digits")
    other = tmp_path / "other"
    write_unipen_tree(other, originals[:2])
    with pytest.raises(DataError, match="letters are in category 1b or 1c"):
        unipen_files.convert(other, "letters")


def test_an_include_never_leaves_its_tree(tmp_path):
    assert unipen_files.find_include("../../etc/passwd", tmp_path / "a.dat") is None
    assert unipen_files.find_include("/etc/passwd", tmp_path / "a.dat") is None


def test_a_file_including_itself_stops(tmp_path):
    looped = tmp_path / "data" / "1a" / "aga" / "x.dat"
    looped.parent.mkdir(parents=True)
    looped.write_text('.INCLUDE 1a/aga/x.dat\n.PEN_DOWN\n1 1\n2 2\n.PEN_UP\n.SEGMENT CHARACTER 0 ? "1"\n')
    converted = unipen_files.convert(looped, "digits")
    assert converted.samples and any("nested" in p for p in converted.problems)


def test_cancel_stops_between_files(tmp_path, originals):
    write_unipen_tree(tmp_path, originals[:2])
    with pytest.raises(TrainingCancelled):
        unipen_files.convert(tmp_path, "digits", should_cancel=lambda: True)


def test_read_samples_takes_both_formats_and_refuses_others(tmp_path, originals):
    data = write_unipen_tree(tmp_path / "tree", originals[:4])
    assert len(unipen_files.read_samples(data, "digits")[0]) == 4
    assert len(unipen_files.read_samples(pen_digits_file(), "digits")[0]) > 5000
    other = tmp_path / "picture.png.gz"
    with gzip.open(other, "wb") as out:
        out.write(b"\x89PNG\r\n\x1a\n" + bytes(200))
    with pytest.raises(DataError, match="UNIPEN train_r01_v07's own files"):
        unipen_files.read_samples(other, "digits")


def test_a_huge_file_is_refused_within_its_limit(tmp_path, monkeypatch):
    monkeypatch.setattr(unipen_files, "MAX_FILE_BYTES", 10_000)
    big = tmp_path / "big.dat"
    big.write_text(".PEN_DOWN\n" + "1 2\n" * 10_000)
    with pytest.raises(DataError, match=r"no digits .*first problem: .*big.dat: more than .* MB; not a UNIPEN file"):
        unipen_files.convert(big, "digits")
