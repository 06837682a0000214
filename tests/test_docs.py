"""The README and the docs: every command can run as written, every link leads somewhere, and the
figures and the model card page agree with assets/model_card.json."""

import json
import re
import shutil
import subprocess
import sys

import pytest
from helpers import REPO
from readme import README, commands, how, readme_commands, shell_blocks

from mnist_pad import __version__

DOCS = [README, REPO / "CONTRIBUTING.md", *sorted((REPO / "docs").glob("*.md"))]
CARD = json.loads((REPO / "assets" / "model_card.json").read_text())


def test_every_readme_command_is_known_and_has_no_placeholder():
    found = readme_commands()
    assert len(found) >= 6
    for command in found:
        assert how(command) is not None, f"README command with no check in tests/readme.py: {command}"
        assert not re.search(r"\.\.\.|…|<[a-z _-]+>|\b[A-Z]{4,}_[A-Z]+\b", command), f"a placeholder in: {command}"


@pytest.mark.parametrize("path", DOCS, ids=lambda p: p.name)
def test_every_shell_block_is_valid_bash(path):
    for block in shell_blocks(path):
        result = subprocess.run(["bash", "-n"], input=block, capture_output=True, text=True)
        assert result.returncode == 0, f"{path.name}: {result.stderr}\n{block}"


def test_the_ci_runs_the_readme_install_and_self_test_as_written():
    ci = (REPO / ".ci" / "run").read_text()
    assert "tests/readme.py ci" in ci
    assert [c for c in readme_commands() if how(c) == "ci"] == [
        "python3 -m venv ~/.venvs/mnist-pad && ~/.venvs/mnist-pad/bin/pip install '.[train]'",
        "~/.venvs/mnist-pad/bin/mnist-pad --self-test",
    ]
    assert "tests/readme.py light" in ci
    assert [c for c in readme_commands() if how(c).startswith("light")] == [
        "python3 -m venv ~/.venvs/mnist-pad && ~/.venvs/mnist-pad/bin/pip install ."
    ]


def test_the_archive_commands_name_this_version():
    archive = [c for c in readme_commands() if how(c).startswith("archive")]
    assert len(archive) == 3 and all(f"mnist-pad-{__version__}" in c for c in archive)
    assert "mkdir -p ~/Applications" in archive[1]  # tar -C needs the folder to exist


@pytest.mark.skipif(shutil.which("apt-cache") is None, reason="no apt-cache: not a Debian system")
def test_the_apt_packages_exist():
    (command,) = [c for c in readme_commands() if how(c).startswith("apt")]
    packages = command.split("install", 1)[1].split()
    result = subprocess.run(["apt-cache", "show", *packages], capture_output=True, text=True)
    if "No packages found" in result.stderr and all(p in result.stderr for p in packages):
        pytest.skip("the package lists are empty (apt-get update has not run)")
    assert result.returncode == 0, result.stderr


def anchor(heading: str) -> str:
    """GitHub's anchor for a heading."""
    text = re.sub(r"[^\w\- ]", "", heading.strip().lower())
    return text.replace(" ", "-")


@pytest.mark.parametrize("path", DOCS, ids=lambda p: p.name)
def test_every_relative_link_leads_to_a_file_and_heading(path):
    text = path.read_text(encoding="utf-8")
    for target in re.findall(r"\]\(([^)\s]+)\)", text):
        if re.match(r"[a-z]+:", target):
            continue
        file_part, _, fragment = target.partition("#")
        linked = (path.parent / file_part).resolve() if file_part else path
        assert linked.exists(), f"{path.name}: {target}"
        if fragment and linked.suffix == ".md":
            headings = re.findall(r"^#+ (.+)$", linked.read_text(encoding="utf-8"), re.M)
            assert fragment in {anchor(h) for h in headings}, f"{path.name}: #{fragment} in {linked.name}"


def test_the_readme_figures_are_the_model_cards():
    text = README.read_text(encoding="utf-8")
    for figure in (
        CARD["mnist"]["accuracy"],
        CARD["pen_digits"]["accuracy"],
        CARD["pendigits_tes"]["accuracy"],
    ):
        assert f"{figure * 100:.2f}%" in text
    assert f"{CARD['pen_numbers']['exact'] * 100:.1f}% read exactly" in text
    assert f"{CARD['letters_held_out']['rejected'] * 100:.1f}% answered" in text


def test_the_model_card_page_is_generated_from_the_card():
    result = subprocess.run(
        [sys.executable, str(REPO / "scripts" / "model_card_md.py"), "--check"], capture_output=True, text=True
    )
    assert result.returncode == 0, result.stderr


def test_the_readme_is_a_short_guide():
    assert len(README.read_text(encoding="utf-8").splitlines()) < 200
    assert all(commands(block) for block in shell_blocks())  # no empty shell block
