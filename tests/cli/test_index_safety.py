"""`[index] path` never costs a user a file: every command that uses the index refuses a path
or a file that is not lushbeat's with one line and exit 2, and leaves it as it was."""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.conftest import Project, Run

LUSHBEAT = shutil.which("lushbeat", path=os.path.dirname(sys.executable))

# Every command that reads (or writes) the collection through the index.
COMMANDS = [
    ("list",),
    ("list", "--format", "json"),
    ("search", "maduro"),
    ("tags",),
    ("stats",),
    ("show", "content/2024/a.md"),
    ("similar", "content/2024/a.md"),
    ("export", "--format", "jsonl"),
    ("validate", "content/2024/a.md"),
    ("index",),
    ("index", "--rebuild"),
    ("new", "Another story", "--date", "2024-08-01"),
]


@pytest.fixture
def news(project: Project) -> Project:
    project.article("2024/a.md", title="Maduro wins", date="2024-07-29", tags=["venezuela"])
    project.article("2024/b.md", title="Rain in Jakarta", date="2024-07-30", tags=["cuaca"])
    return project


def precious_database(path: Path) -> bytes:
    conn = sqlite3.connect(path)
    with conn:
        conn.execute("CREATE TABLE contacts (name TEXT)")
        conn.execute("INSERT INTO contacts VALUES ('source in Caracas')")
    conn.close()
    return path.read_bytes()


def assert_refused(run: Run, *words: str) -> None:
    assert run.exit_code == 2, run.stderr
    assert run.stdout == ""
    lines = run.stderr.splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: "), run.stderr
    for word in words:
        assert word in lines[0]
    assert "internal error" not in run.stderr


@pytest.mark.parametrize("args", COMMANDS, ids=" ".join)
def test_the_config_file_is_never_the_index(
    cli: Callable[..., Run], news: Project, args: tuple[str, ...]
) -> None:
    config = news.config('content_dir = "content"\n[index]\npath = "lushbeat.toml"\n')
    before = config.read_bytes()
    assert_refused(cli(*args), "lushbeat.toml:3:", "is the config file")
    assert config.read_bytes() == before
    assert not (news.root / "lushbeat.toml-wal").exists()


@pytest.mark.parametrize("args", COMMANDS, ids=" ".join)
def test_another_programs_database_is_never_overwritten(
    cli: Callable[..., Run], news: Project, args: tuple[str, ...]
) -> None:
    before = precious_database(news.root / "notes.db")
    news.config('content_dir = "content"\n[index]\npath = "notes.db"\n')
    assert_refused(cli(*args), "notes.db", "not a lushbeat index", "another program's")
    assert (news.root / "notes.db").read_bytes() == before
    assert sorted(p.name for p in news.root.iterdir()) == ["content", "lushbeat.toml", "notes.db"]


@pytest.mark.parametrize(
    ("setting", "words"),
    [
        ("content/2024/a.md", "names a Markdown file"),
        ("../../../outside.sqlite", "is outside the project"),
        ("/etc/passwd", "is outside the project"),
    ],
)
def test_paths_lushbeat_must_not_write_are_refused(
    cli: Callable[..., Run], news: Project, setting: str, words: str
) -> None:
    article = (news.content / "2024" / "a.md").read_bytes()
    news.config(f'content_dir = "content"\n[index]\npath = "{setting}"\n')
    assert_refused(cli("list", "--format", "paths"), words, "[index] path")
    assert (news.content / "2024" / "a.md").read_bytes() == article
    assert not (news.root / ".lushbeat").exists()


def test_reading_without_the_index_still_works(cli: Callable[..., Run], news: Project) -> None:
    """The refusal is about the index file: --no-index never opens it."""
    news.config('content_dir = "content"\n[index]\npath = "lushbeat.toml"\n')
    run = cli("list", "--format", "paths", "--no-index")
    assert run.exit_code == 0, run.stderr
    assert sorted(run.stdout.split()) == ["content/2024/a.md", "content/2024/b.md"]


def test_a_damaged_index_in_its_own_folder_is_still_rebuilt(
    cli: Callable[..., Run], news: Project
) -> None:
    assert cli("list").exit_code == 0
    (news.root / ".lushbeat" / "index.sqlite").write_bytes(b"garbage" * 1000)
    run = cli("list", "--format", "paths")
    assert run.exit_code == 0
    assert sorted(run.stdout.split()) == ["content/2024/a.md", "content/2024/b.md"]
    assert "rebuilt" in run.stderr


@pytest.mark.skipif(LUSHBEAT is None, reason="the console script is not installed")
@pytest.mark.parametrize("args", [("list", "--format", "paths"), ("search", "maduro"), ("index",)])
def test_the_start_up_fast_path_refuses_the_same(news: Project, args: tuple[str, ...]) -> None:
    """With stderr piped, these are answered without typer (cli._fast): same refusal."""
    before = precious_database(news.root / "notes.db")
    news.config('content_dir = "content"\n[index]\npath = "notes.db"\n')
    done = subprocess.run(
        [str(LUSHBEAT), *args], cwd=news.root, capture_output=True, text=True, timeout=60
    )
    assert done.returncode == 2, done.stderr
    assert done.stdout == ""
    assert done.stderr.startswith("error: notes.db: not a lushbeat index")
    assert len(done.stderr.splitlines()) == 1
    assert (news.root / "notes.db").read_bytes() == before
