"""Tags and categories of exported articles: grouped case- and accent-insensitively (as the
filters match them), each with a unique file-name slug. Imported by exporters.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field

from lushbeat_cli.core.article import Article, slugify
from lushbeat_cli.core.query import fold

RESERVED_SLUGS = frozenset({"index"})  # the taxonomy's own index page


@dataclass(slots=True)
class Term:
    """One tag or category: the spelling shown, its unique slug, and its articles in order."""

    name: str
    slug: str = ""
    articles: list[Article] = field(default_factory=list)


def tag_names(article: Article) -> list[str]:
    return article.tags


def category_names(article: Article) -> list[str]:
    return [article.category] if article.category else []


def group_terms(
    articles: Sequence[Article], names: Callable[[Article], Iterable[str]]
) -> list[Term]:
    """Terms sorted by name; "Ekonomi" and "ekonomi" are one term (the first spelling met is
    shown). Slugs that would collide ("C++" and "C" both slugify to "c") get ``-2``, ``-3``…"""
    terms: dict[str, Term] = {}
    for article in articles:
        for name in names(article):
            key = fold(name)
            if not key:
                continue
            term = terms.setdefault(key, Term(name.strip()))
            if not term.articles or term.articles[-1] is not article:
                term.articles.append(article)
    ordered = [terms[key] for key in sorted(terms)]
    used = set(RESERVED_SLUGS)
    for term in ordered:
        base = slugify(term.name)
        slug, number = base, 2
        while slug in used:
            slug, number = f"{base}-{number}", number + 1
        used.add(slug)
        term.slug = slug
    return ordered
