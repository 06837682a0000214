"""A second start raises the running window instead of opening an identical one on top of it."""

import os
import socket
import subprocess
import sys
import time

import pytest
from PySide6.QtCore import QDir

from mnist_pad.app.instance import InstanceServer, ask_running_pad_to_show, server_name


def test_a_second_start_asks_the_running_pad_to_show_its_window(qtbot, tmp_path):
    name = server_name(tmp_path)
    shown = []
    server = InstanceServer(name, lambda: shown.append(True))
    assert server.listening
    assert ask_running_pad_to_show(name)
    qtbot.waitUntil(lambda: shown == [True], timeout=5_000)
    server.server.close()
    assert not ask_running_pad_to_show(name)  # nobody runs: the caller opens its own window


def test_the_name_is_the_persons_and_the_data_folders(tmp_path, monkeypatch):
    assert server_name(tmp_path / "a") == server_name(tmp_path / "a")
    assert server_name(tmp_path / "a") != server_name(tmp_path / "b")
    monkeypatch.setenv("XDG_RUNTIME_DIR", str(tmp_path))
    assert server_name(tmp_path / "a").startswith(str(tmp_path) + "/mnist-pad-")  # private to the person


def test_a_second_window_asked_for_does_not_take_the_first_ones_name(qtbot, tmp_path):
    name = server_name(tmp_path)
    first = InstanceServer(name, lambda: None)
    second = InstanceServer(name, lambda: None)
    assert first.listening and not second.listening
    first.server.close()


def test_a_socket_left_by_a_crashed_pad_is_taken_over(qtbot, tmp_path, monkeypatch):
    monkeypatch.delenv("XDG_RUNTIME_DIR", raising=False)
    name = server_name(tmp_path)
    stale = os.path.join(QDir.tempPath(), name)
    with socket.socket(socket.AF_UNIX) as dead:  # bound, never listening: what a crash leaves
        dead.bind(stale)
    shown = []
    server = InstanceServer(name, lambda: shown.append(True))
    assert server.listening and ask_running_pad_to_show(name)
    qtbot.waitUntil(lambda: shown == [True], timeout=5_000)
    server.server.close()


def wait_for(process: subprocess.Popen, text: str, seconds: float = 60) -> list[str]:
    """The lines `process` wrote to stderr up to the one holding `text` (fails after `seconds`)."""
    lines: list[str] = []
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        line = process.stderr.readline()
        lines.append(line)
        if text in line:
            return lines
        if not line and process.poll() is not None:
            break
    raise AssertionError(f"never said {text!r}: {lines}")


@pytest.mark.slow
def test_starting_the_pad_twice_raises_the_first_and_new_window_opens_another(tmp_path):
    env = {**os.environ, "HOME": str(tmp_path), "QT_QPA_PLATFORM": "offscreen", "XDG_RUNTIME_DIR": str(tmp_path)}
    env.pop("XDG_DATA_HOME", None)
    env.pop("XDG_CONFIG_HOME", None)
    start = [sys.executable, "-m", "mnist_pad", "--verbose"]
    first = subprocess.Popen(start, env=env, stderr=subprocess.PIPE, text=True)
    try:
        wait_for(first, "window shown")
        second = subprocess.run(start, env=env, capture_output=True, text=True, timeout=60)
        assert second.returncode == 0 and "already running" in second.stdout
        another = subprocess.Popen([*start, "--new-window"], env=env, stderr=subprocess.PIPE, text=True)
        try:
            wait_for(another, "Another MNIST Pad window is open: both share your samples and models")
        finally:
            another.terminate()
            another.wait(30)
    finally:
        first.terminate()
        first.wait(30)
