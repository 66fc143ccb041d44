"""`lushbeat list`: filter, sort and print articles as a table or a machine format."""

from __future__ import annotations

from enum import StrEnum
from typing import Annotated

import typer

from lushbeat_cli.cli import _options as opt
from lushbeat_cli.cli._actions import Filters, ListRequest, list_fields
from lushbeat_cli.cli._actions import list_articles as list_articles_
from lushbeat_cli.cli._state import state


class ListFormat(StrEnum):
    table = "table"
    json = "json"
    jsonl = "jsonl"
    csv = "csv"
    tsv = "tsv"
    paths = "paths"


class SortKey(StrEnum):
    date = "date"
    title = "title"
    updated = "updated"
    path = "path"
    slug = "slug"


def list_articles(
    tag: opt.TagOption = None,
    category: opt.CategoryOption = None,
    author: opt.AuthorOption = None,
    status: opt.StatusOption = "all",
    since: opt.SinceOption = None,
    until: opt.UntilOption = None,
    lang: opt.LangOption = None,
    where: opt.WhereOption = None,
    sort: Annotated[
        SortKey,
        typer.Option("--sort", help="Sort key (dates newest first).", rich_help_panel=opt.OUTPUT),
    ] = SortKey.date,
    reverse: Annotated[
        bool, typer.Option("--reverse", "-r", help="Reverse the order.", rich_help_panel=opt.OUTPUT)
    ] = False,
    limit: opt.LimitOption = None,
    output_format: Annotated[
        ListFormat,
        typer.Option("--format", "-f", help="Output format.", rich_help_panel=opt.OUTPUT),
    ] = ListFormat.table,
    fields: opt.FieldsOption = None,
    no_index: opt.NoIndexOption = False,
    null: Annotated[
        bool,
        typer.Option(
            "-0",
            "--null",
            help="With --format paths: NUL-separated (for xargs -0).",
            rich_help_panel=opt.OUTPUT,
        ),
    ] = False,
) -> None:
    """List articles, newest first, with filters.

    \b
    Examples:
      lushbeat list --tag venezuela --format json
      lushbeat list --status draft --format paths -0 | xargs -0 ls -l
    """
    config = state().config
    query = Filters(tag, category, author, status, since, until, lang, where).query(
        config.tz,
        sort=sort.value,
        reverse=reverse,
        limit=limit,
    )
    request = ListRequest(
        query,
        output_format=output_format.value,
        fields=list_fields(fields, output_format.value),
        use_index=not no_index,
        null=null,
    )
    code = list_articles_(config, state().output, request)
    if code:
        raise typer.Exit(code)
