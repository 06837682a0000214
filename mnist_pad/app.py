"""Start-up: show the window first, load the model in the background.

Nothing here imports TensorFlow; the model is read from its LiteRT form.
"""

from __future__ import annotations

import sys
from pathlib import Path

from . import APP_NAME, __version__


def create_window(argv: list[str] | None = None):
    """The application and its main window, shown, with the model loading."""
    from PySide6.QtCore import QSettings, QStandardPaths
    from PySide6.QtGui import QIcon
    from PySide6.QtWidgets import QApplication

    from .gui.main_window import MainWindow
    from .resources import icon
    from .store import ModelStore

    app = QApplication.instance() or QApplication(sys.argv if argv is None else argv)
    app.setApplicationName(APP_NAME)
    app.setOrganizationName(APP_NAME)
    app.setApplicationVersion(__version__)
    app.setDesktopFileName("mnist-pad")
    if icon().is_file():
        app.setWindowIcon(QIcon(str(icon())))
    data_dir = Path(QStandardPaths.writableLocation(QStandardPaths.StandardLocation.AppDataLocation))
    store = ModelStore(data_dir)
    window = MainWindow(store, QSettings())
    window.show()
    window.load_model(store.active())
    return app, window


def main(argv: list[str] | None = None) -> int:
    app, _window = create_window(argv)
    return app.exec()


if __name__ == "__main__":
    sys.exit(main())
