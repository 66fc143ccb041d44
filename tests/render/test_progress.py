"""The indexing progress bar: drawn on a terminal for long jobs only, never when piped."""

from __future__ import annotations

import io

from rich.console import Console

from lushbeat_cli.render.human import Output


def output_with_stderr(terminal: bool) -> tuple[Output, io.StringIO]:
    buffer = io.StringIO()
    out = Output(no_color=True)
    out.__dict__["err"] = Console(file=buffer, force_terminal=terminal, width=80)
    return out, buffer


def test_bar_on_a_terminal_for_many_files() -> None:
    out, buffer = output_with_stderr(terminal=True)
    with out.progress("indexing") as progress:
        for done in range(0, 501, 50):
            progress(done, 500)
    assert "indexing" in buffer.getvalue()


def test_no_bar_for_few_files() -> None:
    out, buffer = output_with_stderr(terminal=True)
    with out.progress("indexing") as progress:
        progress(10, 20)
    assert buffer.getvalue() == ""


def test_no_bar_when_not_a_terminal() -> None:
    out, buffer = output_with_stderr(terminal=False)
    with out.progress("indexing") as progress:
        progress(250, 5000)
    assert buffer.getvalue() == ""
