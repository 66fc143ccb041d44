"""Article pages in the site and links between articles."""

from __future__ import annotations

from pathlib import Path

import pytest

from lushbeat_cli.core.article import Article
from lushbeat_cli.exporters.links import ArticleLinks, page_path, relative_href

ROOT = Path("/news/content")


def article(relative: str, slug: str = "") -> Article:
    path = ROOT / relative
    return Article(path=path, metadata={}, body="", slug=slug or path.stem)


@pytest.mark.parametrize(
    ("relative", "expected"),
    [
        ("2024/07/slug.md", "articles/2024/07/slug.html"),
        ("2024/07/slug.MD", "articles/2024/07/slug.html"),
        ("2024/07/slug.markdown", "articles/2024/07/slug.markdown.html"),
        ("bundle/index.md", "articles/bundle/index.html"),
        ("berita ringan/ünïcode.md", "articles/berita ringan/ünïcode.html"),
    ],
)
def test_page_path_mirrors_the_content_folder(relative: str, expected: str) -> None:
    assert page_path(article(relative), ROOT) == expected


@pytest.mark.parametrize(
    ("start", "target", "expected"),
    [
        ("index.html", "style.css", "style.css"),
        ("articles/2024/07/a.html", "style.css", "../../../style.css"),
        ("articles/2024/07/a.html", "articles/2024/07/b.html", "b.html"),
        ("articles/2024/07/a.html", "articles/2025/01/c.html", "../../2025/01/c.html"),
        ("tags/x.html", "articles/berita ringan/ü.html", "../articles/berita%20ringan/%C3%BC.html"),
        ("page/2.html", "index.html", "../index.html"),
    ],
)
def test_relative_href(start: str, target: str, expected: str) -> None:
    assert relative_href(start, target) == expected


def test_links_find_articles_by_file_and_by_slug() -> None:
    source = article("2024/07/a.md")
    same_month = article("2024/07/b.md")
    older = article("2023/01/c.md", slug="custom-slug")
    links = ArticleLinks([source, same_month, older], ROOT)
    assert links.find(source, "b.md").article is same_month
    assert links.find(source, "../07/b.md").article is same_month
    assert links.find(source, "../../2023/01/c.md#sub").article is older
    assert links.find(source, "../../2023/01/c.md#sub").fragment == "sub"
    assert links.find(source, "/2023/01/c.md").article is older
    assert links.find(source, "/custom-slug").article is older
    assert links.find(source, "/custom-slug/").article is older
    assert links.find(source, "%62.md").article is same_month  # percent-encoded "b.md"
    assert links.find(source, "B.MD").article is same_month  # as a case-blind server would


def test_links_that_are_not_articles() -> None:
    source = article("2024/07/a.md")
    links = ArticleLinks([source], ROOT)
    for url in ("https://example.com/b.md", "#top", "/about/", "foto.jpg", "mailto:x@y.z"):
        assert not links.find(source, url).is_article
    missing = links.find(source, "../06/missing.md")
    assert missing.is_article and missing.article is None


def test_assets_must_exist_inside_the_content_folder(tmp_path: Path) -> None:
    root = tmp_path / "content"
    (root / "2024").mkdir(parents=True)
    (root / "2024" / "foto.jpg").write_bytes(b"jpg")
    (root / "2024" / ".secret").write_text("x")
    (tmp_path / "outside.txt").write_text("x")
    source = Article(path=root / "2024" / "a.md", metadata={}, body="")
    links = ArticleLinks([source], root)
    assert links.asset(source, "foto.jpg") == (root / "2024" / "foto.jpg").resolve()
    assert links.asset(source, "missing.jpg") is None
    assert links.asset(source, ".secret") is None
    assert links.asset(source, "../../outside.txt") is None
    assert links.asset(source, "/2024/foto.jpg") is None
    assert links.asset(source, "https://example.com/foto.jpg") is None


def test_links_by_alias_and_paths_that_only_end_in_a_slug() -> None:
    source = article("2024/07/a.md")
    renamed = Article(
        path=ROOT / "2024/06/b.md", metadata={"aliases": ["/old-b"]}, body="", slug="b"
    )
    links = ArticleLinks([source, renamed], ROOT)
    assert links.find(source, "/old-b/").article is renamed  # an alias, as validate follows it
    # A deeper path is a section or a permalink, not a slug: kept as written.
    assert not links.find(source, "/news/b/").is_article


def test_refs_find_their_article_as_hugo_and_jekyll_do() -> None:
    source = article("news/2024/07/a.md")
    neighbour = article("news/2024/07/b.md")
    older = article("news/2014/02/2014-02-03-what-happened.md")
    section = article("guides/hcd/_index.md")
    bundle = article("events/summit/index.md")
    twin_one, twin_two = article("x/same.md"), article("y/same.md")
    moved = Article(path=ROOT / "z/moved.md", metadata={"aliases": ["/old/moved/"]}, body="")
    links = ArticleLinks(
        [source, neighbour, older, section, bundle, twin_one, twin_two, moved, source], ROOT
    )
    assert links.find_ref(source, "b.md").article is neighbour  # next to the article
    assert links.find_ref(source, "/news/2024/07/b.md").article is neighbour  # from the root
    assert links.find_ref(source, "news/2024/07/b").article is neighbour  # no suffix
    assert links.find_ref(source, "2014-02-03-what-happened.md").article is older  # by name
    assert links.find_ref(source, "2014-02-03-what-happened").article is older  # post_url
    assert links.find_ref(source, "/guides/hcd").article is section
    assert links.find_ref(source, "/events/summit/").article is bundle
    assert links.find_ref(source, "/old/moved").article is moved
    found = links.find_ref(source, "2014-02-03-what-happened.md#slides")
    assert (found.article, found.fragment) == (older, "slides")
    ambiguous = links.find_ref(source, "same.md")  # two files share the name: Hugo refuses
    assert ambiguous.is_article and ambiguous.article is None
    unknown = links.find_ref(source, "/topics/user-experience")
    assert unknown.is_article and unknown.article is None
    here = links.find_ref(source, "#part")
    assert not here.is_article and here.fragment == "part"
    assert not links.find_ref(source, "https://example.com/x.md").is_article
