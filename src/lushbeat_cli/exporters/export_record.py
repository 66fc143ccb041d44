"""The export record of an article (JSON, JSONL, OpenSearch): an explicit, versioned shape.

Bump ``SCHEMA_VERSION`` (and docs/commands/export.md) whenever a key is renamed, removed or
changes meaning.
"""

from __future__ import annotations

import math
from collections.abc import Iterator, Sequence
from typing import Any

from lushbeat_cli.core.article import Article
from lushbeat_cli.exporters.base import ExportOptions, track
from lushbeat_cli.exporters.markdown import MarkdownRenderer
from lushbeat_cli.render.machine import ARTICLE_FIELDS, article_record, jsonable

SCHEMA_VERSION = 1


def export_record(
    article: Article, options: ExportOptions, body_html: str | None
) -> dict[str, Any]:
    """``schema_version``, the list record's fields (path relative to the project root), the
    source ``format``, every front-matter key as loaded (``front_matter``), ``body`` (Markdown)
    and ``body_html`` (rendered with ``--html``, else null)."""
    record: dict[str, Any] = {"schema_version": SCHEMA_VERSION}
    record.update(article_record(article, ARTICLE_FIELDS, base=options.project_root))
    record["format"] = article.format
    record["front_matter"] = json_safe(article.metadata)
    record["body"] = article.body
    record["body_html"] = body_html
    return record


def json_safe(value: Any) -> Any:
    """Like ``jsonable``, but strictly valid JSON: NaN and infinities become null, and YAML
    sets come out sorted (so the output does not change from run to run)."""
    if isinstance(value, dict):
        return {_key(key): json_safe(item) for key, item in value.items()}
    if isinstance(value, set | frozenset):
        return [json_safe(item) for item in sorted(value, key=repr)]
    if isinstance(value, list | tuple):
        return [json_safe(item) for item in value]
    if isinstance(value, float) and not math.isfinite(value):
        return None
    return jsonable(value)


def _key(key: Any) -> str:
    return key if isinstance(key, str) else str(jsonable(key))


def export_records(articles: Sequence[Article], options: ExportOptions) -> Iterator[dict[str, Any]]:
    """The records of ``articles`` in order, reporting progress; bodies rendered with --html
    (safely, links as written)."""
    renderer = MarkdownRenderer() if options.html_body else None
    for article in track(articles, options.progress):
        body_html = renderer.render(article.body) if renderer is not None else None
        yield export_record(article, options, body_html)
