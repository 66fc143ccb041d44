"""`lushbeat tags`: list tags with counts, find near-duplicate spellings, rename and merge.

A command with sub-commands: ``run`` lists (when no sub-command is given); ``rename`` and
``merge`` (``SUBCOMMANDS``) rewrite only the tags key of the affected articles.
"""

from __future__ import annotations

import shlex
import sys

from lushbeat_cli.cli._corpus import load_articles
from lushbeat_cli.cli._state import State, emit_path, report_file_errors, state
from lushbeat_cli.cli.params import DIFF, DRY_RUN, NO_INDEX, NULL_PATHS, Argument, Option, Values
from lushbeat_cli.errors import EXIT_FINDINGS, EXIT_OK, LushbeatError
from lushbeat_cli.render import machine
from lushbeat_cli.render.human import format_error

PARAMS = (
    Option(
        "output_format",
        "--format",
        "-f",
        choices=("table", "json", "csv"),
        default="table",
        help="Output format.",
    ),
    Option(
        "similar",
        "--similar",
        default=False,
        help="Only groups of near-duplicate spellings, with a fix.",
    ),
    Option(
        "threshold",
        "--threshold",
        kind="float",
        default=90.0,
        min=50,
        max=100,
        metavar="SCORE",
        help="With --similar: how alike (0-100) two spellings must be to count as a typo.",
    ),
    Option(
        "sort",
        "--sort",
        choices=("count", "name"),
        default="count",
        help="count (most used first) or name (A-Z).",
    ),
    NO_INDEX,
)
REWRITE_PARAMS = (
    DRY_RUN.replace(help="Print the paths that would change; write nothing."),
    NULL_PATHS,
    DIFF.replace(help="Print a unified diff of every change; write nothing."),
    NO_INDEX,
)
RENAME_PARAMS = (
    Argument("old", metavar="OLD", help="The tag as it is spelled now (exactly).", complete="tags"),
    Argument("new", metavar="NEW", help="The new spelling."),
    *REWRITE_PARAMS,
)
MERGE_PARAMS = (
    Argument("sources", multiple=True, metavar="TAG...", help="Tags to merge.", complete="tags"),
    Option(
        "into",
        "--into",
        required=True,
        metavar="TAG",
        help="The tag they become (required).",
        complete="tags",
    ),
    *REWRITE_PARAMS,
)


def run(values: Values, state: State) -> int:
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
    from lushbeat_cli.core.query import fold
    from lushbeat_cli.core.workflow.tags import count_tags, similar_tag_groups

    output_format = values.output_format
    selection = load_articles(no_index=values.no_index)
    counts = count_tags(selection.corpus.articles)
    if values.sort == "name":
        counts.sort(key=lambda item: (fold(item.tag), item.tag))
    out = state.output
    if values.similar:
        groups = similar_tag_groups(counts, values.threshold)
        _print_groups(groups, output_format)
        for group in groups:
            sources = [v.tag for v in group.variants if v.tag != group.canonical]
            command = ["lushbeat", "tags", "merge", *sources, "--into", group.canonical]
            out.info("  " + shlex.join(command))
        out.info(f"{len(groups)} group{'s' if len(groups) != 1 else ''} of similar tags")
    else:
        from lushbeat_cli.render.shapes import TAG_FIELDS, tag_records, write_document

        records = tag_records(counts)
        if output_format == "json":
            write_document(records, sys.stdout)
        elif output_format == "csv":
            machine.write_csv(records, TAG_FIELDS, sys.stdout)
        else:
            out.table(TAG_FIELDS, [[r["tag"], str(r["count"])] for r in records])
        out.info(f"{len(counts)} tag{'s' if len(counts) != 1 else ''}")
    selection.exit_if_unreadable()
    return EXIT_OK


def _print_groups(groups: list, output_format: str) -> None:
    from lushbeat_cli.render.shapes import tag_group_records, write_document

    records = tag_group_records(groups)
    if output_format == "json":
        write_document(records, sys.stdout)
    elif output_format == "csv":
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


def rename(values: Values, state: State) -> int:
    """Rename a tag in every article that has it; prints the paths of the changed articles.

    Only the tags key changes: list style, quoting and order stay; duplicates are dropped.
    OLD is spelled exactly as in the articles; an unknown tag is a usage error (exit 2).

    \b
    Examples:
      lushbeat tags rename nilai-tukar kurs
      lushbeat tags rename Venezuella venezuela --diff
    """
    return _rewrite(state, values, [values.old], values.new)


def merge(values: Values, state: State) -> int:
    """Merge several tags into one in every article; prints the paths of the changed articles.

    Only the tags key changes: list style, quoting and order stay; duplicates are dropped.
    Every TAG must exist (else exit 2, nothing written); --into may be new or one of them.

    \b
    Examples:
      lushbeat tags merge Venezuela venezuella --into venezuela
      lushbeat tags merge ai kecerdasan-artifisial --into kecerdasan-buatan --dry-run
    """
    return _rewrite(state, values, values.sources, values.into)


def _rewrite(state: State, values: Values, sources: list[str], target: str) -> int:
    from lushbeat_cli.core.edit import commit_edit
    from lushbeat_cli.core.workflow.tags import check_tag_names, count_tags, plan_tag_rewrites

    dry_run, diff = values.dry_run, values.diff
    out = state.output
    # Unreadable files are reported once the tag names are known good (a typo: one line).
    corpus = load_articles(no_index=values.no_index, report_errors=False).corpus
    names, target = check_tag_names(sources, target, count_tags(corpus.articles))
    report_file_errors(corpus.errors)
    mapping = {name: target for name in names if name != target}
    edits, errors = (
        plan_tag_rewrites(
            corpus.articles,
            mapping,
            max_size=state.config.max_file_size,
            keys=state.config.fields.keys_of("tags"),
        )
        if mapping
        else ([], [])
    )
    for error in errors:
        out.error(format_error(error))
    failed = len(errors) + len(corpus.errors)
    if diff:
        from lushbeat_cli.render.diff import print_diff

        for edit in edits:
            print_diff(out, edit)
    written = 0
    for edit in edits:
        if diff or dry_run:
            if not diff:
                emit_path(edit.path, null=values.null)
            continue
        try:
            commit_edit(edit)
        except LushbeatError as exc:
            out.error(format_error(exc))
            failed += 1
            continue
        emit_path(edit.path, null=values.null)  # a closed stdout must not stop the next edits
        written += 1
    quoted = ", ".join(f"'{name}'" for name in names)
    count = len(edits) if (diff or dry_run) else written
    articles = f"{count} article{'s' if count != 1 else ''}"
    if diff or dry_run:
        out.info(f"would change {quoted} to '{target}' in {articles} (dry run: nothing written)")
    else:
        out.success(f"changed {quoted} to '{target}' in {articles}")
    return EXIT_FINDINGS if failed else EXIT_OK


SUBCOMMANDS = {"rename": (RENAME_PARAMS, rename), "merge": (MERGE_PARAMS, merge)}
