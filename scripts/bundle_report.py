"""What in the one-folder build the app never opens: the measurement behind build.spec's exclusions.

    python scripts/bundle_report.py dist/mnist-pad

Runs the built app's `--self-test --with-training` (start-up, drawing, reading,
training, export to LiteRT, fine-tuning) under `strace -f -e trace=openat`,
offscreen and, when `xvfb-run` exists, on an X server through Qt's xcb plugin;
then lists the bundle's files that neither run opened, biggest first.
Linux only; needs strace (apt-get install strace xvfb).
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

#: A path passed to open/openat. A call split by another thread ("<unfinished ...>") has its
#: result on a later line: counted as opened unless it failed on this one, so the report errs
#: towards keeping a file.
OPENED = re.compile(r'open(?:at)?\((?:AT_FDCWD, )?"([^"]+)"(?!.*= -1 )')


def opened_files(executable: Path, platform: str, home: Path) -> set[str]:
    """Every path the app opened successfully during a self-test with training on `platform`."""
    trace = home / f"trace-{platform}.txt"
    command = ["strace", "-f", "-qq", "-e", "trace=openat,open", "-o", str(trace), str(executable)]
    command += ["--self-test", "--with-training"]
    env = {**os.environ, "HOME": str(home), "QT_QPA_PLATFORM": platform}
    if platform == "xcb":
        command = ["xvfb-run", "-a", *command]
    result = subprocess.run(command, env=env, capture_output=True, text=True, timeout=900)
    if result.returncode != 0:
        sys.exit(f"bundle_report: the self-test failed on {platform}:\n{result.stdout}{result.stderr}")
    lines = trace.read_text(errors="replace").splitlines()
    return {os.path.realpath(m.group(1)) for m in map(OPENED.search, lines) if m}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("folder", type=Path, help="the one-folder build, e.g. dist/mnist-pad")
    parser.add_argument("--top", type=int, default=40, help="how many files to list (default 40)")
    args = parser.parse_args(argv)
    if shutil.which("strace") is None:
        sys.exit("bundle_report: strace is not installed (apt-get install strace)")
    platforms = ["offscreen"] + (["xcb"] if shutil.which("xvfb-run") else [])
    with tempfile.TemporaryDirectory() as home:
        opened = set().union(*(opened_files(args.folder / "mnist-pad", p, Path(home)) for p in platforms))
    files = [p for p in args.folder.rglob("*") if p.is_file() and not p.is_symlink()]
    unopened = sorted((p for p in files if os.path.realpath(p) not in opened), key=lambda p: -p.stat().st_size)
    total = sum(p.stat().st_size for p in files)
    never = sum(p.stat().st_size for p in unopened)
    print(f"{args.folder}: {total / 2**20:.0f} MiB in {len(files)} files; runs: {', '.join(platforms)}")
    print(f"never opened: {never / 2**20:.1f} MiB in {len(unopened)} files")
    for path in unopened[: args.top]:
        print(f"{path.stat().st_size / 1e6:8.2f} MB  {path.relative_to(args.folder)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
