"""Counts over a set of articles: per month, category, author, tag and language; statuses;
words per article. Pure values; ``lushbeat stats`` renders them.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field

from lushbeat_cli.core.article import Article, Status
from lushbeat_cli.core.query import fold

# Dimensions in the order they are shown and exported.
DIMENSIONS = ("month", "category", "author", "tag", "lang")

_FENCE = re.compile(r"^(```|~~~)")
_WORD = re.compile(r"[^\W_](?:[\w'’.,-]*[^\W_])?")


@dataclass(frozen=True)
class Bucket:
    """One bar: a value of a dimension (None: articles without one) and how many articles."""

    key: str | None
    count: int


@dataclass(frozen=True)
class WordStats:
    min: int = 0
    median: float = 0
    max: int = 0
    total: int = 0


@dataclass
class Stats:
    articles: int = 0
    status: dict[str, int] = field(default_factory=dict)
    words: WordStats = field(default_factory=WordStats)
    buckets: dict[str, list[Bucket]] = field(default_factory=dict)  # dimension -> bars


def count_words(body: str) -> int:
    """Words of a Markdown body as a reader sees them: no link targets, comments or code."""
    text = _without_spans(_without_spans(body, "<!--", "-->", " "), "](", ")", "]")
    words = 0
    in_code = False
    for line in text.splitlines():
        if _FENCE.match(line.lstrip()):
            in_code = not in_code
            continue
        if not in_code:
            words += len(_WORD.findall(line))
    return words


def _without_spans(text: str, start: str, end: str, replacement: str) -> str:
    """``text`` with every span from ``start`` to the next ``end`` replaced (what the regex
    ``start.*?end`` replaces, in linear time: the regex looks for an end again from each later
    start once there is none left, quadratic in a body of unclosed ``<!--``)."""
    pieces = []
    position = 0
    while (found := text.find(start, position)) != -1:
        close = text.find(end, found + len(start))
        if close == -1:
            break  # no later start can be closed either
        pieces += (text[position:found], replacement)
        position = close + len(end)
    if not pieces:
        return text
    pieces.append(text[position:])
    return "".join(pieces)


def compute_stats(articles: Sequence[Article]) -> Stats:
    """Everything ``lushbeat stats`` shows, for these articles."""
    import statistics  # slow to import; only stats needs it

    counts = [count_words(article.body) for article in articles]
    words = WordStats()
    if counts:
        median = statistics.median(counts)
        words = WordStats(
            min(counts), int(median) if median == int(median) else median, max(counts), sum(counts)
        )
    status = Counter(article.status.value for article in articles)
    return Stats(
        articles=len(articles),
        status={value.value: status.get(value.value, 0) for value in Status},
        words=words,
        buckets={
            "month": _by_month(articles),
            "category": _ranked(articles, lambda a: [a.category] if a.category else [None]),
            "author": _ranked(articles, lambda a: a.authors or [None]),
            "tag": _ranked(articles, lambda a: list(dict.fromkeys(a.tags)) or [None]),
            "lang": _ranked(articles, lambda a: [a.lang] if a.lang else [None]),
        },
    )


def _by_month(articles: Iterable[Article]) -> list[Bucket]:
    counter = Counter(
        f"{article.date.year:04d}-{article.date.month:02d}" if article.date else None
        for article in articles
    )
    dated = sorted(key for key in counter if key is not None)
    buckets = [Bucket(key, counter[key]) for key in dated]
    if None in counter:
        buckets.append(Bucket(None, counter[None]))
    return buckets


def _ranked(
    articles: Iterable[Article], values: Callable[[Article], list[str] | list[str | None]]
) -> list[Bucket]:
    """Most articles first, then A-Z; the "none" bucket last."""
    counter: Counter[str | None] = Counter()
    for article in articles:
        counter.update(values(article))
    named = sorted(
        (key for key in counter if key is not None), key=lambda key: (-counter[key], fold(key))
    )
    buckets = [Bucket(key, counter[key]) for key in named]
    if None in counter:
        buckets.append(Bucket(None, counter[None]))
    return buckets
