"""`lushbeat export`: articles as data (JSON, JSONL, CSV, SQLite, OpenSearch bulk), a static
HTML site, or RSS/Atom/JSON feeds. The formats live in ``lushbeat_cli.exporters``.
"""

from __future__ import annotations

import dataclasses
import sys
from functools import partial
from pathlib import Path
from typing import Annotated

import typer

from lushbeat_cli.cli import _options as opt
from lushbeat_cli.cli._actions import Filters, parse_fields
from lushbeat_cli.cli._corpus import load_articles
from lushbeat_cli.cli._state import state
from lushbeat_cli.render.machine import display_path
from lushbeat_cli.render.progress import progress_bars

PROGRESS_THRESHOLD = 100  # articles; fewer finish before a bar would be worth drawing
SITE = "Site and feeds"


def export_articles(
    output_format: Annotated[
        str | None,
        typer.Option(
            "--format",
            "-f",
            metavar="FORMAT",
            help="json, jsonl, csv, sqlite, html, rss, atom, jsonfeed or opensearch "
            "(default: from the --output suffix).",
            rich_help_panel=opt.OUTPUT,
        ),
    ] = None,
    output: Annotated[
        str | None,
        typer.Option(
            "--output",
            "-o",
            metavar="PATH|-",
            help="File (or folder, for html) to write; - or none: stdout. A device or FIFO "
            "is written to, a symlink written through.",
            rich_help_panel=opt.OUTPUT,
        ),
    ] = None,
    tag: opt.TagOption = None,
    category: opt.CategoryOption = None,
    author: opt.AuthorOption = None,
    status: opt.StatusOption = "all",
    since: opt.SinceOption = None,
    until: opt.UntilOption = None,
    lang: opt.LangOption = None,
    where: opt.WhereOption = None,
    sort: Annotated[
        str | None,
        typer.Option(
            "--sort",
            metavar="KEY",
            help="Data formats: date, title, updated, path or slug (dates newest first).",
            rich_help_panel=opt.OUTPUT,
        ),
    ] = None,
    reverse: Annotated[
        bool, typer.Option("--reverse", "-r", help="Reverse the order.", rich_help_panel=opt.OUTPUT)
    ] = False,
    limit: Annotated[
        int | None,
        typer.Option(
            "--limit",
            "-n",
            min=0,
            metavar="N",
            help="At most N articles (feeds: the newest N; default 20).",
            rich_help_panel=opt.OUTPUT,
        ),
    ] = None,
    fields: Annotated[
        str | None,
        typer.Option(
            "--fields",
            metavar="a,b,c",
            help="csv: more columns after the fixed ones (any front-matter key).",
            rich_help_panel=opt.OUTPUT,
        ),
    ] = None,
    html: Annotated[
        bool,
        typer.Option(
            "--html",
            help="json, jsonl, sqlite, opensearch: add the body rendered as safe HTML.",
            rich_help_panel=opt.OUTPUT,
        ),
    ] = False,
    index: Annotated[
        str | None,
        typer.Option(
            "--index",
            metavar="NAME",
            help="opensearch: the index name (default: \\[export] index or 'articles').",
            rich_help_panel=opt.OUTPUT,
        ),
    ] = None,
    include_drafts: Annotated[
        bool,
        typer.Option(
            "--include-drafts",
            help="html and feeds: keep drafts and scheduled articles (left out by default).",
            rich_help_panel=SITE,
        ),
    ] = False,
    base_url: Annotated[
        str | None,
        typer.Option(
            "--base-url",
            metavar="URL",
            help="Where the site is published, e.g. https://example.com (needed by feeds).",
            rich_help_panel=SITE,
        ),
    ] = None,
    title: Annotated[
        str | None,
        typer.Option(
            "--title",
            metavar="TEXT",
            help="Site and feed title (default: \\[export] title or the project folder's name).",
            rich_help_panel=SITE,
        ),
    ] = None,
    per_page: Annotated[
        int | None,
        typer.Option(
            "--per-page",
            metavar="N",
            help="html: articles per index page (default 20).",
            rich_help_panel=SITE,
        ),
    ] = None,
    force: Annotated[
        bool,
        typer.Option(
            "--force",
            help="html: write into a folder that is not a previous lushbeat export, or over "
            "files lushbeat did not write; only the paths lushbeat writes are replaced.",
            rich_help_panel=SITE,
        ),
    ] = False,
    no_index: opt.NoIndexOption = False,
) -> None:
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
    from lushbeat_cli.core.related import SimilarSettings
    from lushbeat_cli.exporters import get_exporter
    from lushbeat_cli.exporters.base import Destination, build_options, check_request, run_export

    run = state()
    config = run.config
    out = run.output
    path = None if output in (None, "-") else Path(output)
    exporter = get_exporter(output_format, path)
    given = [
        name
        for name, value in (
            ("fields", fields is not None),
            ("html_body", html),
            ("index_name", index is not None),
            ("per_page", per_page is not None),
            ("force", force),
            ("sort", sort is not None or reverse),
        )
        if value
    ]
    options = build_options(
        config.section("export"),
        project_root=config.root,
        content_root=config.content_path,
        default_lang=config.default_lang,
        title=title,
        base_url=base_url,
        per_page=per_page,
        index_name=index,
        fields=parse_fields(fields, ()),
        html_body=html,
        include_drafts=include_drafts,
        limit=limit,
        force=force,
        similar=SimilarSettings.from_config(config) if exporter.suggests_similar else None,
    )
    destination = Destination(path, None if path is not None else sys.stdout.buffer)
    check_request(exporter, options, destination, given)  # usage errors before any reading
    selection = load_articles(
        Filters(tag, category, author, status, since, until, lang, where),
        no_index=no_index,
        sort=sort or "date",
        reverse=reverse,
    )
    articles = selection.articles
    label = f"export {exporter.name}"
    enabled = len(articles) >= PROGRESS_THRESHOLD and out.stderr_is_terminal
    with progress_bars(out, enabled=enabled) as bars:
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
