"""packaging/install-desktop-entry.sh writes an entry every menu reads back as the real path, or refuses."""

import re
import shutil
import subprocess
from pathlib import Path

import pytest
from helpers import REPO

PACKAGING = REPO / "packaging"


def unpacked(folder: Path) -> Path:
    """The parts of an unpacked release the script uses."""
    (folder / "_internal" / "mnist_pad" / "assets").mkdir(parents=True)
    shutil.copy(REPO / "assets" / "icon.png", folder / "_internal" / "mnist_pad" / "assets")
    shutil.copytree(REPO / "assets" / "icons", folder / "_internal" / "mnist_pad" / "assets" / "icons")
    for name in ("install-desktop-entry.sh", "mnist-pad.desktop", "io.github.mnist_pad.MnistPad.metainfo.xml"):
        shutil.copy(PACKAGING / name, folder)
    return folder


def exec_path(entry: str) -> str:
    """The program Exec= names, read as the Desktop Entry spec says: the string escapes first,
    then the quoted argument's, then %% for %."""
    value = re.search(r'^Exec="(.*)"$', entry, re.M).group(1)
    value = re.sub(r"\\(.)", lambda m: {"s": " ", "n": "\n", "t": "\t", "r": "\r"}.get(m[1], m[1]), value)
    value = re.sub(r'\\([\\"`$])', r"\1", value)
    return value.replace("%%", "%")


def install(folder: Path, data: Path) -> subprocess.CompletedProcess:
    return subprocess.run(
        ["sh", str(folder / "install-desktop-entry.sh")],
        env={"PATH": "/usr/bin:/bin", "HOME": str(data), "XDG_DATA_HOME": str(data)},
        capture_output=True,
        text=True,
        timeout=60,
    )


@pytest.mark.parametrize("name", ["MNIST Pad", 'we"ird $x\\y%z`q', "ünïcode ❤"])
def test_the_entry_names_the_real_program_whatever_the_folder_is_called(tmp_path, name):
    folder = unpacked(tmp_path / name)
    result = install(folder, tmp_path / "data")
    assert result.returncode == 0, result.stderr
    entry = tmp_path / "data" / "applications" / "mnist-pad.desktop"
    assert exec_path(entry.read_text()) == str(folder / "mnist-pad")
    if shutil.which("desktop-file-validate"):
        assert subprocess.run(["desktop-file-validate", str(entry)], capture_output=True).returncode == 0
    assert not list(entry.parent.glob(".*tmp*"))


@pytest.mark.parametrize("name", ["new\nline", "tab\there"])
def test_a_folder_with_a_control_character_is_refused_and_nothing_written(tmp_path, name):
    folder = unpacked(tmp_path / name)
    result = install(folder, tmp_path / "data")
    assert result.returncode == 1 and "control character" in result.stderr
    assert not (tmp_path / "data" / "applications").exists() or not list((tmp_path / "data" / "applications").iterdir())


def test_the_icon_goes_in_at_every_standard_size_with_the_metainfo_and_comes_out_again(tmp_path):
    from PIL import Image

    folder = unpacked(tmp_path / "MNIST Pad")
    data = tmp_path / "data"
    assert install(folder, data).returncode == 0
    for size in (16, 24, 32, 48, 64, 128, 256, 512):
        with Image.open(data / "icons" / "hicolor" / f"{size}x{size}" / "apps" / "mnist-pad.png") as icon:
            assert icon.size == (size, size)
    assert (data / "metainfo" / "io.github.mnist_pad.MnistPad.metainfo.xml").is_file()
    removed = subprocess.run(
        ["sh", str(folder / "install-desktop-entry.sh"), "--remove"],
        env={"PATH": "/usr/bin:/bin", "HOME": str(data), "XDG_DATA_HOME": str(data)},
        capture_output=True,
        timeout=60,
    )
    assert removed.returncode == 0 and not [p for p in data.rglob("mnist-pad*") if p.is_file()]
    assert not (data / "metainfo" / "io.github.mnist_pad.MnistPad.metainfo.xml").exists()
