"""Output shapes of ``lushbeat similar``: JSON records, the Markdown "Similar Posts" block, and the
human table and explanation. Imported by cli only.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

from lushbeat_cli.core.article import Article
from lushbeat_cli.core.links import markdown_link
from lushbeat_cli.core.similar.engine import PARTS, Suggestion
from lushbeat_cli.render.machine import display_path


def suggestion_record(item: Suggestion, *, explain: bool = False) -> dict[str, Any]:
    """``{"path", "slug", "title", "score"}``; with ``explain`` also each part's contribution
    (``parts``, adding up to ``score``), the raw similarities, and what is shared.
    """
    article = item.article
    record: dict[str, Any] = {
        "path": display_path(article.path),
        "slug": article.slug,
        "title": article.title,
        "score": item.score,
    }
    if explain:
        record["date"] = article.date.isoformat() if article.date is not None else None
        record["parts"] = dict(item.contributions)
        record["similarity"] = dict(item.values)
        record["shared_tags"] = list(item.shared_tags)
        record["shared_terms"] = list(item.shared_terms)
        record["title_terms"] = list(item.title_terms)
    return record


def article_suggestions_record(
    article: Article, items: Sequence[Suggestion], *, explain: bool = False
) -> dict[str, Any]:
    """One line of ``--all --format jsonl``: ``{"path", "slug", "similar": [...]}``."""
    return {
        "path": display_path(article.path),
        "slug": article.slug,
        "similar": [suggestion_record(item, explain=explain) for item in items],
    }


def markdown_block(source_folder: Path, items: Sequence[Suggestion], heading: str) -> str:
    """A ready "Similar Posts" block: a heading and a list of links relative to ``source_folder``
    (the folder of the article the block goes into), like hand-written "Baca juga" links.
    """
    lines = [f"## {heading}", ""]
    for item in items:
        title = item.article.title or item.article.slug
        lines.append(f"- {markdown_link(title, item.article.path, source_folder)}")
    return "\n".join(lines) + "\n"


def table_rows(items: Sequence[Suggestion]) -> list[list[str]]:
    """Rows of ``#, score, date, title, path``."""
    return [
        [
            str(rank),
            f"{item.score:.3f}",
            item.article.date.date().isoformat() if item.article.date is not None else "",
            item.article.title,
            display_path(item.article.path),
        ]
        for rank, item in enumerate(items, start=1)
    ]


def explanation(rank: int, item: Suggestion, weights: dict[str, float]) -> list[str]:
    """A suggestion and why, as plain lines::

    1. 0.412  Edmundo Gonzalez Tinggalkan Venezuela, Terbang ke Spanyol
       content/2024/09/edmundo-gonzalez-tinggalkan-venezuela-terbang-ke-spanyol.md
       text 0.175 + tags 0.080 + title 0.013 + category 0.050 + recency 0.044 = 0.362
       ...
    """
    article = item.article
    sum_line = " + ".join(f"{part} {item.contributions[part]:.4f}" for part in PARTS)
    lines = [
        f"{rank}. {item.score:.4f}  {article.title or article.slug}",
        f"   {display_path(article.path)}",
        f"   score = {sum_line} = {item.score:.4f}",
        "   "
        + ", ".join(
            f"{part} {item.values[part]:.2f}×{weights[part]:g}"
            for part in PARTS
            if weights[part] or item.values[part]
        ),
    ]
    if item.shared_tags:
        lines.append(f"   shared tags: {', '.join(item.shared_tags)}")
    if item.shared_terms:
        lines.append(f"   shared terms: {', '.join(item.shared_terms)}")
    if item.title_terms:
        lines.append(f"   title words: {', '.join(item.title_terms)}")
    return lines
