"""What ``lushbeat list`` reads from the index: each article's entry (typed columns) and the
record ``render`` asked the index to keep for it (``core.listing.RecordFormat``). The
effective status (``core.article.effective_status``) and the order (``core.query``) are
computed here in Python, never in SQL.
"""

from __future__ import annotations

import contextlib
import os
import sqlite3
from collections.abc import Callable, Iterable
from datetime import datetime
from operator import itemgetter
from typing import TYPE_CHECKING, Any

from lushbeat_cli.core.article import Article, Status, current_time, effective_status
from lushbeat_cli.core.index.codec import decode_text_list, optional_text
from lushbeat_cli.core.index.loading import Loading
from lushbeat_cli.core.index.rows import Progress
from lushbeat_cli.core.index.store import KIND_ARTICLE, KIND_RAW, StoredDataError, collector_paused
from lushbeat_cli.core.listing import ListedArticle, ListedRows, RecordFormat, listed, moment_key
from lushbeat_cli.core.query import order_by_moment, order_by_path
from lushbeat_cli.errors import ParseError

if TYPE_CHECKING:
    from lushbeat_cli.core.query import ArticleQuery

_MOMENT_TYPES = frozenset({int, type(None)})
_OPTIONAL_BLOBS = frozenset({bytes, type(None)})
_BLOBS = frozenset({bytes})
_STATUSES = {status.value: status for status in Status}
_LISTING_SORTS = ("date", "path")  # the orders ordered_listing gives
_RECORDS_KEY = "records "  # + a RecordFormat's name: the meta key of its version


class Listings(Loading):
    """Reading ``list``'s entries and kept records."""

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
        with collector_paused():
            for rel, kind, key, declared, tags, category, authors, lang, stored in rows:
                if kind == KIND_ARTICLE:
                    tag_list, author_list = decode_text_list(tags), decode_text_list(authors)
                    if (
                        tag_list is None
                        or author_list is None
                        or type(key) not in _MOMENT_TYPES
                        or not optional_text(category, lang)
                        or type(stored) not in _OPTIONAL_BLOBS
                    ):
                        raise StoredDataError(f"undecodable listing entry for {rel}")
                    (status,) = _statuses([key], [declared], now_key, rel)
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
        statuses = _statuses(map(itemgetter(1), rows), map(itemgetter(2), rows), now_key)
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
        unless the index is busy or cannot be written: then made for this command only. An
        article whose row changed since the refresh (another process) is read from its file,
        and its record not kept."""
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

        with collector_paused():
            if not self._write_unless_busy(make_and_keep):
                make()
        for rel in rels:
            if rel not in made:  # changed since the refresh: read now, not kept
                item = self._read_file(self.root / rel, now)
                if isinstance(item, Article):
                    made[rel] = record.encode(item)
        return made


def _statuses(
    keys: Iterable[Any], declared: Iterable[Any], now_key: Any, rel: str = ""
) -> list[Status]:
    """The effective status of each entry from its stored moment key and declared status:
    ``core.article.effective_status``, the one rule (``rel``: the entry, for the error)."""
    try:
        return [
            effective_status(_STATUSES[said], key, now_key)
            for key, said in zip(keys, declared, strict=True)
        ]
    except (KeyError, TypeError):
        raise StoredDataError(f"undecodable listing entry {rel}".rstrip()) from None


def _relative(prefix: str, path: str) -> str:
    """The index's key of a file (``prefix``: the content folder and a separator)."""
    rel = path[len(prefix) :]
    return rel if os.sep == "/" else rel.replace(os.sep, "/")
