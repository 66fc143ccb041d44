"""lushbeat: create, validate, list, search and export Markdown articles with front matter.

The library API below works without the CLI (loaded lazily, so ``lushbeat --version`` stays
instant)::

    from lushbeat_cli import load_config, load_corpus, ArticleQuery, select_articles
    config = load_config(Path("examples"))
    articles = select_articles(load_corpus(config).articles, ArticleQuery(tags=("venezuela",)))
"""

from __future__ import annotations

# Not typing.TYPE_CHECKING: importing typing costs every command some 5 ms before it can start
# its work (mypy reads any constant of this name as true).
TYPE_CHECKING = False

__version__ = "0.1.0"

_API = {
    "Article": "lushbeat_cli.core.article",
    "Status": "lushbeat_cli.core.article",
    "parse_date": "lushbeat_cli.core.article",
    "slugify": "lushbeat_cli.core.article",
    "Config": "lushbeat_cli.core.config",
    "load_config": "lushbeat_cli.core.config",
    "Corpus": "lushbeat_cli.core.reading.corpus",
    "find_article_paths": "lushbeat_cli.core.reading.articles",
    "load_corpus": "lushbeat_cli.core.reading.corpus",
    "read_article": "lushbeat_cli.core.reading.articles",
    "Finding": "lushbeat_cli.core.findings",
    "Severity": "lushbeat_cli.core.findings",
    "ArticleQuery": "lushbeat_cli.core.query",
    "select_articles": "lushbeat_cli.core.query",
    "resolve_article": "lushbeat_cli.core.workflow.lookup",
    "SearchOptions": "lushbeat_cli.core.search",
    "SearchResult": "lushbeat_cli.core.search",
    "run_search": "lushbeat_cli.core.search",
    "LushbeatError": "lushbeat_cli.errors",
}
__all__ = [
    "Article",
    "ArticleQuery",
    "Config",
    "Corpus",
    "Finding",
    "LushbeatError",
    "SearchOptions",
    "SearchResult",
    "Severity",
    "Status",
    "__version__",
    "find_article_paths",
    "load_config",
    "load_corpus",
    "parse_date",
    "read_article",
    "resolve_article",
    "run_search",
    "select_articles",
    "slugify",
]


def __getattr__(name: str) -> object:
    import importlib

    module = _API.get(name)
    if module is None:
        raise AttributeError(f"module 'lushbeat_cli' has no attribute {name!r}")
    return getattr(importlib.import_module(module), name)


if TYPE_CHECKING:
    from lushbeat_cli.core.article import Article, Status, parse_date, slugify
    from lushbeat_cli.core.config import Config, load_config
    from lushbeat_cli.core.findings import Finding, Severity
    from lushbeat_cli.core.query import ArticleQuery, select_articles
    from lushbeat_cli.core.reading.articles import find_article_paths, read_article
    from lushbeat_cli.core.reading.corpus import Corpus, load_corpus
    from lushbeat_cli.core.search import SearchOptions, SearchResult, run_search
    from lushbeat_cli.core.workflow.lookup import resolve_article
    from lushbeat_cli.errors import LushbeatError
