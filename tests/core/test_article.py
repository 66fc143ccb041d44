"""The Article model: typed fields, dates, status, slugs."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from lushbeat_cli.core.article import (
    CODE_INVALID_VALUE,
    Status,
    build_article,
    is_valid_slug,
    parse_date,
    slug_from_path,
    slugify,
)
from lushbeat_cli.core.reading.frontmatter import parse_text

WIB = timezone(timedelta(hours=7))
NOW = datetime(2026, 1, 1, tzinfo=UTC)


def article(text: str, path: str = "content/x.md"):
    return build_article(Path(path), parse_text(text, Path(path)), WIB, NOW)


def test_known_fields_are_typed_and_unknown_keys_kept() -> None:
    a = article(
        "---\ntitle: ' Hello '\nslug: hello-world\ndate: 2024-07-29\n"
        "updated: 2024-07-30T10:00:00Z\n"
        "author: [Ana, Budi]\ncategory: politik\ntags: [a, b]\nsummary: S\nstatus: published\n"
        "lang: id\nrelated: [x, y]\nimage: /i.jpg\nnested: {k: 1}\n---\nBody\n"
    )
    assert a.title == "Hello"
    assert a.slug == "hello-world"
    assert a.date == datetime(2024, 7, 29, tzinfo=WIB)
    assert a.updated == datetime(2024, 7, 30, 10, tzinfo=UTC)
    assert a.authors == ["Ana", "Budi"]
    assert (a.category, a.tags, a.summary, a.lang) == ("politik", ["a", "b"], "S", "id")
    assert a.related == ["x", "y"]
    assert a.status is Status.PUBLISHED
    assert a.metadata["image"] == "/i.jpg"
    assert a.get("nested.k") == 1
    assert a.findings == []


def test_author_as_string_and_aliases_from_other_generators() -> None:
    a = article("---\nauthors: [Ana]\nexcerpt: Short\ncategories: [news, x]\n---\n")
    assert a.authors == ["Ana"]
    assert a.summary == "Short"
    assert a.category == "news"
    assert article("---\nauthor: Ana\n---\n").authors == ["Ana"]


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("2024-07-29", datetime(2024, 7, 29, tzinfo=WIB)),
        ("'2024-07-29'", datetime(2024, 7, 29, tzinfo=WIB)),
        ("2024-07-29T10:00:00", datetime(2024, 7, 29, 10, tzinfo=WIB)),
        ("'2024-07-29 10:00'", datetime(2024, 7, 29, 10, tzinfo=WIB)),
        ("2024-07-29T10:00:00+02:00", datetime(2024, 7, 29, 8, tzinfo=UTC)),
        ("'2024-07-29T10:00:00Z'", datetime(2024, 7, 29, 10, tzinfo=UTC)),
    ],
)
def test_dates_in_every_accepted_shape_become_aware(raw: str, expected: datetime) -> None:
    a = article(f"---\ndate: {raw}\n---\n")
    assert a.date == expected
    assert a.date.tzinfo is not None


def test_toml_dates() -> None:
    a = article("+++\ndate = 2024-07-29\nupdated = 2024-07-29T10:00:00\n+++\n")
    assert a.date == datetime(2024, 7, 29, tzinfo=WIB)
    assert a.updated == datetime(2024, 7, 29, 10, tzinfo=WIB)


@pytest.mark.parametrize("raw", ["yesterday", "'29/07/2024'", "12", "[2024]", "'2024-13-45'"])
def test_bad_dates_are_findings_not_crashes(raw: str) -> None:
    a = article(f"---\ntitle: x\ndate: {raw}\n---\n")
    assert a.date is None
    assert [(f.code, f.line) for f in a.findings] == [(CODE_INVALID_VALUE, 3)]


def test_wrong_types_become_findings() -> None:
    a = article("---\ntitle: [a]\ntags: {x: 1}\nstatus: live\nlang: true\n---\n")
    assert a.title == ""
    assert a.tags == []
    assert a.status is Status.PUBLISHED
    assert len(a.findings) == 4
    assert {f.line for f in a.findings} == {2, 3, 4, 5}


def test_tags_as_comma_string() -> None:
    assert article("---\ntags: 'a, b ,c'\n---\n").tags == ["a", "b", "c"]


@pytest.mark.parametrize(
    ("front", "status"),
    [
        ("status: draft", Status.DRAFT),
        ("draft: true", Status.DRAFT),
        ("draft: false", Status.PUBLISHED),
        ("status: published\ndate: 2030-01-01", Status.SCHEDULED),
        ("date: 2030-01-01", Status.SCHEDULED),
        ("status: scheduled\ndate: 2020-01-01", Status.PUBLISHED),
        ("status: scheduled", Status.SCHEDULED),
        ("status: Draft\ndate: 2030-01-01", Status.DRAFT),
        ("", Status.PUBLISHED),
    ],
)
def test_effective_status(front: str, status: Status) -> None:
    assert article(f"---\n{front}\n---\n").status is status


def test_slug_defaults_to_file_name_or_bundle_folder() -> None:
    assert article("---\ntitle: x\n---\n", "content/2024/my-post.md").slug == "my-post"
    assert slug_from_path(Path("content/my-bundle/index.md")) == "my-bundle"


@pytest.mark.parametrize(
    ("title", "slug"),
    [
        (
            "Pilpres Venezuela Menghadirkan Pemimpin Baru, Nicholas Maduro",
            "pilpres-venezuela-menghadirkan-pemimpin-baru-nicholas-maduro",
        ),
        ("Énergie & Économie à São Paulo", "energie-and-economie-a-sao-paulo"),
        ("Straße – Ærø Łódź", "strasse-aero-lodz"),
        ("🎉🔥", "untitled"),
        ("", "untitled"),
        ("../../etc/passwd", "etc-passwd"),
        ("a/b\\c", "a-b-c"),
        ("Rupiah Slides Past 16,400", "rupiah-slides-past-16-400"),
        ("Jakarta’s film festival", "jakartas-film-festival"),
    ],
)
def test_slugify(title: str, slug: str) -> None:
    assert slugify(title) == slug


def test_slugify_bounds_length_at_a_word() -> None:
    slug = slugify("kata " * 60)
    assert len(slug) <= 80
    assert not slug.endswith("-")
    assert slug.endswith("kata")


@given(st.text(max_size=300))
def test_slugify_is_always_safe(title: str) -> None:
    slug = slugify(title)
    assert slug
    assert is_valid_slug(slug)
    assert "/" not in slug and ".." not in slug
    assert len(slug) <= 80


def test_parse_date_rejects_non_dates() -> None:
    with pytest.raises(ValueError):
        parse_date(True, UTC)
    with pytest.raises(ValueError):
        parse_date("x" * 100, UTC)
