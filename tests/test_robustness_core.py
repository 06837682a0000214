"""Bad files meet clear messages, never tracebacks: strokes, MNIST, models, full disks."""

import gzip
import json
import os
import subprocess
import sys
import zipfile

import pytest
from helpers import REPO, write_mnist_folder

from mnist_pad.datasets.mnist import load_mnist
from mnist_pad.errors import DataError, MnistPadError, ModelFileError
from mnist_pad.ink.strokes import parse_sample, read_stroke_file
from mnist_pad.model.model_io import check_keras_file, load_keras
from mnist_pad.resources import bundled_model


@pytest.mark.parametrize(
    "point",
    ["[1" + "0" * 400 + ", 0.5]", "[1e308, 0.5]", "[-1e308, 0.6]", "[NaN, 0]", "[Infinity, 0]"],
)
def test_huge_or_infinite_coordinates_are_refused_as_a_bad_line(point):
    with pytest.raises(ValueError, match="bad point"):
        parse_sample('{"label": 1, "strokes": [[[0, 0], ' + point + "]]}")


def test_a_file_with_one_huge_coordinate_keeps_its_other_lines(tmp_path):
    path = tmp_path / "s.jsonl"
    good = json.dumps({"label": 3, "strokes": [[[0, 0], [1, 1]]]})
    path.write_text(good + "\n" + '{"label": 1, "strokes": [[[1' + "0" * 400 + ", 0]]]}\n" + good + "\n")
    samples, problems = read_stroke_file(path)
    assert len(samples) == 2 and len(problems) == 1 and problems[0].startswith(f"{path}:2: ")


def test_corrupt_deflate_data_is_a_clear_error_naming_the_file(tmp_path):
    data = bytearray(gzip.compress(b'{"label": 1, "strokes": [[[0, 0], [1, 1]]]}\n' * 200))
    data[40:60] = b"\xff" * 20  # the deflate stream, not the header
    path = tmp_path / "bad.jsonl.gz"
    path.write_bytes(bytes(data))
    with pytest.raises(DataError, match="bad.jsonl.gz: cannot be read"):
        read_stroke_file(path)
    mnist = write_mnist_folder(tmp_path / "mnist")
    target = mnist / "t10k-images-idx3-ubyte.gz"
    raw = bytearray(target.read_bytes())
    raw[30:50] = b"\x00" * 20
    target.write_bytes(bytes(raw))
    with pytest.raises(DataError, match="t10k-images-idx3-ubyte.gz: cannot be read"):
        load_mnist(mnist)


def test_a_zip_bomb_keras_file_is_refused_before_keras_sees_it(tmp_path):
    path = tmp_path / "bomb.keras"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("config.json", "{" + " " * (300 * 2**20) + "}")
    assert path.stat().st_size < 2**20
    with pytest.raises(ModelFileError, match="refused as unsafe"):
        load_keras(path)


def test_a_truncated_keras_file_is_damaged(tmp_path):
    path = tmp_path / "cut.keras"
    path.write_bytes(bundled_model().read_bytes()[:-5000])
    with pytest.raises(ModelFileError, match="damaged"):
        check_keras_file(path)


@pytest.mark.tensorflow
def test_train_py_on_a_full_disk_says_so_and_leaves_nothing(tmp_path, tiny_mnist):
    script = f"""
import errno, sys
sys.path.insert(0, {str(REPO)!r})
import mnist_pad.files.atomic as atomic
real = atomic.write_with
def full(path, write):
    raise OSError(errno.ENOSPC, "No space left on device", str(path))
atomic.write_with = full
import train
sys.exit(train.main(["--preset", "quick", "--epochs", "1", "--data", {str(tiny_mnist)!r},
                     "--out", {str(tmp_path / "out" / "m.keras")!r}]))
"""
    (tmp_path / "out").mkdir()
    env = {**os.environ, "MNIST_PAD_PEN_DATA": "", "MNIST_PAD_LETTERS": "", "MNIST_PAD_PEN_DIGITS": ""}
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=300, env=env)
    assert result.returncode == 1, result.stderr[-2000:]
    assert "No space left on device" in result.stderr and "Traceback" not in result.stderr
    assert list((tmp_path / "out").iterdir()) == []


def as_nobody(call) -> str:
    """Run `call` in a forked child that has become the unprivileged user `nobody` (root ignores
    file modes, so permission failures only show for an ordinary user); the message it raised."""
    if os.geteuid() != 0:
        pytest.skip("needs root to switch to an unprivileged user")
    read_end, write_end = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child: modules are imported already, so nothing needs reading as nobody
        os.close(read_end)
        try:
            os.setgroups([])
            os.setgid(65534)
            os.setuid(65534)
            call()
            message = "no error"
        except MnistPadError as exc:
            message = f"MESSAGE {exc}"
        except BaseException as exc:
            message = f"TRACEBACK {type(exc).__name__}: {exc}"
        os.write(write_end, message.encode())
        os._exit(0)
    os.close(write_end)
    with os.fdopen(read_end) as pipe:
        message = pipe.read()
    os.waitpid(pid, 0)
    return message


def test_an_unreadable_mnist_folder_is_blamed_by_name(tmp_path):
    folder = write_mnist_folder(tmp_path / "mnist")
    os.chmod(tmp_path, 0o755)
    os.chmod(folder, 0o000)
    message = as_nobody(lambda: load_mnist(folder))
    assert message.startswith("MESSAGE") and "permission denied" in message and str(folder) in message


def test_an_unreadable_keras_file_is_not_called_missing(tmp_path):
    path = tmp_path / "mine.keras"
    path.write_bytes(bundled_model().read_bytes())
    os.chmod(tmp_path, 0o755)
    os.chmod(path, 0o000)
    message = as_nobody(lambda: check_keras_file(path))
    assert message.startswith("MESSAGE") and "permission denied" in message and "no such" not in message


def test_a_failed_accept_leaves_the_model_in_use_whole(tmp_path, monkeypatch):
    import errno

    from mnist_pad.files import atomic
    from mnist_pad.model.model_io import litert_path_for
    from mnist_pad.person.store import ModelStore

    store = ModelStore(tmp_path / "data")
    first = store.accept(bundled_model(), b"first tflite")
    assert store.active() == first and litert_path_for(first).read_bytes() == b"first tflite"
    real = atomic.write_bytes

    def disk_fills_at_the_tflite(target, data):
        if str(target).endswith(".tflite"):
            raise OSError(errno.ENOSPC, "No space left on device", str(target))
        real(target, data)

    monkeypatch.setattr(atomic, "write_bytes", disk_fills_at_the_tflite)
    with pytest.raises(OSError):
        store.accept(bundled_model(), b"second tflite")
    assert store.active() == first and litert_path_for(first).read_bytes() == b"first tflite"
    versions = [p for p in (tmp_path / "data" / "models").iterdir() if not p.name.startswith(".")]
    assert versions == [first.parent]  # the half-written one is gone
    monkeypatch.setattr(atomic, "write_bytes", real)
    second = store.accept(bundled_model(), b"second tflite")
    assert store.active() == second and first.exists()  # the first stays in the history
    store.use_bundled()
    assert store.active() == store.bundled and second.exists()


def test_a_stroke_of_200000_points_is_refused_quickly(tmp_path):
    path = tmp_path / "long.jsonl"
    long_stroke = [[i / 200_000, 0.5] for i in range(200_000)]
    path.write_text(
        json.dumps({"label": 1, "strokes": [long_stroke]}) + "\n" + '{"label": 1, "strokes": [[[0,0],[0,1]]]}\n'
    )
    samples, problems = read_stroke_file(path)
    assert len(samples) == 1 and problems[0].startswith(f"{path}:1: ")  # too long a line, or too many points


def odd_model(kind: str):
    import keras

    if kind == "uint8 input":
        inputs = keras.Input((28, 28, 1), dtype="uint8")
        outputs = keras.layers.Dense(11, activation="softmax")(
            keras.layers.Flatten()(keras.ops.cast(inputs, "float32"))
        )
        return keras.Model(inputs, outputs)
    if kind == "float64 input":
        inputs = keras.Input((28, 28, 1), dtype="float64")
        return keras.Model(
            inputs, keras.layers.Dense(11, dtype="float64")(keras.layers.Flatten(dtype="float64")(inputs))
        )
    if kind == "a path of the wrong shape":
        image, path = keras.Input((28, 28, 1)), keras.Input((32, 3))
        joined = keras.layers.Concatenate()([keras.layers.Flatten()(image), keras.layers.Flatten()(path)])
        return keras.Model([image, path], keras.layers.Dense(11, activation="softmax")(joined))
    a, b = keras.Input((28, 28, 1)), keras.Input((28, 28, 1))
    flat = keras.layers.Flatten()(keras.layers.Add()([a, b]))
    return keras.Model([a, b], [keras.layers.Dense(11)(flat), keras.layers.Dense(10)(flat)])


@pytest.mark.parametrize(
    "kind", ["uint8 input", "float64 input", "two inputs and two outputs", "a path of the wrong shape"]
)
@pytest.mark.tensorflow
def test_a_model_of_the_wrong_kind_is_refused_when_opened(tmp_path, kind):
    from mnist_pad.model.inference import load_classifier

    path = tmp_path / "odd.keras"
    odd_model(kind).save(path)
    with pytest.raises(ModelFileError, match=r"MNIST Pad needs a float32 28x28x1 image in \(and, beside it, the pen"):
        load_classifier(path)


def test_a_model_kept_by_an_earlier_version_stays_in_use(tmp_path):
    from mnist_pad.model.model_io import litert_path_for
    from mnist_pad.person.store import ModelStore

    data = tmp_path / "data"
    data.mkdir()
    (data / "model.keras").write_bytes(bundled_model().read_bytes())  # the layout before versioned folders
    litert_path_for(data / "model.keras").write_bytes(b"old tflite")
    store = ModelStore(data)
    assert store.active() == data / "model.keras"
    newer = store.accept(bundled_model(), b"new tflite")
    assert store.active() == newer and (data / "model.keras").exists()  # the data folder is never removed
    store.use_bundled()
    assert store.active() == store.bundled and (data / "model.keras").exists() and data.is_dir()  # nothing removed
