"""The start-up fast path: a script's (or a hook's) ``search``, ``list``, ``validate`` or
``index`` answered without loading typer.

Importing typer (and the pydantic it brings) takes longer than a warm search of 10,000 articles.
When the command line has one of these shapes and stderr is not a terminal (so there are no
colours or progress bars to draw), ``run`` parses it here and calls the same functions as the
typer commands (``cli._actions``), so stdout, stderr and the exit code are the same:

    lushbeat [-C DIR] [--config FILE] [--no-color] search WORD... [--format F]
             [--limit N] [--field FIELD] [--exact] [-0] [--no-index] [FILTERS]
    lushbeat [-C DIR] [--config FILE] [--no-color] list [--format F]
             [--limit N] [--sort KEY] [--reverse] [--fields a,b] [-0] [--no-index] [FILTERS]
    lushbeat [-C DIR] [--config FILE] [--no-color] validate [PATH...]
             [--format text|json|github] [--select CODES]... [--ignore CODES]... [--strict]
    lushbeat [-C DIR] [--config FILE] [--no-color] index [--rebuild] [--format table|json]
    lushbeat --version

FILTERS are list's: --tag/-t, --category, --author, --status, --since, --until, --lang, --where.
The table format (the default) only when stdout is not a terminal either (a plain table).
Anything else (help, other commands, ``validate --fix``, a terminal, ``--debug``, a value typer
would reject) returns None, and typer takes over the whole command line.
Tests run each shape both ways and compare the bytes (tests/cli/test_fast.py).
"""

from __future__ import annotations

import os
import sys

# Imported before anything else, so only os and sys at run time (typing, pathlib and
# collections.abc each cost milliseconds): names for annotations only.
TYPE_CHECKING = False  # not typing's: see lushbeat_cli/__init__.py
if TYPE_CHECKING:
    from collections.abc import Callable, Sequence
    from pathlib import Path
    from typing import Any

SEARCH_FORMATS = ("table", "json", "jsonl", "paths")
LIST_FORMATS = (*SEARCH_FORMATS, "csv", "tsv")
SEARCH_FIELDS = ("all", "title", "summary", "tags", "body")
LIST_SORTS = ("date", "title", "updated", "path", "slug")
VALIDATE_FORMATS = ("text", "json", "github")


class _HandOver(Exception):
    """The command line is not one the fast path answers: typer takes it."""


def run(argv: Sequence[str]) -> int | None:
    """The exit code of a command answered here, or None to hand the command line to typer."""
    from lushbeat_cli.render.terminal import is_terminal

    if is_terminal(sys.stderr) or os.name == "nt":  # Windows: typer expands globs in argv
        return None
    if list(argv) in (["--version"], ["-V"]):
        from lushbeat_cli import __version__

        sys.stdout.write(f"lushbeat {__version__}\n")
        return 0
    try:
        root, config_file, no_color, rest = _global_options(list(argv))
        if not rest or rest[0] not in _COMMANDS:
            return None
        command, reads_index = _COMMANDS[rest[0]](rest[1:])
    except _HandOver:
        return None
    if not reads_index:
        return _execute(root, config_file, no_color, command)
    from lushbeat_cli.core.scan import Prescan

    # The refresh's scan of the content folder starts now, in a child (core.scan): while this
    # process loads the program, another core makes the stat calls.
    with Prescan(lambda: _scan_root(root, config_file)):
        return _execute(root, config_file, no_color, command)


def _execute(
    root: str | None, config_file: str | None, no_color: bool, command: Callable[..., int]
) -> int:
    """Run a parsed command behind the same error boundary as the typer commands."""
    from lushbeat_cli.core.config import load_config
    from lushbeat_cli.render.human import Output

    output = Output(no_color=no_color)
    try:
        config = load_config(_path(root), _path(config_file))
        code = command(config, output)
        sys.stdout.flush()  # a closed pipe shows here, inside the boundary
        return code
    except KeyboardInterrupt:
        return 130  # what typer does: quietly, 128 + SIGINT
    except Exception as exc:
        from lushbeat_cli.cli._actions import report_failure

        return report_failure(exc, output)


def _path(value: str | None) -> Path | None:
    from pathlib import Path

    return None if value is None else Path(value)


# An index file this large holds some 1,000 articles or more: scanning them in a child process
# saves more than starting the child costs.
PRESCAN_INDEX_BYTES = 4 * 1024 * 1024


def _scan_root(root: str | None, config_file: str | None) -> str | None:
    """In the child: the content folder to scan, guessed from the index at the default place
    (loading the config would take the child longer than the parent takes to get ready; the
    parent uses the answer only if the guess was its content folder)."""
    from lushbeat_cli.core.scan import indexed_root

    if config_file is not None:
        start, walk = os.path.dirname(os.path.realpath(config_file)), False
    else:
        start, walk = root or os.curdir, True
    return indexed_root(start, walk=walk, min_index_bytes=PRESCAN_INDEX_BYTES)


# ---------------------------------------------------------------- parsing


def _global_options(args: list[str]) -> tuple[str | None, str | None, bool, list[str]]:
    root: str | None = None
    config_file: str | None = None
    no_color = False
    while args and args[0].startswith("-"):
        name, value, args = _option(args, {"-C": "root", "--root": "root", "--config": "config"})
        if name == "--no-color":
            no_color = True  # for findings written to a terminal on stdout
            continue
        # typer checks that the folder (file) exists and is readable; anything else is its error
        if name == "root" and value and os.path.isdir(value) and os.access(value, os.R_OK):
            root = value
        elif name == "config" and value and os.path.isfile(value) and os.access(value, os.R_OK):
            config_file = value
        else:
            raise _HandOver
    return root, config_file, no_color, args


def _option(args: list[str], valued: dict[str, str]) -> tuple[str, str | None, list[str]]:
    """The first token as (name or flag, value, remaining tokens): ``--opt value``,
    ``--opt=value`` or ``-o value`` for the options in ``valued``; other tokens as flags."""
    token, rest = args[0], args[1:]
    name, equals, attached = token.partition("=")
    if name in valued and name.startswith("--") and equals:
        return valued[name], attached, rest
    if token in valued:
        if not rest:
            raise _HandOver  # typer's "requires an argument" error
        return valued[token], rest[0], rest[1:]
    return token, None, rest


def _parse(
    args: list[str],
    valued: dict[str, str],
    flags: dict[str, str],
    repeated: tuple[str, ...] = (),
) -> tuple[dict[str, Any], list[str]]:
    """Options (last one wins, as in typer; ``repeated`` ones collect every value) and
    positional words (all of them after ``--``)."""
    options: dict[str, Any] = {}
    words: list[str] = []
    while args:
        if args[0] == "--":
            words.extend(args[1:])
            break
        if not args[0].startswith("-") or args[0] == "-":
            words.append(args[0])
            args = args[1:]
            continue
        name, value, args = _option(args, valued)
        if value is not None and name in repeated:
            options.setdefault(name, []).append(value)
        elif value is not None:
            options[name] = value
        elif name in flags:
            options[flags[name]] = True
        else:
            raise _HandOver  # an option this path does not know (or a typo typer reports)
    return options, words


def _stdout_is_terminal() -> bool:
    # A table on a terminal is drawn by rich: typer's path. Piped, it is plain text.
    from lushbeat_cli.render.terminal import is_terminal

    return is_terminal(sys.stdout)


def _choice(value: Any, choices: Sequence[str], default: str) -> str:
    if value is None:
        return default
    if value not in choices:
        raise _HandOver
    return str(value)


def _count(value: Any, minimum: int) -> int | None:
    if value is None:
        return None
    if not (value.isascii() and value.isdigit()) or len(value) > 18 or int(value) < minimum:
        raise _HandOver  # typer's error (a huge number too: int() has a digit limit)
    return int(value)


# list's filters, shared by search (validated by ArticleQuery.from_options, as in typer)
_FILTERS = {
    "--tag": "tag",
    "-t": "tag",
    "--category": "category",
    "--author": "author",
    "--status": "status",
    "--since": "since",
    "--until": "until",
    "--lang": "lang",
    "--where": "where",
}
_REPEATED = ("tag", "where")
_FORMAT = {"--format": "format", "-f": "format"}

# Each command's options as the fast path knows them: (options taking a value, flags), and the
# defaults it assumes. tests/cli/test_fast.py holds both to the typer commands' declarations.
OPTIONS: dict[str, tuple[dict[str, str], dict[str, str]]] = {
    "search": (
        _FORMAT | {"--limit": "limit", "-n": "limit", "--field": "field"} | _FILTERS,
        {"--exact": "exact", "-0": "null", "--null": "null", "--no-index": "no_index"},
    ),
    "list": (
        _FORMAT
        | {"--limit": "limit", "-n": "limit", "--sort": "sort", "--fields": "fields"}
        | _FILTERS,
        {"--reverse": "reverse", "-r": "reverse", "-0": "null", "--null": "null"}
        | {"--no-index": "no_index"},
    ),
    "validate": (
        _FORMAT | {"--select": "select", "--ignore": "ignore"},
        {"--strict": "strict"},
    ),
    "index": (_FORMAT, {"--rebuild": "rebuild"}),
}
DEFAULTS: dict[str, dict[str, Any]] = {
    "search": {"format": "table", "limit": 20, "field": "all", "status": "all"},
    "list": {"format": "table", "sort": "date", "status": "all"},
    "validate": {"format": "text"},
    "index": {"format": "table"},
}


def _query(options: dict[str, Any], config: Any, **order: Any) -> Any:
    from lushbeat_cli.cli._actions import Filters

    filters = Filters(
        tag=options.get("tag"),
        category=options.get("category"),
        author=options.get("author"),
        status=options.get("status", DEFAULTS["list"]["status"]),
        since=options.get("since"),
        until=options.get("until"),
        lang=options.get("lang"),
        where=options.get("where"),
    )
    return filters.query(config.tz, **order)


def _search(args: list[str]) -> tuple[Callable[..., int], bool]:
    options, words = _parse(args, *OPTIONS["search"], repeated=_REPEATED)
    defaults = DEFAULTS["search"]
    output_format = _choice(options.get("format"), SEARCH_FORMATS, defaults["format"])
    if not words or (output_format == "table" and _stdout_is_terminal()):
        raise _HandOver
    limit = _count(options.get("limit"), 1)
    field = _choice(options.get("field"), SEARCH_FIELDS, defaults["field"])

    def command(config: Any, output: Any) -> int:
        from lushbeat_cli.cli._actions import SearchRequest, search_articles

        request = SearchRequest(
            words,
            _query(options, config),
            field=field,
            exact=bool(options.get("exact")),
            limit=defaults["limit"] if limit is None else limit,
            output_format=output_format,
            null=bool(options.get("null")),
            use_index=not options.get("no_index"),
        )
        return search_articles(config, output, request)

    return command, not options.get("no_index")


def _list(args: list[str]) -> tuple[Callable[..., int], bool]:
    options, words = _parse(args, *OPTIONS["list"], repeated=_REPEATED)
    defaults = DEFAULTS["list"]
    output_format = _choice(options.get("format"), LIST_FORMATS, defaults["format"])
    if words or (output_format == "table" and _stdout_is_terminal()):
        raise _HandOver
    limit = _count(options.get("limit"), 0)
    sort = _choice(options.get("sort"), LIST_SORTS, defaults["sort"])

    def command(config: Any, output: Any) -> int:
        from lushbeat_cli.cli._actions import ListRequest, list_articles, list_fields

        reverse = bool(options.get("reverse"))
        query = _query(options, config, sort=sort, reverse=reverse, limit=limit)
        request = ListRequest(
            query,
            output_format=output_format,
            fields=list_fields(options.get("fields"), output_format),
            use_index=not options.get("no_index"),
            null=bool(options.get("null")),
        )
        return list_articles(config, output, request)

    return command, not options.get("no_index")


def _validate(args: list[str]) -> tuple[Callable[..., int], bool]:
    options, paths = _parse(args, *OPTIONS["validate"], repeated=("select", "ignore"))
    output_format = _choice(options.get("format"), VALIDATE_FORMATS, DEFAULTS["validate"]["format"])
    if "-" in paths:
        raise _HandOver  # paths on stdin: typer's path (rare in hooks)

    def command(config: Any, output: Any) -> int:
        from lushbeat_cli.cli._actions import ValidateRequest, validate_articles

        request = ValidateRequest(
            paths=tuple(paths),
            output_format=output_format,
            select=tuple(options.get("select", ())),
            ignore=tuple(options.get("ignore", ())),
            strict=bool(options.get("strict")),
        )
        return validate_articles(config, output, request)

    # Named files are checked against the rest of the collection, read from the index; the
    # whole collection is parsed directly.
    return command, bool(paths)


def _index(args: list[str]) -> tuple[Callable[..., int], bool]:
    options, words = _parse(args, *OPTIONS["index"])
    output_format = _choice(options.get("format"), ("table", "json"), DEFAULTS["index"]["format"])
    if words:
        raise _HandOver

    def command(config: Any, output: Any) -> int:
        from lushbeat_cli.cli._actions import refresh_index

        rebuild = bool(options.get("rebuild"))
        return refresh_index(config, output, rebuild=rebuild, output_format=output_format)

    return command, True


# Each parses its arguments into (the command, whether it refreshes the index).
_COMMANDS: dict[str, Callable[[list[str]], tuple[Callable[..., int], bool]]] = {
    "search": _search,
    "list": _list,
    "validate": _validate,
    "index": _index,
}
