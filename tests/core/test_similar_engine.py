"""The similar-posts engine without the CLI: scoring, explanations, rules, storing `related:`."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

import pytest

from lushbeat_cli.core.article import build_article
from lushbeat_cli.core.config import build_config, load_config
from lushbeat_cli.core.reading.corpus import load_corpus
from lushbeat_cli.core.reading.frontmatter import parse_text
from lushbeat_cli.core.similar.engine import (
    PARTS,
    SimilarEngine,
    SimilarSettings,
    Weights,
    is_locked,
    normalize_tag,
    plan_related_edit,
)
from lushbeat_cli.errors import ConfigError, EditError
from tests.conftest import EXAMPLES

NOW = datetime(2025, 1, 1, tzinfo=UTC)

VENEZUELA = (
    "Maduro wins the disputed Venezuela election; the opposition and Caracas protesters doubt it."
)
SANCTIONS = (
    "The European Union adopts sanctions on Russian gas; Moscow calls the sanctions illegal."
)
BADMINTON = "Gregoria takes bronze in badminton at the Paris Olympics after Marin retires injured."


def article(tmp_path: Path, name: str, body: str = "", **fields: object):
    fields.setdefault("title", name.replace("-", " ").title())
    fields.setdefault("date", "2024-07-01")
    fields.setdefault("lang", "en")
    lines = ["---", *(f"{key}: {json.dumps(value)}" for key, value in fields.items()), "---"]
    text = "\n".join(lines) + "\n" + body + "\n"
    path = tmp_path / f"{name}.md"
    path.write_text(text, encoding="utf-8")
    return build_article(path, parse_text(text, path), UTC, NOW)


@pytest.fixture
def corpus(tmp_path: Path) -> list:
    return [
        article(tmp_path, "venezuela-1", VENEZUELA, date="2024-07-29", tags=["Venezuela"]),
        article(
            tmp_path,
            "venezuela-2",
            VENEZUELA + " Maduro again.",
            date="2024-07-20",
            tags=["venezuela "],
        ),
        article(
            tmp_path,
            "venezuela-3",
            "Caracas opposition leader flees Venezuela; Maduro stays.",
            date="2024-09-09",
            tags=["VENEZUELA", "caracas"],
        ),
        article(tmp_path, "sanctions-1", SANCTIONS, date="2024-06-24", tags=["rusia"]),
        article(
            tmp_path,
            "sanctions-2",
            SANCTIONS + " More sanctions.",
            date="2024-05-01",
            tags=["rusia"],
        ),
        article(tmp_path, "badminton", BADMINTON, date="2024-07-28", tags=["bulu-tangkis"]),
    ]


def settings(**changes: object) -> SimilarSettings:
    base = SimilarSettings.from_config(build_config({}, Path("."), None))
    return base.replace(**changes)


def slugs(items) -> list[str]:
    return [item.article.slug for item in items]


def by_slug(articles, slug):
    return next(a for a in articles if a.slug == slug)


def test_explanation_adds_up_to_the_score(corpus) -> None:
    index = SimilarEngine(corpus, settings(include_newer=True, threshold=0.0))
    checked = 0
    for source in corpus:
        for item in index.suggest(source):
            assert set(item.contributions) == set(PARTS)
            assert round(sum(item.contributions.values()), 4) == item.score
            for part in PARTS:
                expected = round(index.settings.weights.of(part) * item.values[part], 4)
                assert abs(item.contributions[part] - expected) <= 1e-4
            checked += 1
    assert checked > 5


def test_the_same_story_comes_first_and_explains_why(corpus) -> None:
    index = SimilarEngine(corpus, settings(include_newer=True))
    items = index.suggest(by_slug(corpus, "venezuela-1"))
    assert slugs(items)[:2] == ["venezuela-2", "venezuela-3"]
    best = items[0]
    assert best.shared_tags == ("Venezuela",)  # as the source spells it
    assert "maduro" in best.shared_terms and "venezuela" in best.shared_terms
    assert "badminton" not in slugs(items) and "sanctions-1" not in slugs(items)


def test_tags_are_normalised() -> None:
    assert normalize_tag("Venezuela") == normalize_tag("VENEZUELA ") == "venezuela"
    assert normalize_tag("Nicolás Maduro") == normalize_tag("nicolas_maduro") == "nicolas-maduro"


def test_tags_alone_make_a_match(tmp_path: Path) -> None:
    items = [
        article(tmp_path, "a", "Alpha bravo charlie.", tags=["Nicolás Maduro"]),
        article(tmp_path, "b", "Delta echo foxtrot.", tags=["nicolas-maduro"], date="2024-06-01"),
    ]
    found = SimilarEngine(items, settings()).suggest(items[0])
    assert slugs(found) == ["b"]
    assert found[0].values["tags"] == 1.0 and found[0].values["text"] == 0.0


def test_only_older_stories_unless_include_newer(corpus) -> None:
    source = by_slug(corpus, "venezuela-1")  # 2024-07-29
    older = SimilarEngine(corpus, settings()).suggest(source)
    assert "venezuela-3" not in slugs(older)  # dated 2024-09-09
    assert all(item.article.date <= source.date for item in older)
    assert "venezuela-3" in slugs(
        SimilarEngine(corpus, settings(include_newer=True)).suggest(source)
    )


def test_same_language_by_default(tmp_path: Path, corpus) -> None:
    corpus.append(article(tmp_path, "venezuela-id", VENEZUELA, lang="id", date="2024-07-02"))
    source = by_slug(corpus, "venezuela-1")
    assert "venezuela-id" not in slugs(SimilarEngine(corpus, settings()).suggest(source))
    assert "venezuela-id" in slugs(SimilarEngine(corpus, settings(same_lang=False)).suggest(source))


def test_missing_lang_is_the_default_lang(tmp_path: Path) -> None:
    items = [
        article(tmp_path, "a", VENEZUELA, lang="id"),
        article(tmp_path, "b", VENEZUELA, date="2024-06-01"),
    ]
    del items[1].metadata["lang"]
    items[1].lang = None
    assert slugs(SimilarEngine(items, settings(default_lang="id")).suggest(items[0])) == ["b"]
    assert slugs(SimilarEngine(items, settings(default_lang="en")).suggest(items[0])) == []


def test_threshold_and_limit(corpus) -> None:
    source = by_slug(corpus, "venezuela-1")
    everything = SimilarEngine(corpus, settings(include_newer=True, threshold=0.0)).suggest(source)
    assert len(everything) == 2
    cut = everything[0].score
    above = SimilarEngine(corpus, settings(include_newer=True, threshold=cut)).suggest(source)
    assert all(item.score >= cut for item in above) and len(above) < len(everything)
    one = SimilarEngine(corpus, settings(include_newer=True, limit=1)).suggest(source)
    assert slugs(one) == slugs(everything)[:1]
    assert SimilarEngine(corpus, settings(limit=0)).suggest(source) == []


def test_drafts_and_scheduled_stories_are_never_suggested(tmp_path: Path, corpus) -> None:
    corpus.append(article(tmp_path, "draft", VENEZUELA, status="draft", date="2024-07-01"))
    corpus.append(article(tmp_path, "later", VENEZUELA, date="2030-01-01"))
    assert corpus[-1].status.value == "scheduled"
    index = SimilarEngine(corpus, settings(include_newer=True, threshold=0.0, limit=10))
    found = slugs(index.suggest(by_slug(corpus, "venezuela-1")))
    assert "draft" not in found and "later" not in found
    # A draft still gets suggestions of its own.
    assert "venezuela-1" in slugs(index.suggest(by_slug(corpus, "draft")))


def test_excluded_tags_categories_and_paths(tmp_path: Path, corpus) -> None:
    source = by_slug(corpus, "venezuela-1")
    base = slugs(SimilarEngine(corpus, settings(include_newer=True)).suggest(source))
    assert "venezuela-3" in base
    no_caracas = SimilarEngine(corpus, settings(include_newer=True, exclude_tags=("Caracas",)))
    assert "venezuela-3" not in slugs(no_caracas.suggest(source))
    corpus[1].category = "Opini"
    no_opinion = SimilarEngine(corpus, settings(include_newer=True, exclude_categories=("opini",)))
    assert "venezuela-2" not in slugs(no_opinion.suggest(source))
    no_path = SimilarEngine(
        corpus,
        settings(include_newer=True, exclude_paths=("venezuela-2.*",)),
        content_root=tmp_path,
    )
    assert "venezuela-2" not in slugs(no_path.suggest(source))


def test_max_age_days(corpus) -> None:
    source = by_slug(corpus, "venezuela-1")
    near = SimilarEngine(corpus, settings(include_newer=True, max_age_days=30)).suggest(source)
    assert "venezuela-2" in slugs(near) and "venezuela-3" not in slugs(near)


def test_pool_restricts_what_may_be_suggested(corpus) -> None:
    index = SimilarEngine(
        corpus, settings(include_newer=True, threshold=0.0), pool=lambda a: "caracas" in a.tags
    )
    assert slugs(index.suggest(by_slug(corpus, "venezuela-1"))) == ["venezuela-3"]


def test_no_shared_term_or_tag_means_no_candidate(tmp_path: Path) -> None:
    items = [
        article(tmp_path, "a", "alpha bravo charlie"),
        article(tmp_path, "b", "delta echo foxtrot"),
        article(tmp_path, "c", "golf hotel india"),
    ]
    index = SimilarEngine(
        items, settings(threshold=0.0, include_newer=True, weights=Weights(recency=1.0))
    )
    assert all(index.suggest(item) == [] for item in items)


def test_an_unsaved_story_is_analysed_on_the_fly(tmp_path: Path, corpus) -> None:
    from lushbeat_cli.core.article import Article

    index = SimilarEngine(corpus, settings())
    story = Article(path=tmp_path / "new.md", metadata={}, body=SANCTIONS, title="Sanctions")
    assert slugs(index.suggest(story))[:2] == ["sanctions-1", "sanctions-2"]


def test_settings_from_config_are_checked(tmp_path: Path) -> None:
    config = build_config({"similar": {"tags_weight": -1.0}}, tmp_path, None)
    with pytest.raises(ConfigError, match="tags_weight"):
        SimilarSettings.from_config(config)
    zero = {f"{part}_weight": 0.0 for part in PARTS}
    with pytest.raises(ConfigError, match="cannot all be 0"):
        SimilarSettings.from_config(build_config({"similar": zero}, tmp_path, None))
    with pytest.raises(ConfigError, match="threshold"):
        SimilarSettings.from_config(build_config({"similar": {"threshold": 2}}, tmp_path, None))
    with pytest.raises(ConfigError, match=r"unknown setting 'similar\.limt'"):
        build_config({"similar": {"limt": 3}}, tmp_path, None)
    good = SimilarSettings.from_config(
        build_config({"similar": {"text_weight": 1, "extra_stop_words": ["Lush"]}}, tmp_path, None)
    )
    assert good.weights == Weights(text=1.0)
    assert "lush" in good.stop_words and "yang" in good.stop_words


def test_examples_seed_gets_the_venezuela_stories() -> None:
    config = load_config(EXAMPLES)
    corpus = load_corpus(config)
    seed = next(a for a in corpus.articles if a.slug.startswith("pilpres-venezuela"))
    base = SimilarSettings.from_config(config)
    newer = SimilarEngine(corpus.articles, base.replace(include_newer=True)).suggest(seed)
    assert slugs(newer)[0] == "edmundo-gonzalez-tinggalkan-venezuela-terbang-ke-spanyol"
    anywhere = SimilarEngine(
        corpus.articles, base.replace(include_newer=True, same_lang=False)
    ).suggest(seed)
    venezuela = {a.slug for a in corpus.articles if "venezuela" in a.tags} - {seed.slug}
    assert len(venezuela) == 3 and {a.lang for a in corpus.articles if a.slug in venezuela} == {
        "id",
        "en",
    }
    assert set(slugs(anywhere[:2])) <= venezuela  # the two best are Venezuela stories
    assert venezuela <= set(slugs(anywhere[:4]))  # and all three are in the top four
    # The default: older stories only, same language; the EU/Russia story the seed links to.
    older = SimilarEngine(corpus.articles, base).suggest(seed)
    assert slugs(older)[0] == "uni-eropa-alihkan-rp31-triliun-dari-bunga-aset-rusia-untuk-ukraina"
    assert all(item.article.date <= seed.date and item.article.lang == "id" for item in older)


# ---------------------------------------------------------------- storing


def test_related_edit_changes_only_that_key_and_is_idempotent(tmp_path: Path) -> None:
    source = article(tmp_path, "a", "Body.", tags=["x"])
    edit = plan_related_edit(source, ["b", "c"])
    assert edit.changed
    assert edit.new == edit.old.replace("---\nBody.", "related: [b, c]\n---\nBody.")
    source.path.write_text(edit.new, encoding="utf-8")
    assert not plan_related_edit(source, ["b", "c"]).changed


def test_no_suggestions_adds_no_empty_key(tmp_path: Path) -> None:
    source = article(tmp_path, "a", "Body.")
    assert not plan_related_edit(source, []).changed


def test_lock(tmp_path: Path) -> None:
    assert is_locked(article(tmp_path, "a", related_lock=True))
    assert is_locked(article(tmp_path, "b", related_lock="yes"))
    assert not is_locked(article(tmp_path, "c", related_lock=False))
    assert not is_locked(article(tmp_path, "d"))


def test_an_unreadable_file_is_an_edit_error(tmp_path: Path) -> None:
    source = article(tmp_path, "a")
    source.path.write_bytes(b"---\ntitle: \xff\n---\n")
    with pytest.raises(EditError, match="UTF-8"):
        plan_related_edit(source, ["b"])


def test_an_unsaved_story_in_another_language_than_the_whole_archive(tmp_path: Path) -> None:
    from lushbeat_cli.core.article import Article

    items = [
        article(tmp_path, "a", VENEZUELA),
        article(tmp_path, "b", SANCTIONS),
        article(tmp_path, "c", VENEZUELA, date="2024-06-01"),
    ]
    index = SimilarEngine(items, settings(default_lang="id"))
    story = Article(path=tmp_path / "new.md", metadata={}, body=VENEZUELA, title="Venezuela")
    assert index.suggest(story) == []
    story.lang = "en"
    assert slugs(index.suggest(story)) == ["a", "c"]


def test_progress_is_reported_for_both_phases(corpus) -> None:
    seen: list[tuple[str, int, int]] = []
    index = SimilarEngine(corpus, settings(), progress=lambda *step: seen.append(step))
    results = list(index.suggest_all(progress=lambda *step: seen.append(step)))
    assert len(results) == len(corpus)
    assert seen == [("analysing", 6, 6), ("scoring", 6, 6)]


def test_workers_give_the_same_results_in_the_same_order(tmp_path: Path, corpus) -> None:
    corpus += [
        article(tmp_path, f"extra-{n}", VENEZUELA if n % 2 else SANCTIONS, date=f"2024-03-{n:02d}")
        for n in range(1, 21)
    ]
    index = SimilarEngine(corpus, settings(include_newer=True))
    serial = list(index.suggest_all(workers=1))
    parallel = list(index.suggest_all(workers=2))
    assert [(a.path, found) for a, found in parallel] == [(a.path, found) for a, found in serial]
    assert sum(len(found) for _, found in serial) > 20
