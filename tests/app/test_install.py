"""The user's path: the wheel carries the bundled files, and the installed app finds them.

These run the real entry points in subprocesses from a folder outside the
checkout, the way a person starts the app after `pip install .`.
"""

import os
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from helpers import REPO

from mnist_pad.datasets.shipped import SHIPPED_FILES
from mnist_pad.resources import ASSET_NAMES

pytestmark = pytest.mark.slow


def run(args, cwd, env=None, timeout=120):
    environment = {**os.environ, "QT_QPA_PLATFORM": "offscreen", **(env or {})}
    return subprocess.run(args, cwd=cwd, env=environment, capture_output=True, text=True, timeout=timeout)


@pytest.fixture(scope="module")
def wheel(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("wheel")
    result = run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "-w", str(out), str(REPO)], out
    )
    assert result.returncode == 0, result.stderr
    (path,) = out.glob("mnist_pad-*.whl")
    return path


def test_the_wheel_carries_every_bundled_file(wheel):
    names = set(zipfile.ZipFile(wheel).namelist())
    missing = [name for name in (*ASSET_NAMES, *SHIPPED_FILES) if f"mnist_pad/assets/{name}" not in names]
    assert not missing, f"{wheel.name} lacks {missing}"


def test_the_wheel_states_its_licence_and_carries_the_licence_files(wheel):
    archive = zipfile.ZipFile(wheel)
    (metadata,) = [n for n in archive.namelist() if n.endswith(".dist-info/METADATA")]
    text = archive.read(metadata).decode()
    assert "License-Expression: MIT" in text and "Classifier: Topic :: Education" in text
    licences = {Path(n).name for n in archive.namelist() if "/licenses/" in n}
    assert {"LICENSE", "THIRD-PARTY-LICENSES.md"} <= licences


@pytest.fixture(scope="module")
def installed(wheel, tmp_path_factory) -> Path:
    """The wheel unpacked into a folder of its own (its dependencies come from this environment)."""
    target = tmp_path_factory.mktemp("site")
    result = run([sys.executable, "-m", "pip", "install", "--no-deps", "--target", str(target), str(wheel)], target)
    assert result.returncode == 0, result.stderr
    return target


def test_the_installed_app_passes_its_self_test_from_another_folder(installed, tmp_path):
    result = run([sys.executable, "-m", "mnist_pad", "--self-test"], tmp_path, {"PYTHONPATH": str(installed)})
    assert result.returncode == 0, result.stdout + result.stderr
    assert f"model: {installed}" in result.stdout  # the installed copy, not the checkout's
    assert "self-test: passed" in result.stdout


def test_the_installed_app_trains_on_the_data_it_ships_with_no_data_variable(installed, tmp_path):
    """Retrain's and Learn's defaults, from an install: every source found inside the package."""
    code = (
        "from mnist_pad.datasets import shipped, mnist, pendigits; from mnist_pad.model import training_data as t;"
        "print(mnist.resolve_folder(None)); print(pendigits.resolve_folder(None));"
        "print(t.resolve_pen_digits(None)); print(t.resolve_letters(None))"
    )
    environment = {k: v for k, v in os.environ.items() if not k.startswith("MNIST_PAD_")}
    environment["PYTHONPATH"] = str(installed)
    result = subprocess.run([sys.executable, "-c", code], cwd=tmp_path, env=environment, capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    found = result.stdout.split()
    assert len(found) == 4 and all(path.startswith(str(installed / "mnist_pad" / "assets" / "data")) for path in found)


def test_a_missing_bundled_model_fails_the_self_test_in_one_line(installed, tmp_path):
    broken = tmp_path / "site"
    shutil.copytree(installed, broken)
    (broken / "mnist_pad" / "assets" / "model.keras").unlink()
    (broken / "mnist_pad" / "assets" / "model.tflite").unlink()
    result = run([sys.executable, "-m", "mnist_pad", "--self-test"], tmp_path, {"PYTHONPATH": str(broken)}, timeout=60)
    assert result.returncode == 1
    failures = [line for line in result.stdout.splitlines() if line.startswith("self-test: FAIL ")]
    assert len(failures) == 1 and "model.keras: no such model file" in failures[0], result.stdout
    assert "Traceback" not in result.stdout + result.stderr


def test_the_console_script_starts_the_installed_app(tmp_path):
    script = Path(sys.executable).with_name("mnist-pad")
    if not script.is_file():
        pytest.skip(f"{script} is not installed (pip install . installs it)")
    result = run([str(script), "--self-test"], tmp_path)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "self-test: passed" in result.stdout


@pytest.mark.parametrize(
    ("system", "machine", "expected"),
    [
        ("linux", "x86_64", "tensorflow-cpu"),
        ("linux", "aarch64", "tensorflow"),
        ("darwin", "arm64", "tensorflow"),
        ("win32", "AMD64", "tensorflow"),
    ],
)
def test_every_platform_gets_exactly_one_tensorflow(system, machine, expected):
    tomllib = pytest.importorskip("tomllib")
    from packaging.requirements import Requirement

    project = tomllib.loads((REPO / "pyproject.toml").read_text())["project"]
    assert not [d for d in project["dependencies"] if d.startswith("tensorflow")]  # the light pad has none
    declared = project["optional-dependencies"]["train"]
    environment = {"sys_platform": system, "platform_machine": machine, "python_version": "3.11", "extra": "train"}
    chosen = [
        r.name for r in map(Requirement, declared) if r.name.startswith("tensorflow") and r.marker.evaluate(environment)
    ]
    assert chosen == [expected]


@pytest.mark.tensorflow
def test_this_environment_has_one_tensorflow_distribution():
    from mnist_pad.app.selftest import installed_tensorflows

    assert len(installed_tensorflows()) == 1, installed_tensorflows()


def test_the_wheel_carries_the_icon_at_every_standard_size(wheel):
    names = set(zipfile.ZipFile(wheel).namelist())
    for size in (16, 24, 32, 48, 64, 128, 256, 512):
        assert f"mnist_pad/assets/icons/{size}x{size}.png" in names
