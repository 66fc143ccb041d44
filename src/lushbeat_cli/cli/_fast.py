"""The start-up fast path: a script's (or a hook's) ``list``, ``search``, ``validate`` or
``index`` answered without loading typer.

Importing typer (and the pydantic it brings) takes longer than a warm search of 10,000 articles.
This module reads the same declarations as the typer app (each command module's ``PARAMS``, see
``cli.params``) and calls the same ``run``, so stdout, stderr and the exit code are the same.
It answers a command line only when every token is one it can read exactly as typer would and
stderr is not a terminal (a person at a terminal does not wait on start-up); anything else
(help, other commands, a value typer would reject, Windows) returns None and typer takes the
whole command line, to answer or to word the error. Tests hold both paths to the same bytes
(tests/cli/test_fast.py).
"""

from __future__ import annotations

import os
import sys

# Imported before anything else, so only os and sys at run time (typing, pathlib and
# collections.abc each cost milliseconds): names for annotations only.
TYPE_CHECKING = False  # not typing's: see lushbeat_cli/__init__.py
if TYPE_CHECKING:
    from collections.abc import Sequence
    from types import ModuleType

    from lushbeat_cli.cli.params import Argument, Option, Params, Values
    from lushbeat_cli.core.reading.scan import PathRules

# An index file this large holds some 1,000 articles or more: scanning them in a child process
# saves more than starting the child costs.
PRESCAN_INDEX_BYTES = 4 * 1024 * 1024


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
        command, options, values = _parse_command_line(list(argv))
    except _HandOver:
        return None
    if not command.uses_index(values):
        return _execute(command, options, values)
    from lushbeat_cli.core.reading.scan import Prescan

    # The refresh's scan of the content folder starts now, in a child (core.scan): while this
    # process loads the program, another core makes the stat calls.
    with Prescan(lambda: _scan_root(options)):
        return _execute(command, options, values)


def _parse_command_line(args: list[str]) -> tuple[ModuleType, Values, Values]:
    """(the command's module, the global options, the command's values), or _HandOver."""
    import importlib

    from lushbeat_cli.cli import COMMANDS
    from lushbeat_cli.cli.params import GLOBAL_OPTIONS

    options, rest = parse(GLOBAL_OPTIONS, args, stop_at_word=True)
    if not rest or rest[0] not in COMMANDS:
        raise _HandOver
    module = importlib.import_module(COMMANDS[rest[0]])
    if not getattr(module, "FAST", False):
        raise _HandOver
    values, _ = parse(module.PARAMS, rest[1:])
    return module, options, values


def _execute(command: ModuleType, options: Values, values: Values) -> int:
    """Run a parsed command behind the same error boundary as the typer commands."""
    from lushbeat_cli.cli._state import State, set_state

    state = State(**options)
    set_state(state)
    code: int | None = None
    try:
        code = command.run(values, state)
        sys.stdout.flush()  # a closed pipe shows here, inside the boundary
        return code
    except KeyboardInterrupt:
        return 130  # what typer does: quietly, 128 + SIGINT
    except Exception as exc:
        from lushbeat_cli.cli._actions import report_failure

        return report_failure(exc, state.output, debug=state.debug, code=code)


def _scan_root(options: Values) -> tuple[str, PathRules | None] | None:
    """In the child: the content folder to scan and its include/exclude rules, guessed from
    the index at the default place (loading the config would take the child longer than the
    parent takes to get ready; the parent uses the answer only if the guess was its content
    folder and rules)."""
    from lushbeat_cli.core.reading.scan import indexed_target

    if options.config_file is not None:
        start, walk = os.path.dirname(os.path.realpath(options.config_file)), False
    else:
        start, walk = str(options.root or os.curdir), True
    return indexed_target(start, walk=walk, min_index_bytes=PRESCAN_INDEX_BYTES)


# ---------------------------------------------------------------- parsing


def parse(
    params: Params, args: list[str], *, stop_at_word: bool = False
) -> tuple[Values, list[str]]:
    """The values of ``params`` in ``args``, read as typer (click) reads them: an option's
    value as ``--opt value``, ``--opt=value`` or ``-o value``; the last one wins unless the
    option is repeatable; arguments in order, all words after ``--``. Returns the values and,
    with ``stop_at_word``, the tokens from the first word on (a group's command and its own
    arguments). Raises _HandOver for anything typer would reject or read differently."""
    from lushbeat_cli.cli.params import Option, defaults

    values = defaults(params)
    by_flag = {flag: param for param in params if isinstance(param, Option) for flag in param.flags}
    words: list[str] = []
    while args:
        token, args = args[0], args[1:]
        if token == "--":
            if stop_at_word:
                raise _HandOver
            words.extend(args)
            break
        if not token.startswith("-") or token == "-":
            if stop_at_word:
                return values, [token, *args]
            words.append(token)
            continue
        name, equals, attached = token.partition("=")
        option = by_flag.get(name if name.startswith("--") else token)
        if option is None:
            raise _HandOver  # an option typer does not know here, a bundle of short flags...
        if option.is_flag:
            if equals:
                raise _HandOver
            values[option.name] = True
            continue
        if equals:
            text = attached
        elif args:
            text, args = args[0], args[1:]
        else:
            raise _HandOver  # typer's "requires an argument"
        value = _convert(option, text)
        if option.multiple:
            values[option.name] = [*(values[option.name] or ()), value]
        else:
            values[option.name] = value
    if any(isinstance(p, Option) and p.required and values[p.name] is None for p in params):
        raise _HandOver  # typer's "missing option"
    if stop_at_word:
        return values, []
    _assign_arguments([param for param in params if not isinstance(param, Option)], words, values)
    return values, []


def _assign_arguments(arguments: list[Argument], words: list[str], values: Values) -> None:
    for argument in arguments:
        if argument.multiple:
            taken, words = words, []
        else:
            taken, words = words[:1], words[1:]
        if argument.required and not taken:
            raise _HandOver  # typer's "missing argument"
        if argument.multiple:
            values[argument.name] = taken or ([] if argument.required else None)
        elif taken:
            values[argument.name] = taken[0]
    if words:
        raise _HandOver  # typer's "got unexpected extra arguments"


def _convert(option: Option, text: str) -> object:
    """A value as typer converts it, or _HandOver where typer would report an error."""
    if option.choices:
        if text not in option.choices:
            raise _HandOver
        return text
    if option.kind in ("int", "float"):
        number = _number(text, option.kind)
        if (option.min is not None and number < option.min) or (
            option.max is not None and number > option.max
        ):
            raise _HandOver
        return number
    if option.path is not None:
        from pathlib import Path

        wanted = os.path.isdir if option.path == "dir" else os.path.isfile
        if not (text and wanted(text) and os.access(text, os.R_OK)):
            raise _HandOver  # typer checks that the folder (file) exists and is readable
        return Path(text)
    return text


def _number(text: str, kind: str) -> int | float:
    # Plain digits only: signs, spaces, underscores and huge numbers are typer's to read.
    whole, point, fraction = text.partition(".")
    plain = whole.isascii() and whole.isdigit() and len(text) <= 18
    if kind == "int" and plain and not point:
        return int(text)
    if kind == "float" and plain and (not point or (fraction.isascii() and fraction.isdigit())):
        return float(text)
    raise _HandOver
