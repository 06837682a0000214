"""The lock file: exclusive between programs, with a time limit, the same on every system (filelock)."""

from __future__ import annotations

import subprocess
import sys
import textwrap

import pytest
from helpers import another_program_holds

from mnist_pad.files.locking import LockTimeout, locked


def test_a_lock_another_program_holds_gives_up_with_a_message(tmp_path):
    lock = tmp_path / "data" / "samples.lock"
    with (
        another_program_holds(lock),
        pytest.raises(LockTimeout, match="held by another program"),
        locked(lock, timeout_s=0.2),
    ):
        pass
    with locked(lock, timeout_s=0):  # released: taken at once
        pass


def test_two_programs_never_hold_it_at_once(tmp_path):
    lock = tmp_path / "samples.lock"
    script = textwrap.dedent(
        f"""
        import sys
        from mnist_pad.files.locking import LockTimeout, locked
        try:
            with locked({str(lock)!r}, timeout_s=0):
                print("took it")
        except LockTimeout:
            print("refused")
        """
    )
    with locked(lock):
        held = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=60)
    free = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=60)
    assert held.stdout.strip() == "refused" and free.stdout.strip() == "took it"
