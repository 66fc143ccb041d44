"""Index rows that cannot be decoded (valid SQLite, damaged values): every reading command
repairs the index and answers as if nothing happened, never with an internal error."""

from __future__ import annotations

import os
import sqlite3
from collections.abc import Callable
from datetime import UTC, datetime

import pytest

from tests.conftest import Project, Run

ARTICLE = "2024/07/venezuela.md"
BROKEN = "broken.md"

# Each reading command, with the arguments that make it read the damaged article.
COMMANDS = {
    "list": ("list", "--format", "json"),
    "list-paths": ("list", "--format", "paths"),
    "list-table": ("list", "--fields", "title,tags"),
    "list-filtered": ("list", "--format", "json", "--tag", "venezuela"),
    "list-category": ("list", "--format", "jsonl", "--category", "world"),
    "search": ("search", "venezuela", "--format", "json"),
    "tags": ("tags", "--format", "json"),
    "stats": ("stats", "--format", "json"),
    "show": ("show", ARTICLE.replace("2024", "content/2024", 1), "--format", "json"),
    "export": ("export", "--format", "json"),
    "similar": ("similar", "content/2024/06/maduro.md", "--format", "json"),
    "validate": ("validate", "content/2024/06/maduro.md", "--format", "json"),
}

# (table, column, value, row): values that SQLite stores happily but lushbeat cannot decode
# (or that decode to the wrong shape). ``row`` picks the article or the unreadable file.
DAMAGE = {
    "metadata-truncated": ("files", "metadata", "{", ARTICLE),
    "metadata-not-a-mapping": ("files", "metadata", "[1, 2]", ARTICLE),
    "metadata-bad-tag": ("files", "metadata", '{"date": {"$date": "29 July"}}', ARTICLE),
    "metadata-bad-bytes": ("files", "metadata", '{"x": {"$bytes": "%%%"}}', ARTICLE),
    "derived-garbage": ("files", "derived", "x", ARTICLE),
    "derived-short": ("files", "derived", "[[], 1]", ARTICLE),
    "derived-wrong-types": (
        "files",
        "derived",
        '[[], 7, "s", null, null, [], null, [1], null, "published", null, []]',
        ARTICLE,
    ),
    "derived-bad-status": (
        "files",
        "derived",
        '[[], "T", "s", null, null, [], null, [], null, "lost", null, []]',
        ARTICLE,
    ),
    "derived-naive-date": (
        "files",
        "derived",
        '[[], "T", "s", ["2024-07-29T00:00:00", 0], null, [], null, [], null, "published",'
        " null, []]",
        ARTICLE,
    ),
    "derived-bad-finding": (
        "files",
        "derived",
        '[[[1, 2, "LB1"]], "T", "s", null, null, [], null, [], null, "published", null, []]',
        ARTICLE,
    ),
    "positions-garbage": ("files", "key_positions", "garbage", ARTICLE),
    "positions-uneven": ("files", "key_positions", '[["title"], [1, 2], [1]]', ARTICLE),
    "positions-text": ("files", "key_positions", '[["title"], ["one"], [1]]', ARTICLE),
    "body-missing": ("files", "body", None, ARTICLE),
    "body-line-text": ("files", "body_line", "three", ARTICLE),
    "format-missing": ("files", "format", None, ARTICLE),
    "deep-nesting": ("files", "metadata", "[" * 100_000 + "]" * 100_000, ARTICLE),
    "error-garbage": ("files", "error", "{", BROKEN),
    "error-wrong-shape": ("files", "error", '{"code": "LB101"}', BROKEN),
    "entry-status": ("entries", "declared_status", "lost", ARTICLE),
    "entry-date": ("entries", "date_key", "yesterday", ARTICLE),
    "entry-tags": ("entries", "tags", "{", ARTICLE),
    "entry-tags-shape": ("entries", "tags", "[1, 2]", ARTICLE),
    "entry-authors": ("entries", "authors", None, ARTICLE),
    "entry-category": ("entries", "category", b"world", ARTICLE),  # a blob, not text
    "record-type": ("records", "record", "text, not a record", ARTICLE),
    "record-lost": ("records", "record", None, ARTICLE),  # not damage: made again
}


@pytest.fixture
def news(project: Project) -> Project:
    body = "Maduro wins the disputed Venezuela election; the opposition doubts it."
    project.article(
        ARTICLE,
        title="Venezuela votes",
        date="2024-07-29",
        lang="en",
        tags=["venezuela"],
        category="world",
        body=body,
    )
    project.article(
        "2024/06/maduro.md",
        title="Maduro claims victory",
        date="2024-06-20",
        lang="en",
        tags=["venezuela"],
        category="world",
        body=body + " Again.",
    )
    project.article("2024/05/other.md", title="Other news", date="2024-05-01", body="Rain.")
    project.write(BROKEN, "---\ntitle: [unclosed\n---\n")
    # Older than the index's "modified just now, read again" window, so that the refresh
    # keeps the damaged rows and the command meets them.
    old = datetime(2024, 1, 1, tzinfo=UTC).timestamp()
    for path in project.content.rglob("*.md"):
        os.utime(path, (old, old))
    return project


def damage(project: Project, table: str, column: str, value: object, rel: str) -> None:
    conn = sqlite3.connect(project.root / ".lushbeat" / "index.sqlite")
    with conn:
        changed = conn.execute(
            f"UPDATE {table} SET {column} = ? WHERE path = ?", (value, rel)
        ).rowcount
    conn.close()
    assert changed == 1


def assert_answered(run: Run, expected: Run) -> None:
    assert "internal error" not in run.stderr
    assert "Traceback" not in run.stderr
    assert (run.exit_code, run.stdout) == (expected.exit_code, expected.stdout), run.stderr


# The commands that read each table's damaged value: the entries and records tables serve
# list's default records; the files table everything else (and list with other fields).
LISTING_COMMANDS = [name for name in COMMANDS if name.startswith("list") and name != "list-table"]
FILES_COMMANDS = [name for name in COMMANDS if name not in LISTING_COMMANDS]


def pairs() -> list[tuple[str, str]]:
    """(damage, command) to try: every damage of an unreadable file's row or of the listing's
    tables with every command that reads it, and each damage of an article's row with three of the
    commands that read it, in turn, so that each command meets several (all of them would
    take minutes)."""
    found = []
    turn = 0
    for kind, (table, _, _, rel) in DAMAGE.items():
        if rel == BROKEN:
            found.extend((kind, command) for command in COMMANDS)
        elif table == "entries":
            found.extend((kind, command) for command in LISTING_COMMANDS)
        elif table == "records":  # (paths need no record)
            found.extend((kind, command) for command in LISTING_COMMANDS if command != "list-paths")
        else:
            for _ in range(3):
                found.append((kind, FILES_COMMANDS[turn % len(FILES_COMMANDS)]))
                turn += 1
    return found


@pytest.mark.parametrize(("kind", "command"), pairs())
def test_undecodable_rows_are_repaired(
    cli: Callable[..., Run], news: Project, kind: str, command: str
) -> None:
    args = COMMANDS[command]
    expected = cli(*args)
    assert expected.exit_code in (0, 1), expected.stderr  # (1: the unreadable file)
    damage(news, *DAMAGE[kind])
    assert_answered(cli(*args), expected)


@pytest.mark.parametrize(
    ("kind", "command"),
    [("derived-garbage", "search"), ("error-garbage", "tags"), ("entry-tags", "list-filtered")],
)
def test_the_repair_is_said_once_and_holds(
    cli: Callable[..., Run], news: Project, kind: str, command: str
) -> None:
    args = COMMANDS[command]
    before = cli(*args)
    damage(news, *DAMAGE[kind])
    run = cli(*args)
    assert_answered(run, before)
    warnings = [line for line in run.stderr.splitlines() if line.startswith("warning:")]
    assert len(warnings) == 1 and "damaged" in warnings[0] and "rebuilt" in warnings[0]
    again = cli(*args)
    assert_answered(again, before)
    assert not any(line.startswith("warning:") for line in again.stderr.splitlines())


def test_a_damaged_refresh_time_is_repaired(cli: Callable[..., Run], news: Project) -> None:
    assert cli("index").exit_code == 0
    conn = sqlite3.connect(news.root / ".lushbeat" / "index.sqlite")
    with conn:
        conn.execute("UPDATE meta SET value = 'last Tuesday' WHERE key = 'last_refresh'")
    conn.close()
    run = cli("index", "--format", "json")
    assert run.exit_code == 0, run.stderr
    assert run.json()["files"] == 4  # type: ignore[index]
    assert "rebuilt" in run.stderr


def test_a_damaged_vocabulary_copy_still_corrects(cli: Callable[..., Run], news: Project) -> None:
    expected = cli("search", "venezuala", "--format", "json")
    assert expected.exit_code == 0
    conn = sqlite3.connect(news.root / ".lushbeat" / "index.sqlite")
    with conn:
        conn.execute("INSERT INTO terms (term, doc, size) VALUES (5, 'x', 8)")
    conn.close()
    assert_answered(cli("search", "venezuala", "--format", "json"), expected)
