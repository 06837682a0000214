"""The README's shell commands, and how each is checked: imported by test_docs.py, and run as
`python tests/readme.py ci` by .ci/run, which executes the install and self-test commands exactly
as written, from a fresh home.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

README = Path(__file__).resolve().parent.parent / "README.md"

#: How each README command is checked, by its start (the longest match wins).
HOW = {
    "sudo apt-get install ": "apt: every package exists in Debian (tests/test_docs.py)",
    "python3 -m venv ~/.venvs/mnist-pad && ~/.venvs/mnist-pad/bin/pip install '.[train]'": "ci",
    "python3 -m venv ~/.venvs/mnist-pad && ~/.venvs/mnist-pad/bin/pip install .": (
        "light: .ci/run installs it in a home of its own, runs the self-test there, checks TensorFlow is not there"
    ),
    "~/.venvs/mnist-pad/bin/mnist-pad --self-test": "ci",
    "~/.venvs/mnist-pad/bin/mnist-pad": "window: opens the app (tests/app/test_install.py starts the installed app)",
    "pip install -e '.[train,test]'": "dev: .ci/run does this in .venv-ci (and '.[test]' in .venv-light)",
    "pytest": "dev: .ci/run runs the tests",
    "sha256sum -c mnist-pad-": "archive: needs the release archive (docs/release.md); its version is checked",
    "mkdir -p ~/Applications && tar -xJf mnist-pad-": "archive",
    "~/Applications/mnist-pad-": "archive: the installer is tested in tests/app/test_desktop_entry.py",
}


def shell_blocks(path: Path = README) -> list[str]:
    """The text of every ```bash block."""
    return re.findall(r"^```bash\n(.*?)^```", path.read_text(encoding="utf-8"), re.M | re.S)


def commands(block: str) -> list[str]:
    """The commands of a block: continuation lines joined, comments and blank lines dropped."""
    joined = block.replace("\\\n", " ")
    found = []
    for line in joined.splitlines():
        command = re.sub(r"\s+#.*$", "", line).strip()
        if command and not command.startswith("#"):
            found.append(command)
    return found


def how(command: str) -> str | None:
    matches = [start for start in HOW if command.startswith(start)]
    return HOW[max(matches, key=len)] if matches else None


def readme_commands() -> list[str]:
    return [command for block in shell_blocks() for command in commands(block)]


if __name__ == "__main__":
    kind = sys.argv[1]
    print("\n".join(c for c in readme_commands() if (how(c) or "").split(":")[0] == kind))
