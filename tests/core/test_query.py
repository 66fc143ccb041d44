"""Filters and sorting shared by list, search, similar and export."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest

from lushbeat_cli.core.article import Article, build_article
from lushbeat_cli.core.query import ArticleQuery, WhereClause, fold, select_articles
from lushbeat_cli.core.reading.frontmatter import parse_text
from lushbeat_cli.errors import UsageError

NOW = datetime(2026, 1, 1, tzinfo=UTC)


def make(name: str, front: str) -> Article:
    path = Path(f"/c/{name}.md")
    return build_article(path, parse_text(f"---\n{front}\n---\n", path), UTC, NOW)


ARTICLES = [
    make(
        "a",
        "title: Alpha\ndate: 2024-01-10\ntags: [Venezuela, pemilu]\ncategory: Politik\n"
        "author: Ana\nlang: id\npriority: 3",
    ),
    make(
        "b",
        "title: beta\ndate: 2024-03-05\nupdated: 2024-03-06\ntags: [venezuela]\n"
        "category: internasional\nauthor: [Budi, Ana]\nlang: en\nstatus: draft",
    ),
    make("c", "title: Çharlie\ndate: 2030-01-01\ntags: [ekonomi]\nlang: id"),
    make("d", "title: delta\ntags: []\nfeatured: true"),
]


def q(**options: object) -> list[str]:
    query = ArticleQuery.from_options(UTC, **options)  # type: ignore[arg-type]
    return [a.path.stem for a in select_articles(ARTICLES, query)]


def test_default_is_everything_newest_first_undated_last() -> None:
    assert q() == ["c", "b", "a", "d"]


@pytest.mark.parametrize(
    ("options", "expected"),
    [
        ({"tags": ["venezuela"]}, ["b", "a"]),
        ({"tags": ["venezuela", "pemilu"]}, ["a"]),
        ({"tags": ["VENEZUELA"]}, ["b", "a"]),
        ({"category": "politik"}, ["a"]),
        ({"author": "ana"}, ["b", "a"]),
        ({"author": "Budi"}, ["b"]),
        ({"status": "draft"}, ["b"]),
        ({"status": "scheduled"}, ["c"]),
        ({"status": "published"}, ["a", "d"]),
        ({"since": "2024-03-05"}, ["c", "b"]),
        ({"until": "2024-03-05"}, ["b", "a"]),
        ({"since": "2024-01-01", "until": "2024-02-01"}, ["a"]),
        ({"lang": "ID"}, ["c", "a"]),
        ({"where": ["priority=3"]}, ["a"]),
        ({"where": ["featured=true"]}, ["d"]),
        ({"where": ["lang!=id"]}, ["b", "d"]),
        ({"where": ["tags=ekonomi"]}, ["c"]),
        ({"where": ["date=2024-03"]}, ["b"]),
        ({"limit": 2}, ["c", "b"]),
    ],
)
def test_filters(options: dict[str, object], expected: list[str]) -> None:
    assert q(**options) == expected


@pytest.mark.parametrize(
    ("sort", "reverse", "expected"),
    [
        ("date", True, ["a", "b", "c", "d"]),
        ("title", False, ["a", "b", "c", "d"]),
        ("title", True, ["d", "c", "b", "a"]),
        ("path", False, ["a", "b", "c", "d"]),
        ("slug", True, ["d", "c", "b", "a"]),
        ("updated", False, ["b", "a", "c", "d"]),
    ],
)
def test_sorting(sort: str, reverse: bool, expected: list[str]) -> None:
    assert q(sort=sort, reverse=reverse) == expected


@pytest.mark.parametrize(
    "options",
    [
        {"status": "live"},
        {"sort": "colour"},
        {"since": "last week"},
        {"where": ["novalue"]},
        {"limit": -1},
    ],
)
def test_bad_options_are_usage_errors(options: dict[str, object]) -> None:
    with pytest.raises(UsageError):
        q(**options)


def test_where_parse() -> None:
    assert WhereClause.parse("a.b = x") == WhereClause("a.b", "x", False)
    assert WhereClause.parse("k!=v").negate


def test_fold() -> None:
    assert fold(" Énergie ") == "energie"


def test_since_and_until_compare_instants_across_a_dst_change() -> None:
    from zoneinfo import ZoneInfo

    zone = ZoneInfo("America/New_York")
    # 01:30 after the fall-back (EST, 06:30 UTC) is later than 01:45 before it (EDT, 05:45 UTC)
    later = datetime(2024, 11, 3, 1, 30, tzinfo=zone, fold=1)
    earlier = datetime(2024, 11, 3, 1, 45, tzinfo=zone)
    article = Article(path=Path("/c/a.md"), metadata={}, body="", date=later)
    assert ArticleQuery(since=earlier).matches(article)
    assert not ArticleQuery(until=earlier).matches(article)
