"""`lushbeat index`: bring the index up to date (or rebuild it) and show its statistics."""

from __future__ import annotations

from enum import StrEnum
from typing import Annotated

import typer

from lushbeat_cli.cli import _options as opt
from lushbeat_cli.cli._actions import refresh_index
from lushbeat_cli.cli._state import state


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
    run = state()
    code = refresh_index(run.config, run.output, rebuild=rebuild, output_format=output_format.value)
    if code:
        raise typer.Exit(code)
