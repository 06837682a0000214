"""The packaged executable: build with build.spec, self-test it, launch it, close it."""

import importlib.util
import os
import signal
import subprocess
import sys
import time

import pytest
from helpers import REPO


@pytest.fixture(scope="module")
def executable(tmp_path_factory):
    # This interpreter's PyInstaller, not whatever `pyinstaller` PATH finds (or does not).
    if importlib.util.find_spec("PyInstaller") is None:
        pytest.skip("PyInstaller is not installed in this environment (pip install '.[test]' installs it)")
    work = tmp_path_factory.mktemp("pyinstaller")
    subprocess.run(
        [
            sys.executable,
            "-m",
            "PyInstaller",
            "--noconfirm",
            "--log-level",
            "WARN",
            "--distpath",
            str(work / "dist"),
            "--workpath",
            str(work / "build"),
            "build.spec",
        ],
        cwd=REPO,
        check=True,
        timeout=1800,
    )
    exe = work / "dist" / "mnist-pad" / "mnist-pad"
    assert exe.is_file()
    return exe


def app_env(tmp_path):
    # No display, and a home of its own: the user's settings and models stay untouched.
    return {
        **os.environ,
        "QT_QPA_PLATFORM": "offscreen",
        "HOME": str(tmp_path),
        "XDG_CONFIG_HOME": str(tmp_path / "config"),
        "XDG_DATA_HOME": str(tmp_path / "data"),
    }


@pytest.mark.slow
def test_built_executable_passes_its_self_test_with_training(executable, tmp_path):
    result = subprocess.run(
        [str(executable), "--self-test", "--with-training"],
        env=app_env(tmp_path),
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "self-test: passed" in result.stdout
    assert "drew a 7, read 7" in result.stdout and "training: 1 epoch" in result.stdout


@pytest.mark.slow
def test_built_executable_opens_its_window_and_closes_cleanly(executable, tmp_path):
    process = subprocess.Popen([str(executable), "--verbose"], env=app_env(tmp_path), stderr=subprocess.PIPE, text=True)
    lines = []
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        line = process.stderr.readline()
        if not line:
            break
        lines.append(line)
        if "model ready" in line:
            break
    assert any("window shown" in line for line in lines), lines
    assert any("model ready" in line for line in lines), lines
    process.send_signal(signal.SIGTERM)
    rest = process.communicate(timeout=30)[1]
    assert process.returncode == 0
    assert "closed cleanly" in rest
