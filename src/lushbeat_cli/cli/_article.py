"""Turn an ARTICLE argument into one article (show, publish, unpublish, similar).

Ambiguous names exit 2 with the candidates on stderr; a path to a file that cannot be read
gets that file's own parse error.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from lushbeat_cli.cli._corpus import load_articles
from lushbeat_cli.cli._state import CommandExit, state
from lushbeat_cli.cli.params import Argument
from lushbeat_cli.core.article import Article
from lushbeat_cli.core.reading.corpus import Corpus
from lushbeat_cli.core.workflow.lookup import AmbiguousArticleError, resolve_article
from lushbeat_cli.errors import EXIT_USAGE
from lushbeat_cli.render.machine import display_path

ARTICLE = Argument(
    "article", metavar="ARTICLE", help="A path, a slug or (part of) a title.", complete="articles"
)


def find_article(reference: str, *, no_index: bool = False) -> tuple[Article, Corpus]:
    """The article ``reference`` names (path, slug or title) and the corpus it came from."""
    # Only the article's own file matters: other unreadable files are not reported here.
    corpus = load_articles(no_index=no_index, report_errors=False).corpus
    candidate = Path(reference).expanduser()
    if candidate.is_file():
        resolved = candidate.resolve()
        for error in corpus.errors:
            if error.path is not None and error.path.resolve() == resolved:
                raise error
    return pick_article(reference, corpus.articles), corpus


def pick_article(reference: str, articles: Sequence[Article]) -> Article:
    """The one article ``reference`` names among ``articles``; when several fit, they are
    listed on stderr and the command exits 2."""
    try:
        return resolve_article(reference, articles)
    except AmbiguousArticleError as exc:
        out = state().output
        out.error(exc.message)
        for article in exc.candidates:
            out.info(f"  {display_path(article.path)}  {article.title}")
        raise CommandExit(EXIT_USAGE) from None
