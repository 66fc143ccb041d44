"""`lushbeat tags`: list tags with counts, find near-duplicate spellings, rename and merge.

A typer sub-app: its callback lists (when no sub-command is given); `rename` and `merge`
rewrite only the tags key of the affected articles.
"""

from __future__ import annotations

import shlex
import sys
from enum import StrEnum
from typing import Annotated

import typer

from lushbeat_cli.cli import _options as opt
from lushbeat_cli.cli._corpus import load_articles
from lushbeat_cli.cli._help import HelpGroup
from lushbeat_cli.cli._state import boundary, report_file_errors, state, with_boundary
from lushbeat_cli.errors import EXIT_FINDINGS, LushbeatError
from lushbeat_cli.render import machine
from lushbeat_cli.render.human import format_error


class TagsFormat(StrEnum):
    table = "table"
    json = "json"
    csv = "csv"


class TagSort(StrEnum):
    count = "count"
    name = "name"


DryRunOption = Annotated[
    bool,
    typer.Option("--dry-run", "-n", help="Print the paths that would change; write nothing."),
]
DiffOption = Annotated[
    bool, typer.Option("--diff", help="Print a unified diff of every change; write nothing.")
]

tags_app = typer.Typer(
    name="tags",
    cls=HelpGroup,
    no_args_is_help=False,
    context_settings={"help_option_names": ["-h", "--help"]},
)


def list_tags(
    ctx: typer.Context,
    output_format: Annotated[
        TagsFormat, typer.Option("--format", "-f", help="Output format.")
    ] = TagsFormat.table,
    similar: Annotated[
        bool,
        typer.Option("--similar", help="Only groups of near-duplicate spellings, with a fix."),
    ] = False,
    threshold: Annotated[
        float,
        typer.Option(
            "--threshold",
            min=50,
            max=100,
            metavar="SCORE",
            help="With --similar: how alike (0-100) two spellings must be to count as a typo.",
        ),
    ] = 90.0,
    sort: Annotated[
        TagSort, typer.Option("--sort", help="count (most used first) or name (A-Z).")
    ] = TagSort.count,
    no_index: opt.NoIndexOption = False,
) -> None:
    """Every tag with the number of articles using it; or groups of near-duplicate tags.

    --similar groups spellings that differ in case, accents, spaces or hyphens, or by a typo.
    Each group gets the most used spelling as canonical, and the merge command that fixes it.
    The sub-commands rename and merge rewrite only the tags key of the articles.

    \b
    Examples:
      lushbeat tags
      lushbeat tags --similar
      lushbeat tags --format csv > tags.csv
      lushbeat tags rename nilai-tukar kurs --diff
      lushbeat tags merge Venezuela Venezuella --into venezuela
    """
    if ctx.invoked_subcommand is not None:
        return
    from lushbeat_cli.core.query import fold
    from lushbeat_cli.core.tags import count_tags, similar_tag_groups

    run = state()
    selection = load_articles(no_index=no_index)
    counts = count_tags(selection.corpus.articles)
    if sort is TagSort.name:
        counts.sort(key=lambda item: (fold(item.tag), item.tag))
    out = run.output
    if similar:
        groups = similar_tag_groups(counts, threshold)
        _print_groups(groups, output_format)
        for group in groups:
            sources = [v.tag for v in group.variants if v.tag != group.canonical]
            command = ["lushbeat", "tags", "merge", *sources, "--into", group.canonical]
            out.info("  " + shlex.join(command))
        out.info(f"{len(groups)} group{'s' if len(groups) != 1 else ''} of similar tags")
    else:
        from lushbeat_cli.render.records import TAG_FIELDS, tag_records, write_document

        records = tag_records(counts)
        if output_format is TagsFormat.json:
            write_document(records, sys.stdout)
        elif output_format is TagsFormat.csv:
            machine.write_csv(records, TAG_FIELDS, sys.stdout)
        else:
            out.table(TAG_FIELDS, [[r["tag"], str(r["count"])] for r in records])
        out.info(f"{len(counts)} tag{'s' if len(counts) != 1 else ''}")
    selection.exit_if_unreadable()


def _print_groups(groups: list, output_format: TagsFormat) -> None:
    from lushbeat_cli.render.records import tag_group_records, write_document

    records = tag_group_records(groups)
    if output_format is TagsFormat.json:
        write_document(records, sys.stdout)
    elif output_format is TagsFormat.csv:
        rows = [
            {"canonical": r["canonical"], "tag": v["tag"], "count": v["count"]}
            for r in records
            for v in r["variants"]
        ]
        machine.write_csv(rows, ("canonical", "tag", "count"), sys.stdout)
    elif records:
        rows = [
            [
                r["canonical"],
                str(r["count"]),
                ", ".join(f"{v['tag']} ({v['count']})" for v in r["variants"]),
            ]
            for r in records
        ]
        state().output.table(("canonical", "count", "spellings"), rows)


def rename_tag(
    old: Annotated[
        str, typer.Argument(metavar="OLD", help="The tag as it is spelled now (exactly).")
    ],
    new: Annotated[str, typer.Argument(metavar="NEW", help="The new spelling.")],
    dry_run: DryRunOption = False,
    diff: DiffOption = False,
    no_index: opt.NoIndexOption = False,
) -> None:
    """Rename a tag in every article that has it; prints the paths of the changed articles.

    Only the tags key changes: list style, quoting and order stay; duplicates are dropped.
    OLD is spelled exactly as in the articles; an unknown tag is a usage error (exit 2).

    \b
    Examples:
      lushbeat tags rename nilai-tukar kurs
      lushbeat tags rename Venezuella venezuela --diff
    """
    _rewrite([old], new, dry_run=dry_run, diff=diff, no_index=no_index)


def merge_tags(
    sources: Annotated[list[str], typer.Argument(metavar="TAG...", help="Tags to merge.")],
    into: Annotated[
        str, typer.Option("--into", metavar="TAG", help="The tag they become (required).")
    ],
    dry_run: DryRunOption = False,
    diff: DiffOption = False,
    no_index: opt.NoIndexOption = False,
) -> None:
    """Merge several tags into one in every article; prints the paths of the changed articles.

    Only the tags key changes: list style, quoting and order stay; duplicates are dropped.
    Every TAG must exist (else exit 2, nothing written); --into may be new or one of them.

    \b
    Examples:
      lushbeat tags merge Venezuela venezuella --into venezuela
      lushbeat tags merge ai kecerdasan-artifisial --into kecerdasan-buatan --dry-run
    """
    _rewrite(sources, into, dry_run=dry_run, diff=diff, no_index=no_index)


def _rewrite(sources: list[str], target: str, *, dry_run: bool, diff: bool, no_index: bool) -> None:
    from lushbeat_cli.core.rewrite import commit_edit
    from lushbeat_cli.core.tags import check_tag_names, count_tags, plan_tag_rewrites

    run = state()
    out = run.output
    # Unreadable files are reported once the tag names are known good (a typo: one line).
    corpus = load_articles(no_index=no_index, report_errors=False).corpus
    names, target = check_tag_names(sources, target, count_tags(corpus.articles))
    report_file_errors(corpus.errors)
    mapping = {name: target for name in names if name != target}
    edits, errors = (
        plan_tag_rewrites(corpus.articles, mapping, max_size=run.config.max_file_size)
        if mapping
        else ([], [])
    )
    for error in errors:
        out.error(format_error(error))
    failed = len(errors) + len(corpus.errors)
    if diff:
        from lushbeat_cli.render.diff import print_diff, unified_diff

        for edit in edits:
            print_diff(out, unified_diff(edit.old, edit.new, edit.path))
    written = 0
    for edit in edits:
        where = machine.display_path(edit.path)
        if diff or dry_run:
            if not diff:
                typer.echo(where)
            continue
        try:
            commit_edit(edit)
        except LushbeatError as exc:
            out.error(format_error(exc))
            failed += 1
            continue
        typer.echo(where)
        written += 1
    quoted = ", ".join(f"'{name}'" for name in names)
    count = len(edits) if (diff or dry_run) else written
    articles = f"{count} article{'s' if count != 1 else ''}"
    if diff or dry_run:
        out.info(f"would change {quoted} to '{target}' in {articles} (dry run: nothing written)")
    else:
        out.success(f"changed {quoted} to '{target}' in {articles}")
    if failed:
        raise typer.Exit(EXIT_FINDINGS)


tags_app.callback(invoke_without_command=True)(boundary(list_tags))
with_boundary(tags_app, "rename", rename_tag)
with_boundary(tags_app, "merge", merge_tags)
