"""Reading the index back: every article (``load``), some rows (search hits), the files that
could not be parsed, and the statistics ``lushbeat index`` shows.
"""

from __future__ import annotations

import contextlib
import json
import os
from collections.abc import Sequence
from datetime import datetime
from pathlib import Path
from typing import Any, NamedTuple

from lushbeat_cli.core.article import Article, current_time
from lushbeat_cli.core.index.codec import DECODING, decode_article, stored_error
from lushbeat_cli.core.index.refresh import Refreshing
from lushbeat_cli.core.index.store import (
    INDEX_VERSION,
    KIND_ARTICLE,
    KIND_ERROR,
    StoredDataError,
    collector_paused,
)
from lushbeat_cli.core.reading.articles import folder_error, read_article
from lushbeat_cli.errors import ParseError


class IndexStats(NamedTuple):
    """What ``lushbeat index`` shows."""

    path: Path | None  # None: in memory
    version: int
    files: int
    articles: int
    errors: int
    size_bytes: int
    last_refresh: datetime | None


class Loading(Refreshing):
    """Reading articles, errors and statistics back from the index."""

    def load(self, now: datetime | None = None) -> tuple[list[Article], list[ParseError]]:
        """Every indexed file as an Article or the ParseError it gave, in path order."""
        with collector_paused():
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
                item = decode_article(path, fmt, meta, positions, body_line, derived, body, tz, now)
            elif kind == KIND_ERROR:
                item = stored_error(path, error)
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
            except DECODING:
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

    def unindexed(self, now: datetime | None = None) -> list[Article]:
        """The articles no row holds, read from their files: names that are not UTF-8 (no
        database key can hold them) and files the last refresh could list but not stat."""
        return [item for _, item in self._unindexed(now) if isinstance(item, Article)]
