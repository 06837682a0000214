"""Shared helpers for the benchmarks: sample drawings and a summary line."""

from __future__ import annotations

from pathlib import Path

import numpy as np

from mnist_pad.ink.drawing import Drawing, Stroke
from mnist_pad.ink.strokes import read_stroke_file, replay

PEN_DIGITS = Path(__file__).resolve().parents[2] / "shared" / "data" / "pen_digits" / "dev.jsonl.gz"
PEN_NUMBERS = PEN_DIGITS.parents[1] / "pen_numbers" / "dev.jsonl.gz"
LETTERS = PEN_DIGITS.parents[1] / "letters" / "dev.jsonl.gz"


def digit_strokes(count: int) -> list[list[Stroke]]:
    """Strokes of pen-written digits, spread over the dev set (or a fixed seven without the data)."""
    if PEN_DIGITS.is_file():
        samples, _ = read_stroke_file(PEN_DIGITS)
        picks = np.linspace(0, len(samples) - 1, count).astype(int)
        return [samples[i].strokes for i in picks]
    return [[[(0, 0), (1, 0), (0.4, 1)]]] * count


def number_strokes(count: int, length: int = 6) -> list[list[Stroke]]:
    """Strokes of pen-written numbers of `length` digits (or the self-test's digits side by side)."""
    if PEN_NUMBERS.is_file():
        samples, _ = read_stroke_file(PEN_NUMBERS)
        return [s.strokes for s in samples if len(s.text) == length][:count]
    from mnist_pad.app.selftest import DIGITS

    return [[[(x + 0.4 * i, y) for x, y in stroke] for i in range(length) for stroke in DIGITS[i % 10]]] * count


def sample_drawings(count: int) -> list[Drawing]:
    """Pen-written digits as the canvas holds them."""
    return [replay(strokes) for strokes in digit_strokes(count)]


def stats_ms(seconds: list[float]) -> dict[str, float]:
    ms = np.asarray(seconds) * 1000
    return {"min": float(ms.min()), "p50": float(np.median(ms)), "p99": float(np.percentile(ms, 99))}


def row(name: str, seconds: list[float], baseline: dict[str, float] | None = None) -> str:
    s = stats_ms(seconds)
    text = f"{name:<44} min {s['min']:8.3f}  p50 {s['p50']:8.3f}  p99 {s['p99']:8.3f} ms"
    if baseline:
        ratio = baseline["p50"] / s["p50"]
        text += f"   {ratio:6.1f}x faster (p50)" if ratio >= 1 else f"   {1 / ratio:6.1f}x slower (p50)"
    return text


def sample_numbers(count: int, length: int = 6) -> list[Drawing]:
    """Pen-written numbers of `length` digits as the canvas holds them."""
    return [replay(strokes) for strokes in number_strokes(count, length)]
