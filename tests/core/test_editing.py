"""Tests for the in-place front-matter editor (lushbeat_cli.core.edit), without the CLI."""

from __future__ import annotations

import datetime as dt
import json
import math
import re
import tomllib
from dataclasses import dataclass
from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from lushbeat_cli.core.edit import (
    REMOVE,
    FieldValue,
    FrontMatterFormat,
    apply_edits,
    detect_format,
    get_field_span,
    remove_field,
    set_field,
)
from lushbeat_cli.core.reading.frontmatter import parse_text
from lushbeat_cli.errors import EditError, ParseError

JAKARTA = dt.timezone(dt.timedelta(hours=7))

# ------------------------------------------------------------------ helpers


def split_lines(text: str) -> list[str]:
    """Lines with their endings; only LF ends a line (CR stays with the line)."""
    return re.findall(r"[^\n]*\n|[^\n]+\Z", text)


def read_front_matter(text: str) -> dict[object, object]:
    """An independent reader: split by the delimiters and load with the stock parsers."""
    text = text.removeprefix("\ufeff")
    stripped = text.lstrip()
    if stripped.startswith("{"):
        data, _ = json.JSONDecoder().raw_decode(stripped)
        return data
    lines = split_lines(text)
    opener = lines[0].strip()
    closers = ("---", "...") if opener == "---" else ("+++",)
    close = next(i for i in range(1, len(lines)) if lines[i].rstrip() in closers)
    source = "".join(lines[1:close])
    if opener == "---":
        return yaml.safe_load(source) or {}
    return tomllib.loads(source)


def same(a: object, b: object) -> bool:
    """Semantic equality: bool/int/float and date/datetime kept apart, NaN equal to NaN."""
    if isinstance(a, dict) and isinstance(b, dict):
        return a.keys() == b.keys() and all(same(a[k], b[k]) for k in a)
    if isinstance(a, list) and isinstance(b, list):
        return len(a) == len(b) and all(map(same, a, b))
    if type(a) is not type(b):
        return False
    if isinstance(a, float) and isinstance(b, float) and math.isnan(a):
        return math.isnan(b)
    if isinstance(a, dt.datetime) and isinstance(b, dt.datetime):
        return a == b and a.utcoffset() == b.utcoffset()
    return a == b


def as_json(value: FieldValue) -> object:
    return value.isoformat() if isinstance(value, dt.date) else value


# ------------------------------------------------------------------ golden cases: YAML

YAML_ARTICLE = """\
---
# Article metadata
title: Hello world   # shown on the index
'subtitle': 'It''s here'
"lede": "A \\"quoted\\" lede"
tags:
  - politics
  - economy  # main
aliases: [old-url, older-url]  # keep these
summary: |
  First line.
  Second line.

draft:
slug:
  hello-world
date: 2024-07-29
---
# Hello world

---
Body text with a rule above.
"""


@pytest.mark.parametrize(
    ("key", "value", "old_line", "new_lines"),
    [
        pytest.param(
            "title",
            "Goodbye",
            "title: Hello world   # shown on the index\n",
            "title: Goodbye   # shown on the index\n",
            id="plain-keeps-comment",
        ),
        pytest.param(
            "title",
            "Breaking: news",
            "title: Hello world   # shown on the index\n",
            'title: "Breaking: news"   # shown on the index\n',
            id="plain-needs-quotes",
        ),
        pytest.param(
            "subtitle",
            "Don't panic",
            "'subtitle': 'It''s here'\n",
            "'subtitle': 'Don''t panic'\n",
            id="single-quoted-style-and-key-kept",
        ),
        pytest.param(
            "lede",
            "plain words",
            '"lede": "A \\"quoted\\" lede"\n',
            '"lede": "plain words"\n',
            id="double-quoted-style-kept",
        ),
        pytest.param(
            "tags",
            ["world", "yes", "a, b"],
            "tags:\n  - politics\n  - economy  # main\n",
            'tags:\n  - world\n  - "yes"  # main\n  - a, b\n',  # item by item: comment kept
            id="block-list-stays-block",
        ),
        pytest.param(
            "tags",
            [],
            "tags:\n  - politics\n  - economy  # main\n",
            "tags: []\n",
            id="block-list-emptied",
        ),
        pytest.param(
            "aliases",
            ["new-url", "2024-01-01"],
            "aliases: [old-url, older-url]  # keep these\n",
            'aliases: [new-url, "2024-01-01"]  # keep these\n',
            id="flow-list-keeps-comment",
        ),
        pytest.param(
            "summary",
            "One.\nTwo.\n",
            "summary: |\n  First line.\n  Second line.\n",
            "summary: |\n  One.\n  Two.\n",
            id="block-scalar-stays-literal",
        ),
        pytest.param(
            "summary",
            "Short.",
            "summary: |\n  First line.\n  Second line.\n",
            "summary: Short.\n",
            id="block-scalar-to-plain",
        ),
        pytest.param("draft", True, "draft:\n", "draft: true\n", id="empty-value"),
        pytest.param(
            "slug", "bye", "slug:\n  hello-world\n", "slug: bye\n", id="value-on-next-line"
        ),
        pytest.param(
            "date",
            dt.datetime(2024, 7, 29, 10, 0, tzinfo=JAKARTA),
            "date: 2024-07-29\n",
            "date: 2024-07-29T10:00:00+07:00\n",
            id="datetime-iso",
        ),
        pytest.param(
            "date", dt.date(2025, 1, 2), "date: 2024-07-29\n", "date: 2025-01-02\n", id="date"
        ),
        pytest.param("date", None, "date: 2024-07-29\n", "date: null\n", id="null"),
        pytest.param("date", 1e16, "date: 2024-07-29\n", "date: 1.0e+16\n", id="float-has-dot"),
    ],
)
def test_yaml_set_replaces_only_the_entry(
    key: str, value: FieldValue, old_line: str, new_lines: str
) -> None:
    assert old_line in YAML_ARTICLE
    result = set_field(YAML_ARTICLE, key, value)
    assert result == YAML_ARTICLE.replace(old_line, new_lines, 1)
    assert same(read_front_matter(result)[key], value)


@pytest.mark.parametrize(
    ("value", "rendered"),
    [
        ("yes", '"yes"'),
        ("No", '"No"'),
        ("null", '"null"'),
        ("", '""'),
        ("123", '"123"'),
        ("1.5", '"1.5"'),
        ("2024-07-29", '"2024-07-29"'),
        ("a: b", '"a: b"'),
        ("# not a comment", '"# not a comment"'),
        (" padded ", '" padded "'),
        ("- item", '"- item"'),
        ("[x]", '"[x]"'),
        ("two\nlines", '"two\\nlines"'),
        ("tab\there", '"tab\\there"'),
        ("bell\x07", '"bell\\a"'),
        ("nel\x85", '"nel\\x85"'),
        ("ls\u2028", '"ls\\u2028"'),
        ("Ünïcode ✓", "Ünïcode ✓"),
        ("It's fine", "It's fine"),
        ("C:\\path", "C:\\path"),
    ],
)
def test_yaml_strings_are_plain_only_when_safe(value: str, rendered: str) -> None:
    text = "---\ntitle: old\n---\n"
    result = set_field(text, "title", value)
    assert result == f"---\ntitle: {rendered}\n---\n"
    assert read_front_matter(result) == {"title": value}


def test_yaml_block_list_keeps_indentless_style_and_gap() -> None:
    text = "---\ntags:\n-   'a'\n-   b\nx: 1\n---\n"  # each item keeps its own quotes
    assert set_field(text, "tags", ["c", "d"]) == "---\ntags:\n-   'c'\n-   d\nx: 1\n---\n"
    # new items copy the first item's quotes and the list's dash layout
    assert set_field(text, "tags", ["a", "b", "e"]) == (
        "---\ntags:\n-   'a'\n-   b\n-   'e'\nx: 1\n---\n"
    )


BLOCK_LIST = """---
title: X
tags:
  # topik utama
  - venezuela   # negara
  - "pemilu"  # acara

  - 'maduro'
  - extra
other: 1
---
Body
"""


@pytest.mark.parametrize(
    ("tags", "expected"),
    [
        (  # a renamed item keeps its line, quotes and comment
            ["venezuela", "pilpres", "maduro", "extra"],
            BLOCK_LIST.replace('"pemilu"', '"pilpres"'),
        ),
        (  # a dropped item takes only its own line
            ["venezuela", "maduro", "extra"],
            BLOCK_LIST.replace('  - "pemilu"  # acara\n', ""),
        ),
        (  # two neighbours merged into one: the first keeps its line, quotes and comment
            ["venezuela", "pilpres", "extra"],
            BLOCK_LIST.replace('"pemilu"', '"pilpres"').replace("\n  - 'maduro'", ""),
        ),
        (  # new items get lines of their own; the rest stays byte for byte
            ["awal", "venezuela", "pemilu", "maduro", "extra", "akhir"],
            BLOCK_LIST.replace("  - venezuela", "  - awal\n  - venezuela").replace(
                "  - extra\n", "  - extra\n  - akhir\n"
            ),
        ),
    ],
)
def test_yaml_block_list_is_edited_item_by_item(tags: list[str], expected: str) -> None:
    assert set_field(BLOCK_LIST, "tags", tags) == expected


def test_yaml_block_list_empty_items_and_multiline_items() -> None:
    text = "---\ntags:\n  -\n  - b  # bee\n---\n"
    assert set_field(text, "tags", ["x", "b"]) == "---\ntags:\n  - x\n  - b  # bee\n---\n"
    text = '---\ntags:\n  - "a\n    b"  # two lines\n  - c\nx: 1\n---\n'
    result = set_field(text, "tags", ["d", "c"])  # an item over two lines: whole rewrite
    assert read_front_matter(result) == {"tags": ["d", "c"], "x": 1}
    assert "two lines" not in result and result.endswith("x: 1\n---\n")


def test_yaml_block_list_with_nested_items_is_rewritten_whole() -> None:
    text = "---\ntags:\n  - a  # one\n  - [b, c]\nx: 1\n---\n"
    assert set_field(text, "tags", ["a", "d"]) == "---\ntags:\n  - a\n  - d\nx: 1\n---\n"


YAML_WORDS = {"yes", "no", "on", "off", "true", "false", "null", "y", "n"}  # not plain text
ITEMS = st.lists(
    st.from_regex(r"[a-z]{1,8}", fullmatch=True).filter(lambda word: word not in YAML_WORDS),
    min_size=1,
    max_size=6,
    unique=True,
)


@settings(max_examples=200, deadline=None)
@given(old=ITEMS, data=st.data())
def test_yaml_block_list_edits_keep_every_other_line(old: list[str], data: st.DataObject) -> None:
    lines = [f"  - {item}  # c{n}" for n, item in enumerate(old)]
    text = "---\ntitle: T\ntags:\n" + "\n".join(lines) + "\nz: 1\n---\nBody\n"
    new = data.draw(ITEMS)
    result = set_field(text, "tags", new)
    assert read_front_matter(result)["tags"] == new
    out = result.splitlines()
    if [i for i in old if i in new] == [i for i in new if i in old]:
        # the surviving items kept their order: each keeps its line and its comment
        for line, item in zip(lines, old, strict=True):
            if item in new:
                assert line in out, (line, result)
    assert result.startswith("---\ntitle: T\ntags:\n") and result.endswith("z: 1\n---\nBody\n")


@pytest.mark.parametrize(
    ("old", "new", "expected"),
    [
        ('[alpha, "beta"]', ["omega", "beta"], '[omega, "beta"]'),  # the example
        ('[alpha, "beta"]', ["alpha", "omega"], '[alpha, "omega"]'),
        ("['alpha', beta, \"gamma\"]", ["omega", "beta", "gamma"], "['omega', beta, \"gamma\"]"),
        ('[alpha, "beta", gamma]', ["alpha", "gamma"], "[alpha, gamma]"),
        ('[alpha, "beta", gamma]', ["alpha", "beta"], '[alpha, "beta"]'),
        ('[alpha, "beta", gamma]', ["beta", "gamma"], '["beta", gamma]'),
        ('[alpha,"beta",gamma]', ["alpha", "beta", "gamma", "delta"], '[alpha,"beta",gamma,delta]'),
        ('[ "a" ,  b ]', ["x", "b"], '[ "x" ,  b ]'),
        ("[alpha, 'beta']", ["alpha", "it's"], "[alpha, 'it''s']"),  # its quotes can hold it
        ('[alpha, "beta"]', ["a: b", "beta"], '["a: b", "beta"]'),  # plain cannot: quoted
        ("[alpha]", ["yes"], '["yes"]'),  # plain yes is a bool
        ('[alpha, "beta"]  # note', ["gamma"], "[gamma]  # note"),
        # a cleaned item takes the place and quotes of the one it cleans, not of a dropped one
        (
            "[\"Ekonomi\", ekonomi, 'Rupiah  ', rupiah]",
            ["Ekonomi", "Rupiah"],
            "[\"Ekonomi\", 'Rupiah']",
        ),
        ("[a, 'B  ', c]", ["x", "b", "c"], "[x, 'b', c]"),
        ("[a, b, c]", ["a", "x", "y", "c"], "[a, x, y, c]"),
        ("[a, b, c]", ["x", "a", "c"], "[x, a, c]"),
        ("[a, b, c]", ["a", "c", "x"], "[a, c, x]"),
    ],
)
def test_yaml_flow_list_edits_keep_every_other_item(
    old: str, new: list[str], expected: str
) -> None:
    text = f"---\ntitle: T\ntags: {old}\nz: 1\n---\nBody\n"
    result = set_field(text, "tags", new)
    assert result == text.replace(f"tags: {old}", f"tags: {expected}")
    assert read_front_matter(result)["tags"] == new


def test_yaml_multiline_flow_list_keeps_its_layout() -> None:
    text = '---\ntags: [\n  alpha,  # one\n  "beta",\n]\nx: 1\n---\n'
    assert set_field(text, "tags", ["alpha", "beta", "new"]) == (
        '---\ntags: [\n  alpha,  # one\n  "beta",\n  new,\n]\nx: 1\n---\n'
    )
    assert set_field(text, "tags", ["omega", "beta"]) == (
        '---\ntags: [\n  omega,  # one\n  "beta",\n]\nx: 1\n---\n'
    )


@pytest.mark.parametrize(
    ("text", "new", "expected"),
    [
        (
            "+++\ntags = [\"alpha\", 'beta']\n+++\n",
            ["omega", "beta"],
            "+++\ntags = [\"omega\", 'beta']\n+++\n",
        ),
        (
            "+++\ntags = [\"alpha\", 'beta']\n+++\n",
            ["alpha", "omega"],
            "+++\ntags = [\"alpha\", 'omega']\n+++\n",
        ),
        (
            "+++\ntags = ['alpha', 'beta']\n+++\n",
            ["alpha", "it's"],
            "+++\ntags = ['alpha', \"it's\"]\n+++\n",  # a literal string cannot hold '
        ),
        (
            "+++\ntags = [ \"a\" , 'b' , ]  # c\n+++\n",
            ["a", "b", "new"],
            '+++\ntags = [ "a" , \'b\' , "new" , ]  # c\n+++\n',
        ),
        (
            '{"tags": ["caf\\u00e9","beta"], "x": 1}\n',
            ["café", "omega"],
            '{"tags": ["caf\\u00e9","omega"], "x": 1}\n',
        ),
        (
            '{\n  "tags": [\n    "a",\n    "b"\n  ]\n}\n',
            ["a", "b", "c"],
            '{\n  "tags": [\n    "a",\n    "b",\n    "c"\n  ]\n}\n',
        ),
        ('{"tags": ["a", "b"]}\n', ["b"], '{"tags": ["b"]}\n'),
    ],
)
def test_toml_and_json_arrays_keep_every_other_item(
    text: str, new: list[str], expected: str
) -> None:
    result = set_field(text, "tags", new)
    assert result == expected
    assert read_front_matter(result)["tags"] == new


QUOTES = st.sampled_from(["{}", "'{}'", '"{}"'])


@settings(max_examples=200, deadline=None)
@given(old=ITEMS, data=st.data())
def test_yaml_flow_list_edits_keep_every_other_item_bytes(
    old: list[str], data: st.DataObject
) -> None:
    written = [data.draw(QUOTES).format(item) for item in old]
    separator = data.draw(st.sampled_from([", ", ",", " , ", ",\n  "]))
    text = "---\ntitle: T\ntags: [" + separator.join(written) + "]\nz: 1\n---\nBody\n"
    new = data.draw(ITEMS)
    result = set_field(text, "tags", new)
    assert read_front_matter(result)["tags"] == new
    assert result.startswith("---\ntitle: T\ntags: [") and result.endswith("z: 1\n---\nBody\n")
    for item, raw in zip(old, written, strict=True):
        if item in new:  # a kept item keeps its quotes
            assert raw in result, (raw, result)


@settings(max_examples=150, deadline=None)
@given(old=ITEMS, data=st.data())
def test_toml_and_json_array_edits_keep_every_other_item_bytes(
    old: list[str], data: st.DataObject
) -> None:
    toml = data.draw(st.booleans())
    quotes = st.sampled_from(["'{}'", '"{}"']) if toml else st.sampled_from(['"{}"'])
    written = [data.draw(quotes).format(item) for item in old]
    separator = data.draw(st.sampled_from([", ", ",", " , ", ",\n  "]))
    array = "[" + separator.join(written) + "]"
    text = f"+++\ntags = {array}\nz = 1\n+++\nB\n" if toml else f'{{"tags": {array}}}\nB\n'
    new = data.draw(ITEMS)
    result = set_field(text, "tags", new)
    assert read_front_matter(result)["tags"] == new
    for item, raw in zip(old, written, strict=True):
        if item in new:
            assert raw in result, (raw, result)


def test_yaml_multiline_flow_list_is_replaced_whole() -> None:
    text = "---\ntags: [a,\n  b,\n  c]  # note\nx: 1\n---\nbody\n"
    assert get_field_span(text, "tags") == (2, 4)
    assert set_field(text, "tags", ["z"]) == "---\ntags: [z]  # note\nx: 1\n---\nbody\n"


def test_yaml_block_scalar_span_excludes_trailing_blank_lines() -> None:
    text = "---\nbody: >\n  folded\n  text\n\n\nnext: 1\n---\n"
    assert get_field_span(text, "body") == (2, 4)
    assert set_field(text, "body", "x") == "---\nbody: x\n\n\nnext: 1\n---\n"
    assert remove_field(text, "body") == "---\n\n\nnext: 1\n---\n"


def test_yaml_key_comment_survives_when_value_starts_below() -> None:
    text = "---\ntags: # topics\n  - a\n---\n"
    assert set_field(text, "tags", ["b"]) == "---\ntags: # topics\n  - b\n---\n"
    assert set_field(text, "tags", "solo") == "---\ntags: solo # topics\n---\n"


def test_yaml_crlf_is_detected_and_reused() -> None:
    text = "---\r\ntitle: a\r\ntags:\r\n  - x\r\n---\r\nbody\r\n"
    assert set_field(text, "tags", ["y", "z"]) == (
        "---\r\ntitle: a\r\ntags:\r\n  - y\r\n  - z\r\n---\r\nbody\r\n"
    )
    assert (
        set_field(text, "new", 1)
        == "---\r\ntitle: a\r\ntags:\r\n  - x\r\nnew: 1\r\n---\r\nbody\r\n"
    )
    assert remove_field(text, "tags") == "---\r\ntitle: a\r\n---\r\nbody\r\n"


def test_yaml_bom_and_leading_blank_lines_are_kept() -> None:
    text = "\ufeff---\ntitle: a\n---\nbody"
    assert set_field(text, "title", "b") == "\ufeff---\ntitle: b\n---\nbody"
    assert detect_format(text) is FrontMatterFormat.YAML
    text = "\n\n---\ntitle: a\n...\nbody"
    assert set_field(text, "title", "b") == "\n\n---\ntitle: b\n...\nbody"
    assert get_field_span(text, "title") == (4, 4)


def test_yaml_append_is_the_last_front_matter_line() -> None:
    text = "---\ntitle: a\n# trailing comment\n---\nbody\n"
    result = set_field(text, "tags", ["x", "y z"])
    assert result == "---\ntitle: a\n# trailing comment\ntags: [x, y z]\n---\nbody\n"
    assert set_field("---\n---\nbody\n", "title", "T") == "---\ntitle: T\n---\nbody\n"
    assert set_field("---\n---\n", "odd key: 1", 1) == '---\n"odd key: 1": 1\n---\n'


def test_yaml_append_matches_an_indented_mapping() -> None:
    text = "---\n  title: a\n---\n"
    assert set_field(text, "b", 2) == "---\n  title: a\n  b: 2\n---\n"


def test_yaml_remove_takes_continuation_lines_and_keeps_neighbours() -> None:
    text = "---\na: 1\ntags:\n  - x\n  # inside\n  - y\n\n# about b\nb: 2\n---\n"
    assert get_field_span(text, "tags") == (3, 6)
    assert remove_field(text, "tags") == "---\na: 1\n\n# about b\nb: 2\n---\n"
    assert remove_field(text, "missing") == text


def test_yaml_non_string_keys_do_not_match() -> None:
    text = "---\n2024: year\n---\n"
    assert get_field_span(text, "2024") is None
    result = set_field(text, "2024", "str key")
    assert result == '---\n2024: year\n"2024": str key\n---\n'
    assert read_front_matter(result) == {2024: "year", "2024": "str key"}


# ------------------------------------------------------------------ golden cases: TOML

TOML_ARTICLE = """\
+++
title = "Hello"  # shown on the index
path = 'C:\\docs'
tags = [
  "a",  # first
  "b",
]
date = 2024-07-29T10:00:00+07:00
"odd key" = 1

[extra]
note = "table value"
+++
Body
"""


@pytest.mark.parametrize(
    ("key", "value", "old", "new"),
    [
        ("title", 'Say "hi"\n', 'title = "Hello"', 'title = "Say \\"hi\\"\\n"'),
        ("path", "D:\\x", "path = 'C:\\docs'", "path = 'D:\\x'"),
        ("path", "it's", "path = 'C:\\docs'", 'path = "it\'s"'),
        (  # an array is edited item by item: its layout and comments stay
            "tags",
            ["z", "y"],
            'tags = [\n  "a",  # first\n  "b",\n]',
            'tags = [\n  "z",  # first\n  "y",\n]',
        ),
        ("date", dt.date(2024, 1, 2), "date = 2024-07-29T10:00:00+07:00", "date = 2024-01-02"),
        (
            "date",
            dt.datetime(2024, 1, 2, 3, 4, 5, tzinfo=dt.UTC),
            "date = 2024-07-29T10:00:00+07:00",
            "date = 2024-01-02T03:04:05+00:00",
        ),
        ("odd key", math.inf, '"odd key" = 1', '"odd key" = inf'),
        ("title", "\x00\x7f", 'title = "Hello"', 'title = "\\u0000\\u007F"'),
    ],
)
def test_toml_set_replaces_the_value_only(key: str, value: FieldValue, old: str, new: str) -> None:
    result = set_field(TOML_ARTICLE, key, value)
    assert result == TOML_ARTICLE.replace(old, new, 1)
    assert same(read_front_matter(result)[key], value)


def test_toml_new_key_goes_before_the_first_table() -> None:
    result = set_field(TOML_ARTICLE, "draft", False)
    assert result == TOML_ARTICLE.replace('"odd key" = 1\n', '"odd key" = 1\ndraft = false\n')
    result = set_field(TOML_ARTICLE, "new key", ["x"])
    assert '"odd key" = 1\n"new key" = ["x"]\n\n[extra]' in result
    only_table = "+++\n[extra]\nnote = 1\n+++\n"
    assert set_field(only_table, "title", "T") == '+++\ntitle = "T"\n[extra]\nnote = 1\n+++\n'


def test_toml_append_without_tables_is_the_last_line() -> None:
    text = '+++\r\ntitle="a"\r\n# end\r\n+++\r\n'
    assert set_field(text, "n", 1) == '+++\r\ntitle="a"\r\n# end\r\nn=1\r\n+++\r\n'


def test_toml_remove_multiline_array() -> None:
    assert get_field_span(TOML_ARTICLE, "tags") == (4, 7)
    result = remove_field(TOML_ARTICLE, "tags")
    assert result == TOML_ARTICLE.replace('tags = [\n  "a",  # first\n  "b",\n]\n', "")


def test_toml_multiline_strings_are_scanned() -> None:
    text = '+++\na = \'\'\'\n[not a table]\n\'\'\'\nb = """x\\"""""\nc = 1\n+++\n'
    assert get_field_span(text, "a") == (2, 4)
    assert get_field_span(text, "b") == (5, 5)
    assert set_field(text, "c", 2).endswith("c = 2\n+++\n")
    assert set_field(text, "a", "x") == text.replace("'''\n[not a table]\n'''", '"x"')


# ------------------------------------------------------------------ golden cases: JSON

JSON_ARTICLE = """\
{
  "title": "Hello {world}",
  "tags": ["a", "b"],
  "nested": {"list": [1, {"s": "}]\\""}]},
  "draft": true
}
Body {not json}
"""


def test_json_replaces_the_value_span() -> None:
    result = set_field(JSON_ARTICLE, "nested", "flat")
    assert result == JSON_ARTICLE.replace('{"list": [1, {"s": "}]\\""}]}', '"flat"')
    result = set_field(JSON_ARTICLE, "title", "Ünï\n")
    assert '"title": "Ünï\\n",' in result
    assert set_field(JSON_ARTICLE, "draft", dt.date(2024, 7, 29)).count('"2024-07-29"') == 1


def test_json_append_follows_indentation() -> None:
    result = set_field(JSON_ARTICLE, "slug", "s")
    assert result == JSON_ARTICLE.replace('"draft": true\n', '"draft": true,\n  "slug": "s"\n')
    assert set_field('{"a": 1}\nbody', "b", [1]) == '{"a": 1, "b": [1]}\nbody'
    assert set_field('{"a": 1,"b": 2}', "c", 3) == '{"a": 1,"b": 2,"c": 3}'
    assert set_field("{}\nbody", "a", None) == '{"a": null}\nbody'
    assert set_field("{\r\n}\r\nbody", "a", 1) == '{\r\n  "a": 1\r\n}\r\nbody'


def test_json_remove_keeps_commas_valid() -> None:
    assert remove_field(JSON_ARTICLE, "title") == JSON_ARTICLE.replace(
        '  "title": "Hello {world}",\n', ""
    )
    assert remove_field(JSON_ARTICLE, "draft") == JSON_ARTICLE.replace(',\n  "draft": true', "")
    assert remove_field('{"a": 1}\nbody', "a") == "{}\nbody"
    assert get_field_span(JSON_ARTICLE, "draft") == (5, 5)


# ------------------------------------------------------------------ the parser's split

# Where the front matter is comes from one function (frontmatter_io.split_front_matter), so the
# editor edits every file the parser reads, and refuses the ones it cannot.
SPLIT_CODES = {"LB101", "LB102", "LB113"}  # empty, no front matter, never closed


@pytest.mark.parametrize(
    "text",
    [
        "---\ntitle: A\n---\x0c\nBody.\n",  # a form feed after the closing ---
        "--- \x0b\ntitle: A\n---\nBody.\n",  # a vertical tab after the opening ---
        "+++\ntitle = 'A'\n+++\x0c\nBody.\n",
        "---\r\ntitle: A\r\n... \r\nBody.\r\n",
        "\ufeff\n \n---\ntitle: A\n---\nBody.\n",  # a BOM, then blank lines
        '\n{"title": "A"} \nBody.\n',
    ],
)
def test_the_editor_edits_what_the_parser_reads(text: str) -> None:
    parsed = parse_text(text.removeprefix("\ufeff"), Path("x.md"))
    edited = set_field(text, "title", "B")
    again = parse_text(edited.removeprefix("\ufeff"), Path("x.md"))
    assert again.metadata == {**parsed.metadata, "title": "B"}
    assert again.body == parsed.body and edited.endswith(parsed.body)
    assert detect_format(text) == parsed.format


DELIMITER_LINES = ["---", "...", "+++", "--- ", "---\t", "---\x0c", "...\x0b", "+++ \x0c"]
OTHER_LINES = ["", " ", "\t", "# c", "x"]


@settings(max_examples=300, deadline=None)
@given(
    st.lists(st.sampled_from(DELIMITER_LINES + OTHER_LINES), max_size=6),
    st.sampled_from(["\n", "\r\n"]),
    st.booleans(),
    st.booleans(),
)
def test_the_editor_finds_front_matter_where_the_parser_does(
    lines: list[str], newline: str, final_newline: bool, bom: bool
) -> None:
    text = newline.join(lines) + (newline if final_newline else "")
    try:
        expected = parse_text(text, Path("x.md")).format
    except ParseError as exc:
        assume(exc.code in SPLIT_CODES)  # other errors are about the content, not the split
        expected = None
    assert detect_format(("\ufeff" if bom else "") + text) == expected


# ------------------------------------------------------------------ API behaviour


def test_detect_format() -> None:
    assert detect_format("---\na: 1\n---\n") is FrontMatterFormat.YAML
    assert detect_format("+++\na = 1\n+++\n") is FrontMatterFormat.TOML
    assert detect_format('{"a": 1}\n') is FrontMatterFormat.JSON
    assert detect_format("# Title\n") is None
    assert detect_format("---\na: 1\n") is None  # never closed
    assert detect_format("{% liquid %}\n") is None
    assert detect_format("") is None


def test_setting_the_current_value_changes_nothing() -> None:
    for key, value in [
        ("title", "Hello world"),
        ("tags", ["politics", "economy"]),
        ("date", dt.date(2024, 7, 29)),
        ("draft", None),
    ]:
        assert set_field(YAML_ARTICLE, key, value) is YAML_ARTICLE
    assert set_field(TOML_ARTICLE, "date", dt.datetime(2024, 7, 29, 10, tzinfo=JAKARTA)) == (
        TOML_ARTICLE
    )
    assert set_field(JSON_ARTICLE, "draft", True) is JSON_ARTICLE


def test_types_are_not_conflated() -> None:
    text = "---\nn: 1\nd: 2024-07-29\n---\n"
    assert set_field(text, "n", True) == "---\nn: true\nd: 2024-07-29\n---\n"
    assert set_field(text, "n", 1.0) == "---\nn: 1.0\nd: 2024-07-29\n---\n"
    assert set_field(text, "d", "2024-07-29") == '---\nn: 1\nd: "2024-07-29"\n---\n'


def test_apply_edits_sets_and_removes() -> None:
    edits = {"title": "New", "tags": REMOVE, "added": 3, "absent": REMOVE}
    once = apply_edits(YAML_ARTICLE, edits)
    assert apply_edits(once, edits) == once
    data = read_front_matter(once)
    assert data["title"] == "New" and data["added"] == 3 and "tags" not in data


def test_get_field_span() -> None:
    assert get_field_span(YAML_ARTICLE, "title") == (3, 3)
    assert get_field_span(YAML_ARTICLE, "tags") == (6, 8)
    assert get_field_span(YAML_ARTICLE, "summary") == (10, 12)
    assert get_field_span(YAML_ARTICLE, "missing") is None
    assert get_field_span("no front matter", "title") is None


def test_remove_without_front_matter_is_a_no_op() -> None:
    assert remove_field("# just markdown\n", "title") == "# just markdown\n"


def test_str_subclasses_are_written_as_plain_strings() -> None:
    assert set_field("---\na: x\n---\n", "a", FrontMatterFormat.TOML) == "---\na: toml\n---\n"


# ------------------------------------------------------------------ refusals


@pytest.mark.parametrize(
    ("text", "key", "value", "message"),
    [
        ("# no front matter\n", "title", "x", "no front matter"),
        ("---\ntitle: a\n", "title", "x", "never closed"),
        ("+++\ntitle = 1\n", "title", 2, "never closed"),
        ("---\ntitle: [a\n---\n", "title", "x", "not valid"),
        ("---\n- a\n- b\n---\n", "title", "x", "not a mapping"),
        ("---\n{title: a}\n---\n", "title", "x", "block mapping"),
        ("---\nbase: &b x\nother: *b\n---\n", "base", "y", "anchor or alias"),
        ("---\nbase: &b x\nother: *b\n---\n", "other", "y", "anchor or alias"),
        ("---\ntags: [&t a]\n---\n", "tags", ["b"], "anchor or alias"),
        ("---\nbase: &b {k: 1}\nmerged:\n  <<: *b\n---\n", "merged", 2, "anchor or alias"),
        ("---\nbase: &b {k: 1}\n<<: *b\n---\n", "k", 2, "not a plain top-level entry"),
        ("---\na: 1\na: 2\n---\n", "a", 3, "more than once"),
        ("---\n? a\n: 1\n---\n", "a", 3, "complex-key"),
        ("---\na: 'x\u2028y'\n---\n", "a", "z", "line separator"),
        ("+++\ntitle = 'a'\n+++\n", "title", None, "TOML has no null"),
        ("+++\nsite.name = 'a'\n+++\n", "site", "x", "dotted keys"),
        ("+++\n[extra]\nk = 1\n+++\n", "extra", "x", "not a plain top-level entry"),
        ("+++\ntitle = \n+++\n", "title", "x", "not valid"),
        ('{"a": 1, "a": 2}\n', "a", 3, "more than once"),
        ('{"a": 1}\n', "a", math.nan, "NaN"),
        ('{"a": 1\n', "a", 2, "JSON front matter is never closed"),  # the parser's words
        ('{"a": 1,, "b": 2}\n', "a", 2, "JSON syntax error"),
    ],
)
def test_unsafe_edits_raise_edit_error(
    text: str, key: str, value: FieldValue, message: str
) -> None:
    with pytest.raises(EditError, match=re.escape(message)):
        set_field(text, key, value)


def test_remove_refuses_what_it_cannot_cut_cleanly() -> None:
    with pytest.raises(EditError, match="anchor or alias"):
        remove_field("---\nbase: &b x\nother: *b\n---\n", "base")
    with pytest.raises(EditError, match="not a plain top-level entry"):
        remove_field("---\nbase: &b {k: 1}\n<<: *b\n---\n", "k")


def test_equal_value_is_accepted_even_where_editing_is_refused() -> None:
    text = "---\nbase: &b x\nother: *b\n---\n"
    assert set_field(text, "other", "x") is text


def test_aliases_elsewhere_are_cheap_and_may_even_recurse() -> None:
    levels = ["a: &a [x, x, x, x, x, x, x, x, x]"]
    for prev, name in zip("abcdefg", "bcdefgh", strict=True):
        levels.append(f"{name}: &{name} [{', '.join([f'*{prev}'] * 9)}]")
    bomb = "---\n" + "\n".join(levels) + "\ntitle: x\n---\n"  # 9**8 leaves if expanded
    assert set_field(bomb, "title", "y") == bomb.replace("title: x", "title: y")
    recursive = "---\nloop: &x [*x]\ntitle: 1\n---\n"
    assert set_field(recursive, "title", 2) == recursive.replace("title: 1", "title: 2")


def test_edit_error_carries_the_line() -> None:
    with pytest.raises(EditError) as info:
        set_field("---\ntitle: a\n\nbad: [\n---\n", "title", "b")
    assert info.value.line is not None and info.value.line >= 4


@pytest.mark.parametrize("value", [{"a": 1}, ("a",), [["nested"]], [None], object()])
def test_unsupported_python_types_are_type_errors(value: object) -> None:
    with pytest.raises(TypeError):
        set_field("---\na: 1\n---\n", "a", value)  # type: ignore[arg-type]


# ------------------------------------------------------------------ property tests

TEXT = st.text(st.characters(exclude_categories=("Cs",)), max_size=20)
BMP_TEXT = st.text(st.characters(max_codepoint=0xFFFF, exclude_categories=("Cs",)), max_size=12)
WORD = st.from_regex(r"[A-Za-z][A-Za-z ]{0,8}[A-Za-z]", fullmatch=True)
KEY = st.from_regex(r"[a-z][a-z0-9_]{0,7}", fullmatch=True).filter(
    lambda k: yaml.safe_load(f"{k}: 0") == {k: 0}
)
TZ = st.one_of(
    st.none(),
    st.integers(-14 * 60, 14 * 60).map(lambda m: dt.timezone(dt.timedelta(minutes=m))),
)
DATETIME = st.datetimes(
    min_value=dt.datetime(1000, 1, 1), max_value=dt.datetime(9998, 12, 31), timezones=TZ
)
DATE = st.dates(min_value=dt.date(1000, 1, 1))
ITEM = st.one_of(TEXT, st.integers(), st.floats(), st.booleans())
NEW_VALUE: st.SearchStrategy[FieldValue] = st.one_of(
    TEXT, st.integers(), st.floats(), st.booleans(), st.none(), DATE, DATETIME,
    st.lists(ITEM, max_size=4),
)  # fmt: skip
BODY = st.text(st.characters(exclude_categories=("Cs",)), max_size=60)
COMMENT = st.from_regex(r"#[ a-z#'\"]{0,10}", fullmatch=True)


@dataclass
class Sample:
    text: str
    data: dict[str, object]
    keys: list[str]
    body: str


def _word_ok(word: str) -> bool:
    return yaml.safe_load(f"k: {word}") == {"k": word}


@st.composite
def yaml_entry(draw: st.DrawFn, key: str) -> tuple[list[str], object]:
    kind = draw(
        st.sampled_from(
            ["plain", "double", "single", "int", "bool", "date", "flow", "block", "literal"]
        )
    )
    comment = draw(st.one_of(st.just(""), COMMENT.map(lambda c: "  " + c)))
    if kind == "plain":
        word = draw(WORD.filter(_word_ok))
        return [f"{key}: {word}{comment}"], word
    if kind == "double":
        value = draw(BMP_TEXT)
        return [f"{key}: {json.dumps(value)}{comment}"], value
    if kind == "single":
        value = draw(st.text(st.characters(min_codepoint=0x20, max_codepoint=0x7E), max_size=10))
        return [f"{key}: '{value.replace(chr(39), chr(39) * 2)}'{comment}"], value
    if kind == "int":
        value = draw(st.integers())
        return [f"{key}: {value}{comment}"], value
    if kind == "bool":
        value = draw(st.booleans())
        return [f"{key}: {str(value).lower()}{comment}"], value
    if kind == "date":
        value = draw(DATE)
        return [f"{key}: {value.isoformat()}{comment}"], value
    words = draw(st.lists(WORD.filter(_word_ok), min_size=1, max_size=3))
    if kind == "flow":
        return [f"{key}: [{', '.join(words)}]{comment}"], words
    if kind == "block":
        indent = " " * draw(st.sampled_from([0, 2, 4]))
        return [f"{key}:{comment}", *(f"{indent}- {w}" for w in words)], words
    return [f"{key}: |", *(f"  {w}" for w in words)], "\n".join(words) + "\n"


@st.composite
def yaml_article(draw: st.DrawFn) -> Sample:
    keys = draw(st.lists(KEY, min_size=1, max_size=6, unique=True))
    lines = ["---"]
    data: dict[str, object] = {}
    for key in keys:
        lines += draw(st.lists(st.one_of(st.just(""), COMMENT), max_size=2))
        entry, value = draw(yaml_entry(key))
        lines += entry
        data[key] = value
    lines += draw(st.lists(st.one_of(st.just(""), COMMENT), max_size=2))
    lines.append(draw(st.sampled_from(["---", "..."])))
    newline = draw(st.sampled_from(["\n", "\r\n"]))
    bom = draw(st.sampled_from(["", "\ufeff"]))
    body = draw(BODY)
    text = bom + newline.join(lines) + newline + body
    assert same(read_front_matter(text), data), text
    return Sample(text, data, keys, body)


TOML_INT = st.integers(-(2**63), 2**63 - 1)


@st.composite
def toml_entry(draw: st.DrawFn, key: str) -> tuple[list[str], object]:
    kind = draw(st.sampled_from(["basic", "literal", "int", "bool", "date", "array", "multiline"]))
    comment = draw(st.one_of(st.just(""), COMMENT.map(lambda c: "  " + c)))
    if kind == "basic":
        value = draw(BMP_TEXT)
        return [f"{key} = {json.dumps(value)}{comment}"], value
    if kind == "literal":
        value = draw(st.from_regex(r"[ -&(-~]{0,10}", fullmatch=True))
        return [f"{key} = '{value}'{comment}"], value
    if kind == "int":
        value = draw(TOML_INT)
        return [f"{key} = {value}{comment}"], value
    if kind == "bool":
        value = draw(st.booleans())
        return [f"{key} = {str(value).lower()}{comment}"], value
    if kind == "date":
        value = draw(DATE)
        return [f"{key} = {value.isoformat()}{comment}"], value
    items = draw(st.lists(TOML_INT, max_size=3))
    if kind == "array":
        return [f"{key} = [{', '.join(map(str, items))}]{comment}"], items
    return [f"{key} = [{comment}", *(f"  {i},{comment}" for i in items), "]"], items


@st.composite
def toml_article(draw: st.DrawFn) -> Sample:
    keys = draw(st.lists(KEY, min_size=1, max_size=6, unique=True))
    lines = ["+++"]
    data: dict[str, object] = {}
    for key in keys:
        lines += draw(st.lists(st.one_of(st.just(""), COMMENT), max_size=2))
        entry, value = draw(toml_entry(key))
        lines += entry
        data[key] = value
    if draw(st.booleans()):
        table = draw(KEY.filter(lambda k: k not in data))
        lines += ["", f"[{table}]", "inner = 1"]
        data[table] = {"inner": 1}
    lines.append("+++")
    newline = draw(st.sampled_from(["\n", "\r\n"]))
    body = draw(BODY)
    text = newline.join(lines) + newline + body
    assert same(read_front_matter(text), data), text
    return Sample(text, data, keys, body)


JSON_VALUE = st.recursive(
    st.one_of(st.none(), st.booleans(), st.integers(), TEXT),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(TEXT, inner, max_size=3),
    max_leaves=6,
)


@st.composite
def json_article(draw: st.DrawFn) -> Sample:
    data = draw(st.dictionaries(TEXT, JSON_VALUE, min_size=1, max_size=5))
    newline = draw(st.sampled_from(["\n", "\r\n"]))
    indent = draw(st.sampled_from([None, 2, 4]))
    ensure_ascii = draw(st.booleans())
    source = json.dumps(data, indent=indent, ensure_ascii=ensure_ascii).replace("\n", newline)
    body = draw(BODY)
    text = source + newline + body
    return Sample(text, data, list(data), body)


ARTICLES = st.one_of(yaml_article(), toml_article(), json_article())
PROPERTY_SETTINGS = settings(
    deadline=None, max_examples=150, suppress_health_check=[HealthCheck.too_slow]
)


def _value_for(sample: Sample, value: FieldValue) -> FieldValue:
    fmt = detect_format(sample.text)
    if fmt is FrontMatterFormat.TOML:
        assume(value is not None)  # TOML has no null
    if fmt is FrontMatterFormat.JSON:
        items = value if isinstance(value, list) else [value]
        assume(not any(isinstance(v, float) and not math.isfinite(v) for v in items))
    return value


@PROPERTY_SETTINGS
@given(sample=ARTICLES, data=st.data())
def test_replacing_a_key_touches_only_its_lines(sample: Sample, data: st.DataObject) -> None:
    key = data.draw(st.sampled_from(sample.keys))
    value = _value_for(sample, data.draw(NEW_VALUE))
    span = get_field_span(sample.text, key)
    assert span is not None
    first, last = span

    result = set_field(sample.text, key, value)

    old_lines, new_lines = split_lines(sample.text), split_lines(result)
    after = len(old_lines) - last
    assert new_lines[: first - 1] == old_lines[: first - 1]
    assert new_lines[len(new_lines) - after :] == old_lines[last:]
    assert result.endswith(sample.body)
    parsed = read_front_matter(result)
    expected = dict(sample.data)
    if detect_format(result) is FrontMatterFormat.JSON:
        value = as_json(value)  # type: ignore[assignment]
    expected[key] = value
    assert same(parsed, expected)
    assert set_field(result, key, value) == result  # idempotent


@PROPERTY_SETTINGS
@given(sample=ARTICLES, data=st.data())
def test_adding_a_key_inserts_one_line(sample: Sample, data: st.DataObject) -> None:
    key = data.draw(KEY.filter(lambda k: k not in sample.data))
    value = _value_for(sample, data.draw(NEW_VALUE))

    result = set_field(sample.text, key, value)

    stored = as_json(value) if detect_format(result) is FrontMatterFormat.JSON else value
    assert same(read_front_matter(result), {**sample.data, key: stored})
    assert result.endswith(sample.body)
    assert set_field(result, key, value) == result
    if detect_format(result) is not FrontMatterFormat.JSON:
        old_lines, new_lines = split_lines(sample.text), split_lines(result)
        assert len(new_lines) == len(old_lines) + 1
        added = next(
            i for i, (a, b) in enumerate(zip(old_lines, new_lines, strict=False)) if a != b
        )
        assert new_lines[:added] + new_lines[added + 1 :] == old_lines
        assert get_field_span(result, key) == (added + 1, added + 1)


@PROPERTY_SETTINGS
@given(sample=ARTICLES, data=st.data())
def test_removing_a_key_deletes_only_its_lines(sample: Sample, data: st.DataObject) -> None:
    key = data.draw(st.sampled_from(sample.keys))
    span = get_field_span(sample.text, key)
    assert span is not None

    result = remove_field(sample.text, key)

    expected = {k: v for k, v in sample.data.items() if k != key}
    assert same(read_front_matter(result), expected)
    assert result.endswith(sample.body)
    assert remove_field(result, key) == result
    if detect_format(result) is not FrontMatterFormat.JSON:
        first, last = span
        old_lines = split_lines(sample.text)
        assert split_lines(result) == old_lines[: first - 1] + old_lines[last:]


@PROPERTY_SETTINGS
@given(sample=ARTICLES, data=st.data())
def test_apply_edits_twice_equals_once(sample: Sample, data: st.DataObject) -> None:
    keys = data.draw(st.lists(st.sampled_from([*sample.keys, "fresh"]), unique=True, max_size=3))
    edits = {
        key: data.draw(st.one_of(st.just(REMOVE), NEW_VALUE.map(lambda v: _value_for(sample, v))))
        for key in keys
    }
    once = apply_edits(sample.text, edits)
    assert apply_edits(once, edits) == once
    assert once.endswith(sample.body)
