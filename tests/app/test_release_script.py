"""scripts/release.py says in one line what to install when PyInstaller is missing."""

import subprocess
import sys
from pathlib import Path

from helpers import REPO

SCRIPT = REPO / "scripts" / "release.py"
SAYS = "release: PyInstaller is not installed here; install it with: pip install '.[build]'"


def test_without_pyinstaller_it_says_what_to_install(tmp_path):
    code = (
        "import importlib.util, runpy, sys; importlib.util.find_spec = lambda name, *a: None; "
        f"sys.argv = ['release.py', '--dist', {str(tmp_path)!r}]; runpy.run_path({str(SCRIPT)!r}, run_name='__main__')"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert result.stderr.strip() == SAYS


def run_release(platform: str, dist, monkeypatch, machine: str = "x86_64") -> int:
    import importlib

    monkeypatch.setattr(sys, "path", [str(REPO / "scripts"), *sys.path])
    release = importlib.import_module("release")
    monkeypatch.setattr(release.sys, "platform", platform)
    monkeypatch.setattr(release.platform, "machine", lambda: machine)
    return release.main(["--no-build", "--dist", str(dist)])


def test_on_windows_it_zips_the_folder_into_one_versioned_folder(tmp_path, monkeypatch):
    import hashlib
    import zipfile

    from mnist_pad import __version__

    folder = tmp_path / "mnist-pad"
    (folder / "_internal").mkdir(parents=True)
    (folder / "mnist-pad.exe").write_bytes(b"MZ")
    (folder / "mnist-pad-console.exe").write_bytes(b"MZ")
    (folder / "_internal" / "python312.dll").write_bytes(b"x" * 1000)
    assert run_release("win32", tmp_path, monkeypatch, machine="AMD64") == 0
    archive = tmp_path / f"mnist-pad-{__version__}-windows-AMD64.zip"
    with zipfile.ZipFile(archive) as packed:
        assert sorted(packed.namelist()) == [
            f"mnist-pad-{__version__}/_internal/python312.dll",
            f"mnist-pad-{__version__}/mnist-pad-console.exe",
            f"mnist-pad-{__version__}/mnist-pad.exe",
        ]
    digest, name = (tmp_path / f"{archive.name}.sha256").read_text().split()
    assert name == archive.name and digest == hashlib.sha256(archive.read_bytes()).hexdigest()


def test_on_macos_ditto_zips_the_app(tmp_path, monkeypatch):
    from mnist_pad import __version__

    app = tmp_path / "MNIST Pad.app" / "Contents" / "MacOS"
    app.mkdir(parents=True)
    (app / "mnist-pad").write_bytes(b"\xcf\xfa\xed\xfe")
    commands = []

    def ditto(command, **_):
        commands.append(command)
        Path(command[-1]).write_bytes(b"PK")
        return subprocess.CompletedProcess(command, 0)

    monkeypatch.setattr(subprocess, "run", ditto)
    assert run_release("darwin", tmp_path, monkeypatch, machine="arm64") == 0
    (command,) = commands
    assert command[:5] == ["ditto", "-c", "-k", "--sequesterRsrc", "--keepParent"]
    assert command[5] == str(tmp_path / "MNIST Pad.app")
    assert (tmp_path / f"mnist-pad-{__version__}-macos-arm64.zip").is_file()
