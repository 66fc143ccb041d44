"""What ``list``, ``search``, ``validate`` and ``index`` do once their options are parsed,
without typer; and the error boundary every command shares.

The typer commands (``list_cmd``, ``search_cmd``, ``validate_cmd``, ``index_cmd``) and the
start-up fast path (``_fast``) call the same functions here, so both print the same bytes; each
returns the exit code.
"""

from __future__ import annotations

import gc
import json
import os
import sys
import time
from collections.abc import Mapping, Sequence
from dataclasses import replace
from datetime import tzinfo
from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple

from lushbeat_cli.cli._state import CommandExit
from lushbeat_cli.core.config import WORKDIR_GONE, Config
from lushbeat_cli.core.listing import listed_rows
from lushbeat_cli.core.query import ArticleQuery, select_articles
from lushbeat_cli.core.reading.corpus import Corpus, load_corpus, load_listing
from lushbeat_cli.errors import (
    EXIT_FINDINGS,
    EXIT_OK,
    EXIT_USAGE,
    ConfigError,
    LushbeatError,
    UsageError,
)
from lushbeat_cli.render import machine
from lushbeat_cli.render.human import Output, format_error
from lushbeat_cli.render.machine import ARTICLE_FIELDS

if TYPE_CHECKING:
    from lushbeat_cli.core.search import SearchHit

# What list writes from the index's entries and kept records (core.listing), not Articles.
LISTING_FORMATS = ("json", "jsonl", "paths")
LISTING_SORTS = ("date", "path")
TABLE_FIELDS = ("date", "title", "category", "status", "lang", "path")  # list's table columns


class Filters(NamedTuple):
    """The filter options' values, in the order every command declares them."""

    tag: list[str] | None = None
    category: str | None = None
    author: str | None = None
    status: str = "all"
    since: str | None = None
    until: str | None = None
    lang: str | None = None
    where: list[str] | None = None

    @classmethod
    def from_values(cls, values: Mapping[str, Any]) -> Filters:
        """The filters among a command's parsed values (those it declares)."""
        return cls(**{name: values[name] for name in cls._fields if name in values})

    def query(
        self, tz: tzinfo, *, sort: str = "date", reverse: bool = False, limit: int | None = None
    ) -> ArticleQuery:
        """The ``ArticleQuery``; a bad value (a date, a status, a --where) is a UsageError."""
        return ArticleQuery.from_options(
            tz,
            tags=self.tag or (),
            category=self.category,
            author=self.author,
            status=self.status,
            since=self.since,
            until=self.until,
            lang=self.lang,
            where=self.where or (),
            sort=sort,
            reverse=reverse,
            limit=limit,
        )


def report_failure(
    exc: Exception, output: Output, *, debug: bool = False, code: int | None = None
) -> int:
    """The error boundary: a LushbeatError becomes its one stderr line and exit code, anything
    else an "internal error" line (exit 2). ``--debug`` adds the traceback.

    A closed stdout (``| head``) ends the run quietly with the code it had earned by then:
    ``code`` if the command had returned one, 1 if it had reported (or noted) a failure, else
    0 (docs/exit-codes.md): a reader that stops early never turns findings into success."""
    if isinstance(exc, BrokenPipeError):
        silence_stdout()
        return max(code or EXIT_OK, EXIT_FINDINGS if output.failed else EXIT_OK)
    if isinstance(exc, CommandExit):
        return exc.code  # reported already
    if debug and sys.stderr is not None:  # never onto stdout, even with stderr closed
        import traceback

        traceback.print_exc(file=sys.stderr)
    if isinstance(exc, FileNotFoundError) and _working_directory_gone():
        exc = ConfigError(WORKDIR_GONE)  # whatever needed it: the same clear error (exit 2)
    if isinstance(exc, LushbeatError):
        output.error(format_error(exc))
        return exc.exit_code
    output.error(
        f"internal error: {exc.__class__.__name__}: {exc} "
        "(run with --debug for the traceback, and please report it)"
    )
    return EXIT_USAGE


def _working_directory_gone() -> bool:
    try:
        os.getcwd()
    except FileNotFoundError:
        return True
    return False


def silence_stdout() -> None:
    # Python flushes stdout again at exit; pointing it at /dev/null keeps that flush quiet.
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError):
        pass


def load_collection(config: Config, output: Output, *, use_index: bool = True) -> Corpus:
    """``load_corpus`` for a command: a progress bar while many files are indexed on a
    terminal, and the index's notices (e.g. the in-memory fallback) printed as warnings."""
    with output.progress("indexing") as progress:
        corpus = load_corpus(config, use_index=use_index, progress=progress)
    # The articles live until the command ends: keep the garbage collector from walking them
    # again and again while the output is built (halves `list` on 10,000 articles).
    gc.freeze()
    for notice in corpus.notices:
        output.warning(notice)
    return corpus


def list_fields(text: str | None, output_format: str) -> tuple[str, ...]:
    """list's ``--fields``, or its defaults: a few columns for a table, the record otherwise."""
    return parse_fields(text, TABLE_FIELDS if output_format == "table" else ARTICLE_FIELDS)


def parse_fields(text: str | None, default: tuple[str, ...]) -> tuple[str, ...]:
    """``--fields a,b,c`` as names (``default`` when not given)."""
    if text is None:
        return default
    fields = tuple(name.strip() for name in text.split(",") if name.strip())
    if not fields:
        raise UsageError("--fields needs at least one field name")
    return fields


def warn_unknown_fields(fields: Sequence[str], articles: Sequence[Any], output: Output) -> None:
    """A ``--fields`` name that no article of the collection has (a typo, most likely) gets a
    warning, not a silent empty column. The record's own fields always count as known."""
    from lushbeat_cli.core.article import EXTRA_FIELDS, KNOWN_FIELDS
    from lushbeat_cli.core.fields import DEFAULT_FIELDS

    if not articles:
        return
    known = {*ARTICLE_FIELDS, *KNOWN_FIELDS, *EXTRA_FIELDS, *DEFAULT_FIELDS.mapped_keys()}
    for name in dict.fromkeys(fields):
        if name in known or any(article.get(name) is not None for article in articles):
            continue
        output.warning(f"--fields: no article has a field {name!r}; its column is empty")


class ListRequest(NamedTuple):
    query: ArticleQuery
    output_format: str = "table"  # table, json, jsonl, csv, tsv or paths
    fields: tuple[str, ...] = ARTICLE_FIELDS
    use_index: bool = True
    null: bool = False

    @property
    def from_listing(self) -> bool:
        """Default records, filters that need no front matter beyond the typed fields: served
        from the index's entries and kept records (``core.listing``) without building Articles."""
        query = self.query
        return (
            not query.where
            and query.sort in LISTING_SORTS
            and self.output_format in LISTING_FORMATS
            and self.fields == ARTICLE_FIELDS
        )


def list_articles(config: Config, output: Output, request: ListRequest) -> int:
    """``lushbeat list``: articles on stdout, unreadable files and a count on stderr."""
    if request.null and request.output_format != "paths":
        raise UsageError("-0/--null only goes with --format paths")
    query = request.query
    stream = sys.stdout
    if request.from_listing:
        output_format = request.output_format
        record = machine.LIST_RECORDS.get(output_format)  # (none for paths)
        shown_root = machine.display_root(config.content_path) if os.sep == "/" else None
        with output.progress("indexing") as progress:
            listing = load_listing(
                config,
                use_index=request.use_index,
                progress=progress,
                record=record,
                ordered=query if shown_root is not None else None,
            )
        for notice in listing.notices:
            output.warning(notice)
        output.file_errors(listing.errors)
        if listing.rows is not None:  # sorted and limited already
            rows = listing.rows
            machine.write_listing(rows, output_format, stream, root=shown_root, null=request.null)
            return _list_summary(output, len(rows.paths), len(listing.errors))
        entries = select_articles(listing.entries, query)
        rows = listed_rows(entries, records=record is not None)
        machine.write_listing(rows, output_format, stream, null=request.null)
        return _list_summary(output, len(entries), len(listing.errors))
    corpus = load_collection(config, output, use_index=request.use_index)
    output.file_errors(corpus.errors)
    articles = select_articles(corpus.articles, query)
    names = request.fields
    warn_unknown_fields(names, corpus.articles, output)
    if request.output_format == "paths":
        paths = (machine.raw_path(article.path) for article in articles)
        machine.write_paths(paths, stream, null=request.null)
    elif request.output_format == "table":
        from lushbeat_cli.render.human import article_rows

        output.table(names, article_rows(articles, names))
    else:
        records = [machine.article_record(article, names) for article in articles]
        if request.output_format == "json":
            machine.write_json(records, stream)
        elif request.output_format == "jsonl":
            machine.write_jsonl(records, stream)
        else:
            machine.write_csv(records, names, stream, tsv=request.output_format == "tsv")
    return _list_summary(output, len(articles), len(corpus.errors))


def _list_summary(output: Output, total: int, failed: int) -> int:
    summary = f"{total} article{'s' if total != 1 else ''}"
    if failed:
        summary += f"; {failed} file{'s' if failed != 1 else ''} could not be read"
    output.info(summary)
    return EXIT_FINDINGS if failed else EXIT_OK


class SearchRequest(NamedTuple):
    words: Sequence[str]
    query: ArticleQuery  # list's filters
    field: str = "all"
    exact: bool = False
    limit: int = 20
    output_format: str = "table"  # table, json, jsonl or paths
    null: bool = False
    use_index: bool = True


def search_articles(config: Config, output: Output, request: SearchRequest) -> int:
    """``lushbeat search``: ranked hits on stdout; corrections and a count on stderr."""
    from lushbeat_cli.core.search import SearchOptions, run_search

    if request.null and request.output_format != "paths":
        raise UsageError("-0/--null only goes with --format paths")
    text = " ".join(request.words)
    options = SearchOptions(
        text=text,
        column=request.field,
        exact=request.exact,
        limit=request.limit,
        filters=request.query,
        details=request.output_format != "paths",
    )
    with output.progress("indexing") as progress:
        result = run_search(config, options, use_index=request.use_index, progress=progress)
    for notice in result.notices:
        output.warning(notice)
    output.file_errors(result.errors, fails=False)  # the exit code says "found" or not
    for correction in result.corrections:
        output.info(correction.message())
    hits = result.hits
    if not hits:
        output.info(f"no articles match {text.strip()!r}")
        return EXIT_FINDINGS
    stream = sys.stdout
    if request.output_format == "paths":
        paths = (machine.raw_path(hit.article.path) for hit in hits)
        machine.write_paths(paths, stream, null=request.null)
    elif request.output_format == "table":
        _print_hits(output, hits)
    else:
        records = [machine.search_record(hit) for hit in hits]
        if request.output_format == "json":
            machine.write_json(records, stream)
        else:
            machine.write_jsonl(records, stream)
    output.info(f"{len(hits)} result{'s' if len(hits) != 1 else ''}")
    return EXIT_OK


def _print_hits(output: Output, hits: Sequence[SearchHit]) -> None:
    from lushbeat_cli.core.search import MARK_CLOSE, MARK_OPEN
    from lushbeat_cli.render.human import highlighted

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
    output.table(("score", "title", "date", "path", "snippet"), rows)


class ValidateRequest(NamedTuple):
    paths: tuple[str, ...] = ()  # as typed; "-" reads paths from stdin; none: the whole collection
    output_format: str = "text"  # text, json, github, sarif or junit
    select: tuple[str, ...] = ()  # as typed: comma-separated codes, repeatable
    ignore: tuple[str, ...] = ()
    strict: bool = False
    fix: bool = False
    diff: bool = False
    statistics: bool = False
    use_index: bool = True
    stdin_filename: str | None = None  # check stdin's text as if it were this file


def validate_articles(config: Config, output: Output, request: ValidateRequest) -> int:
    """``lushbeat validate``: findings on stdout, the summary on stderr."""
    from lushbeat_cli.core.validate import ValidateOptions, validate_paths
    from lushbeat_cli.render import findings as render

    if request.diff and request.output_format != "text":
        raise UsageError(
            f"--diff prints a diff; it does not go with --format {request.output_format}"
        )
    if request.statistics and (request.diff or request.output_format not in ("text", "json")):
        raise UsageError("--statistics goes with --format text or json, without --diff")
    options = ValidateOptions(
        select=_codes(request.select) if request.select else None,
        ignore=_codes(request.ignore),
        fix=request.fix and not request.diff,
        diff=request.diff,
        use_index=request.use_index,
    )
    if request.stdin_filename is not None:
        targets, contents = _stdin_article(request, config.max_file_size)
        options = replace(options, contents=contents)
    else:
        targets = _paths(request.paths, config.max_file_size)
    if request.paths and not targets:
        output.info("No paths on stdin; nothing to check")
        return EXIT_OK
    if output.stderr_is_terminal:  # a bar once the run has taken a second; none when piped
        from lushbeat_cli.render.progress import progress_bars

        with progress_bars(output, enabled=True) as bars:
            report = validate_paths(config, targets, replace(options, progress=bars))
    else:
        report = validate_paths(config, targets, options)
    failed = report.failed(strict=request.strict) or (request.diff and report.fixes)
    if failed:
        output.note_failure()  # before the first line: `| head -1` must not make it a success
    if report.skipped:
        output.info(skipped_note(report.skipped, config))
    for error in report.fix_errors:
        output.warning(format_error(error))
    render.write_report(
        report,
        output,
        request.output_format,
        strict=request.strict,
        statistics_only=request.statistics,
        diff=request.diff,
        fixing=options.fix,
    )
    return EXIT_FINDINGS if failed else EXIT_OK


def skipped_note(skipped: Sequence[Path], config: Config) -> str:
    """One line about the named files that are no articles (pre-commit passes a README.md
    along): they are skipped, not errors."""
    from lushbeat_cli.render.machine import display_path

    where = f"{display_path(config.content_path)}/, include and exclude"
    if len(skipped) == 1:
        shown = display_path(skipped[0])
        return f"{shown} is no article of the collection ({where}); not checked"
    names = ", ".join(display_path(path) for path in skipped[:3])
    more = f" and {len(skipped) - 3} more" if len(skipped) > 3 else ""
    return (
        f"{len(skipped)} files are no articles of the collection ({where}): "
        f"{names}{more}; not checked"
    )


def _stdin_article(request: ValidateRequest, max_size: int) -> tuple[list[Path], dict[Path, bytes]]:
    """``--stdin-filename PATH -``: the article's text from stdin, checked as if it were PATH
    (an editor's unsaved buffer); the collection-wide rules see it in place of PATH's file."""
    from lushbeat_cli.core.files.inputs import STDIN, InputError, read_input

    name = request.stdin_filename or ""
    if not name.strip() or name == STDIN:
        raise UsageError("--stdin-filename needs the path the text on stdin belongs to")
    if any(path != STDIN for path in request.paths):
        raise UsageError("--stdin-filename checks the text on stdin: give - (or no PATH)")
    if request.fix or request.diff:
        raise UsageError("--stdin-filename checks stdin; --fix and --diff need a file")
    try:
        data = read_input(STDIN, max_size, allow_stdin=True)
    except InputError as exc:
        raise UsageError(f"cannot read the article on stdin: {exc.message}") from None
    path = Path(os.path.abspath(name))
    return [path], {path: data}


def _codes(values: Sequence[str]) -> tuple[str, ...]:
    """``--select LB3,LB401 --select LB2`` -> ``("LB3", "LB401", "LB2")``."""
    return tuple(part.strip() for value in values for part in value.split(",") if part.strip())


def _paths(values: Sequence[str], max_size: int) -> list[Path]:
    """The paths given, with ``-`` replaced by those read from stdin (lines, or NUL-separated;
    at most ``max_size`` bytes, the config's ``max_file_size``)."""
    from lushbeat_cli.core.files.inputs import STDIN, InputError, read_input

    paths: list[Path] = []
    for value in values:
        if value == STDIN:
            try:
                text = os.fsdecode(read_input(STDIN, max_size, allow_stdin=True))
            except InputError as exc:
                raise UsageError(f"cannot read the paths on stdin: {exc.message}") from None
            separator = "\0" if "\0" in text else "\n"
            paths.extend(
                Path(os.path.abspath(line.strip("\r")))
                for line in text.split(separator)
                if line.strip()
            )
        else:
            paths.append(Path(os.path.abspath(value)))
    return paths


def refresh_index(
    config: Config, output: Output, *, rebuild: bool = False, output_format: str = "table"
) -> int:
    """``lushbeat index``: refresh (or rebuild) the index; its statistics on stdout."""
    from lushbeat_cli.core.index import update_index

    out = output
    started = time.perf_counter()
    with out.progress("indexing") as progress:
        report = update_index(config, rebuild=rebuild, progress=progress)
    elapsed = time.perf_counter() - started
    for notice in report.notices:
        out.warning(notice)
    stats = report.stats
    record = {
        "path": machine.display_path(stats.path) if stats.path else None,
        "format_version": stats.version,
        "files": stats.files,
        "articles": stats.articles,
        "errors": stats.errors,
        "size_bytes": stats.size_bytes,
        "last_refresh": machine.jsonable(stats.last_refresh),
    }
    if output_format == "json":
        sys.stdout.write(json.dumps(record, ensure_ascii=False, indent=2) + "\n")
    else:
        rows = [
            ["path", record["path"] or "(in memory)"],
            ["format version", str(stats.version)],
            ["files", str(stats.files)],
            ["articles", str(stats.articles)],
            ["errors", str(stats.errors)],
            ["size", _size(stats.size_bytes)],
            ["last refresh", record["last_refresh"] or "never"],
        ]
        width = max(len(name) for name, _ in rows)
        out.write("".join(f"{name:<{width}}  {value}\n" for name, value in rows))
    done = report.refresh
    verb = "rebuilt" if rebuild else "refreshed"
    out.info(
        f"{verb} in {elapsed:.2f} s: {done.parsed} file{'s' if done.parsed != 1 else ''} read, "
        f"{done.removed} removed, {done.total} in total"
    )
    return EXIT_OK


def _size(size: int) -> str:
    value = float(size)
    for unit in ("bytes", "KiB", "MiB", "GiB"):
        if value < 1024 or unit == "GiB":
            return f"{value:.0f} {unit}" if unit == "bytes" else f"{value:.1f} {unit}"
        value /= 1024
    return f"{size} bytes"
