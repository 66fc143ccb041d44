"""Fuzzy matching: the one home of rapidfuzz (titles, keys, tags; later the similar-posts engine).

Imported lazily by core modules that need it, so commands that don't match pay nothing.
"""

from __future__ import annotations

from bisect import bisect_right
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


# ---------------------------------------------------------------- writer workflow
# Used by `lushbeat import` (linking "Baca juga : TITLE" lines) and `lushbeat tags --similar`.

LINK_TITLE_CUTOFF = 80.0
TAG_TYPO_CUTOFF = 90.0


def headline_similarity(a: str, b: str) -> float:
    """0-100 for a cited headline against an article title.

    The mean of token-set (rewards shared words, forgives added ones such as "telah") and
    token-sort (punishes a one-word query that is merely contained in a long title) ratios.
    """
    if not a or not b:
        return 0.0
    left, right = fold(a), fold(b)
    shared = fuzz.token_set_ratio(left, right, processor=utils.default_process)
    whole = fuzz.token_sort_ratio(left, right, processor=utils.default_process)
    return (float(shared) + float(whole)) / 2


def headline_matches(
    query: str, titles: Iterable[tuple[str, str]], cutoff: float = LINK_TITLE_CUTOFF
) -> list[tuple[str, float]]:
    """Keys of ``(key, title)`` pairs whose title is the headline ``query`` cites, best first."""
    scored = [(key, headline_similarity(query, title)) for key, title in titles if title]
    matches = [(key, score) for key, score in scored if score >= cutoff]
    matches.sort(key=lambda item: -item[1])
    return matches


def closest_spelling(word: str, choices: Iterable[str], cutoff: float = 75.0) -> str | None:
    """The choice spelled most like ``word`` (whole-string edit similarity, folded), or None.

    Stricter than ``best_match``: "a" is not a near-spelling of "rusia".
    """
    options = list(choices)
    match = process.extractOne(
        fold(word), [fold(choice) for choice in options], scorer=fuzz.ratio, score_cutoff=cutoff
    )
    return options[match[2]] if match else None


def typo_groups(words: Sequence[str], cutoff: float = TAG_TYPO_CUTOFF) -> list[list[int]]:
    """Indexes of ``words`` joined into groups of near-identical spellings (single linkage).

    ``words`` should already be normalised (folded); only groups of two or more are returned,
    each sorted, in order of their first member.
    """
    count = len(words)
    if count < 2:
        return []
    parent = list(range(count))

    def root(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    # fuzz.ratio is 200 * matches / (len(a) + len(b)), so with len(a) <= len(b) it can only
    # reach the cutoff when len(b) <= len(a) * (200 / cutoff - 1): compare those pairs only.
    order = sorted(range(count), key=lambda i: len(words[i]))
    lengths = [len(words[i]) for i in order]
    factor = 200.0 / cutoff - 1 if cutoff > 0 else float("inf")
    for position, i in enumerate(order):
        if not words[i]:
            continue
        end = bisect_right(lengths, lengths[position] * factor + 1e-9)
        later = [words[j] for j in order[position + 1 : end]]
        for _, _, offset in process.extract(
            words[i], later, scorer=fuzz.ratio, score_cutoff=cutoff, limit=None
        ):
            parent[root(order[position + 1 + offset])] = root(i)
    groups: dict[int, list[int]] = {}
    for i in range(count):
        groups.setdefault(root(i), []).append(i)
    return sorted((g for g in groups.values() if len(g) > 1), key=lambda g: g[0])
