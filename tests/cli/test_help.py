"""Every command has help with an example, and a docs page that the README links."""

from __future__ import annotations

import re

import pytest
import typer

from lushbeat_cli.cli import COMMANDS, HIDDEN, app
from tests.conftest import REPO


def command_names() -> list[str]:
    return [name for name in COMMANDS if name not in HIDDEN]


@pytest.mark.parametrize("name", command_names())
def test_command_help_has_an_example(cli, name: str) -> None:
    run = cli(name, "--help")
    assert run.exit_code == 0
    assert "Example" in run.stdout


@pytest.mark.parametrize("name", command_names())
def test_docs_have_a_page_for_every_command_and_the_readme_links_it(name: str) -> None:
    page = REPO / "docs" / "commands" / f"{name}.md"
    assert page.is_file(), f"no {page.relative_to(REPO)}"
    text = page.read_text(encoding="utf-8")
    assert text.startswith(f"# `lushbeat {name}"), "the page's title names the command"
    assert f"<!-- options: {name} -->" in text, "the page lists the options (docs/generate.py)"
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    assert f"(docs/commands/{name}.md)" in readme
    index = (REPO / "docs" / "index.md").read_text(encoding="utf-8")
    assert f"(commands/{name}.md)" in index


def test_docs_list_the_options_of_every_sub_command() -> None:
    for path, _ in PAGES:
        if len(path) == 2:
            text = (REPO / "docs" / "commands" / f"{path[0]}.md").read_text(encoding="utf-8")
            assert f"<!-- options: {' '.join(path)} -->" in text, path


def test_no_page_for_a_command_that_does_not_exist() -> None:
    pages = {page.stem for page in (REPO / "docs" / "commands").glob("*.md")}
    assert pages == set(command_names())


def test_top_level_help_lists_commands(cli) -> None:
    run = cli("--help")
    assert run.exit_code == 0
    for name in command_names():
        assert name in run.stdout


def help_pages() -> list[tuple[tuple[str, ...], str]]:
    """Every command path (sub-commands too) and the docstring its help comes from."""
    pages: list[tuple[tuple[str, ...], str]] = [((), "")]
    group = typer.main.get_command(app)
    for name in command_names():
        command = group.get_command(None, name)  # type: ignore[attr-defined]
        pages.append(((name,), command.callback.__doc__ or ""))
        for sub_name, sub in getattr(command, "commands", {}).items():
            pages.append(((name, sub_name), sub.callback.__doc__ or ""))
    return pages


PAGES = help_pages()
PYTHON_TYPES = re.compile(r"<(?:bool|str|int|float|path|Path|datetime|list\[\w+\])>")


@pytest.mark.parametrize(("path", "doc"), PAGES, ids=lambda value: " ".join(value) or "top")
def test_help_shows_metavars_not_python_types(cli, path: tuple[str, ...], doc: str) -> None:
    run = cli(*path, "--help")
    assert run.exit_code == 0, run.stderr
    assert "--help" in run.stdout
    assert not PYTHON_TYPES.findall(run.stdout), run.stdout


def test_a_flag_has_an_empty_type_column_and_a_value_its_metavar(cli) -> None:
    rows = {
        line.split()[1]: line.split()[2:]
        for line in cli("list", "--help").stdout.splitlines()
        if line.startswith("│ --")
    }
    assert rows["--reverse"][:3] == ["-r", "Reverse", "the"]
    assert rows["--no-index"][:2] == ["Parse", "the"]
    assert rows["--help"][:2] == ["-h", "Show"]
    assert rows["--since"][:2] == ["DATE", "Dated"]
    assert rows["--tag"][:2] == ["-t", "TAG"]


@pytest.mark.parametrize(
    ("path", "doc"), [page for page in PAGES if page[0]], ids=lambda value: " ".join(value)
)
def test_examples_are_shown_one_per_line(cli, path: tuple[str, ...], doc: str) -> None:
    _, marker, rest = doc.partition("\b\n")
    lines = [line.strip() for line in rest.split("\n\n", 1)[0].splitlines()]
    assert marker and lines[0] == "Examples:", f"{' '.join(path)}: no '\\b' + 'Examples:' block"
    examples = lines[1:]
    assert examples
    shown = [line.strip() for line in cli(*path, "--help").stdout.splitlines()]
    start = shown.index("Examples:")
    assert shown[start + 1 : start + 1 + len(examples)] == examples
