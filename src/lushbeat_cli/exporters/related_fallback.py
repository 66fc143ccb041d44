"""STOPGAP "Similar Posts" for articles without a ``related:`` list: other articles ranked by
shared tags. Replaced by the similar-posts engine (core/related.py) when that is merged.
"""

from __future__ import annotations

from collections.abc import Sequence

from lushbeat_cli.core.article import Article
from lushbeat_cli.core.query import fold


class SharedTagRanking:
    """Ranks articles by how many tags they share with a given one (at least one), then same
    category, then same language, then newest."""

    def __init__(self, articles: Sequence[Article]) -> None:
        self._by_tag: dict[str, list[Article]] = {}
        for article in articles:
            for tag in {fold(tag) for tag in article.tags}:
                self._by_tag.setdefault(tag, []).append(article)

    def similar(self, article: Article, limit: int) -> list[Article]:
        shared: dict[int, int] = {}
        candidates: dict[int, Article] = {}
        for tag in {fold(tag) for tag in article.tags}:
            for other in self._by_tag.get(tag, ()):
                if other is article:
                    continue
                shared[id(other)] = shared.get(id(other), 0) + 1
                candidates[id(other)] = other

        def rank(other: Article) -> tuple[int, bool, bool, float, str]:
            return (
                -shared[id(other)],
                fold(other.category or "") != fold(article.category or ""),
                (other.lang or "") != (article.lang or ""),
                -(other.date.timestamp() if other.date else float("-inf")),
                other.path.as_posix(),
            )

        return sorted(candidates.values(), key=rank)[:limit]
