"""`lushbeat init`: a new project (commented config, content/, templates/, .gitignore)."""

from __future__ import annotations

import sys
from pathlib import Path

from lushbeat_cli import __version__
from lushbeat_cli.cli._state import State
from lushbeat_cli.cli.params import Argument, Option, Values
from lushbeat_cli.render.machine import display_path

PARAMS = (
    Argument(
        "directory",
        kind="path",
        required=False,
        default=Path("."),
        metavar="DIR",
        help="Project folder (default: here; created if needed).",
    ),
    Option("lang", "--lang", metavar="LANG", help="default_lang for new articles, e.g. id."),
    Option(
        "timezone",
        "--timezone",
        metavar="ZONE",
        help='Time zone, e.g. Asia/Jakarta, "UTC" or "+07:00".',
    ),
    Option("author", "--author", metavar="NAME", help="default_author for new articles."),
)


def run(values: Values, state: State) -> int:
    """Create a lushbeat project: lushbeat.toml, content/, templates/default.md, .gitignore.

    lushbeat.toml lists every setting with its default, commented out.
    --lang, --timezone and --author set theirs. The index folder goes into .gitignore.
    Existing folders and templates are kept; an existing config is refused (exit 1).
    Prints the lines to add to .pre-commit-config.yaml.

    \b
    Examples:
      lushbeat init newsroom --lang id --timezone Asia/Jakarta
      lushbeat init . --author "Redaksi Lush Beat"
    """
    from lushbeat_cli.core.workflow.scaffold import apply_init, plan_init, precommit_snippet

    out = state.output
    plan = plan_init(
        values.directory, lang=values.lang, timezone=values.timezone, author=values.author
    )
    done = {
        "create": "created",
        "mkdir": "created",
        "append": "added .lushbeat/ to",
        "keep": "kept",
    }
    for step in apply_init(plan):
        name = display_path(step.path) + (
            "/" if step.action == "mkdir" or step.path.is_dir() else ""
        )
        message = f"{done[step.action]} {name}"
        if step.action == "keep":
            out.info(message)
        else:
            out.success(message)
    out.info("Add this to .pre-commit-config.yaml to check articles on every commit:")
    sys.stdout.write(precommit_snippet(__version__, plan.content_dir))
    return 0
