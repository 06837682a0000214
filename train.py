#!/usr/bin/env python3
"""Train a model preset on MNIST (and pen digits, and "not a digit"): a thin command line over
mnist_pad.model.training.train.

With no data flag it trains on the data that ships with the pad (offline): the bundled model's recipe.

python train.py --preset default --out assets/model.keras
python train.py --preset quick --no-pen-data
python train.py --preset seed --epochs 20 --data ../shared/data/mnist
python train.py --preset seed --summary
"""

from __future__ import annotations

import argparse
import os
import shlex
import sys
from pathlib import Path

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")  # keep TensorFlow's start-up chatter quiet

from mnist_pad.datasets.mnist import KERAS_DOWNLOAD
from mnist_pad.errors import MnistPadError
from mnist_pad.model.presets import PRESETS, get_preset


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--preset", default="default", choices=sorted(PRESETS))
    parser.add_argument("--epochs", type=int, help="default: the preset's")
    parser.add_argument("--batch-size", type=int, help="default: the preset's")
    parser.add_argument(
        "--data",
        help=f"folder with the four MNIST IDX files, or {KERAS_DOWNLOAD!r} for Keras's download "
        "(default: $MNIST_PAD_DATA, else the pad's own copy)",
    )
    parser.add_argument(
        "--pen-data",
        help="folder with the UCI pendigits files, pendigits-orig.tra[.gz] and .tes[.gz] "
        "(default: $MNIST_PAD_PEN_DATA, else the pad's own .tra)",
    )
    parser.add_argument(
        "--letters",
        help='stroke file of letters, the "not a digit" examples, or UNIPEN train_r01_v07\'s own 1b/1c .dat files '
        "(a file or a folder, converted) (default: $MNIST_PAD_LETTERS, else the pad's own)",
    )
    parser.add_argument(
        "--pen-digits",
        help="stroke file of the UNIPEN pen digits (pen_digits/dev.jsonl.gz), or UNIPEN train_r01_v07's own 1a "
        ".dat files (a file or a folder, converted); its validation writers never train "
        "(default: $MNIST_PAD_PEN_DIGITS, else the pad's own)",
    )
    parser.add_argument(
        "--no-pen-data",
        action="store_true",
        help="train on MNIST alone: no pen digits, no letters (the path network is then silenced, and the model "
        "reads by its picture alone)",
    )
    parser.add_argument(
        "--calibrate",
        type=Path,
        help="stroke file of digits to fit the confidence temperature on, never trained on (of the "
        "--pen-digits file: its validation writers only; default: the validation writers of the pen digits in use)",
    )
    parser.add_argument("--out", type=Path, help="model file to write (default: runs/PRESET.keras)")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--summary", action="store_true", help="print each layer's output shape and parameters")
    args = parser.parse_args(argv)
    if args.no_pen_data:
        given = [flag for flag in ("pen_data", "letters", "pen_digits") if getattr(args, flag)]
        if given:
            parser.error(f"--no-pen-data leaves out what --{given[0].replace('_', '-')} gives: use one of them")
        args.pen_data = args.letters = args.pen_digits = ""
    for name in ("epochs", "batch_size"):
        value = getattr(args, name)
        if value is not None and value < 1:
            parser.error(f"--{name.replace('_', '-')} must be at least 1")
    return args


def print_progress(progress) -> None:
    line = (
        f"epoch {progress.epoch}/{progress.epochs}  batch {progress.batch}/{progress.batches}  "
        f"loss {progress.loss:.4f}  acc {progress.accuracy:.4f}  {progress.elapsed_s:.0f}s"
    )
    if progress.epoch_done:
        val = "" if progress.val_accuracy is None else f"  test acc {progress.val_accuracy:.4f}"
        print(f"\r{line}{val}", flush=True)
    elif sys.stdout.isatty():
        print(f"\r{line}", end="", flush=True)


class StageLine:
    """Stages before training (converting UNIPEN's files), said on one line that updates."""

    def __init__(self) -> None:
        self.said = False

    def __call__(self, text: str) -> None:
        print(f"\r{text}", end="", flush=True)
        self.said = True

    def end(self) -> None:
        if self.said:
            print()


def read_calibration(path: Path, training_file: Path | None):
    """The digits of a stroke file as (images, labels, paths), as the canvas would hold them; of the
    file that also trains, only its validation writers."""
    from mnist_pad.datasets.unipen import is_validation_writer
    from mnist_pad.datasets.unipen_files import read_samples
    from mnist_pad.model.training_data import calibration_set

    trains = training_file is not None and training_file.resolve() == path.resolve()
    digits = [s for s in read_samples(path, "digits")[0] if not trains or is_validation_writer(s.writer)]
    if not any(s.label is not None for s in digits):
        raise MnistPadError(
            f"{path}: no digit to fit the confidence on (of its validation writers, when it also trains)"
        )
    return calibration_set(digits)


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    preset = get_preset(args.preset)
    if args.summary:
        from mnist_pad.model.model_io import layer_summary

        print(f"Preset {preset.name}: {preset.summary}")
        print("\n".join(layer_summary(preset.build())))
        return 0

    from mnist_pad.datasets.mnist import load_mnist

    try:
        out = args.out or Path("runs") / f"{preset.name}.keras"
        if out.suffix != ".keras":
            raise MnistPadError(f"{out}: --out must name a .keras file")
        from mnist_pad.model.training_data import for_preset, resolve_pen_digits

        stages = StageLine()
        built = for_preset(
            preset,
            load_mnist(args.data),
            args.pen_data,
            args.letters,
            seed=args.seed,
            pen_digits_file=args.pen_digits,
            on_stage=stages,
        )
        stages.end()
        for note in built.notes:
            print(note)
        data, composition = built.data, built.composition
        pen_digits = resolve_pen_digits(args.pen_digits)
        calibration = read_calibration(args.calibrate, pen_digits) if args.calibrate else built.calibration
        from mnist_pad.model.model_io import save_model
        from mnist_pad.model.training import train

        print(f"Training preset {preset.name!r} on {len(data.x_train):,} images: {composition}")
        result = train(
            preset,
            data,
            epochs=args.epochs,
            batch_size=args.batch_size,
            seed=args.seed,
            on_progress=print_progress,
            calibration=calibration,
        )
        result.metrics["train_composition"] = composition
        result.metrics["command"] = shlex.join(["python", "train.py", *(argv or sys.argv[1:])])
        save_model(result.model, out, result.metrics)
    except MnistPadError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    except OSError as exc:  # a full disk or a read-only folder while saving: nothing partial is left
        print(
            f"error: could not write {exc.filename or out}: {exc.strerror or exc}. Nothing was saved.", file=sys.stderr
        )
        return 1
    except KeyboardInterrupt:
        print("\ninterrupted; nothing was saved", file=sys.stderr)
        return 130
    m = result.metrics
    print(
        f"MNIST test accuracy {m['accuracy']:.2%}  loss {m['loss']:.4f}  "
        f"{m['epochs']} epochs in {m['wall_time_s']:.0f}s"
    )
    print(f"saved {out} (+ .tflite, .json)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
