"""The export formats, listed once. Adding a format is one module plus one line here.

Imported lazily by the export command (exporters pull in markdown-it, sqlite3, xml).
"""

from __future__ import annotations

from pathlib import Path

from lushbeat_cli.errors import UsageError
from lushbeat_cli.exporters.atom_feed import AtomExporter
from lushbeat_cli.exporters.base import Exporter
from lushbeat_cli.exporters.csv_data import CsvExporter
from lushbeat_cli.exporters.html_site import HtmlSiteExporter
from lushbeat_cli.exporters.json_data import JsonExporter, JsonLinesExporter
from lushbeat_cli.exporters.json_feed import JsonFeedExporter
from lushbeat_cli.exporters.opensearch_bulk import OpenSearchExporter
from lushbeat_cli.exporters.rss_feed import RssExporter
from lushbeat_cli.exporters.sqlite_db import SqliteExporter

EXPORTERS: tuple[Exporter, ...] = (
    JsonExporter(),
    JsonLinesExporter(),
    CsvExporter(),
    SqliteExporter(),
    HtmlSiteExporter(),
    RssExporter(),
    AtomExporter(),
    JsonFeedExporter(),
    OpenSearchExporter(),
)


def format_names() -> tuple[str, ...]:
    return tuple(exporter.name for exporter in EXPORTERS)


def get_exporter(name: str | None, output: Path | None = None) -> Exporter:
    """The exporter called ``name``; without a name, the one the output's suffix implies."""
    if name is None:
        suffix = output.suffix.lower() if output is not None else ""
        for exporter in EXPORTERS:
            if suffix and suffix in exporter.suffixes:
                return exporter
        raise UsageError(f"--format is needed: one of {', '.join(format_names())}")
    for exporter in EXPORTERS:
        if exporter.name == name.lower():
            return exporter
    raise UsageError(f"unknown format {name!r}; choose one of {', '.join(format_names())}")
