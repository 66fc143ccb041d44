"""`lushbeat stats`: articles per month, category, author, tag and language; words; statuses."""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING

from lushbeat_cli.cli._actions import Filters
from lushbeat_cli.cli._corpus import load_articles
from lushbeat_cli.cli._state import State
from lushbeat_cli.cli.params import FILTER_OPTIONS, NO_INDEX, OUTPUT, Option, Values, output_format
from lushbeat_cli.render import machine

if TYPE_CHECKING:
    from lushbeat_cli.core.stats import Stats

PARAMS = (
    *FILTER_OPTIONS,
    output_format(("text", "json", "csv"), "text"),
    Option(
        "top",
        "--top",
        kind="int",
        default=15,
        min=1,
        metavar="N",
        help="Text only: at most N bars per chart (months are all shown).",
        panel=OUTPUT,
    ),
    NO_INDEX,
)
TITLES = {
    "month": "Articles per month",
    "category": "Per category",
    "author": "Per author",
    "tag": "Per tag",
    "lang": "Per language",
}
NONE_LABELS = {
    "month": "(undated)",
    "category": "(none)",
    "author": "(none)",
    "tag": "(no tags)",
    "lang": "(none)",
}


def run(values: Values, state: State) -> int:
    """Counts of articles per month, category, author, tag and language, as bar charts.

    Also drafts, published and scheduled counts, and words per article (min, median, max).
    The filters are those of `lushbeat list`.

    JSON: one object (see docs/formats.md); CSV: one row per number (dimension, key, count).

    \b
    Examples:
      lushbeat stats
      lushbeat stats --since 2024-01-01 --until 2024-12-31 --lang id
      lushbeat stats --format json | jq '.by_category'
    """
    from lushbeat_cli.core.stats import compute_stats

    selection = load_articles(Filters.from_values(values), no_index=values.no_index)
    stats = compute_stats(selection.articles)
    if values.output_format == "json":
        from lushbeat_cli.render.shapes import stats_document, write_document

        write_document(stats_document(stats), sys.stdout)
    elif values.output_format == "csv":
        from lushbeat_cli.render.shapes import STATS_ROW_FIELDS, stats_rows

        machine.write_csv(stats_rows(stats), STATS_ROW_FIELDS, sys.stdout)
    else:
        _print_charts(state, stats, values.top)
    if selection.unreadable:
        state.output.info(selection.unreadable)
    selection.exit_if_unreadable()
    return 0


def _print_charts(state: State, stats: Stats, top: int) -> None:
    from lushbeat_cli.core.stats import DIMENSIONS
    from lushbeat_cli.render.charts import print_chart, print_summary

    out = state.output
    words = stats.words
    statuses = ", ".join(f"{count} {name}" for name, count in stats.status.items())
    print_summary(
        out,
        [
            ("articles", f"{stats.articles} ({statuses})"),
            (
                "words per article",
                f"min {words.min}, median {words.median}, max {words.max} (total {words.total})",
            ),
        ],
    )
    for dimension in DIMENSIONS:
        buckets = stats.buckets[dimension]
        shown = buckets if dimension == "month" else buckets[:top]
        rows = [(b.key if b.key is not None else NONE_LABELS[dimension], b.count) for b in shown]
        if rows:
            print_chart(out, TITLES[dimension], rows, hidden=len(buckets) - len(shown))
