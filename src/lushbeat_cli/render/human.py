"""Human output with rich: lazily created consoles (markup off, styles named by meaning),
tables and messages. Imported by cli only; the one home of rich outside cli.
"""

from __future__ import annotations

import contextlib
import os
import re
from collections.abc import Callable, Iterator, Sequence
from functools import cached_property
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from rich.console import Console

STYLES = {
    "error": "bold red",
    "warning": "yellow",
    "info": "dim",
    "success": "green",
    "path": "cyan",
    "code": "bold magenta",
    "status.draft": "yellow",
    "status.published": "green",
    "status.scheduled": "cyan",
    "header": "bold",
    "muted": "dim",
    "highlight": "bold reverse",
    "match": "bold yellow",
}
PROGRESS_THRESHOLD = 300  # fewer files than this are read without a progress bar


class Output:
    """The two consoles of one command run: data to stdout, people-facing text to stderr."""

    def __init__(self, *, no_color: bool = False) -> None:
        self.no_color = no_color or "NO_COLOR" in os.environ

    def _console(self, *, stderr: bool) -> Console:
        from rich.console import Console
        from rich.theme import Theme

        return Console(
            stderr=stderr,
            theme=Theme(STYLES),
            markup=False,
            highlight=False,
            emoji=False,
            no_color=self.no_color,
            soft_wrap=False,
        )

    @cached_property
    def out(self) -> Console:
        return self._console(stderr=False)

    @cached_property
    def err(self) -> Console:
        return self._console(stderr=True)

    @property
    def stdout_is_terminal(self) -> bool:
        return self.out.is_terminal

    @property
    def stderr_is_terminal(self) -> bool:
        return self.err.is_terminal

    # -- messages (stderr) ------------------------------------------------

    def error(self, message: str) -> None:
        self._message("error", message)

    def warning(self, message: str) -> None:
        self._message("warning", message)

    def info(self, message: str) -> None:
        self.err.print(message, style="info", overflow="ignore", crop=False)

    def success(self, message: str) -> None:
        self.err.print(message, style="success", overflow="ignore", crop=False)

    def problem(self, location: str, message: str, code: str | None = None) -> None:
        """``path:line:col: [CODE] message`` on stderr, the way compilers and linters print."""
        from rich.text import Text

        text = Text()
        text.append(location, style="path")
        text.append(": ")
        if code:
            text.append(code, style="code")
            text.append(" ")
        text.append(message)
        self.err.print(text, overflow="ignore", crop=False, soft_wrap=True)

    def _message(self, kind: str, message: str) -> None:
        from rich.text import Text

        text = Text()
        text.append(f"{kind}: ", style=kind)
        text.append(message)
        self.err.print(text, overflow="ignore", crop=False, soft_wrap=True)

    # -- tables (stdout) --------------------------------------------------

    def table(
        self,
        columns: Sequence[str],
        rows: Sequence[Sequence[Any]],
        *,
        styles: Sequence[str | None] | None = None,
    ) -> None:
        """A table on stdout: boxed and coloured on a terminal, plain aligned text otherwise."""
        from rich import box
        from rich.table import Table

        terminal = self.stdout_is_terminal
        table = Table(
            box=box.SIMPLE_HEAD if terminal else None,
            show_edge=False,
            pad_edge=False,
            header_style="header" if terminal else "",
            expand=False,
        )
        for index, name in enumerate(columns):
            last = index == len(columns) - 1
            table.add_column(
                name,
                overflow="fold" if terminal else "ignore",
                no_wrap=not terminal,
                ratio=None,
                max_width=None if (last or not terminal) else 60,
            )
        for row in rows:
            table.add_row(*row)
        if terminal:
            self.out.print(table)
        else:
            # Piped: one row per line, never wrapped, whatever the width.
            from rich.console import Console

            plain = Console(
                file=self.out.file, width=100_000, no_color=True, markup=False, highlight=False
            )
            for line in _rstrip_lines(plain, table):
                self.out.file.write(line + "\n")

    def status_style(self, status: str) -> str:
        return f"status.{status}"

    # -- progress (stderr) ------------------------------------------------

    @contextlib.contextmanager
    def progress(
        self, description: str, threshold: int = PROGRESS_THRESHOLD
    ) -> Iterator[Callable[[int, int], None]]:
        """A ``progress(done, total)`` callback: a bar on stderr for long jobs on a terminal.

        Nothing is drawn when stderr is not a terminal or the job has fewer than ``threshold``
        items; the bar disappears when the job is done.
        """
        if not self.stderr_is_terminal:
            yield _ignore_progress
            return
        from rich.progress import BarColumn, MofNCompleteColumn, Progress, TimeRemainingColumn

        bar: Progress | None = None
        task = None

        def update(done: int, total: int) -> None:
            nonlocal bar, task
            if total < threshold:
                return
            if bar is None:
                bar = Progress(
                    "{task.description}",
                    BarColumn(),
                    MofNCompleteColumn(),
                    TimeRemainingColumn(),
                    console=self.err,
                    transient=True,
                )
                bar.start()
                task = bar.add_task(description, total=total)
            bar.update(task, completed=done, total=total)  # type: ignore[arg-type]

        try:
            yield update
        finally:
            if bar is not None:
                bar.stop()


def _ignore_progress(done: int, total: int) -> None:
    return None


def highlighted(text: str, start: str, end: str, style: str = "highlight") -> Any:
    """Rich text of ``text`` with the parts between ``start`` and ``end`` markers styled."""
    from rich.text import Text

    result = Text()
    inside = False
    for piece in re.split(f"({re.escape(start)}|{re.escape(end)})", text):
        if piece == start:
            inside = True
        elif piece == end:
            inside = False
        elif piece:
            result.append(piece, style=style if inside else "")
    return result


def _rstrip_lines(console: Console, renderable: Any) -> list[str]:
    with console.capture() as capture:
        console.print(renderable)
    return [line.rstrip() for line in capture.get().splitlines()]


def article_rows(fields: Sequence[str], values: Sequence[Sequence[Any]]) -> list[list[Any]]:
    """Cells for the article table; status cells coloured by meaning."""
    from rich.text import Text

    rows: list[list[Any]] = []
    for row in values:
        cells: list[Any] = []
        for name, value in zip(fields, row, strict=True):
            text = _cell(value)
            cells.append(Text(text, style=f"status.{text}" if name == "status" else ""))
        rows.append(cells)
    return rows


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, list):
        return ", ".join(_cell(item) for item in value)
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)
