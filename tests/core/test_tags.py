"""Tag counting, near-duplicate grouping and the shape-keeping rename of a tags value."""

from __future__ import annotations

from datetime import UTC
from pathlib import Path

import pytest

from lushbeat_cli.core.article import build_article
from lushbeat_cli.core.reading.frontmatter import parse_text
from lushbeat_cli.core.workflow.tags import (
    TagCount,
    check_tag_names,
    count_tags,
    rename_in_value,
    similar_tag_groups,
    tag_key,
)
from lushbeat_cli.errors import UsageError


def article(tags: str) -> object:
    path = Path("a.md")
    return build_article(path, parse_text(f"---\ntitle: T\ntags: {tags}\n---\n", path), UTC)


def test_counts_are_per_article_most_used_first() -> None:
    counts = count_tags(
        [article("[b, a, a]"), article("[a, c]"), article("[c]"), article("Zeta, b")]
    )
    assert counts == [
        TagCount("a", 2),
        TagCount("b", 2),
        TagCount("c", 2),
        TagCount("Zeta", 1),
    ]


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("Venezuela", "venezuela"),
        ("Bulu Tangkis", "bulu-tangkis"),
        ("bulu_tangkis", "bulutangkis"),
        ("Énergie", "energie"),
        ("Uni-Eropa", "uni eropa"),
    ],
)
def test_tag_key_folds_spelling_noise(a: str, b: str) -> None:
    assert tag_key(a) == tag_key(b)


def test_similar_groups_by_folding_and_typos_with_the_most_used_as_canonical() -> None:
    counts = [
        TagCount("venezuela", 5),
        TagCount("Venezuela", 2),
        TagCount("Venezuella", 1),
        TagCount("bulu-tangkis", 3),
        TagCount("Bulu Tangkis", 3),
        TagCount("pilkada", 4),
        TagCount("pilpres", 4),
        TagCount("g7", 1),
        TagCount("g20", 1),
    ]
    groups = similar_tag_groups(counts)
    assert [(g.canonical, g.count, [v.tag for v in g.variants]) for g in groups] == [
        ("venezuela", 8, ["venezuela", "Venezuela", "Venezuella"]),
        ("bulu-tangkis", 6, ["bulu-tangkis", "Bulu Tangkis"]),
    ]


def test_the_threshold_controls_typo_matching() -> None:
    counts = [TagCount("rupiah", 2), TagCount("rupia", 1)]
    assert similar_tag_groups(counts, 95) == []
    assert [g.canonical for g in similar_tag_groups(counts, 85)] == ["rupiah"]


@pytest.mark.parametrize(
    ("raw", "mapping", "expected"),
    [
        (["a", "old", "b"], {"old": "new"}, ["a", "new", "b"]),
        (["a", "old", "new"], {"old": "new"}, ["a", "new"]),
        (["new", "old"], {"old": "new"}, ["new"]),
        (["x", "y"], {"old": "new"}, None),
        (["x", "A", "B"], {"A": "c", "B": "c"}, ["x", "c"]),
        (["2024", "pemilu"], {"2024": "tahun-2024"}, ["tahun-2024", "pemilu"]),
        ([2024, "pemilu"], {"2024": "tahun-2024"}, ["tahun-2024", "pemilu"]),
        ([2024, "pemilu"], {"pemilu": "pemilihan"}, [2024, "pemilihan"]),
        ("a, old, b", {"old": "new"}, "a, new, b"),
        ("a,old,b", {"old": "new"}, "a,new,b"),
        ("old", {"old": "new"}, "new"),
        ("a, b", {"old": "new"}, None),
        ([{"name": "old"}], {"old": "new"}, None),
        (None, {"old": "new"}, None),
    ],
)
def test_rename_in_value_keeps_the_shape(raw, mapping, expected) -> None:
    assert rename_in_value(raw, mapping) == expected


def test_check_tag_names_refuses_unknown_and_bad_names() -> None:
    counts = [TagCount("venezuela", 3), TagCount("rusia", 1)]
    assert check_tag_names(["venezuela", " venezuela "], " vz ", counts) == (["venezuela"], "vz")
    with pytest.raises(UsageError, match=r"unknown tag: 'Venezuela' \(did you mean 'venezuela'"):
        check_tag_names(["Venezuela"], "x", counts)
    with pytest.raises(UsageError, match="unknown tags: 'a', 'b'"):
        check_tag_names(["a", "rusia", "b"], "x", counts)
    with pytest.raises(UsageError, match="must not be empty"):
        check_tag_names(["rusia"], "  ", counts)
    with pytest.raises(UsageError, match="cannot contain a comma"):
        check_tag_names(["rusia"], "a,b", counts)
