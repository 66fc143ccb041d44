"""Unified diffs of planned edits, the one renderer of every ``--diff`` (validate, publish,
unpublish, tags, similar): plain text when piped, coloured on a terminal.

The patch is what ``diff -u`` and ``git diff`` print: ``a/`` and ``b/`` prefixes, lines split on
LF only, and ``\\ No newline at end of file`` after a last line without one. Imported by cli and
render only.
"""

from __future__ import annotations

import difflib
import re
import sys

from lushbeat_cli.core.edit import FileEdit
from lushbeat_cli.render.human import Output
from lushbeat_cli.render.machine import display_path

_NO_NEWLINE = "\\ No newline at end of file\n"
_LINE = re.compile(r"[^\n]*\n|[^\n]+")  # str.splitlines would also split at \f, \x1c, U+2028...


def unified_diff(edit: FileEdit) -> str:
    """The edit as a patch, paths as shown to the user; a move without a change of text is
    ``rename from`` / ``rename to``; no change at all is an empty patch."""
    before = display_path(edit.path)
    after = display_path(edit.target) if edit.moves and edit.target is not None else before
    lines = difflib.unified_diff(
        _lines(edit.old), _lines(edit.new), fromfile=f"a/{before}", tofile=f"b/{after}"
    )
    patch = "".join(lines)
    if not patch and edit.moves:
        patch = f"rename from {before}\nrename to {after}\n"
    return patch


def _lines(text: str) -> list[str]:
    lines = _LINE.findall(text)
    if lines and not lines[-1].endswith("\n"):
        lines[-1] += "\n" + _NO_NEWLINE
    return lines


def print_diff(output: Output, edit: FileEdit) -> None:
    """Write an edit's patch to stdout, coloured by line kind on a terminal."""
    patch = unified_diff(edit)
    if not patch or not output.stdout_is_terminal:
        sys.stdout.write(patch)
        return
    from rich.text import Text

    console = output.out
    for line in patch.removesuffix("\n").split("\n"):
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
