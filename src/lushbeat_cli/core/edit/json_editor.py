"""The JSON front-matter editor: the top-level members of the object, then replace, append or
remove one member in the file's own style (internal to core/edit).
"""

from __future__ import annotations

import datetime as dt
import json
import math
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
)
from lushbeat_cli.core.edit.lists import edit_flow
from lushbeat_cli.errors import EditError

_JSON_BLANKS = " \t\r\n"


@dataclass(frozen=True)
class _JsonMember:
    key: str
    key_start: int
    key_end: int
    value_start: int
    value_end: int


@dataclass(frozen=True)
class _JsonEntry(Entry):
    index: int  # position among the object's members


def _json_skip(text: str, i: int) -> int:
    while text[i] in _JSON_BLANKS:
        i += 1
    return i


def _json_string_end(text: str, i: int) -> int:
    j = i + 1
    while text[j] != '"':
        j += 2 if text[j] == "\\" else 1
    return j + 1


def _json_value_end(text: str, i: int) -> int:
    char = text[i]
    if char == '"':
        return _json_string_end(text, i)
    if char in "[{":
        return bracketed_end(text, i, '"', _json_string_end)
    j = i
    while text[j] not in ",]}" + _JSON_BLANKS:
        j += 1
    return j


def _json_array_items(text: str, i: int) -> list[ItemSpan] | None:
    """The spans of a JSON array's items when they are all scalars, else None."""
    spans: list[ItemSpan] = []
    j = _json_skip(text, i + 1)
    while text[j] != "]":
        if text[j] in "[{":
            return None
        end = _json_value_end(text, j)
        spans.append((j, end, None))
        j = _json_skip(text, end)
        if text[j] == ",":
            j = _json_skip(text, j + 1)
    return spans


def _json_members(text: str, block: Block) -> list[_JsonMember]:
    """The top-level members of the (already validated) JSON object at ``block``."""
    members: list[_JsonMember] = []
    i = _json_skip(text, block.start + 1)
    if text[i] == "}":
        return members
    while True:
        key_end = _json_string_end(text, i)
        colon = _json_skip(text, key_end)
        value_start = _json_skip(text, colon + 1)
        value_end = _json_value_end(text, value_start)
        members.append(_JsonMember(json.loads(text[i:key_end]), i, key_end, value_start, value_end))
        i = _json_skip(text, value_end)
        if text[i] == "}":
            return members
        i = _json_skip(text, i + 1)  # past the comma


class JsonHandler(Handler):
    def parse(self, source: str, first_line: int = 0) -> dict[object, object]:
        try:
            data = json.loads(source)
        except RecursionError as exc:
            raise EditError("the JSON front matter is nested too deeply") from exc
        except json.JSONDecodeError as exc:
            raise EditError(f"the JSON front matter is not valid: {exc.msg}") from exc
        if not isinstance(data, dict):
            raise EditError("the JSON front matter is not an object")
        return data

    def load(self, text: str, block: Block, lines: Lines) -> Doc:
        data = self.parse(text[block.start : block.end])
        doc = Doc(text, block, lines, data, {}, {}, self)
        for index, member in enumerate(_json_members(text, block)):
            if member.key in doc.entries:
                doc.blocked[member.key] = "the key appears more than once"
            first = lines.index(member.key_start)
            last = lines.index(member.value_end - 1)
            doc.entries[member.key] = _JsonEntry(first, last, index)
        return doc

    def check_value(self, key: str, value: FieldValue) -> None:
        items = value if isinstance(value, list) else [value]
        if any(isinstance(item, float) and not math.isfinite(item) for item in items):
            raise EditError(f"cannot set {key!r}: JSON has no NaN or infinity")

    def stored(self, value: FieldValue) -> object:
        return value.isoformat() if isinstance(value, dt.date) else value

    def replace(self, doc: Doc, entry: Entry, value: FieldValue) -> str:
        assert isinstance(entry, _JsonEntry)
        member = _json_members(doc.text, doc.block)[entry.index]
        if isinstance(value, list) and doc.text[member.value_start] == "[":
            spans = _json_array_items(doc.text, member.value_start)

            def render(item: ListItem, quote: str | None) -> str:
                return json.dumps(item, ensure_ascii=False)

            edited = edit_flow(doc, entry, value, spans, render)
            if edited is not None:
                return edited
        rendered = json.dumps(self.stored(value), ensure_ascii=False)
        return doc.text[: member.value_start] + rendered + doc.text[member.value_end :]

    def append(self, doc: Doc, key: str, value: FieldValue) -> str:
        text, block = doc.text, doc.block
        pair_key = json.dumps(key, ensure_ascii=False)
        rendered = json.dumps(self.stored(value), ensure_ascii=False)
        members = _json_members(text, block)
        if not members:
            inner = text[block.start + 1 : block.end - 1]
            if "\n" in inner:
                pair = f"{block.newline}  {pair_key}: {rendered}{inner}"
            else:
                pair = f"{pair_key}: {rendered}"
            return text[: block.start + 1] + pair + text[block.end - 1 :]
        last = members[-1]
        if len(members) > 1:
            lead_start = text.index(",", members[-2].value_end) + 1
        else:
            lead_start = block.start + 1
        lead = text[lead_start : last.key_start]
        if len(members) == 1 and "\n" not in lead:
            lead = " "  # one-line object: separate members like json.dumps does
        colon = text[last.key_end : last.value_start]
        pair = f",{lead}{pair_key}{colon}{rendered}"
        return text[: last.value_end] + pair + text[last.value_end :]

    def remove(self, doc: Doc, entry: Entry) -> str:
        assert isinstance(entry, _JsonEntry)
        text = doc.text
        members = _json_members(text, doc.block)
        member = members[entry.index]
        if len(members) == 1:
            return text[: doc.block.start + 1] + text[member.value_end :]
        if entry.index < len(members) - 1:
            return text[: member.key_start] + text[members[entry.index + 1].key_start :]
        return text[: members[entry.index - 1].value_end] + text[member.value_end :]
