"""In-place front-matter editor: change one top-level key and keep every other byte of the file.

Pure core (text in, text out, no I/O); imported by core modules and commands that rewrite articles.
"""

from __future__ import annotations

import datetime as dt
import difflib
import json
import math
import re
import tomllib
from bisect import bisect_right
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from enum import Enum, StrEnum
from typing import TypeAlias

import yaml
from yaml import events as yev

from lushbeat_cli.errors import EditError

ListItem: TypeAlias = str | int | float | bool
FieldValue: TypeAlias = str | int | float | bool | dt.date | dt.datetime | list[ListItem] | None


class FrontMatterFormat(StrEnum):
    """The three front-matter syntaxes an article may open with."""

    YAML = "yaml"
    TOML = "toml"
    JSON = "json"


class Remove(Enum):
    """Type of the :data:`REMOVE` sentinel accepted by :func:`apply_edits`."""

    REMOVE = "remove"


REMOVE = Remove.REMOVE

# --------------------------------------------------------------------------------------------
# Public API
# --------------------------------------------------------------------------------------------


def detect_format(text: str) -> FrontMatterFormat | None:
    """Return the format of a complete front-matter block at the start of ``text``, else None.

    A UTF-8 BOM and blank lines before the opening delimiter are allowed, as in the parser.

    An opening delimiter that is never closed (or a ``{`` that is not a JSON object) is not
    front matter for this purpose; :func:`set_field` reports such files with an EditError.
    """
    try:
        block = _locate(text)
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
    value = _normalize(value)
    doc = _load(text)
    if doc is None:
        raise EditError(f"cannot set {key!r}: the file has no front matter")
    handler = _HANDLERS[doc.block.fmt]
    handler.check_value(key, value)
    wanted = handler.stored(value)
    if key in doc.data and _same(doc.data[key], wanted):
        return text
    _refuse_blocked(doc, key)
    entry = doc.entries.get(key)
    if entry is not None:
        new_text = handler.replace(doc, entry, value)
    elif key in doc.data:
        raise EditError(f"cannot set {key!r}: it is not a plain top-level entry")
    else:
        new_text = handler.append(doc, key, value)
    _verify(doc, new_text, key, wanted)
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
    new_text = _HANDLERS[doc.block.fmt].remove(doc, entry)
    _verify(doc, new_text, key, REMOVE)
    return new_text


def apply_edits(text: str, edits: Mapping[str, FieldValue | Remove]) -> str:
    """Apply several edits in order; a value of :data:`REMOVE` removes that key."""
    for key, value in edits.items():
        text = remove_field(text, key) if isinstance(value, Remove) else set_field(text, key, value)
    return text


# --------------------------------------------------------------------------------------------
# Shared machinery: lines, locating the block, values
# --------------------------------------------------------------------------------------------


class _Lines:
    """Line table of a text; only ``\\n`` ends a line and each line keeps its own ending."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.starts = [0, *(m.end() for m in re.finditer("\n", text))]

    def __len__(self) -> int:
        return len(self.starts)

    def index(self, offset: int) -> int:
        return bisect_right(self.starts, offset) - 1

    def start(self, i: int) -> int:
        return self.starts[i]

    def end(self, i: int) -> int:
        return self.starts[i + 1] if i + 1 < len(self.starts) else len(self.text)

    def content_end(self, i: int) -> int:
        end = self.end(i)
        if self.text[end - 1 : end] == "\n":
            end -= 1
            if end > self.starts[i] and self.text[end - 1] == "\r":
                end -= 1
        return end

    def content(self, i: int) -> str:
        return self.text[self.starts[i] : self.content_end(i)]


@dataclass(frozen=True)
class _Block:
    """Where the front matter sits: ``text[start:end]`` is its content (JSON: the object)."""

    fmt: FrontMatterFormat
    start: int
    end: int
    newline: str


@dataclass(frozen=True)
class _Entry:
    """A top-level entry's 0-based first and last line in the whole file."""

    first_line: int
    last_line: int


@dataclass
class _Doc:
    text: str
    block: _Block
    lines: _Lines
    data: dict[object, object]
    entries: dict[str, _Entry]
    blocked: dict[str, str]  # key -> why it cannot be edited in place
    append_at: int = 0  # YAML/TOML: offset where a new entry line is inserted
    indent: str = ""
    key_sep: str = ": "


_DELIMITERS = {
    FrontMatterFormat.YAML: (re.compile(r"---[ \t]*"), re.compile(r"(?:---|\.\.\.)[ \t]*")),
    FrontMatterFormat.TOML: (re.compile(r"\+\+\+[ \t]*"), re.compile(r"\+\+\+[ \t]*")),
}


def _locate(text: str) -> _Block | None:
    """Find the block; like the parser, tolerate blank lines before it (and keep them)."""
    lines = _Lines(text)
    first_break = text.find("\n")
    newline = "\r\n" if first_break > 0 and text[first_break - 1] == "\r" else "\n"
    opener = 0
    while opener < len(lines) - 1 and not _opening_line(lines, opener).strip():
        opener += 1
    opening = _opening_line(lines, opener)
    for fmt, (open_re, close_re) in _DELIMITERS.items():
        if open_re.fullmatch(opening):
            for i in range(opener + 1, len(lines)):
                if close_re.fullmatch(lines.content(i)):
                    return _Block(fmt, lines.end(opener), lines.start(i), newline)
            raise EditError(
                f"the {fmt.value.upper()} front matter opened on line {opener + 1} is never closed",
                line=opener + 1,
            )
    if opening.lstrip().startswith("{"):
        start = lines.content_end(opener) - len(opening.lstrip())
        try:
            _, end = json.JSONDecoder().raw_decode(text, start)
        except json.JSONDecodeError as exc:
            raise EditError(
                f"the JSON front matter is not valid: {exc.msg}", line=exc.lineno, col=exc.colno
            ) from exc
        return _Block(FrontMatterFormat.JSON, start, end, newline)
    return None


def _opening_line(lines: _Lines, i: int) -> str:
    content = lines.content(i)
    return content[1:] if i == 0 and content.startswith("\ufeff") else content


def _load(text: str) -> _Doc | None:
    block = _locate(text)
    if block is None:
        return None
    return _HANDLERS[block.fmt].load(text, block, _Lines(text))


def _refuse_blocked(doc: _Doc, key: str) -> None:
    if key in doc.blocked:
        entry = doc.entries.get(key)
        line = entry.first_line + 1 if entry else None
        raise EditError(f"cannot edit {key!r} in place: {doc.blocked[key]}", line=line)


def _verify(doc: _Doc, new_text: str, key: str, wanted: object) -> None:
    """Re-read the edited text: the key must read back as wanted and nothing else may change."""
    failure = EditError(f"cannot edit {key!r} safely: the result would not read back as intended")
    try:
        block = _locate(new_text)
    except EditError as exc:
        raise failure from exc
    if block is None or block.fmt is not doc.block.fmt:
        raise failure
    if new_text[block.end :] != doc.text[doc.block.end :]:
        raise failure
    try:
        data = _HANDLERS[block.fmt].parse(new_text[block.start : block.end])
    except EditError as exc:
        raise failure from exc
    expected = dict(doc.data)
    if wanted is REMOVE:
        del expected[key]
    else:
        expected[key] = wanted
    if not _same(data, expected):
        raise failure


def _check_key(key: str) -> None:
    if not isinstance(key, str):
        raise TypeError(f"front-matter key must be a str, not {type(key).__name__}")


def _normalize(value: object) -> FieldValue:
    """Check the value's type and strip subclasses (str enums, datetime subclasses)."""
    if isinstance(value, list):
        return [_normalize_scalar(item, in_list=True) for item in value]  # type: ignore[misc]
    return _normalize_scalar(value, in_list=False)


def _normalize_scalar(value: object, *, in_list: bool) -> FieldValue:
    if isinstance(value, bool):
        return bool(value)
    if isinstance(value, str):
        return str.__str__(value)
    if isinstance(value, int):
        return int(value)
    if isinstance(value, float):
        return float(value)
    if not in_list:
        if value is None:
            return None
        if isinstance(value, dt.datetime):
            v = value
            return dt.datetime(
                v.year, v.month, v.day, v.hour, v.minute, v.second, v.microsecond, v.tzinfo
            )
        if isinstance(value, dt.date):
            return dt.date(value.year, value.month, value.day)
    where = "list item" if in_list else "front-matter value"
    raise TypeError(f"unsupported {where} type: {type(value).__name__}")


def _same(a: object, b: object, _seen: set[tuple[int, int]] | None = None) -> bool:
    """Semantic equality that keeps bool/int/float and date/datetime apart and NaN equal.

    Container pairs already being compared count as equal, so YAML aliases cost nothing extra
    and self-referencing YAML values terminate.
    """
    if isinstance(a, dict | list) and isinstance(b, dict | list):
        seen = set() if _seen is None else _seen
        if (id(a), id(b)) in seen:
            return True
        seen.add((id(a), id(b)))
        if isinstance(a, dict) and isinstance(b, dict):
            return a.keys() == b.keys() and all(_same(a[k], b[k], seen) for k in a)
        if isinstance(a, list) and isinstance(b, list):
            return len(a) == len(b) and all(_same(x, y, seen) for x, y in zip(a, b, strict=True))
        return False
    if type(a) is not type(b):
        return False
    if isinstance(a, float) and isinstance(b, float):
        return a == b or (math.isnan(a) and math.isnan(b))
    if isinstance(a, dt.datetime) and isinstance(b, dt.datetime):
        same_kind = (a.tzinfo is None) == (b.tzinfo is None)
        return same_kind and a == b and a.utcoffset() == b.utcoffset()
    return a == b


def _float_repr(value: float, nan: str, inf: str) -> str:
    if math.isnan(value):
        return nan
    if math.isinf(value):
        return inf if value > 0 else f"-{inf}"
    return repr(value)


def _delete_lines(doc: _Doc, entry: _Entry) -> str:
    lines = doc.lines
    return doc.text[: lines.start(entry.first_line)] + doc.text[lines.end(entry.last_line) :]


def _comment_only(rest: str) -> str:
    """``rest`` of a line if it is just a comment (kept, right-trimmed), else ''."""
    stripped = rest.strip()
    if not stripped.startswith("#"):
        return ""
    rest = rest.rstrip()
    return rest if rest[0] in " \t" else f" {rest}"


_ItemSpan: TypeAlias = tuple[int, int, str | None]  # (start, end, quote style) in the text


def _splice_flow_items(
    text: str,
    spans: list[_ItemSpan],
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
            moved.setdefault(_item_key(old[i]), []).append(i)

    def written(j: int, quote: str | None) -> str:
        same = moved.get(_item_key(new[j]))
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
                if key is not _item_key:  # loosely equal: the old item's place, new text
                    pairs = zip(range(a1, a2), range(b1, b2), strict=True)
                    changes.extend(("change", i, j) for i, j in pairs)
                continue
            if tag == "replace" and key is _item_key:
                diff(a1, a2, b1, b2, _loose_item_key)
                continue
            paired = min(a2 - a1, b2 - b1) if tag == "replace" else 0
            changes.extend(("change", a1 + n, b1 + n) for n in range(paired))
            changes.extend(("drop", i, -1) for i in range(a1 + paired, a2))
            changes.extend(("add", a1 + paired - 1, j) for j in range(b1 + paired, b2))

    diff(0, len(old), 0, len(new), _item_key)
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


def _edit_flow(
    doc: _Doc,
    entry: _Entry,
    value: list[ListItem],
    spans: list[_ItemSpan] | None,
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
        _verify(doc, result, key, _HANDLERS[doc.block.fmt].stored(value))
    except EditError:
        return None
    return result


class _Handler:
    """One front-matter syntax: read it, then replace, append or remove one entry."""

    def parse(self, source: str, first_line: int = 0) -> dict[object, object]:
        """Load the block's text; ``first_line`` (0-based) places error lines in the file."""
        raise NotImplementedError

    def load(self, text: str, block: _Block, lines: _Lines) -> _Doc:
        raise NotImplementedError

    def check_value(self, key: str, value: FieldValue) -> None:
        """Raise EditError if the syntax cannot store ``value`` at all."""

    def stored(self, value: FieldValue) -> object:
        """The value as the parser will give it back."""
        return value

    def replace(self, doc: _Doc, entry: _Entry, value: FieldValue) -> str:
        raise NotImplementedError

    def append(self, doc: _Doc, key: str, value: FieldValue) -> str:
        raise NotImplementedError

    def remove(self, doc: _Doc, entry: _Entry) -> str:
        return _delete_lines(doc, entry)


# --------------------------------------------------------------------------------------------
# YAML
# --------------------------------------------------------------------------------------------

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
class _YamlEntry(_Entry):
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


class _YamlHandler(_Handler):
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

    def load(self, text: str, block: _Block, lines: _Lines) -> _Doc:
        source = text[block.start : block.end]
        data = self.parse(source, lines.index(block.start))
        try:
            events = list(yaml.parse(source, Loader=yaml.SafeLoader))
        except yaml.YAMLError as exc:  # libyaml accepted what the pure-Python parser did not
            raise EditError(f"cannot read the YAML front matter's layout: {exc}") from exc
        doc = _Doc(text, block, lines, data, {}, {}, append_at=block.end)
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
        text: str, block: _Block, lines: _Lines, key_event: yev.Event, value: list[yev.Event]
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

    def replace(self, doc: _Doc, entry: _Entry, value: FieldValue) -> str:
        assert isinstance(entry, _YamlEntry)
        text, lines = doc.text, doc.lines
        line_start = lines.start(entry.first_line)
        prefix = text[line_start : entry.colon_end]
        key_rest = text[entry.colon_end : lines.content_end(entry.first_line)]
        value_on_key_line = lines.index(entry.value_start) == entry.first_line
        if value_on_key_line:
            trailing = _comment_only(text[entry.value_end : lines.content_end(entry.last_line)])
        else:
            trailing = _comment_only(key_rest)
        new_lines: list[str]
        if isinstance(value, list) and entry.style == "flow" and entry.items is not None:
            spans = [(start, end, q if q in ("'", '"') else None) for start, end, q in entry.items]

            def render(item: ListItem, quote: str | None) -> str:
                return _yaml_scalar(item, "flow", quote)

            edited = _edit_flow(doc, entry, value, spans, render)
            if edited is not None:
                return edited
        if isinstance(value, list) and value and entry.style == "block_seq":
            edited = self._edit_items(doc, entry, value)
            if edited is not None:
                return edited
            dash = " " * entry.dash_col + "-" + " " * entry.dash_gap
            items = [dash + _yaml_scalar(item, "item", entry.item_quote) for item in value]
            new_lines = [prefix + _comment_only(key_rest), *items]
        elif (block := self._literal(doc, entry, value)) is not None:
            new_lines = [prefix + " " + block[0], *block[1:]]
        else:
            sep = " "
            if value_on_key_line and entry.style != "empty":
                sep = text[entry.colon_end : entry.value_start] or " "
            new_lines = [prefix + sep + _yaml_inline(value, entry) + trailing]
        replacement = doc.block.newline.join(new_lines)
        return text[:line_start] + replacement + text[lines.content_end(entry.last_line) :]

    def _edit_items(self, doc: _Doc, entry: _YamlEntry, value: list[ListItem]) -> str | None:
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
                or _comment_only(tail) != tail.rstrip()
            ):
                return None  # something else shares the item's line
        dash = " " * entry.dash_col + "-" + " " * entry.dash_gap
        newline = doc.block.newline
        pieces: list[tuple[int, int, str]] = []  # (start, end, replacement)
        matcher = difflib.SequenceMatcher(
            a=[_item_key(item) for item in old],
            b=[_item_key(item) for item in value],
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
            _verify(doc, result, key, self.stored(value))  # type: ignore[arg-type]
        except EditError:
            return None
        return result

    @staticmethod
    def _literal(doc: _Doc, entry: _YamlEntry, value: FieldValue) -> list[str] | None:
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

    def append(self, doc: _Doc, key: str, value: FieldValue) -> str:
        line = doc.indent + _yaml_key(key) + ": " + _yaml_inline(value, None)
        at = doc.append_at
        return doc.text[:at] + line + doc.block.newline + doc.text[at:]


def _item_key(item: object) -> str:
    """A list item for comparing old and new lists (1 and True and "1" differ)."""
    return f"{type(item).__name__}:{item!r}"


def _entry_indent(lines: _Lines, entry: _Entry) -> int:
    content = lines.content(entry.first_line)
    return len(content) - len(content.lstrip(" "))


def _yaml_reads_back(snippet: str, expected: object) -> bool:
    try:
        return _same(_yaml_load(snippet), expected)
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
        rendered = _float_repr(value, ".nan", ".inf")
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


# --------------------------------------------------------------------------------------------
# TOML
# --------------------------------------------------------------------------------------------

_TOML_BARE_KEY = re.compile(r"[A-Za-z0-9_-]+")
_TOML_LITERAL_OK = re.compile("[^\x00-\x08\x0a-\x1f\x7f']*")


@dataclass(frozen=True)
class _TomlEntry(_Entry):
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


def _bracketed_end(
    text: str,
    i: int,
    quotes: str,
    string_end: Callable[[str, int], int],
    comment: str | None = None,
) -> int:
    """The end of the array or table starting at ``i`` (TOML or JSON): brackets are counted
    outside strings (``quotes`` start one, ``string_end`` finds its end) and comments."""
    depth = 0
    j = i
    while True:
        char = text[j]
        if char in quotes:
            j = string_end(text, j)
            continue
        if char == comment:
            j = text.index("\n", j)
            continue
        if char in "[{":
            depth += 1
        elif char in "]}":
            depth -= 1
            if depth == 0:
                return j + 1
        j += 1


def _toml_value_end(text: str, i: int) -> int:
    char = text[i]
    if char in "\"'":
        return _toml_string_end(text, i)
    if char in "[{":
        return _bracketed_end(text, i, "\"'", _toml_string_end, comment="#")
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


class _TomlHandler(_Handler):
    def parse(self, source: str, first_line: int = 0) -> dict[object, object]:
        try:
            return dict(tomllib.loads(source))
        except RecursionError as exc:
            raise EditError("the TOML front matter is nested too deeply") from exc
        except tomllib.TOMLDecodeError as exc:
            raise EditError(f"the TOML front matter is not valid: {exc}") from exc

    def load(self, text: str, block: _Block, lines: _Lines) -> _Doc:
        data = self.parse(text[block.start : block.end])
        try:
            found, first_table = _toml_scan(text, block.start, block.end)
        except (IndexError, ValueError) as exc:
            raise EditError(f"cannot read the TOML front matter's layout: {exc}") from exc
        doc = _Doc(text, block, lines, data, {}, {}, append_at=block.end, key_sep=" = ")
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

    def replace(self, doc: _Doc, entry: _Entry, value: FieldValue) -> str:
        assert isinstance(entry, _TomlEntry)
        text = doc.text
        if isinstance(value, list) and text[entry.value_start] == "[":
            spans = _toml_array_items(text, entry.value_start)

            def render(item: ListItem, quote: str | None) -> str:
                return _toml_value(item, literal=quote == "'")

            edited = _edit_flow(doc, entry, value, spans, render)
            if edited is not None:
                return edited
        literal = text[entry.value_start] == "'" and not text.startswith("'''", entry.value_start)
        rendered = _toml_value(value, literal)
        return text[: entry.value_start] + rendered + text[entry.value_end :]

    def append(self, doc: _Doc, key: str, value: FieldValue) -> str:
        name = key if _TOML_BARE_KEY.fullmatch(key) else _toml_basic(key)
        line = name + doc.key_sep + _toml_value(value, literal=False)
        at = doc.append_at
        return doc.text[:at] + line + doc.block.newline + doc.text[at:]


def _toml_array_items(text: str, i: int) -> list[_ItemSpan] | None:
    """The spans of a TOML array's items when they are all one-line strings, else None."""
    spans: list[_ItemSpan] = []
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
        return _float_repr(value, "nan", "inf")
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


# --------------------------------------------------------------------------------------------
# JSON
# --------------------------------------------------------------------------------------------

_JSON_BLANKS = " \t\r\n"


@dataclass(frozen=True)
class _JsonMember:
    key: str
    key_start: int
    key_end: int
    value_start: int
    value_end: int


@dataclass(frozen=True)
class _JsonEntry(_Entry):
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
        return _bracketed_end(text, i, '"', _json_string_end)
    j = i
    while text[j] not in ",]}" + _JSON_BLANKS:
        j += 1
    return j


def _json_array_items(text: str, i: int) -> list[_ItemSpan] | None:
    """The spans of a JSON array's items when they are all scalars, else None."""
    spans: list[_ItemSpan] = []
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


def _json_members(text: str, block: _Block) -> list[_JsonMember]:
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


class _JsonHandler(_Handler):
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

    def load(self, text: str, block: _Block, lines: _Lines) -> _Doc:
        data = self.parse(text[block.start : block.end])
        doc = _Doc(text, block, lines, data, {}, {})
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

    def replace(self, doc: _Doc, entry: _Entry, value: FieldValue) -> str:
        assert isinstance(entry, _JsonEntry)
        member = _json_members(doc.text, doc.block)[entry.index]
        if isinstance(value, list) and doc.text[member.value_start] == "[":
            spans = _json_array_items(doc.text, member.value_start)

            def render(item: ListItem, quote: str | None) -> str:
                return json.dumps(item, ensure_ascii=False)

            edited = _edit_flow(doc, entry, value, spans, render)
            if edited is not None:
                return edited
        rendered = json.dumps(self.stored(value), ensure_ascii=False)
        return doc.text[: member.value_start] + rendered + doc.text[member.value_end :]

    def append(self, doc: _Doc, key: str, value: FieldValue) -> str:
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

    def remove(self, doc: _Doc, entry: _Entry) -> str:
        assert isinstance(entry, _JsonEntry)
        text = doc.text
        members = _json_members(text, doc.block)
        member = members[entry.index]
        if len(members) == 1:
            return text[: doc.block.start + 1] + text[member.value_end :]
        if entry.index < len(members) - 1:
            return text[: member.key_start] + text[members[entry.index + 1].key_start :]
        return text[: members[entry.index - 1].value_end] + text[member.value_end :]


_HANDLERS: dict[FrontMatterFormat, _Handler] = {
    FrontMatterFormat.YAML: _YamlHandler(),
    FrontMatterFormat.TOML: _TomlHandler(),
    FrontMatterFormat.JSON: _JsonHandler(),
}
