"""The import rules of the code base, checked on its source (every import statement, also
those inside functions, which run later but run all the same):

- `core/`, the engine, imports neither `tui` nor `textual` nor `rich`;
- the headless commands (`core.commands`) reach no Textual, Rich or `tui` module, however
  indirectly;
- no module of `core/` or `tui/` can reach itself through its imports (no import cycle);
- and at run time, in a fresh interpreter, `newsdesk parse` as `python -m tui.cli` starts it
  leaves Textual out of `sys.modules`.

Imports under `if TYPE_CHECKING:` never run and are left out.
"""

from __future__ import annotations

import ast
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
PACKAGES = ("core", "tui")
INTERFACE_LIBRARIES = ("tui", "textual", "rich")

Graph = dict[str, set[str]]


def module_name(path: Path, root: Path) -> str:
    parts = list(path.relative_to(root).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def _is_type_checking(test: ast.expr) -> bool:
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING"
    )


def _imports(node: ast.AST, module: str, is_package: bool) -> Iterator[str]:
    """The names `node` imports (a `from X import Y` gives both X and X.Y: Y may be a module),
    skipping `if TYPE_CHECKING:` blocks."""
    if isinstance(node, ast.If) and _is_type_checking(node.test):
        for child in node.orelse:
            yield from _imports(child, module, is_package)
        return
    if isinstance(node, ast.Import):
        yield from (alias.name for alias in node.names)
    elif isinstance(node, ast.ImportFrom):
        if node.level:
            package = module.split(".")
            base = package if is_package else package[:-1]
            base = base[: len(base) - (node.level - 1)]
            source = ".".join([*base, *([node.module] if node.module else [])])
        else:
            source = node.module or ""
        yield source
        yield from (f"{source}.{alias.name}" for alias in node.names)
    for child in ast.iter_child_nodes(node):
        yield from _imports(child, module, is_package)


def import_graph(root: Path = ROOT) -> tuple[Graph, Graph]:
    """(edges between the modules of PACKAGES, every name each of them imports)."""
    files = {module_name(path, root): path for package in PACKAGES for path in sorted((root / package).rglob("*.py"))}
    internal: Graph = {}
    imported: Graph = {}
    for module, path in files.items():
        tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
        names = set(_imports(tree, module, path.name == "__init__.py"))
        imported[module] = names
        internal[module] = {name for name in names if name in files and name != module}
    return internal, imported


def find_cycle(graph: Graph) -> list[str] | None:
    """One import cycle of `graph` as the modules along it (first == last), or None."""
    state: dict[str, int] = {}  # 1: on the current path, 2: done
    path: list[str] = []

    def visit(module: str) -> list[str] | None:
        state[module] = 1
        path.append(module)
        for target in sorted(graph.get(module, ())):
            if state.get(target) == 1:
                return [*path[path.index(target) :], target]
            if target not in state and (cycle := visit(target)):
                return cycle
        path.pop()
        state[module] = 2
        return None

    for module in sorted(graph):
        if module not in state and (cycle := visit(module)):
            return cycle
    return None


def reachable(graph: Graph, start: str) -> set[str]:
    seen = {start}
    stack = [start]
    while stack:
        for target in graph.get(stack.pop(), ()):
            if target not in seen:
                seen.add(target)
                stack.append(target)
    return seen


def _top(name: str) -> str:
    return name.split(".")[0]


def test_core_imports_no_interface_library() -> None:
    _, imported = import_graph()
    offending = sorted(
        f"{module} imports {name}"
        for module, names in imported.items()
        if _top(module) == "core"
        for name in names
        if _top(name) in INTERFACE_LIBRARIES
    )
    assert offending == []


def test_headless_commands_reach_no_interface_library() -> None:
    internal, imported = import_graph()
    commands = [module for module in internal if module == "core.commands" or module.startswith("core.commands.")]
    assert "core.commands.run" in commands
    reached = set().union(*(reachable(internal, module) for module in commands))
    offending = sorted(f"{module} imports {name}" for module in reached for name in imported[module] if _top(name) in INTERFACE_LIBRARIES)
    assert offending == []


def test_there_is_no_import_cycle() -> None:
    internal, _ = import_graph()
    assert find_cycle(internal) is None, " -> ".join(find_cycle(internal) or [])


def test_the_cycle_finder_finds_a_cycle_through_an_import_inside_a_function(tmp_path: Path) -> None:
    # The same shape as an entry point that imports the command line when it runs, while
    # the command line imports a helper from the entry point's module.
    (tmp_path / "tui").mkdir()
    (tmp_path / "core").mkdir()
    (tmp_path / "tui" / "__init__.py").write_text("")
    (tmp_path / "core" / "__init__.py").write_text("")
    (tmp_path / "tui" / "launch.py").write_text("def main():\n    from tui.cli import main\n    return main()\n")
    (tmp_path / "tui" / "cli.py").write_text("def run():\n    from .launch import main\n")
    (tmp_path / "core" / "typed.py").write_text(
        "from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    from core import other\n"
    )
    (tmp_path / "core" / "other.py").write_text("import core.typed\n")
    internal, _ = import_graph(tmp_path)
    assert find_cycle(internal) == ["tui.cli", "tui.launch", "tui.cli"]
    del internal["tui.cli"]
    assert find_cycle(internal) is None  # core.other -> core.typed only under TYPE_CHECKING


@pytest.mark.parametrize("command", [["parse"], ["keywords", "--top", "3"], ["kwic", "gas"]])
def test_a_headless_command_run_as_newsdesk_loads_no_textual(command: list[str]) -> None:
    # In a fresh interpreter, the way the script and `newsdesk serve` start the program.
    name, *options = command
    arguments = [name, str(ROOT / "seeds"), *options]
    probe = (
        "import sys\n"
        "from tui.cli import main\n"
        f"code = main({arguments!r})\n"
        "sys.stdout.flush()\n"
        "print('loaded:', sorted({m.split('.')[0] for m in sys.modules} & {'textual', 'rich'}), code, file=sys.stderr)\n"
    )
    done = subprocess.run([sys.executable, "-c", probe], cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert done.stdout, done.stderr
    assert done.stderr.splitlines()[-1] == "loaded: [] 0", done.stderr
