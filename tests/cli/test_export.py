"""`lushbeat export` data formats through the real app, each parsed by a real consumer:
json/jsonl/opensearch with json, csv with csv, sqlite with sqlite3. Flags, filters, errors.
"""

from __future__ import annotations

import csv
import io
import json
import sqlite3
from pathlib import Path

import pytest

from lushbeat_cli.exporters import EXPORTERS
from lushbeat_cli.exporters.export_record import SCHEMA_VERSION
from tests.conftest import Project


@pytest.fixture
def news(project: Project) -> Project:
    project.article(
        "2024/07/venezuela.md",
        title="Pilpres Venezuela",
        date="2024-07-29T10:00:00+07:00",
        tags=["venezuela", "pemilu"],
        category="internasional",
        author="Ana",
        lang="id",
        summary="Maduro menang",
        related=["eu", "missing-slug"],
        desk="world",
        body="Isi **berita**.\n\nBaca juga : [EU](../06/eu.md)\n",
    )
    project.article(
        "2024/06/eu.md",
        title="EU sanctions",
        date="2024-06-24",
        tags=["rusia", "Venezuela"],
        category="internasional",
        author=["Ana", "Budi"],
        lang="en",
        updated="2024-06-25",
    )
    project.article(
        "2024/05/draft.md",
        title="Draft story",
        date="2024-05-01",
        status="draft",
        tags=["venezuela"],
        category="politik",
        lang="id",
    )
    return project


def csv_rows(text: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(text, newline="")))


# ---------------------------------------------------------------- json / jsonl


def test_json_record_shape(cli, news) -> None:
    run = cli("export", "--format", "json")
    assert run.exit_code == 0, run.stderr
    data = run.json()
    assert [item["slug"] for item in data] == ["venezuela", "eu", "draft"]
    assert data[0] == {
        "schema_version": SCHEMA_VERSION,
        "path": "content/2024/07/venezuela.md",
        "slug": "venezuela",
        "title": "Pilpres Venezuela",
        "date": "2024-07-29T10:00:00+07:00",
        "updated": None,
        "author": ["Ana"],
        "category": "internasional",
        "tags": ["venezuela", "pemilu"],
        "summary": "Maduro menang",
        "status": "published",
        "lang": "id",
        "related": ["eu", "missing-slug"],
        "format": "yaml",
        "front_matter": {
            "title": "Pilpres Venezuela",
            "date": "2024-07-29T10:00:00+07:00",
            "tags": ["venezuela", "pemilu"],
            "category": "internasional",
            "author": "Ana",
            "lang": "id",
            "summary": "Maduro menang",
            "related": ["eu", "missing-slug"],
            "desk": "world",
        },
        "body": "Isi **berita**.\n\nBaca juga : [EU](../06/eu.md)\n",
        "body_html": None,
    }
    assert data[1]["updated"] == "2024-06-25T00:00:00+07:00"
    assert run.stderr.strip() == "3 articles (json)"


def test_json_paths_are_relative_to_the_project_wherever_it_runs(cli, news, monkeypatch) -> None:
    monkeypatch.chdir(news.root.parent)
    run = cli("-C", "proj", "export", "--format", "json", "--output", "-")
    assert run.exit_code == 0, run.stderr
    assert run.json()[0]["path"] == "content/2024/07/venezuela.md"


def test_json_html_body_is_rendered_safely(cli, news) -> None:
    run = cli("export", "--format", "json", "--html", "--tag", "pemilu")
    assert run.exit_code == 0, run.stderr
    (record,) = run.json()
    assert record["body_html"] == (
        '<p>Isi <strong>berita</strong>.</p>\n<p>Baca juga : <a href="../06/eu.md">EU</a></p>\n'
    )


def test_jsonl_one_record_per_line_with_filters_as_list(cli, news) -> None:
    run = cli("export", "--format", "jsonl", "--tag", "venezuela", "--status", "published")
    assert run.exit_code == 0, run.stderr
    records = run.jsonl()
    assert [r["slug"] for r in records] == ["venezuela", "eu"]
    assert len(run.stdout.splitlines()) == 2
    assert all(r["schema_version"] == SCHEMA_VERSION for r in records)


def test_sort_limit_and_where_work_like_list(cli, news) -> None:
    run = cli("export", "-f", "jsonl", "--sort", "title", "--limit", "2")
    assert [r["title"] for r in run.jsonl()] == ["Draft story", "EU sanctions"]
    run = cli("export", "-f", "jsonl", "--where", "desk=world")
    assert [r["slug"] for r in run.jsonl()] == ["venezuela"]
    run = cli("export", "-f", "jsonl", "--since", "2024-06-01", "--until", "2024-06-30")
    assert [r["slug"] for r in run.jsonl()] == ["eu"]


def test_output_file_is_written_and_overwritten(cli, news) -> None:
    target = news.root / "out" / "articles.json"
    assert cli("export", "-f", "json", "-o", str(target)).exit_code == 0
    assert len(json.loads(target.read_text(encoding="utf-8"))) == 3
    run = cli("export", "-f", "json", "-o", str(target), "--tag", "pemilu")
    assert run.exit_code == 0
    assert run.stdout == ""
    assert len(json.loads(target.read_text(encoding="utf-8"))) == 1
    assert run.stderr.strip() == "1 article exported to out/articles.json (json)"
    assert sorted(p.name for p in target.parent.iterdir()) == ["articles.json"]


def test_format_from_the_output_suffix(cli, news) -> None:
    for name, check in (
        ("a.json", lambda p: json.loads(p.read_text(encoding="utf-8"))),
        ("a.jsonl", lambda p: [json.loads(x) for x in p.read_text(encoding="utf-8").splitlines()]),
        ("a.csv", lambda p: csv_rows(p.read_text(encoding="utf-8"))),
        ("a.db", lambda p: sqlite3.connect(p).execute("select * from articles").fetchall()),
    ):
        run = cli("export", "--output", name)
        assert run.exit_code == 0, run.stderr
        assert len(check(news.root / name)) == 3


# ---------------------------------------------------------------- csv


def test_csv_fixed_columns_then_fields(cli, news) -> None:
    run = cli("export", "--format", "csv", "--fields", "summary,desk,title")
    assert run.exit_code == 0, run.stderr
    assert run.stdout.splitlines()[0] == (
        "path,slug,title,date,updated,author,category,tags,status,lang,summary,desk"
    )
    rows = csv_rows(run.stdout)
    assert rows[1]["author"] == "Ana;Budi"
    assert rows[1]["tags"] == "rusia;Venezuela"
    assert rows[0]["desk"] == "world"
    assert rows[1]["desk"] == ""
    assert run.stdout_bytes.count(b"\r\n") == 4  # RFC 4180 line ends


def test_csv_defuses_formulas(cli, project: Project) -> None:
    project.article(
        "a.md",
        title='=HYPERLINK("http://x","y")',
        summary="+1 and more",
        tags=["@SUM(A1)", "-2", "ok"],
        note="\rCR",
        tab="\tTAB",
        plain="a=b",
    )
    run = cli("export", "--format", "csv", "--fields", "summary,note,tab,plain")
    assert run.exit_code == 0, run.stderr
    (row,) = csv_rows(run.stdout)
    assert row["title"] == '\'=HYPERLINK("http://x","y")'
    assert row["summary"] == "'+1 and more"
    assert row["tags"] == "'@SUM(A1);-2;ok"  # the cell starts with @, so it is defused
    assert row["note"] == "'\rCR"
    assert row["tab"] == "'\tTAB"
    assert row["plain"] == "a=b"
    for value in row.values():
        assert not value.startswith(("=", "+", "-", "@", "\t", "\r"))


def test_csv_quotes_commas_quotes_and_newlines(cli, project: Project) -> None:
    project.article("a.md", title='Say "hi", then\nleave', summary="ümlaut, ñ, 中文")
    run = cli("export", "--format", "csv", "--fields", "summary")
    (row,) = csv_rows(run.stdout)
    assert row["title"] == 'Say "hi", then\nleave'
    assert row["summary"] == "ümlaut, ñ, 中文"


# ---------------------------------------------------------------- sqlite


def test_sqlite_tables_keys_and_foreign_key_check(cli, news) -> None:
    target = news.root / "news.db"
    run = cli("export", "--format", "sqlite", "--output", str(target))
    assert run.exit_code == 0, run.stderr
    db = sqlite3.connect(target)
    assert db.execute("PRAGMA foreign_key_check").fetchall() == []
    assert db.execute("PRAGMA integrity_check").fetchone() == ("ok",)
    assert db.execute("PRAGMA user_version").fetchone() == (SCHEMA_VERSION,)
    tables = {row[0] for row in db.execute("select name from sqlite_master where type='table'")}
    assert tables == {"articles", "tags", "article_tags", "related"}
    fks = {row[2] for row in db.execute("PRAGMA foreign_key_list(article_tags)")}
    assert fks == {"articles", "tags"}
    rows = db.execute("select slug, status, authors, date from articles order by id").fetchall()
    assert rows[0] == ("venezuela", "published", '["Ana"]', "2024-07-29T10:00:00+07:00")
    tagged = db.execute(
        "select a.slug from articles a join article_tags at on at.article_id = a.id "
        "join tags t on t.id = at.tag_id where t.slug = 'venezuela' order by a.slug"
    ).fetchall()
    assert tagged == [("draft",), ("eu",), ("venezuela",)]  # "Venezuela" is the same tag
    related = db.execute(
        "select r.position, r.slug, b.slug from related r join articles a on a.id = r.article_id "
        "left join articles b on b.id = r.related_id order by r.position"
    ).fetchall()
    assert related == [(1, "eu", "eu"), (2, "missing-slug", None)]
    desk = db.execute("select json_extract(front_matter, '$.desk') from articles where id = 1")
    assert desk.fetchone() == ("world",)
    left = sorted(p.name for p in news.root.iterdir() if p.name != ".lushbeat")  # the index
    assert left == ["content", "lushbeat.toml", "news.db"]


def test_sqlite_replaces_an_old_database(cli, news) -> None:
    target = news.root / "news.db"
    target.write_bytes(b"not a database")
    assert cli("export", "-f", "sqlite", "-o", str(target), "--html").exit_code == 0
    db = sqlite3.connect(target)
    assert db.execute("select count(*) from articles where body_html is not null").fetchone() == (
        3,
    )


def test_sqlite_needs_a_file(cli, news) -> None:
    run = cli("export", "--format", "sqlite")
    assert run.exit_code == 2
    assert run.stdout == ""
    assert "needs --output" in run.stderr


# ---------------------------------------------------------------- opensearch


def test_opensearch_bulk_lines(cli, news) -> None:
    run = cli("export", "--format", "opensearch", "--index", "berita-2024")
    assert run.exit_code == 0, run.stderr
    lines = run.stdout.splitlines()
    assert len(lines) == 6
    assert run.stdout.endswith("\n")
    for action_line, document_line in zip(lines[::2], lines[1::2], strict=True):
        action, document = json.loads(action_line), json.loads(document_line)
        assert action == {"index": {"_index": "berita-2024", "_id": document["slug"]}}
        assert document["schema_version"] == SCHEMA_VERSION


def test_opensearch_index_from_config_and_checked(cli, news) -> None:
    news.config('content_dir = "content"\n[export]\nindex = "lushbeat"\n')
    first = json.loads(cli("export", "-f", "opensearch").stdout.splitlines()[0])
    assert first["index"]["_index"] == "lushbeat"
    run = cli("export", "-f", "opensearch", "--index", "Bad Name")
    assert run.exit_code == 2
    assert "not a valid index name" in run.stderr


def test_opensearch_warns_about_shared_slugs(cli, project: Project) -> None:
    project.article("a/same.md", title="One")
    project.article("b/same.md", title="Two")
    run = cli("export", "-f", "opensearch")
    assert run.exit_code == 0
    assert "1 slug is shared by several articles" in run.stderr


# ---------------------------------------------------------------- errors and flags


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("--format", "yaml"), "unknown format 'yaml'"),
        (("--output", "x.txt"), "--format is needed"),
        (("--format", "json", "--fields", "a"), "--fields does not apply to --format json"),
        (("--format", "csv", "--html"), "--html does not apply to --format csv"),
        (("--format", "csv", "--index", "x"), "--index does not apply to --format csv"),
        (("--format", "json", "--per-page", "3"), "--per-page does not apply"),
        (("--format", "json", "--force"), "--force does not apply"),
        (("--format", "rss", "--reverse"), "--sort/--reverse does not apply to --format rss"),
        (("--format", "html", "--sort", "title"), "--sort/--reverse does not apply"),
        (("--format", "html", "--per-page", "0", "-o", "s"), "--per-page must be 1 or more"),
        (("--format", "csv", "--fields", ","), "--fields needs at least one field name"),
        (("--format", "json", "--since", "yesterday"), "--since expects a date"),
        (("--format", "json", "--status", "gone"), "--status must be one of"),
        (("--format", "json", "--sort", "size"), "--sort must be one of"),
    ],
)
def test_usage_errors(cli, news, args: tuple[str, ...], message: str) -> None:
    run = cli("export", *args)
    assert run.exit_code == 2
    assert run.stdout == ""
    assert message in run.stderr
    assert "Traceback" not in run.stderr


def test_never_writes_over_an_article_or_the_config(cli, news) -> None:
    article = news.content / "2024/07/venezuela.md"
    before = article.read_bytes()
    run = cli("export", "-f", "json", "-o", str(article))
    assert run.exit_code == 2
    assert "one of the project's own files" in run.stderr
    assert article.read_bytes() == before
    run = cli("export", "-f", "json", "-o", "lushbeat.toml")
    assert run.exit_code == 2


def test_output_that_is_a_folder_is_refused(cli, news) -> None:
    (news.root / "out").mkdir()
    run = cli("export", "-f", "json", "-o", "out")
    assert run.exit_code == 2
    assert "is a folder" in run.stderr


def test_unreadable_files_are_reported_and_the_rest_exported(cli, news) -> None:
    news.write("bad.md", "---\ntitle: [unclosed\n---\nx\n")
    run = cli("export", "-f", "json")
    assert run.exit_code == 1
    assert len(run.json()) == 3
    assert "bad.md" in run.stderr
    assert "1 file could not be read" in run.stderr


def test_no_index_flag_is_accepted(cli, news) -> None:
    run = cli("export", "-f", "json", "--no-index")
    assert run.exit_code == 0
    assert len(run.json()) == 3


def test_empty_selection_is_a_valid_empty_document(cli, news) -> None:
    run = cli("export", "-f", "json", "--tag", "nothing")
    assert run.exit_code == 0
    assert run.json() == []
    run = cli("export", "-f", "csv", "--tag", "nothing")
    assert csv_rows(run.stdout) == []


def test_every_format_is_in_the_help(cli) -> None:
    run = cli("export", "--help")
    assert run.exit_code == 0
    for exporter in EXPORTERS:
        assert exporter.name in run.stdout


def test_list_does_not_load_the_exporters() -> None:
    import subprocess
    import sys

    code = (
        "import sys; from lushbeat_cli.cli import app; "
        "print(any(m.startswith('lushbeat_cli.exporters') or m.startswith('markdown_it') "
        "for m in sys.modules))"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert result.stdout.strip() == "False", result.stderr


def test_writes_leave_no_temporary_files(cli, news, tmp_path: Path) -> None:
    out = tmp_path / "out"
    for name in ("a.json", "a.jsonl", "a.csv", "a.db"):
        assert cli("export", "-o", str(out / name)).exit_code == 0
    assert sorted(p.name for p in out.iterdir()) == ["a.csv", "a.db", "a.json", "a.jsonl"]


# ---------------------------------------------------------------- hostile front matter


def alias_heavy_yaml(levels: int) -> str:
    """Legal YAML whose aliases expand tenfold per level (10**levels leaf nodes)."""
    lines = [
        "---",
        "title: Alias heavy",
        "date: 2024-01-01",
        "l0: &l0 [x, x, x, x, x, x, x, x, x, x]",
    ]
    for level in range(1, levels):
        refs = ", ".join([f"*l{level - 1}"] * 10)
        lines.append(f"l{level}: &l{level} [{refs}]")
    lines += ["---", "Body.", ""]
    return "\n".join(lines)


def test_alias_heavy_front_matter_exports_within_bounds(cli, project: Project, tmp_path) -> None:
    project.write("heavy.md", alias_heavy_yaml(4))  # 11,110 expanded nodes: legal
    project.write("bomb.md", alias_heavy_yaml(9))  # a billion laughs: refused by the parser
    project.article("plain.md", title="Plain")
    run = cli("export", "--format", "json")
    assert run.exit_code == 1
    assert "bomb.md" in run.stderr and "LB107" in run.stderr
    data = run.json()
    heavy = next(record for record in data if record["title"] == "Alias heavy")
    assert len(heavy["front_matter"]["l3"]) == 10
    assert heavy["front_matter"]["l3"][0][0][0] == ["x"] * 10
    assert len(run.stdout_bytes) < 2_000_000
    for fmt, extra in (
        ("jsonl", ()),
        ("opensearch", ()),
        ("csv", ("--fields", "l3")),
        ("sqlite", ("--output", str(tmp_path / "a.db"))),
        ("html", ("--output", str(tmp_path / "site"))),
    ):
        run = cli("export", "--format", fmt, *extra)
        assert run.exit_code == 1, run.stderr
        assert len(run.stdout_bytes) < 2_000_000


def test_front_matter_values_json_cannot_hold_become_valid_json(cli, project: Project) -> None:
    project.write(
        "odd.md",
        "---\ntitle: Odd\nratio: .nan\nbig: .inf\nset: !!set {b: null, a: null}\n"
        "2024-01-01: dated key\n1: number key\n---\nBody\n",
    )
    run = cli("export", "--format", "json")
    assert run.exit_code == 0, run.stderr
    text = run.stdout
    assert "NaN" not in text and "Infinity" not in text
    front = json.loads(text)[0]["front_matter"]
    assert front["ratio"] is None and front["big"] is None
    assert front["set"] == ["a", "b"]
    assert front["2024-01-01"] == "dated key"
    assert front["1"] == "number key"


def test_non_ascii_survives_every_data_format(cli, project: Project, tmp_path) -> None:
    project.article(
        "2024/07/ünïcode-ñ.md",
        title="Gregoria Mariska: «Kemenangan» 勝利 🏸",
        author=["Siti Ñurhaliza"],
        tags=["bulu-tangkis", "Énergie"],
        category="olahraga",
        lang="id",
        date="2024-07-29",
        body="Isi — “kutip” 中文\n",
    )
    record = cli("export", "-f", "json").json()[0]
    assert record["title"] == "Gregoria Mariska: «Kemenangan» 勝利 🏸"
    assert record["path"] == "content/2024/07/ünïcode-ñ.md"
    assert record["body"] == "Isi — “kutip” 中文\n"
    (row,) = csv_rows(cli("export", "-f", "csv").stdout)
    assert row["author"] == "Siti Ñurhaliza"
    assert row["tags"] == "bulu-tangkis;Énergie"
    database = tmp_path / "u.db"
    assert cli("export", "-f", "sqlite", "-o", str(database)).exit_code == 0
    db = sqlite3.connect(database)
    assert db.execute("select title from articles").fetchone() == (record["title"],)
    assert db.execute("select name, slug from tags order by slug").fetchall() == [
        ("bulu-tangkis", "bulu-tangkis"),
        ("Énergie", "energie"),
    ]


def test_new_files_get_the_usual_permissions(cli, news, tmp_path) -> None:
    import os

    mask = os.umask(0o022)
    try:
        for name in ("a.json", "a.csv", "a.db"):
            assert cli("export", "-o", str(tmp_path / name)).exit_code == 0
            assert (tmp_path / name).stat().st_mode & 0o777 == 0o644, name
        (tmp_path / "a.json").chmod(0o600)
        assert cli("export", "-o", str(tmp_path / "a.json")).exit_code == 0
        assert (tmp_path / "a.json").stat().st_mode & 0o777 == 0o600  # kept when replacing
    finally:
        os.umask(mask)
