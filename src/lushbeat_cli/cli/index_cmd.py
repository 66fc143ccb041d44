"""`lushbeat index`: bring the index up to date (or rebuild it) and show its statistics."""

from __future__ import annotations

import json
import sys
import time
from enum import StrEnum
from typing import Annotated

import typer

from lushbeat_cli.cli import _options as opt
from lushbeat_cli.cli._state import state
from lushbeat_cli.render import machine


class IndexFormat(StrEnum):
    table = "table"
    json = "json"


def index_articles(
    rebuild: Annotated[
        bool, typer.Option("--rebuild", help="Forget the index and read every file again.")
    ] = False,
    output_format: Annotated[
        IndexFormat,
        typer.Option("--format", "-f", help="Output format.", rich_help_panel=opt.OUTPUT),
    ] = IndexFormat.table,
) -> None:
    """Update the search index and show what it holds.

    Every command that reads the articles refreshes the index by itself (only files whose size
    or modification time changed are read again), so this is rarely needed. The index lives in
    .lushbeat/index.sqlite under the project root (the "path" setting of the index table in
    the config); git-ignore it.

    \b
    Examples:
      lushbeat index
      lushbeat index --rebuild
      lushbeat index --format json
    """
    from lushbeat_cli.core.index import update_index

    run = state()
    out = run.output
    started = time.perf_counter()
    with out.progress("indexing") as progress:
        report = update_index(run.config, rebuild=rebuild, progress=progress)
    elapsed = time.perf_counter() - started
    for notice in report.notices:
        out.warning(notice)
    stats = report.stats
    record = {
        "path": machine.display_path(stats.path) if stats.path else None,
        "format_version": stats.version,
        "files": stats.files,
        "articles": stats.articles,
        "errors": stats.errors,
        "size_bytes": stats.size_bytes,
        "last_refresh": machine.jsonable(stats.last_refresh),
    }
    if output_format is IndexFormat.json:
        sys.stdout.write(json.dumps(record, ensure_ascii=False, indent=2) + "\n")
    else:
        rows = [
            ["path", record["path"] or "(in memory)"],
            ["format version", str(stats.version)],
            ["files", str(stats.files)],
            ["articles", str(stats.articles)],
            ["errors", str(stats.errors)],
            ["size", _size(stats.size_bytes)],
            ["last refresh", record["last_refresh"] or "never"],
        ]
        width = max(len(name) for name, _ in rows)
        sys.stdout.write("".join(f"{name:<{width}}  {value}\n" for name, value in rows))
    done = report.refresh
    verb = "rebuilt" if rebuild else "refreshed"
    out.info(
        f"{verb} in {elapsed:.2f} s: {done.parsed} file{'s' if done.parsed != 1 else ''} read, "
        f"{done.removed} removed, {done.total} in total"
    )


def _size(size: int) -> str:
    value = float(size)
    for unit in ("bytes", "KiB", "MiB", "GiB"):
        if value < 1024 or unit == "GiB":
            return f"{value:.0f} {unit}" if unit == "bytes" else f"{value:.1f} {unit}"
        value /= 1024
    return f"{size} bytes"
