#!/usr/bin/env python3
"""Does every dependency have a wheel for each system the pad is built for? Asks PyPI, installs nothing.

    python scripts/check_wheels.py [--extras train] [--python 3.12]

For each target (Linux x86-64, Windows x86-64, macOS arm64) it evaluates the
environment markers of pyproject.toml's dependencies for that target (pip's
`--platform` alone would evaluate them for this machine), then asks pip to
resolve them with binary wheels only (`pip install --dry-run --report`, which
reads the wheels' metadata, not the wheels). Prints the wheel chosen for each
package and exits 1 when a target cannot be resolved.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
from pathlib import Path

from packaging.requirements import Requirement

if sys.version_info < (3, 11):
    raise SystemExit("check_wheels: needs Python 3.11 or newer (tomllib); the pad itself runs on 3.10 too")
import tomllib

ROOT = Path(__file__).resolve().parent.parent
#: name: (pip's --platform tags, the marker environment of that system)
TARGETS = {
    "linux-x86_64": (
        [f"manylinux_2_{minor}_x86_64" for minor in range(17, 36)] + ["manylinux2014_x86_64"],
        {"sys_platform": "linux", "platform_machine": "x86_64", "platform_system": "Linux"},
    ),
    "windows-x86_64": (
        ["win_amd64"],
        {"sys_platform": "win32", "platform_machine": "AMD64", "platform_system": "Windows"},
    ),
    "macos-arm64": (
        ["macosx_14_0_arm64", "macosx_12_0_arm64", "macosx_11_0_arm64"],
        {"sys_platform": "darwin", "platform_machine": "arm64", "platform_system": "Darwin"},
    ),
}


def requirements(extras: list[str], environment: dict[str, str]) -> list[str]:
    """pyproject's dependencies (and those of `extras`) whose markers hold on that system, markers removed."""
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    wanted = list(project["dependencies"])
    for extra in extras:
        wanted += project.get("optional-dependencies", {}).get(extra, [])
    chosen = []
    for text in wanted:
        requirement = Requirement(text)
        if requirement.marker is None or requirement.marker.evaluate({**environment, "extra": ""}):
            requirement.marker = None
            chosen.append(str(requirement))
    return chosen


def resolve(platforms: list[str], python: str, wanted: list[str]) -> dict[str, str]:
    """{package: wheel file} as pip would choose for that platform, or SystemExit with pip's last words."""
    with tempfile.TemporaryDirectory() as scratch:
        report = Path(scratch) / "report.json"
        command = [sys.executable, "-m", "pip", "install", "--dry-run", "--quiet", "--ignore-installed"]
        command += ["--only-binary=:all:", "--python-version", python, "--implementation", "cp"]
        command += [f"--platform={tag}" for tag in platforms]
        command += ["--target", str(Path(scratch) / "target"), "--report", str(report), *wanted]
        done = subprocess.run(command, capture_output=True, text=True)
        if done.returncode != 0:
            raise SystemExit(done.stderr.strip().splitlines()[-1] if done.stderr.strip() else "pip failed")
        installed = json.loads(report.read_text())["install"]
    return {item["metadata"]["name"]: item["download_info"]["url"].rsplit("/", 1)[-1] for item in installed}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--extras", default="train,build", help="comma-separated extras to include")
    parser.add_argument("--python", default="3.12")
    args = parser.parse_args()
    extras = [e for e in args.extras.split(",") if e]
    failed = False
    for name, (platforms, environment) in TARGETS.items():
        wanted = requirements(extras, environment)
        try:
            wheels = resolve(platforms, args.python, wanted)
        except SystemExit as exc:
            print(f"{name}: NOT RESOLVED: {exc}")
            failed = True
            continue
        print(f"{name} (Python {args.python}): {len(wheels)} wheels")
        for package in sorted(wheels, key=str.lower):
            print(f"  {package:<24} {wheels[package]}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
