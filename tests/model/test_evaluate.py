"""The evaluator's number and not-a-digit reports, on small stroke files written here."""

import json

from mnist_pad.app.selftest import DIGITS
from mnist_pad.ink.strokes import StrokeSample
from mnist_pad.model import evaluate


def number_strokes(text: str) -> list:
    return [[(x + 0.55 * i, y) for x, y in stroke] for i, char in enumerate(text) for stroke in DIGITS[int(char)]]


def write(path, samples) -> None:
    path.write_text("".join(sample.to_json() + "\n" for sample in samples))


def run_json(capsys, *args) -> dict:
    assert evaluate.main([*map(str, args), "--json"]) == 0
    return json.loads(capsys.readouterr().out)


def test_numbers_report_exact_digit_accuracy_and_count_errors(tmp_path, capsys):
    path = tmp_path / "numbers.jsonl"
    texts = ["42", "2026", "731", "58"]
    write(path, [StrokeSample(None, number_strokes(t), "here", "me", {"text": t}) for t in texts])
    report = run_json(capsys, "--numbers", path)
    assert report["n"] == 4 and set(report) >= {"exact", "digit_accuracy", "count_errors"}
    assert report["exact"] == 1.0 and report["digit_accuracy"] == 1.0 and report["count_errors"] == 0.0


def test_not_digits_report_rejected_and_confident_per_character(tmp_path, capsys):
    path = tmp_path / "letters.jsonl"
    h = [[(0.2, 0.1), (0.22, 0.9)], [(0.7, 0.1), (0.72, 0.9)], [(0.2, 0.5), (0.7, 0.5)]]
    hatch = [[(0.1 * i, 0.0), (0.1 * i + 0.5, 1.0)] for i in range(10)]
    write(
        path,
        [StrokeSample(None, h, "here", "me", {"char": "H"}), StrokeSample(None, hatch, "here", "me", {"char": "#"})],
    )
    report = run_json(capsys, "--not-digits", path)
    assert report["n"] == 2 and set(report["per_character"]) == {"H", "#"}
    per_character = report["per_character"].values()
    assert report["rejected"] == sum(c["rejected"] for c in per_character) / 2
    assert report["confident_digit"] == sum(c["confident_digit"] for c in per_character) / 2
    assert report["rejected"] + report["confident_digit"] <= 1
    assert report["per_character"]["H"]["rejected"] == 1.0  # the bundled model knows an H


def test_aligned_matches_counts_digits_read_right_in_order():
    assert evaluate.aligned_matches("2026", "2026") == 4
    assert evaluate.aligned_matches("2026", "226") == 3  # one digit lost
    assert evaluate.aligned_matches("2026", "2?26") == 3  # one unread
    assert evaluate.aligned_matches("12", "21") == 1


def test_digits_report_the_answer_per_writer_and_each_network_alone(tmp_path, capsys):
    path = tmp_path / "digits.jsonl"
    samples = [StrokeSample(d, DIGITS[d], "here", f"writer-{d % 2}") for d in (0, 1, 3, 4, 7, 8)]
    write(path, samples)
    report = run_json(capsys, "--strokes", path)
    assert {"accuracy", "rejected", "per_class", "per_source", "confusion", "calibration"} <= set(report)
    assert {writer: v["n"] for writer, v in report["per_writer"].items()} == {"writer-0": 3, "writer-1": 3}
    assert all(v["accuracy"] == 1.0 for v in report["per_writer"].values())
    for alone in ("picture_alone", "path_alone"):
        assert set(report[alone]) == {"accuracy", "rejected", "per_class", "n"} and report[alone]["n"] == 6
    assert report["accuracy"] == 1.0  # the self-test's clean digits


def test_only_the_validation_writers_when_asked(tmp_path, capsys):
    path = tmp_path / "digits.jsonl"
    write(path, [StrokeSample(7, DIGITS[7], "tos", "tos/1007"), StrokeSample(7, DIGITS[7], "tos", "tos/9999")])
    report = run_json(capsys, "--strokes", path, "--validation-writers")
    assert report["n"] == 1 and list(report["per_writer"]) == ["tos/1007"]
