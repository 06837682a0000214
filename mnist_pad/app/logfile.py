"""What goes wrong is written down where a person can find it and send it.

A rotating log file in the platform's state folder (Qt's StateLocation:
~/.local/state/MNIST Pad on Linux, the app's local data folder on Windows,
~/Library/Preferences/MNIST Pad on macOS): warnings, errors and every uncaught exception, from
the GUI thread (`sys.excepthook`), from worker threads (`threading.excepthook`) and Qt's own
messages. Three files of 1 MB at most. A home that cannot be written keeps the log on stderr only.
"""

from __future__ import annotations

import logging
import logging.handlers
import sys
import threading
from pathlib import Path
from types import TracebackType

LOG_NAME = "mnist-pad.log"
MAX_BYTES = 2**20
BACKUPS = 2
log = logging.getLogger("mnist_pad")
_FORMAT = "%(asctime)s %(levelname)s %(threadName)s %(name)s: %(message)s"


def log_folder() -> Path:
    """Where the log lives (the application's name must be set first)."""
    from PySide6.QtCore import QStandardPaths

    return Path(QStandardPaths.writableLocation(QStandardPaths.StandardLocation.StateLocation))


def start_log_file(folder: Path | None = None) -> Path | None:
    """Write warnings and errors (and INFO, when the console shows them) to the log file from now
    on, and every uncaught exception. Returns the file, or None when it cannot be written."""
    folder = log_folder() if folder is None else folder
    path = folder / LOG_NAME
    try:
        folder.mkdir(parents=True, exist_ok=True)
        handler = logging.handlers.RotatingFileHandler(path, maxBytes=MAX_BYTES, backupCount=BACKUPS, encoding="utf-8")
    except OSError as exc:
        log.warning("no log file in %s (%s); messages go to the console only", folder, exc.strerror or exc)
        return None
    handler.setFormatter(logging.Formatter(_FORMAT))
    handler.setLevel(logging.INFO)
    log.addHandler(handler)
    if log.level == logging.NOTSET or log.level > logging.INFO:
        log.setLevel(logging.INFO)  # milestones reach the file; the console keeps its own level
    _catch_uncaught()
    _route_qt_messages()
    return path


def _log_uncaught(kind: str, exc_type: type[BaseException], value: BaseException, tb: TracebackType | None) -> None:
    log.error("uncaught exception %s", kind, exc_info=(exc_type, value, tb))


def _catch_uncaught() -> None:
    previous_hook = sys.excepthook
    previous_thread_hook = threading.excepthook

    def excepthook(exc_type, value, tb) -> None:
        if not issubclass(exc_type, KeyboardInterrupt):
            _log_uncaught("on the main thread", exc_type, value, tb)
        previous_hook(exc_type, value, tb)

    def thread_excepthook(args: threading.ExceptHookArgs) -> None:
        if args.exc_value is not None and not isinstance(args.exc_value, SystemExit):
            name = args.thread.name if args.thread is not None else "?"
            _log_uncaught(f"in thread {name}", args.exc_type, args.exc_value, args.exc_traceback)
        previous_thread_hook(args)

    sys.excepthook = excepthook
    threading.excepthook = thread_excepthook


def _route_qt_messages() -> None:
    """Qt's warnings ("This plugin does not support propagateSizeHints()") into the log, not the console."""
    from PySide6.QtCore import QMessageLogContext, QtMsgType, qInstallMessageHandler

    levels = {
        QtMsgType.QtDebugMsg: logging.DEBUG,
        QtMsgType.QtInfoMsg: logging.DEBUG,
        QtMsgType.QtWarningMsg: logging.INFO,
        QtMsgType.QtCriticalMsg: logging.ERROR,
        QtMsgType.QtFatalMsg: logging.CRITICAL,
    }
    qt_log = logging.getLogger("mnist_pad.qt")
    qt_log.propagate = False
    for handler in log.handlers:
        qt_log.addHandler(handler)
    qt_log.setLevel(logging.INFO)

    def to_log(kind: QtMsgType, _context: QMessageLogContext, message: str) -> None:
        qt_log.log(levels.get(kind, logging.INFO), "%s", message)

    qInstallMessageHandler(to_log)
