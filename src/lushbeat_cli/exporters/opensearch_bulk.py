"""``opensearch``: NDJSON for the ``_bulk`` API of OpenSearch and Elasticsearch: per article an
action line ``{"index": {"_index": NAME, "_id": SLUG}}`` and the export record as the document.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import TextIO

from lushbeat_cli.core.article import Article
from lushbeat_cli.exporters.base import (
    Destination,
    Exporter,
    ExportOptions,
    ExportResult,
    write_text,
)
from lushbeat_cli.exporters.export_record import export_records


class OpenSearchExporter(Exporter):
    name = "opensearch"
    description = "NDJSON for the OpenSearch/Elasticsearch _bulk API (--index NAME)"
    options = frozenset({"html_body", "index_name", "sort"})

    def export(
        self, articles: Sequence[Article], options: ExportOptions, destination: Destination
    ) -> ExportResult:
        seen: dict[str, int] = {}

        def produce(stream: TextIO) -> None:
            for record in export_records(articles, options):
                slug = record["slug"]
                seen[slug] = seen.get(slug, 0) + 1
                action = {"index": {"_index": options.index_name, "_id": slug}}
                stream.write(json.dumps(action, ensure_ascii=False) + "\n")
                stream.write(json.dumps(record, ensure_ascii=False) + "\n")

        write_text(destination, produce)
        shared = sorted(slug for slug, count in seen.items() if count > 1)
        notes = []
        if shared:
            shown = ", ".join(shared[:5]) + (", …" if len(shared) > 5 else "")
            notes.append(
                f"{len(shared)} slug{'s are' if len(shared) != 1 else ' is'} shared by several "
                f"articles; the index keeps one document per slug: {shown}"
            )
        return ExportResult(len(articles), destination.path, notes)
