"""Filters and sorting shared by list, search, similar and export.

``ArticleQuery`` is built by the CLI from flags; ``select_articles`` applies it to articles.
"""

from __future__ import annotations

import fnmatch
import unicodedata
from collections.abc import Callable, Iterable
from datetime import date, datetime, tzinfo
from pathlib import Path
from typing import Any, NamedTuple, TypeVar

from lushbeat_cli.core.article import Article, Status, parse_date_bound
from lushbeat_cli.core.listing import ListedArticle, moment_key
from lushbeat_cli.errors import UsageError

SORT_KEYS = ("date", "title", "updated", "path", "slug")
STATUS_CHOICES = ("draft", "published", "scheduled", "all")


class WhereClause(NamedTuple):
    field: str
    value: str
    negate: bool = False

    @classmethod
    def parse(cls, text: str) -> WhereClause:
        """``FIELD=VALUE`` or ``FIELD!=VALUE``, split at the first ``=`` (values may hold any)."""
        name, sep, value = text.partition("=")
        negate = name.endswith("!")
        name = name.removesuffix("!").strip()
        if not sep or not name:
            raise UsageError(f"--where expects FIELD=VALUE or FIELD!=VALUE, got {text!r}")
        return cls(name, value.strip(), negate)

    def matches(self, article: Article) -> bool:
        if self.field == "path":
            found = _path_matches(article.path, self.value)
        else:
            found = _value_matches(article.get(self.field), self.value)
        return not found if self.negate else found


class ArticleQuery(NamedTuple):
    """Which articles, in which order. Empty fields mean "no constraint"."""

    tags: tuple[str, ...] = ()
    category: str | None = None
    author: str | None = None
    status: str = "all"
    since: datetime | None = None
    until: datetime | None = None
    lang: str | None = None
    where: tuple[WhereClause, ...] = ()
    sort: str = "date"
    reverse: bool = False
    limit: int | None = None

    @classmethod
    def from_options(
        cls,
        tz: tzinfo,
        *,
        tags: Iterable[str] = (),
        category: str | None = None,
        author: str | None = None,
        status: str = "all",
        since: str | None = None,
        until: str | None = None,
        lang: str | None = None,
        where: Iterable[str] = (),
        sort: str = "date",
        reverse: bool = False,
        limit: int | None = None,
    ) -> ArticleQuery:
        """Validate raw option strings (as typed by a user) into a query."""
        if status not in STATUS_CHOICES:
            raise UsageError(f"--status must be one of {', '.join(STATUS_CHOICES)}, not {status!r}")
        if sort not in SORT_KEYS:
            raise UsageError(f"--sort must be one of {', '.join(SORT_KEYS)}, not {sort!r}")
        if limit is not None and limit < 0:
            raise UsageError("--limit must be 0 or more")
        return cls(
            tags=tuple(tags),
            category=category,
            author=author,
            status=status,
            since=_bound(since, tz, "--since", end=False),
            until=_bound(until, tz, "--until", end=True),
            lang=lang,
            where=tuple(WhereClause.parse(item) for item in where),
            sort=sort,
            reverse=reverse,
            limit=limit,
        )

    def matches(self, article: Article | ListedArticle) -> bool:
        """Whether the article passes every filter (a ListedArticle only without --where)."""
        if self.status != "all" and article.status != Status(self.status):
            return False
        if self.tags:
            have = {fold(tag) for tag in article.tags}
            if not all(fold(tag) in have for tag in self.tags):
                return False
        if self.category is not None and fold(article.category or "") != fold(self.category):
            return False
        if self.author is not None:
            wanted = fold(self.author)
            if not any(fold(name) == wanted for name in article.authors):
                return False
        if self.lang is not None and fold(article.lang or "") != fold(self.lang):
            return False
        # Instants, not wall clocks (same-zone datetimes compare by wall clock across DST).
        if self.since is not None and (
            article.date is None or _instant(article.date) < _instant(self.since)
        ):
            return False
        if self.until is not None and (
            article.date is None or _instant(article.date) > _instant(self.until)
        ):
            return False
        return all(clause.matches(article) for clause in self.where)  # type: ignore[arg-type]

    @property
    def is_unfiltered(self) -> bool:
        return (
            not self.tags
            and self.category is None
            and self.author is None
            and self.status == "all"
            and self.since is None
            and self.until is None
            and self.lang is None
            and not self.where
        )


Sortable = TypeVar("Sortable")


Selectable = TypeVar("Selectable", Article, ListedArticle)


def select_articles(articles: Iterable[Selectable], query: ArticleQuery) -> list[Selectable]:
    """Filter, sort and limit (list's entries only without ``--where``)."""
    chosen = [article for article in articles if query.matches(article)]
    chosen = sort_articles(chosen, query.sort, reverse=query.reverse)
    if query.limit is not None:
        chosen = chosen[: query.limit]
    return chosen


def sort_articles(articles: list[Sortable], key: str, *, reverse: bool = False) -> list[Sortable]:
    """Dates sort newest first (like every news list); text sorts A to Z. Ties break on path.

    Articles without the sort value go last either way. Anything with a ``path`` and the sort
    key as attributes sorts the same way (``core.listing.ListedArticle`` does, for list); the
    index's listing rows go through ``order_by_moment`` and ``order_by_path`` themselves.
    """

    def path(article: Any) -> str:
        return str(article.path)

    if key in ("date", "updated"):
        # By instant: two datetimes in one zone compare by wall clock, which a DST change
        # can put out of order (02:30 before the spring jump is after 03:00 in UTC).
        return order_by_moment(articles, path, lambda a: _instant(getattr(a, key)), reverse)
    if key == "path":
        return order_by_path(articles, path, reverse)
    by_path = sorted(articles, key=path)
    texts = [a for a in by_path if getattr(a, key)]
    blank = [a for a in by_path if not getattr(a, key)]
    texts.sort(key=lambda a: fold(getattr(a, key)), reverse=reverse)
    return texts + blank


def order_by_moment(
    items: Iterable[Sortable],
    path: Callable[[Sortable], str],
    moment: Callable[[Sortable], int | None],
    reverse: bool = False,
) -> list[Sortable]:
    """The date order: newest first (oldest first with ``reverse``), items without a moment
    last either way, ties in path order. ``moment`` gives an item's ``moment_key`` (None:
    undated), ``path`` its path as text."""
    by_path = sorted(items, key=path)
    dated = [item for item in by_path if moment(item) is not None]
    undated = [item for item in by_path if moment(item) is None]
    dated.sort(key=moment, reverse=not reverse)  # (a stable sort: ties keep path order)
    return dated + undated


def order_by_path(
    items: Iterable[Sortable], path: Callable[[Sortable], str], reverse: bool = False
) -> list[Sortable]:
    """The path order: A to Z by code point (Z to A with ``reverse``)."""
    by_path = sorted(items, key=path)
    return by_path[::-1] if reverse else by_path


def _instant(value: datetime | int) -> int:
    return value if isinstance(value, int) else moment_key(value)  # type: ignore[return-value]


def fold(text: str) -> str:
    """Case- and accent-insensitive form for comparisons ("Énergie" == "energie")."""
    decomposed = unicodedata.normalize("NFKD", text.strip().casefold())
    return "".join(char for char in decomposed if not unicodedata.combining(char))


def _bound(text: str | None, tz: tzinfo, flag: str, *, end: bool) -> datetime | None:
    if text is None:
        return None
    try:
        return parse_date_bound(text, tz, end=end)
    except ValueError:
        raise UsageError(f"{flag} expects a date like 2024-07-29, got {text!r}") from None


def _path_matches(path: Path, wanted: str) -> bool:
    """The same file, or a glob on the path's end: ``--where 'path=2024/07/*'``."""
    if not wanted:
        return False
    candidate = Path(wanted).expanduser()
    if candidate.exists():
        return candidate.resolve() == path.resolve()
    pattern = wanted if wanted.startswith(("/", "*")) else "*/" + wanted
    return fnmatch.fnmatchcase(path.as_posix(), pattern)


def _value_matches(value: Any, wanted: str) -> bool:
    if isinstance(value, list):
        return any(_value_matches(item, wanted) for item in value)
    if value is None:
        return wanted == ""
    if isinstance(value, bool):
        return wanted.lower() == ("true" if value else "false")
    if isinstance(value, datetime | date):
        return value.isoformat().startswith(wanted)
    return fold(str(value)) == fold(wanted)
