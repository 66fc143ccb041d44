"""`lushbeat show`: the table and body, JSON, raw bytes, Markdown on a terminal, refusals."""

from __future__ import annotations

import io

import pytest
from rich.console import Console
from rich.theme import Theme

from lushbeat_cli.render.article_view import print_article
from lushbeat_cli.render.human import STYLES, Output
from lushbeat_cli.render.machine import ARTICLE_FIELDS
from tests.conftest import Project

ARTICLE = """---
title: "[WIP] Pilpres Venezuela"
date: 2024-07-29T10:00:00+07:00
tags: [venezuela, pemilu]
author: [Ana, Budi]
status: published
extra:
  source: Reuters
  score: 3
flag: true
nothing:
---

**Lush Beat** – Lead.

## Subjudul

Isi dengan [tautan](../07/x.md).
"""


@pytest.fixture
def news(project: Project) -> Project:
    project.write("2024/07/pilpres.md", ARTICLE, dedent=False)
    project.write("2024/07/lain.md", "---\ntitle: Berita Lain\ndate: 2999-01-01\n---\nIsi.\n")
    return project


def test_piped_text_is_a_plain_table_then_the_body(cli, news) -> None:
    run = cli("show", "pilpres")
    assert run.exit_code == 0, run.stderr
    head, body = run.stdout.split("\n\n", 1)
    rows = [line.split(None, 1) for line in head.splitlines()]
    assert rows == [
        ["field", "value"],
        ["path", "content/2024/07/pilpres.md"],
        ["title", "[WIP] Pilpres Venezuela"],
        ["date", "2024-07-29T10:00:00+07:00"],
        ["tags", "venezuela, pemilu"],
        ["author", "Ana, Budi"],
        ["status", "published"],
        ["extra", '{"source": "Reuters", "score": 3}'],
        ["flag", "true"],
        ["nothing", "null"],
    ]
    assert body == "**Lush Beat** – Lead.\n\n## Subjudul\n\nIsi dengan [tautan](../07/x.md).\n"
    assert "\x1b[" not in run.stdout
    assert run.stderr == ""


def test_effective_status_is_shown_when_it_differs(cli, news) -> None:
    run = cli("show", "berita lain")
    assert run.exit_code == 0, run.stderr
    assert "effective status  scheduled" in run.stdout


def test_json_shape(cli, news) -> None:
    run = cli("show", "content/2024/07/pilpres.md", "--format", "json")
    assert run.exit_code == 0, run.stderr
    data = run.json()
    assert list(data) == [*ARTICLE_FIELDS, "format", "metadata", "body"]
    assert data["path"] == "content/2024/07/pilpres.md"
    assert data["slug"] == "pilpres"
    assert data["date"] == "2024-07-29T10:00:00+07:00"
    assert data["author"] == ["Ana", "Budi"]
    assert data["format"] == "yaml"
    assert data["metadata"] == {
        "title": "[WIP] Pilpres Venezuela",
        "date": "2024-07-29T10:00:00+07:00",
        "tags": ["venezuela", "pemilu"],
        "author": ["Ana", "Budi"],
        "status": "published",
        "extra": {"source": "Reuters", "score": 3},
        "flag": True,
        "nothing": None,
    }
    assert data["body"].startswith("\n**Lush Beat** – Lead.")


def test_raw_prints_the_exact_bytes(cli, project) -> None:
    data = b"\xef\xbb\xbf---\r\ntitle: Mentah\r\n---\r\nIsi \xe2\x80\x9cquoted\xe2\x80\x9d.\r\n"
    project.write("raw.md", data)
    run = cli("show", "raw", "--raw")
    assert run.exit_code == 0, run.stderr
    assert run.stdout_bytes == data


def test_markdown_is_rendered_on_a_terminal(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TTY_COMPATIBLE", "1")  # stdout counts as a terminal
    buffer = io.StringIO()
    output = Output(no_color=True)
    output.__dict__["out"] = Console(  # what Output makes, on a pretend terminal
        file=buffer, force_terminal=True, width=80, theme=Theme(STYLES), markup=False
    )
    print_article(
        output, [("title", "[bold]not markup[/bold]")], "# Judul\n\n**tebal** dan `kode`\n"
    )
    text = buffer.getvalue()
    assert "[bold]not markup[/bold]" in text
    assert "Judul" in text and "# Judul" not in text
    assert "tebal" in text and "**tebal**" not in text


@pytest.mark.parametrize(
    ("args", "code", "message"),
    [
        (["show", "tidak ada sama sekali"], 2, "no article matches"),
        (["show", "pilpres", "--raw", "--format", "json"], 2, "--raw"),
        (["show", "pilpres", "--format", "yaml"], 2, "yaml"),
    ],
)
def test_refusals(cli, news, args: list[str], code: int, message: str) -> None:
    run = cli(*args)
    assert run.exit_code == code
    assert message in run.stderr
    assert run.stdout == ""


def test_ambiguous_titles_list_the_candidates(cli, news) -> None:
    news.write("a.md", "---\ntitle: Maduro Menang Lagi\n---\n")
    news.write("b.md", "---\ntitle: Maduro Menang Lagi!\n---\n")
    run = cli("show", "maduro menang")
    assert run.exit_code == 2
    assert run.stdout == ""
    lines = run.stderr.splitlines()
    assert len(lines) == 3
    assert sorted(line.split()[0] for line in lines[1:]) == ["content/a.md", "content/b.md"]


def test_a_broken_file_named_by_path_reports_its_error(cli, news) -> None:
    news.write("broken.md", b"---\ntitle: caf\xe9\n---\n")
    run = cli("show", "content/broken.md")
    assert run.exit_code == 1
    assert run.stderr.strip() == "error: content/broken.md:2:11: invalid UTF-8 (byte 0xe9)"


def test_a_file_outside_the_content_dir_is_refused(cli, news) -> None:
    (news.root / "outside.md").write_text("---\ntitle: Luar\n---\n")
    run = cli("show", "outside.md")
    assert run.exit_code == 2
    assert "not an article of the content directory" in run.stderr
