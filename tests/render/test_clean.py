"""The one rule for text that reaches a person: control characters become U+FFFD."""

from __future__ import annotations

import re
import unicodedata

import pytest
from hypothesis import given
from hypothesis import strategies as st

from lushbeat_cli.render.human import clean, clean_text

# Never to reach a terminal as they are: C0 (but tab and LF in running text), DEL, C1, bidi
# overrides and isolates, line and paragraph separators, lone surrogates.
UNSAFE = re.compile(
    "[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069\u2028\u2029\ud800-\udfff]"
)


@pytest.mark.parametrize(
    ("text", "line", "running"),
    [
        ("a\x1b[31mb", "a\ufffd[31mb", "a\ufffd[31mb"),
        ("\x1b]8;;http://x\x1b\\y", "\ufffd]8;;http://x\ufffd\\y", "\ufffd]8;;http://x\ufffd\\y"),
        ("bel\x07 bs\x08 del\x7f c1\x9b", "bel\ufffd bs\ufffd del\ufffd c1\ufffd", None),
        ("\u202eevil\u202c \u2067x\u2069", "\ufffdevil\ufffd \ufffdx\ufffd", None),
        ("a\tb\r\nc\rd", "a b  c d", "a\tb\nc\ufffdd"),
        ("one\u2028two", "one two", "one\ntwo"),
        ("caf\udce9", "caf\ufffd", "caf\ufffd"),
        ("Harga naik 5% — é 漢字 😀", "Harga naik 5% — é 漢字 😀", None),
    ],
)
def test_members_of_the_class(text: str, line: str, running: str | None) -> None:
    assert clean(text) == line
    assert clean_text(text) == (line if running is None else running)


@given(st.text(alphabet=st.characters(codec=None)))
def test_nothing_unsafe_survives(text: str) -> None:
    assert not UNSAFE.search(clean_text(text))
    assert not UNSAFE.search(clean(text)) and "\n" not in clean(text) and "\t" not in clean(text)
    letters = [char for char in text if unicodedata.category(char) in ("Lu", "Ll", "Nd")]
    assert [char for char in clean(text) if char in letters] == letters  # never lost
