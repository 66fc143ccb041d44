"""The incremental article index: the one home of sqlite3 (parsed articles, what ``list`` reads,
and an FTS5 full-text table), refreshed from the content folder before each use.

Used by ``core.corpus`` (load the collection), ``core.search`` (full-text queries) and the
``index`` command. It never prints: problems come back as notices, and a broken index is
rebuilt, never fatal. The package, each part on top of the one before:

- ``location``: where the index may live, and what is there before SQLite touches it;
- ``store``: the schema, the connection, recovery, write transactions (``Store``);
- ``codec``: how values are stored in columns and read back, checked;
- ``rows`` and ``pool``: one file as the index's rows; many files on every core;
- ``refresh``: keeping the index up to date with the folder (``Refreshing``);
- ``loading``: articles, errors and statistics read back (``Loading``);
- ``entries``: what ``list`` reads, ordered in Python (``Listings``);
- ``fts``: full-text queries and the vocabulary (``FullText``).
"""

from __future__ import annotations

from typing import NamedTuple

from lushbeat_cli.core.config import Config
from lushbeat_cli.core.index.entries import Listings
from lushbeat_cli.core.index.fts import FullText, IndexQueryError, Match, match_articles
from lushbeat_cli.core.index.loading import IndexStats
from lushbeat_cli.core.index.location import in_own_folder, index_location, locate_index
from lushbeat_cli.core.index.refresh import RefreshResult
from lushbeat_cli.core.index.rows import Progress
from lushbeat_cli.core.index.store import INDEX_VERSION, StoredDataError, settings_key
from lushbeat_cli.core.reading.articles import content_root

__all__ = [
    "INDEX_VERSION",
    "ArticleIndex",
    "IndexQueryError",
    "IndexReport",
    "IndexStats",
    "Match",
    "RefreshResult",
    "StoredDataError",
    "in_own_folder",
    "index_location",
    "locate_index",
    "match_articles",
    "open_index",
    "settings_key",
    "update_index",
]


class ArticleIndex(FullText, Listings):
    """An open index for one project (a file, or in memory as a fallback): a ``Store`` that
    refreshes itself and reads back articles, listings and full-text matches."""


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
    ``location``)."""
    return ArticleIndex(config, in_memory=in_memory)
