"""Every documented key runs its action, once, on the offscreen platform and on a real X server."""

import json
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest
from key_probe import EXPECTED, documented_keys, registered, triggered
from PySide6.QtGui import QKeySequence

import mnist_pad.gui.main_window as main_window

HERE = Path(__file__).resolve().parent
S = QKeySequence.StandardKey
#: Qt's standard keys on X11 (read off Qt 6.11 under Xvfb), where the offscreen platform has no Quit.
X11 = {
    S.Quit: ["Ctrl+Q"],
    S.SaveAs: ["Ctrl+Shift+S"],
    S.HelpContents: ["F1"],
    S.Open: ["Ctrl+O"],
    S.Undo: ["Ctrl+Z", "F14"],
    S.Copy: ["Ctrl+C", "Ctrl+Ins", "F16"],
    S.Delete: ["Del", "Ctrl+D"],
}


def test_every_documented_key_has_an_expected_action():
    documented = documented_keys()
    assert len(documented) >= 14
    assert set(documented) == set(EXPECTED)


@pytest.mark.parametrize("platform", ["this platform", "X11's standard keys"])
def test_no_key_sequence_is_registered_twice(window_factory, monkeypatch, platform):
    if platform != "this platform":
        monkeypatch.setattr(main_window, "standard_bindings", lambda key: [QKeySequence(k) for k in X11.get(key, [])])
    window = window_factory(load=False)
    twice = {key: actions for key, actions in registered(window).items() if len(actions) > 1}
    assert twice == {}
    assert "Ctrl+Q" in registered(window) and "F1" in registered(window)


def test_each_documented_key_runs_its_action_offscreen(window_factory):
    window = window_factory(load=False)
    ran = triggered(window, list(EXPECTED))
    assert ran == {key: [action] for key, action in EXPECTED.items()}


@pytest.fixture
def x_server(tmp_path):
    """A display of Xvfb's, or a skip where Xvfb or Qt's X11 libraries are missing."""
    if shutil.which("Xvfb") is None:
        pytest.skip("Xvfb is not installed (apt-get install xvfb)")
    display = f":{90 + os.getpid() % 100}"
    server = subprocess.Popen(["Xvfb", display, "-screen", "0", "1280x800x24", "-nolisten", "tcp"])
    try:
        socket = Path(f"/tmp/.X11-unix/X{display[1:]}")
        for _ in range(50):
            if socket.exists():
                break
            time.sleep(0.1)
        yield display
    finally:
        server.terminate()
        server.wait(10)


def test_each_documented_key_runs_its_action_on_a_real_x_server(x_server, tmp_path):
    env = {**os.environ, "DISPLAY": x_server, "QT_QPA_PLATFORM": "xcb"}
    result = subprocess.run(
        [sys.executable, str(HERE / "key_probe.py"), str(tmp_path)],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    if "could not load the Qt platform plugin" in result.stderr.lower():
        pytest.skip("Qt's X11 libraries are missing (see the README's apt-get line)")
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout.splitlines()[-1])
    assert report["platform"] == "xcb"
    assert not [w for w in report["warnings"] if "Ambiguous" in w]
    assert {key: actions for key, actions in report["registered"].items() if len(actions) > 1} == {}
    assert report["triggered"] == {key: [action] for key, action in EXPECTED.items()}
