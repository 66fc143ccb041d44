"""The command table: global options and one line per command. The one home of typer.

Nothing outside ``cli`` imports this package.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from lushbeat_cli import __version__
from lushbeat_cli.cli._state import State, set_state, with_boundary
from lushbeat_cli.cli.index_cmd import index_articles
from lushbeat_cli.cli.list_cmd import list_articles
from lushbeat_cli.cli.new_cmd import new_article
from lushbeat_cli.cli.search_cmd import search_articles

app = typer.Typer(
    name="lushbeat",
    help="Create, validate, list, search and export Markdown articles with front matter.",
    epilog="Exit codes: 0 success, 1 findings or failed items, 2 usage or config error.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    rich_markup_mode="rich",
    context_settings={"help_option_names": ["-h", "--help"]},
)


def _version(value: bool) -> None:
    if value:
        typer.echo(f"lushbeat {__version__}")
        raise typer.Exit()


@app.callback()
def main_options(
    root: Annotated[
        Path | None,
        typer.Option(
            "-C",
            "--root",
            metavar="DIR",
            help="Run as if started in DIR (config lookup).",
            file_okay=False,
        ),
    ] = None,
    config: Annotated[
        Path | None,
        typer.Option(
            "--config",
            metavar="FILE",
            help="Use this config file (lushbeat.toml or pyproject.toml).",
            dir_okay=False,
        ),
    ] = None,
    no_color: Annotated[
        bool, typer.Option("--no-color", help="No colours (NO_COLOR is honoured too).")
    ] = False,
    debug: Annotated[bool, typer.Option("--debug", help="Show tracebacks for errors.")] = False,
    version: Annotated[
        bool,
        typer.Option("--version", "-V", callback=_version, is_eager=True, help="Show the version."),
    ] = False,
) -> None:
    """lushbeat: a toolkit for newsrooms publishing Markdown articles with front matter."""
    set_state(State(root=root, config_file=config, no_color=no_color, debug=debug))


# The command table: one line per command, grouped by feature.

# Foundation
with_boundary(app, "list", list_articles)
with_boundary(app, "new", new_article)
with_boundary(app, "create", new_article, hidden=True)

# Validation

# Search and index
with_boundary(app, "search", search_articles)
with_boundary(app, "index", index_articles)

# Similar posts

# Export

# Writer workflow


def main() -> None:
    """Console-script entry point."""
    app()
