"""The field mapping: which front-matter keys each model field is read from (``[fields]``).

One home for what other generators call things: Hugo's ``publishDate`` and ``lastmod``, Jekyll's
``categories``, DocFX's ``ms.date``, a site's own ``topics``. ``build_article`` reads through a
``FieldMap``; the rules, the tag and publish edits and the JSON Schema ask it which key a field
is written under, so an edit goes to the key the file already uses, never a second one.
Pure: no I/O. ``core.config`` builds the map from ``[fields]`` (checked there).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any, NamedTuple

# Model field -> the keys it is read from by default, in order. Spellings of other generators:
# Hugo (publishDate, lastmod, expiryDate; its keys are case-insensitive, so the lower-case
# forms too), Astro (pubDate, updatedDate), Jekyll (excerpt, last_modified_at, redirect_from).
DEFAULT_KEYS: dict[str, tuple[str, ...]] = {
    "title": ("title",),
    "date": ("date", "publishDate", "publishdate", "pubDate"),
    "updated": ("updated", "lastmod", "lastMod", "last_modified_at", "updatedDate"),
    "expires": ("expiryDate", "expirydate", "unpublishDate"),
    "author": ("author", "authors"),
    "category": ("category", "categories"),
    "tags": ("tags", "keywords"),
    "summary": ("summary", "description", "excerpt"),
    "slug": ("slug",),
    "lang": ("lang",),
    "related": ("related",),
    "aliases": ("aliases", "redirect_from"),
}
# Fields holding several values gather them from every listed key a file has (Jekyll's
# `tags` and `categories` are both labels); the others take the first key that has a value.
LIST_FIELDS = frozenset({"author", "tags", "related", "aliases"})
# Keys that say whether an article is a draft, read besides `status` (not mappable: their
# values mean different things: `draft: true` and `published: false` both say draft).
STATUS_KEYS = ("status", "draft", "published")
DEFAULT_DRAFT_FOLDERS = ("_drafts",)


class FieldMap(NamedTuple):
    """How this project's front matter is read. ``keys`` has every field of ``DEFAULT_KEYS``
    (an empty tuple: the archive has no such field)."""

    keys: Mapping[str, tuple[str, ...]]
    date_formats: tuple[str, ...] = ()  # strptime formats tried after ISO 8601
    file_name_dates: bool = False  # YYYY-MM-DD-slug.md gives the date and the slug (Jekyll)
    draft_folders: tuple[str, ...] = DEFAULT_DRAFT_FOLDERS  # articles under these are drafts

    def keys_of(self, name: str) -> tuple[str, ...]:
        return self.keys.get(name, ())

    def mapped_keys(self) -> frozenset[str]:
        """Every key some field is read from."""
        return frozenset(key for keys in self.keys.values() for key in keys)

    def all_keys(self) -> frozenset[str]:
        """Every key lushbeat reads: the mapped keys and the status keys."""
        return self.mapped_keys() | frozenset(STATUS_KEYS)

    def field_of(self, key: str) -> str | None:
        """The field a key is read as (the first that lists it), or None."""
        for name, keys in self.keys.items():
            if key in keys:
                return name
        return None

    def source_key(self, metadata: Mapping[str, Any], name: str) -> str | None:
        """The key ``name`` is read from in this file: the first listed key it has with a value
        (else the first it has at all); None when it has none. A dotted key that is no literal
        key of the file is a path into mappings (``params.author``)."""
        present = None
        for key in self.keys_of(name):
            found, value = lookup(metadata, key)
            if found:
                if not is_empty(value):
                    return key
                present = present or key
        return present

    def present_keys(self, metadata: Mapping[str, Any], name: str) -> list[str]:
        """Every listed key of ``name`` this file has, in the mapping's order."""
        return [key for key in self.keys_of(name) if lookup(metadata, key)[0]]

    def write_key(self, metadata: Mapping[str, Any], name: str) -> str:
        """Where an edit writes ``name``: the key the file uses, else the first listed key
        (``name`` itself when the mapping lists none)."""
        return self.source_key(metadata, name) or (self.keys_of(name) or (name,))[0]

    def settings(self) -> list[Any]:
        """The map as plain JSON values (part of the index's settings key)."""
        return [
            {name: list(keys) for name, keys in self.keys.items()},
            list(self.date_formats),
            self.file_name_dates,
            list(self.draft_folders),
        ]


DEFAULT_FIELDS = FieldMap(keys=dict(DEFAULT_KEYS))


def lookup(metadata: Mapping[str, Any], key: str) -> tuple[bool, Any]:
    """(found, value) of ``key``: a literal key first (``ms.date`` in DocFX is one), else, for
    a dotted key, the path into nested mappings (``params.author``)."""
    if key in metadata:
        return True, metadata[key]
    if "." not in key:
        return False, None
    value: Any = metadata
    for part in key.split("."):
        if not isinstance(value, Mapping) or part not in value:
            return False, None
        value = value[part]
    return True, value


def is_empty(value: Any) -> bool:
    return value is None or value == "" or value == [] or value == {}


def field_map(table: Mapping[str, Any]) -> FieldMap:
    """A ``FieldMap`` from a checked ``[fields]`` table (``core.config`` checks the types); a
    field given as one key (``tags = "topics"``) is a list of one."""
    keys = dict(DEFAULT_KEYS)
    for name in DEFAULT_KEYS:
        if name in table:
            raw = table[name]
            keys[name] = (raw,) if isinstance(raw, str) else _unique(raw)
    return FieldMap(
        keys=keys,
        date_formats=tuple(table.get("date_formats", ())),
        file_name_dates=bool(table.get("file_name_dates", False)),
        draft_folders=tuple(table.get("draft_folders", DEFAULT_DRAFT_FOLDERS)),
    )


def _unique(items: Iterable[str]) -> tuple[str, ...]:
    return tuple(dict.fromkeys(item.strip() for item in items if item.strip()))


def field_problem(name: str, value: Any) -> str | None:
    """Why a ``[fields]`` value cannot be used, or None (the type is checked already)."""
    if name in DEFAULT_KEYS:
        items = [value] if isinstance(value, str) else value
        if not all(isinstance(item, str) and item.strip() for item in items):
            return f"'fields.{name}' must list front-matter keys (non-empty strings)"
        return None
    if name == "date_formats":
        for item in value:
            if not isinstance(item, str) or not date_format_works(item):
                return (
                    f"'fields.date_formats' has {item!r}, which is no date format "
                    '(strptime codes, e.g. "%m/%d/%Y")'
                )
    if name == "draft_folders" and not all(
        isinstance(item, str) and item.strip("/ ") for item in value
    ):
        return "'fields.draft_folders' must list folder names"
    return None


def date_format_works(fmt: str) -> bool:
    """Whether ``fmt`` is a strptime format that reads back a date it writes, day included."""
    from datetime import datetime

    if "%" not in fmt or not any(code in fmt for code in ("%d", "%j")):
        return False
    sample = datetime(2017, 6, 28, 14, 5, 9)
    try:
        back = datetime.strptime(sample.strftime(fmt), fmt)
    except ValueError:
        return False
    return back.date() == sample.date()
