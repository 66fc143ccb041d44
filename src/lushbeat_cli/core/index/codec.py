"""How values are stored in the index's columns and read back, checked: front matter as tagged
JSON (dates stay dates), what ``build_article`` derived, key positions, parse errors.

A value that does not decode, or decodes to another shape than parsing gives, is damage
(``StoredDataError``): loading stays a decode, with checks written as C loops.
"""

from __future__ import annotations

import json
from datetime import date, datetime, tzinfo
from pathlib import Path
from typing import Any

from lushbeat_cli.core.article import Article, Status, effective_status
from lushbeat_cli.core.findings import Finding, Severity
from lushbeat_cli.core.index.store import StoredDataError
from lushbeat_cli.errors import ParseError

# What decoding damaged text can raise (JSON, ISO dates, base64, enums, unpacking, nesting).
DECODING = (ValueError, TypeError, KeyError, IndexError, AttributeError, RecursionError)


# Front-matter values that JSON lacks are stored as one-key objects with a "$" tag, so that a
# date comes back as a date, a datetime with its offset, bytes as bytes. A real one-key mapping
# whose key starts with "$" is escaped with "$map", and so is a mapping with non-text keys.
_TAGS = ("$datetime", "$date", "$bytes", "$set", "$tuple", "$map")


def encode_value(value: Any) -> str:
    return json.dumps(_tag(value), ensure_ascii=False, separators=(",", ":"))


def decode_value(text: str) -> Any:
    if '"$' not in text:
        return json.loads(text)
    return json.loads(text, object_hook=_untag)


def _tag(value: Any) -> Any:
    if value is None or isinstance(value, bool | int | float | str):
        return value
    if isinstance(value, list):
        return [_tag(item) for item in value]
    if isinstance(value, dict):
        if all(type(key) is str for key in value) and not (
            len(value) == 1 and next(iter(value)).startswith("$")
        ):
            return {key: _tag(item) for key, item in value.items()}
        return {"$map": [[_tag(key), _tag(item)] for key, item in value.items()]}
    if isinstance(value, datetime):
        if value.fold:  # never from a parser, but kept exact: [text, fold]
            return {"$datetime": [value.isoformat(), value.fold]}
        return {"$datetime": value.isoformat()}
    if isinstance(value, date):
        return {"$date": value.isoformat()}
    if isinstance(value, bytes):
        import base64  # rare: binary YAML values

        return {"$bytes": base64.b64encode(value).decode("ascii")}
    if isinstance(value, tuple):
        return {"$tuple": [_tag(item) for item in value]}
    if isinstance(value, set | frozenset):
        try:
            items = sorted(value)
        except TypeError:
            items = list(value)
        return {"$set": [_tag(item) for item in items]}
    raise TypeError(f"cannot store {type(value).__name__}")


def _untag(obj: dict[str, Any]) -> Any:
    if len(obj) != 1:
        return obj
    key, value = next(iter(obj.items()))
    if key not in _TAGS:
        return obj
    if key == "$datetime":
        if isinstance(value, list):
            return datetime.fromisoformat(value[0]).replace(fold=value[1])
        return datetime.fromisoformat(value)
    if key == "$date":
        return date.fromisoformat(value)
    if key == "$bytes":
        import base64

        return base64.b64decode(value)
    if key == "$tuple":
        return tuple(value)
    if key == "$set":
        return set(value)
    return {_hashable(k): v for k, v in value}


def _hashable(key: Any) -> Any:
    if isinstance(key, list):
        return tuple(_hashable(item) for item in key)
    return key


def encode_derived(article: Article, tz: tzinfo) -> str:
    findings = [[f.line, f.col, f.code, f.message, f.severity.value] for f in article.findings]
    return json.dumps(
        [
            findings,
            article.title,
            article.slug,
            _encode_moment(article.date, tz),
            _encode_moment(article.updated, tz),
            article.authors,
            article.category,
            article.tags,
            article.summary,
            article.declared_status.value,
            article.lang,
            article.related,
            _encode_moment(article.expires, tz),
            article.aliases,
        ],
        ensure_ascii=False,
        separators=(",", ":"),
    )


def _encode_moment(moment: datetime | None, tz: tzinfo) -> list[Any] | None:
    if moment is None:
        return None
    if moment.tzinfo is tz or moment.tzinfo == tz:
        return [moment.replace(tzinfo=None).isoformat(), 1]
    return [moment.isoformat(), 0]


def _decode_moment(value: list[Any] | None, tz: tzinfo) -> datetime | None:
    if value is None:
        return None
    moment = datetime.fromisoformat(value[0])
    if value[1]:
        return moment.replace(tzinfo=tz)
    if moment.tzinfo is None:  # stored with its offset: damage
        raise ValueError("a stored moment without its offset")
    return moment


def decode_article(
    path: Path,
    fmt: str,
    meta: str,
    positions: str,
    body_line: int,
    derived: str,
    body: str,
    tz: tzinfo,
    now: datetime,
) -> Article:
    """The Article of a stored row; StoredDataError when the row cannot give a sound one:
    JSON that does not decode, or decodes to other types than parsing gives (damage can give
    valid JSON of another shape, which would fail far from here). The checks are C loops
    (``issuperset(map(type, ...))``): loading stays a decode."""
    try:
        (
            findings,
            title,
            slug,
            when,
            updated,
            authors,
            category,
            tags,
            summary,
            declared,
            lang,
            related,
            expires,
            aliases,
        ) = json.loads(derived)
        sound = (
            type(title) is str
            and type(slug) is str
            and type(body) is str
            and type(fmt) is str
            and type(body_line) is int
            and _OPTIONAL_TEXT.issuperset(map(type, (category, summary, lang)))
            and type(authors) is list
            and type(tags) is list
            and type(related) is list
            and type(aliases) is list
            and _TEXT.issuperset(map(type, authors + tags + related + aliases))
            and type(findings) is list
            and (not findings or _sound_findings(findings))
        )
        if sound:
            moment = _decode_moment(when, tz)
            declared_status = Status(declared)
            metadata = decode_value(meta)
            sound = type(metadata) is dict
    except DECODING:
        sound = False
    if not sound:
        raise StoredDataError(f"undecodable entry for {path.name}")
    try:
        key_positions = _decode_positions(positions)
        updated_moment = _decode_moment(updated, tz)
        expires_moment = _decode_moment(expires, tz)
    except DECODING:
        raise StoredDataError(f"undecodable entry for {path.name}") from None
    return Article(
        path=path,
        metadata=metadata,
        body=body,
        format=fmt,
        key_positions=key_positions,
        body_line=body_line,
        findings=[
            Finding(path, line, col, code, message, Severity(severity))
            for line, col, code, message, severity in findings
        ],
        title=title,
        slug=slug,
        date=moment,
        updated=updated_moment,
        authors=authors,
        category=category,
        tags=tags,
        summary=summary,
        declared_status=declared_status,
        lang=lang,
        related=related,
        status=effective_status(declared_status, moment, now),
        expires=expires_moment,
        aliases=aliases,
    )


def _sound_findings(findings: Any) -> bool:
    """Whether stored findings are [line, col, code, message, severity] lists as stored."""
    return all(
        type(found) is list
        and len(found) == 5
        and type(found[0]) is int
        and type(found[1]) is int
        and type(found[2]) is str
        and type(found[3]) is str
        and found[4] in _SEVERITIES
        for found in findings
    )


def _texts(*lists: Any) -> bool:
    """Whether each of ``lists`` is a list of text."""
    return all(type(items) is list and _TEXT.issuperset(map(type, items)) for items in lists)


def optional_text(*values: Any) -> bool:
    return _OPTIONAL_TEXT.issuperset(map(type, values))


_TEXT = frozenset({str})
_OPTIONAL_TEXT = frozenset({str, type(None)})
_NUMBER = frozenset({int})
_SEVERITIES = frozenset(severity.value for severity in Severity)


def encode_error(error: ParseError) -> str:
    return json.dumps([error.code, error.message, error.line, error.col], ensure_ascii=False)


def stored_error(path: Path, error: str) -> ParseError:
    try:
        code, message, line, col = json.loads(error)
        sound = _texts([code, message]) and set(map(type, (line, col))) <= _OPTIONAL_NUMBER
    except DECODING:
        sound = False
    if not sound:
        raise StoredDataError(f"undecodable error entry for {path.name}")
    return ParseError(message, code=code, path=path, line=line, col=col)


_OPTIONAL_NUMBER = frozenset({int, type(None)})


def encode_positions(positions: dict[str, tuple[int, int]]) -> str:
    # Three parallel lists: decoding them is one zip, not a loop.
    keys = list(positions)
    lines = [positions[key][0] for key in keys]
    cols = [positions[key][1] for key in keys]
    return json.dumps([keys, lines, cols], ensure_ascii=False, separators=(",", ":"))


def _decode_positions(text: str) -> dict[str, tuple[int, int]]:
    keys, lines, cols = json.loads(text)
    if not _NUMBER.issuperset(map(type, lines + cols)):  # (and both lists: else TypeError)
        raise ValueError("positions that are not line and column numbers")
    return dict(zip(keys, zip(lines, cols, strict=True), strict=True))


def encode_text_list(items: list[str]) -> str:
    return json.dumps(items, ensure_ascii=False, separators=(",", ":"))


def decode_text_list(text: Any) -> list[str] | None:
    """``encode_text_list`` read back; None when it is not a list of text."""
    try:
        items = json.loads(text)
    except (TypeError, ValueError, RecursionError):
        return None
    if type(items) is not list or not _TEXT.issuperset(map(type, items)):
        return None
    return items
