"""Load the articles under a content root: through the index (``core.index``), or file by
file (``core.reading``).

One unreadable or malformed file never stops the others: it is returned as a ``ParseError``
next to the articles that loaded.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

from lushbeat_cli.core.article import Article
from lushbeat_cli.core.config import Config
from lushbeat_cli.core.reading.articles import content_root, find_article_paths, iter_articles
from lushbeat_cli.core.slotted import Slotted
from lushbeat_cli.errors import ParseError

if TYPE_CHECKING:
    from lushbeat_cli.core.listing import ListedArticle, ListedRows, RecordFormat
    from lushbeat_cli.core.query import ArticleQuery


class Corpus(Slotted):
    """The articles that loaded, and the files that did not."""

    __slots__ = ("articles", "errors", "notices", "root")

    def __init__(
        self,
        root: Path,
        articles: list[Article] | None = None,
        errors: list[ParseError] | None = None,
        notices: list[str] | None = None,  # e.g. "index unusable; in memory"
    ) -> None:
        self.root = root
        self.articles = articles if articles is not None else []
        self.errors = errors if errors is not None else []
        self.notices = notices if notices is not None else []

    def by_slug(self) -> dict[str, list[Article]]:
        slugs: dict[str, list[Article]] = {}
        for article in self.articles:
            slugs.setdefault(article.slug, []).append(article)
        return slugs


def load_corpus(
    config: Config,
    now: datetime | None = None,
    *,
    use_index: bool = True,
    progress: Callable[[int, int], None] | None = None,
) -> Corpus:
    """Every article under the configured content directory, in path order.

    By default the files are read through the incremental index (``core.index``): only files
    whose size or mtime changed are parsed again. ``use_index=False`` (the ``--no-index`` flag,
    or ``[index] enabled = false``) parses every file directly; both give the same result.
    ``progress(done, total)`` is called while files are (re-)read.
    """
    root = content_root(config)
    corpus = Corpus(root=root)
    if use_index and config.index_enabled:
        from lushbeat_cli.core.index import open_index

        with open_index(config) as index:
            index.refresh(progress)
            corpus.articles, corpus.errors = index.load(now)
            corpus.notices.extend(index.notices)
        return corpus
    paths = find_article_paths(root, corpus.errors, config.path_rules)
    for item in iter_articles(paths, config, now):
        if isinstance(item, ParseError):
            corpus.errors.append(item)
        else:
            corpus.articles.append(item)
    corpus.errors.sort(key=lambda error: str(error.path))
    return corpus


class Listing(Slotted):
    """The collection as ``list`` reads it: one entry per article, no Articles.

    ``rows`` is set instead of ``entries`` when the listing came in order already: the
    articles to print, sorted and limited (see ``load_listing``).
    """

    __slots__ = ("entries", "errors", "notices", "rows")

    def __init__(
        self,
        entries: list[ListedArticle] | None = None,
        errors: list[ParseError] | None = None,
        notices: list[str] | None = None,
        rows: ListedRows | None = None,
    ) -> None:
        self.entries = entries if entries is not None else []
        self.errors = errors if errors is not None else []
        self.notices = notices if notices is not None else []
        self.rows = rows


def load_listing(
    config: Config,
    now: datetime | None = None,
    *,
    use_index: bool = True,
    progress: Callable[[int, int], None] | None = None,
    record: RecordFormat | None = None,
    ordered: ArticleQuery | None = None,
) -> Listing:
    """``load_corpus`` for ``list``: the same articles and errors, in path order, as entries
    that carry what list filters and sorts on and, for a ``record`` format, each article's
    record in it.

    From the index this builds no Article objects (but for the rare file only a fresh parse
    can give), and reads each record as kept (made once, the first time it is asked for);
    without the index every file is parsed as ``load_corpus`` does. With ``ordered`` (a query),
    the index may answer with ``rows`` instead: the articles in the query's order, limited,
    when the query filters nothing (``ArticleIndex.ordered_listing``).
    """
    from lushbeat_cli.core.listing import listed

    if use_index and config.index_enabled:
        from lushbeat_cli.core.index import open_index

        content_root(config)
        with open_index(config) as index:
            if ordered is None:
                index.refresh(progress)
                found = None
            else:
                found = index.ordered_listing(ordered, record, now, progress=progress)
            if found is not None:
                return Listing(errors=found[1], notices=list(index.notices), rows=found[0])
            entries, errors = index.listing(now, record=record)
            return Listing(entries, errors, list(index.notices))
    corpus = load_corpus(config, now, use_index=False, progress=progress)
    entries = [listed(article, record) for article in corpus.articles]
    return Listing(entries, corpus.errors, corpus.notices)
