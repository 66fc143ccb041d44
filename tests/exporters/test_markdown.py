"""The safe Markdown renderer: dangerous URLs refused, links rewritable (raw HTML:
test_sanitize.py; shortcodes: test_shortcodes.py)."""

from __future__ import annotations

from html.parser import HTMLParser

import pytest

from lushbeat_cli.exporters.markdown import UNRESOLVED_CLASS, MarkdownRenderer, is_safe_url


class Elements(HTMLParser):
    """Every start tag with its attributes, as a browser would see them."""

    def __init__(self, text: str) -> None:
        super().__init__(convert_charrefs=True)
        self.found: list[tuple[str, dict[str, str | None]]] = []
        self.feed(text)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.found.append((tag, dict(attrs)))

    def tags(self) -> list[str]:
        return [tag for tag, _ in self.found]


@pytest.fixture(scope="module")
def renderer() -> MarkdownRenderer:
    return MarkdownRenderer()


@pytest.mark.parametrize(
    "url",
    [
        "javascript:alert(1)",
        "JavaScript:alert(1)",
        " javascript:alert(1)",
        "java\tscript:alert(1)",
        "java\nscript:alert(1)",
        "\x01javascript:alert(1)",
        "vbscript:msgbox(1)",
        "data:text/html;base64,PHNjcmlwdD4=",
        "data:image/png;base64,AAAA",
        "file:///etc/passwd",
    ],
)
def test_dangerous_urls_are_refused(url: str) -> None:
    assert not is_safe_url(url)


@pytest.mark.parametrize(
    "url",
    [
        "https://example.com/a?b=c#d",
        "http://example.com",
        "mailto:redaksi@example.com",
        "tel:+62211234",
        "../07/slug.md",
        "/slug",
        "#section",
        "img/foto.jpg",
        "a/b:c",
        "//cdn.example.com/x.png",
    ],
)
def test_ordinary_urls_are_kept(url: str) -> None:
    assert is_safe_url(url)


def test_javascript_links_and_images_never_become_attributes(renderer: MarkdownRenderer) -> None:
    html = renderer.render(
        "[x](javascript:alert(1)) [y](JAVASCRIPT:alert(1)) <javascript:alert(1)>\n"
        "![i](javascript:alert(1)) ![d](data:image/svg+xml;base64,PHN2Zz4=)\n"
        "[ref][r]\n\n[r]: vbscript:msgbox(1)\n"
    )
    for _tag, attrs in Elements(html).found:
        for value in attrs.values():
            assert value is None or is_safe_url(value)
    assert "javascript:alert(1)" in html  # still readable, as text


def test_markdown_features_render(renderer: MarkdownRenderer) -> None:
    html = renderer.render(
        "## Judul\n\n**tebal** ~~coret~~ `kode`\n\n| a | b |\n|---|---|\n| 1 | 2 |\n\n"
        '> kutipan\n\n- satu\n- dua\n\n[tautan](https://example.com "Ti<tle")\n'
    )
    tags = Elements(html).tags()
    for tag in ("h2", "strong", "s", "code", "table", "blockquote", "ul", "a"):
        assert tag in tags
    assert 'title="Ti&lt;tle"' in html


def test_rewriter_changes_or_drops_links(renderer: MarkdownRenderer) -> None:
    def rewrite(url: str, attribute: str) -> str | None:
        if url.endswith(".md"):
            return None
        return "https://example.com/" + url if attribute == "src" else url

    html = renderer.render("[gone](../07/x.md) [kept](https://a.example) ![p](foto.jpg)", rewrite)
    elements = Elements(html)
    assert ("span", {"class": UNRESOLVED_CLASS}) in elements.found
    assert ("a", {"href": "https://a.example"}) in elements.found
    assert any(
        tag == "img" and attrs.get("src") == "https://example.com/foto.jpg"
        for tag, attrs in elements.found
    )
    assert "gone</span>" in html


def test_a_rewriter_cannot_smuggle_in_an_unsafe_url(renderer: MarkdownRenderer) -> None:
    html = renderer.render("[x](page.md)", lambda url, kind: "javascript:alert(1)")
    assert "javascript" not in html
    assert f'<span class="{UNRESOLVED_CLASS}">x</span>' in html


def test_unresolved_link_keeps_nested_markup(renderer: MarkdownRenderer) -> None:
    html = renderer.render("[**tebal** dan `kode`](x.md) setelah", lambda url, kind: None)
    assert html == (
        f'<p><span class="{UNRESOLVED_CLASS}"><strong>tebal</strong> dan <code>kode</code>'
        "</span> setelah</p>\n"
    )
