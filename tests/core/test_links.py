"""Markdown links: found where they are (line, column), classified, resolved to articles."""

from __future__ import annotations

from pathlib import Path

import pytest

from lushbeat_cli.core.article import Article
from lushbeat_cli.core.links import (
    LinkResolver,
    find_links,
    links_to,
    local_target,
    markdown_link,
    relative_link,
)
from tests.limits import finishes


def test_inline_and_reference_links_with_positions() -> None:
    body = (
        "Intro [a](../07/x.md) and [b](y.md 'title').\n"
        "Baca juga : [Uni Eropa (EU)](../07/uni-eropa.md)\n"
        "\n"
        "[Excel](Excel.Application(object).md) <- balanced parentheses\n"
        "[ref]: <../a b.md>\n"
        "[multi\n"
        "line](m.md) [nested [brackets]](n.md)\n"
    )
    links = [(link.target, link.line, link.col) for link in find_links(body, first_line=10)]
    assert links == [
        ("../07/x.md", 10, 11),
        ("y.md", 10, 31),
        ("../07/uni-eropa.md", 11, 30),
        ("Excel.Application(object).md", 13, 9),
        ("../a b.md", 14, 9),
        ("m.md", 16, 7),
        ("n.md", 16, 33),
    ]


def test_images_code_and_comments_are_not_links() -> None:
    body = (
        "![photo](pic.md) `[code](c.md)` ``[x](d.md)``\n"
        "```markdown\n[fenced](f.md)\n```\n"
        "~~~\n[tilde](t.md)\n~~~\n"
        "<!-- [hidden](h.md)\n[also](h2.md) -->\n"
        "[real](r.md)\n"
    )
    assert [link.target for link in find_links(body)] == ["r.md"]


def test_a_lone_backtick_does_not_hide_later_paragraphs() -> None:
    body = "It's a `quote.\n\nSee [x](x.md) and `more`.\n"
    assert [link.target for link in find_links(body)] == ["x.md"]


@pytest.mark.parametrize(
    ("url", "kind", "value"),
    [
        ("../07/x.md", "path", "../07/x.md"),
        ("x.markdown#part", "path", "x.markdown"),
        ("/2024/07/x.md", "path", "/2024/07/x.md"),
        ("~/includes/note.md", "path", "/includes/note.md"),
        ("a%20b.md?x=1", "path", "a b.md"),
        ("/pilpres-venezuela", "slug", "pilpres-venezuela"),
        ("/pilpres-venezuela/#top", "slug", "pilpres-venezuela"),
    ],
)
def test_local_targets(url: str, kind: str, value: str) -> None:
    target = local_target(url)
    assert target is not None
    assert (target.kind, target.value) == (kind, value)


@pytest.mark.parametrize(
    "url",
    [
        "https://example.org/x.md",
        "mailto:redaksi@example.org",
        "#anchor",
        "//cdn.example.org/x.md",
        "{{< ref x >}}",
        "/guides/hcd/",
        "/img/photo.jpg",
        "photo.jpg",
        "",
    ],
)
def test_not_local_article_targets(url: str) -> None:
    assert local_target(url) is None


def make(path: Path, slug: str, **metadata: object) -> Article:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("---\n---\n")
    return Article(path=path, metadata=dict(metadata), body="", slug=slug)


def test_resolver(tmp_path: Path) -> None:
    root = tmp_path / "content"
    a = make(root / "2024/07/a.md", "a")
    b = make(root / "2024/06/b.md", "b", aliases=["/old/b-story/", "/legacy"])
    (root / "news").mkdir()
    (root / "notes.txt.md").write_text("not an article we loaded")
    resolver = LinkResolver([a, b], root)

    def target(url: str) -> object:
        found = local_target(url)
        assert found is not None
        return found

    assert resolver.resolve(target("../06/b.md"), a.path) is b
    assert resolver.resolve(target("/2024/06/b.md"), a.path) is b
    assert resolver.resolve(target("/b"), a.path) is b
    assert resolver.resolve(target("/legacy/"), a.path) is b
    assert resolver.exists(target("/news/"), a.path)  # a section folder
    assert resolver.exists(target("/notes.txt.md"), a.path)  # a file that exists
    assert not resolver.exists(target("../06/c.md"), a.path)
    assert not resolver.exists(target("/c"), a.path)
    assert relative_link(a.path, b.path) == "../06/b.md"


def test_resolver_can_ignore_letter_case(tmp_path: Path) -> None:
    root = tmp_path / "content"
    a = make(root / "2024/07/a.md", "a")
    b = make(root / "2024/06/Berita.md", "berita")
    resolver = LinkResolver([a, b], root)
    target = local_target("../06/BERITA.MD")
    assert target is not None
    assert resolver.resolve(target, a.path) is None  # validate: as written, it leads nowhere
    assert resolver.resolve(target, a.path, ignore_case=True) is b  # export: what was meant


def test_links_to_a_file(tmp_path: Path) -> None:
    root = tmp_path / "content"
    moved = make(root / "2024/07/t.md", "t")

    def linking(name: str, body: str) -> Article:
        article = make(root / name, Path(name).stem)
        return Article(path=article.path, metadata={}, body=body, slug=article.slug)

    relative = linking("2024/08/rel.md", "Baca juga : [T](../07/t.md)\n")
    rooted = linking("2024/08/root.md", "[T](/2024/07/t.md#bagian)\n")
    ignored = [
        linking("2024/08/code.md", "```\n[T](../07/t.md)\n```\n`[T](../07/t.md)`\n"),
        linking("2024/08/image.md", "![T](../07/t.md)\n<!-- [T](../07/t.md) -->\n"),
        linking("2024/08/slug.md", "[T](/t) stays valid when the file moves\n"),
        linking("2024/08/web.md", "[T](https://example.org/2024/07/t.md)\n"),
    ]
    everything = [moved, relative, rooted, *ignored]
    assert links_to(moved.path, everything, root) == [relative, rooted]
    assert links_to(moved.path, everything) == [relative]  # no content root: no rooted links


def test_markdown_link_is_found_again_as_written(tmp_path: Path) -> None:
    folder = tmp_path / "content/2024/08"
    target = tmp_path / "content/2024/07/berita (1).md"
    link = markdown_link("Uni Eropa [EU] \\ Rusia", target, folder)
    assert link == "[Uni Eropa \\[EU\\] \\\\ Rusia](<../07/berita (1).md>)"
    assert [found.target for found in find_links(f"Baca juga : {link}\n")] == [
        "../07/berita (1).md"
    ]
    plain = markdown_link("Rupiah", tmp_path / "content/2024/07/rupiah.md", folder)
    assert plain == "[Rupiah](../07/rupiah.md)"


def test_escaped_brackets_are_text_and_labels_hold_no_bracket() -> None:
    body = "\\[not](a.md) \\\\[yes](b.md) [x [y](c.md)](d.md)\n[la[bel]: e.md\n[ok]: <f.md>\n"
    assert [link.target for link in find_links(body)] == ["b.md", "c.md", "f.md"]


@pytest.mark.parametrize(
    "piece",
    ["[", "[\\\\", "[a](", "[](<", "[](x", "[](\\\\(\\\\(", "\n[a", "\n[a]: <", "![", "`a``a```a"],
)
def test_finding_links_is_linear_in_what_never_closes(piece: str) -> None:
    finishes(find_links, piece * (1_000_000 // len(piece)) + "](x.md)\n")
