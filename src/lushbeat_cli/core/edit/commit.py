"""Edits of article files: plan one (``FileEdit``, the text before and after), then commit it.

Everything that changes existing articles (validate --fix, publish, unpublish, tags rename and
merge, similar --write) plans a ``FileEdit`` with the in-place editor, may show it as a diff
(render/diff.py), then ``commit_edit`` writes it atomically.
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from lushbeat_cli.core.edit.document import FieldValue, Remove
from lushbeat_cli.core.edit.fields import apply_edits
from lushbeat_cli.core.files.atomic import atomic_write
from lushbeat_cli.core.files.inputs import DEFAULT_MAX_FILE_SIZE, InputError, read_input
from lushbeat_cli.core.reading.frontmatter import parse_text
from lushbeat_cli.errors import EditError, LushbeatError


@dataclass(frozen=True)
class FileEdit:
    """The text of one article before and after an edit; ``target`` differs when it moves."""

    path: Path
    old: str
    new: str
    target: Path | None = None

    @property
    def destination(self) -> Path:
        return self.target if self.target is not None else self.path

    @property
    def moves(self) -> bool:
        return self.target is not None and self.target != self.path

    @property
    def changed(self) -> bool:
        return self.moves or self.new != self.old


def read_article_text(path: Path, max_size: int = DEFAULT_MAX_FILE_SIZE) -> str:
    """The exact text of an article (UTF-8; a BOM and CRLF line endings are kept): a regular
    file of at most ``max_size`` bytes (the config's ``max_file_size``), else LushbeatError."""
    data = read_input(path, max_size)
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise EditError(f"invalid UTF-8 (byte 0x{data[exc.start]:02x})", path=path) from None


def metadata_of(text: str, path: Path) -> dict[str, Any]:
    """The front matter of an article's exact text (a leading BOM is allowed)."""
    return parse_text(text.removeprefix("\ufeff"), path).metadata


def plan_edit(
    path: Path,
    edits: Mapping[str, FieldValue | Remove],
    *,
    text: str | None = None,
    target: Path | None = None,
) -> FileEdit:
    """Apply ``edits`` (key -> value, or REMOVE) to the file's text without writing anything."""
    old = read_article_text(path) if text is None else text
    try:
        new = apply_edits(old, edits)
    except EditError as exc:
        raise EditError(exc.message, path=path, line=exc.line, col=exc.col) from None
    return FileEdit(path=path, old=old, new=new, target=target)


def _unchanged(edit: FileEdit) -> bool:
    """Whether the file still holds exactly ``edit.old`` (never reading more than that)."""
    old = edit.old.encode("utf-8")
    try:
        return read_input(edit.path, len(old)) == old
    except InputError as exc:
        if exc.too_large:
            return False
        raise


def commit_edit(edit: FileEdit) -> Path:
    """Write an edit atomically; refuse if the file changed since it was read, or if a move
    would replace another file. Returns the article's (new) path."""
    if not edit.changed:
        return edit.path
    if not _unchanged(edit):
        raise EditError("changed on disk while lushbeat was working; not written", path=edit.path)
    data = edit.new.encode("utf-8")
    if not edit.moves:
        atomic_write(edit.path, data, overwrite=True)
        return edit.path
    if edit.path.is_symlink():  # a move would turn the link into a copy, its file left stale
        raise EditError("is a symbolic link; not moved (move it by hand)", path=edit.path)
    target = edit.destination
    atomic_write(target, data, overwrite=False)  # never replaces an existing file
    with contextlib.suppress(OSError):
        os.chmod(target, edit.path.stat().st_mode & 0o7777)
    try:
        edit.path.unlink()
    except OSError as exc:
        raise LushbeatError(
            f"written to {target}, but the old file could not be removed: {exc.strerror}",
            path=edit.path,
        ) from None
    return target
