"""Per-run CLI state: the global options, the config (loaded when first asked for) and the
consoles. Typer-free: the typer commands and the start-up fast path both set it up.
"""

from __future__ import annotations

import sys

TYPE_CHECKING = False  # typing's costs milliseconds at start-up; names for annotations only
if TYPE_CHECKING:
    from pathlib import Path

    from lushbeat_cli.core.config import Config
    from lushbeat_cli.core.reading.corpus import Corpus
    from lushbeat_cli.errors import ParseError
    from lushbeat_cli.render.human import Output


class State:
    """The global options of one run, its config and its output."""

    __slots__ = ("_config", "_output", "config_file", "debug", "no_color", "root")

    def __init__(
        self,
        root: Path | None = None,
        config_file: Path | None = None,
        no_color: bool = False,
        debug: bool = False,
    ) -> None:
        self.root = root
        self.config_file = config_file
        self.no_color = no_color
        self.debug = debug
        self._config: Config | None = None
        self._output: Output | None = None

    @property
    def config(self) -> Config:
        if self._config is None:
            from lushbeat_cli.core.config import load_config

            self._config = load_config(self.root, self.config_file)
        return self._config

    @property
    def output(self) -> Output:
        if self._output is None:
            from lushbeat_cli.render.human import Output

            self._output = Output(no_color=self.no_color)
        return self._output


class CommandExit(Exception):  # not an error: a way out, like SystemExit
    """End the command with ``code``; what went wrong has been reported already."""

    def __init__(self, code: int) -> None:
        super().__init__(code)
        self.code = code


_current = State()


def set_state(state: State) -> None:
    global _current
    _current = state


def state() -> State:
    return _current


def emit_path(path: Path, *, null: bool = False) -> None:
    """A path on stdout, a line (``null``: NUL-terminated, for ``xargs -0``) holding the exact
    bytes of its name, as ``--format paths`` writes it. For commands that change files between
    their lines (import, tags rename/merge): a reader that stops early (``| head -1``) must not
    stop the changes, so a closed stdout is silenced and the command goes on."""
    from lushbeat_cli.render.machine import raw_path, write_paths

    try:
        write_paths([raw_path(path)], sys.stdout, null=null)
    except BrokenPipeError:
        from lushbeat_cli.cli._actions import silence_stdout

        silence_stdout()


def report_file_errors(errors: list[ParseError]) -> None:
    """Files that could not be read, one ``path:line:col: CODE message`` line each."""
    state().output.file_errors(errors)


def load_collection(config: Config, *, use_index: bool = True) -> Corpus:
    """``load_corpus`` for a command, with progress and notices (see ``_actions``)."""
    from lushbeat_cli.cli._actions import load_collection as load

    return load(config, state().output, use_index=use_index)
