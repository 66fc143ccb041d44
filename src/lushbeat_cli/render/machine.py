"""Machine output: explicit record shapes with ISO 8601 dates, and the JSON/JSONL/CSV/TSV/paths
writers. Imported by cli and exporters; imports core only.
"""

from __future__ import annotations

import functools
import itertools
import json
import os
import re
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, TextIO

from lushbeat_cli.core.article import Article
from lushbeat_cli.core.listing import ARTICLE_FIELDS, ListedArticle, jsonable, listing_text

if TYPE_CHECKING:
    from lushbeat_cli.core.search import SearchHit

LIST_SEPARATOR = ";"


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


def write_listing(
    entries: Sequence[ListedArticle], output_format: str, stream: TextIO, *, null: bool = False
) -> None:
    """An unfiltered listing as ``paths``, ``json`` or ``jsonl``: the same bytes as
    ``write_paths``/``write_json``/``write_jsonl`` of the articles' records, spliced from the
    records the index keeps pre-rendered."""
    prefix = _display_prefix(None)

    def shown(path: str) -> str:
        return path if prefix is None else _shown(path, prefix)

    if output_format == "paths":
        texts = (shown(entry.path) for entry in entries)
    else:
        pretty = output_format == "json"
        texts = (
            listing_text(
                entry.stored, text_of(shown(entry.path)), entry.status.value, pretty=pretty
            )
            for entry in entries
        )
    write_rendered(texts, output_format, stream, null=null)


def write_rendered(
    texts: Iterable[str] | Iterable[bytes],
    output_format: str,
    stream: TextIO,
    *,
    null: bool = False,
) -> None:
    """A listing's texts (``listing_text`` of each article for ``json``/``jsonl``, display
    paths for ``paths``) as ``write_listing`` writes them, in batches of bounded memory. Texts
    given as bytes (UTF-8) go to the stream's binary buffer (see ``utf8_buffer``)."""
    if output_format == "paths":
        write_paths(texts, stream, null=null)  # type: ignore[arg-type]
        return
    items = iter(texts)
    first_batch = list(itertools.islice(items, _LISTING_BATCH))
    encoded = bool(first_batch) and isinstance(first_batch[0], bytes)
    sink: Any = stream
    if encoded:
        stream.flush()  # what was written as text comes first
        sink = stream.buffer
    # json: one indented array; jsonl: one record a line. (joiner, before the first batch,
    # between batches, after each batch, after the last, for none)
    pieces = ("\n", "", "", "\n", "", "")
    if output_format == "json":
        pieces = (",\n", "[\n", ",\n", "", "\n]\n", "[]\n")
    if encoded:
        pieces = tuple(piece.encode() for piece in pieces)  # type: ignore[misc]
    joiner, opening, between, end, closing, empty = pieces
    batch = first_batch
    first = True
    while batch:
        head = opening if first else between
        sink.write(head + joiner.join(batch) + end)  # type: ignore[arg-type]
        first = False
        batch = list(itertools.islice(items, _LISTING_BATCH))
    sink.write(empty if first else closing)


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
