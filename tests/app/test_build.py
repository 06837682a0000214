"""The packaged executable: build with build.spec, self-test it, launch it, close it; what the
bundle holds; and how it behaves from a folder it cannot write to, or with no usable home."""

import importlib.util
import os
import queue
import signal
import subprocess
import sys
import tempfile
import threading
import time
from collections import defaultdict
from pathlib import Path

import pytest
from helpers import REPO

pytestmark = pytest.mark.tensorflow  # trains, converts or loads Keras models

#: Built under a name with spaces and non-ASCII letters: every test below runs from there.
AWKWARD_FOLDER = "Prüfung – MNIST Pad"
#: Libraries the bundle must hold exactly once.
BIG_LIBRARIES = ("libtensorflow_cc.so.2", "libtensorflow_framework.so.2", "libQt6Core.so.6", "libicudata.so.73")
#: Test and development tooling that has no place in a release.
TOOLING = ("pytest", "_pytest", "hypothesis", "ruff", "PyInstaller", "pip", "setuptools", "pkg_resources", "wheel")
NOBODY = 65534


@pytest.fixture(scope="module")
def executable():
    # This interpreter's PyInstaller, not whatever `pyinstaller` PATH finds (or does not).
    if importlib.util.find_spec("PyInstaller") is None:
        pytest.skip("PyInstaller is not installed in this environment (pip install '.[test]' installs it)")
    # Readable by everyone, so it can also be run as an unprivileged user.
    base = Path(tempfile.mkdtemp(prefix="mnist-pad-build-"))
    base.chmod(0o755)
    work = base / AWKWARD_FOLDER
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
            str(base / "build"),
            "build.spec",
        ],
        cwd=REPO,
        check=True,
        timeout=1800,
    )
    exe = work / "dist" / "mnist-pad" / "mnist-pad"
    assert exe.is_file()
    yield exe
    subprocess.run(["rm", "-rf", str(base)], check=False)


def app_env(home: Path | None) -> dict[str, str]:
    """No display, and a home of its own (None: no HOME at all), so the user's settings stay untouched."""
    env = {k: v for k, v in os.environ.items() if k not in ("HOME", "XDG_CONFIG_HOME", "XDG_DATA_HOME")}
    env["QT_QPA_PLATFORM"] = "offscreen"
    if home is not None:
        env.update(HOME=str(home), XDG_CONFIG_HOME=str(home / "config"), XDG_DATA_HOME=str(home / "data"))
    return env


def launch_and_close(executable: Path, env: dict[str, str], **popen) -> list[str]:
    """Start the app, wait until its model is ready, SIGTERM it: what it wrote to stderr, by line.

    stderr is read on a thread of its own, so a program that neither writes nor exits (or a
    child that keeps the pipe open) fails this test after a minute instead of stalling it."""
    process = subprocess.Popen(
        [str(executable), "--verbose"], env=env, stderr=subprocess.PIPE, text=True, start_new_session=True, **popen
    )
    lines: queue.Queue[str | None] = queue.Queue()
    threading.Thread(target=lambda: [*map(lines.put, process.stderr), lines.put(None)], daemon=True).start()
    seen: list[str] = []

    def read_until(done, seconds: float) -> bool:
        deadline = time.monotonic() + seconds
        while (left := deadline - time.monotonic()) > 0:
            try:
                line = lines.get(timeout=left)
            except queue.Empty:
                break
            if line is None:
                return True
            seen.append(line)
            if done(line):
                return True
        return False

    ready = read_until(lambda line: "model ready" in line, 90)
    if process.poll() is None:
        process.send_signal(signal.SIGTERM)
    try:
        process.wait(timeout=30)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait()
        pytest.fail(f"still running 30 s after SIGTERM (ready: {ready}): {seen}")
    finally:
        read_until(lambda line: False, 5)  # the rest of stderr, if the pipe closes
        if _group_alive(process.pid):  # a child left behind, holding the pipe
            os.killpg(process.pid, signal.SIGKILL)
    assert process.returncode == 0, seen
    assert any("closed cleanly" in line for line in seen), seen
    return seen


def _group_alive(group: int) -> bool:
    try:
        os.killpg(group, 0)
    except ProcessLookupError:
        return False
    return True


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
    assert "wrote 1987, read 1987" in result.stdout  # the built app reads a number
    assert "fine-tuning: 1 epoch" in result.stdout


@pytest.mark.slow
def test_built_executable_opens_its_window_and_closes_cleanly(executable, tmp_path):
    lines = launch_and_close(executable, app_env(tmp_path))
    assert any("window shown" in line for line in lines), lines
    assert any("model ready" in line for line in lines), lines
    assert not any("Cannot save" in line for line in lines), lines


@pytest.mark.slow
def test_bundle_holds_one_copy_of_each_big_library_and_no_tooling(executable):
    from PyInstaller.archive.readers import CArchiveReader

    internal = executable.parent / "_internal"
    files = [p for p in executable.parent.rglob("*") if p.is_file() and not p.is_symlink()]
    by_name = defaultdict(list)
    for path in files:
        by_name[path.name].append(path)
    for name in BIG_LIBRARIES:
        assert len(by_name[name]) == 1, (name, by_name[name])
    by_size = defaultdict(list)
    for path in files:
        if path.stat().st_size > 1_000_000:
            by_size[path.stat().st_size].append(path)
    assert all(len(same) == 1 for same in by_size.values()), [same for same in by_size.values() if len(same) > 1]

    top_level = {p.name.split("-")[0] for p in internal.iterdir()}
    modules = CArchiveReader(str(executable)).open_embedded_archive("PYZ.pyz").toc
    packaged = {name.split(".")[0] for name in modules}
    for tool in TOOLING:
        assert tool not in top_level and tool not in packaged, tool


@pytest.fixture
def shared_tmp():
    """A scratch folder the unprivileged user can reach (pytest's own are private to root)."""
    folder = Path(tempfile.mkdtemp(prefix="mnist-pad-test-"))
    folder.chmod(0o755)
    yield folder
    subprocess.run(["rm", "-rf", str(folder)], check=False)


def as_nobody():
    if os.geteuid() != 0:
        pytest.skip("needs root, to run the app as an unprivileged user")
    return {"user": NOBODY, "group": NOBODY, "extra_groups": []}


@pytest.mark.slow
def test_read_only_app_folder_with_a_writable_home_saves_as_usual(executable, shared_tmp):
    # The build belongs to root: to `nobody` its folder is read-only.
    home = shared_tmp / "home"
    home.mkdir()
    os.chown(home, NOBODY, NOBODY)
    lines = launch_and_close(executable, app_env(home), **as_nobody())
    assert any("model ready" in line for line in lines), lines
    assert not any("Cannot save" in line for line in lines), lines
    assert (home / "config" / "MNIST Pad").is_dir() and (home / "data" / "MNIST Pad").is_dir()


@pytest.mark.slow
@pytest.mark.parametrize("home", ["unset", "read-only"])
def test_without_a_writable_home_it_says_where_it_cannot_save_and_keeps_reading(executable, shared_tmp, home):
    env = app_env(None if home == "unset" else shared_tmp)  # root's folder: `nobody` may enter, not write
    lines = launch_and_close(executable, env, **as_nobody())
    assert any("model ready" in line for line in lines), lines
    notice = next((line for line in lines if "Cannot save" in line), "")
    assert "settings in" in notice and "samples and retrained models in" in notice, lines
    assert "Drawing and reading work" in notice


def test_the_folder_carries_the_licences_and_the_appstream_metadata(executable):
    beside = {p.name for p in executable.parent.iterdir()}
    assert {"LICENSE", "THIRD-PARTY-LICENSES.md", "CHANGELOG.md", "io.github.mnist_pad.MnistPad.metainfo.xml"} <= beside
