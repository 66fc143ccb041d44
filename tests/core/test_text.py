"""Terms for the similar-posts engine: folding, markup, stop words, light stemming."""

from __future__ import annotations

from pathlib import Path

import pytest

from lushbeat_cli.core.similar.text import (
    Analyzer,
    builtin_stop_words,
    load_stop_words,
    stem,
    strip_markup,
    words,
)
from lushbeat_cli.errors import ConfigError
from tests.limits import finishes


def test_words_fold_case_and_accents_and_split_hyphens() -> None:
    assert words("Carolina Marín’s SEPAK-BOLA 2024 g7 x") == [
        "carolina",
        "marin",
        "sepak",
        "bola",
        "g7",
    ]


def test_markup_is_not_prose() -> None:
    text = (
        'See [the report](https://example.gov/xyzzy) {{< img src="plugh.jpg" >}} '
        "<div class='frobnicate'>body</div> {% liquid quux %} ```\ncode_word\n```"
    )
    found = words(strip_markup(text))
    assert "report" in found and "body" in found
    for noise in ("xyzzy", "plugh", "frobnicate", "quux", "code_word", "https"):
        assert noise not in found


def test_stop_words_of_both_languages() -> None:
    analyzer = Analyzer(load_stop_words(["id", "en"]))
    assert analyzer.terms("Yang dan the of Maduro menang", "id") == ["maduro", "menang"]
    assert "yang" in builtin_stop_words("id") and "the" in builtin_stop_words("en")


@pytest.mark.parametrize(
    ("word", "lang", "expected"),
    [
        ("agencies", "en", "agency"),
        ("sanctions", "en", "sanction"),
        ("services", "en", "service"),
        ("status", "en", "status"),
        ("business", "en", "business"),
        ("kemenangannya", "id", "kemenangan"),
        ("kritis", "id", "kritis"),  # English rules never touch Indonesian
        ("hanya", "id", "hanya"),
        ("sanctions", "fr", "sanctions"),
    ],
)
def test_light_stemming(word: str, lang: str, expected: str) -> None:
    assert stem(word, lang) == expected


def test_extra_words_and_word_list_files(tmp_path: Path) -> None:
    (tmp_path / "house.txt").write_text("# house words\nLush\nBeat\n", encoding="utf-8")
    words_ = load_stop_words(["house.txt"], ["Redaksi"], root=tmp_path)
    assert words_ == {"lush", "beat", "redaksi"}
    with pytest.raises(ConfigError, match="unknown list 'fr'"):
        load_stop_words(["fr"])
    with pytest.raises(ConfigError, match=r"cannot read missing\.txt"):
        load_stop_words(["missing.txt"], root=tmp_path)


def test_what_is_opened_and_never_closed_runs_to_the_end() -> None:
    """An unclosed fence, comment, shortcode or template tag hides the rest of the text (as an
    unclosed fence does in Markdown); an unclosed link target hides the rest of its line."""
    assert words(strip_markup("Harga naik ```code\nmore code")) == ["harga", "naik"]
    assert words(strip_markup("Harga <!-- hidden\nstill hidden")) == ["harga"]
    assert words(strip_markup("Harga {{< shortcode naik")) == ["harga"]
    assert words(strip_markup("Harga {% liquid naik")) == ["harga"]
    assert words(strip_markup("Harga [teks](target naik\nturun")) == ["harga", "teks", "turun"]
    assert words(strip_markup("Harga [teks](target) naik")) == ["harga", "teks", "naik"]


@pytest.mark.parametrize(
    "opener", ["```", "<!--", "{{<", "{{%", "{%", "{{", "](", "<a", "http://", "www."]
)
def test_stripping_markup_is_linear_in_unclosed_openers(opener: str) -> None:
    finishes(strip_markup, (opener + " kata ") * (1_000_000 // (len(opener) + 6)))
