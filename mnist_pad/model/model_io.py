"""Reading and writing model files (TensorFlow imported only when called).

A model is stored as `name.keras` (the trainable model) with its LiteRT
model `name.tflite` beside it (the same network, for inference without
TensorFlow) and, from train.py, `name.json` (its metrics). Every write is atomic.
"""

from __future__ import annotations

import json
import os
import zipfile
import zlib
from pathlib import Path
from typing import TYPE_CHECKING, Any

from mnist_pad.errors import ModelFileError
from mnist_pad.files import atomic
from mnist_pad.ink.path import PATH_SHAPE
from mnist_pad.model.presets import INPUT_SHAPE, OUTPUT_SIZES, SIGNATURE

if TYPE_CHECKING:
    import keras


def litert_path_for(keras_path: str | os.PathLike[str]) -> Path:
    return Path(keras_path).with_suffix(".tflite")


def current_litert_path(keras_path: str | os.PathLike[str]) -> Path | None:
    """The .keras file's LiteRT model, if there is one written no earlier than the .keras."""
    litert = litert_path_for(keras_path)
    try:
        return litert if litert.stat().st_mtime >= Path(keras_path).stat().st_mtime else None
    except OSError:
        return None


def metrics_path_for(keras_path: str | os.PathLike[str]) -> Path:
    return Path(keras_path).with_suffix(".json")


def to_tflite(model: keras.Model) -> bytes:
    """Convert to LiteRT's flatbuffer with dynamic-range quantisation: weights stored as int8,
    images in and probabilities out as float32. Three times faster than float32 weights on
    this CPU (0.042 against 0.125 ms a digit) and a quarter of the size; it reads the data
    sets as well (README, "Speed"), and needs no example data, so every export can do it."""
    import contextlib
    import io

    import tensorflow as tf

    converter = tf.lite.TFLiteConverter.from_keras_model(model)
    converter.optimizations = [tf.lite.Optimize.DEFAULT]
    with contextlib.redirect_stdout(io.StringIO()):  # the converter prints every tensor spec
        return converter.convert()


def save_model(model: keras.Model, path: str | os.PathLike[str], metrics: dict[str, Any] | None = None) -> Path:
    """Write `path` (.keras), its LiteRT model (.tflite) and, if given, its metrics JSON."""
    path = Path(path)
    if path.suffix != ".keras":
        raise ModelFileError(f"{path}: model files must end in .keras")
    # The .keras first: a crash between the writes leaves a .tflite older than
    # its .keras, which `inference.load_classifier` notices and converts anew.
    litert = to_tflite(model)
    atomic.write_with(path, model.save)
    atomic.write_bytes(litert_path_for(path), litert)
    if metrics is not None:
        atomic.write_text(metrics_path_for(path), json.dumps(metrics, indent=1) + "\n")
    return path


def check_signature(model: keras.Model, path: str | os.PathLike[str]) -> None:
    """Refuse models that do not map a 28x28x1 image (and the pen's path, or nothing) to 10 (or 11)
    probabilities."""
    in_shapes = [tuple(t.shape[1:]) for t in model.inputs]
    out_shapes = [tuple(t.shape[1:]) for t in model.outputs]
    dtypes = {str(t.dtype) for t in (*model.inputs, *model.outputs)}
    if (
        in_shapes not in ([INPUT_SHAPE], [INPUT_SHAPE, PATH_SHAPE])
        or len(out_shapes) != 1
        or out_shapes[0] not in [(n,) for n in OUTPUT_SIZES]
        or dtypes != {"float32"}
    ):
        raise ModelFileError(
            f"{path}: this model takes {in_shapes} and gives {out_shapes} ({', '.join(sorted(dtypes))}); {SIGNATURE}"
        )


#: A .keras archive whose members inflate past these is refused before Keras
#: sees it (a zip bomb): ours hold a config of ~10 KB and weights of ~1 MB.
MAX_CONFIG_BYTES = 4 * 2**20
MAX_ARCHIVE_BYTES = 256 * 2**20


def check_keras_file(path: str | os.PathLike[str]) -> None:
    """Cheap checks of a .keras file without TensorFlow: it exists, is readable, is a whole
    zip archive of sane size. Raises ModelFileError saying which."""
    path = Path(path)
    if path.suffix != ".keras":
        raise ModelFileError(f"{path}: not a .keras model file.")
    try:
        with zipfile.ZipFile(path) as archive:
            members = archive.infolist()
            total = sum(m.file_size for m in members)
            config = sum(m.file_size for m in members if m.filename.endswith(".json"))
            if total > MAX_ARCHIVE_BYTES or config > MAX_CONFIG_BYTES:
                raise ModelFileError(
                    f"{path}: its contents would inflate to {total / 2**20:,.0f} MB "
                    f"({config / 2**20:,.1f} MB of configuration); refused as unsafe."
                )
            broken = archive.testzip()  # reads every member: a truncated file fails here
    except FileNotFoundError:
        raise ModelFileError(f"{path}: no such model file.") from None
    except PermissionError:
        raise ModelFileError(f"{path}: cannot be read (permission denied).") from None
    except (zipfile.BadZipFile, EOFError, OSError, zlib.error) as exc:
        raise ModelFileError(f"{path}: is damaged or not a Keras model ({exc}).") from exc
    if broken is not None:
        raise ModelFileError(f"{path}: is damaged ({broken} fails its checksum).")


def load_keras(path: str | os.PathLike[str]) -> keras.Model:
    """Load a .keras file in Keras's safe mode (no arbitrary code from the file)."""
    path = Path(path)
    check_keras_file(path)
    import keras

    try:
        model = keras.saving.load_model(path, compile=False, safe_mode=True)
    except Exception as exc:  # Keras raises many types for a bad file
        reason = str(exc).splitlines()[0][:200] if str(exc) else type(exc).__name__
        raise ModelFileError(
            f"{path}: cannot be loaded as a Keras model ({reason}). Choose a .keras file saved "
            "by MNIST Pad or train.py."
        ) from exc
    check_signature(model, path)
    return model


def layer_summary(model: keras.Model) -> list[str]:
    """One line per layer, the way the seed write-up prints them."""
    lines = []
    layers = [layer for layer in model.layers if type(layer).__name__ != "InputLayer"]
    for number, layer in enumerate(layers, start=1):
        shape = tuple(layer.output.shape)
        lines.append(f"Layer {number}: {shape!s:<20} params {layer.count_params():>7,}  ({type(layer).__name__})")
    lines.append(f"Total params: {model.count_params():,}")
    return lines
