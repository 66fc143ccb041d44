"""``csv``: one row per article for spreadsheets, RFC 4180, with formula injection defused.

Written by ``render.machine.write_csv``, as every CSV lushbeat writes: a cell starting with ``=``,
``+``, ``-``, ``@``, tab or carriage return gets a leading ``'`` (as OWASP advises), so a
spreadsheet shows it as text instead of running it as a formula.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TextIO

from lushbeat_cli.core.article import Article
from lushbeat_cli.exporters.base import (
    Destination,
    Exporter,
    ExportOptions,
    ExportResult,
    track,
    write_text,
)
from lushbeat_cli.render.machine import ARTICLE_FIELDS, article_value, write_csv

# The record's fields, less the long ones (summary, related) that trail
LEADING_COLUMNS = tuple(f for f in ARTICLE_FIELDS if f not in ("summary", "related"))


def columns(extra: Sequence[str]) -> tuple[str, ...]:
    return LEADING_COLUMNS + tuple(dict.fromkeys(f for f in extra if f not in LEADING_COLUMNS))


class CsvExporter(Exporter):
    name = "csv"
    description = "one row per article: fixed leading columns, then --fields"
    suffixes = (".csv",)
    options = frozenset({"fields", "sort"})

    def export(
        self, articles: Sequence[Article], options: ExportOptions, destination: Destination
    ) -> ExportResult:
        names = columns(options.fields)

        def produce(stream: TextIO) -> None:
            records = (
                {name: article_value(article, name, options.project_root) for name in names}
                for article in track(articles, options.progress)
            )
            write_csv(records, names, stream)

        write_text(destination, produce)
        return ExportResult(len(articles), destination.path)
