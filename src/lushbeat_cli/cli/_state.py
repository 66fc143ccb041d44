"""Per-run CLI state (global flags, lazily loaded config, consoles) and the one error boundary.

The boundary wraps every command, so it also runs under typer's CliRunner.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, ParamSpec, TypeVar

import typer

from lushbeat_cli.core.config import Config, load_config
from lushbeat_cli.core.corpus import Corpus
from lushbeat_cli.errors import ParseError
from lushbeat_cli.render.human import Output

P = ParamSpec("P")
R = TypeVar("R")


@dataclass
class State:
    root: Path | None = None
    config_file: Path | None = None
    no_color: bool = False
    debug: bool = False
    _config: Config | None = field(default=None, repr=False)
    _output: Output | None = field(default=None, repr=False)

    @property
    def config(self) -> Config:
        if self._config is None:
            self._config = load_config(self.root, self.config_file)
        return self._config

    @property
    def output(self) -> Output:
        if self._output is None:
            self._output = Output(no_color=self.no_color)
        return self._output


_current = State()


def set_state(state: State) -> None:
    global _current
    _current = state


def state() -> State:
    return _current


def report_file_errors(errors: list[ParseError]) -> None:
    """Files that could not be read, one ``path:line:col: CODE message`` line each."""
    state().output.file_errors(errors)


def load_collection(config: Config, *, use_index: bool = True) -> Corpus:
    """``load_corpus`` for a command, with progress and notices (see ``_actions``)."""
    from lushbeat_cli.cli._actions import load_collection as load

    return load(config, state().output, use_index=use_index)


def boundary(func: Callable[P, R]) -> Callable[P, R]:
    """The error boundary (see ``cli._typer``)."""
    from lushbeat_cli.cli._typer import boundary as wrap

    return wrap(func)


def with_boundary(app: typer.Typer, name: str, func: Callable[..., Any], **kwargs: Any) -> None:
    """Register ``func`` as command ``name`` behind the error boundary."""
    from lushbeat_cli.cli._typer import HelpCommand

    kwargs.setdefault("cls", HelpCommand)
    app.command(name, **kwargs)(boundary(func))
