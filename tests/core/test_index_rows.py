"""Decoding stored rows: any damage to a value gives StoredDataError (which the index repairs)
or a sound Article, never another exception."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from lushbeat_cli.core.article import Article
from lushbeat_cli.core.index import StoredDataError, codec

NOW = datetime(2026, 1, 1, tzinfo=UTC)
PATH = Path("/news/a.md")
# A row as the index stores it (the columns _decode_article reads).
ROW = {
    "fmt": "yaml",
    "meta": '{"title":"A","date":{"$date":"2024-07-29"},"tags":["x"]}',
    "positions": '[["title","date","tags"],[2,3,4],[1,1,1]]',
    "body_line": 6,
    "derived": json.dumps(
        [
            [[2, 8, "LB201", "title is short", "warning"]],
            "A",
            "a",
            ["2024-07-29T00:00:00", 1],
            None,
            ["Ana"],
            "world",
            ["x"],
            None,
            "published",
            "id",
            [],
            ["2025-01-22T00:00:00", 1],
            ["/old/a"],
        ]
    ),
    "body": "Body.\n",
}

json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=8),
    lambda inner: st.lists(inner, max_size=5) | st.dictionaries(st.text(max_size=5), inner),
    max_leaves=12,
)
texts = st.one_of(
    json_values.map(json.dumps),
    st.text(max_size=40),
    st.just("{"),
    st.just('{"$date": "not a date"}'),
    st.just('{"x": {"$bytes": "%%%"}}'),
    st.just('{"$datetime": ["2024-01-01", "fold"]}'),
)
columns = st.sampled_from(list(ROW))
values = st.one_of(texts, st.integers(), st.none(), st.binary(max_size=8))


def decode(row: dict[str, Any]) -> Article:
    return codec.decode_article(
        PATH,
        row["fmt"],
        row["meta"],
        row["positions"],
        row["body_line"],
        row["derived"],
        row["body"],
        UTC,
        NOW,
    )


def test_the_sample_row_decodes() -> None:
    article = decode(ROW)
    assert (article.title, article.tags, article.findings[0].code) == ("A", ["x"], "LB201")
    assert (article.expires, article.aliases) == (datetime(2025, 1, 22, tzinfo=UTC), ["/old/a"])


@settings(max_examples=400, deadline=None)
@given(column=columns, value=values)
def test_any_damaged_value_is_stored_data_error_or_sound(column: str, value: Any) -> None:
    try:
        article = decode({**ROW, column: value})
    except StoredDataError:
        return
    assert type(article.metadata) is dict and type(article.body) is str
    assert all(type(tag) is str for tag in article.tags)


def derived_with(position: int, value: Any) -> str:
    items = json.loads(ROW["derived"])
    items[position] = value
    return json.dumps(items)


@settings(max_examples=300, deadline=None)
@given(position=st.integers(0, 11), value=json_values)
def test_a_field_of_another_shape_is_stored_data_error_or_sound(position: int, value: Any) -> None:
    """Valid JSON in the wrong place (a title that is a list...): caught here, not later."""
    try:
        article = decode({**ROW, "derived": derived_with(position, value)})
    except StoredDataError:
        return
    assert type(article.title) is str and type(article.slug) is str
    assert all(type(name) is str for name in article.authors + article.tags + article.related)
    assert article.date is None or article.date.tzinfo is not None
    for finding in article.findings:
        assert type(finding.line) is int and type(finding.message) is str


@settings(max_examples=200, deadline=None)
@given(value=values)
def test_a_damaged_error_row_is_stored_data_error(value: Any) -> None:
    try:
        error = codec.stored_error(PATH, value)  # type: ignore[arg-type]
    except StoredDataError:
        return
    assert type(error.code) is str and type(error.message) is str
