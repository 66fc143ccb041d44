"""Set, remove and locate one top-level front-matter key, keeping every other byte of the file.

Pure (text in, text out, no I/O): the public operations of the in-place editor, dispatching to
the editor of the block's syntax (YAML, TOML or JSON).
"""

from __future__ import annotations

from collections.abc import Mapping

from lushbeat_cli.core.edit.document import (
    REMOVE,
    Doc,
    FieldValue,
    FrontMatterFormat,
    Handler,
    Lines,
    Remove,
    locate,
    normalize,
    same,
    verify,
)
from lushbeat_cli.core.edit.json_editor import JsonHandler
from lushbeat_cli.core.edit.toml_editor import TomlHandler
from lushbeat_cli.core.edit.yaml_editor import YamlHandler
from lushbeat_cli.errors import EditError


def detect_format(text: str) -> FrontMatterFormat | None:
    """Return the format of a complete front-matter block at the start of ``text``, else None.

    A UTF-8 BOM and blank lines before the opening delimiter are allowed, as in the parser.

    An opening delimiter that is never closed (or a ``{`` that is not a JSON object) is not
    front matter for this purpose; :func:`set_field` reports such files with an EditError.
    """
    try:
        block = locate(text)
    except EditError:
        return None
    return block.fmt if block else None


def get_field_span(text: str, key: str) -> tuple[int, int] | None:
    """Return the 1-based, inclusive (first, last) file lines of top-level ``key``'s entry.

    None if the file has no front matter or the key has no entry of its own.
    """
    _check_key(key)
    doc = _load(text)
    if doc is None or (entry := doc.entries.get(key)) is None:
        return None
    return entry.first_line + 1, entry.last_line + 1


def set_field(text: str, key: str, value: FieldValue) -> str:
    """Set top-level ``key`` to ``value``, replacing its entry in place or appending one.

    Returns ``text`` unchanged when the key already holds an equal value. Raises EditError when
    the file has no (valid) front matter or the entry cannot be rewritten safely, and TypeError
    for a value outside :data:`FieldValue`.
    """
    _check_key(key)
    value = normalize(value)
    doc = _load(text)
    if doc is None:
        raise EditError(f"cannot set {key!r}: the file has no front matter")
    handler = HANDLERS[doc.block.fmt]
    handler.check_value(key, value)
    wanted = handler.stored(value)
    if key in doc.data and same(doc.data[key], wanted):
        return text
    _refuse_blocked(doc, key)
    entry = doc.entries.get(key)
    if entry is not None:
        new_text = handler.replace(doc, entry, value)
    elif key in doc.data:
        raise EditError(f"cannot set {key!r}: it is not a plain top-level entry")
    else:
        new_text = handler.append(doc, key, value)
    verify(doc, new_text, key, wanted)
    return new_text


def remove_field(text: str, key: str) -> str:
    """Remove top-level ``key``'s whole entry; return ``text`` unchanged if it has none."""
    _check_key(key)
    doc = _load(text)
    if doc is None or key not in doc.data:
        return text
    _refuse_blocked(doc, key)
    entry = doc.entries.get(key)
    if entry is None:
        raise EditError(f"cannot remove {key!r}: it is not a plain top-level entry")
    new_text = HANDLERS[doc.block.fmt].remove(doc, entry)
    verify(doc, new_text, key, REMOVE)
    return new_text


def apply_edits(text: str, edits: Mapping[str, FieldValue | Remove]) -> str:
    """Apply several edits in order; a value of :data:`REMOVE` removes that key."""
    for key, value in edits.items():
        text = remove_field(text, key) if isinstance(value, Remove) else set_field(text, key, value)
    return text


def _load(text: str) -> Doc | None:
    block = locate(text)
    if block is None:
        return None
    return HANDLERS[block.fmt].load(text, block, Lines(text))


def _refuse_blocked(doc: Doc, key: str) -> None:
    if key in doc.blocked:
        entry = doc.entries.get(key)
        line = entry.first_line + 1 if entry else None
        raise EditError(f"cannot edit {key!r} in place: {doc.blocked[key]}", line=line)


def _check_key(key: str) -> None:
    if not isinstance(key, str):
        raise TypeError(f"front-matter key must be a str, not {type(key).__name__}")


HANDLERS: dict[FrontMatterFormat, Handler] = {
    FrontMatterFormat.YAML: YamlHandler(),
    FrontMatterFormat.TOML: TomlHandler(),
    FrontMatterFormat.JSON: JsonHandler(),
}
