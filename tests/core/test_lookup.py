"""Resolving an ARTICLE argument: path, slug, fuzzy title, ambiguity."""

from __future__ import annotations

from datetime import UTC
from pathlib import Path

import pytest

from lushbeat_cli.core.article import build_article
from lushbeat_cli.core.reading.frontmatter import parse_text
from lushbeat_cli.core.workflow.lookup import AmbiguousArticleError, resolve_article
from lushbeat_cli.errors import UsageError


@pytest.fixture
def articles(tmp_path: Path) -> list:
    made = []
    for name, title in [
        ("pilpres", "Pilpres Venezuela Menghadirkan Pemimpin Baru"),
        ("maduro-1", "Maduro Menang Lagi"),
        ("maduro-2", "Maduro Menang Lagi!"),
        ("bi", "Bank Indonesia Naikkan Suku Bunga"),
    ]:
        path = tmp_path / f"{name}.md"
        text = f"---\ntitle: {title}\n---\n"
        path.write_text(text)
        made.append(build_article(path, parse_text(text, path), UTC))
    return made


def test_by_path_slug_and_title(articles, tmp_path) -> None:
    assert resolve_article(str(tmp_path / "bi.md"), articles).slug == "bi"
    assert resolve_article("bi.md", articles, cwd=tmp_path).slug == "bi"
    assert resolve_article("pilpres", articles).slug == "pilpres"
    assert resolve_article("venezuela pemimpin", articles).slug == "pilpres"
    assert resolve_article("suku bunga bank indonesia", articles).slug == "bi"


def test_ambiguous_title_lists_candidates(articles) -> None:
    with pytest.raises(AmbiguousArticleError) as info:
        resolve_article("maduro menang lagi", articles)
    assert {a.slug for a in info.value.candidates} == {"maduro-1", "maduro-2"}
    assert info.value.exit_code == 2


def test_nothing_matches(articles, tmp_path) -> None:
    with pytest.raises(UsageError, match="no article matches"):
        resolve_article("completely unrelated words", articles)
    outside = tmp_path / "outside.txt"
    outside.write_text("x")
    with pytest.raises(UsageError, match="not an article"):
        resolve_article(str(outside), articles)
    with pytest.raises(UsageError):
        resolve_article("  ", articles)
