"""Strict front-matter parsing: formats, positions, and every way a file can be broken."""

from __future__ import annotations

import time
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from lushbeat_cli.core.findings import Severity
from lushbeat_cli.core.reading import frontmatter as fio
from lushbeat_cli.errors import ParseError
from tests.limits import finishes

P = Path("a.md")


def parse(data: str | bytes) -> fio.FrontMatter:
    return fio.parse_bytes(data.encode() if isinstance(data, str) else data, P)


def error(data: str | bytes) -> ParseError:
    with pytest.raises(ParseError) as info:
        parse(data)
    return info.value


def test_yaml_front_matter_with_positions_and_body() -> None:
    front = parse("---\ntitle: Hello\n# a comment\ntags: [a, b]\n---\n\nBody line\n")
    assert front.format == "yaml"
    assert front.metadata == {"title": "Hello", "tags": ["a", "b"]}
    assert front.key_positions == {"title": (2, 1), "tags": (4, 1)}
    assert front.body == "\nBody line\n"
    assert front.body_line == 6


def test_yaml_dates_are_loaded_as_dates() -> None:
    front = parse("---\na: 2024-07-29\nb: 2024-07-29T10:00:00+07:00\n---\n")
    assert front.metadata["a"] == date(2024, 7, 29)
    assert front.metadata["b"].utcoffset().total_seconds() == 7 * 3600


def test_toml_front_matter_positions_and_tables() -> None:
    text = '+++\ntitle = "T"\n  date = 2024-01-02T03:04:05Z\n[extra]\nx = 1\n+++\nbody\n'
    front = parse(text)
    assert front.format == "toml"
    assert front.metadata["title"] == "T"
    assert front.metadata["date"] == datetime(2024, 1, 2, 3, 4, 5, tzinfo=UTC)
    assert front.metadata["extra"] == {"x": 1}
    assert front.key_positions["title"] == (2, 1)
    assert front.key_positions["date"] == (3, 3)
    assert front.key_positions["extra"] == (4, 1)
    assert front.body == "body\n"


def test_json_front_matter() -> None:
    front = parse('{\n  "title": "J",\n  "tags": ["x"]\n}\nThe body\n')
    assert front.format == "json"
    assert front.metadata == {"title": "J", "tags": ["x"]}
    assert front.key_positions["tags"] == (3, 3)
    assert front.body == "The body\n"
    assert front.body_line == 5


def test_json_duplicate_keys_warn() -> None:
    front = parse('{"a": 1, "a": 2}\n')
    assert front.metadata == {"a": 2}
    assert [w.code for w in front.warnings] == [fio.CODE_DUPLICATE_KEY]


@pytest.mark.parametrize(
    ("data", "code", "line"),
    [
        ("Just text\n", fio.CODE_NO_FRONT_MATTER, 1),
        ("", fio.CODE_EMPTY, 1),
        ("\n  \n", fio.CODE_EMPTY, 1),
        ("---\ntitle: x\n", fio.CODE_UNTERMINATED, 1),
        ("+++\ntitle = 'x'\n", fio.CODE_UNTERMINATED, 1),
        ('{"title": "x"\n', fio.CODE_UNTERMINATED, 1),
        ("---\n- a\n- b\n---\n", fio.CODE_NOT_MAPPING, 2),
        ("---\njust a string\n---\n", fio.CODE_NOT_MAPPING, 2),
        ("---\ntitle: ok\nbad: [unclosed\n---\n", fio.CODE_SYNTAX, 3),
        ("---\ntitle: ok\n\tbad: tab\n---\n", fio.CODE_SYNTAX, 3),
        ('+++\ntitle = "ok"\nbad = \n+++\n', fio.CODE_SYNTAX, 3),
        ('{"a": tru}\n', fio.CODE_SYNTAX, 1),
        ("---\nx: !!python/object/apply:os.system ['echo hi']\n---\n", fio.CODE_UNSAFE_TAG, 2),
        ("---\nx: !custom 1\n---\n", fio.CODE_UNSAFE_TAG, 2),
        (b"---\ntitle: caf\xe9\n---\n", fio.CODE_NOT_UTF8, 2),
        (b"---\ntitle: x\n---\n\x00\x01\x02", fio.CODE_BINARY, 4),
    ],
)
def test_broken_files_raise_parse_error_with_code_and_line(
    data: str | bytes, code: str, line: int
) -> None:
    exc = error(data)
    assert exc.code == code
    assert exc.line == line
    assert exc.path == P
    assert "\n" not in exc.message


def test_malformed_yaml_names_line_and_column_in_file() -> None:
    exc = error('---\ntitle: fine\nsummary: "unclosed\n---\nbody\n')
    assert exc.code == fio.CODE_SYNTAX
    assert (exc.line, exc.col) == (3, 10)
    assert str(exc).startswith("a.md:3:10: YAML syntax error")


def test_unsafe_tag_is_never_executed(tmp_path: Path) -> None:
    marker = tmp_path / "pwned"
    text = f"---\nx: !!python/object/apply:os.system ['touch {marker}']\n---\n"
    exc = error(text)
    assert "!!python/object/apply:os.system" in exc.message
    assert not marker.exists()


def test_alias_bomb_is_refused_quickly() -> None:
    lines = ["---", 'a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    previous = "a"
    for name in "bcdefghi":
        lines.append(f"{name}: &{name} [{', '.join(['*' + previous] * 9)}]")
        previous = name
    lines.append("---")
    started = time.perf_counter()
    exc = error("\n".join(lines) + "\n")
    assert exc.code == fio.CODE_ALIAS_BOMB
    assert time.perf_counter() - started < 5  # a guard against hanging, not a benchmark


def test_small_aliases_are_fine() -> None:
    front = parse("---\nbase: &b {x: 1}\nother: *b\n---\n")
    assert front.metadata["other"] == {"x": 1}


def test_duplicate_yaml_keys_are_reported_with_both_lines() -> None:
    front = parse("---\ntitle: one\ndate: 2024-01-01\ntitle: two\n---\n")
    assert front.metadata["title"] == "two"
    (warning,) = front.warnings
    assert warning.code == fio.CODE_DUPLICATE_KEY
    assert (warning.line, warning.col) == (4, 1)
    assert "first at line 2" in warning.message
    assert front.key_positions["title"] == (2, 1)


def test_bom_is_stripped_and_reported() -> None:
    front = parse(b"\xef\xbb\xbf---\ntitle: x\n---\nbody\n")
    assert front.has_bom
    assert front.metadata == {"title": "x"}
    assert [(w.code, w.severity) for w in front.warnings] == [(fio.CODE_BOM, Severity.WARNING)]


def test_crlf_files_parse_and_keep_crlf_body() -> None:
    front = parse("---\r\ntitle: x\r\ntags: [a]\r\n---\r\nline one\r\nline two\r\n")
    assert front.metadata == {"title": "x", "tags": ["a"]}
    assert front.newline == "\r\n"
    assert front.body == "line one\r\nline two\r\n"
    assert front.key_positions["tags"] == (3, 1)


def test_blank_lines_before_front_matter_are_a_warning() -> None:
    front = parse("\n\n---\ntitle: x\n---\n")
    assert front.metadata == {"title": "x"}
    assert front.key_positions["title"] == (4, 1)
    assert [w.code for w in front.warnings] == [fio.CODE_LEADING_BLANK]


def test_empty_yaml_front_matter_is_an_empty_mapping() -> None:
    assert parse("---\n---\nbody\n").metadata == {}


def test_non_string_keys_become_strings() -> None:
    front = parse("---\n1: one\n2024-01-01: x\n---\n")
    assert front.metadata == {"1": "one", "2024-01-01": "x"}


def test_only_lf_splits_lines() -> None:
    front = parse("---\ntitle: 'a\u2028b'\nnext: x\n---\nbody\x0cmore\n")
    assert front.key_positions["next"] == (3, 1)
    assert front.body_line == 5
    assert front.body == "body\x0cmore\n"


def test_control_characters_are_a_syntax_error_with_position() -> None:
    exc = error("---\ntitle: ok\nnext: a\x07b\n---\n")
    assert (exc.code, exc.line, exc.col) == (fio.CODE_SYNTAX, 3, 8)
    assert "U+0007" in exc.message


def test_document_end_marker_closes_yaml() -> None:
    assert parse("---\ntitle: x\n...\nbody\n").body == "body\n"


def test_toml_local_time_becomes_text() -> None:
    assert parse("+++\nat = 07:32:00\n+++\n").metadata["at"] == "07:32:00"


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("3", 3),
        ("-12", -12),
        ("1.5", 1.5),
        ("true", True),
        ("false", False),
        ("2024-07-29", "2024-07-29"),
        ("a: b", "a: b"),
        ("", ""),
        ("yes", "yes"),
        ("NO", "NO"),
        ("0123", "0123"),
        ("1:30", "1:30"),
        ("1e3", "1e3"),
        ("9" * 30, "9" * 30),
    ],
)
def test_parse_scalar_types_only_numbers_and_booleans(text: str, value: object) -> None:
    result = fio.parse_scalar(text)
    assert result == value
    assert type(result) is type(value)


@settings(max_examples=300, deadline=None)
@given(st.binary(max_size=400))
def test_random_bytes_never_crash(data: bytes) -> None:
    try:
        fio.parse_bytes(data, P)
    except ParseError as exc:
        assert exc.code.startswith("LB1")
        assert exc.line is not None and exc.line >= 1


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.sampled_from(list("-+{}[]:\"'\n\t #&*!|>a1 ")), max_size=200))
def test_random_front_matter_text_never_crashes(text: str) -> None:
    for data in ("---\n" + text + "\n---\n", "+++\n" + text + "\n+++\n", "{" + text):
        try:
            fio.parse_bytes(data.encode(), P)
        except ParseError as exc:
            assert exc.code.startswith("LB1")


@settings(max_examples=200, deadline=None)
@given(
    st.lists(
        st.sampled_from(
            ["!!int", "!!float", "!!bool", "!!timestamp", "!!str", "!!null", "!!binary", "&a", "*a"]
        ),
        max_size=3,
    ),
    st.text(alphabet=st.sampled_from(list("0123456789-:.TZ+ abcxyn")), max_size=25),
)
def test_tagged_values_never_crash(tags: list[str], value: str) -> None:
    text = f"---\ntitle: t\nx: {' '.join(tags)} {value}\n---\n"
    try:
        fio.parse_bytes(text.encode(), P)
    except ParseError as exc:
        assert exc.code.startswith("LB1")


ARTICLE = "---\ntitle: Halo dunia\ndate: 2024-07-29\n---\nIsi berita.\n"


@pytest.mark.parametrize(
    ("encoding", "name"),
    [
        ("utf-16", "UTF-16"),
        ("utf-16-le", "UTF-16"),
        ("utf-16-be", "UTF-16"),
        ("utf-32", "UTF-32"),
        ("utf-32-le", "UTF-32"),
        ("utf-32-be", "UTF-32"),
    ],
)
def test_utf16_and_utf32_articles_are_named_not_called_binary(encoding: str, name: str) -> None:
    with pytest.raises(ParseError) as caught:
        fio.parse_bytes(ARTICLE.encode(encoding), Path("a.md"))
    assert caught.value.message == f"{name} text; save it as UTF-8"
    assert caught.value.code == fio.CODE_BINARY  # the rule its NUL bytes trip, as before
    assert (caught.value.line, caught.value.col) == (1, 1)


def test_utf16_with_a_bom_and_no_nul_keeps_the_not_utf8_code() -> None:
    data = "中文标题".encode("utf-16")  # a byte order mark, CJK only: not one NUL byte
    assert b"\x00" not in data
    with pytest.raises(ParseError) as caught:
        fio.parse_bytes(data, Path("a.md"))
    assert caught.value.message == "UTF-16 text; save it as UTF-8"
    assert caught.value.code == fio.CODE_NOT_UTF8


@pytest.mark.parametrize("data", [b"\x00\x01\x02", b"---\ntitle: a\x00b\n---\n", bytes(range(256))])
def test_real_binary_is_still_binary(data: bytes) -> None:
    with pytest.raises(ParseError, match=r"binary content \(NUL byte\)") as caught:
        fio.parse_bytes(data, Path("a.md"))
    assert caught.value.code == fio.CODE_BINARY


def test_json_key_positions_for_any_key_in_one_pass() -> None:
    text = '{\n  "judul": {"title": 1},\n  "title": "x",\n  "kunci é": "y", "a\\"b": 2\n}\nbody\n'
    found = fio.parse_text(text, Path("x.md")).key_positions
    assert found == {"judul": (2, 3), "title": (3, 3), "kunci é": (4, 3), 'a"b': (4, 19)}


def _json_keys(count: int) -> None:
    pairs = (f'"k{number}": "nilai panjang nilai panjang"' for number in range(count))
    text = "{" + ", ".join(pairs) + "}\nbody\n"
    assert len(fio.parse_text(text, Path("x.md")).key_positions) == count


def test_json_key_positions_are_linear_in_the_number_of_keys() -> None:
    finishes(_json_keys, 90_000)  # each key looked for from the start again: 90 s and more


@pytest.mark.parametrize(
    ("text", "col"),
    [('{"title": "caf\\udce9"}\n', 2), ('{"ok": 1, "t\\ud800": 1}\n', 11)],
)
def test_half_a_character_in_json_is_a_syntax_finding(text: str, col: int) -> None:
    with pytest.raises(ParseError) as caught:
        fio.parse_text(text, Path("x.md"))
    assert (caught.value.code, caught.value.line, caught.value.col) == (fio.CODE_SYNTAX, 1, col)
    assert "half a character" in caught.value.message
    assert fio.parse_text('{"ok": "\\ud83d\\ude00"}\n', Path("x.md")).metadata == {"ok": "😀"}


UNOPENED = (
    "title: Marsinah FM - Mentoring\ndate: 2014-11-01\ncategories:\n- laporan\n"
    "# a comment\nauthors:\n  - ana\n---\n\nBody.\n"
)


def test_front_matter_that_lost_its_opening_line_is_read_with_an_error() -> None:
    front = parse(UNOPENED)
    assert front.metadata == {
        "title": "Marsinah FM - Mentoring",
        "date": date(2014, 11, 1),
        "categories": ["laporan"],
        "authors": ["ana"],
    }
    assert front.key_positions["title"] == (1, 1) and front.key_positions["date"] == (2, 1)
    assert (front.body_line, front.body) == (9, "\nBody.\n")
    [warning] = front.warnings
    assert (warning.code, warning.line, warning.severity, warning.fixable) == (
        "LB115",
        1,
        Severity.ERROR,
        True,
    )
    after_blank = parse("\n" + UNOPENED)
    assert [w.code for w in after_blank.warnings] == ["LB115", "LB114"]
    assert after_blank.key_positions["title"] == (2, 1)


@pytest.mark.parametrize(
    "text",
    [
        "# Title\n\nText.\n\n---\n\nMore.\n",  # a page with a thematic break
        "Some text: with a colon, then a sentence.\nMore prose here\n---\n",
        "title: x\n",  # no closing line
        "title: x\nThen prose without a colon\n---\n",
        "---\n",  # (an opener alone: never closed)
        "title: x\n" + "k: v\n" * 70 + "---\n",  # too far down to be front matter
    ],
)
def test_text_that_only_looks_a_little_like_front_matter_is_none(text: str) -> None:
    assert error(text).code in ("LB101", "LB102")
