"""``json``: one JSON array of export records (see export_record.py for the shape);
``jsonl``: the same records, one per line (JSON Lines), streamed."""

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
from lushbeat_cli.render.machine import write_json, write_jsonl


class JsonExporter(Exporter):
    name = "json"
    description = "one JSON array: every field, front matter and body of each article"
    suffixes = (".json",)
    options = frozenset({"html_body", "sort"})
    lines = False  # JSON Lines

    def export(
        self, articles: Sequence[Article], options: ExportOptions, destination: Destination
    ) -> ExportResult:
        # A generator: records are built and written one at a time, never all held at once.
        write = write_jsonl if self.lines else write_json
        write_text(destination, lambda stream: write(export_records(articles, options), stream))
        return ExportResult(len(articles), destination.path)


class JsonLinesExporter(JsonExporter):
    name = "jsonl"
    description = "JSON Lines: one article record per line"
    suffixes = (".jsonl", ".ndjson")
    lines = True
