"""The incremental article index: the one home of sqlite3 (parsed articles + an FTS5 table).

Used by ``core.corpus`` (load the collection) and ``core.search`` (full-text queries). It never
prints: problems come back as notices, and a broken index is rebuilt, never fatal.

It never writes over a file that is not lushbeat's (a cloned repository's config must not cost
anyone a file). ``locate_index``: ``[index] path``, symbolic links resolved, must lie in the
project root or the user's cache folder ($XDG_CACHE_HOME, else ~/.cache), and not be the
config file, a file named like one, or a Markdown file. ``_inspect`` then looks at what is
there (file type and 100-byte header, before SQLite may touch it): nothing, an empty file or
an SQLite file without tables becomes a new index; lushbeat's index (its header carries
``scan.APPLICATION_ID``; one from before that stamp is known by its tables) is used, and
rebuilt if damaged; anything else is refused (ConfigError, exit 2) and left as it is, with
the files SQLite keeps beside it. The one exception is lushbeat's own folder, ``.lushbeat``
right under the project root: bytes there that no SQLite can read are a damaged index and are
rebuilt; a readable database of another program, a folder or a FIFO are refused even there.
Stored values that cannot be decoded (``StoredDataError``) are damage like any other.
"""

from __future__ import annotations

import contextlib
import gc
import json
import os
import sqlite3
import stat
import sys
import time
from collections.abc import Callable, Iterator, Sequence
from datetime import UTC, date, datetime, tzinfo
from operator import itemgetter
from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple

from lushbeat_cli.core.article import (
    Article,
    Status,
    build_article,
    current_time,
    effective_status,
)
from lushbeat_cli.core.config import CONFIG_NAME, PYPROJECT_NAME, Config, setting_error
from lushbeat_cli.core.findings import Finding, Severity
from lushbeat_cli.core.listing import (
    ListedArticle,
    ListedRows,
    RecordFormat,
    listed,
    moment_key,
    text_list,
)
from lushbeat_cli.core.query import order_by_moment, order_by_path
from lushbeat_cli.core.reading import (
    content_root,
    folder_error,
    read_article,
    read_front_matter,
)
from lushbeat_cli.core.scan import (
    APPLICATION_ID,
    ARTICLE_SUFFIXES,
    DEFAULT_INDEX_PATH,
    Scan,
    application_id,
    manifest_entries,
    manifest_text,
    read_header,
    scan_manifest,
)
from lushbeat_cli.errors import ConfigError, ParseError

if TYPE_CHECKING:
    from lushbeat_cli.core.query import ArticleQuery

INDEX_VERSION = 12  # bump whenever the schema or the stored encoding changes
OWN_FOLDER = ".lushbeat"  # lushbeat's folder under the project root (the default index's)
BUSY_TIMEOUT_MS = 60_000
LOCK_ATTEMPTS = 5  # then the refresh moves to an in-memory index rather than fail
# A file modified this close to the moment it was read may change again within the same mtime
# tick without changing size ("racy git"); such rows are re-read on the next refresh.
RACY_WINDOW_NS = 2_000_000_000
# Below this many changed files a process pool costs more than it saves.
POOL_THRESHOLD = 2_000
CHECKPOINT_AFTER = 1_000  # rows written by one refresh
# BM25 column weights: title, summary, tags, body.
WEIGHTS = (10.0, 4.0, 6.0, 1.0)

KIND_ARTICLE = 0
KIND_ERROR = 1
KIND_RAW = 2  # metadata the encoder cannot store exactly: the file is re-parsed on load

Progress = Callable[[int, int], None]

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


# ---------------------------------------------------------------- results


class IndexStats(NamedTuple):
    """What ``lushbeat index`` shows."""

    path: Path | None  # None: in memory
    version: int
    files: int
    articles: int
    errors: int
    size_bytes: int
    last_refresh: datetime | None


class RefreshResult(NamedTuple):
    """What one refresh did: files (re-)read, rows dropped, files seen on disk."""

    parsed: int = 0
    removed: int = 0
    total: int = 0


class Match(NamedTuple):
    """One full-text hit: the file's row id, relative path and score (higher is better)."""

    rowid: int
    path: str
    score: float


class IndexQueryError(Exception):
    """SQLite refused a full-text query (e.g. FTS5 syntax); the caller words the user error."""


class StoredDataError(sqlite3.DatabaseError):
    """A row whose stored values cannot be decoded (or have the wrong shape): damage, handled
    as a corrupt file is (``recovering`` rebuilds the index and tries again)."""


# What decoding damaged text can raise (JSON, ISO dates, base64, enums, unpacking, nesting).
_DECODING = (ValueError, TypeError, KeyError, IndexError, AttributeError, RecursionError)


# ---------------------------------------------------------------- opening


def index_location(config: Config) -> Path:
    """Where the index lives: ``[index] path`` relative to the project root."""
    return config.index_path


def locate_index(config: Config) -> Path:
    """The index file (symbolic links resolved) when ``[index] path`` names a place lushbeat
    may write; a ConfigError (exit 2) naming the setting otherwise: outside the project and
    the user's cache folder (directly or through a symbolic link), the config file, or a
    Markdown file. Nothing is read or written to decide."""
    target = config.index_path
    root = Path(os.path.realpath(config.root))
    setting = config.index_setting
    fresh = f"the index needs a file of its own (the default is {DEFAULT_INDEX_PATH})"
    inside = target == root or _inside(target, root)
    cache = None if inside else _cache_folder()
    if not (inside or (cache and _inside(target, cache))):
        places = f"inside {root}" + (f" or in the cache folder {cache}" if cache else "")
        written = Path(os.path.normpath(root / os.path.expanduser(setting)))
        if _inside(written, root) or (cache is not None and _inside(written, cache)):
            where = f"leads through a symbolic link to {target}, outside the project"
        else:
            where = f"is outside the project ({target})"
        raise _setting_error(config, f"[index] path {setting!r} {where}: use a path {places}")
    source = config.source
    if source is not None and target == Path(os.path.realpath(source)):
        raise _setting_error(config, f"[index] path {setting!r} is the config file: {fresh}")
    if target.name in (CONFIG_NAME, PYPROJECT_NAME):
        raise _setting_error(config, f"[index] path {setting!r} names a config file: {fresh}")
    if target.name.lower().endswith(ARTICLE_SUFFIXES):
        raise _setting_error(
            config, f"[index] path {setting!r} names a Markdown file ({target}): {fresh}"
        )
    return target


def _setting_error(config: Config, message: str) -> ConfigError:
    if "path" in (config.sections or {}).get("index", {}):
        return setting_error(config, "index.path", message)
    return ConfigError(message)  # the default place: through a symbolic link .lushbeat


def _cache_folder() -> Path | None:
    """The user's cache folder ($XDG_CACHE_HOME, else ~/.cache), where an index may also live."""
    configured = os.environ.get("XDG_CACHE_HOME", "")
    if not os.path.isabs(configured):  # the XDG rule: a relative value is ignored
        home = os.path.expanduser("~")
        if not os.path.isabs(home):
            return None
        configured = os.path.join(home, ".cache")
    return Path(os.path.realpath(configured))


def _inside(path: Path, folder: Path) -> bool:
    return path != folder and path.is_relative_to(folder)


def in_own_folder(config: Config, path: Path) -> bool:
    """Whether the index file ``path`` (from ``locate_index``) is in lushbeat's own folder,
    ``.lushbeat`` right under the project root (not a symbolic link): no one keeps a file of
    their own there, so whatever unreadable file sits there is replaced by a new index."""
    return path.parent == Path(os.path.realpath(config.root)) / OWN_FOLDER


# What ``_inspect`` finds at the index location.
_ABSENT = "absent"  # no file: a new index is created
_NEW = "new"  # an empty file, or an SQLite file without tables: nothing to lose
_OURS = "ours"  # a lushbeat index (stamped, or an older lushbeat's tables): used or repaired
_DAMAGED = "damaged"  # unreadable: replaced in lushbeat's own folder, refused elsewhere
_FOREIGN = "foreign"  # someone else's file: always refused
_UNKNOWN = "unknown"  # cannot be looked at (no permission...): SQLite will say, or fall back
_OUR_TABLES = frozenset({"meta", "files", "fts"})  # in every INDEX_VERSION so far
_SIBLINGS = ("-wal", "-shm", "-journal")  # the files SQLite keeps beside a database


def _inspect(path: Path) -> tuple[str, str]:
    """What is at ``path`` (one of the states above) and, for a file that is not an index,
    what it is instead; found from its type and 100-byte header (and, for an SQLite file
    without lushbeat's stamp, its table names, read with SQLite's immutable mode, which
    writes and locks nothing), before SQLite is let near it."""
    text = str(path)
    try:
        info = os.stat(text)
    except FileNotFoundError:
        return _ABSENT, ""
    except OSError:
        return _UNKNOWN, ""
    if not stat.S_ISREG(info.st_mode):
        return _FOREIGN, _file_kind(info.st_mode)
    if info.st_size == 0:
        return _NEW, ""
    header = read_header(text)
    if header is None:
        return _UNKNOWN, ""
    stamp = application_id(header)
    if stamp == APPLICATION_ID:
        return _OURS, ""
    if stamp is None:
        return _DAMAGED, "not an SQLite database"
    if stamp != 0:
        return _FOREIGN, "another program's SQLite database"
    names = _table_names(path)
    if names is None:
        return _DAMAGED, "an SQLite database that cannot be read"
    if names >= _OUR_TABLES:
        return _OURS, ""  # written by a lushbeat from before the stamp
    if names:
        return _FOREIGN, "another program's SQLite database"
    if _has_bytes(text + "-wal"):  # tables in a write-ahead log: whose, no one can say
        return _DAMAGED, "an SQLite database that cannot be read"
    return _NEW, ""


def _file_kind(mode: int) -> str:
    if stat.S_ISDIR(mode):
        return "a folder"
    if stat.S_ISFIFO(mode):
        return "a FIFO"
    if stat.S_ISSOCK(mode):
        return "a socket"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device"
    return "not a regular file"


def _table_names(path: Path) -> set[str] | None:
    """The tables of an SQLite file, read without changing, creating or locking anything."""
    try:
        conn = sqlite3.connect(path.as_uri() + "?mode=ro&immutable=1", uri=True)
        try:
            rows = conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'").fetchall()
        finally:
            conn.close()
    except sqlite3.Error:
        return None
    return {str(name) for (name,) in rows}


def _has_bytes(path: str) -> bool:
    try:
        return os.stat(path).st_size > 0
    except OSError:
        return False


def _not_an_index(path: Path, what: str) -> ConfigError:
    return ConfigError(
        f"not a lushbeat index ({what}); lushbeat never overwrites it: set [index] path in "
        "the config to a new file, or move this one away",
        path=path,
    )


def settings_key(config: Config) -> str:
    """The settings that change what parsing produces, as text stored in the index (compared
    as is: a hash would cost loading hashlib on every command)."""
    return json.dumps(
        [str(config.content_path), config.timezone, config.max_file_size, INDEX_VERSION],
        ensure_ascii=False,
    )


class ArticleIndex:
    """An open index database for one project (a file, or in memory as a fallback)."""

    def __init__(self, config: Config, *, in_memory: bool = False) -> None:
        self.config = config
        self.root = config.content_path
        self.notices: list[str] = []
        # Files listed but not stat-able (dangling symlinks...): never stored, read on load.
        self.unstored: list[str] = []
        self.unreadable_folders: list[tuple[str, str]] = []  # (relative path, reason)
        self._scanned: str | None = None  # a scan taken ahead of the refresh that needs it
        self._recovering = False  # inside recovering(): an inner call leaves damage to it
        self.path: Path | None = None if in_memory else locate_index(config)
        self.own_folder = self.path is not None and in_own_folder(config, self.path)
        self.conn = self._connect()

    # -- connection, schema, recovery ---------------------------------

    def _connect(self) -> sqlite3.Connection:
        if self.path is None:
            return self._open(":memory:")
        state, what = _inspect(self.path)
        if state == _FOREIGN or (state == _DAMAGED and not self.own_folder):
            raise _not_an_index(self.path, what)
        try:
            _make_folder(self.path.parent)
            if state == _DAMAGED:
                return self._recreate(what)
            if state == _ABSENT and not self.own_folder:
                self._refuse_leftovers()
            return self._open(str(self.path), fresh=state in (_ABSENT, _NEW))
        except sqlite3.DatabaseError as exc:
            if _is_corruption(exc):
                return self._recreate(_reason(exc))
            return self._fall_back(exc)
        except OSError as exc:
            return self._fall_back(exc)

    def _refuse_leftovers(self) -> None:
        """Before a new index is created where there is none, outside lushbeat's folder: SQLite
        would reset a journal or write-ahead log found beside it, so one that holds anything
        is refused. (In lushbeat's folder they are an old index's, and SQLite's to deal with.)"""
        assert self.path is not None
        for suffix in _SIBLINGS:
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
                # is not lushbeat's never gets here: see _inspect.)
                _reset_schema(conn)
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
        for a file ``_inspect`` found to be lushbeat's, or unreadable in lushbeat's folder."""
        assert self.path is not None
        with contextlib.suppress(Exception):
            self.conn.close()
        # The database last: a leftover journal without it is never taken for a new index's.
        for suffix in (*_SIBLINGS, ""):
            with contextlib.suppress(FileNotFoundError):
                Path(str(self.path) + suffix).unlink()
        self.notices.append(f"the index at {self.path} was damaged ({reason}); rebuilt it")
        try:
            return self._open(str(self.path), fresh=True)
        except (sqlite3.DatabaseError, OSError) as exc:
            return self._fall_back(exc)

    def _fall_back(self, cause: BaseException) -> sqlite3.Connection:
        reason = _reason(cause)
        self.notices.append(
            f"cannot use the index at {self.path} ({reason}); using a temporary in-memory index"
        )
        self.path = None
        return self._open(":memory:")

    def close(self) -> None:
        with contextlib.suppress(sqlite3.Error):
            self.conn.close()

    def __enter__(self) -> ArticleIndex:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def recovering(self, action: Callable[[], Any]) -> Any:
        """Run ``action``; if the database turns out corrupt, or a row cannot be decoded,
        rebuild it once and retry. Inside another ``recovering``, the outer one retries its
        whole action (row ids, say, are not the same after a rebuild)."""
        if self._recovering:
            return action()
        self._recovering = True
        try:
            try:
                return action()
            except sqlite3.DatabaseError as exc:
                if not _is_corruption(exc) or self.path is None:
                    raise
                self.conn = self._recreate(_reason(exc))
            self._refresh(None)
            return action()
        finally:
            self._recovering = False

    # -- refresh -------------------------------------------------------

    def rebuild(self, progress: Progress | None = None) -> RefreshResult:
        """Forget everything and read every file again."""

        def clear() -> None:
            with self._write():
                _reset_schema(self.conn)
                self.conn.execute(
                    "INSERT INTO meta (key, value) VALUES ('settings', ?)",
                    (settings_key(self.config),),
                )

        self.recovering(clear)
        return self.refresh(progress)

    def refresh(self, progress: Progress | None = None) -> RefreshResult:
        """Bring the index up to date: re-read changed and new files, drop deleted ones.

        An index that can be read but not written (a read-only mount) is used as long as
        nothing changed; otherwise the work moves to an in-memory index.
        """
        try:
            return self.recovering(lambda: self._refresh(progress))  # type: ignore[no-any-return]
        except sqlite3.OperationalError as exc:
            if self.path is None or not _is_unwritable(exc):
                raise
            self.close()
            self.conn = self._fall_back(exc)
            return self._refresh(progress)

    def _scan(self) -> str:
        """The content folder as it is now, as manifest text (and the folders it could not
        read; ``_disk`` finds the files it could not stat)."""
        self.unreadable_folders = []
        self.unstored = []
        return scan_manifest(self.root, self.unreadable_folders)

    def _disk(self, text: str) -> Scan:
        disk = manifest_entries(text)
        self.unstored = sorted(rel for rel, signature in disk.items() if signature is None)
        return disk

    def _refresh(self, progress: Progress | None) -> RefreshResult:
        # The stored manifest first: a child process may still be scanning (core.scan).
        known, count, kept = self._stored_manifest()
        scanned = self._scanned if self._scanned is not None else self._scan()
        self._scanned = None
        if scanned == known:  # nothing changed (racy rows and unstat-able files never match)
            if not kept:  # it had to be rebuilt from the rows: keep it this time
                self._write_unless_busy(lambda: self._store_manifest(self._disk(scanned)))
            return RefreshResult(parsed=0, removed=0, total=count)
        disk = self._disk(scanned)
        try:
            stored = manifest_entries(known)
        except ValueError:  # damaged: the rows say it again
            stored = self._manifest(from_rows=True)
        result, changed, gone = _differences(disk, stored)
        if not changed and not gone:
            # Only the stored text differs (another order, damage): store the scan's, so that
            # the next check is one comparison again, if that costs no wait.
            self._write_unless_busy(lambda: self._store_manifest(disk))
            return result
        with self._write():
            # Another process may have brought the index up to date while this one waited for
            # the write lock (pre-commit starts several hooks at once on a cold index): only
            # what still differs is parsed, so a collection is parsed once, not once a process.
            result, changed, gone = _differences(disk, self._manifest())
            if not changed and not gone:
                return result
            started = time.time_ns()
            with _collector_paused():
                rows = list(self._parse(changed, started, progress))
            if gone:
                self.conn.executemany("DELETE FROM files WHERE path = ?", ((r,) for r in gone))
                self.conn.executemany("DELETE FROM entries WHERE path = ?", ((r,) for r in gone))
            self.conn.executemany(_UPSERT, (row[:_FILE_COLUMNS] for row in rows))
            self.conn.executemany(_UPSERT_ENTRY, (_entry_row(row) for row in rows))
            if self.conn.execute("SELECT 1 FROM records LIMIT 1").fetchone():
                self.conn.executemany(
                    "DELETE FROM records WHERE path = ?",
                    ((rel,) for rel in [*gone, *(row[0] for row in rows)]),
                )
            self.conn.execute(
                "INSERT OR REPLACE INTO meta (key, value) VALUES ('last_refresh', ?)",
                (datetime.now(UTC).isoformat(timespec="seconds"),),
            )
            self.conn.execute("DELETE FROM meta WHERE key = 'terms_fresh'")  # see vocabulary()
            self._store_manifest(disk)
        if len(rows) + len(gone) >= CHECKPOINT_AFTER and self.path is not None:
            # Fold a big write-ahead log back into the database now, not at some later read.
            with contextlib.suppress(sqlite3.OperationalError):
                self.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        return result

    def _store_manifest(self, disk: Scan) -> None:
        """Keep the rows' manifest in the order of the scan ``disk``, so that the next scan of
        an unchanged folder gives the same text (inside a write transaction)."""
        stored = self._manifest(from_rows=True)
        ordered = {rel: stored[rel] for rel in disk if rel in stored}
        ordered.update(stored)
        self.conn.executemany(
            "INSERT OR REPLACE INTO meta (key, value) VALUES (?, ?)",
            [("manifest", manifest_text(ordered)), ("manifest_files", str(len(stored)))],
        )

    def _stored_manifest(self) -> tuple[str, int, bool]:
        """``_manifest`` as ``core.scan.manifest_text`` writes it, its number of files, and
        whether both were stored (False: damaged or missing, so made again from the rows).

        Kept as one value, rewritten in each refresh transaction that changes anything: the
        no-change check of a 100,000-file collection compares two strings, decoding nothing.
        """
        rows = dict(
            self.conn.execute(
                "SELECT key, value FROM meta WHERE key IN ('manifest', 'manifest_files')"
            )
        )
        manifest, files = rows.get("manifest"), rows.get("manifest_files")
        if isinstance(manifest, str) and isinstance(files, str) and files.isdigit():
            return manifest, int(files), True
        stored = self._manifest(from_rows=True)
        return manifest_text(stored), len(stored), False

    def _manifest(self, *, from_rows: bool = False) -> dict[str, str]:
        """Relative path -> "size:mtime_ns" of every stored file ('' for racy rows, so they
        never compare equal)."""
        if not from_rows:
            try:
                return manifest_entries(self._stored_manifest()[0])  # type: ignore[return-value]
            except ValueError:
                pass  # damaged: the rows say it again
        return dict(
            self.conn.execute(
                "SELECT path, CASE WHEN racy THEN '' ELSE size || ':' || mtime_ns END FROM files"
            )
        )

    def _parse(
        self,
        changed: Sequence[tuple[str, str]],
        started: int,
        progress: Progress | None,
    ) -> Iterator[tuple[Any, ...]]:
        total = len(changed)
        if progress:
            progress(0, total)
        items = [
            (rel, int(size), int(mtime_ns), started)
            for rel, signature in changed
            for size, mtime_ns in [signature.split(":")]
        ]
        if total >= POOL_THRESHOLD and (os.cpu_count() or 1) > 1:
            rows = _parse_in_pool(self.config, items, progress)
            if rows is not None:
                yield from rows
                return
        for done, item in enumerate(items, start=1):
            yield _file_row(self.config, self.root, item)
            if progress and (done % 50 == 0 or done == total):
                progress(done, total)

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

    # -- reading -------------------------------------------------------

    def load(self, now: datetime | None = None) -> tuple[list[Article], list[ParseError]]:
        """Every indexed file as an Article or the ParseError it gave, in path order."""
        with _collector_paused():
            return self.recovering(lambda: self._load(None, now))  # type: ignore[no-any-return]

    def load_rows(
        self, rowids: Sequence[int], now: datetime | None = None
    ) -> dict[int, Article | ParseError]:
        """The articles of some rows (for search results), keyed by row id."""
        return self.recovering(  # type: ignore[no-any-return]
            lambda: self._load(("id", rowids), now)
        )

    def _load(self, rows: tuple[str, Sequence[Any]] | None, now: datetime | None) -> Any:
        """Every row (articles and errors, in path order); or, for ``rows`` = (column, values)
        with ``column`` "id" or "path", the items of those rows keyed by that column."""
        select = (
            "SELECT id, path, kind, format, metadata, key_positions, body_line, derived, error,"
            " body FROM files"
        )
        if rows is None:
            cursor = self.conn.execute(select)
        else:
            column, values = rows
            cursor = self.conn.execute(
                f"{select} WHERE {column} IN (SELECT value FROM json_each(?))",
                (json.dumps(list(values), ensure_ascii=False),),
            )
        tz = self.config.tz
        root = self.root
        now = now or current_time()  # one "now" for the whole collection
        loaded: list[tuple[str, int, Article | ParseError]] = []
        for rowid, rel, kind, fmt, meta, positions, body_line, derived, error, body in cursor:
            path = root / rel
            item: Article | ParseError
            if kind == KIND_ARTICLE:
                item = _decode_article(
                    path, fmt, meta, positions, body_line, derived, body, tz, now
                )
            elif kind == KIND_ERROR:
                item = _stored_error(path, error)
            else:
                item = self._read_file(path, now)
            loaded.append((rel, rowid, item))
        if rows is not None:
            return {rel if rows[0] == "path" else rowid: item for rel, rowid, item in loaded}
        loaded.extend((rel, -1, item) for rel, item in self._unindexed(now))
        loaded.sort(key=lambda entry: entry[0])
        articles = [item for _, _, item in loaded if isinstance(item, Article)]
        errors = [item for _, _, item in loaded if isinstance(item, ParseError)]
        return articles, errors

    def listing(
        self, now: datetime | None = None, *, record: RecordFormat | None = None
    ) -> tuple[list[ListedArticle], list[ParseError]]:
        """Every article as ``list`` reads it, and the files that could not be read, both in
        path order: the same collection as ``load``, without building Articles (but for the
        few files only a fresh parse can give). ``record``: each entry carries its record in
        that format (made and kept now for the articles that have none yet)."""
        return self.recovering(lambda: self._listing(now, record))  # type: ignore[no-any-return]

    def _listing(
        self, now: datetime | None, record: RecordFormat | None
    ) -> tuple[list[ListedArticle], list[ParseError]]:
        now = now or current_time()
        now_key = moment_key(now)
        root = self.root
        prefix = os.path.join(str(root), "")
        articles: list[ListedArticle] = []
        errors = self._stored_errors()
        rows = self._entries(
            "e.path, e.kind, e.date_key, e.declared_status, e.tags, e.category, e.authors, e.lang",
            record,
        )
        with _collector_paused():
            for rel, kind, key, declared, tags, category, authors, lang, stored in rows:
                if kind == KIND_ARTICLE:
                    tag_list, author_list = text_list(tags), text_list(authors)
                    if (
                        tag_list is None
                        or author_list is None
                        or type(key) not in _MOMENT_TYPES
                        or not _optional_text(category, lang)
                        or type(stored) not in _OPTIONAL_BLOBS
                    ):
                        raise StoredDataError(f"undecodable listing entry for {rel}")
                    status = _statuses(rel, [(key, declared)], now_key)[0]
                    path = prefix + (rel if os.sep == "/" else rel.replace("/", os.sep))
                    articles.append(
                        ListedArticle(
                            path, key, status, stored, tag_list, category, author_list, lang
                        )
                    )
                elif kind == KIND_RAW:  # metadata only a fresh parse can give
                    item = self._read_file(root / rel, now)
                    if isinstance(item, Article):
                        articles.append(listed(item, record))
                    else:
                        errors.append(item)
        for _, item in self._unindexed(now):
            if isinstance(item, Article):
                articles.append(listed(item, record))
            else:
                errors.append(item)
        if record is not None:
            missing = [entry for entry in articles if entry.record is None]
            if missing:
                made = self._records(record, [_relative(prefix, e.path) for e in missing], now)
                for entry in missing:
                    entry.record = made.get(_relative(prefix, entry.path))
                articles = [entry for entry in articles if entry.record is not None]
        articles.sort(key=lambda entry: entry.path)
        errors.sort(key=lambda error: str(error.path))
        return articles, errors

    def ordered_listing(
        self,
        query: ArticleQuery,
        record: RecordFormat | None,
        now: datetime | None = None,
        *,
        progress: Progress | None = None,
    ) -> tuple[ListedRows, list[ParseError]] | None:
        """Refresh the index, then give an unfiltered listing in the order and up to the limit
        of ``query``, as columns (``ListedRows``: relative paths, effective statuses and, for
        a ``record`` format, the records), and the files that could not be read. No Python
        object per article but the answer. None when this cannot give the same answer as
        ``listing`` (filters, another sort, files that must be parsed again or could not be
        stat-ed): the caller uses ``listing`` (the index is refreshed either way).

        The listing is read ahead of the scan, from the snapshot whose manifest the scan is
        then compared with: when nothing changed and every record is kept (the usual case),
        that reading overlapped a scan still running in a child process (core.scan) and is
        the answer.
        """
        renderable = query.is_unfiltered and query.sort in _LISTING_SORTS

        def read() -> Any:
            return self._ordered(query, record, now, fill=False)

        def read_with_errors() -> Any:
            rows = self._ordered(query, record, now, fill=True)
            # The errors after the scan (it finds unreadable folders), from the same snapshot.
            return None if rows is None else (rows, self.load_errors())

        if renderable and self._scanned is None:
            try:
                answer = self._read_ahead(read, self.load_errors)
            except sqlite3.Error:  # damaged, locked...: the ordinary way knows what to do
                answer = None
            if answer is not None:
                return answer  # type: ignore[no-any-return]
        self.refresh(progress)
        if not renderable or self.unstored:
            return None
        return self.recovering(read_with_errors)  # type: ignore[no-any-return]

    def _read_ahead(self, read: Callable[[], Any], after: Callable[[], Any]) -> Any:
        """(``read()``, ``after()``) on the snapshot the scan finds unchanged, ``read`` before
        the scan and ``after`` after it; None when the scan found changes (it is then kept for
        the refresh that follows) or ``read`` gave None."""
        self.conn.execute("BEGIN")  # one read transaction: manifest and rows of one moment
        try:
            known, _, kept = self._stored_manifest()
            answer = read()
            scanned = self._scan()
            if answer is None or scanned != known or not kept:  # (the refresh repairs it)
                self._scanned = scanned
                return None
            return answer, after()
        finally:
            with contextlib.suppress(sqlite3.Error):
                self.conn.execute("COMMIT")

    def _ordered(
        self, query: ArticleQuery, record: RecordFormat | None, now: datetime | None, fill: bool
    ) -> ListedRows | None:
        """The rows of ``ordered_listing``; None when a file must be parsed again, or (unless
        ``fill``) a record must be made."""
        if self.conn.execute("SELECT 1 FROM entries WHERE kind = 2 LIMIT 1").fetchone():
            return None  # metadata only a fresh parse can give (uses the entries_raw index)
        rows = self._entries("e.path, e.date_key, e.declared_status", record, "WHERE e.kind = 0")
        if not _MOMENT_TYPES.issuperset(map(type, map(itemgetter(1), rows))):
            raise StoredDataError("undecodable listing entry")
        if query.sort == "path":
            rows = order_by_path(rows, itemgetter(0), query.reverse)
        else:
            rows = order_by_moment(rows, itemgetter(0), itemgetter(1), query.reverse)
        if query.limit is not None:
            rows = rows[: query.limit]
        paths = list(map(itemgetter(0), rows))
        now_key = moment_key(now or current_time())
        statuses = _statuses("", [(key, declared) for _, key, declared, _ in rows], now_key)
        if record is None:
            return ListedRows(paths, statuses, None)
        records = list(map(itemgetter(3), rows))
        if None in records:
            if not fill:
                return None
            made = self._records(record, [rel for rel, *_, kept in rows if kept is None], now)
            records = [
                made.get(rel) if kept is None else kept
                for rel, kept in zip(paths, records, strict=True)
            ]
            if None in records:  # changed since the refresh (another process): read it again
                return None
        if not _BLOBS.issuperset(map(type, records)):
            raise StoredDataError("undecodable listing record")
        return ListedRows(paths, statuses, records)

    def _entries(
        self, columns: str, record: RecordFormat | None, where: str = ""
    ) -> list[tuple[Any, ...]]:
        """``columns`` of the entries (``e``) and, last, each one's stored record in the format
        ``record`` (None: none asked for, none kept, or kept by another version)."""
        current = (
            record is not None
            and self.conn.execute(
                "SELECT 1 FROM meta WHERE key = ? AND value = ?",
                (_RECORDS_KEY + record.name, record.version),
            ).fetchone()
        )
        if not current:
            return self.conn.execute(f"SELECT {columns}, NULL FROM entries AS e {where}").fetchall()
        assert record is not None
        return self.conn.execute(
            f"SELECT {columns}, r.record FROM entries AS e LEFT JOIN records AS r"
            f" ON r.path = e.path AND r.format = ? {where}",
            (record.name,),
        ).fetchall()

    def _records(
        self, record: RecordFormat, rels: list[str], now: datetime | None
    ) -> dict[str, bytes]:
        """The records of the articles at ``rels`` (relative paths), made now from their rows
        and kept, in the same write transaction (so a record never outlives its row's data),
        unless the index is busy or cannot be written: then made for this command only.
        Articles no longer stored as such are left out."""
        made: dict[str, bytes] = {}

        def make() -> None:
            made.clear()
            loaded = self._load(("path", rels), now)
            made.update(
                (rel, record.encode(item))
                for rel, item in loaded.items()
                if isinstance(item, Article)
            )

        def make_and_keep() -> None:
            key = _RECORDS_KEY + record.name
            row = self.conn.execute("SELECT value FROM meta WHERE key = ?", (key,)).fetchone()
            if row is None or row[0] != record.version:  # made by another version: all stale
                self.conn.execute("DELETE FROM records WHERE format = ?", (record.name,))
                self.conn.execute(
                    "INSERT OR REPLACE INTO meta (key, value) VALUES (?, ?)", (key, record.version)
                )
            make()
            self.conn.executemany(
                "INSERT OR REPLACE INTO records (path, format, record) VALUES (?, ?, ?)",
                ((rel, record.name, text) for rel, text in made.items()),
            )

        with _collector_paused():
            if not self._write_unless_busy(make_and_keep):
                make()
        for rel in rels:
            if rel not in made:  # changed since the refresh: read now, not kept
                item = self._read_file(self.root / rel, now)
                if isinstance(item, Article):
                    made[rel] = record.encode(item)
        return made

    def _read_file(self, path: Path, now: datetime | None) -> Article | ParseError:
        try:
            return read_article(path, self.config, now)
        except ParseError as exc:
            return exc

    def _unindexed(self, now: datetime | None) -> list[tuple[str, Article | ParseError]]:
        """What the rows do not hold: files the last refresh could list but not stat (read
        now), and folders it could not read (LB112), as (relative path, item)."""
        found = [(rel, self._read_file(self.root / rel, now)) for rel in self.unstored]
        return found + self._folder_errors()

    def load_errors(self) -> list[ParseError]:
        """The files that could not be parsed (stored errors and unstat-able files)."""
        errors = self._stored_errors()
        errors.extend(item for _, item in self._unindexed(None) if isinstance(item, ParseError))
        errors.sort(key=lambda error: str(error.path))
        return errors

    def _stored_errors(self) -> list[ParseError]:
        rows = self.conn.execute("SELECT id FROM files WHERE kind = 1").fetchall()
        stored = self.load_rows([rowid for (rowid,) in rows]).values()
        return [item for item in stored if isinstance(item, ParseError)]

    def _folder_errors(self) -> list[tuple[str, ParseError]]:
        """Folders the last refresh could not read (LB112), as find_article_paths says."""
        return [
            (rel, folder_error(self.root, rel, reason)) for rel, reason in self.unreadable_folders
        ]

    def stats(self) -> IndexStats:
        def read() -> IndexStats:
            counts = dict(
                self.conn.execute(
                    "SELECT kind = 1, count(*) FROM files GROUP BY kind = 1"
                ).fetchall()
            )
            row = self.conn.execute("SELECT value FROM meta WHERE key = 'last_refresh'").fetchone()
            size = 0
            if self.path is not None:
                for suffix in ("", "-wal"):
                    with contextlib.suppress(OSError):
                        size += os.stat(str(self.path) + suffix).st_size
            else:
                pages = self.conn.execute("PRAGMA page_count").fetchone()[0]
                size = pages * self.conn.execute("PRAGMA page_size").fetchone()[0]
            articles, errors = counts.get(0, 0), counts.get(1, 0)
            try:
                last = datetime.fromisoformat(row[0]) if row else None
            except _DECODING:
                raise StoredDataError("undecodable time of the last refresh") from None
            return IndexStats(
                path=self.path,
                version=INDEX_VERSION,
                files=articles + errors,
                articles=articles,
                errors=errors,
                size_bytes=size,
                last_refresh=last,
            )

        return self.recovering(read)  # type: ignore[no-any-return]

    # -- full text -----------------------------------------------------

    def has_term(self, term: str) -> bool:
        row = self.conn.execute("SELECT 1 FROM vocab WHERE term = ? LIMIT 1", (term,)).fetchone()
        return row is not None

    def terms_with_prefix(self, prefix: str, limit: int = 5) -> list[str]:
        """Vocabulary words starting with ``prefix``, most widespread first."""
        upper = prefix[:-1] + chr(ord(prefix[-1]) + 1)
        rows = self.conn.execute(
            "SELECT term FROM vocab WHERE term >= ? AND term < ? ORDER BY doc DESC, term LIMIT ?",
            (prefix, upper, limit),
        )
        return [term for (term,) in rows]

    def vocabulary(self, min_length: int = 0, max_length: int = 1_000) -> list[tuple[str, int]]:
        """Indexed words (of that many characters) with the number of articles holding each.

        Read from the ``terms`` copy, refreshed first if the index changed since it was made;
        an index that cannot be written is read live from ``vocab`` (slower, same answer).
        """

        def copy_terms() -> None:
            if not self._terms_fresh():  # another process may have just done it
                self.conn.execute("DELETE FROM terms")
                self.conn.execute(
                    "INSERT INTO terms (term, doc, size) SELECT term, doc, length(term) FROM vocab"
                )
                self.conn.execute(
                    "INSERT OR REPLACE INTO meta (key, value) VALUES ('terms_fresh', '1')"
                )

        if not self._terms_fresh() and not self._write_unless_busy(copy_terms):
            return list(  # read-only or busy: ask fts5vocab itself
                self.conn.execute(
                    "SELECT term, doc FROM vocab WHERE length(term) BETWEEN ? AND ?",
                    (min_length, max_length),
                )
            )
        # (a damaged copy's rows of another type left out: it only suggests corrections)
        return list(
            self.conn.execute(
                "SELECT term, doc FROM terms WHERE size BETWEEN ? AND ?"
                " AND typeof(term) = 'text' AND typeof(doc) = 'integer'",
                (min_length, max_length),
            )
        )

    def _terms_fresh(self) -> bool:
        row = self.conn.execute("SELECT 1 FROM meta WHERE key = 'terms_fresh'").fetchone()
        return row is not None

    def unindexed(self, now: datetime | None = None) -> list[Article]:
        """The articles no row holds, read from their files: names that are not UTF-8 (no
        database key can hold them) and files the last refresh could list but not stat."""
        return [item for _, item in self._unindexed(now) if isinstance(item, Article)]

    def match(self, expression: str, *, limit: int | None = None) -> Iterator[Match]:
        """Rows matching an FTS5 expression, best first (BM25 with title/tags/summary boosted)."""
        weights = ", ".join(str(weight) for weight in WEIGHTS)
        sql = (
            f"SELECT files.id, files.path, bm25(fts, {weights}) AS rank"
            " FROM fts JOIN files ON files.id = fts.rowid"
            " WHERE fts MATCH ? ORDER BY rank, files.path"
        )
        params: list[Any] = [expression]
        if limit is not None:
            sql += " LIMIT ?"
            params.append(limit)
        try:
            for rowid, path, rank in self.conn.execute(sql, params).fetchall():
                yield Match(rowid, path, float(f"{-rank:.6g}"))
        except sqlite3.OperationalError as exc:
            if _is_corruption(exc):
                raise  # for recovering(): rebuild and retry
            raise IndexQueryError(str(exc)) from None


def match_articles(articles: Sequence[Article], expression: str) -> list[tuple[int, float]]:
    """``(position in articles, score)`` of the articles an FTS5 expression matches, best
    first: as ``ArticleIndex.match`` ranks rows, in a throwaway table (the same tokenizer and
    weights), for the few articles the index cannot hold. Scores are relative to these
    articles only."""
    conn = sqlite3.connect(":memory:")
    try:
        conn.execute(
            "CREATE VIRTUAL TABLE fts USING fts5(title, summary, tags, body,"
            " tokenize = 'unicode61 remove_diacritics 2')"  # as the index's fts table
        )
        conn.executemany(
            "INSERT INTO fts (rowid, title, summary, tags, body) VALUES (?, ?, ?, ?, ?)",
            (
                (number, a.title, a.summary or "", " ".join(a.tags), a.body)
                for number, a in enumerate(articles)
            ),
        )
        weights = ", ".join(str(weight) for weight in WEIGHTS)
        rows = conn.execute(
            f"SELECT rowid, bm25(fts, {weights}) AS rank FROM fts WHERE fts MATCH ?"
            " ORDER BY rank, rowid",
            (expression,),
        ).fetchall()
    except sqlite3.OperationalError as exc:
        raise IndexQueryError(str(exc)) from None
    finally:
        conn.close()
    return [(number, float(f"{-rank:.6g}")) for number, rank in rows]


_UPSERT = """
INSERT INTO files (path, size, mtime_ns, racy, kind, format, metadata, key_positions,
                   body_line, derived, error, title, summary, tags, body)
VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
ON CONFLICT (path) DO UPDATE SET
    size = excluded.size, mtime_ns = excluded.mtime_ns, racy = excluded.racy,
    kind = excluded.kind, format = excluded.format, metadata = excluded.metadata,
    key_positions = excluded.key_positions, body_line = excluded.body_line,
    derived = excluded.derived, error = excluded.error, title = excluded.title,
    summary = excluded.summary, tags = excluded.tags, body = excluded.body
"""
# A parsed row: the files columns, then the entries columns after the path and kind (date_key,
# declared_status, tags, category, authors, lang).
_FILE_COLUMNS = 15
_ENTRY_EXTRA = 6
_UPSERT_ENTRY = """
INSERT OR REPLACE INTO entries
    (path, kind, date_key, declared_status, tags, category, authors, lang)
VALUES (?, ?, ?, ?, ?, ?, ?, ?)
"""


def _entry_row(row: tuple[Any, ...]) -> tuple[Any, ...]:
    """The ``entries`` row of a parsed row (see ``_file_row``)."""
    return (row[0], row[4], *row[_FILE_COLUMNS:])


class IndexReport(NamedTuple):
    """What ``update_index`` did and what the index now holds."""

    stats: IndexStats
    refresh: RefreshResult
    notices: list[str]


def update_index(
    config: Config, *, rebuild: bool = False, progress: Progress | None = None
) -> IndexReport:
    """Refresh (or rebuild) the project's index file and report its statistics."""
    content_root(config)
    with open_index(config) as index:
        done = index.rebuild(progress) if rebuild else index.refresh(progress)
        return IndexReport(index.stats(), done, list(index.notices))


def open_index(config: Config, *, in_memory: bool = False) -> ArticleIndex:
    """Open (creating or repairing as needed) the project's index. A damaged index is rebuilt
    and one that cannot be written is replaced by one in memory (both with a notice); a
    ConfigError when ``[index] path`` names a place or a file lushbeat must not write (see
    the module docstring)."""
    return ArticleIndex(config, in_memory=in_memory)


# ---------------------------------------------------------------- parsing


def _file_row(config: Config, root: Path, item: tuple[str, int, int, int]) -> tuple[Any, ...]:
    """The ``files`` row of one file (see ``_UPSERT`` for the column order)."""
    rel, size, mtime_ns, started = item
    head = (rel, size, mtime_ns, int(mtime_ns >= started - RACY_WINDOW_NS))
    path = root / rel
    try:
        front = read_front_matter(path, config)
    except ParseError as exc:
        error = json.dumps([exc.code, exc.message, exc.line, exc.col], ensure_ascii=False)
        return (*head, KIND_ERROR, *(None,) * 5, error, *(None,) * (4 + _ENTRY_EXTRA))
    article = build_article(path, front, config.tz)
    text = (article.title, article.summary or "", " ".join(article.tags), front.body)
    try:
        metadata = encode_value(front.metadata)
    except TypeError:  # a value the tagged JSON cannot hold exactly: re-parse it on load
        return (*head, KIND_RAW, *(None,) * 6, *text, *(None,) * _ENTRY_EXTRA)
    return (
        *head,
        KIND_ARTICLE,
        front.format,
        metadata,
        _encode_positions(front.key_positions),
        front.body_line,
        _encode_derived(article, config.tz),
        None,
        *text,
        moment_key(article.date),
        article.declared_status.value,
        _text_list(article.tags),
        article.category,
        _text_list(article.authors),
        article.lang,
    )


def _text_list(items: list[str]) -> str:
    return json.dumps(items, ensure_ascii=False, separators=(",", ":"))


def _parse_chunk(args: tuple[Config, list[tuple[str, int, int, int]]]) -> list[tuple[Any, ...]]:
    config, items = args
    if _POOL_PARENT and os.getppid() != _POOL_PARENT:  # orphaned (where no death signal came)
        os._exit(1)
    root = config.content_path
    return [_file_row(config, root, item) for item in items]


_POOL_PARENT = 0  # in a pool worker: the process that started it


def _parse_in_pool(
    config: Config, items: list[tuple[str, int, int, int]], progress: Progress | None
) -> list[tuple[Any, ...]] | None:
    """Parse many files on every core; None if a pool cannot be started here.

    The workers never outlive the command: they die with it however it ends (see
    ``_start_worker``), and a SIGTERM while they work stops them before it ends the command
    (``_workers_stopped_on_sigterm``); any exception (Ctrl-C) stops them without waiting.
    """
    workers = min(os.cpu_count() or 1, 8)
    size = max(100, min(1000, len(items) // (workers * 8) or 1))
    chunks = [items[start : start + size] for start in range(0, len(items), size)]
    rows: list[tuple[Any, ...]] = []
    try:
        import multiprocessing
        from concurrent.futures import ProcessPoolExecutor

        context = multiprocessing.get_context("fork" if os.name == "posix" else "spawn")
        pool = ProcessPoolExecutor(
            max_workers=workers,
            mp_context=context,
            initializer=_start_worker,
            initargs=(os.getpid(),),
        )
    except (OSError, RuntimeError, ImportError):
        return None
    try:
        with _workers_stopped_on_sigterm(pool):
            for chunk_rows in pool.map(_parse_chunk, ((config, chunk) for chunk in chunks)):
                rows.extend(chunk_rows)
                if progress:
                    progress(len(rows), len(items))
    except (OSError, RuntimeError):  # (a BrokenProcessPool is a RuntimeError)
        _stop_workers(pool)
        return None
    except BaseException:
        _stop_workers(pool)
        raise
    pool.shutdown()
    return rows


def _start_worker(parent: int) -> None:
    """A pool worker's first step: die when its parent does, even by SIGKILL (Linux: the
    parent-death signal; elsewhere ``_parse_chunk`` checks before each chunk), and take the
    default action on SIGTERM and SIGINT rather than the parent's handlers."""
    global _POOL_PARENT
    import signal

    _POOL_PARENT = parent
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the parent's to handle
    if sys.platform.startswith("linux"):
        with contextlib.suppress(OSError, AttributeError):
            import ctypes

            libc = ctypes.CDLL(None, use_errno=True)
            libc.prctl(_PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
    if os.getppid() != parent:  # the parent died before the signal was asked for
        os._exit(1)


_PR_SET_PDEATHSIG = 1  # <linux/prctl.h>


def _kill_workers(pool: Any) -> None:
    """SIGKILL to every worker of a pool: no lock taken, so safe in a signal handler."""
    import signal

    kill = getattr(signal, "SIGKILL", signal.SIGTERM)  # (Windows has no SIGKILL)
    for pid in list(getattr(pool, "_processes", None) or ()):  # pid -> process
        with contextlib.suppress(OSError):
            os.kill(pid, kill)


def _stop_workers(pool: Any) -> None:
    """End a pool at once: its workers killed, nothing waited for."""
    _kill_workers(pool)
    with contextlib.suppress(Exception):
        pool.shutdown(wait=False, cancel_futures=True)


@contextlib.contextmanager
def _workers_stopped_on_sigterm(pool: Any) -> Iterator[None]:
    """While the pool works: a SIGTERM kills its workers, then ends this process as SIGTERM
    would have (status 128 + 15, no traceback). Only where SIGTERM still has its default
    action and this is the main thread (a program that handles SIGTERM itself keeps it)."""
    import signal
    import threading

    if (
        threading.current_thread() is not threading.main_thread()
        or signal.getsignal(signal.SIGTERM) is not signal.SIG_DFL
    ):
        yield
        return

    def stop(signum: int, frame: Any) -> None:
        _kill_workers(pool)
        signal.signal(signum, signal.SIG_DFL)
        os.kill(os.getpid(), signum)

    signal.signal(signal.SIGTERM, stop)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, signal.SIG_DFL)


# ---------------------------------------------------------------- tagged JSON

# Front-matter values that JSON lacks are stored as one-key objects with a "$" tag, so that a
# date comes back as a date, a datetime with its offset, bytes as bytes. A real one-key mapping
# whose key starts with "$" is escaped with "$map", and so is a mapping with non-text keys.
_TAGS = ("$datetime", "$date", "$bytes", "$set", "$tuple", "$map")


def encode_value(value: Any) -> str:
    return json.dumps(_tag(value), ensure_ascii=False, separators=(",", ":"))


def decode_value(text: str) -> Any:
    if '"$' not in text:
        return json.loads(text)
    return json.loads(text, object_hook=_untag)


def _tag(value: Any) -> Any:
    if value is None or isinstance(value, bool | int | float | str):
        return value
    if isinstance(value, list):
        return [_tag(item) for item in value]
    if isinstance(value, dict):
        if all(type(key) is str for key in value) and not (
            len(value) == 1 and next(iter(value)).startswith("$")
        ):
            return {key: _tag(item) for key, item in value.items()}
        return {"$map": [[_tag(key), _tag(item)] for key, item in value.items()]}
    if isinstance(value, datetime):
        if value.fold:  # never from a parser, but kept exact: [text, fold]
            return {"$datetime": [value.isoformat(), value.fold]}
        return {"$datetime": value.isoformat()}
    if isinstance(value, date):
        return {"$date": value.isoformat()}
    if isinstance(value, bytes):
        import base64  # rare: binary YAML values

        return {"$bytes": base64.b64encode(value).decode("ascii")}
    if isinstance(value, tuple):
        return {"$tuple": [_tag(item) for item in value]}
    if isinstance(value, set | frozenset):
        try:
            items = sorted(value)
        except TypeError:
            items = list(value)
        return {"$set": [_tag(item) for item in items]}
    raise TypeError(f"cannot store {type(value).__name__}")


def _untag(obj: dict[str, Any]) -> Any:
    if len(obj) != 1:
        return obj
    key, value = next(iter(obj.items()))
    if key not in _TAGS:
        return obj
    if key == "$datetime":
        if isinstance(value, list):
            return datetime.fromisoformat(value[0]).replace(fold=value[1])
        return datetime.fromisoformat(value)
    if key == "$date":
        return date.fromisoformat(value)
    if key == "$bytes":
        import base64

        return base64.b64decode(value)
    if key == "$tuple":
        return tuple(value)
    if key == "$set":
        return set(value)
    return {_hashable(k): v for k, v in value}


def _hashable(key: Any) -> Any:
    if isinstance(key, list):
        return tuple(_hashable(item) for item in key)
    return key


# ---------------------------------------------------------------- derived fields
# What build_article derived from the front matter is stored too, so that loading 100,000
# articles is a decode, not a re-derivation. The effective status depends on "now" and is
# computed at load time. A date that took the configured time zone is stored without offset
# and given the (same) zone back, so it is the very same value, zone object included.


def _encode_derived(article: Article, tz: tzinfo) -> str:
    findings = [[f.line, f.col, f.code, f.message, f.severity.value] for f in article.findings]
    return json.dumps(
        [
            findings,
            article.title,
            article.slug,
            _encode_moment(article.date, tz),
            _encode_moment(article.updated, tz),
            article.authors,
            article.category,
            article.tags,
            article.summary,
            article.declared_status.value,
            article.lang,
            article.related,
        ],
        ensure_ascii=False,
        separators=(",", ":"),
    )


def _encode_moment(moment: datetime | None, tz: tzinfo) -> list[Any] | None:
    if moment is None:
        return None
    if moment.tzinfo is tz or moment.tzinfo == tz:
        return [moment.replace(tzinfo=None).isoformat(), 1]
    return [moment.isoformat(), 0]


def _decode_moment(value: list[Any] | None, tz: tzinfo) -> datetime | None:
    if value is None:
        return None
    moment = datetime.fromisoformat(value[0])
    if value[1]:
        return moment.replace(tzinfo=tz)
    if moment.tzinfo is None:  # stored with its offset: damage
        raise ValueError("a stored moment without its offset")
    return moment


def _decode_article(
    path: Path,
    fmt: str,
    meta: str,
    positions: str,
    body_line: int,
    derived: str,
    body: str,
    tz: tzinfo,
    now: datetime,
) -> Article:
    """The Article of a stored row; StoredDataError when the row cannot give a sound one:
    JSON that does not decode, or decodes to other types than parsing gives (damage can give
    valid JSON of another shape, which would fail far from here). The checks are C loops
    (``issuperset(map(type, ...))``): loading stays a decode."""
    try:
        (
            findings,
            title,
            slug,
            when,
            updated,
            authors,
            category,
            tags,
            summary,
            declared,
            lang,
            related,
        ) = json.loads(derived)
        sound = (
            type(title) is str
            and type(slug) is str
            and type(body) is str
            and type(fmt) is str
            and type(body_line) is int
            and _OPTIONAL_TEXT.issuperset(map(type, (category, summary, lang)))
            and type(authors) is list
            and type(tags) is list
            and type(related) is list
            and _TEXT.issuperset(map(type, authors + tags + related))
            and type(findings) is list
            and (not findings or _sound_findings(findings))
        )
        if sound:
            moment = _decode_moment(when, tz)
            declared_status = Status(declared)
            metadata = decode_value(meta)
            sound = type(metadata) is dict
    except _DECODING:
        sound = False
    if not sound:
        raise StoredDataError(f"undecodable entry for {path.name}")
    try:
        key_positions = _decode_positions(positions)
        updated_moment = _decode_moment(updated, tz)
    except _DECODING:
        raise StoredDataError(f"undecodable entry for {path.name}") from None
    return Article(
        path=path,
        metadata=metadata,
        body=body,
        format=fmt,
        key_positions=key_positions,
        body_line=body_line,
        findings=[
            Finding(path, line, col, code, message, Severity(severity))
            for line, col, code, message, severity in findings
        ],
        title=title,
        slug=slug,
        date=moment,
        updated=updated_moment,
        authors=authors,
        category=category,
        tags=tags,
        summary=summary,
        declared_status=declared_status,
        lang=lang,
        related=related,
        status=effective_status(declared_status, moment, now),
    )


def _sound_findings(findings: Any) -> bool:
    """Whether stored findings are [line, col, code, message, severity] lists as stored."""
    return all(
        type(found) is list
        and len(found) == 5
        and type(found[0]) is int
        and type(found[1]) is int
        and type(found[2]) is str
        and type(found[3]) is str
        and found[4] in _SEVERITIES
        for found in findings
    )


def _texts(*lists: Any) -> bool:
    """Whether each of ``lists`` is a list of text."""
    return all(type(items) is list and _TEXT.issuperset(map(type, items)) for items in lists)


def _optional_text(*values: Any) -> bool:
    return _OPTIONAL_TEXT.issuperset(map(type, values))


_TEXT = frozenset({str})
_OPTIONAL_TEXT = frozenset({str, type(None)})
_NUMBER = frozenset({int})
_SEVERITIES = frozenset(severity.value for severity in Severity)


_MOMENT_TYPES = frozenset({int, type(None)})
_OPTIONAL_BLOBS = frozenset({bytes, type(None)})
_BLOBS = frozenset({bytes})
_STATUSES = {status.value: status for status in Status}
_LISTING_SORTS = ("date", "path")  # the orders ordered_listing gives
_RECORDS_KEY = "records "  # + a RecordFormat's name: the meta key of its version


def _statuses(rel: str, rows: list[tuple[Any, Any]], now_key: Any) -> list[Status]:
    """The effective status of each (moment key, declared status) stored for a listing:
    ``core.article.effective_status``, the one rule."""
    try:
        return [effective_status(_STATUSES[declared], key, now_key) for key, declared in rows]
    except (KeyError, TypeError):
        raise StoredDataError(f"undecodable listing entry {rel}".rstrip()) from None


def _relative(prefix: str, path: str) -> str:
    """The index's key of a file (``prefix``: the content folder and a separator)."""
    rel = path[len(prefix) :]
    return rel if os.sep == "/" else rel.replace(os.sep, "/")


def _differences(
    disk: dict[str, str | None], known: dict[str, str]
) -> tuple[RefreshResult, list[tuple[str, str]], list[str]]:
    """What a refresh must do: (relative path, signature) of new or changed files, and the
    stored paths no longer on disk (or no longer stat-able)."""
    changed = [
        (rel, signature)
        for rel, signature in disk.items()
        if signature is not None and known.get(rel) != signature
    ]
    gone = [rel for rel in known if disk.get(rel) is None]
    return RefreshResult(parsed=len(changed), removed=len(gone), total=len(disk)), changed, gone


def _stored_error(path: Path, error: str) -> ParseError:
    try:
        code, message, line, col = json.loads(error)
        sound = _texts([code, message]) and set(map(type, (line, col))) <= _OPTIONAL_NUMBER
    except _DECODING:
        sound = False
    if not sound:
        raise StoredDataError(f"undecodable error entry for {path.name}")
    return ParseError(message, code=code, path=path, line=line, col=col)


_OPTIONAL_NUMBER = frozenset({int, type(None)})


def _encode_positions(positions: dict[str, tuple[int, int]]) -> str:
    # Three parallel lists: decoding them is one zip, not a loop.
    keys = list(positions)
    lines = [positions[key][0] for key in keys]
    cols = [positions[key][1] for key in keys]
    return json.dumps([keys, lines, cols], ensure_ascii=False, separators=(",", ":"))


def _decode_positions(text: str) -> dict[str, tuple[int, int]]:
    keys, lines, cols = json.loads(text)
    if not _NUMBER.issuperset(map(type, lines + cols)):  # (and both lists: else TypeError)
        raise ValueError("positions that are not line and column numbers")
    return dict(zip(keys, zip(lines, cols, strict=True), strict=True))


# ---------------------------------------------------------------- helpers


@contextlib.contextmanager
def _collector_paused() -> Iterator[None]:
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


def _make_folder(folder: Path) -> None:
    """Create the index folder; a new one gets a ``.gitignore`` so git never picks it up."""
    if folder.is_dir():
        return
    folder.mkdir(parents=True)
    with contextlib.suppress(OSError):
        (folder / ".gitignore").write_text(
            "# Created by lushbeat: the article index is a cache, never commit it.\n*\n",
            encoding="utf-8",
        )


def _reset_schema(conn: sqlite3.Connection) -> None:
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


def _is_corruption(exc: BaseException) -> bool:
    """A damaged file, or tables that are not ours: the index must be rebuilt."""
    if isinstance(exc, StoredDataError):
        return True
    if not isinstance(exc, sqlite3.DatabaseError):
        return False
    text = str(exc).lower()
    return any(words in text for words in _DAMAGE)


def _is_unwritable(exc: sqlite3.OperationalError) -> bool:
    """Errors that mean "this index cannot be written now": use one in memory instead."""
    text = str(exc).lower()
    return _is_busy(exc) or any(
        words in text for words in ("readonly", "read-only", "unable to open", "disk i/o", "full")
    )


def _is_busy(exc: sqlite3.OperationalError) -> bool:
    text = str(exc).lower()
    return "locked" in text or "busy" in text


def _reason(exc: BaseException) -> str:
    if isinstance(exc, OSError):
        return exc.strerror or exc.__class__.__name__
    return str(exc)
