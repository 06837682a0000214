"""Every start that cannot open a window ends with one clear line and exit status 2, never an abort."""

import ctypes
import socket

import pytest

from mnist_pad.app import launch


@pytest.fixture
def x11(monkeypatch):
    monkeypatch.setattr("sys.platform", "linux")
    for name in ("WAYLAND_DISPLAY", "QT_QPA_PLATFORM"):
        monkeypatch.delenv(name, raising=False)


def one_line(capsys) -> str:
    err = capsys.readouterr().err.strip()
    assert len(err.splitlines()) == 1, err
    return err


def test_a_display_where_no_x_server_runs_is_one_line_and_exit_2(x11, monkeypatch, capsys):
    monkeypatch.setenv("DISPLAY", ":57")
    monkeypatch.setattr(launch, "missing_x11_library", lambda: None)
    assert launch.main([]) == 2
    err = one_line(capsys)
    assert "no X server answers at DISPLAY=:57" in err and "--self-test" in err


def test_a_remote_display_that_does_not_answer_is_named(x11, monkeypatch, capsys):
    for number in range(63, 90):  # a display whose TCP port nothing listens on
        with socket.socket() as probe:
            if probe.connect_ex(("127.0.0.1", 6000 + number)) != 0:
                break
    monkeypatch.setenv("DISPLAY", f"127.0.0.1:{number}.0")
    monkeypatch.setattr(launch, "missing_x11_library", lambda: None)
    assert launch.main([]) == 2
    assert f"no X server answers at DISPLAY=127.0.0.1:{number}.0" in one_line(capsys)


def test_a_missing_system_library_is_named_with_its_package_and_the_readmes_line(x11, monkeypatch, capsys):
    monkeypatch.setenv("DISPLAY", ":0")

    def missing(path, *args, **kwargs):
        raise OSError("libxcb-icccm.so.4: cannot open shared object file: No such file or directory")

    monkeypatch.setattr(ctypes, "CDLL", missing)
    assert launch.main([]) == 2
    err = one_line(capsys)
    assert "libxcb-icccm.so.4 is missing" in err and "package libxcb-icccm4" in err
    assert launch.X11_LIBRARIES in err


@pytest.mark.parametrize(
    ("library", "package"), [("libxkbcommon-x11.so.0", "libxkbcommon-x11-0"), ("libxcb-cursor.so.0", "libxcb-cursor0")]
)
def test_the_package_of_a_library_is_debians_name(x11, monkeypatch, library, package):
    monkeypatch.setattr(ctypes, "CDLL", lambda *a, **k: (_ for _ in ()).throw(OSError(f"{library}: cannot open")))
    assert f"package {package})" in launch.missing_x11_library()


def test_the_readme_names_the_same_libraries():
    from helpers import REPO

    assert launch.X11_LIBRARIES in (REPO / "README.md").read_text(encoding="utf-8")


def test_a_display_that_answers_is_no_obstacle(x11, monkeypatch, tmp_path):
    path = tmp_path / "X5"
    with socket.socket(socket.AF_UNIX) as server:
        server.bind(str(path))
        server.listen(1)
        monkeypatch.setenv("DISPLAY", f"{path}:5")
        assert launch.no_x_server(f"{path}:5") is None
    assert "nothing listens" in launch.no_x_server(":59")
