"""Lists edited item by item: kept items, separators and comments stay byte for byte; only the
changed items are rewritten. Shared by the YAML, TOML and JSON editors (internal to core/edit).
"""

from __future__ import annotations

import difflib
from collections.abc import Callable

from lushbeat_cli.core.edit.document import Doc, Entry, ItemSpan, ListItem, verify
from lushbeat_cli.errors import EditError


def _splice_flow_items(
    text: str,
    spans: list[ItemSpan],
    old: list[object],
    new: list[ListItem],
    render: Callable[[ListItem, str | None], str],
) -> str | None:
    """A flow list (``[a, "b"]``) edited item by item: kept items, the separators and the
    comments between them stay byte for byte; a changed item takes the place (and the quote
    style, through ``render``) of the item it replaces; a dropped item goes with its separator;
    a new item follows the one before it, separated as the list already is. None when the old
    list cannot be mapped onto its spans, or when no item would be left."""
    if not spans or len(spans) != len(old) or not new:
        return None
    count = len(spans)
    separator = _flow_separator(text[spans[0][1] : spans[1][0]] if count > 1 else ", ")
    first_quote = spans[0][2]
    pieces: list[tuple[int, int, str]] = []  # (start, end, replacement)
    changes = _item_changes(old, new)
    removed = [i for kind, i, _ in changes if kind == "drop"]
    moved: dict[str, list[int]] = {}  # an old item that comes back elsewhere keeps its text
    for kind, i, _ in changes:
        if kind != "add":
            moved.setdefault(item_key(old[i]), []).append(i)

    def written(j: int, quote: str | None) -> str:
        same = moved.get(item_key(new[j]))
        if same:
            start, end, _ = spans[same.pop(0)]
            return text[start:end]
        return render(new[j], quote)

    for kind, i, j in changes:
        if kind == "change":
            start, end, quote = spans[i]
            pieces.append((start, end, written(j, quote)))
        if kind != "add":
            continue
        while i in removed:  # after a dropped item: after the last one kept before it
            i -= 1
        item = written(j, first_quote)
        if i >= 0:  # after old item i
            at = spans[i][1]
            pieces.append((at, at, separator + item))
        else:  # in front of the first item
            at = spans[0][0]
            pieces.append((at, at, item + separator))
    runs: list[list[int]] = []
    for index in sorted(removed):
        if runs and runs[-1][-1] == index - 1:
            runs[-1].append(index)
        else:
            runs.append([index])
    for run in runs:
        first, last = run[0], run[-1]
        if last + 1 < count:  # up to the next item: the run and the separators after it
            pieces.append((spans[first][0], spans[last + 1][0], ""))
        elif first > 0:  # a run at the end: from the end of the item before it
            pieces.append((spans[first - 1][1], spans[last][1], ""))
        else:
            return None
    result = text
    # Back to front; of two pieces at one offset, the longer (a deletion) goes first. Several
    # additions after one item are joined in order by inserting them in reverse.
    ordered = sorted(enumerate(pieces), key=lambda item: (item[1][0], item[1][1], item[0]))
    for _, (start, end, replacement) in reversed(ordered):
        result = result[:start] + replacement + result[end:]
    return result


def _item_changes(old: list[object], new: list[ListItem]) -> list[tuple[str, int, int]]:
    """How ``old`` becomes ``new``, as ("change", i, j), ("drop", i, -1) and ("add", i, j)
    (new item j after old item i; -1: in front); kept items are left out. Items that differ
    only by case or spacing (``'Rupiah  '`` and ``Rupiah``) are paired first, in order, so a
    cleaned item takes the place and the quotes of the one it cleans."""
    changes: list[tuple[str, int, int]] = []

    def diff(i1: int, i2: int, j1: int, j2: int, key: Callable[[object], str]) -> None:
        matcher = difflib.SequenceMatcher(
            a=[key(item) for item in old[i1:i2]],
            b=[key(item) for item in new[j1:j2]],
            autojunk=False,
        )
        for tag, a1, a2, b1, b2 in matcher.get_opcodes():
            a1, a2, b1, b2 = a1 + i1, a2 + i1, b1 + j1, b2 + j1
            if tag == "equal":
                if key is not item_key:  # loosely equal: the old item's place, new text
                    pairs = zip(range(a1, a2), range(b1, b2), strict=True)
                    changes.extend(("change", i, j) for i, j in pairs)
                continue
            if tag == "replace" and key is item_key:
                diff(a1, a2, b1, b2, _loose_item_key)
                continue
            paired = min(a2 - a1, b2 - b1) if tag == "replace" else 0
            changes.extend(("change", a1 + n, b1 + n) for n in range(paired))
            changes.extend(("drop", i, -1) for i in range(a1 + paired, a2))
            changes.extend(("add", a1 + paired - 1, j) for j in range(b1 + paired, b2))

    diff(0, len(old), 0, len(new), item_key)
    return changes


def _loose_item_key(item: object) -> str:
    return "".join(str(item).casefold().split())


def _flow_separator(between: str) -> str:
    """How new items are set apart: like the first two items, without a comment there."""
    if "," not in between:
        return ", "
    if "#" not in between:
        return between
    if "\n" not in between:
        return ", "
    at = between.rindex("\n")
    return "," + ("\r" if between[at - 1 : at] == "\r" else "") + between[at:]


def item_key(item: object) -> str:
    """A list item for comparing old and new lists (1 and True and "1" differ)."""
    return f"{type(item).__name__}:{item!r}"


def edit_flow(
    doc: Doc,
    entry: Entry,
    value: list[ListItem],
    spans: list[ItemSpan] | None,
    render: Callable[[ListItem, str | None], str],
) -> str | None:
    """``_splice_flow_items`` on ``entry``'s list, checked to read back as ``value``; None
    when it cannot be done (the caller rewrites the whole value)."""
    key = next((name for name, known in doc.entries.items() if known is entry), None)
    old = doc.data.get(key) if key is not None else None
    if key is None or spans is None or not isinstance(old, list):
        return None
    result = _splice_flow_items(doc.text, spans, old, value, render)
    if result is None:
        return None
    try:
        verify(doc, result, key, doc.handler.stored(value))
    except EditError:
        return None
    return result
