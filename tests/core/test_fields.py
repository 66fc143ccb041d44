"""The field mapping ([fields]): which keys each field is read from, a site's own date formats,
Jekyll's file-name dates and drafts folder, the draft keys of other generators."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import pytest

from lushbeat_cli.core.article import Article, Status, build_article, file_name_date
from lushbeat_cli.core.config import build_config
from lushbeat_cli.core.fields import DEFAULT_FIELDS, FieldMap, field_map, lookup
from lushbeat_cli.core.reading.frontmatter import parse_text
from lushbeat_cli.errors import ConfigError

WIB = timezone(timedelta(hours=7))
NOW = datetime(2026, 1, 1, tzinfo=UTC)


def read(text: str, path: str = "content/x.md", **table: Any) -> Article:
    fields = field_map(table) if table else DEFAULT_FIELDS
    return build_article(Path(path), parse_text(text, Path(path)), WIB, NOW, fields)


def test_other_generators_spellings_are_read_by_default() -> None:
    a = read(
        "---\ntitle: T\npublishDate: 2024-07-29\nlastmod: 2024-08-01\nexpiryDate: 2025-01-01\n"
        "aliases: [/old/t]\nredirect_from: [/older/t]\n---\n"
    )
    assert a.date == datetime(2024, 7, 29, tzinfo=WIB)
    assert a.updated == datetime(2024, 8, 1, tzinfo=WIB)
    assert a.expires == datetime(2025, 1, 1, tzinfo=WIB)
    assert a.aliases == ["/old/t", "/older/t"]
    astro = read("---\ntitle: T\npubDate: 'Jul 08 2022'\nupdatedDate: 2024-08-01\n---\n")
    assert astro.updated == datetime(2024, 8, 1, tzinfo=WIB)
    assert [f.code for f in astro.findings] == ["LB201"]  # 'Jul 08 2022' needs date_formats


def test_a_site_key_for_tags_replaces_the_defaults() -> None:
    text = "---\ntitle: T\ntags: [ignored]\ntopics: [accessibility, plain-language]\n---\n"
    assert read(text, tags=["topics"]).tags == ["accessibility", "plain-language"]
    assert read(text, tags="topics").tags == ["accessibility", "plain-language"]
    assert read(text).tags == ["ignored"]


def test_list_fields_gather_every_listed_key_single_fields_take_the_first() -> None:
    text = (
        "---\ntitle: T\ntags: [radio, cmb]\ncategories: [laporan, CMB, radio]\n"
        "summary: ''\ndescription: From description\n---\n"
    )
    a = read(text, tags=["tags", "categories"], category=["categories"])
    assert a.tags == ["radio", "cmb", "laporan", "CMB"]  # each spelling once, in order
    assert a.category == "laporan"
    assert a.summary == "From description"  # an empty first key gives way to the next


def test_a_dotted_key_is_a_literal_key_first_then_a_path() -> None:
    literal = "---\ntitle: T\nms.date: 06/28/2017\n---\n"
    a = read(literal, date=["ms.date"], date_formats=["%m/%d/%Y"])
    assert a.date == datetime(2017, 6, 28, tzinfo=WIB)
    nested = "---\ntitle: T\nparams:\n  author: Ana\n  date: 2024-07-29\n---\n"
    b = read(nested, author=["params.author"], date=["params.date"])
    assert (b.authors, b.date) == (["Ana"], datetime(2024, 7, 29, tzinfo=WIB))
    assert lookup({"a.b": 1, "a": {"b": 2}}, "a.b") == (True, 1)
    assert lookup({"a": {"c": 2}}, "a.b") == (False, None)


def test_a_value_of_the_wrong_type_is_reported_at_its_own_key() -> None:
    a = read("---\ntitle: T\nparams:\n  date: [1, 2]\n---\n", date=["params.date"])
    assert a.date is None
    [finding] = a.findings
    assert (finding.code, finding.line) == ("LB201", 3)
    assert "'params.date' is not a date" in finding.message


@pytest.mark.parametrize(
    ("formats", "raw", "expected"),
    [
        (["%m/%d/%Y"], "06/08/2017", datetime(2017, 6, 8, tzinfo=WIB)),
        (["%d/%m/%Y"], "06/08/2017", datetime(2017, 8, 6, tzinfo=WIB)),
        (["%d.%m.%Y %H:%M"], "'28.06.2017 14:05'", datetime(2017, 6, 28, 14, 5, tzinfo=WIB)),
        (["%b %d %Y"], "'Jul 08 2022'", datetime(2022, 7, 8, tzinfo=WIB)),
        (["%m/%d/%Y"], "2017-06-08", datetime(2017, 6, 8, tzinfo=WIB)),  # ISO first
    ],
)
def test_a_sites_date_formats_are_tried_after_iso(
    formats: list[str], raw: str, expected: datetime
) -> None:
    assert read(f"---\ndate: {raw}\n---\n", date_formats=formats).date == expected


def test_jekyll_file_names_give_the_date_and_the_slug() -> None:
    path = "_posts/2014-09-25-design-studio.md"
    a = read("---\ntitle: T\n---\n", path, file_name_dates=True)
    assert (a.date, a.slug) == (datetime(2014, 9, 25, tzinfo=WIB), "design-studio")
    dated = read(
        "---\ntitle: T\ndate: 2014-09-26 10:00\nslug: own\n---\n", path, file_name_dates=True
    )
    assert (dated.date, dated.slug) == (datetime(2014, 9, 26, 10, tzinfo=WIB), "own")
    off = read("---\ntitle: T\n---\n", path)
    assert (off.date, off.slug) == (None, "2014-09-25-design-studio")
    bundle = read("---\ntitle: T\n---\n", "posts/2014-09-25-studio/index.md", file_name_dates=True)
    assert (bundle.date, bundle.slug) == (datetime(2014, 9, 25, tzinfo=WIB), "studio")
    assert file_name_date(Path("2014-02-30-no-such-day.md")) is None
    assert file_name_date(Path("2014-09-25.md")) is None


@pytest.mark.parametrize(
    ("text", "path", "status"),
    [
        ("draft: true", "posts/a.md", Status.DRAFT),
        ("draft: 'true'", "posts/a.md", Status.DRAFT),
        ("published: false", "posts/a.md", Status.DRAFT),
        ("published: true", "posts/a.md", Status.PUBLISHED),
        ("title: T", "_drafts/a.md", Status.DRAFT),
        ("title: T", "site/_drafts/2024/a.md", Status.DRAFT),
        ("title: T", "posts/_drafts.md", Status.PUBLISHED),  # a file, not the folder
        ("status: published", "_drafts/a.md", Status.PUBLISHED),  # status says it
    ],
)
def test_drafts_by_key_and_by_folder(text: str, path: str, status: Status) -> None:
    assert read(f"---\n{text}\n---\n", path).declared_status is status


def test_no_drafts_folder_when_the_map_lists_none() -> None:
    a = read("---\ntitle: T\n---\n", "_drafts/a.md", draft_folders=[])
    assert a.declared_status is Status.PUBLISHED


def test_a_docusaurus_slug_path_gives_its_last_part() -> None:
    assert read("---\nslug: /docs/intro\n---\n").slug == "intro"
    assert read("---\nslug: /\n---\n", "docs/welcome.mdx").slug == "welcome"


def test_a_field_mapped_to_no_key_is_never_read() -> None:
    a = read("---\ntitle: T\nkeywords: vbaac10.chm12743\n---\n", tags=[])
    assert a.tags == []


def test_write_key_is_the_key_the_file_uses_else_the_first_listed() -> None:
    fields = field_map({"tags": ["topics", "tags"]})
    assert fields.write_key({"tags": ["a"]}, "tags") == "tags"
    assert fields.write_key({}, "tags") == "topics"
    assert field_map({"tags": []}).write_key({}, "tags") == "tags"
    assert fields.source_key({"topics": [], "tags": ["a"]}, "tags") == "tags"
    assert fields.source_key({"topics": []}, "tags") == "topics"


def config(text: str) -> FieldMap:
    import tomllib

    return build_config(tomllib.loads(text), Path("/p"), None).fields


def test_the_config_table_sets_the_map() -> None:
    fields = config(
        '[fields]\ntags = "topics"\ndate = ["date", "ms.date"]\ndate_formats = ["%m/%d/%Y"]\n'
        'file_name_dates = true\ndraft_folders = ["_unpublished"]\n'
    )
    assert fields.keys_of("tags") == ("topics",)
    assert fields.keys_of("date") == ("date", "ms.date")
    assert fields.keys_of("title") == ("title",)  # not given: the default
    assert fields.date_formats == ("%m/%d/%Y",)
    assert fields.file_name_dates is True
    assert fields.draft_folders == ("_unpublished",)
    assert config("").keys_of("tags") == ("tags", "keywords")


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("[fields]\ntopics = ['topics']\n", "unknown setting 'fields.topics'"),
        ("[fields]\ntags = 3\n", "'fields.tags' must be a list or a string"),
        ("[fields]\ntags = ['a', '']\n", "'fields.tags' must list front-matter keys"),
        ("[fields]\ndate_formats = ['%Y']\n", "which is no date format"),
        ("[fields]\ndate_formats = ['06/08/2017']\n", "which is no date format"),
        ("[fields]\ndraft_folders = ['/']\n", "'fields.draft_folders' must list folder names"),
        ("exclude = ['']\n", "'exclude' must be a list of glob patterns"),
    ],
)
def test_a_bad_table_is_a_config_error(text: str, message: str) -> None:
    with pytest.raises(ConfigError) as caught:
        config(text)
    assert message in caught.value.message


def test_the_map_is_part_of_the_settings_key() -> None:
    from lushbeat_cli.core.index import settings_key

    plain = build_config({}, Path("/p"), None)
    mapped = build_config({"fields": {"tags": ["topics"]}}, Path("/p"), None)
    excluded = build_config({"exclude": ["old/"]}, Path("/p"), None)
    assert len({settings_key(plain), settings_key(mapped), settings_key(excluded)}) == 3


def test_date_only_values_stay_dates() -> None:
    a = read("---\nms.date: 06/08/2017\n---\n", date=["ms.date"], date_formats=["%m/%d/%Y"])
    assert a.date is not None and a.date.date() == date(2017, 6, 8)
