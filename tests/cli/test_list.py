"""`lushbeat list` through the real app: filters, sorting, formats, errors, exit codes."""

from __future__ import annotations

import csv
import io
import json
from datetime import datetime
from pathlib import Path

import pytest

from tests.conftest import EXAMPLES, Project


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
        desk="world",
    )
    project.article(
        "2024/06/eu.md",
        title="EU sanctions",
        date="2024-06-24",
        tags=["rusia"],
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
    project.article("2030/01/later.md", title="Later", date="2030-01-15", lang="id")
    return project


def paths(run) -> list[str]:
    return run.stdout.splitlines()


def test_json_has_one_object_per_article_with_iso_dates(cli, news) -> None:
    run = cli("list", "--format", "json")
    assert run.exit_code == 0
    data = run.json()
    assert [item["slug"] for item in data] == ["later", "venezuela", "eu", "draft"]
    first = data[1]
    assert first == {
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
        "related": [],
    }
    for item in data:
        if item["date"]:
            assert datetime.fromisoformat(item["date"]).tzinfo is not None
    assert run.stderr.strip() == "4 articles"


def test_naive_dates_take_the_configured_timezone(cli, news) -> None:
    data = cli("list", "--format", "json", "--where", "slug=eu").json()
    assert data[0]["date"] == "2024-06-24T00:00:00+07:00"


def test_jsonl_one_record_per_line(cli, news) -> None:
    run = cli("list", "--format", "jsonl", "--fields", "slug,status")
    assert run.jsonl() == [
        {"slug": "later", "status": "scheduled"},
        {"slug": "venezuela", "status": "published"},
        {"slug": "eu", "status": "published"},
        {"slug": "draft", "status": "draft"},
    ]


def test_csv_is_rfc4180_and_parses(cli, news) -> None:
    news.article(
        "2024/01/q.md",
        title='Quote "this", then, that',
        date="2024-01-01",
        tags=["a", "b"],
        summary="line one\nline two",
    )
    run = cli("list", "--format", "csv")
    assert run.exit_code == 0
    raw = run.stdout_bytes.decode("utf-8")
    assert raw.count("\r\n") == 6  # header + 5 rows; the newline inside a cell stays LF
    rows = list(csv.DictReader(io.StringIO(raw, newline="")))
    by_slug = {row["slug"]: row for row in rows}
    assert by_slug["q"]["title"] == 'Quote "this", then, that'
    assert by_slug["q"]["tags"] == "a;b"
    assert by_slug["q"]["summary"] == "line one\nline two"
    assert by_slug["eu"]["author"] == "Ana;Budi"
    assert list(rows[0]) == [
        "path",
        "slug",
        "title",
        "date",
        "updated",
        "author",
        "category",
        "tags",
        "summary",
        "status",
        "lang",
        "related",
    ]


def test_tsv_flattens_tabs_and_newlines(cli, news) -> None:
    news.article("2024/01/t.md", title="Tab\there", date="2024-01-01", summary="a\nb")
    run = cli("list", "--format", "tsv", "--fields", "slug,title,summary", "--where", "slug=t")
    assert run.stdout.splitlines() == ["slug\ttitle\tsummary", "t\tTab here\ta b"]


def test_paths_and_nul_separated(cli, news) -> None:
    run = cli("list", "--format", "paths", "--tag", "venezuela")
    assert paths(run) == ["content/2024/07/venezuela.md", "content/2024/05/draft.md"]
    run = cli("list", "--format", "paths", "-0", "--tag", "venezuela")
    assert run.stdout == "content/2024/07/venezuela.md\0content/2024/05/draft.md\0"


def test_null_needs_paths_format(cli, news) -> None:
    run = cli("list", "-0")
    assert run.exit_code == 2
    assert run.stdout == ""
    assert "-0/--null" in run.stderr


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (["--tag", "venezuela", "--tag", "pemilu"], ["venezuela"]),
        (["--category", "politik"], ["draft"]),
        (["--author", "budi"], ["eu"]),
        (["--status", "draft"], ["draft"]),
        (["--status", "scheduled"], ["later"]),
        (["--status", "published"], ["venezuela", "eu"]),
        (["--since", "2024-06-24", "--until", "2024-07-29"], ["venezuela", "eu"]),
        (["--lang", "en"], ["eu"]),
        (["--where", "desk=world"], ["venezuela"]),
        (["--sort", "title"], ["draft", "eu", "later", "venezuela"]),
        (["--sort", "date", "--reverse"], ["draft", "eu", "venezuela", "later"]),
        (["--sort", "path"], ["draft", "eu", "venezuela", "later"]),
        (["--sort", "slug", "-r"], ["venezuela", "later", "eu", "draft"]),
        (["--sort", "updated"], ["eu", "draft", "venezuela", "later"]),
        (["--limit", "1"], ["later"]),
    ],
)
def test_filters_and_sorting(cli, news, args: list[str], expected: list[str]) -> None:
    run = cli("list", "--format", "jsonl", "--fields", "slug", *args)
    assert run.exit_code == 0, run.stderr
    assert [item["slug"] for item in run.jsonl()] == expected


def test_table_is_plain_when_piped(cli, news) -> None:
    run = cli("list")
    assert run.exit_code == 0
    lines = run.stdout.splitlines()
    assert lines[0].split() == ["date", "title", "category", "status", "lang", "path"]
    assert "2024-07-29  Pilpres Venezuela" in run.stdout
    assert "\x1b[" not in run.stdout
    assert not any(char in run.stdout for char in "─│┃━")
    assert run.stderr.strip() == "4 articles"


def test_table_shows_titles_with_brackets_verbatim(cli, project) -> None:
    project.article("a.md", title="[WIP] Foo [bold]x[/bold]", date="2024-01-01")
    assert "[WIP] Foo [bold]x[/bold]" in cli("list").stdout


def test_bad_files_are_reported_and_the_rest_listed(cli, news) -> None:
    news.write("bad/yaml.md", "---\ntitle: ok\ntags: [a\n---\n")
    news.write("bad/binary.md", b"\x00\x01\x02\x03")
    news.write("bad/latin1.md", b"---\ntitle: caf\xe9\n---\n")
    news.write("bad/empty.md", b"")
    news.write("bad/nofm.md", "Just some text\n")
    run = cli("list", "--format", "json")
    assert run.exit_code == 1
    assert len(run.json()) == 4
    errors = run.stderr.splitlines()
    assert errors[:-1] == [
        "content/bad/binary.md:1:1: LB110 binary content (NUL byte); not a text article",
        "content/bad/empty.md:1:1: LB113 empty file",
        "content/bad/latin1.md:2:11: LB108 invalid UTF-8 (byte 0xe9)",
        "content/bad/nofm.md:1:1: LB101 no front matter (the file must start with ---, +++ or {)",
        "content/bad/yaml.md:3:7: LB104 YAML syntax error: while parsing a flow sequence: "
        "did not find expected ',' or ']'",
    ]
    assert errors[-1] == "4 articles; 5 files could not be read"


def test_hidden_folders_skipped_and_markdown_suffixes(cli, project) -> None:
    project.article(".drafts/secret.md", title="Hidden", date="2024-01-01")
    project.article("a.markdown", title="Long suffix", date="2024-01-01")
    project.write("notes.txt", "---\ntitle: no\n---\n")
    run = cli("list", "--format", "paths")
    assert paths(run) == ["content/a.markdown"]


def test_oversized_file_reported_not_read(cli, project) -> None:
    project.config("max_file_size = 1000\n")
    project.write("big.md", "---\ntitle: big\n---\n" + "x" * 5000)
    run = cli("list")
    assert run.exit_code == 1
    assert "LB111 file too large" in run.stderr


def test_unreadable_file(cli, project) -> None:
    path = project.article("locked.md", title="Locked")
    path.chmod(0)
    try:
        if path.stat().st_mode and _can_read(path):
            pytest.skip("running as a user who can read anything")
        run = cli("list")
        assert run.exit_code == 1
        assert "LB112 cannot read" in run.stderr
    finally:
        path.chmod(0o644)


def test_dangling_symlink_is_reported(cli, project) -> None:
    project.article("ok.md", title="Fine", date="2024-01-01")
    (project.content / "gone.md").symlink_to(project.content / "missing.md")
    run = cli("list", "--format", "paths")
    assert run.exit_code == 1
    assert run.stdout == "content/ok.md\n"
    assert "content/gone.md:1:1: LB112 cannot read: No such file or directory" in run.stderr


def _can_read(path: Path) -> bool:
    try:
        path.read_bytes()
    except PermissionError:
        return False
    return True


def test_root_option_and_examples(cli, monkeypatch) -> None:
    monkeypatch.chdir(EXAMPLES.parent)
    run = cli("-C", "examples", "list", "--format", "json")
    assert run.exit_code == 0, run.stderr
    data = run.json()
    assert len(data) >= 25
    assert all(item["path"].startswith("examples/content/") for item in data)
    assert {item["lang"] for item in data} == {"id", "en"}
    assert len({item["category"] for item in data}) >= 5
    statuses = [item["status"] for item in data]
    assert statuses.count("scheduled") == 1
    assert statuses.count("draft") >= 2
    for item in data:
        assert Path(item["path"]).is_file()


def test_config_error_exits_2(cli, project) -> None:
    project.config('content_dri = "x"\n')
    run = cli("list")
    assert run.exit_code == 2
    assert run.stdout == ""
    assert run.stderr.strip() == (
        "error: lushbeat.toml:1: unknown setting 'content_dri' (did you mean 'content_dir'?)"
    )


def test_missing_content_dir_exits_2(cli, project) -> None:
    project.config('content_dir = "nowhere"\n')
    run = cli("list")
    assert run.exit_code == 2
    assert "content directory not found" in run.stderr


def test_usage_errors_exit_2(cli, news) -> None:
    for args in (["--status", "live"], ["--since", "soon"], ["--where", "x"], ["--format", "xml"]):
        run = cli("list", *args)
        assert run.exit_code == 2, args
        assert run.stdout == ""


def test_explicit_config_file(cli, news, tmp_path) -> None:
    other = tmp_path / "elsewhere.toml"
    other.write_text(f'content_dir = "{news.content}"\ntimezone = "UTC"\n')
    data = cli("--config", str(other), "list", "--format", "json", "--where", "slug=eu").json()
    assert data[0]["date"] == "2024-06-24T00:00:00+00:00"


def test_no_color_flag_and_version(cli, news, monkeypatch) -> None:
    monkeypatch.delenv("NO_COLOR")
    monkeypatch.setenv("FORCE_COLOR", "1")
    news.write("bad.md", "nope")
    assert "\x1b[" in cli("list").stderr  # forced colour really colours
    run = cli("--no-color", "list")
    assert run.exit_code == 1
    assert "\x1b[" not in run.stderr and "\x1b[" not in run.stdout
    monkeypatch.setenv("NO_COLOR", "1")
    assert "\x1b[" not in cli("list").stderr
    run = cli("--version")
    assert run.exit_code == 0
    assert run.stdout.startswith("lushbeat ")


def test_json_output_is_only_json(cli, news) -> None:
    news.write("bad.md", "nope")
    run = cli("list", "--format", "json")
    json.loads(run.stdout)  # no count line or error mixed in
    assert "LB101" in run.stderr


def test_an_unknown_field_warns_instead_of_a_silent_empty_column(cli, examples_copy) -> None:
    run = cli("list", "--fields", "slug,nonexistent", "--format", "json", "-n", "1")
    assert run.exit_code == 0
    assert list(run.json()[0]) == ["slug", "nonexistent"]
    warning = "warning: --fields: no article has a field 'nonexistent'; its column is empty"
    assert warning in run.stderr.splitlines()
    # A key some article has (beyond the ones selected) is no typo: no warning.
    quiet = cli("list", "--fields", "slug,source", "--format", "csv", "-n", "1")
    assert "warning" not in quiet.stderr
    exported = cli("export", "--format", "csv", "--fields", "nope", "-n", "1")
    assert exported.exit_code == 0
    assert "no article has a field 'nope'" in exported.stderr
