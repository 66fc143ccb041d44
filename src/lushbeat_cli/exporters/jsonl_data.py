"""``jsonl``: one export record per line (JSON Lines), streamed."""

from __future__ import annotations

from collections.abc import Sequence

from lushbeat_cli.core.article import Article
from lushbeat_cli.exporters.base import (
    Destination,
    Exporter,
    ExportOptions,
    ExportResult,
    write_text,
)
from lushbeat_cli.exporters.export_record import export_records
from lushbeat_cli.render.machine import write_jsonl


class JsonLinesExporter(Exporter):
    name = "jsonl"
    description = "JSON Lines: one article record per line"
    suffixes = (".jsonl", ".ndjson")
    options = frozenset({"html_body", "sort"})

    def export(
        self, articles: Sequence[Article], options: ExportOptions, destination: Destination
    ) -> ExportResult:
        write_text(
            destination, lambda stream: write_jsonl(export_records(articles, options), stream)
        )
        return ExportResult(len(articles), destination.path)
