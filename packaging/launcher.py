"""Entry point of the PyInstaller build (PyInstaller needs a script, not a package)."""

import sys

from mnist_pad.app.launch import main

if __name__ == "__main__":
    sys.exit(main())
