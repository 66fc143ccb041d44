"""The indexing progress bar: drawn on a terminal for long jobs only, never when piped."""

from __future__ import annotations

import io
from collections.abc import Callable

import pytest
from rich.console import Console

from lushbeat_cli.render.human import Output
from tests.conftest import Run


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


def test_phase_bars_wait_about_a_second(
    output_with_stderr: Callable[[bool], tuple[Output, io.StringIO]],
) -> None:
    from lushbeat_cli.render.progress import progress_bars

    out, buffer = output_with_stderr(terminal=True)
    with progress_bars(out, enabled=True, delay=3600) as update:
        assert update is not None
        update("reading", 10, 500)  # a quick run: no flash of a bar
    assert buffer.getvalue() == ""
    with progress_bars(out, enabled=True, delay=0) as update:
        assert update is not None
        update("reading", 10, 500)
        update("checking", 20, 500)
    assert "reading" in buffer.getvalue() and "checking" in buffer.getvalue()


@pytest.mark.parametrize(
    "args",
    [
        ("validate",),
        ("export", "--format", "json", "--output", "out.json"),
        ("similar", "pilpres venezuela"),
    ],
    ids=["validate", "export", "one-article similar"],
)
def test_long_runs_show_progress_on_a_terminal_only(
    cli: Callable[..., Run], examples_copy: object, monkeypatch: pytest.MonkeyPatch, args: tuple
) -> None:
    from lushbeat_cli.render import progress

    monkeypatch.setattr(progress, "DELAY", 0.0)  # as if each run took more than a second
    monkeypatch.delenv("LUSHBEAT_PROGRESS_DELAY", raising=False)
    monkeypatch.setenv("TTY_COMPATIBLE", "1")
    monkeypatch.setenv("COLUMNS", "80")
    on_terminal = cli(*args)
    assert on_terminal.exit_code == 0, on_terminal.stderr
    assert "━" in on_terminal.stderr  # rich's bar
    monkeypatch.setenv("TTY_COMPATIBLE", "0")
    piped = cli(*args)
    assert piped.exit_code == 0
    assert "━" not in piped.stderr and "\x1b[" not in piped.stderr
