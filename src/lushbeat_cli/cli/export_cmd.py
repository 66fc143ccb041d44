"""`lushbeat export`: articles as data (JSON, JSONL, CSV, SQLite, OpenSearch bulk), a static
HTML site, or RSS/Atom/JSON feeds. The formats live in ``lushbeat_cli.exporters``.
"""

from __future__ import annotations

import dataclasses
import sys
from functools import partial
from pathlib import Path

from lushbeat_cli.cli._actions import Filters, parse_fields, warn_unknown_fields
from lushbeat_cli.cli._corpus import load_articles
from lushbeat_cli.cli._state import State
from lushbeat_cli.cli.params import (
    FILTER_OPTIONS,
    NO_INDEX,
    OUTPUT,
    REVERSE,
    Option,
    Values,
    limit_option,
)
from lushbeat_cli.render.machine import display_path
from lushbeat_cli.render.progress import progress_bars

SITE = "Site and feeds"

PARAMS = (
    Option(
        "output_format",
        "--format",
        "-f",
        metavar="FORMAT",
        help="json, jsonl, csv, sqlite, html, rss, atom, jsonfeed or opensearch "
        "(default: from the --output suffix).",
        panel=OUTPUT,
    ),
    Option(
        "output",
        "--output",
        "-o",
        metavar="PATH|-",
        help="File (or folder, for html) to write; - or none: stdout. A device or FIFO "
        "is written to, a symlink written through.",
        panel=OUTPUT,
    ),
    *FILTER_OPTIONS,
    Option(
        "sort",
        "--sort",
        metavar="KEY",
        help="Data formats: date, title, updated, path or slug (dates newest first).",
        panel=OUTPUT,
    ),
    REVERSE,
    limit_option("At most N articles (feeds: the newest N; default 20)."),
    Option(
        "fields",
        "--fields",
        metavar="a,b,c",
        help="csv: more columns after the fixed ones (any front-matter key).",
        panel=OUTPUT,
    ),
    Option(
        "html",
        "--html",
        default=False,
        help="json, jsonl, sqlite, opensearch: add the body rendered as safe HTML.",
        panel=OUTPUT,
    ),
    Option(
        "index",
        "--index",
        metavar="NAME",
        help="opensearch: the index name (default: \\[export] index or 'articles').",
        panel=OUTPUT,
    ),
    Option(
        "include_drafts",
        "--include-drafts",
        default=False,
        help="html and feeds: keep drafts and scheduled articles (left out by default).",
        panel=SITE,
    ),
    Option(
        "base_url",
        "--base-url",
        metavar="URL",
        help="Where the site is published, e.g. https://example.com (needed by feeds).",
        panel=SITE,
    ),
    Option(
        "title",
        "--title",
        metavar="TEXT",
        help="Site and feed title (default: \\[export] title or the project folder's name).",
        panel=SITE,
    ),
    Option(
        "per_page",
        "--per-page",
        kind="int",
        metavar="N",
        help="html: articles per index page (default 20).",
        panel=SITE,
    ),
    Option(
        "force",
        "--force",
        default=False,
        help="html: write into a folder that is not a previous lushbeat export, or over "
        "files lushbeat did not write; only the paths lushbeat writes are replaced.",
        panel=SITE,
    ),
    NO_INDEX,
)


def run(values: Values, state: State) -> int:
    """Export articles with the same filters as list: data, a static site, or feeds.

    Formats: json (one array), jsonl (one record per line), csv (for spreadsheets; formulas
    defused), sqlite (articles, tags, article_tags, related), html (a static site folder),
    rss, atom and jsonfeed (the newest 20 live articles; need --base-url), opensearch (NDJSON
    for the _bulk API). Data goes to stdout unless --output names a file; html and sqlite need
    --output. Drafts and scheduled articles stay out of html and feeds unless --include-drafts.

    \b
    Examples:
      lushbeat export --format json --output - | jq '.[].title'
      lushbeat export --format csv --fields summary,source --output articles.csv
      lushbeat export --format sqlite --output articles.db && datasette articles.db
      lushbeat export --format html --output site/ --title "Lush Beat"
      lushbeat export --format rss --base-url https://example.com --output site/rss.xml
      lushbeat export --format opensearch --index articles --output bulk.ndjson
    """
    from lushbeat_cli.core.similar.engine import SimilarSettings
    from lushbeat_cli.exporters import get_exporter
    from lushbeat_cli.exporters.base import Destination, build_options, check_request, run_export

    config = state.config
    out = state.output
    path = None if values.output in (None, "-") else Path(values.output)
    exporter = get_exporter(values.output_format, path)
    given = [
        name
        for name, value in (
            ("fields", values.fields is not None),
            ("html_body", values.html),
            ("index_name", values.index is not None),
            ("per_page", values.per_page is not None),
            ("force", values.force),
            ("sort", values.sort is not None or values.reverse),
        )
        if value
    ]
    options = build_options(
        config.section("export"),
        project_root=config.root,
        content_root=config.content_path,
        default_lang=config.default_lang,
        title=values.title,
        base_url=values.base_url,
        per_page=values.per_page,
        index_name=values.index,
        fields=parse_fields(values.fields, ()),
        html_body=values.html,
        include_drafts=values.include_drafts,
        limit=values.limit,
        force=values.force,
        similar=SimilarSettings.from_config(config) if exporter.suggests_similar else None,
    )
    destination = Destination(path, None if path is not None else sys.stdout.buffer)
    check_request(exporter, options, destination, given)  # usage errors before any reading
    selection = load_articles(
        Filters.from_values(values),
        no_index=values.no_index,
        sort=values.sort or "date",
        reverse=values.reverse,
    )
    articles = selection.articles
    warn_unknown_fields(options.fields, selection.corpus.articles, out)
    label = f"export {exporter.name}"
    with progress_bars(out, enabled=out.stderr_is_terminal) as bars:
        progress = None if bars is None else partial(bars, label)
        corpus = tuple(selection.corpus.articles)
        options = dataclasses.replace(options, corpus=corpus, progress=progress)
        result = run_export(exporter, articles, options, destination, given)
    for note in result.notes:
        out.info(note)
    count = f"{result.count} article{'s' if result.count != 1 else ''}"
    if result.path is not None:
        shown = display_path(result.path) + ("/" if exporter.writes_directory else "")
        summary = f"{count} exported to {shown} ({exporter.name})"
    else:
        summary = f"{count} ({exporter.name})"
    if selection.unreadable:
        summary += f"; {selection.unreadable}"
    out.info(summary)
    selection.exit_if_unreadable()
    return 0
