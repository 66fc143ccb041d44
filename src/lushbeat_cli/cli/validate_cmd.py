"""`lushbeat validate`: schema and editorial lint for articles, for pre-commit and CI."""

from __future__ import annotations

from enum import StrEnum
from typing import Annotated

import typer

from lushbeat_cli.cli import _options as opt
from lushbeat_cli.cli._actions import ValidateRequest
from lushbeat_cli.cli._actions import validate_articles as check_articles
from lushbeat_cli.cli._state import state

RULES = "Rules"
FIXES = "Fixes"


class ValidateFormat(StrEnum):
    text = "text"
    json = "json"
    github = "github"


def validate_articles(
    paths: Annotated[
        list[str] | None,
        typer.Argument(
            metavar="PATH",
            help="Articles or folders (default: the whole content dir); - reads paths from stdin.",
            show_default=False,
        ),
    ] = None,
    output_format: Annotated[
        ValidateFormat,
        typer.Option(
            "--format",
            "-f",
            help="text, json, or github (Actions annotations).",
            rich_help_panel=opt.OUTPUT,
        ),
    ] = ValidateFormat.text,
    select: Annotated[
        list[str] | None,
        typer.Option(
            "--select",
            metavar="CODES",
            help="Only these rules: codes, prefixes or names, comma-separated (LB3,LB401).",
            rich_help_panel=RULES,
        ),
    ] = None,
    ignore: Annotated[
        list[str] | None,
        typer.Option(
            "--ignore",
            metavar="CODES",
            help="Skip these rules (codes, prefixes or names, comma-separated).",
            rich_help_panel=RULES,
        ),
    ] = None,
    strict: Annotated[
        bool, typer.Option("--strict", help="Warnings fail too (exit 1).", rich_help_panel=RULES)
    ] = False,
    fix: Annotated[
        bool,
        typer.Option("--fix", help="Repair what can be repaired safely.", rich_help_panel=FIXES),
    ] = False,
    diff: Annotated[
        bool,
        typer.Option(
            "--diff",
            help="Print the repairs as a unified diff; write nothing.",
            rich_help_panel=FIXES,
        ),
    ] = False,
    show_statistics: Annotated[
        bool,
        typer.Option(
            "--statistics",
            help="Count the findings per rule instead of listing them.",
            rich_help_panel=opt.OUTPUT,
        ),
    ] = False,
    list_rules: Annotated[
        bool,
        typer.Option("--list-rules", help="List the rules and exit.", rich_help_panel=RULES),
    ] = False,
    no_index: opt.NoIndexOption = False,
) -> None:
    """Check articles' front matter and links: schema, editorial rules, collection-wide rules.

    Prints one `path:line:col: CODE message` line per finding, then a summary on stderr.
    Exit 0 when no error is found, 1 when one is (or a warning, with --strict), 2 on a usage
    or config error.

    \b
    Examples:
      lushbeat validate
      lushbeat validate content/2024/07/pilpres-venezuela.md --select LB2,LB3
      git diff --name-only -- content | lushbeat validate - --format github
      lushbeat validate --statistics
      lushbeat validate --fix
    """
    from lushbeat_cli.render import findings as render

    run = state()
    if list_rules:
        from lushbeat_cli.core.rules import RULES

        render.write_rules(RULES, run.output, output_format.value)
        return
    request = ValidateRequest(
        paths=tuple(paths or ()),
        output_format=output_format.value,
        select=tuple(select or ()),
        ignore=tuple(ignore or ()),
        strict=strict,
        fix=fix,
        diff=diff,
        statistics=show_statistics,
        use_index=not no_index,
    )
    code = check_articles(run.config, run.output, request)
    if code:
        raise typer.Exit(code)
