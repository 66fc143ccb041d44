"""The index database: its schema, the connection (write-ahead log, busy timeout), recovery
from damage, and write transactions. ``Store`` is the base of ``ArticleIndex``.

A damaged file is rebuilt and one that cannot be written is replaced by an in-memory index,
both with a notice (never fatal); stored values that cannot be decoded (``StoredDataError``)
are damage like any other.
"""

from __future__ import annotations

import contextlib
import gc
import json
import sqlite3
import stat
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Self

from lushbeat_cli.core.config import Config
from lushbeat_cli.core.index.location import (
    ABSENT,
    DAMAGED,
    FOREIGN,
    NEW,
    SIBLINGS,
    in_own_folder,
    inspect_location,
    locate_index,
    make_folder,
    not_an_index,
)
from lushbeat_cli.core.reading.scan import APPLICATION_ID
from lushbeat_cli.errors import ConfigError

INDEX_VERSION = 13  # bump whenever the schema or the stored encoding changes
BUSY_TIMEOUT_MS = 60_000
LOCK_ATTEMPTS = 5  # then the refresh moves to an in-memory index rather than fail
KIND_ARTICLE = 0
KIND_ERROR = 1
KIND_RAW = 2  # metadata the encoder cannot store exactly: the file is re-parsed on load

# Triggers keep the FTS index in step with ``files`` (its external content). Every row is
# indexed, error rows with no text, so FTS5's own integrity check holds. The old text leaves
# the index before an update and the new text enters after it (two AFTER triggers would run
# in an unspecified order).
_SCHEMA = """
CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL) WITHOUT ROWID;
CREATE TABLE files (
    id INTEGER PRIMARY KEY,
    path TEXT NOT NULL UNIQUE,
    size INTEGER NOT NULL,
    mtime_ns INTEGER NOT NULL,
    racy INTEGER NOT NULL,
    kind INTEGER NOT NULL,
    format TEXT,
    metadata TEXT,
    key_positions TEXT,
    body_line INTEGER,
    derived TEXT,
    error TEXT,
    title TEXT,
    summary TEXT,
    tags TEXT,
    body TEXT
);
-- The few files that could not be parsed, which every search reports, without a walk of the
-- whole table (the query must spell the same literal condition for SQLite to use it).
CREATE INDEX files_errors ON files (id) WHERE kind = 1;
-- What `list` filters and sorts on, one narrow row per file (core.listing), so that listing
-- 10,000 articles reads a few megabytes instead of every article's text. Data only: the
-- effective status and the order are computed in Python.
CREATE TABLE entries (
    path TEXT NOT NULL PRIMARY KEY,
    kind INTEGER NOT NULL,
    date_key INTEGER,  -- core.listing.moment_key of the publication moment
    declared_status TEXT,  -- draft, published or scheduled
    tags TEXT,  -- a JSON list of text
    category TEXT,
    authors TEXT,  -- a JSON list of text
    lang TEXT
) WITHOUT ROWID;
-- Whether any listed file must be parsed again to be listed (see ordered_listing).
CREATE INDEX entries_raw ON entries (path) WHERE kind = 2;
-- Each article's record as render writes it (a core.listing.RecordFormat's encode), kept
-- opaque; meta 'records <format>' holds the version the records of that format were made by.
-- Made when a listing needs them, dropped with the file's row.
CREATE TABLE records (
    path TEXT NOT NULL,
    format TEXT NOT NULL,
    record BLOB,
    PRIMARY KEY (path, format)
) WITHOUT ROWID;
CREATE VIRTUAL TABLE fts USING fts5(
    title, summary, tags, body,
    content = 'files', content_rowid = 'id',
    tokenize = "unicode61 remove_diacritics 2"
);
CREATE VIRTUAL TABLE vocab USING fts5vocab(fts, 'row');
-- The vocabulary with document counts, copied from `vocab` (which walks every posting list
-- to count: 0.15 s at 10,000 articles) when a typo search needs it and it is stale.
CREATE TABLE terms (term TEXT PRIMARY KEY, doc INTEGER NOT NULL, size INTEGER NOT NULL)
    WITHOUT ROWID;
CREATE INDEX terms_size ON terms (size);
CREATE TRIGGER files_ai AFTER INSERT ON files BEGIN
    INSERT INTO fts (rowid, title, summary, tags, body)
    VALUES (new.id, new.title, new.summary, new.tags, new.body);
END;
CREATE TRIGGER files_ad AFTER DELETE ON files BEGIN
    INSERT INTO fts (fts, rowid, title, summary, tags, body)
    VALUES ('delete', old.id, old.title, old.summary, old.tags, old.body);
END;
CREATE TRIGGER files_bu BEFORE UPDATE ON files BEGIN
    INSERT INTO fts (fts, rowid, title, summary, tags, body)
    VALUES ('delete', old.id, old.title, old.summary, old.tags, old.body);
END;
CREATE TRIGGER files_au AFTER UPDATE ON files BEGIN
    INSERT INTO fts (rowid, title, summary, tags, body)
    VALUES (new.id, new.title, new.summary, new.tags, new.body);
END;
"""
_TABLES = ("files", "fts", "vocab", "meta")


class StoredDataError(sqlite3.DatabaseError):
    """A row whose stored values cannot be decoded (or have the wrong shape): damage, handled
    as a corrupt file is (``recovering`` rebuilds the index and tries again)."""


def settings_key(config: Config) -> str:
    """The settings that change what parsing produces, as text stored in the index (compared
    as is: a hash would cost loading hashlib on every command)."""
    rules = config.path_rules  # second: the child scan reads it (core.reading.scan)
    return json.dumps(
        [
            str(config.content_path),
            [list(rules.include), list(rules.exclude)],
            config.timezone,
            config.max_file_size,
            config.fields.settings(),
            INDEX_VERSION,
        ],
        ensure_ascii=False,
    )


class Store:
    """An open index database for one project (a file, or in memory as a fallback)."""

    def __init__(self, config: Config, *, in_memory: bool = False) -> None:
        self.config = config
        self.root = config.content_path
        self.notices: list[str] = []
        self.path: Path | None = None if in_memory else locate_index(config)
        self.own_folder = self.path is not None and in_own_folder(config, self.path)
        self.conn = self._connect()

    def _connect(self) -> sqlite3.Connection:
        if self.path is None:
            return self._open(":memory:")
        state, what = inspect_location(self.path)
        if state == FOREIGN or (state == DAMAGED and not self.own_folder):
            raise not_an_index(self.path, what)
        try:
            make_folder(self.path.parent)
            if state == DAMAGED:
                return self._recreate(what)
            if state == ABSENT and not self.own_folder:
                self._refuse_leftovers()
            return self._open(str(self.path), fresh=state in (ABSENT, NEW))
        except sqlite3.DatabaseError as exc:
            if is_corruption(exc):
                return self._recreate(failure_reason(exc))
            return self._fall_back(exc)
        except OSError as exc:
            return self._fall_back(exc)

    def _refuse_leftovers(self) -> None:
        """Before a new index is created where there is none, outside lushbeat's folder: SQLite
        would reset a journal or write-ahead log found beside it, so one that holds anything
        is refused. (In lushbeat's folder they are an old index's, and SQLite's to deal with.)"""
        assert self.path is not None
        for suffix in SIBLINGS:
            sibling = Path(str(self.path) + suffix)
            try:
                info = sibling.lstat()
            except OSError:
                continue
            if not stat.S_ISREG(info.st_mode) or info.st_size > 0:
                raise ConfigError(
                    "found where the index's own files go, and not lushbeat's; lushbeat never "
                    "overwrites it: set [index] path in the config to a new file, or move this "
                    "one away",
                    path=sibling,
                )

    def _open(self, target: str, *, fresh: bool = False) -> sqlite3.Connection:
        conn = sqlite3.connect(
            target, timeout=BUSY_TIMEOUT_MS / 1000, isolation_level=None, check_same_thread=False
        )
        conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
        if target != ":memory:":
            if fresh:
                # Stamped before the switch to WAL, so that the file's own header says it is
                # lushbeat's from its first byte on (the WAL would hold it until a checkpoint).
                conn.execute(f"PRAGMA application_id = {APPLICATION_ID}")
            mode = _write_ahead_logging(conn)
            if str(mode).lower() != "wal":  # e.g. a read-only file: WAL cannot be set up
                conn.close()
                raise sqlite3.OperationalError(f"cannot use write-ahead logging ({mode})")
            conn.execute("PRAGMA synchronous = NORMAL")
        conn.execute("PRAGMA temp_store = MEMORY")
        self._ensure_schema(conn)
        return conn

    def _ensure_schema(self, conn: sqlite3.Connection) -> None:
        version = conn.execute("PRAGMA user_version").fetchone()[0]
        stamp = conn.execute("PRAGMA application_id").fetchone()[0]
        wanted = settings_key(self.config)
        if version == INDEX_VERSION and stamp == APPLICATION_ID:
            row = conn.execute("SELECT value FROM meta WHERE key = 'settings'").fetchone()
            if row is not None and row[0] == wanted:
                return
        conn.execute("BEGIN IMMEDIATE")
        try:
            # Another process may have set it up while we waited for the lock.
            version = conn.execute("PRAGMA user_version").fetchone()[0]
            current = None
            if version == INDEX_VERSION:
                found = conn.execute("SELECT value FROM meta WHERE key = 'settings'").fetchone()
                current = found[0] if found else None
            if version != INDEX_VERSION or current != wanted:
                # Older, newer, or other settings: start again from the files. (A file that
                # is not lushbeat's never gets here: see inspect_location.)
                reset_schema(conn)
            conn.execute(f"PRAGMA application_id = {APPLICATION_ID}")  # an older lushbeat's
            conn.execute(
                "INSERT OR REPLACE INTO meta (key, value) VALUES ('settings', ?)", (wanted,)
            )
            conn.execute("COMMIT")
        except BaseException:
            with contextlib.suppress(sqlite3.Error):
                conn.execute("ROLLBACK")
            raise

    def _recreate(self, reason: str) -> sqlite3.Connection:
        """Delete a corrupt index (and its WAL files) and start a new one. Only ever called
        for a file ``inspect_location`` found to be lushbeat's, or unreadable in its folder."""
        assert self.path is not None
        with contextlib.suppress(Exception):
            self.conn.close()
        # The database last: a leftover journal without it is never taken for a new index's.
        for suffix in (*SIBLINGS, ""):
            with contextlib.suppress(FileNotFoundError):
                Path(str(self.path) + suffix).unlink()
        self.notices.append(f"the index at {self.path} was damaged ({reason}); rebuilt it")
        try:
            return self._open(str(self.path), fresh=True)
        except (sqlite3.DatabaseError, OSError) as exc:
            return self._fall_back(exc)

    def _fall_back(self, cause: BaseException) -> sqlite3.Connection:
        reason = failure_reason(cause)
        self.notices.append(
            f"cannot use the index at {self.path} ({reason}); using a temporary in-memory index"
        )
        self.path = None
        return self._open(":memory:")

    def close(self) -> None:
        with contextlib.suppress(sqlite3.Error):
            self.conn.close()

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @contextlib.contextmanager
    def _write(self) -> Iterator[None]:
        for attempt in range(1, LOCK_ATTEMPTS + 1):
            try:
                self.conn.execute("BEGIN IMMEDIATE")  # waits up to busy_timeout for writers
                break
            except sqlite3.OperationalError as exc:
                if not _is_busy(exc) or attempt == LOCK_ATTEMPTS:
                    raise
        try:
            yield
        except BaseException:
            with contextlib.suppress(sqlite3.Error):
                self.conn.execute("ROLLBACK")
            raise
        self.conn.execute("COMMIT")

    def _write_unless_busy(self, action: Callable[[], None]) -> bool:
        """Run ``action`` in a write transaction if the lock is free now. For work that only
        saves time later (copies, caches): never a wait for another process's write lock,
        never an error on an index that cannot be written (False then)."""
        self.conn.execute("PRAGMA busy_timeout = 0")
        try:
            with self._write():
                action()
        except sqlite3.OperationalError:
            return False
        finally:
            self.conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
        return True


@contextlib.contextmanager
def collector_paused() -> Iterator[None]:
    """Pause Python's cyclic garbage collector while building many acyclic objects.

    Loading 10,000 articles creates some million objects; the collector would walk the
    growing heap again and again, which more than doubles the time. Nothing built here forms
    reference cycles, so nothing is missed; the previous state is restored afterwards.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def reset_schema(conn: sqlite3.Connection) -> None:
    """Drop whatever is there and create empty tables (inside the caller's transaction)."""
    for name in _existing_objects(conn):
        conn.execute(f'DROP TABLE IF EXISTS "{name}"')
    for statement in _split_sql(_SCHEMA):
        conn.execute(statement)
    conn.execute(f"PRAGMA user_version = {INDEX_VERSION}")
    conn.execute(f"PRAGMA application_id = {APPLICATION_ID}")


def _existing_objects(conn: sqlite3.Connection) -> list[str]:
    rows = conn.execute(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
    ).fetchall()
    names = [name for (name,) in rows]
    # Virtual tables first: dropping one also drops its shadow tables.
    virtual = [name for name in _TABLES if name in names]
    return virtual + [name for name in names if name not in virtual]


def _split_sql(script: str) -> list[str]:
    """The schema's statements one by one (executescript would commit our transaction)."""
    statements: list[str] = []
    buffer = ""
    for line in script.splitlines(keepends=True):
        buffer += line
        if sqlite3.complete_statement(buffer):
            statements.append(buffer.strip())
            buffer = ""
    return [statement for statement in statements if statement]


_DAMAGE = ("malformed", "not a database", "corrupt", "no such table", "no such column")


def _write_ahead_logging(conn: sqlite3.Connection) -> str:
    """Switch to WAL (a no-op when the file already uses it). Several processes creating a new
    file at once can see "database is locked" here without SQLite's busy handler being asked:
    try again briefly rather than fall back to an in-memory index."""
    for attempt in range(1, LOCK_ATTEMPTS + 1):
        try:
            return str(conn.execute("PRAGMA journal_mode = WAL").fetchone()[0])
        except sqlite3.OperationalError as exc:
            if not _is_busy(exc) or attempt == LOCK_ATTEMPTS:
                raise
            time.sleep(0.05 * attempt)
    raise AssertionError("unreachable")  # pragma: no cover


def is_corruption(exc: BaseException) -> bool:
    """A damaged file, or tables that are not ours: the index must be rebuilt."""
    if isinstance(exc, StoredDataError):
        return True
    if not isinstance(exc, sqlite3.DatabaseError):
        return False
    text = str(exc).lower()
    return any(words in text for words in _DAMAGE)


def is_unwritable(exc: sqlite3.OperationalError) -> bool:
    """Errors that mean "this index cannot be written now": use one in memory instead."""
    text = str(exc).lower()
    return _is_busy(exc) or any(
        words in text for words in ("readonly", "read-only", "unable to open", "disk i/o", "full")
    )


def _is_busy(exc: sqlite3.OperationalError) -> bool:
    text = str(exc).lower()
    return "locked" in text or "busy" in text


def failure_reason(exc: BaseException) -> str:
    if isinstance(exc, OSError):
        return exc.strerror or exc.__class__.__name__
    return str(exc)
