"""The command line: ``main`` (the console script) and the typer ``app``.

Nothing outside ``cli`` imports this package. ``main`` first offers the command line to the
start-up fast path (``_fast``), which answers a script's ``search``/``list`` without importing
typer; everything else goes to the typer app in ``cli.commands``, loaded only then.
"""

from __future__ import annotations

import sys


def main() -> None:
    """Console-script entry point."""
    try:
        from lushbeat_cli.cli._fast import run

        code = run(sys.argv[1:])
        if code is not None:
            sys.exit(code)
        from lushbeat_cli.cli.commands import app  # Ctrl-C while this loads: no traceback

        app()
    except KeyboardInterrupt:
        sys.exit(130)  # as typer ends an interrupted command: quietly, 128 + SIGINT


def __getattr__(name: str) -> object:
    # ``from lushbeat_cli.cli import app`` (tests, embedding) loads the typer app on demand.
    if name == "app":
        from lushbeat_cli.cli.commands import app

        return app
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
