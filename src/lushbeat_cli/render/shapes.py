"""Machine shapes of the writer-workflow commands (show, tags, stats): explicit keys, ISO dates.

Imported by cli only; builds on ``render.machine``.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any, TextIO

from lushbeat_cli.core.article import Article
from lushbeat_cli.core.stats import DIMENSIONS, Stats
from lushbeat_cli.core.workflow.tags import TagCount, TagGroup
from lushbeat_cli.render.machine import article_record, jsonable

TAG_FIELDS = ("tag", "count")
TAG_GROUP_FIELDS = ("canonical", "count", "variants")
STATS_ROW_FIELDS = ("dimension", "key", "count")


def write_document(value: Any, stream: TextIO) -> None:
    """Exactly one JSON document."""
    json.dump(value, stream, ensure_ascii=False, indent=2)
    stream.write("\n")


def show_record(article: Article) -> dict[str, Any]:
    """The list record plus ``format``, ``metadata`` (every key) and ``body``."""
    return article_record(article) | {
        "format": article.format,
        "metadata": jsonable(article.metadata),
        "body": article.body,
    }


def tag_records(counts: Sequence[TagCount]) -> list[dict[str, Any]]:
    return [{"tag": item.tag, "count": item.count} for item in counts]


def tag_group_records(groups: Sequence[TagGroup]) -> list[dict[str, Any]]:
    """``{canonical, count, variants: [{tag, count}]}``, variants most used first."""
    return [
        {
            "canonical": group.canonical,
            "count": group.count,
            "variants": tag_records(group.variants),
        }
        for group in groups
    ]


def stats_document(stats: Stats) -> dict[str, Any]:
    """``articles``, ``status`` {draft, published, scheduled}, ``words`` {min, median, max,
    total} and ``by_month`` ... ``by_lang`` as lists of ``{key, count}`` (key null: none)."""
    words = stats.words
    document: dict[str, Any] = {
        "articles": stats.articles,
        "status": dict(stats.status),
        "words": {"min": words.min, "median": words.median, "max": words.max, "total": words.total},
    }
    for dimension in DIMENSIONS:
        document[f"by_{dimension}"] = [
            {"key": bucket.key, "count": bucket.count} for bucket in stats.buckets[dimension]
        ]
    return document


def stats_rows(stats: Stats) -> list[dict[str, Any]]:
    """One row per number, for CSV: ``dimension`` (articles, status, words, month, category,
    author, tag, lang), ``key`` and ``count``."""
    rows: list[dict[str, Any]] = [{"dimension": "articles", "key": None, "count": stats.articles}]
    rows += [{"dimension": "status", "key": k, "count": v} for k, v in stats.status.items()]
    words = stats.words
    for key, value in (
        ("min", words.min),
        ("median", words.median),
        ("max", words.max),
        ("total", words.total),
    ):
        rows.append({"dimension": "words", "key": key, "count": value})
    for dimension in DIMENSIONS:
        rows += [
            {"dimension": dimension, "key": bucket.key, "count": bucket.count}
            for bucket in stats.buckets[dimension]
        ]
    return rows
