"""The indexing progress bar: drawn on a terminal for long jobs only, never when piped."""

from __future__ import annotations

import io
from collections.abc import Callable

import pytest
from rich.console import Console

from lushbeat_cli.render.human import Output


@pytest.fixture
def output_with_stderr(
    monkeypatch: pytest.MonkeyPatch,
) -> Callable[[bool], tuple[Output, io.StringIO]]:
    # Output asks the environment whether stderr is a terminal (TTY_COMPATIBLE overrides
    # isatty, as in rich); the console it draws on is replaced by one writing to a buffer.
    def make(terminal: bool) -> tuple[Output, io.StringIO]:
        monkeypatch.setenv("TTY_COMPATIBLE", "1" if terminal else "0")
        buffer = io.StringIO()
        out = Output(no_color=True)
        out.__dict__["err"] = Console(file=buffer, force_terminal=terminal, width=80)
        return out, buffer

    return make


def test_bar_on_a_terminal_for_many_files(
    output_with_stderr: Callable[[bool], tuple[Output, io.StringIO]],
) -> None:
    out, buffer = output_with_stderr(terminal=True)
    with out.progress("indexing") as progress:
        for done in range(0, 501, 50):
            progress(done, 500)
    assert "indexing" in buffer.getvalue()


def test_no_bar_for_few_files(
    output_with_stderr: Callable[[bool], tuple[Output, io.StringIO]],
) -> None:
    out, buffer = output_with_stderr(terminal=True)
    with out.progress("indexing") as progress:
        progress(10, 20)
    assert buffer.getvalue() == ""


def test_no_bar_when_not_a_terminal(
    output_with_stderr: Callable[[bool], tuple[Output, io.StringIO]],
) -> None:
    out, buffer = output_with_stderr(terminal=False)
    with out.progress("indexing") as progress:
        progress(250, 5000)
    assert buffer.getvalue() == ""
