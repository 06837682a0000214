import gzip
import json
import subprocess
import sys

import pytest
from helpers import REPO

from mnist_pad.errors import DataError
from mnist_pad.ink.strokes import CANVAS_PX, REPLAY_FILL, read_stroke_file, replay

GOOD = {"label": 1, "source": "t", "writer": "t/a", "strokes": [[[0.5, 0.0], [0.5, 1.0]]]}
SEVEN = {
    "label": 7,
    "source": "t",
    "writer": "t/a",
    "strokes": [[[0.0, 0.0], [1.0, 0.0], [0.4, 1.0]]],
}


def write_lines(path, lines):
    path.write_text("\n".join(lines) + "\n")
    return path


def test_malformed_lines_are_reported_by_number(tmp_path):
    path = write_lines(
        tmp_path / "s.jsonl",
        [
            json.dumps(GOOD),
            "{not json",
            json.dumps({**GOOD, "label": 12}),
            json.dumps({**GOOD, "strokes": [[[0.1]]]}),
            json.dumps({**GOOD, "strokes": []}),
            json.dumps(SEVEN),
        ],
    )
    samples, problems = read_stroke_file(path)
    assert [s.label for s in samples] == [1, 7]
    assert [p.split(": ")[0] for p in problems] == [f"{path}:{n}" for n in (2, 3, 4, 5)]


def test_gzip_and_no_valid_line(tmp_path):
    gz = tmp_path / "s.jsonl.gz"
    gz.write_bytes(gzip.compress((json.dumps(GOOD) + "\n").encode()))
    assert len(read_stroke_file(gz)[0]) == 1
    with pytest.raises(DataError, match="no valid stroke sample"):
        read_stroke_file(write_lines(tmp_path / "bad.jsonl", ["[]", "{}"]))
    with pytest.raises(DataError, match="cannot be read"):
        read_stroke_file(tmp_path / "missing.jsonl")


def test_replay_places_the_digit_like_a_person_on_the_pixel_grid():
    drawing = replay(SEVEN["strokes"])
    xs = [x for s in drawing.strokes for x, _ in s]
    ys = [y for s in drawing.strokes for _, y in s]
    assert max(max(xs) - min(xs), max(ys) - min(ys)) == pytest.approx(REPLAY_FILL, abs=2 / CANVAS_PX)
    assert (min(ys) + max(ys)) / 2 == pytest.approx(0.5, abs=1 / CANVAS_PX)
    assert all((x * CANVAS_PX).is_integer() for x in xs)


def test_evaluate_cli_json(tmp_path):
    path = write_lines(tmp_path / "s.jsonl", [json.dumps(GOOD), "oops", json.dumps(SEVEN)])
    result = subprocess.run(
        [sys.executable, "-m", "mnist_pad.model.evaluate", "--strokes", str(path), "--json"],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout)
    assert report["n"] == 2 and 0 <= report["accuracy"] <= 1
    assert len(report["per_class"]) == 10 and len(report["confusion"]) == 10
    assert f"skipped {path}:2: not JSON" in result.stderr


def test_evaluate_cli_no_valid_line_is_an_error(tmp_path):
    path = write_lines(tmp_path / "s.jsonl", ["oops"])
    result = subprocess.run(
        [sys.executable, "-m", "mnist_pad.model.evaluate", "--strokes", str(path)],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 1
    assert "no valid stroke sample" in result.stderr and "Traceback" not in result.stderr
