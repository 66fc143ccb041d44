"""`lushbeat search`: ranked full-text search over the index, with list's filters."""

from __future__ import annotations

from enum import StrEnum
from typing import Annotated

import typer

from lushbeat_cli.cli import _options as opt
from lushbeat_cli.cli._actions import Filters, SearchRequest
from lushbeat_cli.cli._actions import search_articles as run_search
from lushbeat_cli.cli._state import state


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
    config = state().config
    filters = Filters(tag, category, author, status, since, until, lang, where).query(config.tz)
    request = SearchRequest(
        words,
        filters,
        field=field.value,
        exact=exact,
        limit=limit,
        output_format=output_format.value,
        null=null,
        use_index=not no_index,
    )
    code = run_search(config, state().output, request)
    if code:
        raise typer.Exit(code)
