"""The folder tree is the architecture: each subpackage imports only the layers below it, and no
module imports itself round a cycle (lazy imports included)."""

import ast
from pathlib import Path

from helpers import REPO

PACKAGE = REPO / "mnist_pad"
#: Bottom to top. A module may import its own layer and those below, never one above.
LAYERS = ["foundation", "files", "ink", "datasets", "model", "person", "gui", "app"]
#: Top-level modules: the shared foundation, and the entry points (which sit with the app).
TOP_LEVEL = {"__init__": "foundation", "errors": "foundation", "resources": "foundation"}
ENTRY_POINTS = {"__main__", "evaluate"}


def module_name(path: Path) -> str:
    return ".".join(("mnist_pad", *path.relative_to(PACKAGE).with_suffix("").parts)).removesuffix(".__init__")


def layer_of(module: str) -> str:
    parts = module.split(".")
    if len(parts) == 1:
        return "foundation"
    if parts[1] in ENTRY_POINTS:
        return "app"
    return TOP_LEVEL.get(parts[1], parts[1])


def imports(path: Path) -> set[str]:
    """Every mnist_pad module `path` imports, at the top or inside a function."""
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("mnist_pad"):
            assert node.level == 0, f"{path}: relative import"
            for alias in node.names:
                candidate = f"{node.module}.{alias.name}"
                found.add(
                    candidate
                    if (PACKAGE / "/".join(candidate.split(".")[1:])).with_suffix(".py").exists()
                    else node.module
                )
        elif isinstance(node, ast.Import):
            found |= {alias.name for alias in node.names if alias.name.startswith("mnist_pad")}
    return found - {"mnist_pad.assets"}


GRAPH = {module_name(path): imports(path) for path in PACKAGE.rglob("*.py")}


def test_every_module_belongs_to_a_layer():
    assert {layer_of(module) for module in GRAPH} <= set(LAYERS)
    assert not [p.name for p in PACKAGE.glob("*.py") if p.stem not in {*TOP_LEVEL, *ENTRY_POINTS}]


def test_no_module_imports_a_layer_above_its_own():
    upward = [
        f"{module} ({layer_of(module)}) imports {target} ({layer_of(target)})"
        for module, targets in GRAPH.items()
        for target in targets
        if LAYERS.index(layer_of(target)) > LAYERS.index(layer_of(module))
    ]
    assert upward == []


def test_no_import_cycle():
    def cycle_from(start: str) -> list[str] | None:
        stack = [(start, [start])]
        while stack:
            module, path = stack.pop()
            for target in GRAPH.get(module, ()):
                if target == start:
                    return [*path, target]
                if target not in path and len(path) < len(GRAPH):
                    stack.append((target, [*path, target]))
        return None

    cycles = [cycle for module in GRAPH if (cycle := cycle_from(module))]
    assert cycles == []


def test_no_blocking_dialogs_in_the_code():
    """The rule of gui/notices.py: no nested event loop. Message and question boxes go through it;
    a static QMessageBox call, QInputDialog.get*, or exec() of a dialog is a blocking one."""
    import re

    blocking = re.compile(
        r"QMessageBox\.(warning|question|information|critical|about)\(|QInputDialog\.get\w+\(|\.exec\(\)"
    )
    found = [
        f"{path.relative_to(PACKAGE)}:{number}: {line.strip()}"
        for path in PACKAGE.rglob("*.py")
        if path.name != "notices.py"
        for number, line in enumerate(path.read_text().splitlines(), start=1)
        if blocking.search(line) and "app.exec()" not in line
    ]
    assert found == []
