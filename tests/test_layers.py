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


#: Layers that must run without Qt: they serve train.py, the evaluator and the benchmarks.
CORE = {"foundation", "files", "ink", "datasets", "model", "person"}
#: Where start-up begins (the console script's entry point); it imports the window's modules when it runs,
#: all but the self-test's (`--self-test`, which trains).
START_UP = "mnist_pad.app.launch"
NOT_ON_START_UP = {"mnist_pad.app.selftest"}


def top_level_imports(path: Path) -> set[str]:
    """Every module `path` imports when it is imported: at the top, in top-level if/try blocks, never inside
    a function or under `if TYPE_CHECKING:`."""
    found: set[str] = set()

    def visit(statements) -> None:
        for node in statements:
            if isinstance(node, ast.Import):
                found.update(alias.name for alias in node.names)
            elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                found.add(node.module)
                found.update(f"{node.module}.{alias.name}" for alias in node.names)
            elif isinstance(node, ast.If) and "TYPE_CHECKING" not in ast.unparse(node.test):
                visit(node.body)
                visit(node.orelse)
            elif isinstance(node, ast.Try):
                visit(node.body)

    visit(ast.parse(path.read_text(encoding="utf-8")).body)
    return found


def every_import(path: Path) -> set[str]:
    return {
        alias.name if isinstance(node, ast.Import) else node.module or ""
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8")))
        if isinstance(node, ast.Import | ast.ImportFrom)
        for alias in (node.names if isinstance(node, ast.Import) else [None])
    }


def test_the_core_never_imports_qt():
    """Only gui/ and app/ import Qt (anywhere in a module, lazily too)."""
    offenders = [
        module_name(path)
        for path in PACKAGE.rglob("*.py")
        if layer_of(module_name(path)) in CORE and any(name.split(".")[0] == "PySide6" for name in every_import(path))
    ]
    assert offenders == []


def test_start_up_never_imports_tensorflow_or_keras():
    """Every module start-up imports, and every module those import, at import time: none of them imports
    TensorFlow or Keras there (they are imported inside the functions that train, convert or look inside)."""
    paths = {module_name(path): path for path in PACKAGE.rglob("*.py")}
    roots = {START_UP} | {name for name in every_import(paths[START_UP]) if name in paths} - NOT_ON_START_UP
    seen: set[str] = set()
    todo, heavy = sorted(roots), []
    while todo:
        module = todo.pop()
        if module in seen or module not in paths:
            continue
        seen.add(module)
        for name in top_level_imports(paths[module]):
            if name.split(".")[0] in ("tensorflow", "keras"):
                heavy.append(f"{module} imports {name}")
            candidates = [name, name.rpartition(".")[0]]
            todo += [c for c in candidates if c in paths]
    assert len(seen) > 10  # the walk found start-up's modules
    assert heavy == []
