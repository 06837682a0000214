"""The file a person means by the name typed into a save dialog."""

from __future__ import annotations

import os
from pathlib import Path


def with_suffix(name: str | os.PathLike[str], suffix: str) -> Path:
    """`name` as typed, with `suffix` (".keras") appended when it does not already end in it:
    "digits.v2" -> "digits.v2.keras", never "digits.keras" (Path.with_suffix would replace ".v2")."""
    path = Path(name)
    return path if path.name.lower().endswith(suffix.lower()) and path.name != suffix else Path(f"{path}{suffix}")


def replaced_unasked(typed: str | os.PathLike[str], written: list[Path]) -> list[Path]:
    """The files of `written` that exist now and that the save dialog did not ask about (it asks
    only about the name typed): these must be asked about before they are replaced."""
    typed_path = Path(typed)
    return [path for path in written if path != typed_path and (path.exists() or path.is_symlink())]
