"""Keeping the index up to date with the content folder: compare the folder's scan
(``core.scan``) with the stored manifest, parse what changed (in a process pool when many
did), write it in one transaction; rebuild from scratch when the index is damaged.
"""

from __future__ import annotations

import contextlib
import os
import sqlite3
import time
from collections.abc import Callable, Iterator, Sequence
from datetime import UTC, datetime
from typing import Any, NamedTuple

from lushbeat_cli.core.config import Config
from lushbeat_cli.core.index.pool import parse_in_pool
from lushbeat_cli.core.index.rows import (
    FILE_COLUMNS,
    UPSERT_ENTRY,
    UPSERT_FILE,
    Progress,
    entry_row,
    file_row,
)
from lushbeat_cli.core.index.store import (
    Store,
    collector_paused,
    failure_reason,
    is_corruption,
    is_unwritable,
    reset_schema,
    settings_key,
)
from lushbeat_cli.core.reading.scan import Scan, manifest_entries, manifest_text, scan_manifest

# Below this many changed files a process pool costs more than it saves.
POOL_THRESHOLD = 2_000
CHECKPOINT_AFTER = 1_000  # rows written by one refresh


class RefreshResult(NamedTuple):
    """What one refresh did: files (re-)read, rows dropped, files seen on disk."""

    parsed: int = 0
    removed: int = 0
    total: int = 0


class Refreshing(Store):
    """A ``Store`` that brings itself up to date with the content folder."""

    def __init__(self, config: Config, *, in_memory: bool = False) -> None:
        # Files listed but not stat-able (dangling symlinks...): never stored, read on load.
        self.unstored: list[str] = []
        self.unreadable_folders: list[tuple[str, str]] = []  # (relative path, reason)
        self._scanned: str | None = None  # a scan taken ahead of the refresh that needs it
        self._recovering = False  # inside recovering(): an inner call leaves damage to it
        super().__init__(config, in_memory=in_memory)

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
                if not is_corruption(exc) or self.path is None:
                    raise
                self.conn = self._recreate(failure_reason(exc))
            self._refresh(None)
            return action()
        finally:
            self._recovering = False

    def rebuild(self, progress: Progress | None = None) -> RefreshResult:
        """Forget everything and read every file again."""

        def clear() -> None:
            with self._write():
                reset_schema(self.conn)
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
            if self.path is None or not is_unwritable(exc):
                raise
            self.close()
            self.conn = self._fall_back(exc)
            return self._refresh(progress)

    def _scan(self) -> str:
        """The content folder as it is now, as manifest text (and the folders it could not
        read; ``_disk`` finds the files it could not stat)."""
        self.unreadable_folders = []
        self.unstored = []
        return scan_manifest(self.root, self.unreadable_folders, self.config.path_rules)

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
            with collector_paused():
                rows = list(self._parse(changed, started, progress))
            if gone:
                self.conn.executemany("DELETE FROM files WHERE path = ?", ((r,) for r in gone))
                self.conn.executemany("DELETE FROM entries WHERE path = ?", ((r,) for r in gone))
            self.conn.executemany(UPSERT_FILE, (row[:FILE_COLUMNS] for row in rows))
            self.conn.executemany(UPSERT_ENTRY, (entry_row(row) for row in rows))
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
            rows = parse_in_pool(self.config, items, progress)
            if rows is not None:
                yield from rows
                return
        for done, item in enumerate(items, start=1):
            yield file_row(self.config, self.root, item)
            if progress and (done % 50 == 0 or done == total):
                progress(done, total)


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
