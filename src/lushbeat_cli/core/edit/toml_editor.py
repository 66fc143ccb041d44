"""The TOML front-matter editor: a scan of the top-level ``key = value`` lines, then replace,
append or remove one entry in the file's own style (internal to core/edit).
"""

from __future__ import annotations

import datetime as dt
import re
import tomllib
from dataclasses import dataclass

from lushbeat_cli.core.edit.document import (
    Block,
    Doc,
    Entry,
    FieldValue,
    Handler,
    ItemSpan,
    Lines,
    ListItem,
    bracketed_end,
    float_repr,
)
from lushbeat_cli.core.edit.lists import edit_flow
from lushbeat_cli.errors import EditError

_TOML_BARE_KEY = re.compile(r"[A-Za-z0-9_-]+")


_TOML_LITERAL_OK = re.compile("[^\x00-\x08\x0a-\x1f\x7f']*")


@dataclass(frozen=True)
class _TomlEntry(Entry):
    key_end: int
    value_start: int
    value_end: int


@dataclass(frozen=True)
class _TomlRaw:
    parts: list[str]
    key_start: int
    key_end: int
    value_start: int
    value_end: int


def _skip_blanks(text: str, i: int) -> int:
    while i < len(text) and text[i] in " \t":
        i += 1
    return i


def _toml_string_end(text: str, i: int) -> int:
    """End of the TOML string (any of the four kinds) that starts at ``i``."""
    for triple in ('"""', "'''"):
        if text.startswith(triple, i):
            j = i + 3
            while not text.startswith(triple, j):
                j += 2 if triple == '"""' and text[j] == "\\" else 1
            j += 3
            for _ in range(2):  # up to two quotes may end the content itself
                if text[j : j + 1] == triple[0]:
                    j += 1
            return j
    quote = text[i]
    j = i + 1
    while text[j] != quote:
        j += 2 if quote == '"' and text[j] == "\\" else 1
    return j + 1


def _toml_value_end(text: str, i: int) -> int:
    char = text[i]
    if char in "\"'":
        return _toml_string_end(text, i)
    if char in "[{":
        return bracketed_end(text, i, "\"'", _toml_string_end, comment="#")
    j = i  # number, bool or date-time (which may contain one space)
    while j < len(text) and text[j] not in "#\r\n":
        j += 1
    while text[j - 1] in " \t":
        j -= 1
    return j


def _toml_scan(text: str, start: int, end: int) -> tuple[list[_TomlRaw], int | None]:
    """Top-level key/value entries of ``text[start:end]`` and the offset of the first table."""
    found: list[_TomlRaw] = []
    i = start
    while i < end:
        j = _skip_blanks(text, i)
        char = text[j] if j < end else "\n"
        if char == "[":
            return found, i
        if char not in "#\r\n":
            key_start = j
            parts: list[str] = []
            while True:
                if text[j] in "\"'":
                    k = _toml_string_end(text, j)
                else:
                    match = _TOML_BARE_KEY.match(text, j)
                    if match is None:
                        raise ValueError(f"unexpected character at offset {j}")
                    k = match.end()
                parts.append(text[j:k])
                j = _skip_blanks(text, k)
                if text[j] != ".":
                    break
                j = _skip_blanks(text, j + 1)
            if text[j] != "=":
                raise ValueError(f"expected '=' at offset {j}")
            value_start = _skip_blanks(text, j + 1)
            value_end = _toml_value_end(text, value_start)
            found.append(_TomlRaw(parts, key_start, k, value_start, value_end))
            j = value_end
        newline = text.find("\n", j, end)
        i = end if newline < 0 else newline + 1
    return found, None


def _toml_key_part(part: str) -> str:
    if part[0] in "\"'":
        return next(iter(tomllib.loads(f"{part} = 0")))
    return part


class TomlHandler(Handler):
    def parse(self, source: str, first_line: int = 0) -> dict[object, object]:
        try:
            return dict(tomllib.loads(source))
        except RecursionError as exc:
            raise EditError("the TOML front matter is nested too deeply") from exc
        except tomllib.TOMLDecodeError as exc:
            raise EditError(f"the TOML front matter is not valid: {exc}") from exc

    def load(self, text: str, block: Block, lines: Lines) -> Doc:
        data = self.parse(text[block.start : block.end])
        try:
            found, first_table = _toml_scan(text, block.start, block.end)
        except (IndexError, ValueError) as exc:
            raise EditError(f"cannot read the TOML front matter's layout: {exc}") from exc
        doc = Doc(text, block, lines, data, {}, {}, self, append_at=block.end, key_sep=" = ")
        for raw in found:
            name = _toml_key_part(raw.parts[0])
            first = lines.index(raw.key_start)
            last = lines.index(raw.value_end - 1)
            if len(raw.parts) > 1:
                doc.blocked[name] = f"it is set with dotted keys on line {first + 1}"
                continue
            doc.entries[name] = _TomlEntry(first, last, raw.key_end, raw.value_start, raw.value_end)
        if found:
            last_raw = found[-1]
            doc.key_sep = text[last_raw.key_end : last_raw.value_start]
            if first_table is not None:
                doc.append_at = lines.end(lines.index(last_raw.value_end - 1))
        if first_table is not None and not found:
            doc.append_at = first_table
        return doc

    def check_value(self, key: str, value: FieldValue) -> None:
        if value is None:
            raise EditError(f"cannot set {key!r} to null: TOML has no null value")

    def replace(self, doc: Doc, entry: Entry, value: FieldValue) -> str:
        assert isinstance(entry, _TomlEntry)
        text = doc.text
        if isinstance(value, list) and text[entry.value_start] == "[":
            spans = _toml_array_items(text, entry.value_start)

            def render(item: ListItem, quote: str | None) -> str:
                return _toml_value(item, literal=quote == "'")

            edited = edit_flow(doc, entry, value, spans, render)
            if edited is not None:
                return edited
        literal = text[entry.value_start] == "'" and not text.startswith("'''", entry.value_start)
        rendered = _toml_value(value, literal)
        return text[: entry.value_start] + rendered + text[entry.value_end :]

    def append(self, doc: Doc, key: str, value: FieldValue) -> str:
        name = key if _TOML_BARE_KEY.fullmatch(key) else _toml_basic(key)
        line = name + doc.key_sep + _toml_value(value, literal=False)
        at = doc.append_at
        return doc.text[:at] + line + doc.block.newline + doc.text[at:]


def _toml_array_items(text: str, i: int) -> list[ItemSpan] | None:
    """The spans of a TOML array's items when they are all one-line strings, else None."""
    spans: list[ItemSpan] = []
    try:
        j = _toml_skip(text, i + 1)
        while text[j] != "]":
            if text[j] not in "\"'" or text.startswith(('"""', "'''"), j):
                return None  # numbers, dates, nested arrays, tables, multi-line strings
            end = _toml_string_end(text, j)
            spans.append((j, end, text[j]))
            j = _toml_skip(text, end)
            if text[j] == ",":
                j = _toml_skip(text, j + 1)
            elif text[j] != "]":
                return None
    except (IndexError, ValueError):
        return None
    return spans


def _toml_skip(text: str, i: int) -> int:
    """Past blanks, line breaks and comments (inside an array)."""
    while True:
        while text[i] in " \t\r\n":
            i += 1
        if text[i] != "#":
            return i
        i = text.index("\n", i)


def _toml_value(value: FieldValue, literal: bool) -> str:
    if isinstance(value, list):
        return "[" + ", ".join(_toml_value(item, literal) for item in value) + "]"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        return float_repr(value, "nan", "inf")
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, str):
        if literal and "\n" not in value and _TOML_LITERAL_OK.fullmatch(value):
            return f"'{value}'"
        return _toml_basic(value)
    raise TypeError(f"unsupported TOML value: {type(value).__name__}")


_TOML_ESCAPES = {
    "\\": "\\\\",
    '"': '\\"',
    "\b": "\\b",
    "\t": "\\t",
    "\n": "\\n",
    "\f": "\\f",
    "\r": "\\r",
}


def _toml_basic(value: str) -> str:
    out = []
    for char in value:
        if char in _TOML_ESCAPES:
            out.append(_TOML_ESCAPES[char])
        elif char < " " or char == "\x7f":
            out.append(f"\\u{ord(char):04X}")
        else:
            out.append(char)
    return '"' + "".join(out) + '"'
