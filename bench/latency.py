#!/usr/bin/env python3
"""Drawing to probabilities: the app's path (preprocess + the pen's path + LiteRT) against a direct
Keras call, and a whole written number to its reading.

    python bench/latency.py [--runs 2000]

Both sides start from the canvas's raster of the same pen-written digits and
run one after the other in this process. Prints min, median and p99 and the
ratio against the baseline. The number reading (segment, render each digit,
preprocess, LiteRT) starts from the strokes of 6-digit pen-written numbers,
with no cache: what the pad does after every stroke.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
sys.path.insert(0, str(Path(__file__).resolve().parent))

import numpy as np
from common import row, sample_drawings, sample_numbers, stats_ms

from mnist_pad.ink.drawing import Drawing
from mnist_pad.ink.path import path_features
from mnist_pad.ink.preprocess import to_mnist
from mnist_pad.ink.reading import ReadingCache, read_drawing
from mnist_pad.ink.render import render
from mnist_pad.model.inference import load_classifier
from mnist_pad.resources import bundled_model


def time_each(fn, items, repeat: int) -> list[float]:
    times = []
    for i in range(repeat):
        item = items[i % len(items)]
        start = time.perf_counter()
        fn(item)
        times.append(time.perf_counter() - start)
    return times


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--runs", type=int, default=2000)
    parser.add_argument("--model", type=Path, default=bundled_model())
    args = parser.parse_args()

    drawings = sample_drawings(200)
    rasters = [render(d).image for d in drawings]
    digits = list(zip(rasters, [d.strokes for d in drawings], strict=True))
    classifier = load_classifier(args.model)
    from mnist_pad.model.inputs import model_inputs
    from mnist_pad.model.model_io import load_keras

    model = load_keras(args.model)

    def app_path(digit):
        raster, strokes = digit
        return classifier.classify(to_mnist(raster), strokes)

    def keras_inputs(digit):
        raster, strokes = digit
        return model_inputs(model, to_mnist(raster)[None], path_features(strokes)[None])

    def keras_call(digit):
        return model(keras_inputs(digit), training=False).numpy()[0]

    def keras_predict(digit):
        return model.predict(keras_inputs(digit), verbose=0)[0]

    for fn in (app_path, keras_call, keras_predict):  # warm up
        for digit in digits[:20]:
            fn(digit)
    worst = max(float(np.abs(app_path(d) - keras_call(d)).max()) for d in digits)
    images = [to_mnist(r) for r in rasters]
    paths = [path_features(d.strokes) for d in drawings]

    results = {
        "render whole drawing (replay only)": time_each(lambda d: render(d), drawings, args.runs),
        "preprocess (raster -> 28x28)": time_each(to_mnist, rasters, args.runs),
        "the pen's path (strokes -> 64x5)": time_each(lambda d: path_features(d.strokes), drawings, args.runs),
        "LiteRT inference alone": time_each(
            lambda i: classifier.predict(images[i], paths[i]), range(len(images)), args.runs
        ),
    }
    numbers = sample_numbers(100, 6)
    whole_rasters = {id(d): render(d).image for d in numbers}
    number_reading = time_each(lambda d: read_drawing(d, classifier.classify, whole_rasters[id(d)]), numbers, args.runs)

    def after_last_stroke(drawing):
        """What the pad does at a pen-up: the digits before the last stroke are read already."""
        cache = ReadingCache()
        before = Drawing(drawing.strokes[:-1], drawing.pen_width)
        read_drawing(before, classifier.classify, render(before).image, cache)
        start = time.perf_counter()
        read_drawing(drawing, classifier.classify, whole_rasters[id(drawing)], cache)
        return time.perf_counter() - start

    per_stroke = [after_last_stroke(numbers[i % len(numbers)]) for i in range(max(200, args.runs // 4))]
    app = time_each(app_path, digits, args.runs)
    keras = time_each(keras_call, digits, max(200, args.runs // 4))
    keras_predict_times = time_each(keras_predict, digits, 100)
    keras_stats = stats_ms(keras)

    print(f"model {args.model}; {args.runs} runs over {len(drawings)} pen-written digits")
    print(f"largest |LiteRT - Keras| probability difference: {worst:.2e}")
    for name, times in results.items():
        print(row(name, times))
    print(row("app: preprocess + path + LiteRT", app, keras_stats))
    print(row("baseline: preprocess + path + Keras model(x)", keras))
    print(row("baseline: preprocess + Keras model.predict", keras_predict_times))
    print(row(f"6-digit number -> reading, from scratch ({len(numbers)})", number_reading, stats_ms(app)))
    print(row("6-digit number -> reading, at its last pen-up", per_stroke, stats_ms(app)))
    print("  (the ratios on those two lines compare them with one digit's preprocess + LiteRT)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
