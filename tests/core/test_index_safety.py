"""The index only ever replaces a file that is recognisably lushbeat's: where it may live,
what it recognises, and what it refuses (core level; tests/cli/test_index_safety.py has the
command line's side)."""

from __future__ import annotations

import os
import sqlite3
import stat
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

import pytest

from lushbeat_cli.core.config import load_config
from lushbeat_cli.core.index import locate_index, open_index, update_index
from lushbeat_cli.core.reading.corpus import load_corpus
from lushbeat_cli.core.reading.scan import APPLICATION_ID, indexed_root
from lushbeat_cli.errors import ConfigError
from tests.conftest import Project

NOW = datetime(2026, 1, 1, tzinfo=UTC)


def configure(project: Project, path: str) -> None:
    project.config(f'content_dir = "content"\n[index]\npath = {path!r}\n')


def snapshot(*paths: Path) -> list[tuple[str, object]]:
    """Each path's type and bytes (or where its link points), to compare before and after."""
    found: list[tuple[str, object]] = []
    for path in paths:
        try:
            info = path.lstat()
        except FileNotFoundError:
            found.append((str(path), None))
            continue
        if stat.S_ISLNK(info.st_mode):
            found.append((str(path), ("link", os.readlink(path))))
        elif stat.S_ISREG(info.st_mode):
            found.append((str(path), ("file", path.read_bytes())))
        else:
            found.append((str(path), ("other", stat.S_IFMT(info.st_mode))))
    return found


def with_siblings(path: Path) -> list[Path]:
    return [path, *(Path(f"{path}{suffix}") for suffix in ("-wal", "-shm", "-journal"))]


def sqlite_file(path: Path, *, app_id: int = 0, wal: bool = False) -> None:
    """Someone else's SQLite database (left in WAL mode with its log when ``wal``)."""
    conn = sqlite3.connect(path, isolation_level=None)
    if app_id:
        conn.execute(f"PRAGMA application_id = {app_id}")
    if wal:
        conn.execute("PRAGMA journal_mode = WAL")
        conn.execute("PRAGMA wal_autocheckpoint = 0")
    conn.execute("CREATE TABLE notes (body TEXT)")
    conn.execute("INSERT INTO notes VALUES ('precious')")
    if wal:
        # Keep the log: a second connection holds it open while this one is closed.
        keeper = sqlite3.connect(path)
        keeper.execute("SELECT * FROM notes").fetchall()
        conn.close()
        keeper.close()
        return
    conn.close()


# ---------------------------------------------------------------- where an index may live


@pytest.mark.parametrize(
    ("setting", "words"),
    [
        ("lushbeat.toml", "is the config file"),
        ("./content/../lushbeat.toml", "is the config file"),
        ("content/a.md", "names a Markdown file"),
        ("content/new.markdown", "names a Markdown file"),
        ("README.MD", "names a Markdown file"),
        ("pyproject.toml", "names a config file"),
        ("../outside.sqlite", "is outside the project"),
        ("../../x/index.sqlite", "is outside the project"),
        ("/tmp/lushbeat-test-index.sqlite", "is outside the project"),
    ],
)
def test_places_the_index_may_not_be(project: Project, setting: str, words: str) -> None:
    project.article("a.md", title="A")
    (project.root / "README.MD").write_bytes(b"")  # even empty: it is a Markdown file
    configure(project, setting)
    config = load_config(project.root)
    target = config.index_path
    before = snapshot(*with_siblings(target), project.root / "lushbeat.toml")
    with pytest.raises(ConfigError) as caught:
        load_corpus(config, NOW)
    assert words in caught.value.message
    assert setting in caught.value.message
    assert caught.value.path == project.root / "lushbeat.toml"
    assert caught.value.line == 3
    assert caught.value.exit_code == 2
    assert snapshot(*with_siblings(target), project.root / "lushbeat.toml") == before
    assert not (project.root / ".lushbeat").exists()


def test_a_symbolic_link_out_of_the_project_is_not_followed(
    project: Project, tmp_path: Path
) -> None:
    project.article("a.md", title="A")
    outside = tmp_path / "elsewhere"
    outside.mkdir()
    (outside / "victim.sqlite").write_bytes(b"")
    (project.root / "cache").symlink_to(outside)
    (project.root / "link.sqlite").symlink_to(outside / "victim.sqlite")
    (project.root / "dangling.sqlite").symlink_to(outside / "absent.sqlite")
    for setting in ("cache/index.sqlite", "link.sqlite", "dangling.sqlite"):
        configure(project, setting)
        with pytest.raises(ConfigError, match="through a symbolic link"):
            load_corpus(load_config(project.root), NOW)
    assert sorted(p.name for p in outside.iterdir()) == ["victim.sqlite"]
    assert (outside / "victim.sqlite").read_bytes() == b""


def test_a_symbolic_link_to_lushbeats_folder_elsewhere_is_not_followed(
    project: Project, tmp_path: Path
) -> None:
    """The default place too: a cloned repository's ``.lushbeat`` may be a link."""
    project.article("a.md", title="A")
    outside = tmp_path / "elsewhere"
    outside.mkdir()
    (outside / "index.sqlite").write_bytes(b"someone's data")
    (project.root / ".lushbeat").symlink_to(outside)
    with pytest.raises(ConfigError, match="outside the project") as caught:
        load_corpus(load_config(project.root), NOW)
    assert caught.value.exit_code == 2
    assert (outside / "index.sqlite").read_bytes() == b"someone's data"
    assert indexed_root(str(project.root)) is None  # the start-up guess keeps out too


def test_a_symbolic_link_to_the_config_file_is_the_config_file(project: Project) -> None:
    project.article("a.md", title="A")
    (project.root / "index.sqlite").symlink_to(project.root / "lushbeat.toml")
    configure(project, "index.sqlite")
    before = (project.root / "lushbeat.toml").read_bytes()
    with pytest.raises(ConfigError, match="is the config file"):
        load_corpus(load_config(project.root), NOW)
    assert (project.root / "lushbeat.toml").read_bytes() == before


@pytest.mark.parametrize("how", ["XDG_CACHE_HOME", "HOME"])
def test_the_users_cache_folder_is_allowed(
    project: Project, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, how: str
) -> None:
    project.article("a.md", title="A")
    if how == "XDG_CACHE_HOME":
        monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
        configure(project, str(tmp_path / "cache" / "lushbeat" / "news.sqlite"))
        expected = tmp_path / "cache" / "lushbeat" / "news.sqlite"
    else:
        monkeypatch.delenv("XDG_CACHE_HOME", raising=False)
        monkeypatch.setenv("HOME", str(tmp_path / "home"))
        configure(project, "~/.cache/lushbeat/news.sqlite")
        expected = tmp_path / "home" / ".cache" / "lushbeat" / "news.sqlite"
    config = load_config(project.root)
    assert locate_index(config) == expected
    assert [a.title for a in load_corpus(config, NOW).articles] == ["A"]
    assert expected.is_file()


def test_a_relative_xdg_cache_home_is_ignored(
    project: Project, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("XDG_CACHE_HOME", "cache")  # relative: the XDG rules say ignore it
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    configure(project, str(tmp_path / "cache" / "x.sqlite"))
    with pytest.raises(ConfigError, match="outside the project"):
        locate_index(load_config(project.root))


@pytest.mark.parametrize("setting", [".lushbeat/index.sqlite", "cache/lb.sqlite", "content/.x"])
def test_places_inside_the_project_are_allowed(project: Project, setting: str) -> None:
    project.article("a.md", title="A")
    configure(project, setting)
    config = load_config(project.root)
    assert [a.title for a in load_corpus(config, NOW).articles] == ["A"]
    assert (project.root / setting).is_file()


# ---------------------------------------------------------------- what is found there


def other_files() -> dict[str, Callable[[Path], None]]:
    """Files a user may have at the configured path: none of them may be touched."""
    return {
        "text": lambda p: p.write_text("my notes\n"),
        "binary": lambda p: p.write_bytes(bytes(range(256)) * 8),
        "short": lambda p: p.write_bytes(b"SQLite format 3\x00"),  # a header cut short
        "sqlite": lambda p: sqlite_file(p),
        "sqlite-app": lambda p: sqlite_file(p, app_id=0x47504B47),  # a GeoPackage
        "sqlite-wal": lambda p: sqlite_file(p, wal=True),
        "folder": lambda p: p.mkdir(),
        "fifo": lambda p: os.mkfifo(p),
    }


@pytest.mark.parametrize("kind", list(other_files()))
def test_a_file_that_is_not_an_index_is_refused_untouched(project: Project, kind: str) -> None:
    project.article("a.md", title="A")
    target = project.root / "data.db"
    other_files()[kind](target)
    configure(project, "data.db")
    before = snapshot(*with_siblings(target))
    with pytest.raises(ConfigError, match="not a lushbeat index") as caught:
        load_corpus(load_config(project.root), NOW)
    assert caught.value.path == target
    assert caught.value.exit_code == 2
    assert "never overwrites" in caught.value.message
    assert snapshot(*with_siblings(target)) == before


@pytest.mark.parametrize("kind", ["sqlite", "sqlite-app", "sqlite-wal", "folder", "fifo"])
def test_lushbeats_own_folder_keeps_what_is_clearly_someone_elses(
    project: Project, kind: str
) -> None:
    """Unreadable bytes in .lushbeat are a damaged index; a readable SQLite database of
    another program, a folder or a FIFO there are not lushbeat's to replace."""
    project.article("a.md", title="A")
    target = project.root / ".lushbeat" / "index.sqlite"
    target.parent.mkdir()
    other_files()[kind](target)
    before = snapshot(*with_siblings(target))
    with pytest.raises(ConfigError, match="not a lushbeat index"):
        load_corpus(load_config(project.root), NOW)
    assert snapshot(*with_siblings(target)) == before


@pytest.mark.parametrize("kind", ["text", "binary", "short"])
def test_unreadable_bytes_in_lushbeats_own_folder_are_rebuilt(project: Project, kind: str) -> None:
    project.article("a.md", title="A")
    target = project.root / ".lushbeat" / "index.sqlite"
    target.parent.mkdir()
    other_files()[kind](target)
    corpus = load_corpus(load_config(project.root), NOW)
    assert [a.title for a in corpus.articles] == ["A"]
    assert len(corpus.notices) == 1 and "rebuilt" in corpus.notices[0]


def test_an_index_at_another_place_is_repaired_when_the_header_is_ours(
    project: Project,
) -> None:
    project.article("a.md", title="A")
    configure(project, "cache/lb.sqlite")
    config = load_config(project.root)
    load_corpus(config, NOW)
    target = project.root / "cache" / "lb.sqlite"
    data = bytearray(target.read_bytes())
    data[100:] = b"\xff" * (len(data) - 100)  # everything after the header
    target.write_bytes(bytes(data))
    corpus = load_corpus(config, NOW)
    assert [a.title for a in corpus.articles] == ["A"]
    assert any("rebuilt" in notice for notice in corpus.notices)


def test_an_index_at_another_place_without_its_header_is_refused(project: Project) -> None:
    """Outside lushbeat's folder, bytes that no longer say whose they are stay as they are."""
    project.article("a.md", title="A")
    configure(project, "cache/lb.sqlite")
    config = load_config(project.root)
    load_corpus(config, NOW)
    target = project.root / "cache" / "lb.sqlite"
    target.write_bytes(b"\x00" * 4096)
    with pytest.raises(ConfigError, match="not an SQLite database"):
        load_corpus(config, NOW)
    assert target.read_bytes() == b"\x00" * 4096


@pytest.mark.parametrize("place", ["data.db", ".lushbeat/index.sqlite"])
def test_an_empty_file_becomes_the_index(project: Project, place: str) -> None:
    project.article("a.md", title="A")
    target = project.root / place
    target.parent.mkdir(exist_ok=True)
    target.write_bytes(b"")
    configure(project, place)
    corpus = load_corpus(load_config(project.root), NOW)
    assert [a.title for a in corpus.articles] == ["A"] and corpus.notices == []
    assert application_id_of(target) == APPLICATION_ID


def application_id_of(path: Path) -> int:
    data = path.read_bytes()[:100]
    assert data.startswith(b"SQLite format 3\x00")
    return int.from_bytes(data[68:72], "big")


def test_a_new_index_says_it_is_lushbeats_in_its_own_header(project: Project) -> None:
    """Stamped before anything else: even before a checkpoint, the file's header says so."""
    project.article("a.md", title="A")
    config = load_config(project.root)
    with open_index(config) as index:
        index.refresh()
        assert application_id_of(config.index_path) == APPLICATION_ID  # (the log is open)


def test_an_index_of_an_older_lushbeat_is_recognised_and_stamped(project: Project) -> None:
    """Indexes written before the stamp have no application_id: their tables say whose."""
    old = NOW.timestamp() - 86_400  # outside the "modified just now" window: not re-read
    os.utime(project.article("a.md", title="A"), (old, old))
    config = load_config(project.root)
    update_index(config)
    conn = sqlite3.connect(config.index_path, isolation_level=None)
    conn.execute("PRAGMA application_id = 0")
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    conn.close()
    assert application_id_of(config.index_path) == 0
    report = update_index(config)
    assert report.notices == [] and report.refresh.parsed == 0  # used as it was
    conn = sqlite3.connect(config.index_path)
    assert conn.execute("PRAGMA application_id").fetchone()[0] == APPLICATION_ID
    conn.close()


def test_an_empty_sqlite_file_becomes_the_index(project: Project) -> None:
    project.article("a.md", title="A")
    target = project.root / "data.db"
    sqlite3.connect(target).execute("PRAGMA user_version = 3").connection.close()
    configure(project, "data.db")
    assert [a.title for a in load_corpus(load_config(project.root), NOW).articles] == ["A"]
    assert application_id_of(target) == APPLICATION_ID


# ---------------------------------------------------------------- files SQLite keeps beside it


@pytest.mark.parametrize("suffix", ["-wal", "-journal", "-shm"])
def test_a_leftover_beside_a_new_index_is_refused_untouched(project: Project, suffix: str) -> None:
    project.article("a.md", title="A")
    sibling = project.root / f"data.db{suffix}"
    sibling.write_bytes(b"someone's log" * 100)
    configure(project, "data.db")
    with pytest.raises(ConfigError, match="not lushbeat's") as caught:
        load_corpus(load_config(project.root), NOW)
    assert caught.value.path == sibling
    assert sibling.read_bytes() == b"someone's log" * 100
    assert not (project.root / "data.db").exists()


def test_leftovers_in_lushbeats_own_folder_are_no_obstacle(project: Project) -> None:
    """There they are an old index's (a crash half-way through a rebuild)."""
    project.article("a.md", title="A")
    folder = project.root / ".lushbeat"
    folder.mkdir()
    for suffix in ("-wal", "-journal", "-shm"):
        (folder / f"index.sqlite{suffix}").write_bytes(b"\xff" * 4096)
    corpus = load_corpus(load_config(project.root), NOW)
    assert [a.title for a in corpus.articles] == ["A"] and corpus.notices == []


# ---------------------------------------------------------------- the start-up guess


def test_the_guess_reads_only_lushbeats_files(project: Project) -> None:
    """The start-up child (core.scan.indexed_root) obeys the same rules: a FIFO is never
    opened (it would wait forever), another program's database never read."""
    project.article("a.md", title="A")
    target = project.root / ".lushbeat" / "index.sqlite"
    target.parent.mkdir()
    os.mkfifo(target)
    assert indexed_root(str(project.root)) is None
    target.unlink()
    sqlite_file(target, app_id=0x47504B47)
    assert indexed_root(str(project.root)) is None
    target.unlink()
    config = load_config(project.root)
    update_index(config)
    assert indexed_root(str(project.root)) == str(config.content_path)
