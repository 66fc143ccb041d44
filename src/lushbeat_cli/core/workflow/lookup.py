"""Find one article from what a user typed: a path, a slug, or a fuzzy title.

Used by every command that takes an ARTICLE argument (show, similar, publish, ...).
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from lushbeat_cli.core.article import Article
from lushbeat_cli.errors import UsageError

TITLE_CUTOFF = 70.0
AMBIGUITY_MARGIN = 3.0  # candidates scoring this close to the best are "just as good"


class AmbiguousArticleError(UsageError):
    """More than one article fits; ``candidates`` lists them, best first."""

    def __init__(self, message: str, candidates: Sequence[Article]) -> None:
        super().__init__(message)
        self.candidates = list(candidates)


def resolve_article(
    reference: str, articles: Sequence[Article], cwd: Path | None = None
) -> Article:
    """The one article ``reference`` names: an existing path, an exact slug, else a title.

    Raises UsageError (exit 2) when nothing fits, AmbiguousArticleError when several do.
    """
    text = reference.strip()
    if not text:
        raise UsageError("an article is needed: a path, a slug or a title")
    candidate: Path | None = Path(text).expanduser()
    if not candidate.is_absolute():
        try:
            candidate = (cwd or Path.cwd()) / candidate
        except FileNotFoundError:  # the working directory was deleted: no relative paths
            candidate = None
    if candidate is not None and candidate.is_file():
        resolved = candidate.resolve()
        for article in articles:
            if article.path.resolve() == resolved:
                return article
        raise UsageError(f"{reference} is not an article of the content directory")
    by_slug = [article for article in articles if article.slug == text]
    if len(by_slug) == 1:
        return by_slug[0]
    if len(by_slug) > 1:
        raise AmbiguousArticleError(f"slug '{text}' is used by {len(by_slug)} articles", by_slug)
    from lushbeat_cli.core.fuzzy import title_candidates

    keyed = {str(index): article for index, article in enumerate(articles)}
    scored = title_candidates(text, ((key, a.title) for key, a in keyed.items()), TITLE_CUTOFF)
    if not scored:
        raise UsageError(f"no article matches {reference!r} (by path, slug or title)")
    best = scored[0][1]
    close = [keyed[key] for key, score in scored if best - score <= AMBIGUITY_MARGIN]
    if len(close) > 1:
        raise AmbiguousArticleError(
            f"{reference!r} matches {len(close)} articles; name one by path or slug", close
        )
    return keyed[scored[0][0]]
