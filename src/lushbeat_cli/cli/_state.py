"""Per-run CLI state (global flags, lazily loaded config, consoles) and the one error boundary.

The boundary wraps every command, so it also runs under typer's CliRunner.
"""

from __future__ import annotations

import functools
import sys
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, ParamSpec, TypeVar

import typer

from lushbeat_cli.cli._actions import report_failure
from lushbeat_cli.cli._help import HelpCommand, HelpGroup
from lushbeat_cli.core.config import Config, load_config
from lushbeat_cli.core.corpus import Corpus
from lushbeat_cli.errors import EXIT_USAGE, ParseError
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
    """Turn LushbeatError into one stderr line + its exit code; hide tracebacks unless --debug."""

    @functools.wraps(func)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
        current = state()
        try:
            result = func(*args, **kwargs)
            sys.stdout.flush()  # a closed pipe shows here, inside the boundary
            return result
        except (typer.Exit, typer.Abort, KeyboardInterrupt):
            raise
        except Exception as exc:
            if _is_click_exception(exc):
                raise
            raise typer.Exit(report_failure(exc, current.output, debug=current.debug)) from None

    return wrapper


def _is_click_exception(exc: Exception) -> bool:
    # Usage errors raised by typer itself carry their own exit code and message.
    return any(base.__name__ in ("ClickException", "Exit", "Abort") for base in type(exc).__mro__)


class LushbeatGroup(HelpGroup):
    """The top-level command: usage errors become one ``error: ...`` line on stderr (exit 2),
    like every other error, instead of a multi-line box."""

    def main(  # type: ignore[override]
        self,
        args: Sequence[str] | None = None,
        prog_name: str | None = None,
        complete_var: str | None = None,
        standalone_mode: bool = True,
        **extra: Any,
    ) -> Any:
        try:
            result = super().main(
                args=args,
                prog_name=prog_name,
                complete_var=complete_var,
                standalone_mode=False,
                **extra,
            )
        except Exception as exc:
            if not _is_click_exception(exc):
                raise
            code = _report_click_exception(exc)
            if standalone_mode:
                sys.exit(code)
            raise
        code = result if isinstance(result, int) else 0
        if standalone_mode:
            sys.exit(code)
        return result


def _report_click_exception(exc: Exception) -> int:
    if type(exc).__name__ == "NoArgsIsHelpError":
        sys.stdout.write(exc.format_message() + "\n")  # type: ignore[attr-defined]
        return 0
    if type(exc).__name__ == "Abort":
        Output().error("aborted")
        return 1
    message = exc.format_message() if hasattr(exc, "format_message") else str(exc)
    ctx = getattr(exc, "ctx", None)
    hint = f" (see '{ctx.command_path} --help')" if ctx is not None else ""
    Output(no_color=state().no_color).error(" ".join(message.split()) + hint)
    return int(getattr(exc, "exit_code", EXIT_USAGE))


def with_boundary(app: typer.Typer, name: str, func: Callable[..., Any], **kwargs: Any) -> None:
    """Register ``func`` as command ``name`` behind the error boundary."""
    kwargs.setdefault("cls", HelpCommand)
    app.command(name, **kwargs)(boundary(func))
