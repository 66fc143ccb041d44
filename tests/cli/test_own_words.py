"""Every error message is in lushbeat's own words: a bad option value never shows typer's
validation library ("Value error, ...", "Input should be a valid integer ...")."""

from __future__ import annotations

import importlib
from collections.abc import Callable, Iterator

import pytest

from lushbeat_cli.cli import COMMANDS
from lushbeat_cli.cli.params import GLOBAL_OPTIONS, Argument, Option, Params
from tests.conftest import Project, Run

LIBRARY_WORDS = ("Value error", "Input should", "valid integer", "valid number", "greater than")


def _bad_values(option: Option) -> Iterator[str]:
    if option.choices:
        yield "nope"
    elif option.kind in ("int", "float"):
        yield "abc"
        if option.min is not None:
            yield str(option.min - 1)
        if option.max is not None:
            yield str(option.max + 1)


def _command_lines() -> Iterator[tuple[list[str], str]]:
    for option in GLOBAL_OPTIONS:
        for value in _bad_values(option):
            yield [option.flags[0], value, "list"], value
    for name, module_name in COMMANDS.items():
        module = importlib.import_module(module_name)
        groups: list[tuple[list[str], Params]] = [([name], module.PARAMS)]
        for sub, (params, _run) in getattr(module, "SUBCOMMANDS", {}).items():
            groups.append(([name, sub], params))
        for words, params in groups:
            needed = []
            for param in params:
                if isinstance(param, Argument) and param.required:
                    needed.append("x")
                elif isinstance(param, Option) and param.required:
                    needed += [param.flags[0], "x"]
            for param in params:
                if isinstance(param, Option):
                    for value in _bad_values(param):
                        flag = param.flags[0].split("/")[0]
                        yield [*words, *needed, flag, value], value


LINES = list(_command_lines())


@pytest.mark.parametrize(("args", "value"), LINES, ids=[" ".join(a) for a, _ in LINES])
def test_a_bad_option_value_is_reported_in_lushbeats_words(
    cli: Callable[..., Run], project: Project, args: list[str], value: str
) -> None:
    run = cli(*args)
    assert run.exit_code == 2, run.stderr
    assert run.stdout == ""
    assert run.stderr.startswith("error: --"), run.stderr
    assert repr(value) in run.stderr  # the value as typed
    assert not any(words in run.stderr for words in LIBRARY_WORDS), run.stderr
    assert len(run.stderr.splitlines()) == 1


def test_a_bad_choice_lists_the_choices(cli: Callable[..., Run], project: Project) -> None:
    run = cli("list", "--format=yaml")
    assert run.stderr == (
        "error: --format must be one of table, json, jsonl, csv, tsv, paths, not 'yaml' "
        "(see 'lushbeat list --help')\n"
    )
    assert cli("list", "-fyaml").stderr == run.stderr


def test_a_path_option_of_the_wrong_kind(cli: Callable[..., Run], project: Project) -> None:
    run = cli("--config", ".", "list")
    assert run.exit_code == 2
    assert run.stderr.startswith("error: --config needs a file; . is a folder")
    run = cli("-C", "lushbeat.toml", "list")
    assert run.stderr.startswith("error: --root needs a folder; lushbeat.toml is not one")
