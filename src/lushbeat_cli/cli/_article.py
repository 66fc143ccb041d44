"""Turn an ARTICLE argument into one article for show, publish and unpublish.

Ambiguous names exit 2 with the candidates on stderr; a path to a file that cannot be read
gets that file's own parse error.
"""

from __future__ import annotations

from pathlib import Path

import typer

from lushbeat_cli.cli._state import state
from lushbeat_cli.core.article import Article
from lushbeat_cli.core.corpus import Corpus, load_corpus
from lushbeat_cli.core.lookup import AmbiguousArticleError, resolve_article
from lushbeat_cli.errors import EXIT_USAGE
from lushbeat_cli.render.machine import display_path


def find_article(reference: str, *, no_index: bool = False) -> tuple[Article, Corpus]:
    """The article ``reference`` names (path, slug or title) and the corpus it came from."""
    run = state()
    corpus = load_corpus(run.config, use_index=not no_index)
    candidate = Path(reference).expanduser()
    if candidate.is_file():
        resolved = candidate.resolve()
        for error in corpus.errors:
            if error.path is not None and error.path.resolve() == resolved:
                raise error
    try:
        return resolve_article(reference, corpus.articles), corpus
    except AmbiguousArticleError as exc:
        out = run.output
        out.error(exc.message)
        for article in exc.candidates:
            out.info(f"  {display_path(article.path)}  {article.title}")
        raise typer.Exit(EXIT_USAGE) from None
