"""`lushbeat validate`: schema and editorial lint for articles, for pre-commit and CI."""

from __future__ import annotations

import os
import sys
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from lushbeat_cli.cli import _options as opt
from lushbeat_cli.cli._state import state
from lushbeat_cli.errors import EXIT_FINDINGS, UsageError
from lushbeat_cli.render.human import format_error

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
    if diff and output_format is not ValidateFormat.text:
        raise UsageError("--diff prints a diff; it does not go with --format json or github")
    if show_statistics and (diff or output_format is ValidateFormat.github):
        raise UsageError("--statistics goes with --format text or json, without --diff")
    from lushbeat_cli.core.validate import ValidateOptions, validate_paths

    options = ValidateOptions(
        select=_codes(select) if select else None,
        ignore=_codes(ignore or []),
        fix=fix and not diff,
        diff=diff,
        use_index=not no_index,
    )
    targets = _paths(paths or [])
    if paths and not targets:
        run.output.info("No paths on stdin; nothing to check")
        return
    report = validate_paths(run.config, targets, options)
    for error in report.fix_errors:
        run.output.warning(format_error(error))
    render.write_report(
        report,
        run.output,
        output_format.value,
        strict=strict,
        statistics_only=show_statistics,
        diff=diff,
        fixing=options.fix,
    )
    if report.failed(strict=strict) or (diff and report.fixes):
        raise typer.Exit(EXIT_FINDINGS)


def _codes(values: list[str]) -> tuple[str, ...]:
    """``--select LB3,LB401 --select LB2`` -> ``("LB3", "LB401", "LB2")``."""
    return tuple(part.strip() for value in values for part in value.split(",") if part.strip())


def _paths(values: list[str]) -> list[Path]:
    """The paths given, with ``-`` replaced by those read from stdin (lines, or NUL-separated)."""
    paths: list[Path] = []
    for value in values:
        if value == "-":
            text = sys.stdin.read()
            separator = "\0" if "\0" in text else "\n"
            paths.extend(
                Path(os.path.abspath(line.strip("\r")))
                for line in text.split(separator)
                if line.strip()
            )
        else:
            paths.append(Path(os.path.abspath(value)))
    return paths
