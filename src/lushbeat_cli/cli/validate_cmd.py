"""`lushbeat validate`: schema and editorial lint for articles, for pre-commit and CI."""

from __future__ import annotations

from lushbeat_cli.cli.params import NO_INDEX, OUTPUT, Argument, Option, output_format

TYPE_CHECKING = False
if TYPE_CHECKING:
    from lushbeat_cli.cli._state import State
    from lushbeat_cli.cli.params import Values

RULES = "Rules"
FIXES = "Fixes"
FAST = True  # the start-up fast path answers it (cli._fast)
PARAMS = (
    Argument(
        "paths",
        multiple=True,
        required=False,
        metavar="PATH",
        help="Articles or folders (default: the whole content dir); - reads paths from stdin "
        "(with --stdin-filename: an article's text).",
    ),
    Option(
        "stdin_filename",
        "--stdin-filename",
        metavar="PATH",
        help="Check the text on stdin as the article at PATH (an editor's unsaved buffer); "
        "findings name PATH.",
    ),
    output_format(
        ("text", "json", "github", "sarif", "junit"),
        "text",
        help="text, json, github (Actions annotations), sarif (SARIF 2.1.0, for code "
        "scanning) or junit (JUnit XML, for GitLab and Jenkins).",
    ),
    Option(
        "select",
        "--select",
        multiple=True,
        metavar="CODES",
        help="Only these rules: codes, prefixes or names, comma-separated (LB3,LB401).",
        panel=RULES,
        complete="rules",
    ),
    Option(
        "ignore",
        "--ignore",
        multiple=True,
        metavar="CODES",
        help="Skip these rules (codes, prefixes or names, comma-separated).",
        panel=RULES,
        complete="rules",
    ),
    Option("strict", "--strict", default=False, help="Warnings fail too (exit 1).", panel=RULES),
    Option("fix", "--fix", default=False, help="Repair what can be repaired safely.", panel=FIXES),
    Option(
        "diff",
        "--diff",
        default=False,
        help="Print the repairs as a unified diff; write nothing.",
        panel=FIXES,
    ),
    Option(
        "statistics",
        "--statistics",
        default=False,
        help="Count the findings per rule instead of listing them.",
        panel=OUTPUT,
    ),
    Option(
        "list_rules", "--list-rules", default=False, help="List the rules and exit.", panel=RULES
    ),
    NO_INDEX,
)


def run(values: Values, state: State) -> int:
    """Check articles' front matter and links: schema, editorial rules, collection-wide rules.

    Prints one `path:line:col: CODE message` line per finding, then a summary on stderr.
    Exit 0 when no error is found, 1 when one is (or a warning, with --strict), 2 on a usage
    or config error.

    \b
    Examples:
      lushbeat validate
      lushbeat validate content/2024/07/pilpres-venezuela.md --select LB2,LB3
      git diff --name-only -- content | lushbeat validate - --format github
      lushbeat validate --format sarif > lushbeat.sarif
      lushbeat validate --statistics
      lushbeat validate --fix
      lushbeat validate --stdin-filename content/2024/07/draft.md - < buffer.md
    """
    from lushbeat_cli.cli._actions import ValidateRequest, validate_articles

    if values.list_rules:
        from lushbeat_cli.core.rules import RULES
        from lushbeat_cli.render import findings as render

        render.write_rules(RULES, state.output, values.output_format)
        return 0
    request = ValidateRequest(
        paths=tuple(values.paths or ()),
        output_format=values.output_format,
        select=tuple(values.select or ()),
        ignore=tuple(values.ignore or ()),
        strict=values.strict,
        fix=values.fix,
        diff=values.diff,
        statistics=values.statistics,
        use_index=not values.no_index,
        stdin_filename=values.stdin_filename,
    )
    return validate_articles(state.config, state.output, request)


def uses_index(values: Values) -> bool:
    """Named files are checked against the rest of the collection, read from the index; the
    whole collection is parsed directly."""
    return bool(values.paths) and not values.no_index
