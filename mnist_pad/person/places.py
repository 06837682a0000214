"""Where the app keeps what it saves, and whether it can.

A read-only home (a kiosk, a sandbox, `HOME` unset so Qt falls back to `/`)
must not stop the app: it reads with the bundled model and says, once, what
it cannot keep.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from collections.abc import Callable
from pathlib import Path


def cannot_save(folder: str | os.PathLike[str]) -> str | None:
    """Why no file can be created in `folder` (created if missing), or None when one can."""
    folder = Path(folder)
    try:
        folder.mkdir(parents=True, exist_ok=True)
        handle, probe = tempfile.mkstemp(dir=folder, prefix=".write-test-")
        os.close(handle)
        os.unlink(probe)
    except OSError as exc:
        return exc.strerror or type(exc).__name__
    return None


def cannot_replace(file: str | os.PathLike[str]) -> str | None:
    """Why `file` cannot be written by replacing it (a folder or a pipe where it should be, or a
    folder that cannot be written), or None when it can."""
    file = Path(file)
    if file.is_symlink() or (file.exists() and not file.is_file()):
        kind = "a folder" if file.is_dir() else "not a regular file"
        return f"{file.name} is {kind}"
    return cannot_save(file.parent)


def unsaved_notice(
    places: dict[str, str | os.PathLike[str]], files: dict[str, str | os.PathLike[str]] | None = None
) -> str | None:
    """One sentence naming each place (what -> folder) and each file of ours (what -> file) that
    cannot be written, or None if all can."""
    problems = []
    Check = Callable[[str | os.PathLike[str]], str | None]
    checks: list[tuple[str, str | os.PathLike[str], Check]] = [(w, f, cannot_save) for w, f in places.items()]
    checks += [(what, file, cannot_replace) for what, file in (files or {}).items()]
    for what, place, check in checks:
        reason = check(place)
        if reason:
            problems.append(f"{what} in {place} ({reason[0].lower() + reason[1:]})")
    if not problems:
        return None
    return "Cannot save " + "; ".join(problems) + ". Drawing and reading work; changes will not be kept."


def move_up_nested(folder: str | os.PathLike[str]) -> list[str]:
    """Move what versions before 0.3 kept in `folder/<its own name>` (Qt's AppDataLocation with
    the organisation and the application both "MNIST Pad") up into `folder`, entry by entry,
    each with one rename; an entry whose name is taken stays where it is and is reported.
    Returns what was not moved."""
    folder = Path(folder)
    nested = folder / folder.name
    left: list[str] = []
    if not nested.is_dir() or nested.is_symlink():
        return left
    for entry in sorted(nested.iterdir()):
        target = folder / entry.name
        if target.exists() or target.is_symlink():
            left.append(f"{entry} (a {entry.name} is already in {folder})")
            continue
        try:
            entry.rename(target)
        except OSError as exc:
            left.append(f"{entry} ({exc.strerror or exc})")
    if not left:
        with contextlib.suppress(OSError):
            nested.rmdir()
    return left
