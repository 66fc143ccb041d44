"""Test helper: prove that an in-place edit changed only the lines of the keys it meant to."""

from __future__ import annotations

import difflib

from lushbeat_cli.core.edit import get_field_span


def changed_line_numbers(old: bytes, new: bytes) -> tuple[set[int], set[int]]:
    """1-based numbers of the old lines replaced or removed, and of the new lines added."""
    old_lines = old.splitlines(keepends=True)
    new_lines = new.splitlines(keepends=True)
    removed: set[int] = set()
    added: set[int] = set()
    matcher = difflib.SequenceMatcher(a=old_lines, b=new_lines, autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag != "equal":
            removed.update(range(i1 + 1, i2 + 1))
            added.update(range(j1 + 1, j2 + 1))
    return removed, added


def assert_only_keys_changed(old: bytes, new: bytes, keys: tuple[str, ...]) -> None:
    """Every changed line lies inside one of ``keys``' entries (before and after the edit);
    everything else — other keys, comments, the body, line endings — is byte-identical."""
    removed, added = changed_line_numbers(old, new)
    old_text, new_text = old.decode("utf-8"), new.decode("utf-8")
    allowed_old: set[int] = set()
    allowed_new: set[int] = set()
    for key in keys:
        if span := get_field_span(old_text, key):
            allowed_old.update(range(span[0], span[1] + 1))
        if span := get_field_span(new_text, key):
            allowed_new.update(range(span[0], span[1] + 1))
    assert removed <= allowed_old, f"lines {sorted(removed - allowed_old)} changed outside {keys}"
    assert added <= allowed_new, f"lines {sorted(added - allowed_new)} added outside {keys}"
    assert removed or added, "nothing changed"
