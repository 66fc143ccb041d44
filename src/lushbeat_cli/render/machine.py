"""Machine output: explicit record shapes with ISO 8601 dates, and the JSON/JSONL/CSV/TSV/paths
writers. Imported by cli and exporters; imports core only.
"""

from __future__ import annotations

import functools
import itertools
import json
import math
import os
import re
from collections.abc import Iterable, Sequence
from datetime import date, datetime, time
from json.encoder import encode_basestring  # type: ignore[attr-defined]
from pathlib import Path
from typing import TYPE_CHECKING, Any, TextIO

from lushbeat_cli.core.article import KNOWN_FIELDS, Article, Status
from lushbeat_cli.core.listing import ListedRows, RecordFormat

if TYPE_CHECKING:
    from lushbeat_cli.core.search import SearchHit

LIST_SEPARATOR = ";"
# The default record of an article, in this order. Stable: scripts depend on it. ("path"
# first: list's records are kept in the index without it, see LIST_RECORDS.)
ARTICLE_FIELDS = ("path", *KNOWN_FIELDS)


def jsonable(value: Any) -> Any:
    """A front-matter value as plain JSON: ISO 8601 dates, lists, objects, scalars."""
    if isinstance(value, datetime | date | time):
        return value.isoformat()
    if isinstance(value, dict):
        return {str(key): jsonable(item) for key, item in value.items()}
    if isinstance(value, list | tuple | set):
        return [jsonable(item) for item in value]
    if isinstance(value, float) and not math.isfinite(value):
        return None  # NaN and infinity are not JSON (RFC 8259)
    if value is None or isinstance(value, str | int | float | bool):
        return value
    return str(value)


def display_path(path: Path | str, base: Path | None = None) -> str:
    """A path as the user should see it: relative to the working directory when inside it.

    String work only, and one cached ``realpath`` per folder (not per file): it runs once per
    article in every listing. A symlinked file shows where the link is, not where it points.
    Text: a byte of a file name that is not UTF-8 shows as U+FFFD (see ``raw_path``).
    """
    return text_of(raw_path(path, base))


def raw_path(path: Path | str, base: Path | None = None) -> str:
    """``display_path`` with a name's undecodable bytes kept (as Python keeps them: lone
    surrogates), for ``paths`` output, which writes them back as the same bytes."""
    prefix = _display_prefix(base)
    return str(path) if prefix is None else _shown(str(path), prefix)


_SURROGATE = re.compile("[\ud800-\udfff]")


def text_of(text: str) -> str:
    """``text`` as valid Unicode: each undecodable byte of a file name (a lone surrogate, which
    no UTF-8 output can hold) becomes U+FFFD, as a UTF-8 decoder shows it."""
    return _SURROGATE.sub("\ufffd", text) if _SURROGATE.search(text) else text


def _display_prefix(base: Path | None) -> str | None:
    """The resolved folder paths are shown relative to, plus a separator (None: none)."""
    try:
        folder = os.getcwd() if base is None else str(base)
    except OSError:  # the working directory was deleted
        return None
    return _resolved(folder) + os.sep


def _shown(text: str, prefix: str) -> str:
    if text.startswith(prefix):
        return text[len(prefix) :]
    if not os.path.isabs(text):
        return text
    folder, _, name = text.rpartition(os.sep)
    return _shown_folder(folder, prefix) + name


def display_root(root: Path) -> str | None:
    """One prefix that shows every file under the (resolved) folder ``root``:
    ``display_path(root / rel) == display_root(root) + rel`` for each relative path through
    real (not symlinked) folders, as the index lists them. None when the working directory
    lies strictly inside ``root``: its own files show relative to it, the others not.
    """
    prefix = _display_prefix(None)
    folder = os.path.join(str(root), "")
    if prefix is None:
        return folder
    if prefix != folder and prefix.startswith(folder):
        return None
    return _shown(folder, prefix)


@functools.lru_cache(maxsize=4096)
def _shown_folder(folder: str, prefix: str) -> str:
    """How a folder's files are shown: relative when the folder resolves inside ``prefix``."""
    resolved = os.path.join(_resolved(folder or os.sep), "")
    if resolved.startswith(prefix):
        return resolved[len(prefix) :]
    return folder + os.sep


@functools.lru_cache(maxsize=4096)
def _resolved(path: str) -> str:
    return os.path.realpath(path)


def article_value(article: Article, name: str, base: Path | None = None) -> Any:
    """One named field of an article, JSON-ready."""
    if name == "path":
        return display_path(article.path, base)
    if name == "status":
        return article.status.value
    return jsonable(article.get(name))


def article_record(
    article: Article, fields: Sequence[str] = ARTICLE_FIELDS, base: Path | None = None
) -> dict[str, Any]:
    return {name: article_value(article, name, base) for name in fields}


# The record of a search hit, in this order.
SEARCH_FIELDS = ("path", "slug", "title", "date", "score", "snippet", "matched_terms")


def search_record(hit: SearchHit, base: Path | None = None) -> dict[str, Any]:
    """One search hit: the article's identity, its score and a plain-text snippet."""
    article = hit.article
    return {
        "path": display_path(article.path, base),
        "slug": article.slug,
        "title": article.title,
        "date": jsonable(article.date),
        "score": hit.score,
        "snippet": plain_snippet(hit.snippet),
        "matched_terms": list(hit.matched_terms),
    }


def plain_snippet(snippet: str) -> str:
    """A snippet without highlight markers, on one line."""
    from lushbeat_cli.core.search import MARK_CLOSE, MARK_OPEN

    return " ".join(snippet.replace(MARK_OPEN, "").replace(MARK_CLOSE, "").split())


def cell_text(value: Any) -> str:
    """A JSON-ready value as one CSV/TSV cell: lists joined with ';', null as empty."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list):
        return LIST_SEPARATOR.join(cell_text(item) for item in value)
    if isinstance(value, dict):
        return json.dumps(value, ensure_ascii=False, sort_keys=True)
    return str(value)


def write_json(records: Iterable[dict[str, Any]], stream: TextIO) -> None:
    """One JSON array, written record by record (the same bytes as ``json.dumps(list,
    indent=2)``) so that a large export never holds the whole document in memory."""
    first = True
    for record in records:
        text = text_of(json.dumps(record, ensure_ascii=False, indent=2, allow_nan=False))
        stream.write(("[\n" if first else ",\n") + "  " + text.replace("\n", "\n  "))
        first = False
    stream.write("[]\n" if first else "\n]\n")


def write_jsonl(records: Iterable[dict[str, Any]], stream: TextIO) -> None:
    for record in records:
        stream.write(text_of(json.dumps(record, ensure_ascii=False, allow_nan=False)) + "\n")


# A CSV cell starting with one of these is a formula to a spreadsheet (OWASP's list).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def defuse_formula(cell: str) -> str:
    """A CSV cell as a spreadsheet shows it as text, never runs it: a leading ``'`` before a
    formula start (``=HYPERLINK(...)``, ``@SUM``, ``+``, ``-``, tab, CR). The one rule for every
    CSV lushbeat writes; TSV and JSON stay raw."""
    return "'" + cell if cell.startswith(FORMULA_STARTS) else cell


def write_csv(
    records: Iterable[dict[str, Any]], fields: Sequence[str], stream: TextIO, *, tsv: bool = False
) -> None:
    """RFC 4180 CSV (CRLF rows, quoted as needed, formulas defused), or TSV with tabs and
    newlines flattened (raw otherwise: TSV is for programs)."""
    if tsv:
        stream.write(text_of("\t".join(_tsv_cell(name) for name in fields)) + "\n")
        for record in records:
            cells = (_tsv_cell(cell_text(record.get(name))) for name in fields)
            stream.write(text_of("\t".join(cells)) + "\n")
        return
    import csv

    writer = csv.writer(stream, lineterminator="\r\n")
    writer.writerow([defuse_formula(text_of(name)) for name in fields])
    for record in records:
        writer.writerow([defuse_formula(text_of(cell_text(record.get(name)))) for name in fields])


def _tsv_cell(text: str) -> str:
    return text.replace("\t", " ").replace("\r\n", " ").replace("\n", " ").replace("\r", " ")


def write_paths(paths: Iterable[str], stream: TextIO, *, null: bool = False) -> None:
    """One path a line (or NUL-terminated), each written as the exact bytes of its name, so
    that ``xargs -0`` reaches a file whose name is not UTF-8 (``raw_path`` keeps those bytes)."""
    end = "\0" if null else "\n"
    if not utf8_buffer(stream):
        for path in paths:
            stream.write(text_of(path) + end)
        return
    stream.flush()  # what was written as text comes first
    ending = end.encode()
    items = iter(paths)
    while batch := list(itertools.islice(items, _LISTING_BATCH)):
        stream.buffer.write(b"".join(os.fsencode(path) + ending for path in batch))


# ---------------------------------------------------------------- list's records
# ``list --format json|jsonl`` writes the same bytes as ``write_json``/``write_jsonl`` of
# ``article_record``s (tests hold them together), from records the index keeps between runs
# (core.listing.RecordFormat): each article's record without its path and with a NUL where its
# status goes (both change without the file changing: the working directory, the clock);
# JSON text never holds a raw NUL. Only this module knows what a record holds: changing the
# fields changes RECORD_VERSION, and the index makes every record again.

_RECORD_ENCODING = 2  # bump when the text of a value changes (the fields are in the version)
RECORD_VERSION = f"{_RECORD_ENCODING} {' '.join(ARTICLE_FIELDS)}"
_OPENING = {"json": '  {\n    "path": ', "jsonl": '{"path": '}  # before the path's JSON string
_HOLE = "\0"
_STATUS_BYTES = {status: status.value.encode() for status in Status}


def _record(article: Article, *, pretty: bool) -> bytes:
    """The record of ``article_record(article)`` as one element of ``write_json``'s array
    (``pretty``) or one ``write_jsonl`` line, from the quote that ends its path to its end,
    with a hole for the status."""
    items = []
    for name in ARTICLE_FIELDS[1:]:
        text = f'"{_HOLE}"' if name == "status" else _value(jsonable(article.get(name)), pretty)
        items.append(f"{encode_basestring(name)}: {text}")
    if pretty:
        return ('"' + "".join(f",\n    {item}" for item in items) + "\n  }").encode()
    return ('"' + "".join(f", {item}" for item in items) + "}").encode()


def _value(value: Any, pretty: bool) -> str:
    """A value as ``json.dumps`` writes it inside a record (``indent=2`` when ``pretty``):
    text, null and lists of text by hand (json's indenting encoder is pure Python, slow)."""
    if value is None:
        return "null"
    if isinstance(value, str):
        return encode_basestring(value)  # type: ignore[no-any-return]
    if isinstance(value, list) and all(isinstance(item, str) for item in value):
        if not value:
            return "[]"
        if pretty:
            return "[\n      " + ",\n      ".join(map(encode_basestring, value)) + "\n    ]"
        return "[" + ", ".join(map(encode_basestring, value)) + "]"
    if pretty:  # one level deeper than a value written alone, and write_json's two spaces
        text = json.dumps(value, ensure_ascii=False, indent=2, allow_nan=False)
        return text.replace("\n", "\n    ")
    return json.dumps(value, ensure_ascii=False, allow_nan=False)


# The records list --format json|jsonl prints, for the index to keep.
LIST_RECORDS = {
    "json": RecordFormat("json", RECORD_VERSION, functools.partial(_record, pretty=True)),
    "jsonl": RecordFormat("jsonl", RECORD_VERSION, functools.partial(_record, pretty=False)),
}


def write_listing(
    rows: ListedRows,
    output_format: str,
    stream: TextIO,
    *,
    root: str | None = None,
    null: bool = False,
) -> None:
    """A listing as ``paths``, ``json`` or ``jsonl``: the same bytes as ``write_paths``/
    ``write_json``/``write_jsonl`` of the articles' records, in batches of bounded memory.
    ``rows.paths`` are shown as ``root`` + each (the index's relative paths; see
    ``display_root``) or, without ``root``, as ``display_path`` shows each (absolute paths).
    For json and jsonl, ``rows.records`` are ``LIST_RECORDS[output_format]``'s."""
    if root is None:
        prefix = _display_prefix(None)
        if prefix is not None:
            rows = rows._replace(paths=[_shown(path, prefix) for path in rows.paths])
        root = ""
    if output_format == "paths":
        write_paths((root + rel for rel in rows.paths), stream, null=null)
        return
    assert rows.records is not None
    # json: one indented array; jsonl: one record a line. (between records, before the first,
    # after the last, for none)
    joiner, first, last, empty = b"\n", b"", b"\n", b""
    if output_format == "json":
        joiner, first, last, empty = b",\n", b"[\n", b"\n]\n", b"[]\n"
    opening = _OPENING[output_format].encode() + b'"' + _escaped([root])[0]
    sink, as_text = _binary_sink(stream)
    batch = _LISTING_BATCH
    for start in range(0, len(rows.paths), batch):
        chunk = _joined(
            (joiner if start else first) + opening,
            joiner + opening,
            rows.paths[start : start + batch],
            rows.statuses[start : start + batch],
            rows.records[start : start + batch],
        )
        sink(chunk.decode() if as_text else chunk)
    ending = last if rows.paths else empty
    sink(ending.decode() if as_text else ending)


def _joined(
    lead: bytes, between: bytes, paths: list[str], statuses: list[Status], records: list[bytes]
) -> bytes:
    """Records with their paths and statuses, ``lead`` before the first and ``between`` before
    each other, in C loops rather than one Python step a record (a listing of 10,000 is some
    5 MB): the paths escaped all at once, the records split at their status holes all at once
    (each has one, see ``_record``), and everything joined in one go."""
    count = len(paths)
    hole = _HOLE.encode()
    pieces = hole.join(records).split(hole)
    if len(pieces) != 2 * count:  # (not a record of LIST_RECORDS: one at a time)
        pieces = [part for record in records for part in (*record.split(hole, 1), b"")[:2]]
    parts = [between] * (5 * count)  # before, path, record to the status, status, the rest
    parts[0] = lead
    parts[1::5] = _escaped(paths)
    parts[2::5] = pieces[0::2]
    parts[3::5] = map(_STATUS_BYTES.__getitem__, statuses)
    parts[4::5] = pieces[1::2]
    return b"".join(parts)


_ESCAPED = re.compile(r'[\x01-\x1f\\"]')  # what a JSON string escapes (but NUL: see below)


def _escaped(paths: list[str]) -> list[bytes]:
    """Each path as the inside of a JSON string, UTF-8 (a name's undecodable byte as U+FFFD,
    see ``text_of``): all at once when none needs escaping (the usual case)."""
    text = "\0".join(paths)
    if not _ESCAPED.search(text):
        try:
            found = text.encode().split(b"\0")
        except UnicodeEncodeError:  # (a lone surrogate)
            found = []
        if len(found) == len(paths):  # (no path held a NUL)
            return found
    return [encode_basestring(text_of(path))[1:-1].encode() for path in paths]


def _binary_sink(stream: TextIO) -> tuple[Any, bool]:
    """Where UTF-8 bytes go: the stream's binary buffer when it takes UTF-8 (what was written
    as text flushed first), else the stream itself (then as text: True)."""
    if utf8_buffer(stream):
        stream.flush()
        return stream.buffer.write, False
    return stream.write, True


def utf8_buffer(stream: TextIO) -> bool:
    """Whether UTF-8 bytes may go straight to ``stream``'s binary buffer: a text stream that
    encodes to UTF-8 anyway (not so for, say, PYTHONIOENCODING=latin-1)."""
    import codecs

    encoding = getattr(stream, "encoding", None)
    if not encoding or getattr(stream, "buffer", None) is None:
        return False
    try:
        return codecs.lookup(encoding).name == "utf-8"
    except LookupError:
        return False


_LISTING_BATCH = 2_000  # records per write: bounded memory for 100,000 articles
