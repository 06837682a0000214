"""Where the bundled files are: one resolver for a source checkout, an install
and a PyInstaller build."""

from __future__ import annotations

import sys
from pathlib import Path

_PACKAGE = Path(__file__).resolve().parent


def assets_dir() -> Path:
    """The folder holding the bundled model, its card and the icon."""
    frozen_root = getattr(sys, "_MEIPASS", None)
    candidates = [
        Path(frozen_root) / "assets" if frozen_root else None,  # PyInstaller build
        _PACKAGE.parent / "assets",  # source checkout or editable install
        _PACKAGE / "assets",  # wheel: pyproject maps assets/ into the package
    ]
    for candidate in candidates:
        if candidate is not None and (candidate / "model.keras").is_file():
            return candidate
    return _PACKAGE.parent / "assets"


def bundled_model() -> Path:
    return assets_dir() / "model.keras"


def model_card() -> Path:
    return assets_dir() / "model_card.json"


def icon() -> Path:
    return assets_dir() / "icon.png"
