"""The fuzzy helpers validation uses: "did you mean" look-ups and near-duplicate titles."""

from __future__ import annotations

import random

from lushbeat_cli.core import fuzzy
from lushbeat_cli.core.fuzzy import (
    ClosestMatch,
    closest_spelling,
    headline_similarity,
    near_duplicate_titles,
    title_candidates,
    title_similarity,
    typo_groups,
)
from lushbeat_cli.core.similar.text import TITLE_CHARS
from tests.limits import finishes


def test_closest_spelling_for_typos() -> None:
    keys = ["title", "tags", "slug", "date", "summary", "category"]
    assert closest_spelling("tittle", keys) == "title"
    assert closest_spelling("tag", keys) == "tags"
    assert closest_spelling("Sumary", keys) == "summary"
    assert closest_spelling("featured_image", keys) is None
    assert closest_spelling("deck", keys) is None


def test_closest_spelling_in_a_large_set_uses_blocks_and_ignores_case() -> None:
    slugs = [f"article-{n}-about-{word}" for n in range(3000) for word in ("rupiah",)]
    slugs.append("Access.Chart")
    matcher = ClosestMatch(slugs, cutoff=85)
    assert len(matcher.choices) > ClosestMatch.BLOCK_ABOVE
    assert matcher("access.chart") == "Access.Chart"
    assert matcher("article-2999-about-rupiah") == "article-2999-about-rupiah"
    assert matcher("article-2999-abut-rupiah") == "article-2999-about-rupiah"
    assert matcher("something else entirely") is None


TITLES = [
    "Rupiah Menguat ke Level Terkuat Tahun Ini",
    "rupiah menguat ke level terkuat tahun ini!",
    "Rupiah Menguat ke Level Terkuat Tahun Inii",
    "USWDS Monthly Call - October 2022",
    "USWDS Monthly Call - October 2024",
    "Foundations of Agile, Part I",
    "Foundations of Agile, Part II",
    "Bank Indonesia Pangkas Suku Bunga",
    "",
]


def test_near_duplicates_score_like_title_similarity() -> None:
    pairs = near_duplicate_titles(TITLES, 95)
    assert sorted(pairs) == [0, 1, 2]
    for i, others in pairs.items():
        for j, score in others:
            assert abs(score - title_similarity(TITLES[i], TITLES[j])) < 1e-6


def test_instalments_are_not_duplicates() -> None:
    pairs = near_duplicate_titles(TITLES, 80)
    assert 3 not in pairs and 5 not in pairs


def test_queries_see_every_title_and_blocking_finds_the_same_pairs() -> None:
    rng = random.Random(7)
    letters = "abcdefghijklmnopqrstuvwxyz"
    words = ["".join(rng.choices(letters, k=rng.randint(4, 9))) for _ in range(400)]
    titles = [" ".join(rng.sample(words, 7)) for _ in range(3000)]
    planted = range(0, 3000, 100)
    for n in planted:  # near-duplicates: one letter doubled in the middle of the title
        middle = len(titles[n]) // 2
        titles.append(titles[n][:middle] + titles[n][middle] + titles[n][middle:])
    exhaustive = near_duplicate_titles(titles, 95, queries=planted)
    blocked = near_duplicate_titles(titles, 95)
    assert len(exhaustive) == len(planted)
    for i, others in exhaustive.items():
        assert blocked[i] == others


def test_titles_are_compared_on_their_first_characters() -> None:
    """Fuzzy comparison costs the product of two titles' lengths: only the first TITLE_CHARS
    count, so two titles that differ only further on are duplicates (and compare fast)."""
    head = "Rupiah menguat ke level terkuat tahun ini " * 10
    long_a = head[:TITLE_CHARS] + " ".join(f"kata{n}" for n in range(100_000))
    long_b = head[:TITLE_CHARS] + " ".join(f"lain{n}" for n in range(100_000))
    assert title_similarity(long_a, long_b) == 100
    for queries in (None, [0]):
        pairs = near_duplicate_titles([long_a, long_b, "Harga cabai naik"], 95, queries)
        assert pairs[0] == [(1, 100.0)]
    assert headline_similarity(long_a, long_b) == 100
    assert title_candidates(long_a, [("b", long_b)]) == [("b", 100.0)]


def _vocabulary() -> list[str]:
    rng = random.Random(1)
    letters = "abcdefghijklmnopqrstuvwxyz"
    words = {"".join(rng.choice(letters) for _ in range(rng.randint(4, 14))) for _ in range(3000)}
    typos = set()
    for word in sorted(words)[:400]:
        at = rng.randrange(len(word))
        typos.add(word[:at] + rng.choice(letters) + word[at + 1 :])
    return sorted(words | typos)


def test_large_vocabularies_compare_neighbours_and_find_the_same_typos(monkeypatch) -> None:
    words = _vocabulary()
    every_pair = typo_groups(words)
    assert len(every_pair) > 150
    monkeypatch.setattr(fuzzy, "TYPO_PAIRS_LIMIT", 100)  # as if the vocabulary were huge
    assert typo_groups(words) == every_pair


def _group_tags(count: int) -> None:
    (group,) = typo_groups([f"tag-name-number-{number:06d}" for number in range(count)])
    assert len(group) == count


def test_typo_groups_of_a_huge_vocabulary_are_near_linear() -> None:
    finishes(_group_tags, 90_000)  # every pair: 4 billion comparisons
