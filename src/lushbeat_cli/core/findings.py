"""The Finding record: one problem at one place in one file. Imported by core, render and cli."""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path
from typing import NamedTuple


class Severity(StrEnum):
    ERROR = "error"
    WARNING = "warning"


class Finding(NamedTuple):
    """A problem in an article, pointing at the offending line and column (1-based)."""

    path: Path
    line: int
    col: int
    code: str
    message: str
    severity: Severity = Severity.ERROR
    fixable: bool = False  # `lushbeat validate --fix` can repair it safely

    def location(self, display_path: str | None = None) -> str:
        return f"{display_path or self.path}:{self.line}:{self.col}"
