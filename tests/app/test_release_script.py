"""scripts/release.py says in one line what to install when PyInstaller is missing."""

import subprocess
import sys

from helpers import REPO

SCRIPT = REPO / "scripts" / "release.py"
SAYS = "release: PyInstaller is not installed here; install it with: pip install '.[build]'"


def test_without_pyinstaller_it_says_what_to_install(tmp_path):
    code = (
        "import importlib.util, runpy, sys; importlib.util.find_spec = lambda name, *a: None; "
        f"sys.argv = ['release.py', '--dist', {str(tmp_path)!r}]; runpy.run_path({str(SCRIPT)!r}, run_name='__main__')"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert result.stderr.strip() == SAYS
