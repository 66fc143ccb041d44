"""The search query language: safe translation to FTS5, grouping, errors; typo correction."""

from __future__ import annotations

import re
import sqlite3
from datetime import UTC, datetime
from pathlib import Path

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from lushbeat_cli.core.article import Article
from lushbeat_cli.core.config import load_config
from lushbeat_cli.core.fuzzy import closest_word
from lushbeat_cli.core.index import open_index
from lushbeat_cli.core.search import (
    _SNIPPET_GAP_CHARS,
    ELLIPSIS,
    MARK_CLOSE,
    MARK_OPEN,
    SNIPPET_MAX_CHARS,
    SNIPPET_SCAN_CHARS,
    SNIPPET_WORDS,
    SearchOptions,
    fts_expression,
    make_snippet,
    parse_query,
    run_search,
)
from lushbeat_cli.errors import UsageError
from tests.conftest import Project

NOW = datetime(2026, 1, 1, tzinfo=UTC)


@pytest.mark.parametrize(
    ("query", "expression"),
    [
        ("pilpres venezuela", '"pilpres" AND "venezuela"'),
        ("Énergie", '"energie"'),
        ('"Bank Indonesia" rupiah', '"bank indonesia" AND "rupiah"'),
        ("pemil*", '"pemil" *'),
        ('"suku bun"*', '"suku bun" *'),
        ("maduro -draft", '("maduro") NOT ("draft")'),
        ('maduro -"suku bunga"', '("maduro") NOT ("suku bunga")'),
        ("a OR b c", '("a" OR "b") AND "c"'),
        ("covid-19", '"covid 19"'),
        ("title:foo", '"title foo"'),
        ("NEAR(a b)", '"near a" AND "b"'),
        ("a AND b", '"a" AND "and" AND "b"'),
        ("x NOT y", '"x" AND "not" AND "y"'),
        ("^start", '"start"'),
        ("a - b", '"a" AND "b"'),
        ("{title}: x", '"title" AND "x"'),
    ],
)
def test_queries_translate_to_quoted_fts(query: str, expression: str) -> None:
    assert fts_expression(parse_query(query)) == expression


def test_field_filter_applies_to_every_phrase() -> None:
    assert fts_expression(parse_query("a OR b -c"), "title") == (
        '((title : "a" OR title : "b")) NOT (title : "c")'
    )


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ('"unclosed', "unterminated quote"),
        ("OR maduro", "OR needs a search word on each side"),
        ("maduro OR", "OR needs a search word on each side"),
        ("a OR OR b", "OR needs a search word on each side"),
        ("a OR -b", "OR cannot join an excluded word"),
        ("-only -exclusions", "only excludes"),
        ("", "no words to search for"),
        ("!!! ... ***", "no words to search for"),
    ],
)
def test_malformed_queries_are_usage_errors(query: str, message: str) -> None:
    with pytest.raises(UsageError, match=message):
        parse_query(query)


def test_unknown_field_is_a_usage_error() -> None:
    with pytest.raises(UsageError, match="--field"):
        fts_expression(parse_query("x"), "author")


@given(st.text(max_size=40))
def test_no_typed_text_ever_breaks_fts5(text: str) -> None:
    """Whatever is typed either parses to a valid FTS5 expression or is a UsageError."""
    try:
        expression = fts_expression(parse_query(text))
    except UsageError:
        return
    conn = sqlite3.connect(":memory:")
    conn.execute(
        "CREATE VIRTUAL TABLE t USING fts5(title, summary, tags, body,"
        " tokenize = 'unicode61 remove_diacritics 2')"
    )
    conn.execute("SELECT * FROM t WHERE t MATCH ?", (expression,)).fetchall()


def test_closest_word_prefers_the_commoner_of_equals() -> None:
    vocabulary = [("venezuela", 10), ("venezuelan", 2), ("vanuatu", 5)]
    assert closest_word("venezulea", vocabulary) == "venezuela"
    assert closest_word("xyzxyzxyz", vocabulary) is None
    assert closest_word("hause", [("house", 3), ("haute", 9)]) == "haute"


def test_run_search_without_index_file_leaves_no_database(project: Project) -> None:
    project.article("a.md", title="Pilpres Venezuela", body="Maduro menang.\n")
    config = load_config(project.root)
    result = run_search(config, SearchOptions("maduro"), NOW, use_index=False)
    assert [hit.article.title for hit in result.hits] == ["Pilpres Venezuela"]
    assert result.hits[0].matched_terms == ["maduro"]
    assert not (project.root / ".lushbeat").exists()


def test_prefix_and_typo_corrections(project: Project) -> None:
    project.article("a.md", title="Pemilu 2024", body="Pemilihan umum.\n")
    config = load_config(project.root)
    result = run_search(config, SearchOptions("pemil"), NOW)
    assert [c.message() for c in result.corrections] == [
        'searching for "pemil*" instead of "pemil"'
    ]
    assert result.hits[0].matched_terms == ["pemilihan", "pemilu"]
    typo = run_search(config, SearchOptions("pemilhan"), NOW)
    assert [c.used for c in typo.corrections] == ["pemilihan"]
    exact = run_search(config, SearchOptions("pemilhan", exact=True), NOW)
    assert exact.hits == [] and exact.corrections == []


def test_typo_correction_sees_words_added_after_the_vocabulary_was_copied(
    project: Project,
) -> None:
    project.article("a.md", title="Ikan zebra", body="Zebrafish berenang.\n")
    config = load_config(project.root)
    assert [c.used for c in run_search(config, SearchOptions("zebrafsh"), NOW).corrections] == [
        "zebrafish"
    ]
    project.article("b.md", title="Alat musik", body="Xylophone berbunyi.\n")
    assert [c.used for c in run_search(config, SearchOptions("xylophne"), NOW).corrections] == [
        "xylophone"
    ]
    (project.content / "a.md").unlink()
    assert run_search(config, SearchOptions("zebrafsh"), NOW).corrections == []
    with open_index(config) as index:  # the copy is current again, and equals the live counts
        live = index.conn.execute("SELECT term, doc FROM vocab ORDER BY term").fetchall()
        assert sorted(index.vocabulary()) == live


def test_typo_correction_works_on_an_index_it_cannot_write(
    project: Project, monkeypatch: pytest.MonkeyPatch
) -> None:
    project.article("a.md", title="Ikan zebra", body="Zebrafish berenang.\n")
    config = load_config(project.root)
    run_search(config, SearchOptions("zebra"), NOW)
    with open_index(config) as index:
        index.conn.execute("DELETE FROM meta WHERE key = 'terms_fresh'")
        index.conn.execute("PRAGMA query_only = ON")  # as a read-only file would behave
        assert ("zebrafish", 1) in index.vocabulary(8, 10)


def test_a_filtered_search_looks_past_the_first_batch(project: Project) -> None:
    for number in range(250):
        project.article(f"{number:03}.md", title=f"Berita {number}", tags=["umum"])
    project.article("zz.md", title="Berita khusus", tags=["khusus"])
    config = load_config(project.root)
    with open_index(config) as index:
        index.refresh()
    from lushbeat_cli.core.query import ArticleQuery

    options = SearchOptions("berita", filters=ArticleQuery(tags=("khusus",)))
    result = run_search(config, options, NOW)
    assert [hit.article.path.name for hit in result.hits] == ["zz.md"]


def test_typo_correction_never_waits_for_another_writer(project: Project) -> None:
    project.article("a.md", title="Ikan zebra", body="Zebrafish berenang.\n")
    config = load_config(project.root)
    run_search(config, SearchOptions("zebra"), NOW)
    with open_index(config) as writer, open_index(config) as reader:
        reader.conn.execute("DELETE FROM meta WHERE key = 'terms_fresh'")
        writer.conn.execute("BEGIN IMMEDIATE")  # another process holds the write lock
        try:
            assert ("zebrafish", 1) in reader.vocabulary(8, 10)  # read live, at once
        finally:
            writer.conn.execute("ROLLBACK")
        assert reader.conn.execute("PRAGMA busy_timeout").fetchone()[0] > 0  # restored


# ---------------------------------------------------------------- snippets

_WORDS = ("harga", "cabai", "naik", "pasar", "induk", "sepi")


def _fts5_snippet(article: Article, expression: str) -> str:
    """What FTS5's snippet() gives for one article (the reference make_snippet follows): from
    the body, or from the best field when the body has no word (FTS5 itself would return a
    body of punctuation alone)."""
    conn = sqlite3.connect(":memory:")
    conn.execute(
        "CREATE VIRTUAL TABLE t USING fts5(title, summary, tags, body,"
        " tokenize = 'unicode61 remove_diacritics 2')"
    )
    fields = (article.title, article.summary or "", " ".join(article.tags), article.body)
    conn.execute("INSERT INTO t VALUES (?, ?, ?, ?)", fields)
    for column in (3, -1) if any(char.isalnum() for char in article.body) else (-1,):
        row = conn.execute(
            "SELECT snippet(t, ?, ?, ?, ?, ?) FROM t WHERE t MATCH ?",
            (column, MARK_OPEN, MARK_CLOSE, ELLIPSIS, SNIPPET_WORDS, expression),
        ).fetchone()
        if row is None:
            return "(no match)"
        if row[0].strip(ELLIPSIS + " \n") or column == -1:
            return str(row[0])
    return ""


def _snippet_article(body: str, title: str = "Judul", tags: tuple[str, ...] = ()) -> Article:
    return Article(Path("a.md"), {}, body, title=title, tags=list(tags))


_pieces = st.one_of(st.sampled_from(_WORDS), st.sampled_from((". ", ": ", ", ", "\n", " - ")))
_texts = st.lists(_pieces, max_size=120).map(" ".join)
_LONG_GAP = re.compile(rf"[^\w]{{{_SNIPPET_GAP_CHARS + 1},}}")
_queries = st.lists(
    st.sampled_from((*_WORDS, "cab*", '"harga cabai"', '"naik pasar"', "pasar OR sepi")),
    min_size=1,
    max_size=3,
).map(" ".join)


@settings(max_examples=300)
@given(
    body=st.one_of(_texts, st.lists(_pieces, min_size=30, max_size=200).map(" ".join)),
    title=_texts,
    query=_queries,
)
def test_snippets_are_the_ones_fts5_would_cut(body: str, title: str, query: str) -> None:
    # FTS5 keeps a long run of punctuation whole; make_snippet shortens it (tested below)
    assume(not _LONG_GAP.search(body + "\n" + title))
    parsed = parse_query(query)
    article = _snippet_article(body, title or "x")
    expected = _fts5_snippet(article, fts_expression(parsed))
    if expected != "(no match)":
        assert make_snippet(article, parsed) == expected


def test_snippet_marks_each_match_and_a_phrase_as_one() -> None:
    body = "Pedagang mengeluh. Harga cabai naik lagi, harga bawang juga naik."
    snippet = make_snippet(_snippet_article(body), parse_query('"harga cabai" naik'))
    assert snippet == (
        "Pedagang mengeluh. \ue000Harga cabai\ue001 \ue000naik\ue001 lagi, harga bawang"
        " juga \ue000naik\ue001."
    )


def test_snippet_of_an_article_without_body_comes_from_the_matching_field() -> None:
    article = _snippet_article("", title="Rupiah menguat", tags=("cabai", "harga"))
    assert make_snippet(article, parse_query("cabai")) == "\ue000cabai\ue001 harga"
    assert make_snippet(_snippet_article("  \n", title=""), parse_query("x")) == ""


@pytest.mark.parametrize(
    ("body", "query"),
    [
        ("cabai " * 400_000, "cabai"),  # one word matching 400,000 times
        ("cabai\n" * 400_000, '"cabai cabai"'),
        ("x" * 3_000_000, "x*"),  # one enormous word
        ("harga" + "," * 3_000_000 + "cabai", "harga cabai"),  # an enormous gap
        ("a " * 600_000 + "cabai naik", "cabai"),  # the only match beyond the scanned part
    ],
)
def test_snippets_stay_short_and_read_a_bounded_part(body: str, query: str) -> None:
    snippet = make_snippet(_snippet_article(body), parse_query(query))
    visible = snippet.replace(MARK_OPEN, "").replace(MARK_CLOSE, "")
    assert 0 < len(visible) <= SNIPPET_MAX_CHARS + 1
    assert snippet.count(MARK_OPEN) == snippet.count(MARK_CLOSE)
    if len(body) > SNIPPET_SCAN_CHARS:
        assert visible.endswith(ELLIPSIS)
