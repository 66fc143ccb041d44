"""`lushbeat list`: filter, sort and print articles as a table or a machine format."""

from __future__ import annotations

from lushbeat_cli.cli.params import (
    FILTER_OPTIONS,
    NO_INDEX,
    NULL,
    OUTPUT,
    REVERSE,
    Option,
    limit_option,
    output_format,
)

TYPE_CHECKING = False
if TYPE_CHECKING:
    from lushbeat_cli.cli._state import State
    from lushbeat_cli.cli.params import Values

FAST = True  # the start-up fast path answers it (cli._fast)
PARAMS = (
    *FILTER_OPTIONS,
    Option(
        "sort",
        "--sort",
        choices=("date", "title", "updated", "path", "slug"),
        default="date",
        help="Sort key (dates newest first).",
        panel=OUTPUT,
    ),
    REVERSE,
    limit_option("At most N results."),
    output_format(("table", "json", "jsonl", "csv", "tsv", "paths"), "table"),
    Option(
        "fields",
        "--fields",
        metavar="a,b,c",
        help="Comma-separated fields to output (any front-matter key).",
        panel=OUTPUT,
    ),
    NO_INDEX,
    NULL,
)


def run(values: Values, state: State) -> int:
    """List articles, newest first, with filters.

    \b
    Examples:
      lushbeat list --tag venezuela --format json
      lushbeat list --status draft --format paths -0 | xargs -0 ls -l
    """
    from lushbeat_cli.cli._actions import Filters, ListRequest, list_articles, list_fields

    config, output = state.config, state.output
    query = Filters.from_values(values).query(
        config.tz, sort=values.sort, reverse=values.reverse, limit=values.limit
    )
    request = ListRequest(
        query,
        output_format=values.output_format,
        fields=list_fields(values.fields, values.output_format),
        use_index=not values.no_index,
        null=values.null,
    )
    return list_articles(config, output, request)


def uses_index(values: Values) -> bool:
    """Whether the run reads the index (the fast path then scans the folder in a child)."""
    return not values.no_index
