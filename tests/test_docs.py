"""The generated parts of docs/ (option tables, rule table) match the code, and the links
between the pages lead somewhere."""

from __future__ import annotations

import importlib.util
import re
import subprocess
import sys
from pathlib import Path
from types import ModuleType

import pytest

from lushbeat_cli.cli.params import Option
from tests.conftest import REPO

DOCS = REPO / "docs"


def load_generator() -> ModuleType:
    spec = importlib.util.spec_from_file_location("docs_generate", DOCS / "generate.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


generate = load_generator()
PAGES = sorted(DOCS.rglob("*.md"))


def rel(path: Path) -> str:
    return path.relative_to(REPO).as_posix()


@pytest.mark.parametrize("page", PAGES, ids=rel)
def test_generated_parts_are_up_to_date(page: Path) -> None:
    text = page.read_text(encoding="utf-8")
    assert generate.render(text) == text, (
        f"{rel(page)} is out of date with the code: run .venv/bin/python docs/generate.py"
    )


def test_every_marker_is_closed_and_filled() -> None:
    for page in PAGES:
        text = page.read_text(encoding="utf-8")
        opened = re.findall(r"(?m)^<!-- (options|rules)\b", text)
        closed = re.findall(r"(?m)^<!-- /(options|rules) -->$", text)
        assert opened == closed, f"{rel(page)}: a marker without its closing one"
        assert len(generate.BLOCK.findall(text)) == len(opened), rel(page)


def test_a_changed_help_text_makes_the_page_stale(monkeypatch: pytest.MonkeyPatch) -> None:
    from lushbeat_cli.cli import list_cmd

    page = DOCS / "commands" / "list.md"
    text = page.read_text(encoding="utf-8")
    assert generate.render(text) == text
    params = tuple(
        param.replace(help="Sort by this, whatever it is.")
        if isinstance(param, Option) and param.name == "sort"
        else param
        for param in list_cmd.PARAMS
    )
    monkeypatch.setattr(list_cmd, "PARAMS", params)
    changed = generate.render(text)
    assert changed != text
    assert "| `--sort` | `date`, `title`, `updated`, `path`, `slug` | `date` | Sort by this" in (
        changed
    )


def test_a_changed_rule_makes_the_rule_table_stale(monkeypatch: pytest.MonkeyPatch) -> None:
    from lushbeat_cli.core import rules

    text = (DOCS / "rules.md").read_text(encoding="utf-8")
    monkeypatch.setattr(rules, "RULES", rules.RULES[:-1])
    assert "LB404" not in generate.render(text)


def test_option_rows_say_what_help_says() -> None:
    block = generate.options_block(
        (
            Option("limit", "--limit", "-n", kind="int", min=0, metavar="N", help="At most N."),
            Option("fmt", "--format", choices=("a", "b"), default="a", help="Format | kind."),
            Option("tag", "--tag", multiple=True, metavar="TAG", help="A tag.", panel="Filters"),
            Option("draft", "--draft/--published", kind="bool", default=True, help="Status."),
            Option("into", "--into", required=True, metavar="TAG", help="Target."),
            Option("score", "--score", kind="float", default=90.0, min=50, max=100, help="S."),
            Option("quiet", "--quiet", default=False, help="Say less."),
        )
    )
    rows = block.splitlines()
    assert "| `--limit`, `-n` | `N` (at least 0) |  | At most N. |" in rows
    assert "| `--format` | `a`, `b` | `a` | Format \\| kind. |" in rows
    assert "| `--draft`, `--published` |  | `--draft` | Status. |" in rows
    assert "| `--into` | `TAG` (required) |  | Target. |" in rows
    assert "| `--score` | `FLOAT` (50 to 100) | `90.0` | S. |" in rows
    assert "| `--quiet` |  |  | Say less. |" in rows
    # Panels as --help shows them: the options without one first.
    assert (
        rows.index("**Options**")
        < rows.index("**Filters**")
        < rows.index("| `--tag` | `TAG` (repeatable) |  | A tag. |")
    )


@pytest.mark.parametrize(
    ("marker", "message"),
    [
        ("<!-- options: nosuch -->", "no command 'nosuch'"),
        ("<!-- options: tags nosuch -->", "tags has no sub-command 'nosuch'"),
        ("<!-- options: list nosuch -->", "list has no sub-command 'nosuch'"),
    ],
)
def test_a_marker_naming_nothing_is_an_error(marker: str, message: str) -> None:
    with pytest.raises(generate.DocsError, match=message):
        generate.render(f"{marker}\n<!-- /options -->\n")


def test_the_check_command_passes_on_the_repository() -> None:
    # The command the failure message points at runs from the repository root.
    result = subprocess.run(
        [sys.executable, "docs/generate.py", "--check"],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout == result.stderr == ""


def test_check_names_a_stale_page_and_rewriting_fixes_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    docs = tmp_path / "docs"
    (docs / "commands").mkdir(parents=True)
    page = docs / "commands" / "show.md"
    page.write_text("# show\n\n<!-- options: show -->\nold\n<!-- /options -->\n")
    monkeypatch.setattr(generate, "DOCS", docs)
    assert generate.main(["--check"]) == 1
    assert "docs/commands/show.md is out of date" in capsys.readouterr().err
    assert "old" in page.read_text()  # --check writes nothing
    assert generate.main([]) == 0
    assert "| `--raw` |" in page.read_text()
    assert generate.main(["--check"]) == 0
    assert [p.name for p in (docs / "commands").iterdir()] == ["show.md"]  # no temp file left


LINK = re.compile(r"\]\(([^)\s]+)\)")


@pytest.mark.parametrize("page", [REPO / "README.md", *PAGES], ids=rel)
def test_relative_links_lead_to_a_file_and_heading(page: Path) -> None:
    text = page.read_text(encoding="utf-8")
    text = re.sub(r"```.*?```", "", text, flags=re.S)  # links inside examples are examples
    text = re.sub(r"`[^`\n]*`", "", text)
    for target in LINK.findall(text):
        if re.match(r"[a-z]+:", target):
            continue  # http:, mailto: ...
        file, _, anchor = target.partition("#")
        linked = (page.parent / file).resolve() if file else page
        assert linked.is_file(), f"{rel(page)}: {target} leads to no file"
        if anchor:
            assert anchor in anchors(linked), f"{rel(page)}: {target}: no such heading"


def anchors(page: Path) -> set[str]:
    """GitHub's anchors for the page's headings: lower-case, punctuation dropped, spaces as -."""
    text = re.sub(r"```.*?```", "", page.read_text(encoding="utf-8"), flags=re.S)
    found = set()
    for heading in re.findall(r"(?m)^#+ (.+)$", text):
        heading = re.sub(r"\[([^\]]*)\]\([^)]*\)", r"\1", heading)  # a linked heading
        found.add(re.sub(r"[^\w\- ]", "", heading.lower()).replace(" ", "-"))
    return found
