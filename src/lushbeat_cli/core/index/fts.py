"""Full-text search over the index's FTS5 table: matching expressions ranked by BM25, and the
vocabulary typo correction reads (``core.search`` words the queries).
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator, Sequence
from typing import Any, NamedTuple

from lushbeat_cli.core.article import Article
from lushbeat_cli.core.index.store import Store, is_corruption

# BM25 column weights: title, summary, tags, body.
WEIGHTS = (10.0, 4.0, 6.0, 1.0)


class Match(NamedTuple):
    """One full-text hit: the file's row id, relative path and score (higher is better)."""

    rowid: int
    path: str
    score: float


class IndexQueryError(Exception):
    """SQLite refused a full-text query (e.g. FTS5 syntax); the caller words the user error."""


class FullText(Store):
    """Full-text queries and the vocabulary."""

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
            if is_corruption(exc):
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
