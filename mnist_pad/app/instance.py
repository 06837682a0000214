"""One window per person, as desktop apps do: a second start raises the running window.

The first pad listens on a local socket (QLocalServer) named after the
person's data folder; a second start of the same person's pad connects,
asks it to come to the front, and ends. `--new-window` opens a second window
anyway (it then says that both share one set of samples and models). A
socket left by a pad that crashed answers nobody, and is taken over.
"""

from __future__ import annotations

import getpass
import hashlib
import os
import sys
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QObject
from PySide6.QtNetwork import QLocalServer, QLocalSocket

#: What a second start sends the running pad.
SHOW = b"show\n"
#: How long a second start waits for the running pad to answer.
ANSWER_MS = 1500


def server_name(data_dir: Path) -> str:
    """The socket's name: the same for every start of one person's pad, different for another
    person's or another data folder (a test's own home). In the person's own runtime folder
    (XDG_RUNTIME_DIR, private to them) where there is one, else Qt's temporary folder."""
    try:
        user = getpass.getuser()
    except (KeyError, OSError):
        user = "someone"
    digest = hashlib.sha256(str(data_dir.resolve()).encode("utf-8", "surrogateescape")).hexdigest()[:16]
    name = f"mnist-pad-{user}-{digest}"
    runtime = os.environ.get("XDG_RUNTIME_DIR", "")
    return str(Path(runtime) / name) if runtime and Path(runtime).is_dir() and sys.platform != "win32" else name


def _connected(name: str) -> QLocalSocket | None:
    socket = QLocalSocket()
    socket.connectToServer(name)
    return socket if socket.waitForConnected(ANSWER_MS) else None


def ask_running_pad_to_show(name: str) -> bool:
    """Whether a pad is running under `name`; if so, it was asked to bring its window to the front."""
    socket = _connected(name)
    if socket is None:
        return False
    socket.write(SHOW)
    socket.waitForBytesWritten(ANSWER_MS)
    socket.disconnectFromServer()
    return True


class InstanceServer(QObject):
    """Listens for second starts and calls `show` for each (on the GUI thread)."""

    def __init__(self, name: str, show: Callable[[], None], parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._show = show
        # No socket options: with them, Qt writes the socket elsewhere and renames it over any that
        # exists, so a second window would take the first one's name instead of failing to listen.
        self.server = QLocalServer(self)
        self.server.newConnection.connect(self._connected)
        if not self.server.listen(name) and _connected(name) is None:  # a crashed pad's socket
            QLocalServer.removeServer(name)
            self.server.listen(name)
        # Not listening now: another pad answers under this name (this window was asked for).

    @property
    def listening(self) -> bool:
        return self.server.isListening()

    def _connected(self) -> None:
        while self.server.hasPendingConnections():
            socket = self.server.nextPendingConnection()
            socket.readyRead.connect(lambda s=socket: self._read(s))
            socket.disconnected.connect(socket.deleteLater)

    def _read(self, socket: QLocalSocket) -> None:
        if bytes(socket.readAll().data()).startswith(SHOW.strip()):
            self._show()
