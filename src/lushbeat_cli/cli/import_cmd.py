"""`lushbeat import`: plain-text stories into new Markdown articles, never overwriting."""

from __future__ import annotations

import contextlib
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from lushbeat_cli.cli._corpus import load_articles
from lushbeat_cli.cli._state import State, emit_path, state
from lushbeat_cli.cli.params import (
    NEW_AUTHOR,
    NEW_CATEGORY,
    NEW_LANG,
    NEW_TAG,
    NO_INDEX,
    NULL_PATHS,
    TEMPLATE,
    Argument,
    Option,
    Values,
)
from lushbeat_cli.core.article import Article, Status
from lushbeat_cli.errors import EXIT_FINDINGS, EXIT_OK, LushbeatError, UsageError
from lushbeat_cli.render.human import format_error
from lushbeat_cli.render.machine import display_path

if TYPE_CHECKING:
    from lushbeat_cli.core.workflow.stories import ImportPlan

PARAMS = (
    Argument(
        "sources",
        kind="path",
        multiple=True,
        metavar="FILE|DIR",
        help="Story files, or folders searched for *.txt stories.",
    ),
    NEW_CATEGORY,
    NEW_TAG,
    NEW_AUTHOR,
    NEW_LANG,
    Option(
        "date",
        "--date",
        metavar="DATE",
        help="Date for every story (default: the dateline's, else now).",
    ),
    Option("status", "--status", default="draft", metavar="STATUS", help="draft or published."),
    Option(
        "site",
        "--site",
        default="Lush Beat",
        metavar="NAME",
        help='Site name of the dateline ("NAME – ...").',
    ),
    TEMPLATE,
    Option("dry_run", "--dry-run", default=False, help="Print the articles; write nothing."),
    NULL_PATHS,
    NO_INDEX,
)


def run(values: Values, state: State) -> int:
    """Import plain-text stories as new articles; prints the new paths.

    A story's first line is its title; paragraphs are separated by blank lines.
    A "Lush Beat – " dateline becomes "**Lush Beat** – "; its date dates the article.
    Short stand-alone lines become "## " headings; a "Similar Posts" footer is dropped.
    "Baca juga : TITLE" lines link to the article with that title, or stay text with a warning.
    Existing files and slugs are never overwritten; a failed story does not stop the others.

    \b
    Examples:
      lushbeat import inbox/ --category internasional --tag venezuela
      lushbeat import story.txt --status published --dry-run
    """
    from lushbeat_cli.core.files.locks import creation_lock
    from lushbeat_cli.core.workflow.stories import (
        STORY_SUFFIXES,
        ImportOptions,
        check_import_options,
        plan_import,
    )

    config = state.config
    out = state.output
    status = values.status
    if status not in (Status.DRAFT.value, Status.PUBLISHED.value):
        raise UsageError(f"--status must be draft or published, not {status!r}")
    options = ImportOptions(
        site=values.site.strip(),
        category=values.category,
        tags=tuple(values.tag or ()),
        authors=tuple(values.author or ()),
        lang=values.lang,
        date=values.date,
        status=Status(status),
        template=values.template,
    )
    check_import_options(config, options)
    dry_run = values.dry_run
    files, failures = _story_files(values.sources, STORY_SUFFIXES)
    planned = 0
    # As for `new`: the slug checks and the writes are one step across processes.
    with contextlib.nullcontext() if dry_run else creation_lock(config):
        existing: list[Article] = []
        if config.content_path.is_dir():
            loaded = load_articles(no_index=values.no_index, report_errors=False)
            existing = list(loaded.corpus.articles)
        for source in files:
            try:
                result = plan_import(config, source, options, existing)
                _report_notes(result)
                _write(result, dry_run=dry_run, many=len(files) > 1, null=values.null)
            except LushbeatError as exc:
                out.error(format_error(exc))
                failures += 1
                continue
            existing.append(result.as_article(config))  # later stories may link to it
            planned += 1
    verb = "would import" if dry_run else "imported"
    summary = f"{verb} {planned} stor{'ies' if planned != 1 else 'y'}"
    if failures:
        summary += f"; {failures} failed"
    out.info(summary)
    return EXIT_FINDINGS if failures else EXIT_OK


def _report_notes(result: ImportPlan) -> None:
    out = state().output
    for note in result.notes:
        where = display_path(note.path) + (f":{note.line}" if note.line else "")
        out.warning(f"{where}: {note.message}")
    for similar, _score in result.plan.similar_titles[:3]:
        out.warning(
            f"{display_path(result.source)}: similar title exists: "
            f'{display_path(similar.path)} ("{similar.title}")'
        )


def _write(result: ImportPlan, *, dry_run: bool, many: bool, null: bool) -> None:
    """Write the article and print its path; in a dry run, print the article instead."""
    from lushbeat_cli.core.workflow.create import write_new_article

    out = state().output
    target, source = display_path(result.plan.path), display_path(result.source)
    if dry_run:
        if many:  # like head(1): a header per file when there are several
            sys.stdout.write(f"==> {target} <==\n")
        sys.stdout.write(result.plan.text)
        out.info(f"would create {target} from {source}")
        return
    path = write_new_article(result.plan)
    emit_path(path, null=null)  # a closed stdout must not stop the next stories
    out.success(f"created {display_path(path)} from {source}")


def _story_files(sources: list[Path], suffixes: tuple[str, ...]) -> tuple[list[Path], int]:
    """Files named, and stories found in folders named; missing paths are reported.

    Everything in a folder with a story's suffix is a story, whatever it is: a FIFO, a device
    or a dangling link there is reported as a failed story (exit 1), not skipped in silence.
    """
    out = state().output
    files: list[Path] = []
    missing = 0
    for source in sources:
        if source.is_dir():
            found = sorted(
                path
                for path in source.rglob("*")
                if not path.is_dir()
                and path.suffix.lower() in suffixes
                and not any(part.startswith(".") for part in path.relative_to(source).parts)
            )
            if not found:
                out.warning(f"{display_path(source)}: no {'/'.join(suffixes)} stories found")
            files.extend(found)
        elif source.exists():
            files.append(source)
        else:
            out.error(f"{source}: no such file or folder")
            missing += 1
    return list(dict.fromkeys(files)), missing
