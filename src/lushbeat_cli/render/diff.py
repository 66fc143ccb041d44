"""Unified diffs of planned edits (``--diff``): plain text when piped, coloured on a terminal.

Imported by cli only.
"""

from __future__ import annotations

import difflib
import sys
from pathlib import Path

from lushbeat_cli.render.human import Output
from lushbeat_cli.render.machine import display_path

_NO_NEWLINE = "\\ No newline at end of file\n"


def unified_diff(old: str, new: str, path: Path, target: Path | None = None) -> str:
    """A ``diff -u`` / ``git diff`` style patch (``a/`` and ``b/`` prefixes, paths as shown)."""
    before = display_path(path)
    after = display_path(target) if target is not None else before
    lines = difflib.unified_diff(
        _lines(old), _lines(new), fromfile=f"a/{before}", tofile=f"b/{after}"
    )
    patch = "".join(lines)
    if not patch and target is not None and target != path:
        patch = f"rename from {before}\nrename to {after}\n"
    return patch


def _lines(text: str) -> list[str]:
    lines = text.splitlines(keepends=True)
    if lines and not lines[-1].endswith("\n"):
        lines[-1] += "\n" + _NO_NEWLINE
    return lines


def print_diff(output: Output, patch: str) -> None:
    """Write a patch to stdout, coloured by line kind on a terminal."""
    if not output.stdout_is_terminal:
        sys.stdout.write(patch)
        return
    from rich.text import Text

    console = output.out
    for line in patch.splitlines():
        if line.startswith(("---", "+++", "rename ")):
            style = "header"
        elif line.startswith("@@"):
            style = "path"
        elif line.startswith("+"):
            style = "success"
        elif line.startswith("-"):
            style = "error"
        else:
            style = ""
        console.print(Text(line, style=style), overflow="ignore", crop=False, soft_wrap=True)
