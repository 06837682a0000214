"""Release hygiene: the changelog, the AppStream metadata and the licences agree with the version."""

import re
import shutil
import subprocess
import xml.etree.ElementTree as ElementTree

import pytest
from helpers import REPO

from mnist_pad import __version__

METAINFO = REPO / "packaging" / "io.github.mnist_pad.MnistPad.metainfo.xml"


def test_the_changelogs_top_entry_is_this_version():
    headings = re.findall(r"^## (\S+)", (REPO / "CHANGELOG.md").read_text(encoding="utf-8"), re.M)
    assert headings and headings[0] == __version__


def test_the_metainfos_newest_release_is_this_version_and_names_the_desktop_entry():
    root = ElementTree.parse(METAINFO).getroot()
    assert root.find("releases/release").get("version") == __version__
    assert root.find("launchable").text == "mnist-pad.desktop" and (REPO / "packaging" / "mnist-pad.desktop").is_file()
    assert root.find("project_license").text == "MIT"


@pytest.mark.skipif(shutil.which("appstreamcli") is None, reason="appstreamcli is not installed (Debian: appstream)")
def test_the_metainfo_is_valid_appstream():
    result = subprocess.run(
        ["appstreamcli", "validate", "--no-net", str(METAINFO)], capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_the_licences_name_every_part_the_app_carries():
    text = (REPO / "THIRD-PARTY-LICENSES.md").read_text(encoding="utf-8")
    for part in ("Qt", "LGPL", "TensorFlow", "Apache-2.0", "LiteRT", "NumPy", "Pillow", "MNIST", "CC BY-SA 3.0"):
        assert part in text
    assert "MIT License" in (REPO / "LICENSE").read_text(encoding="utf-8")
