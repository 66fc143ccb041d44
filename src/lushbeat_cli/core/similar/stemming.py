"""Word forms: the one home of PyStemmer (Snowball stemmers in C).

``stem(word, lang)`` gives the Snowball stem of a folded word for Indonesian (``id``, and
Malay, ``ms``) and English (``en``); other languages keep their words. Search and the
similar-posts engine both read words through here, so "menguat" and "penguatan" (both
"uat"), "dibatalkan" and "pembatalan" ("batal"), "elections" and "elected" ("elect") meet.

Why Snowball: one well-kept library, written in C (1.5 M words a second here), with both of
our languages. Sastrawi, the usual Indonesian alternative, is dictionary-based and keeps roots
whole ("berita" stays "berita" where Snowball gives "ita"), but is pure Python (about 5 µs a
word), unmaintained since 2016, and knows only Indonesian. A stem is never shown to anyone:
only whether two words share one matters.
"""

from __future__ import annotations

from functools import lru_cache

import Stemmer

# lushbeat's language codes (a tag's primary subtag) -> Snowball's algorithm names.
ALGORITHMS = {"id": "indonesian", "ms": "indonesian", "en": "english"}


@lru_cache(maxsize=8)
def _stemmer(lang: str) -> Stemmer.Stemmer | None:
    algorithm = ALGORITHMS.get(lang.split("-")[0].lower()) if lang else None
    return Stemmer.Stemmer(algorithm) if algorithm else None


def stemmer_for(lang: str) -> Stemmer.Stemmer | None:
    """The stemmer of a language tag (``id``, ``en-GB``), or None for a language without one."""
    return _stemmer(lang or "")


def stem(word: str, lang: str) -> str:
    """The stem of one folded word in ``lang`` (the word itself where there is no stemmer)."""
    stemmer = _stemmer(lang or "")
    return stemmer.stemWord(word) if stemmer is not None else word


def stem_words(words: list[str], lang: str) -> list[str]:
    """``stem`` for many words at once (one call into C)."""
    stemmer = _stemmer(lang or "")
    return stemmer.stemWords(words) if stemmer is not None else list(words)
