"""Errors and exit codes shared by every layer.

Core raises these; only the CLI error boundary turns them into a message and an exit code.
"""

from __future__ import annotations

from pathlib import Path

EXIT_OK = 0
EXIT_FINDINGS = 1  # findings, failed items, no results
EXIT_USAGE = 2  # usage or configuration error


class LushbeatError(Exception):
    """A user-facing error: one line of text and the exit code it maps to."""

    exit_code: int = EXIT_FINDINGS

    def __init__(
        self,
        message: str,
        *,
        path: Path | str | None = None,
        line: int | None = None,
        col: int | None = None,
        exit_code: int | None = None,
    ) -> None:
        super().__init__(message)
        self.message = message
        self.path = Path(path) if path is not None else None
        self.line = line
        self.col = col
        if exit_code is not None:
            self.exit_code = exit_code

    def __str__(self) -> str:
        if self.path is None:
            return self.message
        where = str(self.path)
        if self.line is not None:
            where += f":{self.line}"
            if self.col is not None:
                where += f":{self.col}"
        return f"{where}: {self.message}"


class UsageError(LushbeatError):
    """Bad flags or arguments (exit 2)."""

    exit_code = EXIT_USAGE


class ConfigError(LushbeatError):
    """An unreadable or invalid configuration file (exit 2)."""

    exit_code = EXIT_USAGE


class ParseError(LushbeatError):
    """An article whose bytes or front matter cannot be read (exit 1).

    ``code`` is the stable validation rule code (e.g. ``LB101``) for this parse failure.
    """

    exit_code = EXIT_FINDINGS

    def __init__(self, message: str, *, code: str = "LB100", **kwargs: object) -> None:
        super().__init__(message, **kwargs)  # type: ignore[arg-type]
        self.code = code


class ArticleExistsError(LushbeatError):
    """Refusal to overwrite an existing article (exit 1)."""

    exit_code = EXIT_FINDINGS


class EditError(LushbeatError):
    """The in-place front-matter editor cannot make an edit safely (exit 1)."""

    exit_code = EXIT_FINDINGS
