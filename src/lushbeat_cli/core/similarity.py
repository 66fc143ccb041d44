"""Fuzzy matching: the one home of rapidfuzz (titles, keys, tags; later the similar-posts engine).

Imported lazily by core modules that need it, so commands that don't match pay nothing.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from rapidfuzz import fuzz, process, utils

from lushbeat_cli.core.query import fold


def title_similarity(a: str, b: str) -> float:
    """0-100: how alike two titles are, ignoring case, accents, punctuation and word order."""
    if not a or not b:
        return 0.0
    return float(fuzz.token_sort_ratio(fold(a), fold(b), processor=utils.default_process))


def best_match(word: str, choices: Iterable[str], cutoff: float = 75.0) -> str | None:
    """The closest choice to ``word`` (for "did you mean" hints), or None."""
    match = process.extractOne(word, list(choices), scorer=fuzz.WRatio, score_cutoff=cutoff)
    return match[0] if match else None


def title_candidates(
    query: str, titles: Iterable[tuple[str, str]], cutoff: float = 60.0, limit: int = 10
) -> list[tuple[str, float]]:
    """Keys of ``(key, title)`` pairs whose title matches ``query``, best first, with scores.

    Uses a blend that rewards a query that is a subset of the title ("maduro pilpres").
    """
    folded = fold(query)
    scored = [
        (key, float(fuzz.token_set_ratio(folded, fold(title), processor=utils.default_process)))
        for key, title in titles
        if title
    ]
    scored = [(key, score) for key, score in scored if score >= cutoff]
    scored.sort(key=lambda item: -item[1])
    return scored[:limit]


# ---------------------------------------------------------------- similar posts (core/related.py)

TERM_MATCH_CUTOFF = 85.0  # fuzz.ratio at or above this: the same word ("sanction" ~ "sanctions")
FUZZY_MIN_LENGTH = 5  # shorter words must match exactly: "eu" is not "us"


def matched_title_terms(source: Sequence[str], other: Sequence[str]) -> list[str]:
    """The words of ``source`` that ``other`` also has, exactly or nearly (rapidfuzz ratio).

    Both are already folded, stop-worded title terms; a near match catches variants a light
    stemmer leaves apart ("kemenangan" ~ "kemenangannya", "finalise" ~ "finalised").
    """
    if not source or not other:
        return []
    others = set(other)
    candidates = [word for word in other if len(word) >= FUZZY_MIN_LENGTH - 1]
    matched: list[str] = []
    for word in source:
        if word in others:
            matched.append(word)
        elif len(word) >= FUZZY_MIN_LENGTH and candidates:
            hit = process.extractOne(
                word, candidates, scorer=fuzz.ratio, score_cutoff=TERM_MATCH_CUTOFF
            )
            if hit is not None:
                matched.append(word)
    return matched
