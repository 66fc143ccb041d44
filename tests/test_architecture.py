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
    "frontmatter": {"core/frontmatter_io.py"},
    "yaml": {"core/frontmatter_io.py", "core/edit/yaml_editor.py"},
    # core/scan.py reads one row of the index (the folder it was built for) in the child that
    # starts scanning before the program has loaded: importing core/index.py would cost it more
    # than the scan it saves.
    "sqlite3": {"core/index.py", "core/scan.py", "exporters"},
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
