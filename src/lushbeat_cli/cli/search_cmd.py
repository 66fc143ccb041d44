"""`lushbeat search`: ranked full-text search over the index, with list's filters."""

from __future__ import annotations

import sys
from enum import StrEnum
from typing import Annotated

import typer

from lushbeat_cli.cli import _options as opt
from lushbeat_cli.cli._state import report_file_errors, state
from lushbeat_cli.errors import EXIT_FINDINGS, UsageError
from lushbeat_cli.render import machine


class SearchFormat(StrEnum):
    table = "table"
    json = "json"
    jsonl = "jsonl"
    paths = "paths"


class SearchField(StrEnum):
    all = "all"
    title = "title"
    summary = "summary"
    tags = "tags"
    body = "body"


def search_articles(
    words: Annotated[
        list[str],
        typer.Argument(
            metavar="QUERY",
            help='Words to find (all must match). "exact phrase", word* (prefix), -word '
            "(exclude), a OR b. Quote the query for your shell when it has quotes, * or "
            "-word (or put -- before it).",
            show_default=False,
        ),
    ],
    field: Annotated[
        SearchField,
        typer.Option("--field", help="Search only this field.", rich_help_panel="Search"),
    ] = SearchField.all,
    exact: Annotated[
        bool,
        typer.Option(
            "--exact",
            help="No typo correction and no automatic prefixes: only the words as typed.",
            rich_help_panel="Search",
        ),
    ] = False,
    tag: opt.TagOption = None,
    category: opt.CategoryOption = None,
    author: opt.AuthorOption = None,
    status: opt.StatusOption = "all",
    since: opt.SinceOption = None,
    until: opt.UntilOption = None,
    lang: opt.LangOption = None,
    where: opt.WhereOption = None,
    limit: Annotated[
        int,
        typer.Option(
            "--limit",
            "-n",
            min=1,
            metavar="N",
            help="At most N results.",
            rich_help_panel=opt.OUTPUT,
        ),
    ] = 20,
    output_format: Annotated[
        SearchFormat,
        typer.Option("--format", "-f", help="Output format.", rich_help_panel=opt.OUTPUT),
    ] = SearchFormat.table,
    null: Annotated[
        bool,
        typer.Option(
            "-0",
            "--null",
            help="With --format paths: NUL-separated (for xargs -0).",
            rich_help_panel=opt.OUTPUT,
        ),
    ] = False,
    no_index: opt.NoIndexOption = False,
) -> None:
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
    from lushbeat_cli.core.search import SearchOptions, run_search

    run = state()
    config = run.config
    filters = opt.Filters(tag, category, author, status, since, until, lang, where).query(config.tz)
    if null and output_format is not SearchFormat.paths:
        raise UsageError("-0/--null only goes with --format paths")
    text = " ".join(words)
    options = SearchOptions(
        text=text, column=field.value, exact=exact, limit=limit, filters=filters
    )
    out = run.output
    with out.progress("indexing") as progress:
        result = run_search(config, options, use_index=not no_index, progress=progress)
    for notice in result.notices:
        out.warning(notice)
    report_file_errors(result.errors)
    for correction in result.corrections:
        out.info(correction.message())
    hits = result.hits
    if not hits:
        out.info(f"no articles match {text.strip()!r}")
        raise typer.Exit(EXIT_FINDINGS)
    stream = sys.stdout
    if output_format is SearchFormat.paths:
        machine.write_paths((machine.display_path(h.article.path) for h in hits), stream, null=null)
    elif output_format is SearchFormat.table:
        _print_table(hits)
    else:
        records = [machine.search_record(hit) for hit in hits]
        if output_format is SearchFormat.json:
            machine.write_json(records, stream)
        else:
            machine.write_jsonl(records, stream)
    out.info(f"{len(hits)} result{'s' if len(hits) != 1 else ''}")


def _print_table(hits: list) -> None:  # type: ignore[type-arg]
    from lushbeat_cli.core.index import MARK_CLOSE, MARK_OPEN
    from lushbeat_cli.render.human import highlighted

    out = state().output
    rows = []
    for hit in hits:
        article = hit.article
        snippet = " ".join(hit.snippet.split())
        rows.append(
            [
                f"{hit.score:.3g}",
                article.title,
                article.date.date().isoformat() if article.date else "",
                machine.display_path(article.path),
                highlighted(snippet, MARK_OPEN, MARK_CLOSE, style="match"),
            ]
        )
    out.table(("score", "title", "date", "path", "snippet"), rows)
