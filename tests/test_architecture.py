"""The dependency direction from STYLE.md, checked with ast: core never reaches up."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "src" / "lushbeat_cli"
THIRD_PARTY_HOMES = {
    "typer": {"cli"},
    "rich": {"cli", "render"},
    "rapidfuzz": {"core/fuzzy.py"},
    "Stemmer": {"core/similar/stemming.py"},
    "yaml": {"core/reading/frontmatter.py", "core/edit/yaml_editor.py"},
    # core/reading/scan.py reads one row of the index (the folder it was built for) in the child
    # that starts scanning before the program has loaded: importing core/index/ would cost it more
    # than the scan it saves.
    "sqlite3": {"core/index", "core/reading/scan.py", "exporters"},
    "markdown_it": {"exporters/markdown.py"},
    "nh3": {"exporters/sanitize.py"},
}


def imports(path: Path) -> set[str]:
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module)
    return names


MODULES = sorted(PACKAGE.rglob("*.py"))


def rel(path: Path) -> str:
    return path.relative_to(PACKAGE).as_posix()


@pytest.mark.parametrize("path", MODULES, ids=rel)
def test_layers_only_import_downwards(path: Path) -> None:
    where = rel(path)
    found = imports(path)
    if where.startswith("core/") or where == "errors.py":
        forbidden = ("lushbeat_cli.cli", "lushbeat_cli.render", "lushbeat_cli.exporters")
        assert not [n for n in found if n.startswith(forbidden)], where
    if not where.startswith("cli/") and where not in ("__main__.py",):
        assert not [n for n in found if n.startswith("lushbeat_cli.cli")], where


@pytest.mark.parametrize("path", MODULES, ids=rel)
def test_third_party_libraries_live_in_their_home(path: Path) -> None:
    where = rel(path)
    for name in imports(path):
        top = name.split(".")[0]
        homes = THIRD_PARTY_HOMES.get(top)
        if homes is None:
            continue
        assert any(where == home or where.startswith(home + "/") for home in homes), (
            f"{where} imports {top}; its home is {sorted(homes)}"
        )


@pytest.mark.parametrize("path", MODULES, ids=rel)
def test_no_direct_click_and_a_docstring(path: Path) -> None:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    assert "click" not in {n.split(".")[0] for n in imports(path)}
    assert ast.get_docstring(tree), f"{rel(path)} needs a module docstring"


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(PACKAGE.parent).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


NAMES = {_module_name(path): path for path in MODULES}


def _imported_modules(path: Path, *, deferred: bool) -> set[str]:
    """The lushbeat_cli modules ``path`` imports: at module level, and with ``deferred`` also
    inside functions. Imports under ``if TYPE_CHECKING:`` never run and are left out."""
    found: set[str] = set()

    def visit(node: ast.AST) -> None:
        for child in ast.iter_child_nodes(node):
            if isinstance(child, ast.If) and "TYPE_CHECKING" in ast.unparse(child.test):
                continue
            if not deferred and isinstance(child, ast.FunctionDef | ast.AsyncFunctionDef):
                continue
            if isinstance(child, ast.Import):
                found.update(alias.name for alias in child.names)
            elif isinstance(child, ast.ImportFrom) and child.module and child.level == 0:
                # ``from package import module`` imports the module; ``from m import name`` m.
                submodules = {f"{child.module}.{alias.name}" for alias in child.names}
                found.update(submodules & NAMES.keys() or {child.module})
            visit(child)

    visit(ast.parse(path.read_text(encoding="utf-8")))
    return {name for name in found if name in NAMES and name != _module_name(path)}


def _cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """The strongly connected components with more than one module (Tarjan's algorithm)."""
    order: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    found: list[list[str]] = []

    def connect(node: str) -> None:
        order[node] = low[node] = len(order)
        stack.append(node)
        for target in sorted(graph[node]):
            if target not in order:
                connect(target)
                low[node] = min(low[node], low[target])
            elif target in stack:
                low[node] = min(low[node], order[target])
        if low[node] == order[node]:
            component = []
            while True:
                member = stack.pop()
                component.append(member)
                if member == node:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for node in sorted(graph):
        if node not in order:
            connect(node)
    return found


def test_no_import_cycles() -> None:
    """No two lushbeat_cli modules import each other, directly or round a longer loop.

    Counted: module-level imports in every package, and for everything outside ``cli/`` the
    imports inside functions too (a deferred import is there for start-up time, not to hide a
    loop: ``core.corpus`` importing ``core.index`` in a function while the index imported the
    corpus at the top was such a loop). Imports under ``if TYPE_CHECKING:`` never run and are
    not counted. ``cli/`` may defer an import back up (its package ``__init__`` holds the
    command table that the fast path and the typer app read, and loads them lazily): nothing
    imports ``cli``, so such a loop cannot tie the lower layers together.
    """
    eager = {name: _imported_modules(path, deferred=False) for name, path in NAMES.items()}
    assert _cycles(eager) == []
    lower = {name for name in NAMES if not name.startswith("lushbeat_cli.cli")}
    deferred = {
        name: _imported_modules(NAMES[name], deferred=True) & lower for name in sorted(lower)
    }
    assert _cycles(deferred) == []


def test_the_cycle_check_sees_a_deferred_loop() -> None:
    graph = {"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}
    assert _cycles(graph) == [["a", "b", "c"]]
    assert _cycles({"a": {"b"}, "b": set()}) == []
