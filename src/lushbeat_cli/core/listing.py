"""The data of ``lushbeat list``: each article's listed fields, and its record as ``render``
writes it, kept by the index between runs.

The index stores data (publication moment, declared status, tags, category, authors, lang)
in typed columns; the effective status and the order are computed in Python
(``core.article.effective_status``, ``core.query``), never in SQL. The record printed for each
article belongs to ``render``: it hands the index a ``RecordFormat`` (a name, a version and an
``encode`` function), and the index keeps each article's encoded record, as opaque bytes,
until the file or the version changes (``index.ArticleIndex.listing``). A listing of 10,000
articles then joins stored records instead of encoding each one.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import NamedTuple

from lushbeat_cli.core.article import Article, Status
from lushbeat_cli.core.slotted import Slotted

_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
_MICROSECOND = timedelta(microseconds=1)


class RecordFormat(NamedTuple):
    """How ``render`` writes one article's record, for the index to keep (``render.machine``
    makes these). ``encode`` gives the record's bytes for an article; what they hold is
    render's business (the index stores them as they are). Records stored under another
    ``version`` of the same ``name`` are made again."""

    name: str
    version: str
    encode: Callable[[Article], bytes]


def moment_key(moment: datetime | None) -> int | None:
    """An aware datetime as microseconds since 1970 (UTC); None stays None. Orders like the
    instants (``core.query`` sorts and ``core.article.effective_status`` compares with it)."""
    return None if moment is None else (moment - _EPOCH) // _MICROSECOND


class ListedArticle(Slotted):
    """One article as ``list`` reads it from the index, without the Article behind it.

    ``path`` is the absolute path as text; ``date`` the publication moment as a
    ``moment_key``; ``record`` what the listing's ``RecordFormat`` encoded (None: no record
    was asked for). With ``status``, ``tags``, ``category``, ``authors`` and ``lang`` these
    have the names ``core.query`` reads, so listings filter and sort exactly like articles.
    """

    __slots__ = ("authors", "category", "date", "lang", "path", "record", "status", "tags")

    def __init__(
        self,
        path: str,
        date: int | None,
        status: Status,
        record: bytes | None,
        tags: list[str],
        category: str | None,
        authors: list[str],
        lang: str | None,
    ) -> None:
        self.path = path
        self.date = date
        self.status = status
        self.record = record
        self.tags = tags
        self.category = category
        self.authors = authors
        self.lang = lang


class ListedRows(NamedTuple):
    """A listing in the order it prints, as columns: each article's path (relative to the
    content folder, with "/", from the index's ``ordered_listing``; absolute from
    ``listed_rows``), effective status and record (``records`` None: no format asked for)."""

    paths: list[str]
    statuses: list[Status]
    records: list[bytes] | None


def listed_rows(entries: list[ListedArticle], *, records: bool) -> ListedRows:
    """Entries (filtered and sorted already) as the columns a listing prints."""
    found: list[bytes] | None = None
    if records:
        found = [entry.record for entry in entries if entry.record is not None]
        if len(found) != len(entries):
            raise ValueError("a listing entry without its record")  # (listing() makes them)
    return ListedRows([entry.path for entry in entries], [entry.status for entry in entries], found)


def listed(article: Article, record: RecordFormat | None = None) -> ListedArticle:
    """The listing entry of a parsed article (its record encoded now, when asked for)."""
    return ListedArticle(
        str(article.path),
        moment_key(article.date),
        article.status,
        None if record is None else record.encode(article),
        article.tags,
        article.category,
        article.authors,
        article.lang,
    )
