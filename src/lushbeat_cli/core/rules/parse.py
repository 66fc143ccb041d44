"""LB1xx: what reading the file found (core/reading/frontmatter.py raises or warns with these
codes).

Each parse rule is one ``ParseRule`` entry of ``PARSE_RULES``; the registry lists them first.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from lushbeat_cli.core.findings import Finding, Severity
from lushbeat_cli.core.rules.base import ERROR, WARNING, FileContext, Rule
from lushbeat_cli.errors import ParseError


class ParseRule(Rule):
    """A problem met while reading the file (core/reading/frontmatter.py raises or warns with
    it)."""

    def __init__(
        self, code: str, name: str, severity: Severity, description: str, remedy: str
    ) -> None:
        self.code, self.name, self.severity = code, name, severity
        self.description, self.remedy = description, remedy

    def check(self, ctx: FileContext) -> Iterator[Finding]:
        for finding in ctx.article.findings:
            if finding.code == self.code:
                yield finding


class MissingOpener(ParseRule):
    """LB115, which ``--fix`` repairs: the opening ``---`` line goes back where it was lost."""

    fixable = True

    def check(self, ctx: FileContext) -> Iterator[Finding]:
        for finding in super().check(ctx):
            yield finding._replace(fixable=True)

    def fix(self, text: str, ctx: FileContext) -> str:
        from lushbeat_cli.core.reading.frontmatter import split_front_matter

        try:
            split = split_front_matter(text, ctx.article.path)
        except ParseError:
            return text
        if split.opened:
            return text
        return text[: split.start] + "---" + split.newline + text[split.start :]


def parse_error_finding(error: ParseError) -> Finding:
    """A file that could not be read at all, as a finding."""
    return Finding(
        error.path or Path("?"), error.line or 1, error.col or 1, error.code, error.message
    )


PARSE_RULES: tuple[ParseRule, ...] = (
    ParseRule(
        "LB101",
        "no-front-matter",
        ERROR,
        "The file does not start with front matter (`---`, `+++` or `{`).",
        "Add front matter, or keep non-articles out of the content dir (`--ignore LB101`).",
    ),
    ParseRule(
        "LB102",
        "unterminated-front-matter",
        ERROR,
        "The front matter is opened but never closed.",
        "Add the closing `---` / `+++` line (or close the JSON object).",
    ),
    ParseRule(
        "LB103",
        "not-a-mapping",
        ERROR,
        "The front matter is a list or a single value, not `key: value` pairs.",
        "Write the front matter as keys and values.",
    ),
    ParseRule(
        "LB104",
        "syntax-error",
        ERROR,
        "The YAML, TOML or JSON front matter has a syntax error (at its line and column).",
        "Fix the syntax at the position shown (often a `:` or quote in an unquoted value).",
    ),
    ParseRule(
        "LB105",
        "duplicate-key",
        ERROR,
        "A key appears twice (YAML keeps only the last value, silently).",
        "Remove one of the two entries.",
    ),
    ParseRule(
        "LB106",
        "unsafe-yaml-tag",
        ERROR,
        "A YAML tag such as `!!python/object` (reported, never executed).",
        "Remove the tag; front matter holds plain values.",
    ),
    ParseRule(
        "LB107",
        "alias-bomb",
        ERROR,
        "YAML aliases expand to too many values, or nesting is too deep.",
        "Remove the aliases; write the values out.",
    ),
    ParseRule(
        "LB108",
        "not-utf8",
        ERROR,
        "The file is not valid UTF-8.",
        "Re-save the file as UTF-8.",
    ),
    ParseRule(
        "LB109",
        "byte-order-mark",
        WARNING,
        "The file starts with a UTF-8 byte order mark (BOM).",
        "Re-save the file as UTF-8 without BOM.",
    ),
    ParseRule(
        "LB110",
        "binary-file",
        ERROR,
        "The file contains NUL bytes: binary content, not an article.",
        "Move the file out of the content dir.",
    ),
    ParseRule(
        "LB111",
        "file-too-large",
        ERROR,
        "The file is larger than `max_file_size`; it is not read.",
        "Split the file, or raise `max_file_size`.",
    ),
    ParseRule(
        "LB112",
        "unreadable",
        ERROR,
        "The file cannot be read (missing, a directory, no permission).",
        "Check the path and its permissions.",
    ),
    ParseRule(
        "LB113",
        "empty-file",
        ERROR,
        "The file is empty.",
        "Write the article, or delete the file.",
    ),
    ParseRule(
        "LB114",
        "blank-lines-before-front-matter",
        WARNING,
        "Blank lines come before the front matter (many tools then miss it).",
        "Delete the blank lines at the top.",
    ),
    MissingOpener(
        "LB115",
        "no-opening-delimiter",
        ERROR,
        "The front matter's `key: value` lines end with `---` but do not start with one "
        "(the article is read as if they did; a site shows them as text).",
        "`--fix` adds the opening `---` line.",
    ),
)
