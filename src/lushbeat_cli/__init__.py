"""lushbeat: create, validate, list, search and export Markdown articles with front matter.

The library API below works without the CLI::

    from lushbeat_cli import load_config, load_corpus, ArticleQuery, select_articles
    config = load_config(Path("examples"))
    articles = select_articles(load_corpus(config).articles, ArticleQuery(tags=("venezuela",)))
"""

from __future__ import annotations

__version__ = "0.1.0"

from lushbeat_cli.core.article import Article, Status, parse_date, slugify
from lushbeat_cli.core.config import Config, load_config
from lushbeat_cli.core.corpus import Corpus, find_article_paths, load_corpus, read_article
from lushbeat_cli.core.findings import Finding, Severity
from lushbeat_cli.core.query import ArticleQuery, select_articles
from lushbeat_cli.core.search import SearchOptions, SearchResult, run_search
from lushbeat_cli.errors import LushbeatError

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
    "run_search",
    "select_articles",
    "slugify",
]
