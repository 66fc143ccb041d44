"""Fuzzy matching: the one home of rapidfuzz (titles, keys, tags; later the similar-posts engine).

Imported lazily by core modules that need it, so commands that don't match pay nothing.
"""

from __future__ import annotations

from collections.abc import Iterable

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


# ---------------------------------------------------------------- search: typo tolerance

LENGTH_SLACK = 2  # a typo changes a word's length by at most this much


def closest_word(
    word: str, vocabulary: Iterable[tuple[str, int]], cutoff: float | None = None
) -> str | None:
    """The indexed word most like ``word`` (a typo), or None; ties go to the commoner word.

    ``vocabulary`` holds ``(word, number of articles)`` pairs, already folded like ``word``.
    Only words of similar length are compared, so a large vocabulary stays fast.
    """
    if cutoff is None:
        cutoff = 80.0 if len(word) <= 5 else 75.0
    size = len(word)
    counts = {term: docs for term, docs in vocabulary if abs(len(term) - size) <= LENGTH_SLACK}
    if not counts:
        return None
    matches = process.extract(
        word, list(counts), scorer=fuzz.ratio, score_cutoff=cutoff, limit=10, processor=None
    )
    if not matches:
        return None
    best = max(matches, key=lambda match: (round(match[1], 1), counts[match[0]], match[0]))
    return str(best[0])
