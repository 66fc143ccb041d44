"""Human output with rich: lazily created consoles (markup off, styles named by meaning),
tables and messages. Imported by cli only; the one home of rich outside cli.
"""

from __future__ import annotations

import contextlib
import os
import re
import sys
from collections.abc import Callable, Iterator, Sequence
from functools import cached_property
from typing import TYPE_CHECKING, Any

from lushbeat_cli.render.terminal import is_terminal

if TYPE_CHECKING:
    from rich.console import Console

    from lushbeat_cli.core.article import Article
    from lushbeat_cli.errors import LushbeatError, ParseError

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
        # no-color.org: NO_COLOR turns colours off when it is set and not empty.
        self.no_color = no_color or bool(os.environ.get("NO_COLOR"))
        # Set once the run has a failure to report (an error line, an unreadable file, a
        # finding that fails it): a run cut short by a closed stdout still exits non-zero.
        self.failed = False

    def note_failure(self) -> None:
        """The run will exit non-zero, whatever happens to its output from now on."""
        self.failed = True

    def _console(self, *, stderr: bool) -> Console:
        from rich.theme import Theme

        return _safe_console_class()(
            stderr=stderr,
            theme=Theme(STYLES),
            markup=False,
            highlight=False,
            emoji=False,
            no_color=self.no_color,
            # With --no-color/NO_COLOR, no escape codes at all (not even bold or dim).
            **({"color_system": None} if self.no_color else {}),
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
        return is_terminal(sys.stdout)

    @property
    def stderr_is_terminal(self) -> bool:
        return is_terminal(sys.stderr)

    # -- messages (stderr) ------------------------------------------------
    # Off a terminal they are plain lines written without rich (the same bytes rich would
    # write there), so a piped or hooked command never pays for importing rich.

    def error(self, message: str) -> None:
        self.failed = True
        self._message("error", message)

    def warning(self, message: str) -> None:
        self._message("warning", message)

    def info(self, message: str) -> None:
        self.say(clean(message), "info")

    def success(self, message: str) -> None:
        self.say(clean(message), "success")

    def say(self, message: str, style: str) -> None:
        """One line on stderr in a named style (control characters replaced, as everywhere)."""
        if not self.stderr_is_terminal:
            _write_stderr(message + "\n")
            return
        self.err.print(message, style=style, overflow="ignore", crop=False, soft_wrap=True)

    def problem(
        self, location: str, message: str, code: str | None = None, *, fails: bool = True
    ) -> None:
        """``path:line:col: [CODE] message`` on stderr, the way compilers and linters print
        (the run fails, unless ``fails`` is False: search's exit code only says "found")."""
        self.failed = self.failed or fails
        if not self.stderr_is_terminal:
            _write_stderr(problem_line(location, message, code) + "\n")
            return
        from rich.text import Text

        text = Text()
        text.append(clean(location), style="path")
        text.append(": ")
        if code:
            text.append(code, style="code")
            text.append(" ")
        text.append(clean(message))
        self.err.print(text, overflow="ignore", crop=False, soft_wrap=True)

    def file_errors(self, errors: Sequence[ParseError], *, fails: bool = True) -> None:
        """Files that could not be read, one ``path:line:col: CODE message`` line each."""
        for error in errors:
            self.problem(error_location(error) or "?", error.message, error.code, fails=fails)

    def _message(self, kind: str, message: str) -> None:
        if not self.stderr_is_terminal:
            _write_stderr(f"{kind}: {clean(message)}\n")
            return
        from rich.text import Text

        text = Text()
        text.append(f"{kind}: ", style=kind)
        text.append(clean(message))
        self.err.print(text, overflow="ignore", crop=False, soft_wrap=True)

    # -- plain text and tables (stdout) ------------------------------------

    def write(self, text: str) -> None:
        """Human-readable text on stdout as it is (off a terminal: tables, charts, an article's
        body), control characters replaced; every such write goes through here."""
        sys.stdout.write(clean_text(text))

    def table(
        self,
        columns: Sequence[str],
        rows: Sequence[Sequence[Any]],
    ) -> None:
        """A table on stdout: boxed and coloured on a terminal; plain aligned text otherwise,
        one row per line, never wrapped, whatever the width (for grep, cut and awk)."""
        if not self.stdout_is_terminal:
            self.write(plain_table(columns, rows))
            return
        from rich import box
        from rich.table import Table

        table = Table(box=box.SIMPLE_HEAD, show_edge=False, pad_edge=False, header_style="header")
        for index, name in enumerate(columns):
            last = index == len(columns) - 1
            table.add_column(name, overflow="fold", max_width=None if last else 60)
        for row in rows:
            table.add_row(*(_renderable(cell) for cell in row))
        self.out.print(table)

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


def plain_table(columns: Sequence[str], rows: Sequence[Sequence[Any]]) -> str:
    """Columns padded to their widest cell (by terminal cells, so CJK and emoji align)."""
    from rich.cells import cell_len

    texts = [[clean(str(name)) for name in columns]]
    texts += [[clean(_plain(cell)) for cell in row] for row in rows]
    widths = [max(cell_len(row[index]) for row in texts) for index in range(len(columns))]
    lines = []
    for row in texts:
        cells = [
            text + " " * (width - cell_len(text)) for text, width in zip(row, widths, strict=True)
        ]
        lines.append("  ".join(cells).rstrip())
    return "\n".join(lines) + "\n"


def _write_stderr(text: str) -> None:
    stream = sys.stderr
    if stream is not None:  # None when started with stderr closed (2>&-): say nothing
        stream.write(clean_text(text))


def error_location(exc: LushbeatError) -> str | None:
    """``path:line:col`` with the path as the user sees it, or None."""
    from lushbeat_cli.render.machine import display_path

    if exc.path is None:
        return None
    where = display_path(exc.path)
    if exc.line is not None:
        where += f":{exc.line}"
        if exc.col is not None:
            where += f":{exc.col}"
    return where


def format_error(exc: LushbeatError) -> str:
    """``path:line:col: message`` with the path as the user sees it."""
    where = error_location(exc)
    return f"{where}: {exc.message}" if where else exc.message


def problem_line(location: str, message: str, code: str | None = None) -> str:
    """``path:line:col: CODE message`` as plain text, control characters replaced."""
    middle = f"{code} " if code else ""
    return f"{clean(location)}: {middle}{clean(message)}"


# What never reaches a person's terminal as it is: C0 controls (ESC starts the sequences that
# recolour, retitle, hyperlink (OSC 8) or clear; BEL rings), DEL, C1 controls (0x9b is CSI by
# itself), the bidirectional overrides and isolates that make text read in another order than
# it runs ("Trojan Source"), and lone surrogates (undecodable bytes of a file name; they cannot
# be written as UTF-8). Each becomes U+FFFD, so something visibly stands where it was.
_BIDI = "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"
_UNSAFE = re.compile(r"[\x00-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069\u2028\u2029\ud800-\udfff]")
_REPLACED = {code: "\ufffd" for code in (*range(32), *range(127, 160), *map(ord, _BIDI))}
_REPLACED |= {code: "\ufffd" for code in range(0xD800, 0xE000)}
# One line (a table cell, a message): line breaks and tabs become spaces.
_CONTROL = _REPLACED | {ord(char): " " for char in "\t\n\r\u2028\u2029"}
# Running text (an article's body, a chart): lines and tabs stay; a CR alone (which would
# overwrite the start of its line) does not.
_TEXT_CONTROL = _REPLACED | {ord("\t"): "\t", ord("\n"): "\n", 0x2028: "\n", 0x2029: "\n"}


def clean(text: str) -> str:
    """Text safe to print on a terminal as one line: control characters (escape sequences
    that could retitle a window or recolour the screen, bidi overrides, line breaks that would
    split a row) replaced."""
    return text.translate(_CONTROL) if _UNSAFE.search(text) else text


def clean_text(text: str) -> str:
    """``clean`` for running text: line breaks and tabs kept (CRLF as LF)."""
    if not _UNSAFE.search(text):
        return text
    if "\r\n" in text:
        text = text.replace("\r\n", "\n")
    return text.translate(_TEXT_CONTROL)


def _safe_console_class() -> type[Console]:
    """A rich Console that replaces control characters in everything it renders: the text of
    tables, Markdown, charts and messages (never its own styling and cursor codes)."""
    global _SAFE_CONSOLE
    if _SAFE_CONSOLE is None:
        from rich.console import Console, ConsoleOptions, RenderableType
        from rich.segment import Segment

        class SafeConsole(Console):
            def render(
                self, renderable: RenderableType, options: ConsoleOptions | None = None
            ) -> Iterator[Segment]:
                for segment in super().render(renderable, options):
                    if segment.control is None and _UNSAFE.search(segment.text):
                        yield Segment(clean_text(segment.text), segment.style)
                    else:
                        yield segment

        _SAFE_CONSOLE = SafeConsole
    return _SAFE_CONSOLE


_SAFE_CONSOLE: type[Console] | None = None


def _plain(cell: Any) -> str:
    return cell.plain if hasattr(cell, "plain") else _cell(cell)


def _renderable(cell: Any) -> Any:
    from rich.text import Text

    if isinstance(cell, Text):
        return Text(clean(cell.plain), style=cell.style)
    return clean(_cell(cell))


def article_rows(articles: Sequence[Article], fields: Sequence[str]) -> list[list[Any]]:
    """Cells for an article table: dates as YYYY-MM-DD, status coloured by meaning."""
    from rich.text import Text

    from lushbeat_cli.render.machine import article_value

    rows: list[list[Any]] = []
    for article in articles:
        cells: list[Any] = []
        for name in fields:
            text = _cell(article_value(article, name))
            if name in ("date", "updated"):
                text = text[:10]
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
