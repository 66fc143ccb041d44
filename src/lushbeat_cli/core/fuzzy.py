"""Fuzzy matching: the one home of rapidfuzz (titles, keys, tags, typo correction).

Imported lazily by core modules that need it, so commands that don't match pay nothing.
"""

from __future__ import annotations

import heapq
import re
from bisect import bisect_right
from collections.abc import Callable, Iterable, Sequence

from rapidfuzz import fuzz, process, utils

from lushbeat_cli.core.query import fold
from lushbeat_cli.core.similar.text import title_head


def title_similarity(a: str, b: str) -> float:
    """0-100: how alike two titles are, ignoring case, accents, punctuation and word order
    (on their first TITLE_CHARS characters)."""
    if not a or not b:
        return 0.0
    left, right = fold(title_head(a)), fold(title_head(b))
    return float(fuzz.token_sort_ratio(left, right, processor=utils.default_process))


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
    folded = fold(title_head(query))
    scored = [
        (
            key,
            float(
                fuzz.token_set_ratio(
                    folded, fold(title_head(title)), processor=utils.default_process
                )
            ),
        )
        for key, title in titles
        if title
    ]
    scored = [(key, score) for key, score in scored if score >= cutoff]
    scored.sort(key=lambda item: -item[1])
    return scored[:limit]


# ------------------------------------------------------ similar posts (core/similar/engine.py)

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
    left, right = fold(title_head(a)), fold(title_head(b))
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
    factor = 200.0 / cutoff - 1 if cutoff > 0 else float("inf")
    if count > TYPO_PAIRS_LIMIT:
        _neighbour_pairs(words, cutoff, factor, parent, root)
    else:
        order = sorted(range(count), key=lambda i: len(words[i]))
        lengths = [len(words[i]) for i in order]
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


# Every pair of spellings is compared up to this many (0.25 s); beyond it (a vocabulary that
# grows with the square of its size: 90,000 tags of one article took hours), each spelling is
# compared with its NEIGHBOURS nearest in alphabetical order, and in the order of the reversed
# spellings, which keeps every typo but one that changes both of a tag's ends.
TYPO_PAIRS_LIMIT = 5_000
NEIGHBOURS = 50


def _neighbour_pairs(
    words: Sequence[str],
    cutoff: float,
    factor: float,
    parent: list[int],
    root: Callable[[int], int],
) -> None:
    count = len(words)
    for key in (lambda i: words[i], lambda i: words[i][::-1]):
        order = sorted(range(count), key=key)
        for position, i in enumerate(order):
            word = words[i]
            if not word:
                continue
            window = [
                j
                for j in order[position + 1 : position + 1 + NEIGHBOURS]
                if words[j]
                and max(len(word), len(words[j])) <= min(len(word), len(words[j])) * factor + 1e-9
            ]
            for _, _, offset in process.extract(
                word, [words[j] for j in window], scorer=fuzz.ratio, score_cutoff=cutoff, limit=None
            ):
                parent[root(window[offset])] = root(i)


# ---------------------------------------------------------------- validate: typos, duplicate titles

_ROMAN = re.compile(r"[ivx]+")  # part ii
_RAREST_TOKENS = 2  # blocking: each title is compared with the titles sharing its rarest words


class ClosestMatch:
    """``closest_spelling`` for many look-ups against one large set of choices (every slug).

    Folded like ``closest_spelling`` (case and accents ignored). Large sets are searched among
    the choices that share the word's first or last three letters, so each look-up stays fast
    on tens of thousands of choices.
    """

    BLOCK_ABOVE = 2000

    def __init__(self, choices: Iterable[str], cutoff: float = 80.0) -> None:
        self.choices = list(dict.fromkeys(choices))
        self.lowered = [fold(choice) for choice in self.choices]
        self.cutoff = cutoff
        self.exact: dict[str, str] = {}
        self.blocks: dict[str, list[int]] = {}
        for index, low in enumerate(self.lowered):
            self.exact.setdefault(low, self.choices[index])
            if len(self.choices) > self.BLOCK_ABOVE:
                for block in {"<" + low[:3], ">" + low[-3:]}:
                    self.blocks.setdefault(block, []).append(index)

    def __call__(self, word: str) -> str | None:
        low = fold(word)
        if low in self.exact:
            return self.exact[low]
        if len(self.choices) <= self.BLOCK_ABOVE:
            match = process.extractOne(
                low, self.lowered, scorer=fuzz.ratio, score_cutoff=self.cutoff
            )
            return self.choices[match[2]] if match else None
        indexes = sorted(
            {*self.blocks.get("<" + low[:3], ()), *self.blocks.get(">" + low[-3:], ())}
        )
        match = process.extractOne(
            low, [self.lowered[i] for i in indexes], scorer=fuzz.ratio, score_cutoff=self.cutoff
        )
        return self.choices[indexes[match[2]]] if match else None


def title_key(title: str) -> str:
    """A title as compared for near-duplicates: folded, punctuation dropped, words sorted (its
    first TITLE_CHARS characters)."""
    return " ".join(sorted(utils.default_process(fold(title_head(title))).split()))


def near_duplicate_titles(
    titles: Sequence[str], threshold: float, queries: Iterable[int] | None = None
) -> dict[int, list[tuple[int, float]]]:
    """For each queried index (default: all), the other titles scoring at least ``threshold``.

    Scores are ``title_similarity`` (0-100). Titles that differ in their numbers (``Part 1`` /
    ``Part 2``, ``October 2022`` / ``October 2024``) are instalments, not duplicates. A few
    queries are compared with every title; the whole collection is blocked by shared rare words,
    so the cost stays near-linear instead of comparing all pairs.
    """
    keys = [title_key(title) for title in titles]
    numbers = [_numbering(key) for key in keys]
    wanted = list(dict.fromkeys(range(len(keys)) if queries is None else queries))
    found: dict[int, dict[int, float]] = {}

    def add(i: int, j: int, score: float) -> None:
        if i != j and numbers[i] == numbers[j]:
            found.setdefault(i, {})[j] = score
            found.setdefault(j, {})[i] = score

    if queries is not None and len(wanted) * len(keys) <= 2_000_000:
        for i in wanted:
            if keys[i]:
                for _, score, j in process.extract(
                    keys[i], keys, scorer=fuzz.ratio, score_cutoff=threshold, limit=None
                ):
                    add(i, j, score)
    else:
        postings: dict[str, list[int]] = {}
        for index, key in enumerate(keys):
            for token in set(key.split()):
                postings.setdefault(token, []).append(index)
        frequency = {token: len(found) for token, found in postings.items()}
        blocks: dict[str, list[str]] = {}
        for i in wanted:
            tokens = set(keys[i].split())
            for token in heapq.nsmallest(_RAREST_TOKENS, tokens, key=frequency.__getitem__):
                if frequency[token] == 1:
                    continue  # only this title has the word
                block = blocks.get(token)
                if block is None:
                    block = blocks[token] = [keys[j] for j in postings[token]]
                for _, score, at in process.extract(
                    keys[i], block, scorer=fuzz.ratio, score_cutoff=threshold, limit=None
                ):
                    add(i, postings[token][at], score)
    wanted_set = set(wanted)
    return {
        i: sorted(others.items(), key=lambda item: (-item[1], item[0]))
        for i, others in found.items()
        if i in wanted_set
    }


def _numbering(key: str) -> list[str]:
    """The numbers in a title (2024, part 2, chm131189, part ii): instalments differ in them."""
    romans = [token for token in key.split() if _ROMAN.fullmatch(token)]
    return sorted([*re.findall(r"\d+", key), *romans])


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
