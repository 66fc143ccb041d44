"""What the front-matter editors share: the value types, the file's line table, where the block
is, the parsed document, the ``Handler`` shape of one syntax, and the read-back check.

Internal to core/edit; the package front re-exports the public names.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from bisect import bisect_right
from collections.abc import Callable
from dataclasses import dataclass
from enum import Enum, StrEnum
from typing import TypeAlias

from lushbeat_cli.core.reading.frontmatter import (
    CODE_EMPTY,
    CODE_NO_FRONT_MATTER,
    split_front_matter,
)
from lushbeat_cli.errors import EditError, ParseError

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


class Lines:
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
class Block:
    """Where the front matter sits: ``text[start:end]`` is its content (JSON: the object)."""

    fmt: FrontMatterFormat
    start: int
    end: int
    newline: str


@dataclass(frozen=True)
class Entry:
    """A top-level entry's 0-based first and last line in the whole file."""

    first_line: int
    last_line: int


@dataclass
class Doc:
    text: str
    block: Block
    lines: Lines
    data: dict[object, object]
    entries: dict[str, Entry]
    blocked: dict[str, str]  # key -> why it cannot be edited in place
    handler: Handler  # the syntax's reader and writer
    append_at: int = 0  # YAML/TOML: offset where a new entry line is inserted
    indent: str = ""
    key_sep: str = ": "


def locate(text: str) -> Block | None:
    """Where the block is, found by the parser's own splitter (so the editor edits exactly what
    the parser reads); a byte order mark and blank lines before it are allowed (and kept).
    None when the text has no front matter; EditError when it is never closed or, for JSON,
    cannot be decoded."""
    try:
        split = split_front_matter(text, start=1 if text.startswith("\ufeff") else 0)
    except ParseError as exc:
        if exc.code in (CODE_EMPTY, CODE_NO_FRONT_MATTER):
            return None
        raise EditError(exc.message, line=exc.line, col=exc.col) from None
    return Block(FrontMatterFormat(split.format), split.start, split.end, split.newline)


def verify(doc: Doc, new_text: str, key: str, wanted: object) -> None:
    """Re-read the edited text: the key must read back as wanted and nothing else may change."""
    failure = EditError(f"cannot edit {key!r} safely: the result would not read back as intended")
    try:
        block = locate(new_text)
    except EditError as exc:
        raise failure from exc
    if block is None or block.fmt is not doc.block.fmt:
        raise failure
    if new_text[block.end :] != doc.text[doc.block.end :]:
        raise failure
    try:
        data = doc.handler.parse(new_text[block.start : block.end])
    except EditError as exc:
        raise failure from exc
    expected = dict(doc.data)
    if wanted is REMOVE:
        del expected[key]
    else:
        expected[key] = wanted
    if not same(data, expected):
        raise failure


def normalize(value: object) -> FieldValue:
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


def same(a: object, b: object, _seen: set[tuple[int, int]] | None = None) -> bool:
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
            return a.keys() == b.keys() and all(same(a[k], b[k], seen) for k in a)
        if isinstance(a, list) and isinstance(b, list):
            return len(a) == len(b) and all(same(x, y, seen) for x, y in zip(a, b, strict=True))
        return False
    if type(a) is not type(b):
        return False
    if isinstance(a, float) and isinstance(b, float):
        return a == b or (math.isnan(a) and math.isnan(b))
    if isinstance(a, dt.datetime) and isinstance(b, dt.datetime):
        same_kind = (a.tzinfo is None) == (b.tzinfo is None)
        return same_kind and a == b and a.utcoffset() == b.utcoffset()
    return a == b


def float_repr(value: float, nan: str, inf: str) -> str:
    if math.isnan(value):
        return nan
    if math.isinf(value):
        return inf if value > 0 else f"-{inf}"
    return repr(value)


def delete_lines(doc: Doc, entry: Entry) -> str:
    lines = doc.lines
    return doc.text[: lines.start(entry.first_line)] + doc.text[lines.end(entry.last_line) :]


def comment_only(rest: str) -> str:
    """``rest`` of a line if it is just a comment (kept, right-trimmed), else ''."""
    stripped = rest.strip()
    if not stripped.startswith("#"):
        return ""
    rest = rest.rstrip()
    return rest if rest[0] in " \t" else f" {rest}"


ItemSpan: TypeAlias = tuple[int, int, str | None]  # (start, end, quote style) in the text


def bracketed_end(
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


class Handler:
    """One front-matter syntax: read it, then replace, append or remove one entry."""

    def parse(self, source: str, first_line: int = 0) -> dict[object, object]:
        """Load the block's text; ``first_line`` (0-based) places error lines in the file."""
        raise NotImplementedError

    def load(self, text: str, block: Block, lines: Lines) -> Doc:
        raise NotImplementedError

    def check_value(self, key: str, value: FieldValue) -> None:
        """Raise EditError if the syntax cannot store ``value`` at all."""

    def stored(self, value: FieldValue) -> object:
        """The value as the parser will give it back."""
        return value

    def replace(self, doc: Doc, entry: Entry, value: FieldValue) -> str:
        raise NotImplementedError

    def append(self, doc: Doc, key: str, value: FieldValue) -> str:
        raise NotImplementedError

    def remove(self, doc: Doc, entry: Entry) -> str:
        return delete_lines(doc, entry)
