"""Regenerate the generated parts of the docs: each command page's option tables, built from
the command's ``PARAMS`` (the declarations its ``--help`` is built from, see
``lushbeat_cli.cli.params``), the global options, and the rule table from the ``RULES`` registry.

A generated part sits between two markers, and only what is between them is rewritten:

    <!-- options: list -->         the options of `lushbeat list` (`tags rename`: a sub-command;
    ...                            `global`: the options that go before the command)
    <!-- /options -->

    <!-- rules -->                 the rule table of `lushbeat validate`
    ...
    <!-- /rules -->

Usage:  .venv/bin/python docs/generate.py           rewrite the pages that are out of date
        .venv/bin/python docs/generate.py --check   only say which are (exit 1)
tests/test_docs.py fails when a page is out of date.
"""

from __future__ import annotations

import importlib
import os
import re
import sys
from pathlib import Path

from lushbeat_cli.cli import COMMANDS
from lushbeat_cli.cli.params import GLOBAL_OPTIONS, Argument, Option, Params

DOCS = Path(__file__).resolve().parent
COMMAND = "python docs/generate.py"

# A marker is a line of its own (so that prose can quote one).
BLOCK = re.compile(
    r"^(?P<open><!-- (?P<kind>options|rules)(?:: (?P<name>[a-z -]+))? -->\n)"
    r"(?P<body>.*?)"
    r"^(?P<close><!-- /(?P=kind) -->)$",
    flags=re.S | re.M,
)


class DocsError(Exception):
    """A marker that names nothing the generator knows."""


# ---------------------------------------------------------------- what the markers name


def command_params(name: str) -> Params:
    """The declarations of ``name``: a command (``list``), a sub-command (``tags rename``) or
    ``global``."""
    if name == "global":
        return GLOBAL_OPTIONS
    command, _, sub = name.partition(" ")
    if command not in COMMANDS:
        raise DocsError(f"<!-- options: {name} -->: no command {command!r}")
    module = importlib.import_module(COMMANDS[command])
    if not sub:
        return module.PARAMS
    subcommands = getattr(module, "SUBCOMMANDS", {})
    if sub not in subcommands:
        raise DocsError(f"<!-- options: {name} -->: {command} has no sub-command {sub!r}")
    return subcommands[sub][0]


# ---------------------------------------------------------------- Markdown


def cell(text: str) -> str:
    """Text for a table cell: a ``|`` would end the cell."""
    return " ".join(text.split()).replace("|", "\\|")


def code(text: str) -> str:
    return f"`{text}`"


def flags_cell(option: Option) -> str:
    # A boolean pair is declared as one "--on/--off" flag.
    flags = [part for flag in option.flags for part in flag.split("/")]
    return ", ".join(code(flag) for flag in flags)


def value_cell(option: Option) -> str:
    if option.is_flag:
        return ""
    if option.choices:
        value = ", ".join(code(choice) for choice in option.choices)
    else:
        metavar = option.metavar or {"int": "INTEGER", "float": "FLOAT", "path": "PATH"}.get(
            option.kind, "TEXT"
        )
        value = code(metavar)
    notes = []
    if option.min is not None and option.max is not None:
        notes.append(f"{number(option.min)} to {number(option.max)}")
    elif option.min is not None:
        notes.append(f"at least {number(option.min)}")
    elif option.max is not None:
        notes.append(f"at most {number(option.max)}")
    if option.multiple:
        notes.append("repeatable")
    if option.required:
        notes.append("required")
    return value + (f" ({', '.join(notes)})" if notes else "")


def number(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else str(value)


def default_cell(option: Option) -> str:
    default = option.default
    if not option.show_default or default is None or option.multiple:
        return ""
    if option.is_flag:
        if "/" not in option.flags[0] or not isinstance(default, bool):
            return ""  # a plain flag is off unless given
        on, off = option.flags[0].split("/", 1)
        return code(on if default else off)
    return code(str(default))


def argument_cell(argument: Argument) -> str:
    metavar = argument.metavar
    if argument.multiple and not metavar.endswith("..."):
        metavar += "..."
    return code(metavar if argument.required else f"[{metavar}]")


def options_block(params: Params) -> str:
    """The Markdown for ``params``: the arguments, then one table per help panel (the options
    without a panel first), in the order ``--help`` shows them."""
    arguments = [param for param in params if isinstance(param, Argument)]
    panels: dict[str, list[Option]] = {"Options": []}
    for param in params:
        if isinstance(param, Option):
            panels.setdefault(param.panel or "Options", []).append(param)
    parts = []
    if arguments:
        rows = [f"| {argument_cell(a)} | {cell(a.help)} |" for a in arguments]
        parts.append(
            "\n".join(["**Arguments**", "", "| argument | what it is |", "|---|---|", *rows])
        )
    for panel, options in panels.items():
        if not options:
            continue
        rows = [
            f"| {flags_cell(o)} | {value_cell(o)} | {default_cell(o)} | {cell(o.help)} |"
            for o in options
        ]
        header = ["| option | value | default | what it does |", "|---|---|---|---|"]
        parts.append("\n".join([f"**{panel}**", "", *header, *rows]))
    return "\n\n".join(parts) + "\n"


def rules_block() -> str:
    from lushbeat_cli.core.rules import RULES

    rows = [
        "| code | name | severity | `--fix` | what it reports | what fixes it |",
        "|---|---|---|---|---|---|",
    ]
    for rule in RULES:
        fix = "yes" if rule.fixable else ""
        rows.append(
            f"| {rule.code} | {code(rule.name)} | {rule.severity.value} | {fix} "
            f"| {cell(rule.description)} | {cell(rule.remedy)} |"
        )
    return "\n".join(rows) + "\n"


# ---------------------------------------------------------------- pages


def render(text: str) -> str:
    """``text`` with every generated part rebuilt."""

    def rebuild(match: re.Match[str]) -> str:
        if match["kind"] == "rules":
            body = rules_block()
        elif match["name"] is None:
            raise DocsError("<!-- options -->: say whose options, e.g. <!-- options: list -->")
        else:
            body = options_block(command_params(match["name"]))
        return match["open"] + "\n" + body + "\n" + match["close"]

    return BLOCK.sub(rebuild, text)


def pages() -> list[Path]:
    return sorted(DOCS.rglob("*.md"))


def stale_pages() -> list[Path]:
    """The pages whose generated parts differ from what the code says now."""
    return [page for page in pages() if render(read(page)) != read(page)]


def read(page: Path) -> str:
    return page.read_text(encoding="utf-8")


def write(page: Path, text: str) -> None:
    """Replace ``page`` atomically: a temporary file in the same folder, renamed over it."""
    temporary = page.with_name(f".{page.name}.tmp")
    temporary.write_text(text, encoding="utf-8")
    os.replace(temporary, page)


def main(argv: list[str]) -> int:
    check = argv == ["--check"]
    if argv and not check:
        print(__doc__, file=sys.stderr)
        return 2
    stale = stale_pages()
    for page in stale:
        where = page.relative_to(DOCS.parent)
        if check:
            print(f"{where} is out of date: run {COMMAND}", file=sys.stderr)
        else:
            write(page, render(read(page)))
            print(f"rewrote {where}", file=sys.stderr)
    return 1 if check and stale else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
