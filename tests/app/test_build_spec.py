"""build.spec's branch for each system, run here with the system faked and PyInstaller's steps recorded:
what can be checked without a Windows or a Mac (docs/release.md says what was built where)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path
from typing import ClassVar

import pytest
from helpers import REPO

SPEC = (REPO / "build.spec").read_text(encoding="utf-8")


class Step:
    """One of PyInstaller's spec classes, recording how it was called."""

    calls: ClassVar[list[tuple[str, tuple, dict]]] = []

    def __init__(self, *args, **kwargs) -> None:
        Step.calls.append((type(self).__name__, args, kwargs))
        self.binaries, self.datas, self.pure, self.scripts = [], [], [], []


def run_spec(platform: str, tmp_path: Path, monkeypatch) -> tuple[list[tuple[str, tuple, dict]], list[list[str]]]:
    from PIL import Image  # imported as this system would, before the platform is faked

    Image.init()
    Step.calls = []
    commands: list[list[str]] = []
    monkeypatch.setattr(sys, "platform", platform)
    monkeypatch.setattr(subprocess, "run", lambda command, **_: commands.append(command))
    dist = tmp_path / "dist"
    (dist / "mnist-pad").mkdir(parents=True)
    namespace = {
        "SPECPATH": str(REPO),
        "DISTPATH": str(dist),
        "workpath": str(tmp_path / "work"),
        **{name: type(name, (Step,), {}) for name in ("Analysis", "PYZ", "EXE", "COLLECT", "BUNDLE")},
    }
    exec(compile(SPEC, "build.spec", "exec"), namespace)
    return Step.calls, commands


def named(calls, kind: str) -> list[dict]:
    return [kwargs for name, _, kwargs in calls if name == kind]


def test_linux_strips_with_gnu_strip_and_carries_its_desktop_entry(tmp_path, monkeypatch):
    calls, commands = run_spec("linux", tmp_path, monkeypatch)
    assert [e["name"] for e in named(calls, "EXE")] == ["mnist-pad"] and not named(calls, "BUNDLE")
    assert all(command[:2] == ["strip", "--strip-unneeded"] for command in commands)
    assert (tmp_path / "dist" / "mnist-pad" / "mnist-pad.desktop").is_file()


def test_windows_has_an_ico_and_a_console_executable_for_the_self_test(tmp_path, monkeypatch):
    calls, commands = run_spec("win32", tmp_path, monkeypatch)
    executables = {e["name"]: e for e in named(calls, "EXE")}
    assert set(executables) == {"mnist-pad", "mnist-pad-console"}
    assert executables["mnist-pad"]["console"] is False and executables["mnist-pad-console"]["console"] is True
    icon = Path(executables["mnist-pad"]["icon"])
    assert icon.suffix == ".ico" and icon.read_bytes()[:4] == b"\x00\x00\x01\x00"  # an ICO header
    assert commands == []  # no GNU strip
    assert not (tmp_path / "dist" / "mnist-pad" / "mnist-pad.desktop").exists()


def test_macos_makes_an_app_bundle_with_an_icns(tmp_path, monkeypatch):
    from mnist_pad import __version__

    calls, commands = run_spec("darwin", tmp_path, monkeypatch)
    (bundle,) = named(calls, "BUNDLE")
    assert bundle["name"] == "MNIST Pad.app" and bundle["version"] == __version__
    assert bundle["bundle_identifier"] == "io.github.mnist_pad.MnistPad"
    icon = Path(bundle["icon"])
    assert icon.suffix == ".icns" and icon.read_bytes()[:4] == b"icns"
    assert commands == []  # macOS's strip has no --strip-unneeded


@pytest.mark.parametrize("platform", ["linux", "win32", "darwin"])
def test_every_system_carries_the_training_data_and_the_licences(tmp_path, monkeypatch, platform):
    calls, _ = run_spec(platform, tmp_path, monkeypatch)
    (analysis,) = [args_kwargs for name, *args_kwargs in calls if name == "Analysis"]
    datas = analysis[1]["datas"]
    assert sum(1 for _, target in datas if target.startswith("mnist_pad/assets/data/")) == 7
    assert (tmp_path / "dist" / "mnist-pad" / "THIRD-PARTY-LICENSES.md").is_file()
