"""The export request: options from flags and [export], checks, and which articles go out."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest

from lushbeat_cli.core.article import Article, Status
from lushbeat_cli.errors import ConfigError, UsageError
from lushbeat_cli.exporters import EXPORTERS, get_exporter
from lushbeat_cli.exporters.base import (
    ExportOptions,
    build_options,
    check_base_url,
    check_index_name,
    choose_articles,
)

ROOT = Path("/news")
WIB = timezone(timedelta(hours=7))


def options(**settings: object) -> ExportOptions:
    return build_options(
        settings, project_root=ROOT, content_root=ROOT / "content", default_lang="id"
    )


def test_defaults_and_settings() -> None:
    plain = options()
    assert (plain.title, plain.per_page, plain.feed_limit, plain.index_name) == (
        "news",
        20,
        20,
        "articles",
    )
    assert plain.base_url is None
    configured = options(title="Lush Beat", base_url="https://x.example/", per_page=5, index="b")
    assert configured.title == "Lush Beat"
    assert configured.base_url == "https://x.example"
    assert configured.per_page == 5
    assert configured.index_name == "b"


def test_flags_win_over_settings() -> None:
    chosen = build_options(
        {"title": "Config", "per_page": 5},
        project_root=ROOT,
        content_root=ROOT,
        default_lang="en",
        title="Flag",
        per_page=7,
        base_url="http://flag.example/news/",
    )
    assert (chosen.title, chosen.per_page, chosen.base_url) == (
        "Flag",
        7,
        "http://flag.example/news",
    )


def test_bad_values_from_flags_are_usage_errors_and_from_config_config_errors() -> None:
    with pytest.raises(UsageError, match="--per-page must be 1 or more"):
        build_options({}, project_root=ROOT, content_root=ROOT, default_lang="id", per_page=0)
    with pytest.raises(ConfigError, match=r"export\.per_page must be 1 or more"):
        options(per_page=0)
    with pytest.raises(ConfigError, match=r"export\.feed_limit"):
        options(feed_limit=0)
    with pytest.raises(ConfigError, match=r"export\.base_url must be an absolute"):
        options(base_url="example.com")
    with pytest.raises(ConfigError, match=r"export\.index"):
        options(index="UPPER")


@pytest.mark.parametrize("url", ["https://a.example", "http://a.example:8080/sub/"])
def test_good_base_urls(url: str) -> None:
    assert check_base_url(url) == url.rstrip("/")


@pytest.mark.parametrize(
    "url", ["a.example", "ftp://a.example", "https://", "https://a.example/?q=1", "/x"]
)
def test_bad_base_urls(url: str) -> None:
    with pytest.raises(UsageError):
        check_base_url(url)


@pytest.mark.parametrize("name", ["articles", "lushbeat-2024", "a.b", "berita_id"])
def test_good_index_names(name: str) -> None:
    assert check_index_name(name) == name


@pytest.mark.parametrize("name", ["", "Articles", "a b", "-x", "_x", "+x", ".", "..", "a/b", "a,b"])
def test_bad_index_names(name: str) -> None:
    with pytest.raises(UsageError):
        check_index_name(name)


def make(name: str, status: Status = Status.PUBLISHED, day: int | None = 1) -> Article:
    when = datetime(2024, 7, day, tzinfo=WIB) if day else None
    return Article(path=ROOT / f"{name}.md", metadata={}, body="", date=when, status=status)


def test_publishing_formats_keep_live_articles_newest_first_then_limit() -> None:
    articles = [
        make("old", day=1),
        make("draft", Status.DRAFT, day=9),
        make("new", day=5),
        make("later", Status.SCHEDULED, day=30),
        make("undated", day=None),
    ]
    site = get_exporter("html")
    chosen, notes = choose_articles(site, articles, options())
    assert [a.path.stem for a in chosen] == ["new", "old", "undated"]
    assert notes == ["1 draft and 1 scheduled article left out (use --include-drafts to keep them)"]
    feed = get_exporter("rss")
    chosen, notes = choose_articles(feed, articles, options(feed_limit=1))
    assert [a.path.stem for a in chosen] == ["new"]
    assert notes[-1] == "1 undated article left out"
    data, notes = choose_articles(get_exporter("json"), articles, options())
    assert [a.path.stem for a in data] == [a.path.stem for a in articles]  # as given
    assert notes == []


def test_format_names_and_suffixes() -> None:
    names = [exporter.name for exporter in EXPORTERS]
    assert names == [
        "json",
        "jsonl",
        "csv",
        "sqlite",
        "html",
        "rss",
        "atom",
        "jsonfeed",
        "opensearch",
    ]
    assert len(set(names)) == len(names)
    assert get_exporter("JSON").name == "json"
    assert get_exporter(None, Path("x.ndjson")).name == "jsonl"
    assert get_exporter(None, Path("x.SQLITE3")).name == "sqlite"
    with pytest.raises(UsageError, match="--format is needed"):
        get_exporter(None, Path("site"))
    for exporter in EXPORTERS:
        assert exporter.description
        assert not (exporter.writes_directory and not exporter.needs_path)
