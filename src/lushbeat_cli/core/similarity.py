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
