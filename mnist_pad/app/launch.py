"""Start-up: show the window first, load the model in the background.

Nothing here imports TensorFlow; the model is read from its LiteRT form.
"""

from __future__ import annotations

import argparse
import contextlib
import logging
import os
import signal
import sys
import threading
import time
from pathlib import Path

from mnist_pad import APP_NAME, __version__

log = logging.getLogger("mnist_pad")
_LAUNCHED = time.perf_counter()


def create_window(argv: list[str] | None = None, new_window: bool = True):
    """The application and its main window, shown, with the model loading; (app, None) when
    `new_window` is False and the person's pad already runs (its window was asked to the front)."""
    from PySide6.QtCore import QStandardPaths, QTimer
    from PySide6.QtGui import QIcon
    from PySide6.QtWidgets import QApplication

    from mnist_pad.app.instance import InstanceServer, ask_running_pad_to_show, server_name
    from mnist_pad.app.logfile import start_log_file
    from mnist_pad.gui.main_window import MainWindow
    from mnist_pad.person.places import move_up_nested
    from mnist_pad.person.preferences import open_preferences
    from mnist_pad.person.store import ModelStore
    from mnist_pad.resources import icon, icon_files

    existing = QApplication.instance()
    app = existing if isinstance(existing, QApplication) else QApplication(sys.argv if argv is None else argv)
    app.setApplicationName(APP_NAME)
    app.setOrganizationName("")  # the data folder is ~/.local/share/MNIST Pad, not "MNIST Pad/MNIST Pad"
    app.setApplicationVersion(__version__)
    app.setDesktopFileName("mnist-pad")
    log_path = start_log_file()
    window_icon = QIcon()
    for path in icon_files() or [icon()]:  # each size drawn for itself: sharp in a task bar and at 200%
        window_icon.addFile(str(path))
    app.setWindowIcon(window_icon)
    data_dir = Path(QStandardPaths.writableLocation(QStandardPaths.StandardLocation.AppDataLocation))
    name = server_name(data_dir)
    if not new_window and ask_running_pad_to_show(name):
        return app, None
    for entry in move_up_nested(data_dir):  # an earlier version's folder, "MNIST Pad/MNIST Pad"
        log.warning("left in the earlier version's data folder: %s", entry)
    store = ModelStore(data_dir)
    # Qt's app-specific place: ~/.config/MNIST Pad, %LOCALAPPDATA%/MNIST Pad (ConfigLocation there already
    # ends in the app's name), ~/Library/Preferences/MNIST Pad.
    config_dir = Path(QStandardPaths.writableLocation(QStandardPaths.StandardLocation.AppConfigLocation))
    window = MainWindow(store, open_preferences(config_dir))
    window.log_path = log_path
    window.instance_server = InstanceServer(name, window.bring_to_front, window)
    if not window.instance_server.listening:  # another pad answers under the name: say what that means
        window.say_another_window_is_open()
    window.show()
    window.load_model(store.active())
    QTimer.singleShot(0, window.check_places)  # after the first paint
    # Version folders another window left behind: removed off the GUI thread, after the first paint.
    QTimer.singleShot(0, lambda: threading.Thread(target=store.tidy, name="tidy-models", daemon=True).start())
    return app, window


def _close_on_signals(app, window) -> None:
    """SIGTERM and Ctrl+C close the window the normal way (settings saved, training stopped),
    without asking: a signal means quit."""
    from PySide6.QtCore import QTimer

    for number in (signal.SIGINT, signal.SIGTERM):
        signal.signal(number, lambda *_: window.quit_without_asking())
    # Python runs signal handlers only between bytecodes: let it in regularly.
    app._signal_timer = QTimer(interval=200)
    app._signal_timer.timeout.connect(lambda: None)
    app._signal_timer.start()


def _log_start_up(app, window) -> None:
    from PySide6.QtCore import QTimer

    QTimer.singleShot(0, lambda: log.info("window shown after %.0f ms", (time.perf_counter() - _LAUNCHED) * 1000))
    window.loader.modelLoaded.connect(
        lambda _c, path, *_: log.info("model ready after %.0f ms: %s", (time.perf_counter() - _LAUNCHED) * 1000, path)
    )


def parse_args(argv: list[str] | None) -> tuple[argparse.Namespace, list[str]]:
    """Our options, and the rest for Qt (-platform, -style, ...)."""
    parser = argparse.ArgumentParser(prog="mnist-pad", description="Draw a digit, watch a neural network read it.")
    parser.add_argument("--version", action="version", version=f"{APP_NAME} {__version__}")
    parser.add_argument(
        "--self-test",
        action="store_true",
        help="check that this install works (bundled model, drawing, reading) without a display; exit 0 = passed",
    )
    parser.add_argument("--with-training", action="store_true", help="with --self-test: also train a tiny model")
    parser.add_argument("--verbose", action="store_true", help="log start-up milestones to stderr")
    parser.add_argument(
        "--new-window",
        action="store_true",
        help="open another window even when the pad runs already (both share your samples and models)",
    )
    return parser.parse_known_args(argv)


def main(argv: list[str] | None = None) -> int:
    """`argv` without the program name, as in train.main; None reads sys.argv."""
    args, qt_args = parse_args(sys.argv[1:] if argv is None else argv)
    if args.self_test:
        from mnist_pad.app.selftest import run

        return run(with_training=args.with_training)
    # Warnings (such as a folder it cannot save to) always reach stderr; milestones with --verbose.
    # (The log file, app/logfile.py, also keeps the milestones: the console's level is its handler's.)
    console = logging.StreamHandler()
    console.setLevel(logging.INFO if args.verbose else logging.WARNING)
    console.setFormatter(logging.Formatter("mnist-pad: %(message)s"))
    logging.basicConfig(level=console.level, handlers=[console])
    missing = no_display(qt_args)
    if missing:
        way_out = (
            "Then start it again"
            if missing.startswith("the system library")
            else "Start it in a desktop session (over SSH: ssh -X)"
        )
        print(
            f"mnist-pad: cannot open a window: {missing}. {way_out}, or check the install without a display: "
            "mnist-pad --self-test",
            file=sys.stderr,
        )
        return 2
    app, window = create_window([sys.argv[0], *qt_args], new_window=args.new_window)
    if window is None:
        print("mnist-pad: already running; its window was brought to the front (--new-window opens another)")
        return 0
    _close_on_signals(app, window)
    _log_start_up(app, window)
    code = app.exec()
    log.info("closed cleanly")
    if "tensorflow" in sys.modules:
        # Everything is saved by now (settings, samples, models: closeEvent waits for each). TensorFlow's
        # thread pools make the interpreter's own shutdown take seconds after a retraining: skip it.
        logging.shutdown()
        sys.stdout.flush()
        sys.stderr.flush()
        os._exit(code)
    return code


#: The README's line for the system libraries Qt's X11 platform needs.
X11_LIBRARIES = (
    "sudo apt-get install libxcb-cursor0 libxkbcommon-x11-0 libxcb-icccm4 libxcb-keysyms1 "
    "libxcb-render-util0 libxcb-shape0 libxcb-image0"
)


def no_display(qt_args: list[str]) -> str | None:
    """Why Qt could not open a window here (it would abort with a core dump), or None.

    Only the cases Qt cannot survive are caught, on Linux with a windowing platform (xcb or
    wayland, Qt's choice when none is named): no display at all; for X11, no X server answering
    at DISPLAY, or a system library Qt's X11 plugin needs that is not installed."""
    if not sys.platform.startswith("linux") or "-platform" in qt_args:
        return None
    platform = os.environ.get("QT_QPA_PLATFORM", "")
    if platform and not platform.startswith(("xcb", "wayland")):
        return None  # offscreen, vnc, eglfs...: no X server needed
    display, wayland = os.environ.get("DISPLAY"), os.environ.get("WAYLAND_DISPLAY")
    if not display and not wayland:
        return "no display (neither DISPLAY nor WAYLAND_DISPLAY is set)"
    if platform.startswith("wayland") or (wayland and not platform) or not display:
        return None  # Wayland: Qt says what it lacks and falls back to X11 where it can
    return missing_x11_library() or no_x_server(display)


def missing_x11_library() -> str | None:
    """The system library that Qt's X11 plugin cannot find, named with its Debian package, or None."""
    import ctypes

    try:
        import PySide6
    except ImportError:
        return None
    plugin = Path(PySide6.__file__).parent / "Qt" / "plugins" / "platforms" / "libqxcb.so"
    if not plugin.is_file():
        return None
    try:
        ctypes.CDLL(str(plugin))
    except OSError as exc:
        library = str(exc).split(":")[0].strip()
        name, _, number = library.partition(".so.")
        package = f"{name}{'-' if name[-1:].isdigit() else ''}{number}" if number else library
        return (
            f"the system library {library} is missing (Qt needs it for X11; Debian's package {package}). "
            f"Install what Qt needs with: {X11_LIBRARIES}"
        )
    return None


def no_x_server(display: str) -> str | None:
    """Why nothing answers at the X display `display` (":57", "localhost:10.0"), or None when it does."""
    import socket

    host, _, rest = display.rpartition(":")
    number = rest.split(".")[0]
    if not number.isdigit():
        return f"DISPLAY={display} is not a display name (such as :0)"
    try:
        if host in ("", "unix") or host.startswith("/"):
            path = host if host.startswith("/") else f"/tmp/.X11-unix/X{number}"
            for address in (path, "\0" + path):  # the file, then Linux's abstract socket
                with contextlib.suppress(OSError), socket.socket(socket.AF_UNIX) as unix:
                    unix.settimeout(2)
                    unix.connect(address)
                    return None
            return f"no X server answers at DISPLAY={display} (nothing listens on {path})"
        with socket.create_connection((host, 6000 + int(number)), timeout=2):
            return None
    except OSError as exc:
        return f"no X server answers at DISPLAY={display} ({exc.strerror or exc})"


if __name__ == "__main__":
    sys.exit(main())
