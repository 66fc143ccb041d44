"""`lushbeat publish` / `unpublish`: status and draft flips, dates, --move, previews, refusals."""

from __future__ import annotations

from datetime import datetime, timedelta
from pathlib import Path

import pytest

from lushbeat_cli.core.reading.frontmatter import parse_bytes
from tests.conftest import Project
from tests.edit_checks import assert_only_keys_changed

DRAFT = """---
# The desk's notes stay where they are.
title: 'Rupiah Menguat: "Terkuat" Tahun Ini'
slug: rupiah-menguat
date: 2024-07-29T10:00:00+07:00   # set by the desk
author: Ana
tags:
  - rupiah
status: draft
lang: id
---

Body with **Markdown**, “smart quotes” and a hard line break.\x20\x20
Next line.
"""


@pytest.fixture
def news(project: Project) -> Project:
    project.config('timezone = "Asia/Jakarta"\ndefault_lang = "id"\n')
    project.write("2024/07/rupiah-menguat.md", DRAFT, dedent=False)
    return project


def meta(path: Path) -> dict:
    return parse_bytes(path.read_bytes(), path).metadata


def test_publish_flips_status_and_changes_nothing_else(cli, news) -> None:
    path = news.content / "2024/07/rupiah-menguat.md"
    before = path.read_bytes()
    run = cli("publish", "rupiah-menguat")
    assert run.exit_code == 0, run.stderr
    assert run.stdout == "content/2024/07/rupiah-menguat.md\n"
    assert "published content/2024/07/rupiah-menguat.md dated 2024-07-29T10:00:00+07:00" in (
        run.stderr
    )
    after = path.read_bytes()
    assert after == before.replace(b"status: draft", b"status: published")
    assert_only_keys_changed(before, after, ("status",))
    listed = cli("list", "--format", "json").json()
    assert listed[0]["status"] == "published"


def test_publish_with_a_date_keeps_the_comment_and_every_other_byte(cli, news) -> None:
    path = news.content / "2024/07/rupiah-menguat.md"
    before = path.read_bytes()
    run = cli("publish", "rupiah menguat terkuat", "--date", "2024-08-01T07:30")
    assert run.exit_code == 0, run.stderr
    after = path.read_bytes()
    assert b"date: 2024-08-01T07:30:00+07:00   # set by the desk\n" in after
    assert_only_keys_changed(before, after, ("status", "date"))
    assert meta(path)["date"].isoformat() == "2024-08-01T07:30:00+07:00"


def test_now_uses_the_configured_time_zone(cli, news) -> None:
    news.config('timezone = "+05:30"\n')
    run = cli("publish", "rupiah-menguat", "--now")
    assert run.exit_code == 0, run.stderr
    when = meta(news.content / "2024/07/rupiah-menguat.md")["date"]
    assert when.utcoffset() == timedelta(hours=5, minutes=30)
    assert abs((datetime.now(when.tzinfo) - when).total_seconds()) < 120
    assert when.microsecond == 0


def test_a_future_date_schedules_the_article_and_says_so(cli, news) -> None:
    run = cli("publish", "rupiah-menguat", "--date", "2999-01-01")
    assert run.exit_code == 0, run.stderr
    assert "scheduled content/2024/07/rupiah-menguat.md for 2999-01-01T00:00:00+07:00" in (
        run.stderr
    )
    assert "future" in run.stderr
    listed = cli("list", "--format", "json").json()
    assert listed[0]["status"] == "scheduled"


def test_undated_articles_get_dated_now_when_published(cli, news) -> None:
    path = news.write("x.md", "---\ntitle: Tanpa Tanggal\nstatus: draft\n---\nIsi.\n")
    run = cli("publish", "x")
    assert run.exit_code == 0, run.stderr
    assert isinstance(meta(path)["date"], datetime)
    assert meta(path)["status"] == "published"


@pytest.mark.parametrize(
    ("old", "given", "written"),
    [
        ("date: 2024-07-29\n", "2024-08-01", "date: 2024-08-01\n"),
        ('date: "2024-07-29"\n', "2024-08-01", 'date: "2024-08-01"\n'),
        ("date: 2024-07-29\n", "2024-08-01T10:00", "date: 2024-08-01T10:00:00+07:00\n"),
        (
            "date: 2024-07-29T10:00:00+07:00\n",
            "2024-08-01",
            "date: 2024-08-01T00:00:00+07:00\n",
        ),
        (
            "date: '2024-07-29T10:00:00+07:00'\n",
            "2024-08-01",
            "date: '2024-08-01T00:00:00+07:00'\n",
        ),
    ],
)
def test_the_date_keeps_its_style(cli, news, old: str, given: str, written: str) -> None:
    path = news.write("d.md", f"---\ntitle: Gaya Tanggal\n{old}status: draft\n---\n")
    assert cli("publish", "d", "--date", given).exit_code == 0
    assert path.read_text() == f"---\ntitle: Gaya Tanggal\n{written}status: published\n---\n"


def test_hugo_draft_key_is_flipped_and_never_added(cli, news) -> None:
    hugo = news.write("hugo.md", "---\ntitle: Hugo Post\ndraft: true\ndate: 2024-01-01\n---\nx\n")
    run = cli("publish", "hugo")
    assert run.exit_code == 0, run.stderr
    assert hugo.read_text() == "---\ntitle: Hugo Post\ndraft: false\ndate: 2024-01-01\n---\nx\n"
    run = cli("unpublish", "hugo")
    assert run.exit_code == 0, run.stderr
    assert hugo.read_text() == "---\ntitle: Hugo Post\ndraft: true\ndate: 2024-01-01\n---\nx\n"
    assert cli("publish", "rupiah-menguat").exit_code == 0
    assert b"draft:" not in (news.content / "2024/07/rupiah-menguat.md").read_bytes()


def test_both_status_and_draft_are_kept_consistent(cli, news) -> None:
    both = news.write("both.md", "---\ntitle: Keduanya\nstatus: draft\ndraft: true\n---\n")
    assert cli("publish", "both", "--date", "2024-01-01").exit_code == 0
    assert meta(both)["status"] == "published"
    assert meta(both)["draft"] is False


def test_unpublish_adds_status_only_where_needed(cli, news) -> None:
    plain = news.write("plain.md", "---\ntitle: Tanpa Status\ndate: 2024-01-01\n---\nIsi.\n")
    run = cli("unpublish", "plain")
    assert run.exit_code == 0, run.stderr
    assert plain.read_text() == (
        "---\ntitle: Tanpa Status\ndate: 2024-01-01\nstatus: draft\n---\nIsi.\n"
    )
    assert "unpublished content/plain.md" in run.stderr


def test_already_in_that_state_changes_nothing(cli, news) -> None:
    path = news.content / "2024/07/rupiah-menguat.md"
    before = path.read_bytes()
    run = cli("unpublish", "rupiah-menguat")
    assert run.exit_code == 0
    assert "already a draft; nothing to change" in run.stderr
    assert run.stdout == "content/2024/07/rupiah-menguat.md\n"
    assert path.read_bytes() == before
    mtime = path.stat().st_mtime_ns
    plain = news.write("p.md", "---\ntitle: Sudah Terbit\ndate: 2024-01-01\n---\n")
    run = cli("publish", "p")
    assert run.exit_code == 0
    assert "already published" in run.stderr
    assert plain.read_text() == "---\ntitle: Sudah Terbit\ndate: 2024-01-01\n---\n"
    assert path.stat().st_mtime_ns == mtime


def test_diff_prints_a_patch_and_writes_nothing(cli, news) -> None:
    path = news.content / "2024/07/rupiah-menguat.md"
    before = path.read_bytes()
    run = cli("publish", "rupiah-menguat", "--date", "2024-08-01", "--diff")
    assert run.exit_code == 0, run.stderr
    assert path.read_bytes() == before
    lines = run.stdout.splitlines()
    assert lines[:2] == [
        "--- a/content/2024/07/rupiah-menguat.md",
        "+++ b/content/2024/07/rupiah-menguat.md",
    ]
    changed = [line for line in lines[2:] if line[:1] in "+-"]
    assert changed == [
        "-date: 2024-07-29T10:00:00+07:00   # set by the desk",
        "+date: 2024-08-01T00:00:00+07:00   # set by the desk",
        "-status: draft",
        "+status: published",
    ]
    assert "dry run: nothing written" in run.stderr


def test_dry_run_prints_the_path_and_writes_nothing(cli, news) -> None:
    path = news.content / "2024/07/rupiah-menguat.md"
    before = path.read_bytes()
    run = cli("publish", "rupiah-menguat", "--date", "2024-09-02", "--move", "--dry-run")
    assert run.exit_code == 0, run.stderr
    assert run.stdout == "content/2024/09/rupiah-menguat.md\n"
    assert "would publish" in run.stderr and "moved to content/2024/09/rupiah-menguat.md" in (
        run.stderr
    )
    assert path.read_bytes() == before
    assert not (news.content / "2024/09").exists()


def test_move_renames_to_the_pattern_path_and_reports_links(cli, news) -> None:
    old = news.content / "2024/07/rupiah-menguat.md"
    linking = news.write(
        "2024/08/lain.md",
        "---\ntitle: Lain\ndate: 2024-08-02\n---\nBaca juga : [R](../07/rupiah-menguat.md)\n",
    )
    linking_before = linking.read_bytes()
    before = old.read_bytes()
    run = cli("publish", "rupiah-menguat", "--date", "2024-09-02T08:00", "--move")
    assert run.exit_code == 0, run.stderr
    new = news.content / "2024/09/rupiah-menguat.md"
    assert run.stdout == "content/2024/09/rupiah-menguat.md\n"
    assert not old.exists()
    assert_only_keys_changed(before, new.read_bytes(), ("status", "date"))
    assert "1 article(s) link to the old path and were not changed: content/2024/08/lain.md" in (
        run.stderr
    )
    assert linking.read_bytes() == linking_before


def test_move_never_replaces_a_file(cli, news) -> None:
    taken = news.write("2024/09/rupiah-menguat.md", "someone else's file\n")
    old = news.content / "2024/07/rupiah-menguat.md"
    before = old.read_bytes()
    run = cli("publish", "rupiah-menguat", "--date", "2024-09-02", "--move")
    assert run.exit_code == 1
    assert "content/2024/09/rupiah-menguat.md: cannot move there: the file already exists" in (
        run.stderr
    )
    assert taken.read_text() == "someone else's file\n"
    assert old.read_bytes() == before


def test_move_to_the_same_place_is_not_a_move(cli, news) -> None:
    run = cli("publish", "rupiah-menguat", "--move")
    assert run.exit_code == 0, run.stderr
    assert run.stdout == "content/2024/07/rupiah-menguat.md\n"
    assert "moved" not in run.stderr


def test_move_refuses_page_bundles(cli, news) -> None:
    news.write("2024/07/bundle/index.md", "---\ntitle: Bundel\ndate: 2024-07-01\n---\n")
    run = cli("publish", "bundle", "--date", "2024-09-01", "--move")
    assert run.exit_code == 2
    assert "page bundle" in run.stderr


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            b"---\r\ntitle: CRLF\r\ndate: 2024-01-01\r\nstatus: draft\r\n---\r\nIsi.\r\n",
            b"---\r\ntitle: CRLF\r\ndate: 2024-01-01\r\nstatus: published\r\n---\r\nIsi.\r\n",
        ),
        (
            b"\xef\xbb\xbf---\ntitle: BOM\ndate: 2024-01-01\nstatus: draft\n---\nIsi.\n",
            b"\xef\xbb\xbf---\ntitle: BOM\ndate: 2024-01-01\nstatus: published\n---\nIsi.\n",
        ),
        (
            b'+++\ntitle = "TOML"\ndate = 2024-01-01\nstatus = "draft"\n[x]\nk = 1\n+++\nx\n',
            b'+++\ntitle = "TOML"\ndate = 2024-01-01\nstatus = "published"\n[x]\nk = 1\n+++\nx\n',
        ),
        (
            b'{\n  "title": "JSON",\n  "date": "2024-01-01",\n  "status": "draft"\n}\nIsi.\n',
            b'{\n  "title": "JSON",\n  "date": "2024-01-01",\n  "status": "published"\n}\nIsi.\n',
        ),
    ],
    ids=["crlf", "bom", "toml", "json"],
)
def test_formats_and_line_endings_survive(cli, news, text: bytes, expected: bytes) -> None:
    path = news.write("f.md", text)
    run = cli("publish", "f")
    assert run.exit_code == 0, run.stderr
    assert path.read_bytes() == expected


def test_ambiguous_article_lists_candidates_and_exits_2(cli, news) -> None:
    news.write("a.md", "---\ntitle: Maduro Menang Lagi\nstatus: draft\n---\n")
    news.write("b.md", "---\ntitle: Maduro Menang Lagi!\nstatus: draft\n---\n")
    run = cli("publish", "maduro menang")
    assert run.exit_code == 2
    assert run.stdout == ""
    lines = run.stderr.splitlines()
    assert lines[0].startswith("error: 'maduro menang' matches 2 articles")
    assert sorted(line.split()[0] for line in lines[1:]) == ["content/a.md", "content/b.md"]
    assert "Maduro Menang Lagi" in lines[1]
    assert meta(news.content / "a.md")["status"] == "draft"


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["nothing-like-this"], "no article matches 'nothing-like-this'"),
        (["rupiah-menguat", "--date", "besok"], "--date expects a date"),
        (["rupiah-menguat", "--date", "2024-01-01", "--now"], "cannot be used together"),
    ],
)
def test_usage_errors(cli, news, args: list[str], message: str) -> None:
    before = (news.content / "2024/07/rupiah-menguat.md").read_bytes()
    run = cli("publish", *args)
    assert run.exit_code == 2
    assert message in run.stderr
    assert (news.content / "2024/07/rupiah-menguat.md").read_bytes() == before


def test_a_path_to_a_broken_file_reports_its_own_error(cli, news) -> None:
    news.write("broken.md", "---\ntitle: [unclosed\n---\n")
    run = cli("publish", "content/broken.md")
    assert run.exit_code == 1
    assert "content/broken.md:2" in run.stderr and "YAML syntax error" in run.stderr


def test_an_entry_the_editor_cannot_touch_is_refused_safely(cli, news) -> None:
    path = news.write("anchor.md", "---\ntitle: Jangkar\nstatus: &s draft\nother: *s\n---\n")
    before = path.read_bytes()
    run = cli("publish", "anchor")
    assert run.exit_code == 1
    assert "content/anchor.md" in run.stderr and "cannot edit 'status' in place" in run.stderr
    assert path.read_bytes() == before


def test_permissions_are_kept(cli, news) -> None:
    path = news.content / "2024/07/rupiah-menguat.md"
    path.chmod(0o640)
    assert cli("publish", "rupiah-menguat").exit_code == 0
    assert path.stat().st_mode & 0o777 == 0o640
    assert cli("publish", "rupiah-menguat", "--date", "2024-10-01", "--move").exit_code == 0
    assert (news.content / "2024/10/rupiah-menguat.md").stat().st_mode & 0o777 == 0o640


def test_an_invalid_date_is_not_silently_replaced(cli, news) -> None:
    path = news.write("bad-date.md", "---\ntitle: Tanggal Aneh\ndate: soon\nstatus: draft\n---\n")
    before = path.read_bytes()
    run = cli("publish", "bad-date")
    assert run.exit_code == 1
    assert "content/bad-date.md:3: 'date' is not a date ('soon')" in run.stderr
    assert path.read_bytes() == before
    assert cli("publish", "bad-date", "--date", "2024-05-01").exit_code == 0
    assert meta(path)["date"].isoformat() == "2024-05-01T00:00:00+07:00"


def test_the_file_is_read_again_before_editing(cli, news, monkeypatch) -> None:
    """An index a moment behind must not decide what is written."""
    from lushbeat_cli.core.workflow import publishing

    path = news.content / "2024/07/rupiah-menguat.md"
    stale = publishing.build_article
    calls: list[str] = []

    def spy(*args, **kwargs):
        calls.append(str(args[0]))
        return stale(*args, **kwargs)

    monkeypatch.setattr(publishing, "build_article", spy)
    assert cli("publish", "rupiah-menguat").exit_code == 0
    assert calls == [str(path)]


@pytest.mark.parametrize(
    ("body", "front", "expected"),
    [
        ("Body text.\n", "", ["still has placeholder text: 'Body text.'"]),  # init's template
        ("Tulis di sini paragraf pembuka.\n", "", ["still has placeholder text: 'Tulis"]),
        ("Hasil {{ skor }} pertandingan.\n", "", ["still has placeholder text: 'Hasil {{"]),
        ("Timnas menang 2-1.\n", 'author: ""\ncategory: " "\n', ["'author' is empty"]),
        ("Timnas menang 2-1.\n", "", []),  # a written story: nothing to say
    ],
)
def test_an_unfinished_story_is_flagged_when_published(
    cli, project, body: str, front: str, expected: list[str]
) -> None:
    """LB312: validate flags a published story that still holds template text (the project's
    own templates and init's), an unfilled {{ field }} or an empty wanted field; a draft is
    never flagged; publish warns and publishes anyway."""
    templates = project.root / "templates"
    templates.mkdir()
    (templates / "berita.md").write_text("---\ntitle: x\n---\n\nTulis di sini paragraf pembuka.\n")
    path = project.write(
        "2024/07/timnas.md", f"---\ntitle: Timnas\nstatus: draft\n{front}---\n{body}"
    )
    draft = cli("validate", "content/2024/07/timnas.md", "--select", "LB312")
    assert (draft.exit_code, draft.stdout) == (0, "")  # a draft may be unfinished
    published = cli("publish", "content/2024/07/timnas.md", "--date", "2024-07-29")
    assert published.exit_code == 0, published.stderr
    warnings = [line for line in published.stderr.splitlines() if "(LB312;" in line]
    assert len(warnings) == len(expected) + (1 if "category" in front else 0)
    for fragment in expected:
        assert any(fragment in line for line in warnings), published.stderr
    found = cli("validate", "content/2024/07/timnas.md", "--select", "LB312", "-f", "json").json()
    messages = [finding["message"] for finding in found["findings"]]  # type: ignore[index]
    assert len(messages) == len(warnings)
    assert path.exists()


def test_an_empty_field_is_found_under_the_key_the_archive_maps(cli, project) -> None:
    """LB312 reads 'author' through [fields]: an empty `byline` is the empty author."""
    project.config('[fields]\nauthor = ["byline"]\n')
    project.write("a.md", '---\ntitle: Timnas\nstatus: published\nbyline: ""\n---\nMenang.\n')
    found = cli("validate", "content/a.md", "--select", "LB312", "-f", "json").json()
    messages = [finding["message"] for finding in found["findings"]]  # type: ignore[index]
    assert messages == ["'byline' is empty"]
