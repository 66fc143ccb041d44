"""Strict front-matter parsing: the one home of PyYAML, tomllib and json for reading articles.

Splits a file's bytes into front matter (YAML ``---``, TOML ``+++``, JSON ``{``) and body, loads the
front matter safely, and remembers where each top-level key is. ``split_front_matter`` is the one
place that finds the delimiters: the in-place editor (core/edit) uses it too. Failures raise
``ParseError`` with a stable code, line and column; recoverable oddities become warning
``Finding``s.
"""

from __future__ import annotations

import json
import re
import tomllib
from bisect import bisect_right
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import time
from pathlib import Path
from typing import Any

import yaml

from lushbeat_cli.core.findings import Finding, Severity
from lushbeat_cli.errors import ParseError

try:  # libyaml is several times faster; the pure-Python loader is the fallback
    _BaseLoader: type[yaml.SafeLoader] = yaml.CSafeLoader  # type: ignore[assignment]
except AttributeError:  # pragma: no cover - depends on how PyYAML was built
    _BaseLoader = yaml.SafeLoader

BOM = b"\xef\xbb\xbf"
# An alias bomb ("billion laughs") costs nothing to load, because aliases share objects, but
# explodes whenever the value is walked (JSON export, search indexing). Bound the expanded size.
MAX_EXPANDED_NODES = 100_000
MAX_DEPTH = 100

# Parse rule codes, shared with `validate`.
CODE_NO_FRONT_MATTER = "LB101"
CODE_UNTERMINATED = "LB102"
CODE_NOT_MAPPING = "LB103"
CODE_SYNTAX = "LB104"
CODE_DUPLICATE_KEY = "LB105"
CODE_UNSAFE_TAG = "LB106"
CODE_ALIAS_BOMB = "LB107"
CODE_NOT_UTF8 = "LB108"
CODE_BOM = "LB109"
CODE_BINARY = "LB110"
CODE_TOO_LARGE = "LB111"
CODE_UNREADABLE = "LB112"
CODE_EMPTY = "LB113"
CODE_LEADING_BLANK = "LB114"
CODE_NO_OPENER = "LB115"

_TOML_OPEN = re.compile(r"^\+{3}[ \t]*$")
_TOML_KEY = re.compile(r"""^[ \t]*("(?:[^"\\]|\\.)*"|'[^']*'|[A-Za-z0-9_.-]+)[ \t]*=""")
_TOML_TABLE = re.compile(r"^[ \t]*\[")
_TOML_ERROR_POS = re.compile(r"\(at line (\d+), column (\d+)\)")


@dataclass(slots=True)
class FrontMatter:
    """The result of splitting and loading one file."""

    format: str  # "yaml", "toml" or "json"
    metadata: dict[str, Any]
    body: str
    body_line: int  # 1-based line of the file where the body starts
    key_positions: dict[str, tuple[int, int]] = field(default_factory=dict)  # key -> (line, col)
    warnings: list[Finding] = field(default_factory=list)
    newline: str = "\n"
    has_bom: bool = False


def parse_bytes(data: bytes, path: Path) -> FrontMatter:
    """Split and load the front matter of a file's raw bytes, strictly."""
    warnings: list[Finding] = []
    if not data.strip():
        raise ParseError("empty file", code=CODE_EMPTY, path=path, line=1, col=1)
    nul = data.find(b"\x00")
    if nul != -1 or data.startswith((b"\xff\xfe", b"\xfe\xff")):
        from lushbeat_cli.core.files.inputs import wide_text_encoding, wide_text_message

        wide = wide_text_encoding(data)
        if wide is not None:  # the rule code stays the one its bytes trip (NUL or not UTF-8)
            code = CODE_BINARY if nul != -1 else CODE_NOT_UTF8
            raise ParseError(wide_text_message(wide), code=code, path=path, line=1, col=1)
    if nul != -1:
        line = data.count(b"\n", 0, nul) + 1
        raise ParseError(
            "binary content (NUL byte); not a text article",
            code=CODE_BINARY,
            path=path,
            line=line,
            col=nul - (data.rfind(b"\n", 0, nul) + 1) + 1,
        )
    has_bom = data.startswith(BOM)
    if has_bom:
        data = data[len(BOM) :]
        warnings.append(
            Finding(path, 1, 1, CODE_BOM, "UTF-8 byte order mark (BOM)", Severity.WARNING)
        )
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        col = exc.start - (data.rfind(b"\n", 0, exc.start) + 1) + 1
        raise ParseError(
            f"invalid UTF-8 (byte 0x{data[exc.start]:02x})",
            code=CODE_NOT_UTF8,
            path=path,
            line=line,
            col=col,
        ) from None
    result = parse_text(text, path)
    result.has_bom = has_bom
    result.warnings[:0] = warnings
    return result


def split_lines(text: str) -> list[str]:
    """Lines with their endings, split on LF only (str.splitlines also splits on form feeds,
    U+2028 and other characters that editors and YAML do not treat as line breaks)."""
    return _LINE.findall(text)


_LINE = re.compile(r"[^\n]*\n|[^\n]+")


@dataclass(frozen=True, slots=True)
class Split:
    """Where a text's front matter is. ``text[start:end]`` is its source: the lines between the
    delimiters (YAML, TOML), or the object from ``{`` to ``}`` (JSON)."""

    format: str  # "yaml", "toml" or "json"
    open_line: int  # 0-based line of the opening delimiter (the number of blank lines before it)
    start: int
    end: int
    body_start: int  # offset of the body: the line after the closing delimiter
    body_line: int  # 1-based line of the body
    newline: str  # how the first line ends: "\r\n" or "\n"
    value: Any = None  # JSON: the decoded object (finding its end means decoding it)
    opened: bool = True  # False: YAML keys closed by `---` but never opened (LB115)


def split_front_matter(
    text: str,
    path: Path | None = None,
    *,
    start: int = 0,
    object_pairs_hook: Callable[[list[tuple[str, Any]]], Any] | None = None,
) -> Split:
    """Find the front matter of ``text``: the one home of the delimiter rules, for the parser and
    the editor alike.

    Blank lines may come before the opening line; ``start`` skips what the caller keeps but the
    split must not see (the editor's byte order mark). Only LF ends a line. Raises ParseError:
    LB113 (empty), LB101 (no front matter), LB102 (never closed) or, for JSON, what decoding the
    object raises (``object_pairs_hook`` is the decoder's).
    """
    first_break = text.find("\n")
    newline = "\r\n" if first_break > 0 and text[first_break - 1] == "\r" else "\n"
    pos, line = start, 0
    while True:  # past the blank lines
        end = text.find("\n", pos)
        after = len(text) if end == -1 else end + 1
        if text[pos:after].strip():
            break
        if after >= len(text):
            raise ParseError("empty file", code=CODE_EMPTY, path=path, line=1, col=1)
        pos, line = after, line + 1
    raw = text[pos:after]
    opener = raw.rstrip("\r\n")
    if opener.rstrip() == "---":
        return _split_fenced(text, "yaml", ("---", "..."), line, after, newline, path)
    if _TOML_OPEN.match(opener):
        return _split_fenced(text, "toml", ("+++",), line, after, newline, path)
    if opener.lstrip().startswith("{"):
        begin = pos + len(raw) - len(raw.lstrip())
        return _split_json(text, line, begin, newline, path, object_pairs_hook)
    unopened = _split_unopened(text, line, pos, newline)
    if unopened is not None:
        return unopened
    raise ParseError(
        "no front matter (the file must start with ---, +++ or {)",
        code=CODE_NO_FRONT_MATTER,
        path=path,
        line=line + 1,
        col=1,
    )


def _split_fenced(
    text: str,
    fmt: str,
    delimiters: tuple[str, ...],
    open_line: int,
    start: int,
    newline: str,
    path: Path | None,
) -> Split:
    """YAML or TOML: the source runs from ``start`` to the first closing delimiter line."""
    pos, line = start, open_line + 1
    while pos < len(text):
        end = text.find("\n", pos)
        after = len(text) if end == -1 else end + 1
        if text[pos:after].rstrip() in delimiters:
            return Split(fmt, open_line, start, pos, after, line + 2, newline)
        pos, line = after, line + 1
    raise ParseError(
        f"front matter opened with {delimiters[0]} is never closed",
        code=CODE_UNTERMINATED,
        path=path,
        line=open_line + 1,
        col=1,
    )


_YAML_KEY_LINE = re.compile(r"[A-Za-z_][\w.-]*[ \t]*:(?:[ \t]|\r?\n|$)")
_MAX_UNOPENED_LINES = 60


def _split_unopened(text: str, open_line: int, start: int, newline: str) -> Split | None:
    """YAML front matter that lost its opening ``---``: ``key: value`` lines from the first
    one (a key first; then keys, indented lines, list items, comments or blanks) up to a
    ``---`` line, within a few dozen lines. None when the text is no such thing (a Markdown
    page whose thematic break is a ``---`` line starts with a heading or a sentence)."""
    pos, line = start, open_line
    if not _YAML_KEY_LINE.match(text, pos):
        return None
    while pos < len(text) and line - open_line <= _MAX_UNOPENED_LINES:
        end = text.find("\n", pos)
        after = len(text) if end == -1 else end + 1
        current = text[pos:after]
        stripped = current.rstrip()
        if stripped == "---":
            if line == open_line:
                return None
            return Split("yaml", open_line, start, pos, after, line + 2, newline, opened=False)
        if stripped and not (
            _YAML_KEY_LINE.match(current)
            or current[0] in " \t#"
            or stripped.startswith("- ")
            or stripped == "-"
        ):
            return None
        pos, line = after, line + 1
    return None


def _split_json(
    text: str,
    open_line: int,
    start: int,
    newline: str,
    path: Path | None,
    object_pairs_hook: Callable[[list[tuple[str, Any]]], Any] | None,
) -> Split:
    """JSON: the object from its ``{`` at ``start`` to its ``}``; the body starts on the next
    line."""
    decoder = json.JSONDecoder(object_pairs_hook=object_pairs_hook)
    try:
        value, end = decoder.raw_decode(text, start)
    except json.JSONDecodeError as exc:
        code = CODE_UNTERMINATED if exc.pos >= len(text.rstrip()) else CODE_SYNTAX
        message = (
            "JSON front matter is never closed"
            if code == CODE_UNTERMINATED
            else f"JSON syntax error: {exc.msg}"
        )
        line, col = (open_line + 1, 1) if code == CODE_UNTERMINATED else (exc.lineno, exc.colno)
        raise ParseError(message, code=code, path=path, line=line, col=col) from None
    except RecursionError:
        raise ParseError(
            "JSON nested too deeply", code=CODE_ALIAS_BOMB, path=path, line=open_line + 1
        ) from None
    except ValueError as exc:  # e.g. an integer with more digits than Python converts
        raise ParseError(
            f"JSON value cannot be read: {_one_line(str(exc))}",
            code=CODE_SYNTAX,
            path=path,
            line=open_line + 1,
            col=1,
        ) from None
    line_end = text.find("\n", end)
    body_start = len(text) if line_end == -1 else line_end + 1
    body_line = text.count("\n", 0, body_start) + 1
    return Split("json", open_line, start, end, body_start, body_line, newline, value)


def parse_text(text: str, path: Path) -> FrontMatter:
    """Split and load the front matter of decoded text."""
    duplicates: list[str] = []  # JSON keys given twice (YAML's are found from its nodes)

    def pairs_hook(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
        seen: dict[str, Any] = {}
        for key, value in pairs:
            if key in seen:
                duplicates.append(key)
            seen[key] = value
        return seen

    split = split_front_matter(text, path, object_pairs_hook=pairs_hook)
    warnings: list[Finding] = []
    if not split.opened:
        warnings.append(
            Finding(
                path,
                split.open_line + 1,
                1,
                CODE_NO_OPENER,
                "the front matter has no opening '---' line (it is read as if it had; "
                "--fix adds it)",
                Severity.ERROR,
                fixable=True,
            )
        )
    if split.open_line:
        warnings.append(
            Finding(
                path,
                1,
                1,
                CODE_LEADING_BLANK,
                f"{split.open_line} blank line(s) before the front matter",
                Severity.WARNING,
            )
        )
    if split.format == "yaml":
        result = _parse_yaml(text, split, path)
    elif split.format == "toml":
        result = _parse_toml(text, split, path)
    else:
        result = _parse_json(text, split, path, duplicates)
    result.newline = split.newline
    result.warnings[:0] = warnings
    return result


# ---------------------------------------------------------------- YAML


class _StrictLoader(_BaseLoader):  # type: ignore[misc, valid-type]
    """A safe loader that refuses every tag it does not know instead of guessing."""


def _parse_yaml(text: str, split: Split, path: Path) -> FrontMatter:
    source = text[split.start : split.end]
    offset = split.open_line + split.opened  # lines before the YAML text
    metadata, positions, warnings = load_yaml_mapping(source, path, offset)
    body = text[split.body_start :]
    return FrontMatter("yaml", metadata, body, split.body_line, positions, warnings)


def load_yaml_mapping(
    source: str, path: Path, line_offset: int = 0
) -> tuple[dict[str, Any], dict[str, tuple[int, int]], list[Finding]]:
    """Load a YAML mapping safely: duplicate keys, unsafe tags and alias bombs are caught."""
    warnings: list[Finding] = []
    loader = _StrictLoader(source)
    try:
        node = loader.get_single_node()
        if node is None:
            return {}, {}, warnings
        if not isinstance(node, yaml.MappingNode):
            raise ParseError(
                f"front matter is a YAML {_node_kind(node)}, not a mapping of keys to values",
                code=CODE_NOT_MAPPING,
                path=path,
                line=line_offset + _where(source, node.start_mark)[0],
                col=_where(source, node.start_mark)[1],
            )
        _check_expansion(node, path, line_offset, source)
        positions: dict[str, tuple[int, int]] = {}
        for key_node, _ in node.value:
            if not isinstance(key_node, yaml.ScalarNode):
                continue
            line, col = _where(source, key_node.start_mark)
            where = (line_offset + line, col)
            if key_node.value in positions:
                first_line = positions[key_node.value][0]
                warnings.append(
                    Finding(
                        path,
                        *where,
                        CODE_DUPLICATE_KEY,
                        f"duplicate key '{key_node.value}' (first at line {first_line}; "
                        "the last one wins)",
                    )
                )
                continue
            positions[key_node.value] = where
        data = _construct(loader, node, source, path, line_offset)
    except yaml.MarkedYAMLError as exc:
        raise _yaml_error(exc, path, line_offset, source) from None
    except yaml.reader.ReaderError as exc:
        before = source[: exc.position]
        raise ParseError(
            f"YAML cannot contain the control character U+{exc.character:04X}"
            if isinstance(exc.character, int)
            else f"YAML reader error: {_one_line(exc.reason)}",
            code=CODE_SYNTAX,
            path=path,
            line=line_offset + before.count("\n") + 1,
            col=exc.position - (before.rfind("\n") + 1) + 1,
        ) from None
    except yaml.YAMLError as exc:  # errors without a position
        raise ParseError(
            f"YAML error: {_one_line(str(exc))}", code=CODE_SYNTAX, path=path, line=line_offset
        ) from None
    except RecursionError:
        raise ParseError(
            "YAML nested too deeply", code=CODE_ALIAS_BOMB, path=path, line=line_offset + 1
        ) from None
    finally:
        loader.dispose()
    metadata = {str(key): value for key, value in data.items()}
    return metadata, positions, warnings


# What PyYAML's constructors raise for values its resolver accepted but cannot build
# (2024-02-30, !!int abc, !!bool maybe, an integer of 10,000 digits).
_CONSTRUCT_ERRORS = (ValueError, TypeError, KeyError, AttributeError, OverflowError, IndexError)


def _construct(
    loader: _StrictLoader, root: yaml.MappingNode, source: str, path: Path, line_offset: int
) -> Any:
    try:
        return loader.construct_document(root)
    except _CONSTRUCT_ERRORS as exc:
        node = _failing_value(root) or root
        line, col = _where(source, node.start_mark)
        tag = node.tag.rsplit(":", 1)[-1] if node.tag.startswith("tag:yaml.org") else node.tag
        shown = node.value if isinstance(node, yaml.ScalarNode) else ""
        detail = f"invalid {tag} value {shown!r}" if shown else "invalid value"
        reason = str(exc) if not isinstance(exc, KeyError) else ""
        raise ParseError(
            f"YAML {detail}" + (f": {_one_line(reason)}" if reason else ""),
            code=CODE_SYNTAX,
            path=path,
            line=line_offset + line,
            col=col,
        ) from None


def _failing_value(root: yaml.MappingNode) -> yaml.Node | None:
    """The first top-level value that cannot be constructed (a fresh loader per try)."""
    for _, value_node in root.value:
        try:
            _StrictLoader("").construct_object(value_node, deep=True)
        except _CONSTRUCT_ERRORS:
            return _innermost_failure(value_node)
        except yaml.YAMLError:
            continue
    return None


def _innermost_failure(node: yaml.Node) -> yaml.Node:
    children: list[yaml.Node] = []
    if isinstance(node, yaml.SequenceNode):
        children = list(node.value)
    elif isinstance(node, yaml.MappingNode):
        children = [child for pair in node.value for child in pair]
    for child in children:
        try:
            _StrictLoader("").construct_object(child, deep=True)
        except _CONSTRUCT_ERRORS:
            return _innermost_failure(child)
        except yaml.YAMLError:
            continue
    return node


def _node_kind(node: yaml.Node) -> str:
    if isinstance(node, yaml.SequenceNode):
        return "list"
    return "scalar"


def _where(source: str, mark: yaml.Mark) -> tuple[int, int]:
    """1-based line and column of a mark, counting LF only (PyYAML also counts U+2028 etc.)."""
    index = mark.index
    if not 0 <= index <= len(source):
        return mark.line + 1, mark.column + 1
    start = source.rfind("\n", 0, index) + 1
    return source.count("\n", 0, index) + 1, index - start + 1


def _check_expansion(root: yaml.Node, path: Path, line_offset: int, source: str) -> None:
    """Count nodes as if every alias were expanded; refuse documents that blow up."""
    found = _oversized(root, _yaml_children)
    if found is not None:
        too_many, node = found
        what = "expands to too many values" if too_many else "is nested too deeply"
        line, col = _where(source, node.start_mark)
        raise ParseError(
            f"YAML {what} (alias bomb?); refusing to load it",
            code=CODE_ALIAS_BOMB,
            path=path,
            line=line_offset + line,
            col=col,
        )


def _check_value_size(value: Any, path: Path, line_offset: int) -> None:
    """The same bounds as for YAML aliases, for TOML and JSON values."""
    found = _oversized(value, _value_children)
    if found is not None:
        what = "too many values" if found[0] else "values nested too deeply"
        raise ParseError(
            f"front matter has {what}; refusing to load it",
            code=CODE_ALIAS_BOMB,
            path=path,
            line=line_offset + 1,
            col=1,
        )


def _oversized(root: Any, children: Callable[[Any], Iterable[Any]]) -> tuple[bool, Any] | None:
    """Walk a tree (aliases counted at each use): ``(True, node)`` once it has more than
    MAX_EXPANDED_NODES nodes, ``(False, node)`` for a node deeper than MAX_DEPTH, else None."""
    budget = MAX_EXPANDED_NODES
    stack: list[tuple[Any, int]] = [(root, 0)]
    while stack:
        node, depth = stack.pop()
        budget -= 1
        if budget < 0 or depth > MAX_DEPTH:
            return budget < 0, node
        stack.extend((child, depth + 1) for child in children(node))
    return None


def _yaml_children(node: yaml.Node) -> Iterable[yaml.Node]:
    if isinstance(node, yaml.SequenceNode):
        return node.value
    if isinstance(node, yaml.MappingNode):
        return [item for pair in node.value for item in pair]
    return ()


def _value_children(value: Any) -> Iterable[Any]:
    if isinstance(value, dict):
        return value.values()
    return value if isinstance(value, list) else ()


def _yaml_error(exc: yaml.MarkedYAMLError, path: Path, line_offset: int, source: str) -> ParseError:
    mark = exc.problem_mark or exc.context_mark
    if exc.context_mark is not None and (exc.context or "").startswith(_POINT_AT_CONTEXT):
        mark = exc.context_mark  # where the unclosed thing starts, not where the file ends
    mark_line, col = _where(source, mark) if mark else (1, 1)
    line = line_offset + mark_line
    problem = exc.problem or exc.context or "invalid YAML"
    if isinstance(exc, yaml.constructor.ConstructorError) and "tag" in problem:
        tag = _extract_tag(problem)
        return ParseError(
            f"unsafe or unknown YAML tag {tag} (not executed)",
            code=CODE_UNSAFE_TAG,
            path=path,
            line=line,
            col=col,
        )
    if "found duplicate anchor" in problem or "found undefined alias" in problem:
        return ParseError(
            f"YAML syntax error: {_one_line(problem)}",
            code=CODE_SYNTAX,
            path=path,
            line=line,
            col=col,
        )
    message = _one_line(problem)
    if exc.context and exc.context != problem:
        message = f"{_one_line(exc.context)}: {message}"
    return ParseError(
        f"YAML syntax error: {message}", code=CODE_SYNTAX, path=path, line=line, col=col
    )


_POINT_AT_CONTEXT = (
    "while parsing a flow",
    "while scanning a quoted scalar",
    "while scanning a simple key",
    "while scanning a block scalar",
)


def _extract_tag(problem: str) -> str:
    match = re.search(r"tag '([^']*)'", problem)
    if not match:
        return "(unknown)"
    tag = match.group(1)
    return "!!" + tag.removeprefix("tag:yaml.org,2002:") if tag.startswith("tag:yaml.org") else tag


def _one_line(text: str) -> str:
    return " ".join(text.split())


# ---------------------------------------------------------------- TOML


def _parse_toml(text: str, split: Split, path: Path) -> FrontMatter:
    source = text[split.start : split.end]
    offset = split.open_line + 1
    try:
        metadata = tomllib.loads(source)
    except (ValueError, RecursionError) as exc:
        if not isinstance(exc, tomllib.TOMLDecodeError):
            raise ParseError(
                f"TOML value cannot be read: {_one_line(str(exc)) or 'nested too deeply'}",
                code=CODE_SYNTAX,
                path=path,
                line=offset + 1,
                col=1,
            ) from None
        message = str(exc)
        match = _TOML_ERROR_POS.search(message)
        line, col = (int(match.group(1)), int(match.group(2))) if match else (1, 1)
        text = _TOML_ERROR_POS.sub("", message).strip()
        raise ParseError(
            f"TOML syntax error: {_one_line(text)}",
            code=CODE_SYNTAX,
            path=path,
            line=offset + line,
            col=col,
        ) from None
    positions: dict[str, tuple[int, int]] = {}
    lines = split_lines(source)
    for number, line_text in enumerate(lines, start=offset + 1):
        if _TOML_TABLE.match(line_text):
            name = line_text.strip().strip("[]").strip().strip("\"'")
            positions.setdefault(name.split(".")[0], (number, 1))
            break  # keys after a table header belong to that table
        match = _TOML_KEY.match(line_text)
        if match:
            key = match.group(1)
            if key[0] in "\"'":
                key = key[1:-1]
            positions.setdefault(key.split(".")[0], (number, match.start(1) + 1))
    # Later tables: record their header lines too.
    for number, line_text in enumerate(lines, start=offset + 1):
        if _TOML_TABLE.match(line_text):
            name = line_text.strip().strip("[]").strip().strip("\"'")
            positions.setdefault(name.split(".")[0], (number, 1))
    _check_value_size(metadata, path, offset)
    metadata = {key: _toml_value(value) for key, value in metadata.items()}
    body = text[split.body_start :]
    return FrontMatter("toml", metadata, body, split.body_line, positions, [])


def _toml_value(value: Any) -> Any:
    # TOML local times cannot be dates; keep them as strings so nothing downstream trips.
    if isinstance(value, time):
        return value.isoformat()
    if isinstance(value, list):
        return [_toml_value(item) for item in value]
    if isinstance(value, dict):
        return {key: _toml_value(item) for key, item in value.items()}
    return value


# ---------------------------------------------------------------- JSON


def _parse_json(text: str, split: Split, path: Path, duplicates: list[str]) -> FrontMatter:
    first, start, end, metadata = split.open_line, split.start, split.end, split.value
    if not isinstance(metadata, dict):
        raise ParseError(
            "JSON front matter is not an object of keys to values",
            code=CODE_NOT_MAPPING,
            path=path,
            line=first + 1,
            col=1,
        )
    _check_value_size(metadata, path, first)
    fm_text = text[:end]
    positions = _json_key_positions(fm_text, start, metadata)
    lone = _lone_surrogate(metadata)
    if lone is not None:
        # JSON can escape half a character (\udce9); no output could write it (YAML and TOML
        # refuse it as they read).
        line, col = positions.get(lone[0], (first + 1, 1))
        raise ParseError(
            f"JSON front matter holds an escape that is half a character (\\u{lone[1]:04x})",
            code=CODE_SYNTAX,
            path=path,
            line=line,
            col=col,
        )
    warnings = [
        Finding(
            path,
            *positions.get(key, (first + 1, 1)),
            CODE_DUPLICATE_KEY,
            f"duplicate key '{key}' (the last one wins)",
        )
        for key in dict.fromkeys(duplicates)
    ]
    # The body starts on the line after the closing brace.
    body = text[split.body_start :]
    return FrontMatter("json", metadata, body, split.body_line, positions, warnings)


_JSON_TOKEN = re.compile(r'"(?:[^"\\]|\\.)*"(\s*:)?|[{}\[\]]', re.S)


def _json_key_positions(
    text: str, start: int, metadata: dict[str, Any]
) -> dict[str, tuple[int, int]]:
    """(line, col) of each top-level ``"key":``, in one pass over the strings and brackets of
    the text (looking for each key from the start again cost keys x text)."""
    breaks = [match.start() for match in re.finditer("\n", text)]
    positions: dict[str, tuple[int, int]] = {}
    depth = 0
    for match in _JSON_TOKEN.finditer(text, start):
        token = match.group()
        if token in ("{", "["):
            depth += 1
        elif token in ("}", "]"):
            depth -= 1
        elif depth == 1 and match.group(1) is not None:  # a key of the outer object
            key = json.loads(text[match.start() : match.start(1)])
            if key not in positions:
                line = bisect_right(breaks, match.start())
                col = match.start() - (breaks[line - 1] + 1 if line else 0) + 1
                positions[key] = (line + 1, col)
    return positions


def _lone_surrogate(value: Any) -> tuple[str, int] | None:
    """(top-level key, code point) of the first string (or key) holding half a UTF-16 pair."""
    for key, item in value.items():
        stack = [key, item]
        while stack:
            node = stack.pop()
            if isinstance(node, str):
                found = _SURROGATE.search(node)
                if found:
                    return key, ord(found.group())
            elif isinstance(node, dict):
                stack.extend(node)
                stack.extend(node.values())
            elif isinstance(node, list):
                stack.extend(node)
    return None


_SURROGATE = re.compile("[\ud800-\udfff]")


def parse_scalar(text: str) -> Any:
    """A command-line value: integers, decimals and true/false typed; everything else (dates,
    "0123", "NO", "1:30") kept exactly as typed, unlike YAML 1.1's guesses."""
    stripped = text.strip()
    if _INTEGER.match(stripped):
        return int(stripped)
    if _DECIMAL.match(stripped):
        return float(stripped)
    if stripped in ("true", "false"):
        return stripped == "true"
    return text


_INTEGER = re.compile(r"^-?(?:0|[1-9]\d{0,17})$")
_DECIMAL = re.compile(r"^-?(?:0|[1-9]\d{0,17})\.\d{1,17}$")
