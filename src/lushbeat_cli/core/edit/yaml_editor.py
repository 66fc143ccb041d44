"""The YAML front-matter editor: find each top-level entry from PyYAML's events, then replace,
append or remove one entry in the file's own style (internal to core/edit).
"""

from __future__ import annotations

import datetime as dt
import difflib
import re
from dataclasses import dataclass

import yaml
from yaml import events as yev

from lushbeat_cli.core.edit.document import (
    Block,
    Doc,
    Entry,
    FieldValue,
    Handler,
    Lines,
    ListItem,
    comment_only,
    float_repr,
    same,
    verify,
)
from lushbeat_cli.core.edit.lists import edit_flow, item_key
from lushbeat_cli.errors import EditError

# The same loader as the parser (libyaml when built in) for values; the pure-Python parser for
# positions, because its marks count characters.
_YAML_LOADER: type[yaml.SafeLoader] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


_YAML_STR_TAG = "tag:yaml.org,2002:str"


_YAML_RESOLVER = yaml.resolver.Resolver()


# Line breaks YAML knows but this editor's line model does not; refuse rather than guess.
_YAML_ODD_BREAKS = re.compile("[\x85\u2028\u2029]|\r(?!\n)")


# Characters that may appear literally inside a quoted or plain scalar on one line.
_YAML_INLINE_OK = re.compile(
    "[\t\x20-\x7e\xa0-\u2027\u202a-\ud7ff\ue000-\ufefe\uff00-\ufffd\U00010000-\U0010ffff]*"
)


_YAML_ESCAPES = {
    "\\": "\\\\",
    '"': '\\"',
    "\n": "\\n",
    "\t": "\\t",
    "\r": "\\r",
    "\0": "\\0",
    "\x07": "\\a",
    "\b": "\\b",
    "\x0b": "\\v",
    "\x0c": "\\f",
    "\x1b": "\\e",
}


@dataclass(frozen=True)
class _YamlEntry(Entry):
    colon_end: int  # offset just after the ':' that follows the key
    value_start: int
    value_end: int  # end of the value's last character (block scalars: end of last line)
    style: str  # plain, empty, ', ", |, >, flow, block_seq, block_map
    dash_col: int  # block_seq: column of '-'
    dash_gap: int  # block_seq: spaces between '-' and the item
    item_quote: str | None  # quote style of the first list item
    # block_seq or flow sequence of scalars: each item's (start, end, quote style) in the text
    items: list[tuple[int, int, str | None]] | None = None


def _yaml_load(source: str) -> object:
    return yaml.load(source, Loader=_YAML_LOADER)  # a safe loader (C or pure Python)


def _yaml_key_name(event: yev.Event) -> str | None:
    """The key as a str, or None when it is complex, anchored or resolves to a non-str."""
    if not isinstance(event, yev.ScalarEvent) or event.anchor:
        return None
    tag = event.tag
    if tag in (None, "!"):
        tag = _YAML_RESOLVER.resolve(yaml.ScalarNode, event.value, event.implicit)
    return event.value if tag == _YAML_STR_TAG else None


def _skip_node(events: list[yev.Event], i: int) -> int:
    """Index just past the node that starts at ``events[i]``."""
    depth = 0
    while True:
        event = events[i]
        i += 1
        if isinstance(event, yev.CollectionStartEvent):
            depth += 1
        elif isinstance(event, yev.CollectionEndEvent):
            depth -= 1
        if depth == 0:
            return i


class YamlHandler(Handler):
    def parse(self, source: str, first_line: int = 0) -> dict[object, object]:
        if _YAML_ODD_BREAKS.search(source):
            raise EditError(
                "the YAML front matter contains a lone CR or a Unicode line separator; "
                "cannot edit it safely"
            )
        try:
            data = _yaml_load(source)
        except RecursionError as exc:
            raise EditError("the YAML front matter is nested too deeply") from exc
        except yaml.YAMLError as exc:
            mark = getattr(exc, "problem_mark", None)
            problem = getattr(exc, "problem", None) or str(exc)
            line = first_line + mark.line + 1 if mark is not None else None
            raise EditError(f"the YAML front matter is not valid: {problem}", line=line) from exc
        except (ValueError, TypeError, OverflowError) as exc:  # e.g. `date: 2024-13-45`
            raise EditError(
                f"the YAML front matter has a value that cannot be loaded: {exc}"
            ) from exc
        if data is None:
            return {}
        if not isinstance(data, dict):
            raise EditError("the YAML front matter is not a mapping")
        return data

    def load(self, text: str, block: Block, lines: Lines) -> Doc:
        source = text[block.start : block.end]
        data = self.parse(source, lines.index(block.start))
        try:
            events = list(yaml.parse(source, Loader=yaml.SafeLoader))
        except yaml.YAMLError as exc:  # libyaml accepted what the pure-Python parser did not
            raise EditError(f"cannot read the YAML front matter's layout: {exc}") from exc
        doc = Doc(text, block, lines, data, {}, {}, self, append_at=block.end)
        if len(events) <= 2:  # only comments or blank lines
            return doc
        top = events[2]
        if not isinstance(top, yev.MappingStartEvent) or top.flow_style:
            raise EditError("the YAML front matter must be a block mapping (key: value lines)")
        seen: set[str] = set()
        i = 3
        indent: int | None = None
        while not isinstance(events[i], yev.MappingEndEvent):
            key_event = events[i]
            j = _skip_node(events, i)
            k = _skip_node(events, j)
            name = _yaml_key_name(key_event)
            if name is not None:
                if name in seen:
                    doc.blocked[name] = "the key appears more than once"
                seen.add(name)
                entry, problem = self._entry(text, block, lines, key_event, events[j:k])
                if entry is not None:
                    doc.entries[name] = entry
                    if indent is None:
                        indent = _entry_indent(lines, entry)
                if problem and name not in doc.blocked:
                    doc.blocked[name] = problem
            i = k
        doc.indent = " " * (indent or 0)
        return doc

    @staticmethod
    def _entry(
        text: str, block: Block, lines: Lines, key_event: yev.Event, value: list[yev.Event]
    ) -> tuple[_YamlEntry | None, str | None]:
        key_start = block.start + key_event.start_mark.index
        first = lines.index(key_start)
        if text[lines.start(first) : key_start].strip(" "):
            return None, "the key uses complex-key syntax"
        colon = block.start + key_event.end_mark.index
        while text[colon] in " \t":
            colon += 1
        if text[colon] != ":":
            return None, "the key uses complex-key syntax"
        head = value[0]
        value_start = block.start + head.start_mark.index
        ends: list[int] = []
        flow_stack: list[bool] = []
        has_anchor = False
        item_quote: str | None = None  # new list items copy the first old item's quotes
        first_item = True
        items: list[tuple[int, int, str | None]] | None = []
        depth = 0
        for event in value:
            if depth == 1 and items is not None:  # a direct child of the value
                if isinstance(event, yev.ScalarEvent) and not event.anchor:
                    start = block.start + event.start_mark.index
                    items.append((start, block.start + event.end_mark.index, event.style))
                elif not isinstance(event, yev.CollectionEndEvent):
                    items = None  # nested lists, mappings or aliases: rewrite the whole value
            if isinstance(event, yev.CollectionStartEvent):
                depth += 1
            elif isinstance(event, yev.CollectionEndEvent):
                depth -= 1
            if isinstance(event, yev.AliasEvent) or getattr(event, "anchor", None):
                has_anchor = True
            if isinstance(event, yev.CollectionStartEvent):
                flow_stack.append(bool(event.flow_style))
                ends.append(event.end_mark.index)
            elif isinstance(event, yev.CollectionEndEvent):
                # A block collection "ends" where the next token starts, maybe lines later.
                if flow_stack.pop():
                    ends.append(event.end_mark.index)
            else:
                ends.append(event.end_mark.index)
                if first_item and event is not head and isinstance(event, yev.ScalarEvent):
                    first_item = False
                    item_quote = event.style if event.style in ("'", '"') else None
        value_end = block.start + max(ends)
        last = lines.index(value_end)
        if value_end == lines.start(last) and last > first:
            last -= 1
            value_end = lines.content_end(last)
        while last > first and not lines.content(last).strip():
            last -= 1
            value_end = lines.content_end(last)
        value_end = min(value_end, lines.content_end(last))
        dash_col, dash_gap = 0, 1
        if isinstance(head, yev.ScalarEvent):
            at = head.start_mark.index
            empty = head.value == "" and head.style is None and at == head.end_mark.index
            style = "empty" if empty else (head.style or "plain")
        elif isinstance(head, yev.AliasEvent):
            style = "alias"
        elif head.flow_style:
            style = "flow"
        elif isinstance(head, yev.SequenceStartEvent):
            style = "block_seq"
            dash_col = head.start_mark.column
            item = value[1]
            if item.start_mark.line == head.start_mark.line:
                dash_gap = max(1, item.start_mark.column - dash_col - 1)
        else:
            style = "block_map"
        entry = _YamlEntry(
            first,
            last,
            colon + 1,
            value_start,
            value_end,
            style,
            dash_col,
            dash_gap,
            item_quote,
            items if style == "block_seq" or isinstance(head, yev.SequenceStartEvent) else None,
        )
        if has_anchor:
            return entry, "its value uses a YAML anchor or alias"
        tail = text[value_end : lines.content_end(last)]
        if tail.strip() and not tail.lstrip().startswith("#"):
            return entry, "unexpected text follows its value"
        return entry, None

    def replace(self, doc: Doc, entry: Entry, value: FieldValue) -> str:
        assert isinstance(entry, _YamlEntry)
        text, lines = doc.text, doc.lines
        line_start = lines.start(entry.first_line)
        prefix = text[line_start : entry.colon_end]
        key_rest = text[entry.colon_end : lines.content_end(entry.first_line)]
        value_on_key_line = lines.index(entry.value_start) == entry.first_line
        if value_on_key_line:
            trailing = comment_only(text[entry.value_end : lines.content_end(entry.last_line)])
        else:
            trailing = comment_only(key_rest)
        new_lines: list[str]
        if isinstance(value, list) and entry.style == "flow" and entry.items is not None:
            spans = [(start, end, q if q in ("'", '"') else None) for start, end, q in entry.items]

            def render(item: ListItem, quote: str | None) -> str:
                return _yaml_scalar(item, "flow", quote)

            edited = edit_flow(doc, entry, value, spans, render)
            if edited is not None:
                return edited
        if isinstance(value, list) and value and entry.style == "block_seq":
            edited = self._edit_items(doc, entry, value)
            if edited is not None:
                return edited
            dash = " " * entry.dash_col + "-" + " " * entry.dash_gap
            items = [dash + _yaml_scalar(item, "item", entry.item_quote) for item in value]
            new_lines = [prefix + comment_only(key_rest), *items]
        elif (block := self._literal(doc, entry, value)) is not None:
            new_lines = [prefix + " " + block[0], *block[1:]]
        else:
            sep = " "
            if value_on_key_line and entry.style != "empty":
                sep = text[entry.colon_end : entry.value_start] or " "
            new_lines = [prefix + sep + _yaml_inline(value, entry) + trailing]
        replacement = doc.block.newline.join(new_lines)
        return text[:line_start] + replacement + text[lines.content_end(entry.last_line) :]

    def _edit_items(self, doc: Doc, entry: _YamlEntry, value: list[ListItem]) -> str | None:
        """The block list edited item by item: kept items (and the comments and blank lines
        around them) stay byte for byte, a changed item keeps its line, its quotes and its
        comment, a dropped item loses its line, a new item gets a line of its own. None when
        the list's layout does not allow it (the caller rewrites the whole value)."""
        key = next((name for name, known in doc.entries.items() if known is entry), None)
        old = doc.data.get(key) if key is not None else None
        spans = entry.items
        if not isinstance(old, list) or spans is None or len(spans) != len(old) or not spans:
            return None
        text, lines = doc.text, doc.lines
        rows = [lines.index(start) for start, _, _ in spans]
        if len(set(rows)) != len(rows):
            return None  # two items on one line
        for (start, end, _), row in zip(spans, rows, strict=True):
            tail = text[end : lines.content_end(row)]
            if (
                lines.index(end) != row  # an item over several lines
                or text[lines.start(row) : start].strip() != "-"
                or comment_only(tail) != tail.rstrip()
            ):
                return None  # something else shares the item's line
        dash = " " * entry.dash_col + "-" + " " * entry.dash_gap
        newline = doc.block.newline
        pieces: list[tuple[int, int, str]] = []  # (start, end, replacement)
        matcher = difflib.SequenceMatcher(
            a=[item_key(item) for item in old],
            b=[item_key(item) for item in value],
            autojunk=False,
        )
        for tag, i1, i2, j1, j2 in matcher.get_opcodes():
            if tag == "equal":
                continue
            # Changed items keep their lines (quotes, comments) pairwise; the rest of the old
            # ones lose their lines, the rest of the new ones get lines of their own.
            paired = min(i2 - i1, j2 - j1) if tag == "replace" else 0
            for i, j in zip(range(i1, i1 + paired), range(j1, j1 + paired), strict=True):
                start, end, quote = spans[i]
                scalar = _yaml_scalar(value[j], "item", quote)
                if start == end and text[start - 1 : start] == "-":
                    scalar = " " + scalar  # an empty item (a bare dash)
                pieces.append((start, end, scalar))
            for i in range(i1 + paired, i2):
                pieces.append((lines.start(rows[i]), lines.end(rows[i]), ""))
            if j2 > j1 + paired:
                last = i1 + paired - 1  # the item the new lines follow
                at = lines.end(rows[last]) if last >= 0 else lines.start(rows[0])
                added = "".join(
                    dash + _yaml_scalar(item, "item", entry.item_quote) + newline
                    for item in value[j1 + paired : j2]
                )
                pieces.append((at, at, added))
        result = text
        for start, end, replacement in sorted(pieces, key=lambda piece: piece[:2], reverse=True):
            result = result[:start] + replacement + result[end:]
        try:
            verify(doc, result, key, self.stored(value))  # type: ignore[arg-type]
        except EditError:
            return None
        return result

    @staticmethod
    def _literal(doc: Doc, entry: _YamlEntry, value: FieldValue) -> list[str] | None:
        """A literal block scalar (header, lines) when the old value was a block scalar too."""
        if entry.style not in ("|", ">") or not isinstance(value, str) or "\n" not in value:
            return None
        body = value.rstrip("\n")
        if not body.strip() or value.endswith("\n\n"):
            return None
        if not all(_YAML_INLINE_OK.fullmatch(line) for line in body.split("\n")):
            return None
        lines = doc.lines
        key_indent = _entry_indent(lines, entry)
        indent = key_indent + 2
        for i in range(entry.first_line + 1, entry.last_line + 1):
            content = lines.content(i)
            if content.strip():
                indent = max(len(content) - len(content.lstrip(" ")), key_indent + 1)
                break
        header = "|" if value.endswith("\n") else "|-"
        block = [header] + [" " * indent + line if line else "" for line in body.split("\n")]
        snippet = "k: " + "\n".join(block) + "\n"
        if not _yaml_reads_back(snippet, {"k": value}):
            return None
        return block

    def append(self, doc: Doc, key: str, value: FieldValue) -> str:
        line = doc.indent + _yaml_key(key) + ": " + _yaml_inline(value, None)
        at = doc.append_at
        return doc.text[:at] + line + doc.block.newline + doc.text[at:]


def _entry_indent(lines: Lines, entry: Entry) -> int:
    content = lines.content(entry.first_line)
    return len(content) - len(content.lstrip(" "))


def _yaml_reads_back(snippet: str, expected: object) -> bool:
    try:
        return same(_yaml_load(snippet), expected)
    except yaml.YAMLError:
        return False


def _yaml_key(key: str) -> str:
    if key and _YAML_INLINE_OK.fullmatch(key) and _yaml_reads_back(f"{key}: 0  # c\n", {key: 0}):
        return key
    return _yaml_double(key)


def _yaml_inline(value: FieldValue, entry: _YamlEntry | None) -> str:
    quote = entry.style if entry and entry.style in ("'", '"') else None
    if isinstance(value, list):
        item_quote = entry.item_quote if entry else None
        return "[" + ", ".join(_yaml_scalar(item, "flow", item_quote) for item in value) + "]"
    return _yaml_scalar(value, "block", quote)


def _yaml_scalar(value: FieldValue, context: str, quote: str | None) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        rendered = float_repr(value, ".nan", ".inf")
        mantissa, e, exponent = rendered.partition("e")
        if e and "." not in mantissa:  # YAML 1.1 floats need a dot: 1e+16 -> 1.0e+16
            rendered = f"{mantissa}.0e{exponent}"
        return rendered
    if isinstance(value, dt.date):  # datetime too: isoformat gives 2024-07-29T10:00:00+07:00
        return value.isoformat()
    if isinstance(value, str):
        return _yaml_str(value, context, quote)
    raise TypeError(f"unsupported YAML scalar: {type(value).__name__}")


def _yaml_str(value: str, context: str, quote: str | None) -> str:
    """Plain if it reads back as the same str, else the old quote style, else double quotes."""
    # Tabs are legal in plain scalars but read differently by other YAML tools; quote them.
    plain_ok = quote is not None or "\t" not in value
    if quote != '"' and value and plain_ok and _YAML_INLINE_OK.fullmatch(value):
        candidate = value if quote is None else "'" + value.replace("'", "''") + "'"
        snippets = {
            "block": (f"k: {candidate}  # c\n", {"k": value}),
            "flow": (f"k: [{candidate}, {candidate}]  # c\n", {"k": [value, value]}),
            "item": (f"k:\n- {candidate}  # c\n- {candidate}\n", {"k": [value, value]}),
        }
        snippet, expected = snippets[context]
        if _yaml_reads_back(snippet, expected):
            return candidate
    return _yaml_double(value)


def _yaml_double(value: str) -> str:
    out = []
    for char in value:
        if char in _YAML_ESCAPES:
            out.append(_YAML_ESCAPES[char])
        elif _YAML_INLINE_OK.fullmatch(char):
            out.append(char)
        else:
            code = ord(char)
            if code <= 0xFF:
                out.append(f"\\x{code:02X}")
            elif code <= 0xFFFF:
                out.append(f"\\u{code:04X}")
            else:
                out.append(f"\\U{code:08X}")
    return '"' + "".join(out) + '"'
