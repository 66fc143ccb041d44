"""The incremental index: exact round trips, refresh after changes, recovery, concurrency."""

from __future__ import annotations

import multiprocessing
import os
import sqlite3
import time
from datetime import UTC, date, datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from lushbeat_cli.core.config import load_config
from lushbeat_cli.core.index import (
    INDEX_VERSION,
    index_location,
    loading,
    open_index,
    store,
    update_index,
)
from lushbeat_cli.core.index.codec import decode_value, encode_value
from lushbeat_cli.core.reading.corpus import Corpus, load_corpus
from lushbeat_cli.render.machine import article_record
from tests.conftest import EXAMPLES, SHARED, Project

NOW = datetime(2026, 1, 1, tzinfo=UTC)


def snapshot(corpus: Corpus) -> tuple[list[object], list[tuple[object, ...]]]:
    """Everything a command can see of a corpus, in comparable form."""
    articles = [
        (
            article_record(a, base=corpus.root),
            a.metadata,
            a.body,
            a.format,
            a.key_positions,
            a.body_line,
            a.findings,
            a.declared_status,
        )
        for a in corpus.articles
    ]
    errors = [(str(e.path), e.code, e.message, e.line, e.col) for e in corpus.errors]
    return articles, errors


def both_ways(config) -> tuple[Corpus, Corpus]:
    return load_corpus(config, NOW), load_corpus(config, NOW, use_index=False)


# ---------------------------------------------------------------- tagged JSON

scalars = (
    st.none()
    | st.booleans()
    | st.integers()
    | st.floats(allow_nan=False)
    | st.text()
    | st.dates()
    | st.datetimes()
    | st.datetimes(timezones=st.just(UTC))
    | st.datetimes(
        timezones=st.builds(
            timezone, st.integers(-14 * 60, 14 * 60).map(lambda m: timedelta(minutes=m))
        )
    )
    | st.binary(max_size=8)
)
values = st.recursive(
    scalars,
    lambda inner: (
        st.lists(inner, max_size=4)
        | st.dictionaries(st.text(max_size=5), inner, max_size=4)
        | st.dictionaries(st.integers() | st.dates(), inner, max_size=3)
    ),
    max_leaves=20,
)


@given(values)
def test_tagged_json_round_trips_exactly(value: object) -> None:
    back = decode_value(encode_value(value))
    assert back == value
    assert repr(back) == repr(value)  # types too: a date stays a date, offsets stay


def test_dollar_keys_and_tag_lookalikes_survive() -> None:
    value = {"$date": "2024-01-01", "x": [{"$bytes": "no"}], "y": {"$set": [1]}}
    assert decode_value(encode_value(value)) == value


# ---------------------------------------------------------------- same answers with and without


def test_examples_give_the_same_corpus_with_and_without_index(examples_copy: Path) -> None:
    config = load_config(examples_copy)
    indexed, direct = both_ways(config)
    assert len(indexed.articles) == 38
    assert snapshot(indexed) == snapshot(direct)
    again, _ = both_ways(config)  # warm: read back from the database only
    assert snapshot(again) == snapshot(direct)


@pytest.mark.skipif(not (SHARED / "corpora" / "18f").is_dir(), reason="shared corpora absent")
def test_18f_corpus_same_with_and_without_index(tmp_path: Path) -> None:
    (tmp_path / "lushbeat.toml").write_text(
        f'content_dir = "{SHARED / "corpora" / "18f" / "content"}"\n', encoding="utf-8"
    )
    config = load_config(tmp_path)
    indexed, direct = both_ways(config)
    assert len(direct.articles) + len(direct.errors) == 509
    assert snapshot(indexed) == snapshot(direct)
    warm, _ = both_ways(config)
    assert snapshot(warm) == snapshot(direct)


def test_odd_files_round_trip(project: Project) -> None:
    project.write(
        "odd.md",
        "---\ntitle: Odd\ndate: 2024-02-03\nwhen: 2024-02-03 10:00:00\n"
        "raw: !!binary aGVsbG8=\nset: !!set {a, b}\nnested: {1: one, 2024-01-01: d}\n"
        "title: Dup\n---\nBody\n",
    )
    project.write("toml.md", '+++\ntitle = "T"\ndate = 2024-01-02T03:04:05+07:00\n+++\nx\n')
    project.write("json.md", '{"title": "J", "date": "2024-05-06"}\nbody\n')
    project.write("bom.md", b"\xef\xbb\xbf---\ntitle: B\ntags: 3\n---\n")
    project.write("bad.md", "---\ntitle: [unclosed\n---\n")
    project.write("empty.md", "")
    (project.content / "gone.md").symlink_to(project.content / "missing.md")
    config = load_config(project.root)
    indexed, direct = both_ways(config)
    assert snapshot(indexed) == snapshot(direct)
    assert {e.code for e in indexed.errors} == {"LB104", "LB113", "LB112"}
    warm, _ = both_ways(config)
    assert snapshot(warm) == snapshot(direct)


def test_search_reads_parse_errors_through_their_own_index(project: Project) -> None:
    """Every search reports the files that could not be parsed: that must not walk the table."""
    project.article("a.md", title="Alpha", date="2024-01-01")
    project.write("bad.md", "---\ntitle: [unclosed\n---\n")
    config = load_config(project.root)
    with open_index(config) as index:
        index.refresh()
        statement = "SELECT id FROM files WHERE kind = 1"  # as load_errors asks
        assert statement in Path(loading.__file__).read_text(encoding="utf-8")
        plan = index.conn.execute(f"EXPLAIN QUERY PLAN {statement}").fetchall()
        assert "USING INDEX files_errors" in plan[0][3]
        assert store.KIND_ERROR == 1
        assert [error.path.name for error in index.load_errors()] == ["bad.md"]


@pytest.mark.parametrize(
    ("manifest", "files"),
    [("not\0a\0manifest", "1"), ("{}", "1"), ("", "1"), ("\0", "1"), ("a.md\0?", "x")],
)
def test_a_damaged_manifest_is_rebuilt_from_the_rows(
    project: Project, manifest: str, files: str
) -> None:
    project.article("a.md", title="A", date="2024-01-01")
    config = load_config(project.root)
    with open_index(config) as index:
        index.refresh()
        index.conn.execute("UPDATE meta SET value = ? WHERE key = 'manifest'", (manifest,))
        index.conn.execute("UPDATE meta SET value = ? WHERE key = 'manifest_files'", (files,))
    project.article("b.md", title="B", date="2024-01-02")
    for _ in range(2):  # repaired, then read as usual
        corpus = load_corpus(config, NOW)
        assert sorted(a.title for a in corpus.articles) == ["A", "B"] and not corpus.errors
    assert_consistent(config)


def stored_manifest(config: Any) -> str:
    with open_index(config) as index:
        row = index.conn.execute("SELECT value FROM meta WHERE key = 'manifest'").fetchone()
    return str(row[0])


def reversed_pairs(text: str) -> str:
    parts = text.split("\0")
    pairs = [parts[i : i + 2] for i in range(0, len(parts), 2)][::-1]
    return "\0".join(part for pair in pairs for part in pair)


@pytest.mark.parametrize(
    ("key", "damage"),
    [
        ("manifest", lambda good: "garbage"),
        ("manifest_files", lambda good: "x"),
        ("manifest", reversed_pairs),  # valid, in another order than the folder lists it
    ],
    ids=["garbage", "bad count", "other order"],
)
def test_a_manifest_that_only_differs_in_text_is_stored_again(
    project: Project, key: str, damage: Any
) -> None:
    """No file changed, but the stored text does not match the scan's: the next refresh
    stores the scan's, so that the one after is a plain comparison again."""
    old = time.time() - 3600
    for name in ("a.md", "b.md"):
        path = project.article(name, title=name.upper(), date="2024-01-01")
        os.utime(path, (old, old))
    config = load_config(project.root)
    with open_index(config) as index:
        index.refresh()
    good = stored_manifest(config)
    with open_index(config) as index:
        value = damage(good if key == "manifest" else "2")
        assert value != (good if key == "manifest" else "2")
        index.conn.execute("UPDATE meta SET value = ? WHERE key = ?", (value, key))
    with open_index(config) as index:
        assert index.refresh().parsed == 0
    assert stored_manifest(config) == good
    with open_index(config) as index:
        count = index.conn.execute("SELECT value FROM meta WHERE key = 'manifest_files'")
        assert count.fetchone()[0] == "2"
    assert sorted(a.title for a in load_corpus(config, NOW).articles) == ["A.MD", "B.MD"]


# ---------------------------------------------------------------- refresh


def assert_consistent(config) -> None:
    """SQLite's own checks, and FTS5's check of its index against the stored text."""
    with open_index(config) as index:
        assert index.conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        index.conn.execute("INSERT INTO fts (fts, rank) VALUES ('integrity-check', 1)")


def titles(config) -> dict[str, str]:
    corpus = load_corpus(config, NOW)
    return {a.path.name: a.title for a in corpus.articles}


def test_refresh_sees_edit_add_delete_and_rename(project: Project) -> None:
    first = project.article("a.md", title="Alpha", date="2024-01-01")
    project.article("b.md", title="Beta", date="2024-01-02")
    config = load_config(project.root)
    assert titles(config) == {"a.md": "Alpha", "b.md": "Beta"}

    first.write_text("---\ntitle: Alpha two\n---\n", encoding="utf-8")  # edit
    project.article("c.md", title="Gamma")  # add
    (project.content / "b.md").unlink()  # delete
    assert titles(config) == {"a.md": "Alpha two", "c.md": "Gamma"}

    (project.content / "c.md").rename(project.content / "d.md")  # rename
    assert titles(config) == {"a.md": "Alpha two", "d.md": "Gamma"}
    assert titles(config) == {"a.md": "Alpha two", "d.md": "Gamma"}  # racy rows re-read
    assert_consistent(config)


def test_same_size_edit_in_the_same_instant_is_seen(project: Project) -> None:
    path = project.article("a.md", title="AAAA")
    config = load_config(project.root)
    assert titles(config) == {"a.md": "AAAA"}
    stat = path.stat()
    path.write_text(path.read_text(encoding="utf-8").replace("AAAA", "BBBB"), encoding="utf-8")
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns))  # same size, same mtime
    assert titles(config) == {"a.md": "BBBB"}


def test_unchanged_old_files_are_not_read_again(project: Project) -> None:
    for number in range(5):
        path = project.article(f"{number}.md", title=f"T{number}")
        os.utime(path, (1_600_000_000, 1_600_000_000))  # long ago: not "racy"
    config = load_config(project.root)
    with open_index(config) as index:
        assert index.refresh().parsed == 5
        assert index.refresh().parsed == 0


def test_settings_change_rebuilds(project: Project) -> None:
    project.article("a.md", title="A", date="2024-01-01")
    config = load_config(project.root)
    assert load_corpus(config, NOW).articles[0].date.utcoffset() == timedelta(hours=7)
    project.config('content_dir = "content"\ntimezone = "UTC"\n')
    config = load_config(project.root)
    assert load_corpus(config, NOW).articles[0].date.utcoffset() == timedelta(0)


def test_status_is_computed_when_loaded_not_stored(project: Project) -> None:
    project.article("a.md", title="A", date="2030-01-01")
    config = load_config(project.root)
    assert load_corpus(config, NOW).articles[0].status == "scheduled"
    later = datetime(2031, 1, 1, tzinfo=UTC)
    assert load_corpus(config, later).articles[0].status == "published"


# ---------------------------------------------------------------- recovery


@pytest.mark.parametrize(
    "damage",
    [
        lambda p: p.write_bytes(b"this is not a database at all" * 100),
        lambda p: p.write_bytes(p.read_bytes()[:1000]),
        lambda p: p.write_bytes(p.read_bytes()[:100] + os.urandom(4000)),
        lambda p: p.write_bytes(b""),
    ],
    ids=["garbage", "truncated", "scrambled", "empty"],
)
def test_damaged_index_is_rebuilt(project: Project, damage) -> None:
    for number in range(30):
        project.article(f"{number}.md", title=f"Title {number}", body="word " * 200)
    config = load_config(project.root)
    expected = snapshot(load_corpus(config, NOW, use_index=False))
    assert snapshot(load_corpus(config, NOW)) == expected
    damage(index_location(config))
    corpus = load_corpus(config, NOW)
    assert snapshot(corpus) == expected
    assert_consistent(config)
    with open_index(config) as index:
        assert index.stats().articles == 30


def test_damage_noticed_at_query_time_is_repaired(project: Project) -> None:
    project.article("a.md", title="A")
    config = load_config(project.root)
    with open_index(config) as index:
        index.refresh()
        calls = []

        def flaky() -> str:
            calls.append(1)
            if len(calls) == 1:
                raise sqlite3.DatabaseError("database disk image is malformed")
            return "ok"

        assert index.recovering(flaky) == "ok"
        assert index.stats().articles == 1
        assert any("rebuilt" in notice for notice in index.notices)


@pytest.mark.parametrize("version", [0, INDEX_VERSION, INDEX_VERSION + 1, 999])
def test_other_format_versions_are_rebuilt(project: Project, version: int) -> None:
    project.article("a.md", title="A")
    config = load_config(project.root)
    load_corpus(config, NOW)
    conn = sqlite3.connect(index_location(config))
    conn.execute("DROP TABLE meta")
    if version == 999:  # a foreign schema under the same table names
        for name in ("vocab", "fts", "files"):
            conn.execute(f"DROP TABLE {name}")
        conn.execute("CREATE TABLE files (whatever)")
    conn.execute(f"PRAGMA user_version = {version}")
    conn.commit()
    conn.close()
    assert [a.title for a in load_corpus(config, NOW).articles] == ["A"]
    conn = sqlite3.connect(index_location(config))
    assert conn.execute("PRAGMA user_version").fetchone()[0] == INDEX_VERSION
    conn.close()


def test_unwritable_location_falls_back_to_memory(project: Project) -> None:
    project.article("a.md", title="A")
    (project.root / "blocker").write_text("a file, not a folder")
    project.config('content_dir = "content"\n[index]\npath = "blocker/index.sqlite"\n')
    config = load_config(project.root)
    corpus = load_corpus(config, NOW)
    assert [a.title for a in corpus.articles] == ["A"]
    assert len(corpus.notices) == 1
    assert "in-memory index" in corpus.notices[0]
    assert "blocker/index.sqlite" in corpus.notices[0]


@pytest.mark.skipif(os.geteuid() == 0, reason="root can write into read-only folders")
def test_read_only_project_falls_back_to_memory(project: Project) -> None:
    project.article("a.md", title="A")
    config = load_config(project.root)
    project.root.chmod(0o555)
    try:
        corpus = load_corpus(config, NOW)
    finally:
        project.root.chmod(0o755)
    assert [a.title for a in corpus.articles] == ["A"]
    assert len(corpus.notices) == 1


def test_read_only_existing_index_falls_back_to_memory(project: Project) -> None:
    project.article("a.md", title="A")
    config = load_config(project.root)
    load_corpus(config, NOW)
    location = index_location(config)
    real_connect = sqlite3.connect

    def read_only_connect(target: str, *args, **kwargs):  # what a read-only mount gives
        if target == str(location):
            return real_connect(f"file:{target}?mode=ro", *args, uri=True, **kwargs)
        return real_connect(target, *args, **kwargs)

    project.article("b.md", title="B")
    mp = pytest.MonkeyPatch()
    mp.setattr(sqlite3, "connect", read_only_connect)
    try:
        corpus = load_corpus(config, NOW)
    finally:
        mp.undo()
    assert [a.title for a in corpus.articles] == ["A", "B"]
    assert len(corpus.notices) == 1


def test_disabled_index_is_not_created(project: Project) -> None:
    project.article("a.md", title="A")
    project.config('content_dir = "content"\n[index]\nenabled = false\n')
    config = load_config(project.root)
    assert [a.title for a in load_corpus(config, NOW).articles] == ["A"]
    assert not index_location(config).exists()


def test_update_index_reports_stats(project: Project) -> None:
    project.article("a.md", title="A")
    project.write("bad.md", "no front matter\n")
    config = load_config(project.root)
    report = update_index(config)
    assert (report.stats.files, report.stats.articles, report.stats.errors) == (2, 1, 1)
    assert report.refresh.parsed == 2
    assert report.stats.size_bytes > 0
    assert report.stats.last_refresh is not None
    rebuilt = update_index(config, rebuild=True)
    assert rebuilt.refresh.parsed == 2


# ---------------------------------------------------------------- concurrency


def _in_children(target: Any, root: Path, count: int) -> list[Any]:
    """Run ``target(root, queue)`` in ``count`` fresh processes at once; what each reported."""
    context = multiprocessing.get_context("spawn")
    queue = context.Queue()
    children = [context.Process(target=target, args=(str(root), queue)) for _ in range(count)]
    for child in children:
        child.start()
    results = [queue.get(timeout=120) for _ in children]
    for child in children:
        child.join(timeout=60)
    return results


def _load_in_child(root: str, queue) -> None:  # type: ignore[no-untyped-def]
    try:
        config = load_config(Path(root))
        corpus = load_corpus(config, NOW)
        queue.put(("ok", len(corpus.articles), len(corpus.errors), corpus.notices))
    except BaseException as exc:  # report, never hang the test
        queue.put(("error", repr(exc), 0, []))


def test_processes_indexing_at_once_never_fail_or_corrupt(project: Project) -> None:
    for number in range(400):
        project.article(f"{number // 100}/{number}.md", title=f"T{number}", body="text " * 50)
    project.write("broken.md", "---\ntitle: [x\n---\n")
    results = _in_children(_load_in_child, project.root, 4)
    assert results == [("ok", 400, 1, [])] * 4
    config = load_config(project.root)
    assert_consistent(config)
    with open_index(config) as index:
        assert index.stats().files == 401
        assert index.refresh().parsed <= 401  # racy rows may be re-read; nothing is missing


def _refresh_in_child(root: str, queue) -> None:  # type: ignore[no-untyped-def]
    try:
        report = update_index(load_config(Path(root)))
        queue.put(("ok", report.refresh.parsed, report.stats.files))
    except BaseException as exc:  # report, never hang the test
        queue.put(("error", repr(exc), 0))


def test_processes_starting_on_a_cold_index_parse_it_once(project: Project) -> None:
    for number in range(600):
        project.article(f"{number // 100}/{number}.md", title=f"T{number}", body="text " * 50)
    an_hour_ago = time.time() - 3600  # not "just modified": no row is re-read as racy
    for path in project.content.rglob("*.md"):
        os.utime(path, (an_hour_ago, an_hour_ago))
    results = _in_children(_refresh_in_child, project.root, 4)
    assert all(status == "ok" and files == 600 for status, _, files in results), results
    # Each found 600 changed files; whoever waited for the write lock found them stored.
    assert sum(parsed for _, parsed, _ in results) == 600, results


def test_examples_index_location_is_git_ignored() -> None:
    ignore = (EXAMPLES.parent / ".gitignore").read_text(encoding="utf-8").split()
    assert ".lushbeat/" in ignore


def test_index_folder_ignores_itself_for_git(project: Project) -> None:
    project.article("a.md", title="A")
    load_corpus(load_config(project.root), NOW)
    ignore = project.root / ".lushbeat" / ".gitignore"
    assert ignore.read_text(encoding="utf-8").splitlines()[-1] == "*"


def test_dates_keep_their_exact_type(project: Project) -> None:
    project.write(
        "a.md", "---\ntitle: A\nday: 2024-01-02\nat: 2024-01-02 03:04:05.123456+07:00\n---\n"
    )
    config = load_config(project.root)
    load_corpus(config, NOW)
    meta = load_corpus(config, NOW).articles[0].metadata
    assert type(meta["day"]) is date and meta["day"] == date(2024, 1, 2)
    assert meta["at"] == datetime(2024, 1, 2, 3, 4, 5, 123456, tzinfo=timezone(timedelta(hours=7)))


def test_a_writer_that_never_lets_go_means_memory_not_failure(
    project: Project, monkeypatch: pytest.MonkeyPatch
) -> None:
    project.article("a.md", title="A")
    config = load_config(project.root)
    load_corpus(config, NOW)
    project.article("b.md", title="B")
    monkeypatch.setattr(store, "BUSY_TIMEOUT_MS", 50)
    monkeypatch.setattr(store, "LOCK_ATTEMPTS", 2)
    holder = sqlite3.connect(index_location(config), isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")  # another process in the middle of a long write
    try:
        corpus = load_corpus(config, NOW)
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    assert [a.title for a in corpus.articles] == ["A", "B"]
    assert len(corpus.notices) == 1 and "locked" in corpus.notices[0]


def test_a_locked_switch_to_wal_is_tried_again() -> None:
    class Flaky:  # a connection whose first two PRAGMAs meet another process's lock
        calls = 0

        def execute(self, sql: str) -> Any:
            Flaky.calls += 1
            if Flaky.calls <= 2:
                raise sqlite3.OperationalError("database is locked")
            return self

        def fetchone(self) -> tuple[str]:
            return ("wal",)

    assert store._write_ahead_logging(Flaky()) == "wal"  # type: ignore[arg-type]
    assert Flaky.calls == 3

    class Broken(Flaky):
        def execute(self, sql: str) -> Any:
            raise sqlite3.OperationalError("disk I/O error")

    with pytest.raises(sqlite3.OperationalError, match="disk I/O"):
        store._write_ahead_logging(Broken())  # type: ignore[arg-type]
