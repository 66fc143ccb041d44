"""Tags and categories grouped as the filters match them, with unique slugs."""

from __future__ import annotations

from pathlib import Path

from lushbeat_cli.core.article import Article
from lushbeat_cli.exporters.taxonomy import category_names, group_terms, tag_names


def article(name: str, tags: list[str], category: str | None = None) -> Article:
    return Article(path=Path(f"/c/{name}.md"), metadata={}, body="", tags=tags, category=category)


def test_case_and_accent_variants_are_one_term_shown_as_first_met() -> None:
    first = article("a", ["Énergie", "ekonomi"])
    second = article("b", ["energie", "Ekonomi", "ekonomi"])
    terms = group_terms([first, second], tag_names)
    assert [(t.name, t.slug, len(t.articles)) for t in terms] == [
        ("ekonomi", "ekonomi", 2),
        ("Énergie", "energie", 2),
    ]


def test_colliding_slugs_get_numbers_and_index_is_reserved() -> None:
    terms = group_terms([article("a", ["C++", "C", "c#", "index", "???"])], tag_names)
    slugs = {term.name: term.slug for term in terms}
    assert slugs["index"] == "index-2"
    assert len(set(slugs.values())) == len(slugs)
    assert sorted(slugs[name] for name in ("C++", "C", "c#")) == ["c", "c-2", "c-3"]
    assert slugs["???"] == "untitled"


def test_categories() -> None:
    terms = group_terms(
        [article("a", [], "Olahraga"), article("b", [], "olahraga"), article("c", [], None)],
        category_names,
    )
    assert [(t.name, len(t.articles)) for t in terms] == [("Olahraga", 2)]
