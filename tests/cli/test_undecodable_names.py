"""A file whose name is not UTF-8 (b"caf\\xe9.md", say from an old Latin-1 disk) is an article
like any other in every command and format. Text outputs show each undecodable byte as U+FFFD
(so JSON, CSV, XML and SQLite stay valid UTF-8); ``paths`` output gives the name's exact bytes,
so that ``xargs -0`` reaches the file; URLs percent-encode the exact bytes."""

from __future__ import annotations

import csv
import io
import json
import os
import sqlite3
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from tests.conftest import Project

NAME = b"caf\xe9.md"  # Latin-1 "café.md"
SHOWN = "content/caf\ufffd.md"
OTHERS = (b"\xff\xfe-judul.md", b"folder-\xe9/x.md")  # more members: any byte, in a folder too


def body(title: str) -> bytes:
    return f"---\ntitle: {title}\ndate: 2024-05-01\ntags: [kopi]\n---\nHarga kopi naik.\n".encode()


@pytest.fixture
def odd(project: Project) -> Project:
    os.makedirs(project.content / os.fsdecode(b"folder-\xe9"))
    (project.content / os.fsdecode(NAME)).write_bytes(body("Cafe story"))
    for number, name in enumerate(OTHERS):
        (project.content / os.fsdecode(name)).write_bytes(body(f"Odd {number}"))
    project.article("ok.md", title="Kopi biasa", date="2024-05-02", tags=["kopi"], body="Kopi.\n")
    return project


def text(run) -> str:
    """stdout as UTF-8, strictly: an output with a raw undecodable byte fails here."""
    return run.stdout_bytes.decode("utf-8")


def test_list_shows_replacement_characters_and_paths_give_the_bytes(cli, odd: Project) -> None:
    table = cli("list")
    assert table.exit_code == 0, table.stderr
    assert SHOWN in text(table)
    records = json.loads(text(cli("list", "--format", "json")))
    assert {r["path"] for r in records} >= {SHOWN, "content/folder-\ufffd/x.md"}
    assert "caf\ufffd" in {r["slug"] for r in records}
    for fmt in ("jsonl", "csv", "tsv"):
        assert SHOWN in text(cli("list", "--format", fmt, "--sort", "title"))
    paths = cli("list", "--format", "paths", "-0").stdout_bytes.split(b"\0")
    assert b"content/" + NAME in paths
    assert b"content/" + OTHERS[0] in paths and b"content/" + OTHERS[1] in paths


def test_search_finds_them_like_any_article(cli, odd: Project) -> None:
    for extra in ((), ("--no-index",)):
        run = cli("search", "cafe", "--format", "json", *extra)
        assert run.exit_code == 0, run.stderr
        (hit,) = json.loads(text(run))
        assert hit["path"] == SHOWN and hit["matched_terms"] == ["cafe"]
        paths = cli("search", "kopi", "--format", "paths", *extra).stdout_bytes.splitlines()
        assert len(paths) == 4 and b"content/" + NAME in paths
    assert SHOWN in text(cli("search", "harga"))
    assert cli("search", "kopi", "--limit", "1", "--format", "paths").stdout == "content/ok.md\n"


def test_similar_show_tags_and_stats(cli, odd: Project) -> None:
    run = cli("similar", "content/ok.md", "--format", "json", "--include-newer")
    assert run.exit_code == 0, run.stderr
    assert SHOWN in {item["path"] for item in json.loads(text(run))}
    named = cli("similar", os.fsdecode(b"content/" + NAME), "--format", "paths", "--include-newer")
    assert named.exit_code == 0, named.stderr
    assert b"content/ok.md\n" in named.stdout_bytes
    show = cli("show", "cafe story")
    assert show.exit_code == 0, show.stderr
    assert SHOWN in text(show)
    assert json.loads(text(cli("show", "cafe story", "--format", "json")))["path"] == SHOWN
    assert json.loads(text(cli("tags", "--format", "json"))) == [{"tag": "kopi", "count": 4}]
    assert json.loads(text(cli("stats", "--format", "json")))["articles"] == 4
    assert cli("stats").exit_code == 0 and cli("validate").exit_code == 0


@pytest.mark.parametrize("fmt", ["json", "jsonl", "csv", "opensearch"])
def test_data_exports_are_valid_utf8(cli, odd: Project, fmt: str) -> None:
    run = cli("export", "--format", fmt)
    assert run.exit_code == 0, run.stderr
    output = text(run)
    if fmt == "csv":
        assert SHOWN in [row["path"] for row in csv.DictReader(io.StringIO(output))]
    else:
        lines = output.split("\n") if fmt != "json" else [output]
        records = [json.loads(line) for line in lines if line.strip()]
        flat = json.dumps(records, ensure_ascii=False)
        assert SHOWN in flat and '"caf\ufffd"' in flat


def test_sqlite_and_html_exports(cli, odd: Project, tmp_path: Path) -> None:
    database = tmp_path / "a.db"
    assert cli("export", "--format", "sqlite", "-o", str(database)).exit_code == 0
    with sqlite3.connect(database) as conn:
        paths = {path for (path,) in conn.execute("SELECT path FROM articles")}
    assert SHOWN in paths
    site = tmp_path / "site"
    run = cli("export", "--format", "html", "-o", str(site))
    assert run.exit_code == 0, run.stderr
    assert (site / "articles" / os.fsdecode(b"caf\xe9.html")).is_file()  # the same bytes
    assert 'href="articles/caf%E9.html"' in (site / "index.html").read_text(encoding="utf-8")


@pytest.mark.parametrize("fmt", ["rss", "atom", "jsonfeed"])
def test_feeds_link_the_exact_bytes(cli, odd: Project, fmt: str) -> None:
    run = cli("export", "--format", fmt, "--base-url", "https://example.com")
    assert run.exit_code == 0, run.stderr
    output = text(run)
    if fmt == "jsonfeed":
        urls = [item["url"] for item in json.loads(output)["items"]]
    else:
        urls = [
            element.text or element.get("href", "")
            for element in ET.fromstring(output).iter()
            if element.tag.endswith(("link", "id"))
        ]
    assert "https://example.com/articles/caf%E9.html" in urls


def test_half_a_character_in_json_front_matter_is_a_finding(cli, project: Project) -> None:
    project.write("bad.md", '{"title": "caf\\udce9", "tags": ["x"]}\nbody\n', dedent=False)
    project.article("ok.md", title="Baik")
    run = cli("list", "--format", "json")
    assert run.exit_code == 1
    assert [r["path"] for r in json.loads(text(run))] == ["content/ok.md"]
    assert "content/bad.md:1:2: LB104" in run.stderr and "\\udce9" in run.stderr


@pytest.mark.parametrize("fmt", ["json", "jsonl", "csv", "tsv"])
def test_an_undecodable_argument_never_makes_invalid_output(cli, odd: Project, fmt: str) -> None:
    fields = os.fsdecode(b"title,kunci-\xe9")  # a field name typed in a Latin-1 terminal
    run = cli("list", "--fields", fields, "--format", fmt, "--sort", "title")
    assert run.exit_code == 0, run.stderr
    assert "kunci-\ufffd" in text(run)
