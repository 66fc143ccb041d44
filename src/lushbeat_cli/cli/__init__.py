"""The command line: ``main`` (the console script), the command table, and the typer ``app``.

Nothing outside ``cli`` imports this package. ``main`` first offers the command line to the
start-up fast path (``_fast``), which answers a script's ``search``/``list``/``validate``/
``index`` without importing typer; everything else goes to the typer app (``_typer``), which
imports only the invoked command's module. Each module declares its parameters (``PARAMS``,
see ``cli.params``) and does its work in ``run``.
"""

from __future__ import annotations

import sys

# The commands, in the order ``lushbeat --help`` lists them: name -> module.
COMMANDS = {
    # Foundation
    "list": "lushbeat_cli.cli.list_cmd",
    "new": "lushbeat_cli.cli.new_cmd",
    "create": "lushbeat_cli.cli.new_cmd",
    # Validation
    "validate": "lushbeat_cli.cli.validate_cmd",
    "schema": "lushbeat_cli.cli.schema_cmd",
    # Search and index
    "search": "lushbeat_cli.cli.search_cmd",
    "index": "lushbeat_cli.cli.index_cmd",
    # Similar posts
    "similar": "lushbeat_cli.cli.similar_cmd",
    # Export
    "export": "lushbeat_cli.cli.export_cmd",
    # Writer workflow
    "init": "lushbeat_cli.cli.init_cmd",
    "show": "lushbeat_cli.cli.show_cmd",
    "publish": "lushbeat_cli.cli.publish_cmd",
    "unpublish": "lushbeat_cli.cli.unpublish_cmd",
    "import": "lushbeat_cli.cli.import_cmd",
    "stats": "lushbeat_cli.cli.stats_cmd",
    "tags": "lushbeat_cli.cli.tags_cmd",
}
HIDDEN = frozenset({"create"})  # aliases kept for old scripts, not listed in help


def main() -> None:
    """Console-script entry point."""
    try:
        from lushbeat_cli.cli._fast import run

        code = run(sys.argv[1:])
        if code is not None:
            sys.exit(code)
        from lushbeat_cli.cli._typer import app  # Ctrl-C while this loads: no traceback

        app()
    except KeyboardInterrupt:
        sys.exit(130)  # as typer ends an interrupted command: quietly, 128 + SIGINT


def __getattr__(name: str) -> object:
    # ``from lushbeat_cli.cli import app`` (tests, embedding) loads the typer app on demand.
    if name == "app":
        from lushbeat_cli.cli._typer import app

        return app
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
