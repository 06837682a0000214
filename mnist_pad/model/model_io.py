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
from collections.abc import Iterator
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
#: A configuration that could build more weights than this is refused before Keras builds it (a
#: 995-byte file declaring a 600,000-unit Dense took 5.5 GB): ours have 229,366, and the bound
#: below is generous (about 3 million for ours), so any digit reader of reasonable size passes.
MAX_PARAMS = 50_000_000
#: Configuration keys that size a layer's weights.
_WIDTH_KEYS = ("units", "filters", "output_dim", "input_dim", "key_dim", "value_dim", "num_heads")
#: Layers whose output holds more elements than their input, by these keys.
_GROWTH_KEYS = ("size", "n")


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
            if broken is None and "config.json" in archive.namelist():
                config = json.loads(archive.read("config.json").decode("utf-8"))
                check_model_size(config, path)
    except FileNotFoundError:
        raise ModelFileError(f"{path}: no such model file.") from None
    except PermissionError:
        raise ModelFileError(f"{path}: cannot be read (permission denied).") from None
    except (zipfile.BadZipFile, EOFError, OSError, zlib.error, ValueError, RecursionError) as exc:
        raise ModelFileError(f"{path}: is damaged or not a Keras model ({type(exc).__name__}: {exc}).") from exc
    if broken is not None:
        raise ModelFileError(f"{path}: is damaged ({broken} fails its checksum).")


def _layers(config: Any) -> Iterator[tuple[str, dict[str, Any]]]:
    """(class name, config) of every layer in a Keras configuration, nested models' and cells' too."""
    if isinstance(config, dict):
        if isinstance(config.get("class_name"), str) and isinstance(config.get("config"), dict):
            yield config["class_name"], config["config"]
        for value in config.values():
            yield from _layers(value)
    elif isinstance(config, list):
        for value in config:
            yield from _layers(value)


def _whole_numbers(value: Any) -> list[int]:
    """The non-negative integers in a config value (an int, or a list of them and None)."""
    values = value if isinstance(value, list | tuple) else [value]
    return [v for v in values if isinstance(v, int) and not isinstance(v, bool) and v >= 0]


def _product(values: list[int]) -> int:
    product = 1
    for value in values:
        product *= max(value, 1)
    return product


def parameter_bound(config: Any) -> int:
    """An upper bound on the weights a Keras configuration builds, without building it.

    No layer's input is wider than the widest input's elements times the most channels any layer
    makes (times what upsampling adds); a Dense may take all of them, a convolution its kernel over
    that many channels, anything else with a width as much as a Dense of its widths' product."""
    layers = list(_layers(config))
    inputs = [_product(_whole_numbers(c.get("batch_shape") or c.get("batch_input_shape"))[1:]) for _, c in layers]
    channels = [n for _, c in layers for key in _WIDTH_KEYS for n in _whole_numbers(c.get(key))]
    channels += [n for _, c in layers for n in _whole_numbers(c.get("batch_shape"))[-1:]]
    most_channels = max([1, *channels])
    growth = _product([n for _, c in layers for key in _GROWTH_KEYS for n in _whole_numbers(c.get(key))])
    widest = max([1, *inputs]) * most_channels * growth
    total = 0
    for class_name, c in layers:
        widths = [n for key in _WIDTH_KEYS for n in _whole_numbers(c.get(key))]
        kernel = _product(_whole_numbers(c.get("kernel_size")))
        if "filters" in c:
            total += _product(widths) * kernel * most_channels
        elif class_name == "Embedding":
            total += _product(widths)
        elif widths:
            total += _product(widths) * kernel * widest
        else:
            total += 4 * most_channels  # normalisation, biases of their own
    return total


def check_model_size(config: Any, path: str | os.PathLike[str]) -> None:
    """Refuse a configuration that could build more than MAX_PARAMS weights (ModelFileError)."""
    bound = parameter_bound(config)
    if bound > MAX_PARAMS:
        raise ModelFileError(
            f"{path}: its configuration could build up to {bound:,} weights (at most {MAX_PARAMS:,} are "
            "accepted); refused before building it."
        )


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
