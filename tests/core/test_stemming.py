"""Word forms: Indonesian and English words meet at one stem; other languages are left alone."""

from __future__ import annotations

import pytest

from lushbeat_cli.core.similar.stemming import stem, stem_words


@pytest.mark.parametrize(
    ("lang", "forms"),
    [
        ("id", ["menguat", "penguatan", "menguatnya"]),
        ("id", ["dibatalkan", "pembatalan", "membatalkan"]),
        ("id", ["kebijakan", "bijak"]),
        ("ms", ["dibatalkan", "pembatalan"]),
        ("en", ["elections", "election", "elected"]),
        ("en-GB", ["accessibility", "accessible"]),
    ],
)
def test_forms_of_one_word_share_a_stem(lang: str, forms: list[str]) -> None:
    assert len({stem(word, lang) for word in forms}) == 1
    assert stem_words(forms, lang) == [stem(word, lang) for word in forms]


@pytest.mark.parametrize("lang", ["", "fr", "xx", "und"])
def test_languages_without_a_stemmer_keep_their_words(lang: str) -> None:
    assert stem("elections", lang) == "elections"
    assert stem_words(["pembatalan"], lang) == ["pembatalan"]


def test_unrelated_words_stay_apart() -> None:
    assert stem("pemilu", "id") != stem("pemilihan", "id")  # an acronym: no stemmer joins them
    assert stem("rupiah", "id") != stem("ruang", "id")
