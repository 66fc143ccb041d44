"""The listing from the index: the same bytes as the records written from Article objects.

``lushbeat list`` reads the index's entries and the records it keeps for render; these tests
hold what it writes to ``article_record`` + ``write_json``/``write_jsonl``/``write_paths`` for
random articles, for the examples, for the odd rows (errors, unstorable metadata, dangling
symlinks) and for the real corpora when ../shared is there.
"""

from __future__ import annotations

import io
import json
import os
import sqlite3
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from lushbeat_cli.core.article import Article, build_article
from lushbeat_cli.core.config import load_config
from lushbeat_cli.core.index import open_index, refresh, rows
from lushbeat_cli.core.listing import ListedRows, RecordFormat, listed_rows, moment_key
from lushbeat_cli.core.query import ArticleQuery, select_articles, sort_articles
from lushbeat_cli.core.reading.corpus import load_corpus, load_listing
from lushbeat_cli.core.reading.frontmatter import FrontMatter
from lushbeat_cli.render import machine

SHARED = Path(__file__).resolve().parents[3] / "shared" / "corpora"
NOW = datetime(2026, 11, 26, 12, tzinfo=UTC)

TEXT = st.text(st.characters(exclude_categories=("Cs",)), max_size=40)
SCALARS = st.none() | st.booleans() | st.integers() | st.floats() | TEXT
VALUES = st.recursive(
    SCALARS,
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(TEXT, inner, max_size=3),
    max_leaves=8,
)
MOMENTS = (
    st.datetimes(
        min_value=datetime(1900, 1, 1), max_value=datetime(2100, 1, 1), timezones=st.just(UTC)
    )
    | st.datetimes(timezones=st.just(timezone(timedelta(hours=7))))
    # A zone with DST: same-zone datetimes compare by wall clock, keys by instant.
    | st.datetimes(
        min_value=datetime(1970, 1, 1),
        max_value=datetime(2100, 1, 1),
        timezones=st.just(ZoneInfo("America/New_York")),
    )
)
METADATA = st.fixed_dictionaries(
    {},
    optional={
        "title": TEXT | VALUES,
        "date": MOMENTS | VALUES,
        "updated": MOMENTS,
        "author": TEXT | st.lists(TEXT, max_size=3) | VALUES,
        "category": TEXT | VALUES,
        "tags": st.lists(TEXT, max_size=4) | VALUES,
        "summary": TEXT | VALUES,
        "status": st.sampled_from(["draft", "published", "scheduled"]) | VALUES,
        "lang": TEXT,
        "related": st.lists(TEXT, max_size=3) | VALUES,
        "slug": TEXT,
    },
)


def article_of(metadata: dict[str, Any], name: str = "a.md") -> Article:
    front = FrontMatter(metadata=metadata, body="Isi.\n", format="yaml", body_line=1)
    return build_article(Path("/news/content") / name, front, UTC, NOW)


def written(records: list[dict[str, Any]], writer: Any) -> str:
    buffer = io.StringIO()
    writer(records, buffer)
    return buffer.getvalue()


def kept(article: Article, output_format: str) -> str:
    """What list writes for one article from its kept record."""
    record = machine.LIST_RECORDS[output_format].encode(article)
    rows = ListedRows([str(article.path)], [article.status], [record])
    buffer = io.StringIO()
    machine.write_listing(rows, output_format, buffer)
    return buffer.getvalue()


@settings(max_examples=300, deadline=None)
@given(metadata=METADATA, name=TEXT.filter(lambda s: "/" not in s and s not in ("", ".", "..")))
def test_kept_record_is_the_written_record(metadata: dict[str, Any], name: str) -> None:
    article = article_of(metadata, name + ".md")
    record = machine.article_record(article)
    assert kept(article, "json") == written([record], machine.write_json)
    assert kept(article, "jsonl") == written([record], machine.write_jsonl)


@given(MOMENTS, MOMENTS)
def test_moment_keys_order_like_the_instants(a: datetime, b: datetime) -> None:
    key_a, key_b = moment_key(a), moment_key(b)
    assert key_a is not None and key_b is not None
    a, b = a.astimezone(UTC), b.astimezone(UTC)
    assert (key_a < key_b) == (a < b) and (key_a == key_b) == (a == b)


def listing_bytes(root: Path, output_format: str, *, use_index: bool = True) -> tuple[str, Any]:
    config = load_config(root, None)
    record = machine.LIST_RECORDS.get(output_format)
    listing = load_listing(config, NOW, use_index=use_index, record=record)
    buffer = io.StringIO()
    entries = sort_articles(listing.entries, "date")
    machine.write_listing(listed_rows(entries, records=record is not None), output_format, buffer)
    return buffer.getvalue(), [(str(e.path), e.message) for e in listing.errors]


def article_bytes(root: Path, output_format: str) -> tuple[str, Any]:
    return selected_bytes(root, output_format, ArticleQuery())  # newest first, no filter


@pytest.mark.parametrize("output_format", ["json", "jsonl", "paths"])
def test_examples_list_the_same_from_the_index(examples_copy: Path, output_format: str) -> None:
    expected = article_bytes(examples_copy, output_format)
    assert listing_bytes(examples_copy, output_format) == expected  # builds the index
    assert listing_bytes(examples_copy, output_format) == expected  # reads it back
    assert listing_bytes(examples_copy, output_format, use_index=False) == expected
    if output_format == "json":
        assert len(json.loads(expected[0])) >= 30


FILTERS = [
    {"tags": ["venezuela"]},
    {"tags": ["VENEZUELA", "Nicolas-Maduro"]},
    {"category": "Ekonomi"},
    {"author": "redaksi lush beat"},
    {"status": "draft"},
    {"status": "scheduled"},
    {"status": "published", "since": "2024-07-01", "until": "2024-12-31"},
    {"lang": "en"},
    {"since": "2025-01-01", "sort": "path", "reverse": True, "limit": 3},
]


@pytest.mark.parametrize("options", FILTERS, ids=lambda options: ",".join(options))
def test_filtered_listings_match_the_articles(examples_copy: Path, options: dict[str, Any]) -> None:
    config = load_config(examples_copy, None)
    query = ArticleQuery.from_options(config.tz, **options)
    listing = load_listing(config, NOW, record=machine.LIST_RECORDS["json"])
    entries = [entry for entry in listing.entries if query.matches(entry)]
    entries = sort_articles(entries, query.sort, reverse=query.reverse)[: query.limit]
    listed_text = io.StringIO()
    machine.write_listing(listed_rows(entries, records=True), "json", listed_text)
    articles = select_articles(load_corpus(config, NOW, use_index=False).articles, query)
    expected = io.StringIO()
    machine.write_json([machine.article_record(article) for article in articles], expected)
    assert listed_text.getvalue() == expected.getvalue()
    assert articles, "a filter that selects nothing proves little"


def test_odd_rows_keep_their_place(project: Any) -> None:
    project.article("2024/a.md", title="A", date="2024-01-02")
    project.write("2024/b.md", "---\ntitle: [unclosed\n---\n")  # a parse error
    project.write("2024/c.md", "---\ntitle: C\ndate: 2024-01-02\nwhen: 2024-01-02 10:00\n---\n")
    project.article("2024/d.md", title="D")  # no date: last
    os.symlink("missing.md", project.content / "2024" / "e.md")  # dangling: an error
    project.write("2024/f.md", "---\ntitle: F\nx: 1e400\n---\n")  # YAML 1.1: a string
    for _ in range(2):
        assert listing_bytes(project.root, "json") == article_bytes(project.root, "json")
        assert listing_bytes(project.root, "paths") == article_bytes(project.root, "paths")
    # Edits, deletions, fixes and new files reach the listing with the next refresh.
    project.article("2024/a.md", title="A, edited", date="2025-05-05", status="draft")
    (project.content / "2024" / "d.md").unlink()
    project.write("2024/b.md", "---\ntitle: B fixed\n---\n")
    project.article("2023/new.md", title="New", date="2031-01-01")  # scheduled
    listed_json, errors = listing_bytes(project.root, "json")
    assert (listed_json, errors) == article_bytes(project.root, "json")
    titles = [record["title"] for record in json.loads(listed_json)]
    assert "A, edited" in titles and "B fixed" in titles and "D" not in titles


def test_dates_around_a_dst_change_sort_by_instant(project: Any) -> None:
    project.config('content_dir = "content"\ntimezone = "America/New_York"\n')
    project.article("a.md", title="A", date="2024-03-10T02:30:00")  # in the skipped hour
    project.article("b.md", title="B", date="2024-03-10T03:00:00")
    project.article("c.md", title="C", date="2024-11-03T01:30:00-04:00")  # before fall-back
    project.article("d.md", title="D", date="2024-11-03T01:10:00-05:00")  # after it
    expected = article_bytes(project.root, "paths")
    assert listing_bytes(project.root, "paths") == expected
    # Newest first by instant: 01:10-05:00 is 06:10 UTC, later than 01:30-04:00 (05:30 UTC);
    # 02:30 does not exist that March day and reads as EST (07:30 UTC), after 03:00 EDT
    # (07:00 UTC), although its wall clock is earlier.
    assert expected[0].split() == ["content/d.md", "content/c.md", "content/a.md", "content/b.md"]


@pytest.mark.skipif(not (SHARED / "digitalgov").is_dir(), reason="../shared corpora not found")
@pytest.mark.parametrize("corpus", ["18f", "digitalgov"])
def test_real_corpora_list_the_same_from_the_index(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, corpus: str
) -> None:
    (tmp_path / "lushbeat.toml").write_text(
        f'content_dir = "{SHARED / corpus / "content"}"\n', encoding="utf-8"
    )
    monkeypatch.chdir(tmp_path)
    expected = article_bytes(tmp_path, "json")
    assert listing_bytes(tmp_path, "json") == expected
    assert listing_bytes(tmp_path, "jsonl")[0] == article_bytes(tmp_path, "jsonl")[0]


# ---------------------------------------------------------------- rendered by the index


def ordered(root: Path, output_format: str, query: ArticleQuery) -> Any:
    config = load_config(root, None)
    record = machine.LIST_RECORDS.get(output_format)
    return load_listing(config, NOW, record=record, ordered=query)


def rendered_bytes(root: Path, output_format: str, query: ArticleQuery) -> tuple[str, Any]:
    """What list prints when the index gives the listing in order (asserting that it did), as
    text and, the same, as UTF-8 bytes written to the stream's buffer."""
    config = load_config(root, None)
    shown_root = machine.display_root(config.content_path)
    assert shown_root is not None
    listing = ordered(root, output_format, query)
    assert listing.rows is not None, "the index did not order this listing"
    buffer = io.StringIO()
    machine.write_listing(listing.rows, output_format, buffer, root=shown_root)
    stream = io.TextIOWrapper(io.BytesIO(), encoding="utf-8", newline="")
    assert machine.utf8_buffer(stream)
    stream.write("before\n")  # what was written as text stays first
    machine.write_listing(listing.rows, output_format, stream, root=shown_root)
    stream.flush()
    assert stream.buffer.getvalue().decode() == "before\n" + buffer.getvalue()
    return buffer.getvalue(), [(str(e.path), e.message) for e in listing.errors]


@pytest.mark.parametrize("output_format", ["json", "jsonl", "paths"])
def test_batches_join_like_one_write(
    examples_copy: Path, monkeypatch: pytest.MonkeyPatch, output_format: str
) -> None:
    """Listings are written in batches (bounded memory): the seams must not show."""
    expected = selected_bytes(examples_copy, output_format, ArticleQuery())
    monkeypatch.setattr(machine, "_LISTING_BATCH", 3)
    assert rendered_bytes(examples_copy, output_format, ArticleQuery()) == expected
    assert listing_bytes(examples_copy, output_format) == expected


def test_bytes_go_to_the_buffer_only_when_it_takes_utf8() -> None:
    assert machine.utf8_buffer(io.TextIOWrapper(io.BytesIO(), encoding="UTF8"))
    assert not machine.utf8_buffer(io.TextIOWrapper(io.BytesIO(), encoding="latin-1"))
    assert not machine.utf8_buffer(io.StringIO())


def selected_bytes(root: Path, output_format: str, query: ArticleQuery) -> tuple[str, Any]:
    """The same listing written from parsed articles (no index)."""
    config = load_config(root, None)
    corpus = load_corpus(config, NOW, use_index=False)
    articles = select_articles(corpus.articles, query)
    buffer = io.StringIO()
    if output_format == "paths":
        machine.write_paths((machine.display_path(a.path) for a in articles), buffer)
    else:
        writer = machine.write_json if output_format == "json" else machine.write_jsonl
        writer([machine.article_record(a) for a in articles], buffer)
    return buffer.getvalue(), [(str(e.path), e.message) for e in corpus.errors]


ORDERS = [
    {},
    {"reverse": True},
    {"sort": "path"},
    {"sort": "path", "reverse": True},
    {"limit": 4},
    {"reverse": True, "limit": 3},
    {"limit": 0},
]


@pytest.mark.parametrize("output_format", ["json", "jsonl", "paths"])
@pytest.mark.parametrize("options", ORDERS, ids=lambda options: ",".join(options) or "default")
def test_ordered_listing_is_the_written_listing(
    examples_copy: Path, output_format: str, options: dict[str, Any]
) -> None:
    query = ArticleQuery.from_options(UTC, **options)
    expected = selected_bytes(examples_copy, output_format, query)
    assert rendered_bytes(examples_copy, output_format, query) == expected  # builds the index
    assert rendered_bytes(examples_copy, output_format, query) == expected  # reads it back


def test_ordered_listing_escapes_names_and_computes_statuses(project: Any) -> None:
    """Names JSON must escape, every status rule, ties, undated articles and parse errors."""
    project.article('2024/quote"d.md', title="Q", date="2024-01-02")
    project.article("2024/back\\slash.md", title="B", date="2024-01-02")  # same date: by path
    project.article("2024/tab\there.md", title="T", date="2023-05-05")
    project.article("2024/berita-é-日本.md", title="U", date="2022-02-02")
    project.article("2024/draft-future.md", title="DF", date="2031-01-01", status="draft")
    project.article("2024/published-future.md", title="PF", date="2031-01-01")  # scheduled
    project.article("2024/scheduled-undated.md", title="SU", status="scheduled")
    project.article("2024/scheduled-past.md", title="SP", date="2020-01-01", status="scheduled")
    project.article("2024/undated.md", title="N")
    project.write("2024/broken.md", "---\ntitle: [unclosed\n---\n")
    for options in ORDERS:
        query = ArticleQuery.from_options(UTC, **options)
        for output_format in ("json", "jsonl", "paths"):
            expected = selected_bytes(project.root, output_format, query)
            assert rendered_bytes(project.root, output_format, query) == expected
    records = json.loads(selected_bytes(project.root, "json", ArticleQuery())[0])
    assert {record["status"] for record in records} == {"draft", "scheduled", "published"}


@pytest.mark.parametrize("where", ["content", "elsewhere", "root"])
def test_rendered_paths_show_from_any_working_directory(
    project: Any, monkeypatch: pytest.MonkeyPatch, tmp_path: Path, where: str
) -> None:
    project.article("2024/a.md", title="A", date="2024-01-02")
    project.article("b.md", title="B", date="2023-01-02")
    folder = {"content": project.content, "elsewhere": tmp_path, "root": project.root}[where]
    monkeypatch.chdir(folder)
    query = ArticleQuery()
    for output_format in ("json", "paths"):
        expected = selected_bytes(project.root, output_format, query)
        assert rendered_bytes(project.root, output_format, query) == expected


def test_display_root_steps_aside_inside_the_content_folder(
    project: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    """From a folder inside the content, its own files show relative and the others absolute:
    no one prefix fits, so list goes the slower way (and prints the same)."""
    project.article("2024/a.md", title="A", date="2024-01-02")
    project.article("b.md", title="B", date="2023-01-02")
    monkeypatch.chdir(project.content / "2024")
    assert machine.display_root(project.content.resolve()) is None
    config = load_config(project.root, None)
    assert machine.display_path(config.content_path / "2024" / "a.md") == "a.md"


def test_index_does_not_render_what_it_cannot_render_alike(
    project: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Filters, other sorts and rows that must be parsed again go through ``listing``."""
    project.article("a.md", title="A", date="2024-01-02", tags="x")
    cases = [
        ArticleQuery.from_options(UTC, tags=["x"]),
        ArticleQuery.from_options(UTC, sort="title"),
    ]
    for query in cases:
        listing = ordered(project.root, "json", query)
        assert listing.rows is None and len(listing.entries) == 1
    # Metadata the tagged JSON cannot hold (no parser gives such a value today) is stored raw.
    encode = rows.encode_value

    def refuse_x(metadata: Any) -> str:
        if "x" in metadata:
            raise TypeError("cannot store it")
        return encode(metadata)

    monkeypatch.setattr(rows, "encode_value", refuse_x)
    project.write("raw.md", "---\ntitle: F\nx: 1\n---\n")
    listing = ordered(project.root, "json", ArticleQuery())
    names = [Path(entry.path).name for entry in listing.entries]
    assert listing.rows is None and names == ["a.md", "raw.md"]
    query = ArticleQuery()
    assert listing_bytes(project.root, "json") == selected_bytes(project.root, "json", query)


def test_a_listing_read_ahead_of_the_scan_is_used_only_when_nothing_changed(
    project: Any,
) -> None:
    """The index renders the listing before it knows whether the files changed; an edit, a new
    file or a deletion must still show in the same command."""
    old = datetime(2024, 1, 1, tzinfo=UTC).timestamp()  # not "just modified": no racy rows
    paths = [
        project.article("a.md", title="A", date="2024-01-02"),
        project.article("b.md", title="B", date="2024-01-03"),
    ]
    for path in paths:
        os.utime(path, (old, old))
    query = ArticleQuery()
    assert rendered_bytes(project.root, "json", query) == selected_bytes(
        project.root, "json", query
    )
    paths[0].write_text("---\ntitle: A, edited\ndate: 2024-01-02\n---\n", encoding="utf-8")
    os.utime(paths[0], (old + 60, old + 60))
    text, _ = rendered_bytes(project.root, "json", query)
    assert [r["title"] for r in json.loads(text)] == ["B", "A, edited"]
    paths[1].unlink()
    text, _ = rendered_bytes(project.root, "jsonl", query)
    assert [json.loads(line)["title"] for line in text.splitlines()] == ["A, edited"]


def test_a_listing_read_ahead_reports_what_the_scan_found(
    project: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Folders the scan cannot read are errors of the listing, even when the rows were read
    before the scan ran."""
    old = datetime(2024, 1, 1, tzinfo=UTC).timestamp()
    os.utime(project.article("a.md", title="A", date="2024-01-02"), (old, old))
    query = ArticleQuery()
    rendered_bytes(project.root, "json", query)  # the index is up to date
    real = refresh.scan_manifest

    def with_a_locked_folder(root: Any, unreadable: Any = None, *rules: Any) -> Any:
        found = real(root, unreadable, *rules)
        if unreadable is not None:
            unreadable.append(("locked", "Permission denied"))
        return found

    monkeypatch.setattr(refresh, "scan_manifest", with_a_locked_folder)
    text, errors = rendered_bytes(project.root, "json", query)
    assert [record["title"] for record in json.loads(text)] == ["A"]
    assert [message for _, message in errors] == ["cannot read folder: Permission denied"]


def test_a_damaged_index_still_lists_right(project: Any) -> None:
    old = datetime(2024, 1, 1, tzinfo=UTC).timestamp()
    os.utime(project.article("a.md", title="A", date="2024-01-02"), (old, old))
    query = ArticleQuery()
    expected = selected_bytes(project.root, "json", query)
    assert rendered_bytes(project.root, "json", query) == expected
    index = project.root / ".lushbeat" / "index.sqlite"
    data = bytearray(index.read_bytes())
    data[100:4096] = b"\xff" * (4096 - 100)  # garbage over the schema page
    index.write_bytes(bytes(data))
    assert rendered_bytes(project.root, "json", query) == expected


def test_damage_met_only_by_the_error_query_is_repaired(project: Any) -> None:
    """The parse errors are read through their own index: damage there, found after the
    listing was read, is repaired like any other (not a crash)."""
    old = datetime(2024, 1, 1, tzinfo=UTC).timestamp()
    for name in ("a.md", "b.md"):
        os.utime(project.article(name, title=name, date="2024-01-02"), (old, old))
    query = ArticleQuery()
    expected = selected_bytes(project.root, "paths", query)
    assert rendered_bytes(project.root, "paths", query) == expected
    config = load_config(project.root, None)
    with open_index(config) as index:
        index.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        page = index.conn.execute(
            "SELECT rootpage FROM sqlite_master WHERE name = 'files_errors'"
        ).fetchone()[0]
        size = index.conn.execute("PRAGMA page_size").fetchone()[0]
    location = config.index_path
    data = bytearray(location.read_bytes())
    data[(page - 1) * size : page * size] = b"\xff" * size
    location.write_bytes(bytes(data))
    listing = load_listing(config, NOW, ordered=query)
    assert listing.rows is not None and sorted(listing.rows.paths) == ["a.md", "b.md"]
    assert any("rebuilt" in notice for notice in listing.notices)


# ---------------------------------------------------------------- the records the index keeps


def counting(version: str, made: list[str], mark: bytes = b"") -> RecordFormat:
    """list's json records under ``version``, noting each article whose record is made."""
    real = machine.LIST_RECORDS["json"]

    def encode(article: Article) -> bytes:
        made.append(article.path.name)
        return mark + real.encode(article)

    return RecordFormat("json", version, encode)


def test_records_are_made_once_and_kept_until_the_file_or_the_version_changes(
    project: Any,
) -> None:
    """render owns the records: the index keeps what it was given until the file changes or
    render's version does, and then never serves a stale one."""
    old = datetime(2024, 1, 1, tzinfo=UTC).timestamp()
    paths = [
        project.article("a.md", title="A", date="2024-01-02"),
        project.article("b.md", title="B", date="2024-01-03"),
    ]
    for path in paths:
        os.utime(path, (old, old))
    config = load_config(project.root, None)
    made: list[str] = []

    def listing(record: RecordFormat, *, filtered: bool = False) -> Any:
        made.clear()
        return load_listing(config, NOW, record=record, ordered=None if filtered else query)

    query = ArticleQuery()

    # render's own version names the fields: a changed key is a new version.
    assert " ".join(machine.ARTICLE_FIELDS) in machine.RECORD_VERSION
    first = listing(counting("1", made))
    assert first.rows is not None and sorted(made) == ["a.md", "b.md"]
    assert listing(counting("1", made)).rows == first.rows and made == []  # kept
    paths[0].write_text("---\ntitle: A, edited\ndate: 2024-01-02\n---\n", encoding="utf-8")
    os.utime(paths[0], (old + 60, old + 60))
    assert listing(counting("1", made)).rows is not None and made == ["a.md"]
    # Another version (render changed its record): every record is made again.
    second = listing(counting("2", made, mark=b"2"))
    assert sorted(made) == ["a.md", "b.md"]
    assert second.rows is not None and all(r.startswith(b"2") for r in second.rows.records)
    listing(counting("1", made))
    assert sorted(made) == ["a.md", "b.md"]  # (version 1's records went with version 2)
    # The filtered way reads the same kept records.
    entries = listing(counting("1", made), filtered=True).entries
    assert (
        made == []
        and [entry.record for entry in entries] == listing(counting("1", made)).rows.records[::-1]
    )


def test_records_are_made_for_the_command_alone_when_the_index_is_busy(project: Any) -> None:
    old = datetime(2024, 1, 1, tzinfo=UTC).timestamp()
    os.utime(project.article("a.md", title="A", date="2024-01-02"), (old, old))
    query = ArticleQuery()
    expected = selected_bytes(project.root, "json", query)
    config = load_config(project.root, None)
    load_listing(config, NOW, ordered=query)  # the index is up to date (no records yet)
    writer = sqlite3.connect(config.index_path, isolation_level=None)
    writer.execute("BEGIN IMMEDIATE")  # another process writing: no wait for it
    try:
        assert rendered_bytes(project.root, "json", query) == expected
    finally:
        writer.execute("ROLLBACK")
        writer.close()
    made: list[str] = []
    load_listing(config, NOW, record=counting(machine.RECORD_VERSION, made), ordered=query)
    assert made == ["a.md"]  # none was kept while the index was busy
