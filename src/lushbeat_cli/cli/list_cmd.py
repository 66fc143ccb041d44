"""`lushbeat list`: filter, sort and print articles as a table or a machine format."""

from __future__ import annotations

import sys
from enum import StrEnum
from typing import Annotated

import typer

from lushbeat_cli.cli import _options as opt
from lushbeat_cli.cli._state import load_collection, report_file_errors, state
from lushbeat_cli.core.query import select_articles
from lushbeat_cli.errors import EXIT_FINDINGS, UsageError
from lushbeat_cli.render import machine

TABLE_FIELDS = ("date", "title", "category", "status", "lang", "path")


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
    run = state()
    config = run.config
    query = opt.Filters(tag, category, author, status, since, until, lang, where).query(
        config.tz,
        sort=sort.value,
        reverse=reverse,
        limit=limit,
    )
    if null and output_format is not ListFormat.paths:
        raise UsageError("-0/--null only goes with --format paths")
    corpus = load_collection(config, use_index=not no_index)
    out = run.output
    report_file_errors(corpus.errors)
    articles = select_articles(corpus.articles, query)
    default = TABLE_FIELDS if output_format is ListFormat.table else machine.ARTICLE_FIELDS
    names = opt.parse_fields(fields, default)
    stream = sys.stdout
    if output_format is ListFormat.paths:
        machine.write_paths((machine.display_path(a.path) for a in articles), stream, null=null)
    elif output_format is ListFormat.table:
        from lushbeat_cli.render.human import article_rows

        out.table(names, article_rows(articles, names))
    else:
        records = [machine.article_record(a, names) for a in articles]
        if output_format is ListFormat.json:
            machine.write_json(records, stream)
        elif output_format is ListFormat.jsonl:
            machine.write_jsonl(records, stream)
        else:
            machine.write_csv(records, names, stream, tsv=output_format is ListFormat.tsv)
    total = len(articles)
    summary = f"{total} article{'s' if total != 1 else ''}"
    if corpus.errors:
        count = len(corpus.errors)
        summary += f"; {count} file{'s' if count != 1 else ''} could not be read"
    out.info(summary)
    if corpus.errors:
        raise typer.Exit(EXIT_FINDINGS)
