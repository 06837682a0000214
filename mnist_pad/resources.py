"""Where the bundled files are, read one way everywhere.

`assets/` is installed as the package `mnist_pad.assets` (pyproject.toml maps
it; build.spec collects it to the same place), so `importlib.resources` finds
it in an editable install, a wheel and the PyInstaller build alike.
"""

from __future__ import annotations

from importlib.resources import files
from pathlib import Path

ASSET_NAMES = ("model.keras", "model.tflite", "model.json", "model_card.json", "icon.png", "check_set.jsonl.gz")


def assets_dir() -> Path:
    """The folder holding the bundled model, its card and the icon."""
    return Path(str(files("mnist_pad.assets")))


def bundled_model() -> Path:
    return assets_dir() / "model.keras"


def model_card() -> Path:
    return assets_dir() / "model_card.json"


def icon() -> Path:
    return assets_dir() / "icon.png"


def icon_files() -> list[Path]:
    """The icon at each standard size (16 to 512 px), smallest first."""
    folder = assets_dir() / "icons"
    return sorted(folder.glob("*x*.png"), key=lambda path: int(path.stem.split("x")[0]))


def check_set() -> Path:
    """Pen digits and letters that ship with the app, to compare a new model with the one in use."""
    return assets_dir() / "check_set.jsonl.gz"
