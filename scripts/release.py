"""Build the release archive: dist/mnist-pad-<version>-linux-x86_64.tar.xz and its .sha256.

    python scripts/release.py            # PyInstaller build (build.spec), then pack
    python scripts/release.py --no-build # pack an existing dist/mnist-pad

The archive unpacks into `mnist-pad-<version>/`, whose `mnist-pad` runs with no
Python installed; `sha256sum -c` checks it against the .sha256 file.
"""

from __future__ import annotations

import argparse
import hashlib
import importlib.util
import platform
import shutil
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from mnist_pad import __version__  # noqa: E402
from mnist_pad.files import atomic  # noqa: E402

#: Measured on the 900 MiB folder, 2 cores: -3 packs 220 MB in 70 s; the default -6, 202 MB in 178 s.
#: -3 keeps build plus packing within 3 minutes.
XZ_LEVEL = 3


def build(dist: Path, work: Path) -> None:
    command = [sys.executable, "-m", "PyInstaller", "--noconfirm", "--clean", "--log-level", "WARN"]
    subprocess.run([*command, "--distpath", str(dist), "--workpath", str(work), "build.spec"], cwd=ROOT, check=True)


def pack(folder: Path, archive: Path, top: str) -> Path:
    """`folder` as a .tar.xz named `archive` (written whole, then renamed) that unpacks into `top/`,
    and its checksum file."""
    if shutil.which("xz") is None:
        raise SystemExit("release: xz is not installed (Debian and Ubuntu: apt-get install xz-utils)")
    partial = archive.with_name(archive.name + ".partial")
    with partial.open("wb") as out:
        tar = subprocess.Popen(
            [
                "tar",
                "--owner=0",
                "--group=0",
                "--numeric-owner",
                "--sort=name",
                "-C",
                str(folder.parent),
                "--transform",
                f"s,^{folder.name},{top},",
                "-cf",
                "-",
                folder.name,
            ],
            stdout=subprocess.PIPE,
        )
        xz = subprocess.run(["xz", f"-{XZ_LEVEL}", "-T0", "-c"], stdin=tar.stdout, stdout=out, check=False)
        tar.stdout.close()
        if tar.wait() != 0 or xz.returncode != 0:
            partial.unlink(missing_ok=True)
            raise SystemExit("release: packing failed (see the messages above)")
    partial.replace(archive)
    digest = hashlib.sha256()
    with archive.open("rb") as data:
        for block in iter(lambda: data.read(1 << 20), b""):
            digest.update(block)
    checksum = archive.with_name(archive.name + ".sha256")
    atomic.write_text(checksum, f"{digest.hexdigest()}  {archive.name}\n")
    return checksum


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--no-build", action="store_true", help="pack dist/mnist-pad as it is")
    parser.add_argument("--dist", type=Path, default=ROOT / "dist", help="where the build goes (default: dist/)")
    args = parser.parse_args(argv)
    if sys.platform != "linux":
        raise SystemExit("release: the archive is made on Linux; elsewhere use `pyinstaller build.spec`")
    started = time.perf_counter()
    if not args.no_build and importlib.util.find_spec("PyInstaller") is None:
        raise SystemExit("release: PyInstaller is not installed here; install it with: pip install '.[build]'")
    if not args.no_build:
        build(args.dist, ROOT / "build")
    built = time.perf_counter()
    folder = args.dist / "mnist-pad"
    if not (folder / "mnist-pad").is_file():
        raise SystemExit(f"release: no build in {folder} (run without --no-build)")
    archive = args.dist / f"mnist-pad-{__version__}-linux-{platform.machine()}.tar.xz"
    checksum = pack(folder, archive, f"mnist-pad-{__version__}")
    size = sum(p.stat().st_size for p in folder.rglob("*") if p.is_file() and not p.is_symlink())
    print(f"folder   {folder}: {size / 2**20:.0f} MiB ({size / 1e6:.0f} MB)")
    print(f"archive  {archive}: {archive.stat().st_size / 2**20:.0f} MiB ({archive.stat().st_size / 1e6:.0f} MB)")
    print(f"checksum {checksum}")
    print(f"time     build {built - started:.0f} s, pack {time.perf_counter() - built:.0f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
