"""The Article model: path, raw metadata, body, and the typed fields derived from them.

Also the pure helpers every command shares: date parsing, slugs, effective status.
"""

from __future__ import annotations

import os
import re
import unicodedata
from datetime import UTC, date, datetime, time, timedelta, timezone, tzinfo
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Any

from lushbeat_cli.core.fields import DEFAULT_FIELDS, FieldMap, is_empty, lookup
from lushbeat_cli.core.findings import Finding
from lushbeat_cli.core.slotted import Slotted

if TYPE_CHECKING:
    from lushbeat_cli.core.reading.frontmatter import FrontMatter

# The model's fields (in the order of the default machine record, render.machine.ARTICLE_FIELDS)
KNOWN_FIELDS = (
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
# Read too, but not part of an article's record (issue #17: expiry and moves).
EXTRA_FIELDS = ("expires", "aliases")
CODE_INVALID_VALUE = "LB201"
SLUG_MAX_LENGTH = 80


class Status(StrEnum):
    DRAFT = "draft"
    PUBLISHED = "published"
    SCHEDULED = "scheduled"


class Article(Slotted):
    """One parsed article. ``metadata`` holds every front-matter key exactly as loaded."""

    __slots__ = (
        "aliases",
        "authors",
        "body",
        "body_line",
        "category",
        "date",
        "declared_status",
        "expires",
        "findings",
        "format",
        "key_positions",
        "lang",
        "metadata",
        "path",
        "related",
        "slug",
        "status",
        "summary",
        "tags",
        "title",
        "updated",
    )

    def __init__(
        self,
        path: Path,
        metadata: dict[str, Any],
        body: str,
        format: str = "yaml",
        key_positions: dict[str, tuple[int, int]] | None = None,
        body_line: int = 1,
        findings: list[Finding] | None = None,  # warnings met while reading
        title: str = "",
        slug: str = "",
        date: datetime | None = None,
        updated: datetime | None = None,
        authors: list[str] | None = None,
        category: str | None = None,
        tags: list[str] | None = None,
        summary: str | None = None,
        declared_status: Status = Status.PUBLISHED,
        lang: str | None = None,
        related: list[str] | None = None,
        status: Status = Status.PUBLISHED,  # effective: published but dated later is scheduled
        expires: datetime | None = None,  # Hugo's expiryDate
        aliases: list[str] | None = None,  # other URLs of the article (Hugo, Jekyll)
    ) -> None:
        self.path = path
        self.metadata = metadata
        self.body = body
        self.format = format
        self.key_positions = key_positions if key_positions is not None else {}
        self.body_line = body_line
        self.findings = findings if findings is not None else []
        self.title = title
        self.slug = slug
        self.date = date
        self.updated = updated
        self.authors = authors if authors is not None else []
        self.category = category
        self.tags = tags if tags is not None else []
        self.summary = summary
        self.declared_status = declared_status
        self.lang = lang
        self.related = related if related is not None else []
        self.status = status
        self.expires = expires
        self.aliases = aliases if aliases is not None else []

    def position(self, key: str) -> tuple[int, int]:
        """Line and column of a front-matter key (of its first part, for a path into mappings
        such as ``params.author``), or of the front matter's start."""
        found = self.key_positions.get(key)
        if found is None and "." in key:
            found = self.key_positions.get(key.split(".", 1)[0])
        return found or (1, 1)

    def get(self, name: str) -> Any:
        """A field by name: typed fields first, then any raw front-matter key."""
        if name in ("author", "authors"):
            return self.authors
        if name in KNOWN_FIELDS or name in EXTRA_FIELDS or name in ("path", "declared_status"):
            return getattr(self, name)
        if name in self.metadata:
            return self.metadata[name]
        dotted: Any = self.metadata
        for part in name.split("."):
            if not isinstance(dotted, dict) or part not in dotted:
                return None
            dotted = dotted[part]
        return dotted


def build_article(
    path: Path,
    front: FrontMatter,
    tz: tzinfo,
    now: datetime | None = None,
    fields: FieldMap = DEFAULT_FIELDS,
) -> Article:
    """Derive the typed fields, each from the keys ``fields`` maps it to (and the file name,
    where the map says so); values of the wrong type become findings, never exceptions."""
    meta = front.metadata
    article = Article(
        path=path,
        metadata=meta,
        body=front.body,
        format=front.format,
        key_positions=front.key_positions,
        body_line=front.body_line,
        findings=list(front.warnings),
    )

    def value_of(name: str) -> tuple[str, Any]:
        key = fields.source_key(meta, name)
        if key is None:
            return name, None
        return key, lookup(meta, key)[1]

    def bad(key: str, message: str) -> None:
        line, col = article.position(key)
        article.findings.append(Finding(path, line, col, CODE_INVALID_VALUE, message))

    def text_list(name: str, *, split_commas: bool) -> list[str]:
        present = fields.present_keys(meta, name)
        items: list[str] = []
        for key in present:
            items.extend(_string_list(lookup(meta, key)[1], key, bad, split_commas=split_commas))
        return list(dict.fromkeys(items)) if len(present) > 1 else items

    key, raw = value_of("title")
    if raw is not None:
        if isinstance(raw, str | int | float) and not isinstance(raw, bool):
            article.title = str(raw).strip()
        else:
            bad(key, f"'{key}' must be text, not {_kind(raw)}")

    for name in ("date", "updated", "expires"):
        key, raw = value_of(name)
        if is_empty(raw):
            continue
        try:
            setattr(article, name, parse_date(raw, tz, fields.date_formats))
        except ValueError:
            bad(key, f"'{key}' is not a date: {_preview(raw)}")
    named = file_name_date(path) if fields.file_name_dates else None
    if article.date is None and named is not None and value_of("date")[1] in (None, ""):
        article.date = datetime.combine(named[0], time(), tzinfo=tz)

    article.authors = text_list("author", split_commas=False)
    article.tags = text_list("tags", split_commas=True)
    article.related = text_list("related", split_commas=False)
    article.aliases = text_list("aliases", split_commas=False)

    key, raw = value_of("category")
    if isinstance(raw, list):
        names = [str(item).strip() for item in raw if isinstance(item, str | int) and str(item)]
        article.category = names[0] if names else None
    elif isinstance(raw, str | int) and not isinstance(raw, bool):
        article.category = str(raw).strip() or None
    elif raw is not None:
        bad(key, f"'{key}' must be text, not {_kind(raw)}")

    for name in ("summary", "lang"):
        key, raw = value_of(name)
        if raw is None:
            continue
        if isinstance(raw, str | int | float) and not isinstance(raw, bool):
            setattr(article, name, str(raw).strip() or None)
        else:
            bad(key, f"'{key}' must be text, not {_kind(raw)}")

    key, raw_slug = value_of("slug")
    if isinstance(raw_slug, str | int) and not isinstance(raw_slug, bool) and str(raw_slug).strip():
        article.slug = slug_of(str(raw_slug)) or slug_from_path(path, fields.file_name_dates)
    else:
        if raw_slug is not None and raw_slug != "":
            bad(key, f"'{key}' must be text, not {_kind(raw_slug)}")
        article.slug = slug_from_path(path, fields.file_name_dates)

    article.declared_status = _declared_status(meta, bad, path, fields.draft_folders)
    article.status = effective_status(article.declared_status, article.date, now)
    return article


def slug_of(value: str) -> str:
    """The slug a ``slug`` value gives: itself, or the last part of a path (Docusaurus writes
    ``slug: /docs/intro``)."""
    text = value.strip()
    if "/" in text:
        text = text.rstrip("/").rsplit("/", 1)[-1]
    return text


_NAME_DATE = re.compile(r"(\d{4})-(\d{2})-(\d{2})-(.+)")


def file_name_date(path: Path) -> tuple[date, str] | None:
    """Jekyll's post name ``YYYY-MM-DD-slug.md``: its date and the rest (the slug); also for
    a page bundle's folder (``2014-09-25-slug/index.md``). None for other names."""
    stem = path.stem
    if stem in ("index", "_index") and path.parent.name:
        stem = path.parent.name
    match = _NAME_DATE.fullmatch(stem)
    if match is None:
        return None
    try:
        day = date(int(match.group(1)), int(match.group(2)), int(match.group(3)))
    except ValueError:
        return None
    return day, match.group(4)


def effective_status(declared: Status, when: _Moment | None, now: _Moment | None) -> Status:
    """Draft stays draft; a published article dated after ``now`` is scheduled. ``when`` and
    ``now`` are aware datetimes, or both the same kind of ordered key (``core.listing``)."""
    if declared is Status.DRAFT:
        return Status.DRAFT
    if now is None:
        now = current_time()
    if when is not None and when > now:  # type: ignore[operator]
        return Status.SCHEDULED
    if declared is Status.SCHEDULED and when is None:
        return Status.SCHEDULED
    return Status.PUBLISHED


_Moment = datetime | int


def current_time() -> datetime:
    """Now, as an aware datetime. ``LUSHBEAT_NOW`` (ISO 8601) pins it, for reproducible
    builds and tests, the way SOURCE_DATE_EPOCH pins build dates."""
    pinned = os.environ.get("LUSHBEAT_NOW")
    if pinned:
        try:
            moment = datetime.fromisoformat(pinned.replace("Z", "+00:00"))
        except ValueError:
            moment = None
        if moment is not None:
            return moment if moment.tzinfo else moment.replace(tzinfo=UTC)
    return datetime.now(UTC)


def _declared_status(
    meta: dict[str, Any], bad: Any, path: Path, draft_folders: tuple[str, ...]
) -> Status:
    """``status``; else a draft by Hugo's ``draft: true``, Jekyll's ``published: false`` or a
    drafts folder (``_drafts/``); else published."""
    raw = meta.get("status")
    if raw is not None:
        try:
            return Status(str(raw).strip().lower())
        except ValueError:
            bad("status", f"'status' must be draft, published or scheduled, not {_preview(raw)}")
    if _flag(meta.get("draft")) is True or _flag(meta.get("published")) is False:
        return Status.DRAFT
    if draft_folders and not draft_folders_free(path, draft_folders):
        return Status.DRAFT
    return Status.PUBLISHED


def draft_folders_free(path: Path, draft_folders: tuple[str, ...]) -> bool:
    """Whether no folder above ``path`` is one of ``draft_folders`` (by name)."""
    names = {folder.strip("/") for folder in draft_folders}
    return not any(part in names for part in path.parent.parts)


def _flag(value: Any) -> bool | None:
    """A true/false front-matter value (also written as text), else None."""
    if isinstance(value, bool):
        return value
    if isinstance(value, str) and value.strip().lower() in ("true", "false"):
        return value.strip().lower() == "true"
    return None


def _string_list(raw: Any, key: str, bad: Any, *, split_commas: bool) -> list[str]:
    if raw is None or raw == "":
        return []
    if isinstance(raw, str):
        parts = raw.split(",") if split_commas else [raw]
        return [part.strip() for part in parts if part.strip()]
    if isinstance(raw, list):
        items: list[str] = []
        for item in raw:
            if isinstance(item, str | int | float) and not isinstance(item, bool):
                text = str(item).strip()
                if text:
                    items.append(text)
            elif isinstance(item, dict) and isinstance(item.get("name"), str):
                items.append(item["name"].strip())  # e.g. authors: [{name: ...}]
            else:
                bad(key, f"'{key}' must be a list of text, found {_kind(item)}")
        return items
    if isinstance(raw, int | float) and not isinstance(raw, bool):
        return [str(raw)]
    bad(key, f"'{key}' must be a list of text, not {_kind(raw)}")
    return []


def _kind(value: Any) -> str:
    if isinstance(value, bool):
        return "true/false"
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, int | float):
        return "a number"
    if isinstance(value, datetime | date):
        return "a date"
    return type(value).__name__


def _preview(value: Any) -> str:
    text = repr(value) if not isinstance(value, str) else f"'{value}'"
    return text if len(text) <= 40 else text[:37] + "..."


_DATE_ONLY = re.compile(r"^\d{4}-?\d{2}-?\d{2}$")


def parse_date(value: Any, tz: tzinfo, formats: tuple[str, ...] = ()) -> datetime:
    """A front-matter date as an aware datetime; naive values take ``tz``.

    Accepts YAML/TOML timestamps and dates, ``YYYY-MM-DD``, and ISO 8601 with or without
    an offset (``T`` or space separator, ``Z``); then text in one of ``formats`` (strptime
    codes, a site's own such as ``%m/%d/%Y``). Raises ValueError otherwise.
    """
    if isinstance(value, datetime):
        return value if value.tzinfo is not None else value.replace(tzinfo=tz)
    if isinstance(value, date):
        return datetime.combine(value, time(), tzinfo=tz)
    if not isinstance(value, str):
        raise ValueError(f"not a date: {value!r}")
    text = value.strip()
    if not text or len(text) > 40:
        raise ValueError(f"not a date: {value!r}")
    if _DATE_ONLY.match(text):
        return datetime.combine(date.fromisoformat(text), time(), tzinfo=tz)
    if text.isdigit():
        raise ValueError(f"not a date: {value!r}")
    if text.endswith(("z", "Z")):
        text = text[:-1] + "+00:00"
    try:
        parsed = datetime.fromisoformat(text)
    except ValueError:
        loose = parse_loose_date(value)
        if loose is None:
            for fmt in formats:
                try:
                    parsed = datetime.strptime(value.strip(), fmt)
                except ValueError:
                    continue
                return parsed if parsed.tzinfo is not None else parsed.replace(tzinfo=tz)
            raise
        if not isinstance(loose, datetime):
            return datetime.combine(loose, time(), tzinfo=tz)
        parsed = loose
    return parsed if parsed.tzinfo is not None else parsed.replace(tzinfo=tz)


# Dates as Hugo and Jekyll also accept them: one-digit month, day or hour, a space before the
# offset, an offset without minutes (`2015-03-17 14:00:00 -4`).
_LOOSE_DATE = re.compile(
    r"(\d{4})-(\d{1,2})-(\d{1,2})"
    r"(?:(?:[Tt]|[ \t]+)(\d{1,2}):(\d{2})(?::(\d{2})(?:[.,](\d{1,6})\d*)?)?"
    r"[ \t]*([Zz]|[+-]\d{1,2}(?::?\d{2})?)?)?"
)


def parse_loose_date(text: str) -> date | datetime | None:
    """A date or date-time written loosely (see ``_LOOSE_DATE``), as written: a ``date``, or a
    ``datetime`` that is naive unless the text has an offset. None if it is no such date."""
    match = _LOOSE_DATE.fullmatch(text.strip())
    if match is None:
        return None
    year, month, day, hour, minute, second, fraction, offset = match.groups()
    try:
        if hour is None:
            return date(int(year), int(month), int(day))
        zone: tzinfo | None = None
        if offset in ("Z", "z"):
            zone = UTC
        elif offset:
            digits = offset[1:].replace(":", "")
            hours, minutes = (
                (int(digits), 0) if len(digits) <= 2 else (int(digits[:-2]), int(digits[-2:]))
            )
            sign = -1 if offset[0] == "-" else 1
            zone = timezone(sign * timedelta(hours=hours, minutes=minutes))
        micro = int((fraction or "0").ljust(6, "0"))
        return datetime(
            int(year), int(month), int(day), int(hour), int(minute), int(second or 0), micro, zone
        )
    except ValueError:
        return None


def is_strict_date_text(text: str) -> bool:
    """True when ``text`` is a date in ISO 8601 form, read without leniency."""
    text = text.strip()
    if _DATE_ONLY.match(text):
        try:
            date.fromisoformat(text)
        except ValueError:
            return False
        return True
    if text.endswith(("z", "Z")):
        text = text[:-1] + "+00:00"
    try:
        datetime.fromisoformat(text)
    except ValueError:
        return False
    return True


def parse_date_bound(text: str, tz: tzinfo, *, end: bool = False) -> datetime:
    """A ``--since``/``--until`` value; a bare date covers its whole day when ``end``."""
    moment = parse_date(text, tz)
    if end and _DATE_ONLY.match(text.strip()):
        moment = moment.replace(hour=23, minute=59, second=59, microsecond=999999)
    return moment


# ---------------------------------------------------------------- slugs

_TRANSLITERATE = str.maketrans(
    {
        "ß": "ss",
        "æ": "ae",
        "Æ": "ae",
        "ø": "o",
        "Ø": "o",
        "œ": "oe",
        "Œ": "oe",
        "ł": "l",
        "Ł": "l",
        "đ": "d",
        "Đ": "d",
        "ð": "d",
        "þ": "th",
        "ı": "i",
        "&": " and ",
        "’": "",
        "'": "",
    }
)


def slugify(title: str, max_length: int = SLUG_MAX_LENGTH) -> str:
    """A URL- and file-safe slug: ASCII, lower-case, hyphenated, bounded, never empty.

    >>> slugify("Pilpres Venezuela Menghadirkan Pemimpin Baru, Nicholas Maduro")
    'pilpres-venezuela-menghadirkan-pemimpin-baru-nicholas-maduro'
    """
    text = unicodedata.normalize("NFKD", title.translate(_TRANSLITERATE))
    text = text.encode("ascii", "ignore").decode("ascii").lower()
    slug = re.sub(r"[^a-z0-9]+", "-", text).strip("-")
    if len(slug) > max_length:
        cut = slug[:max_length]
        slug = cut.rsplit("-", 1)[0] if "-" in cut[max_length // 2 :] else cut
        slug = slug.strip("-")
    return slug or "untitled"


def slug_from_path(path: Path, file_name_dates: bool = False) -> str:
    """Hugo's rule: the file's stem, or the folder's name for a page bundle (index.md); with
    ``file_name_dates``, Jekyll's: the name without its ``YYYY-MM-DD-`` date.

    A slug is text (URLs, JSON, ``related:``): a byte of the name that is not UTF-8 becomes
    U+FFFD, as any UTF-8 decoder shows it (and LB203 asks for a proper slug)."""
    stem = path.stem
    if stem in ("index", "_index") and path.parent.name:
        stem = path.parent.name
    if file_name_dates:
        named = file_name_date(path)
        if named is not None:
            stem = named[1]
    if not stem.isascii():
        stem = stem.encode("utf-8", "surrogateescape").decode("utf-8", "replace")
    return stem


def is_valid_slug(slug: str) -> bool:
    return bool(re.fullmatch(r"[a-z0-9]+(?:-[a-z0-9]+)*", slug)) and len(slug) <= 200
