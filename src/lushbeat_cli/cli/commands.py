"""The typer app: global options and the command table, one line per command.

``lushbeat_cli.cli.main`` imports this module only when the fast path (``_fast``) hands over.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from lushbeat_cli import __version__
from lushbeat_cli.cli._state import LushbeatGroup, State, set_state, with_boundary
from lushbeat_cli.cli.export_cmd import export_articles
from lushbeat_cli.cli.import_cmd import import_stories
from lushbeat_cli.cli.index_cmd import index_articles
from lushbeat_cli.cli.init_cmd import init_project
from lushbeat_cli.cli.list_cmd import list_articles
from lushbeat_cli.cli.new_cmd import new_article
from lushbeat_cli.cli.publish_cmd import publish_article, unpublish_article
from lushbeat_cli.cli.search_cmd import search_articles
from lushbeat_cli.cli.show_cmd import show_article
from lushbeat_cli.cli.similar_cmd import similar_articles
from lushbeat_cli.cli.stats_cmd import show_stats
from lushbeat_cli.cli.tags_cmd import tags_app
from lushbeat_cli.cli.validate_cmd import validate_articles

app = typer.Typer(
    name="lushbeat",
    cls=LushbeatGroup,
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
with_boundary(app, "validate", validate_articles)

# Search and index
with_boundary(app, "search", search_articles)
with_boundary(app, "index", index_articles)

# Similar posts
with_boundary(app, "similar", similar_articles)

# Export
with_boundary(app, "export", export_articles)

# Writer workflow
with_boundary(app, "init", init_project)
with_boundary(app, "show", show_article)
with_boundary(app, "publish", publish_article)
with_boundary(app, "unpublish", unpublish_article)
with_boundary(app, "import", import_stories)
app.add_typer(tags_app, name="tags")
with_boundary(app, "stats", show_stats)
