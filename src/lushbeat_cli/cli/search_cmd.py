"""`lushbeat search`: ranked full-text search over the index, with list's filters."""

from __future__ import annotations

from lushbeat_cli.cli.params import (
    FILTER_OPTIONS,
    NO_INDEX,
    NULL,
    Argument,
    Option,
    limit_option,
    output_format,
)

TYPE_CHECKING = False
if TYPE_CHECKING:
    from lushbeat_cli.cli._state import State
    from lushbeat_cli.cli.params import Values

SEARCH = "Search"
FAST = True  # the start-up fast path answers it (cli._fast)
PARAMS = (
    Argument(
        "words",
        multiple=True,
        metavar="QUERY",
        help='Words to find (all must match). "exact phrase", word* (prefix), -word '
        "(exclude), a OR b. Quote the query for your shell when it has quotes, * or "
        "-word (or put -- before it).",
    ),
    Option(
        "field",
        "--field",
        choices=("all", "title", "summary", "tags", "body"),
        default="all",
        help="Search only this field.",
        panel=SEARCH,
    ),
    Option(
        "exact",
        "--exact",
        default=False,
        help="No typo correction and no automatic prefixes: only the words as typed.",
        panel=SEARCH,
    ),
    *FILTER_OPTIONS,
    limit_option("At most N results.", default=20, min=1),
    output_format(("table", "json", "jsonl", "paths"), "table"),
    NULL,
    NO_INDEX,
)


def run(values: Values, state: State) -> int:
    """Search the articles' title, summary, tags and body; best match first.

    Matching ignores case and accents ("energie" finds "Énergie"). A word that occurs nowhere
    is read as the start of longer words ("pemil" finds "pemilu" and "pemilihan"), or else as a
    typo of the closest indexed word; stderr says so. Exit code 1 when nothing matches.

    \b
    Examples:
      lushbeat search pilpres venezuela
      lushbeat search '"bank indonesia" suku bunga' --since 2024-06-01
      lushbeat search 'pemil* -pilkada' --field title --format json
      lushbeat search --format paths -- venezuela -maduro
      lushbeat search maduro OR gonzalez --tag venezuela --format paths
    """
    from lushbeat_cli.cli._actions import Filters, SearchRequest, search_articles

    config, output = state.config, state.output
    request = SearchRequest(
        values.words,
        Filters.from_values(values).query(config.tz),
        field=values.field,
        exact=values.exact,
        limit=values.limit,
        output_format=values.output_format,
        null=values.null,
        use_index=not values.no_index,
    )
    return search_articles(config, output, request)


def uses_index(values: Values) -> bool:
    """Whether the run reads the index (the fast path then scans the folder in a child)."""
    return not values.no_index
