"""An article's default machine record, and the same record kept pre-rendered in the index.

``ARTICLE_FIELDS`` and ``jsonable`` define the record every machine format shares (render.machine
writes it). The index stores each article's record as JSON text with two holes, its display path
and its status (they depend on the working directory and on the clock): for each of the two
JSON layouts, the text between the path and the status value (the head) and the text after the
status value (the tail). An unfiltered ``lushbeat list --format json`` on 10,000 articles then
splices strings instead of building objects. ``listing_text`` gives exactly the bytes
``render.machine.write_json``/``write_jsonl`` write for ``article_record`` (tests hold the two
together), and ``index.ArticleIndex.rendered_listing`` splices the same pieces in SQLite.
"""

from __future__ import annotations

import json
import math
from datetime import UTC, date, datetime, time, timedelta
from json.encoder import encode_basestring  # type: ignore[attr-defined]
from typing import Any

from lushbeat_cli.core.article import Article, Status, effective_status
from lushbeat_cli.core.record import Record

# The default record of an article, in this order. Stable: scripts depend on it.
ARTICLE_FIELDS = (
    "path",
    "slug",
    "title",
    "date",
    "updated",
    "author",
    "category",
    "tags",
    "summary",
    "status",
    "lang",
    "related",
)
_BEFORE_STATUS = ARTICLE_FIELDS[1 : ARTICLE_FIELDS.index("status")]
_AFTER_STATUS = ARTICLE_FIELDS[ARTICLE_FIELDS.index("status") + 1 :]
# What comes before the path in each layout: one element of write_json's indented array, and
# one write_jsonl line.
RECORD_OPENING = {"json": '  {\n    "path": ', "jsonl": '{"path": '}
# The pre-rendered record: (json head, json tail, jsonl head, jsonl tail).
Pieces = tuple[str, str, str, str]
_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
_MICROSECOND = timedelta(microseconds=1)


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


class ListedArticle(Record):
    """One article as ``list`` prints it by default, without the Article behind it.

    ``path`` is the absolute path as text; ``date`` the publication moment in microseconds
    since 1970 (UTC), which orders like the datetime it came from. With ``tags``, ``category``,
    ``authors`` and ``lang`` (decoded from ``facets`` when first asked for) these have the
    names ``core.query`` reads, so listings filter and sort exactly like articles.
    """

    __slots__ = ("_decoded", "date", "facets", "path", "status", "stored")

    def __init__(
        self,
        path: str,
        date: int | None,
        status: Status,
        stored: Pieces,  # encode_listing(article)
        facets: str,  # encode_facets(article)
    ) -> None:
        self.path = path
        self.date = date
        self.status = status
        self.stored = stored
        self.facets = facets
        self._decoded: list[Any] | None = None

    def preload(self, decoded: list[Any]) -> None:
        """Facets decoded (and checked) ahead of use: [tags, category, authors, lang]."""
        self._decoded = decoded

    def _facet(self, position: int) -> Any:
        if self._decoded is None:
            self._decoded = json.loads(self.facets)
        return self._decoded[position]

    @property
    def tags(self) -> list[str]:
        return self._facet(0)  # type: ignore[no-any-return]

    @property
    def category(self) -> str | None:
        return self._facet(1)  # type: ignore[no-any-return]

    @property
    def authors(self) -> list[str]:
        return self._facet(2)  # type: ignore[no-any-return]

    @property
    def lang(self) -> str | None:
        return self._facet(3)  # type: ignore[no-any-return]


def encode_facets(article: Article) -> str:
    """What list's filters read (besides date and status), for ``ListedArticle``."""
    return json.dumps(
        [article.tags, article.category, article.authors, article.lang], ensure_ascii=False
    )


def moment_key(moment: datetime | None) -> int | None:
    """An aware datetime as microseconds since 1970 (UTC); None stays None."""
    return None if moment is None else (moment - _EPOCH) // _MICROSECOND


def encode_listing(article: Article) -> Pieces:
    """The article's record around ``path`` and ``status``, pre-rendered for ``listing_text``."""
    before = {name: jsonable(article.get(name)) for name in _BEFORE_STATUS}
    after = {name: jsonable(article.get(name)) for name in _AFTER_STATUS}
    return (
        f',\n    {_indented_items(before)},\n    "status": "',
        f'",\n    {_indented_items(after)}\n  }}',
        f', {_items(before)}, "status": "',
        f'", {_items(after)}}}',
    )


def encode_path(rel: str) -> str:
    """A relative path as it appears inside a JSON string (json.dumps without the quotes).
    JSON escapes character by character, so the escaped display path is the escaped display
    prefix followed by this."""
    return encode_basestring(rel)[1:-1]  # type: ignore[no-any-return]


def listed(article: Article, stored: Pieces | None = None) -> ListedArticle:
    """The listing entry of a parsed article."""
    return ListedArticle(
        str(article.path),
        moment_key(article.date),
        article.status,
        stored if stored is not None else encode_listing(article),
        encode_facets(article),
    )


def listed_status(declared: str, key: int | None, now_key: int) -> Status:
    """The effective status of a stored entry (``now_key``: ``moment_key`` of now)."""
    return effective_status(_STATUSES[declared], key, now_key)


_STATUSES = {status.value: status for status in Status}


def listing_text(stored: Pieces, path: str, status: str, *, pretty: bool) -> str:
    """The record's JSON text: as one element of ``write_json``'s indented array (``pretty``,
    without the separating comma) or as one ``write_jsonl`` line (without the newline)."""
    shown = encode_basestring(path)  # what json.dumps(path, ensure_ascii=False) gives
    if pretty:
        return f"{RECORD_OPENING['json']}{shown}{stored[0]}{status}{stored[1]}"
    return f"{RECORD_OPENING['jsonl']}{shown}{stored[2]}{status}{stored[3]}"


def _indented_items(values: dict[str, Any]) -> str:
    fast = _simple_items(values, pretty=True)
    if fast is not None:
        return fast
    # json.dumps(record, indent=2) lays out each item of a dict the same way whatever the other
    # items are; write_json then indents the whole record by two more spaces.
    text = json.dumps(values, ensure_ascii=False, indent=2, allow_nan=False)
    return text[4:-2].replace("\n", "\n  ")


def _items(values: dict[str, Any]) -> str:
    fast = _simple_items(values, pretty=False)
    if fast is not None:
        return fast
    return json.dumps(values, ensure_ascii=False, allow_nan=False)[1:-1]


def _simple_items(values: dict[str, Any], *, pretty: bool) -> str | None:
    """The items as json.dumps writes them, when every value is text, null or a list of text
    (the default record always is): json's indenting encoder is pure Python and slow, and
    every article is encoded once per index build. None: use json.dumps."""
    items = []
    for key, value in values.items():
        if value is None:
            text = "null"
        elif isinstance(value, str):
            text = encode_basestring(value)
        elif isinstance(value, list) and all(isinstance(item, str) for item in value):
            if not value:
                text = "[]"
            elif pretty:
                text = "[\n      " + ",\n      ".join(map(encode_basestring, value)) + "\n    ]"
            else:
                text = "[" + ", ".join(map(encode_basestring, value)) + "]"
        else:
            return None
        items.append(f"{encode_basestring(key)}: {text}")
    return (",\n    " if pretty else ", ").join(items)
