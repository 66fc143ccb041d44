"""One file as the index's rows: parsed (``core.reading``) and encoded (``codec``), in the
column order of ``UPSERT_FILE`` and ``UPSERT_ENTRY``. Runs in the refresh and in pool workers.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from lushbeat_cli.core.article import build_article
from lushbeat_cli.core.config import Config
from lushbeat_cli.core.index.codec import (
    encode_derived,
    encode_error,
    encode_positions,
    encode_text_list,
    encode_value,
)
from lushbeat_cli.core.index.store import KIND_ARTICLE, KIND_ERROR, KIND_RAW
from lushbeat_cli.core.listing import moment_key
from lushbeat_cli.core.reading.articles import read_front_matter
from lushbeat_cli.errors import ParseError

Progress = Callable[[int, int], None]  # (files done, files to do) while files are read
# A file modified this close to the moment it was read may change again within the same mtime
# tick without changing size ("racy git"); such rows are re-read on the next refresh.
RACY_WINDOW_NS = 2_000_000_000
UPSERT_FILE = """
INSERT INTO files (path, size, mtime_ns, racy, kind, format, metadata, key_positions,
                   body_line, derived, error, title, summary, tags, body)
VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
ON CONFLICT (path) DO UPDATE SET
    size = excluded.size, mtime_ns = excluded.mtime_ns, racy = excluded.racy,
    kind = excluded.kind, format = excluded.format, metadata = excluded.metadata,
    key_positions = excluded.key_positions, body_line = excluded.body_line,
    derived = excluded.derived, error = excluded.error, title = excluded.title,
    summary = excluded.summary, tags = excluded.tags, body = excluded.body
"""
# A parsed row: the files columns, then the entries columns after the path and kind (date_key,
# declared_status, tags, category, authors, lang).
FILE_COLUMNS = 15
_ENTRY_EXTRA = 6
UPSERT_ENTRY = """
INSERT OR REPLACE INTO entries
    (path, kind, date_key, declared_status, tags, category, authors, lang)
VALUES (?, ?, ?, ?, ?, ?, ?, ?)
"""


def entry_row(row: tuple[Any, ...]) -> tuple[Any, ...]:
    """The ``entries`` row of a parsed row (see ``file_row``)."""
    return (row[0], row[4], *row[FILE_COLUMNS:])


def file_row(config: Config, root: Path, item: tuple[str, int, int, int]) -> tuple[Any, ...]:
    """The ``files`` row of one file (``UPSERT_FILE``'s columns) followed by the rest of its
    ``entries`` row (see ``entry_row``)."""
    rel, size, mtime_ns, started = item
    head = (rel, size, mtime_ns, int(mtime_ns >= started - RACY_WINDOW_NS))
    path = root / rel
    try:
        front = read_front_matter(path, config)
    except ParseError as exc:
        error = encode_error(exc)
        return (*head, KIND_ERROR, *(None,) * 5, error, *(None,) * (4 + _ENTRY_EXTRA))
    article = build_article(path, front, config.tz, fields=config.fields)
    text = (article.title, article.summary or "", " ".join(article.tags), front.body)
    try:
        metadata = encode_value(front.metadata)
    except TypeError:  # a value the tagged JSON cannot hold exactly: re-parse it on load
        return (*head, KIND_RAW, *(None,) * 6, *text, *(None,) * _ENTRY_EXTRA)
    return (
        *head,
        KIND_ARTICLE,
        front.format,
        metadata,
        encode_positions(front.key_positions),
        front.body_line,
        encode_derived(article, config.tz),
        None,
        *text,
        moment_key(article.date),
        article.declared_status.value,
        encode_text_list(article.tags),
        article.category,
        encode_text_list(article.authors),
        article.lang,
    )
