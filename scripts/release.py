"""Build the release archive of this system, and its .sha256:

    Linux    dist/mnist-pad-<version>-linux-x86_64.tar.xz    unpacks into mnist-pad-<version>/
    Windows  dist/mnist-pad-<version>-windows-AMD64.zip      unpacks into mnist-pad-<version>/
    macOS    dist/mnist-pad-<version>-macos-arm64.zip        holds MNIST Pad.app (made by ditto)

    python scripts/release.py            # PyInstaller build (build.spec), then pack
    python scripts/release.py --no-build # pack an existing build

What it packs runs with no Python installed; `sha256sum -c` (`shasum -a 256 -c`
on macOS, `Get-FileHash` on Windows) checks it against the .sha256 file.
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
import zipfile
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


#: What PyInstaller makes on each system (build.spec), and the name of the file that proves it is there.
SYSTEMS = {
    "linux": ("mnist-pad", "mnist-pad"),
    "windows": ("mnist-pad", "mnist-pad.exe"),
    "macos": ("MNIST Pad.app", ""),
}


def this_system() -> str:
    return {"win32": "windows", "darwin": "macos"}.get(sys.platform, "linux")


def archive_name(system: str, version: str, machine: str) -> str:
    return f"mnist-pad-{version}-{system}-{machine}" + (".tar.xz" if system == "linux" else ".zip")


def write_checksum(archive: Path) -> Path:
    digest = hashlib.sha256()
    with archive.open("rb") as data:
        for block in iter(lambda: data.read(1 << 20), b""):
            digest.update(block)
    checksum = archive.with_name(archive.name + ".sha256")
    atomic.write_text(checksum, f"{digest.hexdigest()}  {archive.name}\n")
    return checksum


def pack_zip(folder: Path, archive: Path, top: str) -> Path:
    """Windows: `folder` as a .zip that unpacks into `top/` (written whole, then renamed), and its checksum."""
    partial = archive.with_name(archive.name + ".partial")
    with zipfile.ZipFile(partial, "w", zipfile.ZIP_DEFLATED, compresslevel=6) as out:
        for path in sorted(folder.rglob("*")):
            if path.is_file():
                out.write(path, f"{top}/{path.relative_to(folder).as_posix()}")
    partial.replace(archive)
    return write_checksum(archive)


def pack_app(app: Path, archive: Path) -> Path:
    """macOS: the .app as Finder and Apple's notary service want it zipped (ditto keeps its symlinks,
    resource forks and extended attributes), and its checksum."""
    partial = archive.with_name(archive.name + ".partial")
    command = ["ditto", "-c", "-k", "--sequesterRsrc", "--keepParent", str(app), str(partial)]
    if subprocess.run(command, check=False).returncode != 0:
        partial.unlink(missing_ok=True)
        raise SystemExit("release: ditto could not zip the app (see the messages above)")
    partial.replace(archive)
    return write_checksum(archive)


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
    return write_checksum(archive)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--no-build", action="store_true", help="pack dist/mnist-pad as it is")
    parser.add_argument("--dist", type=Path, default=ROOT / "dist", help="where the build goes (default: dist/)")
    args = parser.parse_args(argv)
    system = this_system()
    started = time.perf_counter()
    if not args.no_build and importlib.util.find_spec("PyInstaller") is None:
        raise SystemExit("release: PyInstaller is not installed here; install it with: pip install '.[build]'")
    if not args.no_build:
        build(args.dist, ROOT / "build")
    built = time.perf_counter()
    built_name, executable = SYSTEMS[system]
    folder = args.dist / built_name
    if not (folder / executable).exists():
        raise SystemExit(f"release: no build in {folder} (run without --no-build)")
    archive = args.dist / archive_name(system, __version__, platform.machine())
    top = f"mnist-pad-{__version__}"
    if system == "linux":
        checksum = pack(folder, archive, top)
    elif system == "windows":
        checksum = pack_zip(folder, archive, top)
    else:
        checksum = pack_app(folder, archive)
    size = sum(p.stat().st_size for p in folder.rglob("*") if p.is_file() and not p.is_symlink())
    print(f"folder   {folder}: {size / 2**20:.0f} MiB ({size / 1e6:.0f} MB)")
    print(f"archive  {archive}: {archive.stat().st_size / 2**20:.0f} MiB ({archive.stat().st_size / 1e6:.0f} MB)")
    print(f"checksum {checksum}")
    print(f"time     build {built - started:.0f} s, pack {time.perf_counter() - built:.0f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
