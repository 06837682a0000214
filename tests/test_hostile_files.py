"""Hostile user files: whatever bytes a samples, stroke, pendigits, letters or numbers file holds, the
reader gives the data or one clear message naming file and line; never a traceback, never unbounded
memory, never a change to another line on disk."""

import gzip
import json
import subprocess
import sys

import numpy as np
import pytest
from helpers import REPO, another_program_holds
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from mnist_pad.datasets.pendigits import read_file as read_pendigits
from mnist_pad.errors import DataError
from mnist_pad.files import locking
from mnist_pad.ink.strokes import MAX_LINE_BYTES, parse_sample, read_stroke_file, replay
from mnist_pad.person.samples import SampleStore

GOOD = {"label": 3, "source": "x", "writer": "w", "strokes": [[[0, 0], [0.5, 1], [1, 0]]]}
FUZZ = settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])


def run_evaluate(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "mnist_pad.model.evaluate", *args], cwd=REPO, capture_output=True, text=True, timeout=300
    )


def test_deep_nesting_is_a_bad_line_not_a_recursion_error(tmp_path):
    with pytest.raises(ValueError, match="nested too deeply"):
        parse_sample("[" * 100_000)
    path = tmp_path / "samples.jsonl"
    path.write_text(json.dumps(GOOD) + "\n" + "[" * 100_000 + "\n" + json.dumps(GOOD) + "\n")
    samples, problems = read_stroke_file(path)
    assert len(samples) == 2 and problems == [f"{path}:2: nested too deeply to be a sample"]


def test_a_device_or_a_folder_is_refused_by_every_reader(tmp_path):
    for path in ("/dev/zero", tmp_path):
        with pytest.raises(DataError, match="not a regular file"):
            read_stroke_file(path)
        with pytest.raises(DataError, match="not a regular file"):
            read_pendigits(path)
    result = run_evaluate("--strokes", "/dev/zero")
    assert result.returncode == 1 and "/dev/zero: not a regular file" in result.stderr
    assert "Traceback" not in result.stderr


def test_a_line_over_the_cap_is_skipped_unparsed_and_the_next_read(tmp_path, monkeypatch):
    import mnist_pad.ink.strokes as strokes

    parsed: list[int] = []
    real = strokes.parse_sample
    monkeypatch.setattr(strokes, "parse_sample", lambda line: parsed.append(len(line)) or real(line))
    huge = json.dumps({**GOOD, "strokes": [[[0.5, 0.5]] * 4000] * 60})  # valid, and far too long
    assert len(huge) > MAX_LINE_BYTES
    path = tmp_path / "s.jsonl.gz"
    path.write_bytes(gzip.compress((json.dumps(GOOD) + "\n" + huge + "\n" + json.dumps(GOOD) + "\n").encode()))
    samples, problems = read_stroke_file(path)
    assert len(samples) == 2 and problems == [f"{path}:2: a line of more than {MAX_LINE_BYTES:,} bytes"]
    assert max(parsed) < MAX_LINE_BYTES  # refused while reading, never parsed


@pytest.mark.parametrize("value", ["1e999", "inf", "nan", "-Infinity"])
def test_non_finite_pendigits_points_skip_that_digit_by_file_and_line(tmp_path, value):
    digit = '.SEGMENT DIGIT 0 ? "{d}"\n.COMMENT {d} 1 1\n.PEN_DOWN\n 10 20\n {p} 30\n 40 50\n.PEN_UP\n'
    path = tmp_path / "pendigits-orig.tes"
    path.write_text(digit.format(d=1, p="15") + digit.format(d=2, p=value) + digit.format(d=3, p="25"))
    result = read_pendigits(path)
    assert [s.label for s in result.samples] == [1, 3]
    assert result.skipped == [f"{path}:8: line 12: '{value} 30' is not a point within ±1e+06"]


@pytest.mark.parametrize("width", ["nan", "-1", "1e308", "inf", "wide"])
def test_a_nonsense_pen_width_is_an_argument_error(tmp_path, width):
    path = tmp_path / "s.jsonl"
    path.write_text(json.dumps(GOOD) + "\n")
    result = run_evaluate("--strokes", str(path), f"--pen-width={width}")
    assert result.returncode == 2 and "--pen-width" in result.stderr and "Traceback" not in result.stderr


def test_skipped_lines_name_their_file_for_every_kind_of_file(tmp_path):
    numbers, letters = tmp_path / "numbers.jsonl", tmp_path / "letters.jsonl"
    numbers.write_text('{"text": "12", "strokes": [[[0,0],[0,1]],[[1,0],[2,0],[1,1],[2,1]]]}\nbroken\n')
    letters.write_text('{"char": "A", "strokes": [[[0,1],[0.5,0],[1,1]],[[0.2,0.5],[0.8,0.5]]]}\nbroken\n')
    result = run_evaluate("--numbers", str(numbers), "--not-digits", str(letters))
    assert result.returncode == 0, result.stderr
    assert f"skipped {numbers}:2: not JSON" in result.stderr and f"skipped {letters}:2: not JSON" in result.stderr
    assert "None" not in result.stderr


def test_deleting_keeps_every_other_line_byte_for_byte(tmp_path):
    store = SampleStore(tmp_path)
    doomed = store.add(replay(GOOD["strokes"]), 3, np.zeros((28, 28), np.float32))
    others = [
        json.dumps({**GOOD, "writer": "W"}).replace('"W"', '"\xe9"').encode("latin-1"),  # not UTF-8
        b"\x00\xff\xfe binary \x80\n",
        json.dumps({**GOOD, "extra": 1.50}).encode() + b"\r",
        b"   ",
    ]
    before = store.path.read_bytes()
    store.path.write_bytes(b"\n".join([others[0], before.rstrip(b"\n"), *others[1:]]))
    assert store.delete([doomed]) == 1
    assert store.path.read_bytes() == b"\n".join([others[0], *others[1:]])


def test_a_held_lock_costs_a_bounded_wait_and_loses_no_sample(tmp_path):
    store = SampleStore(tmp_path, lock_timeout_s=0.3)
    first = store.add(replay(GOOD["strokes"]), 1, np.zeros((28, 28), np.float32))
    with another_program_holds(store.lock_path):
        aside = store.add(replay(GOOD["strokes"]), 2, np.zeros((28, 28), np.float32))  # gives up, saves aside
        assert [s.label for s in store.load()[0]] == [1, 2] and len(store.pending_files()) == 1
        with pytest.raises(locking.LockTimeout, match="held by another program"):
            store.delete([first])
    store.add(replay(GOOD["strokes"]), 3, np.zeros((28, 28), np.float32))  # takes the aside sample in
    assert store.pending_files() == [] and [s.label for s in store.load()[0]] == [1, 3, 2]
    assert store.delete([aside]) == 1 and [s.label for s in store.load()[0]] == [1, 3]


@FUZZ
@given(garbage=st.binary(max_size=400) | st.text(max_size=200).map(str.encode))
def test_any_bytes_in_a_samples_file_load_or_say_why_and_delete_keeps_them(tmp_path_factory, garbage):
    store = SampleStore(tmp_path_factory.mktemp("s"))
    good = store.add(replay(GOOD["strokes"]), 3, np.zeros((28, 28), np.float32))
    doomed = store.add(replay(GOOD["strokes"]), 4, np.zeros((28, 28), np.float32))
    lines = store.path.read_bytes().splitlines(keepends=True)
    store.path.write_bytes(lines[0] + garbage + b"\n" + lines[1])
    samples, problems = store.load()  # never raises
    assert samples[0] == good and all(p.startswith(f"{store.path}:") for p in problems)
    store.delete([doomed])
    assert store.path.read_bytes() == lines[0] + garbage + b"\n"


@FUZZ
@given(content=st.binary(max_size=600), gz=st.booleans(), pendigits=st.booleans())
def test_any_bytes_as_a_stroke_or_pendigits_file_give_data_or_one_message(tmp_path_factory, content, gz, pendigits):
    name = "pendigits-orig.tes" if pendigits else "strokes.jsonl"
    path = tmp_path_factory.mktemp("f") / (name + (".gz" if gz else ""))
    path.write_bytes(gzip.compress(content) if gz and len(content) % 3 else content)  # some not gzip at all
    try:
        if pendigits:
            result = read_pendigits(path)
            problems = result.skipped
        else:
            _, problems = read_stroke_file(path)
    except DataError as exc:
        assert str(exc).startswith(str(path))
    else:
        assert all(p.startswith(f"{path}:") for p in problems)


@FUZZ
@given(
    record=st.recursive(
        st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=5),
        lambda inner: (
            st.lists(inner, max_size=4)
            | st.dictionaries(st.sampled_from(["label", "strokes", "text", "char", "x"]), inner, max_size=4)
        ),
        max_leaves=30,
    )
)
def test_any_json_record_is_a_sample_or_a_value_error(record):
    try:
        sample = parse_sample(json.dumps(record))
    except ValueError:
        return
    assert sample.strokes and all(len(s) >= 1 for s in sample.strokes)
