"""``csv``: one row per article for spreadsheets, RFC 4180, with formula injection defused.

A cell starting with ``=``, ``+``, ``-``, ``@``, tab or carriage return gets a leading ``'`` (as
OWASP advises), so a spreadsheet shows it as text instead of running it as a formula.
"""

from __future__ import annotations

import csv
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
from lushbeat_cli.render.machine import article_value, cell_text

LEADING_COLUMNS = (
    "path",
    "slug",
    "title",
    "date",
    "updated",
    "author",
    "category",
    "tags",
    "status",
    "lang",
)
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def defuse(cell: str) -> str:
    """The cell as a spreadsheet will show it as text, never run it."""
    return "'" + cell if cell.startswith(FORMULA_STARTS) else cell


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
            writer = csv.writer(stream, lineterminator="\r\n")
            writer.writerow([defuse(name) for name in names])
            for article in track(articles, options.progress):
                writer.writerow(
                    defuse(cell_text(article_value(article, name, options.project_root)))
                    for name in names
                )

        write_text(destination, produce)
        return ExportResult(len(articles), destination.path)
