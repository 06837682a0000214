"""What the light install leaves out, and the exact command that brings it.

`pip install .` gives the pad that draws and reads (LiteRT runs the model);
`pip install '.[train]'` adds TensorFlow, which Retrain, Learn, opening a
`.keras` file and Look inside's saliency map need. Asking costs no import:
the module is looked for, not loaded.
"""

from __future__ import annotations

import importlib.util
import json
import sys
from importlib import metadata
from urllib.parse import unquote, urlparse

DISTRIBUTION = "mnist-pad"
EXTRA = "train"


def has_tensorflow() -> bool:
    return importlib.util.find_spec("tensorflow") is not None


def source_folder() -> str | None:
    """Where this install was made from, when pip made it from a folder (its direct_url.json)."""
    try:
        recorded = metadata.distribution(DISTRIBUTION).read_text("direct_url.json")
    except metadata.PackageNotFoundError:
        return None
    try:
        url = json.loads(recorded or "{}").get("url", "")
    except (ValueError, AttributeError):
        return None
    parsed = urlparse(url)
    return unquote(parsed.path) if parsed.scheme == "file" and parsed.path else None


def install_command() -> str:
    """The one command that adds TensorFlow to this very install."""
    target = f"{source_folder() or DISTRIBUTION}[{EXTRA}]"
    return f"\"{sys.executable}\" -m pip install '{target}'"


def tensorflow_missing(what: str) -> str | None:
    """None when TensorFlow is here; else one line saying that `what` needs it, and how to get it."""
    if has_tensorflow():
        return None
    return f"{what} needs TensorFlow, which this install of MNIST Pad leaves out. To add it, run: {install_command()}"
