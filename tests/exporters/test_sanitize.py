"""Raw HTML in bodies: kept when harmless (footnotes, tables, figures, trusted embeds), never
a script, an event handler or a dangerous URL, whatever the trick. Checked on the renderer's
output as a browser would parse it."""

from __future__ import annotations

from html.parser import HTMLParser

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from lushbeat_cli.exporters.markdown import UNRESOLVED_CLASS, MarkdownRenderer, is_safe_url
from lushbeat_cli.exporters.sanitize import embed_url, plain_text

FORBIDDEN_TAGS = {
    "script",
    "style",
    "object",
    "embed",
    "applet",
    "form",
    "input",
    "button",
    "textarea",
    "base",
    "meta",
    "link",
    "svg",
    "math",
    "frame",
    "frameset",
}


class Parsed(HTMLParser):
    """Start tags with attributes, and the text, as a browser's tokenizer sees them."""

    def __init__(self, text: str) -> None:
        super().__init__(convert_charrefs=True)
        self.found: list[tuple[str, dict[str, str]]] = []
        self.text: list[str] = []
        self.feed(text)
        self.close()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.found.append((tag, {name: value or "" for name, value in attrs}))

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handle_starttag(tag, attrs)

    def handle_data(self, data: str) -> None:
        self.text.append(data)

    def tags(self) -> list[str]:
        return [tag for tag, _ in self.found]

    def all(self, tag: str) -> list[dict[str, str]]:
        return [attrs for name, attrs in self.found if name == tag]


def assert_harmless(html: str) -> Parsed:
    parsed = Parsed(html)
    assert not FORBIDDEN_TAGS & set(parsed.tags()), parsed.tags()
    for tag, attrs in parsed.found:
        for name, value in attrs.items():
            assert not name.startswith("on"), (tag, name)
            assert name not in ("srcdoc", "formaction", "action", "style") or (
                name == "style" and value.startswith("text-align:")
            ), (tag, name, value)
            if name in ("href", "src", "cite", "poster", "srcset", "data"):
                assert is_safe_url(value), (tag, name, value)
        if tag == "iframe":
            assert embed_url(attrs.get("src", "")) == attrs.get("src"), attrs
            assert "sandbox" in attrs
    return parsed


@pytest.fixture(scope="module")
def renderer() -> MarkdownRenderer:
    return MarkdownRenderer()


ATTACKS = [
    "<script>alert(1)</script>",
    "<img src=x onerror=alert(1)>",
    "<IMG SRC=x OnError=alert(1)>",
    "<svg onload=alert(1)><circle/></svg>",
    '<a href="javascript:alert(1)">x</a>',
    '<a href="java&#x09;script:alert(1)">x</a>',
    '<a href="&#106;avascript:alert(1)">x</a>',
    '<a href=" javascript:alert(1)">x</a>',
    '<a href="vbscript:msgbox(1)">x</a>',
    '<a href="data:text/html,<script>alert(1)</script>">x</a>',
    '<iframe src="javascript:alert(1)"></iframe>',
    '<iframe srcdoc="<script>alert(1)</script>"></iframe>',
    '<iframe src="https://www.youtube.com/embed/abcdefgh" onload="alert(1)"></iframe>',
    '<iframe src="https://evil.example/page"></iframe>',
    '<object data="x.swf"></object><embed src="x.swf">',
    "<style>body { display: none }</style>",
    '<div style="background:url(javascript:alert(1))">d</div>',
    '<form action="javascript:alert(1)"><input type=submit><button formaction=x>b</button></form>',
    "<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>",
    '<noscript><p title="</noscript><img src=x onerror=alert(1)>">',
    '<base href="javascript:alert(1)//">',
    '<meta http-equiv="refresh" content="0;url=javascript:alert(1)">',
    '<link rel="stylesheet" href="https://evil.example/x.css">',
    '<video poster="javascript:alert(1)" src="javascript:alert(1)"></video>',
    '<audio><source src="javascript:alert(1)"></audio>',
    "<!--<img src=x onerror=alert(1)>-->",
    "<details open ontoggle=alert(1)>d</details>",
    '<a href="#x" onclick="alert(1)" target="_blank">x</a>',
    "[x](<javascript:alert(1)>) ![y](javascript:alert(1))",
    '{{< figure src="javascript:alert(1)//x.png" caption="<script>alert(1)</script>ok" >}}',
    '{{< youtube id="x\\" onload=\\"alert(1)" >}}',
    '{{< button href="javascript:alert(1)" text="x" >}}',
    '{{< img src="x.png\\" onerror=\\"alert(1)" alt="a\\" onerror=\\"alert(1)" >}}',
    '<div class="x" id="content" onmouseover="alert(1)">d</div>',
]


@pytest.mark.parametrize("attack", ATTACKS)
def test_no_trick_brings_a_script_a_handler_or_a_dangerous_url(
    renderer: MarkdownRenderer, attack: str
) -> None:
    html = renderer.render(f"Before\n\n{attack}\n\nAfter, *inline* {attack} end\n")
    assert_harmless(html)
    assert "alert(1)</script>" not in "".join(Parsed(html).text)


_PIECES = st.sampled_from(
    [
        "<",
        ">",
        "/",
        '"',
        "'",
        "=",
        " ",
        "\n",
        "script",
        "img",
        "iframe",
        "a",
        "svg",
        "style",
        "src",
        "href",
        "onerror",
        "javascript:",
        "java\tscript:",
        "&#106;",
        "alert(1)",
        "<!--",
        "-->",
        "{{<",
        ">}}",
        "{%",
        "%}",
        "figure",
        "youtube",
        "ref",
        "x.png",
        "](",
        "[",
        ")",
        "`",
        "\x00",
        "{% raw %}",
        "{% endraw %}",
        "```\n",
    ]
)


@settings(max_examples=300, deadline=None)
@given(st.lists(_PIECES, max_size=40).map("".join))
def test_random_markup_never_gets_through(text: str) -> None:
    assert_harmless(MarkdownRenderer().render(text))


def test_footnotes_tables_figures_and_media_survive(renderer: MarkdownRenderer) -> None:
    html = renderer.render(
        'Claim<sup id="fnref1"><a href="#fn1">1</a></sup>\n\n'
        '<table><caption>Data</caption><thead><tr><th scope="col">A</th></tr></thead>'
        '<tbody><tr><td colspan="2" style="text-align: right; color: red">1</td></tr></tbody>'
        "</table>\n\n"
        '<figure><img src="chart.png" alt="Chart" width="600"><figcaption>Source: '
        "<em>BPS</em></figcaption></figure>\n\n"
        '<audio controls src="https://cdn.example/a.mp3"></audio>\n\n'
        '<ol class="footnotes"><li id="fn1"><p>Note. <a href="#fnref1">↩</a></p></li></ol>\n\n'
        "| L | R |\n|:--|--:|\n| 1 | 2 |\n"
    )
    parsed = assert_harmless(html)
    assert {"sup", "table", "caption", "figure", "figcaption", "audio", "ol"} <= set(parsed.tags())
    assert ("li", {"id": "fn1"}) in parsed.found
    assert ("a", {"href": "#fn1"}) in parsed.found
    assert {"colspan": "2", "style": "text-align:right"} in parsed.all("td")
    assert {"style": "text-align:right"} in parsed.all("th")  # Markdown table alignment
    assert {"src": "chart.png", "alt": "Chart", "width": "600", "loading": "lazy"} in (
        parsed.all("img")
    )


def test_trusted_embeds_stay_others_become_links(renderer: MarkdownRenderer) -> None:
    html = renderer.render(
        '<iframe src="//www.slideshare.net/slideshow/embed_code/key/abc" width="595"></iframe>\n\n'
        '<iframe title="Map" src="https://www.google.com/maps/embed?pb=1"></iframe>\n\n'
        '<iframe src="https://youtu.be/w5UFkcDvro8"></iframe>\n\n'
        '<iframe title="Their video" src="http://www.engagemedia.org/x/embed_view"></iframe>\n'
    )
    parsed = assert_harmless(html)
    assert [frame["src"] for frame in parsed.all("iframe")] == [
        "https://www.slideshare.net/slideshow/embed_code/key/abc",
        "https://www.google.com/maps/embed?pb=1",
        "https://www.youtube-nocookie.com/embed/w5UFkcDvro8",
    ]
    assert {"class": "embed-link", "href": "http://www.engagemedia.org/x/embed_view"} in (
        parsed.all("a")
    )
    assert "Their video" in "".join(parsed.text)
    assert any("trusted list" in note for note in renderer.notes())


def test_links_in_raw_html_are_rewritten_like_markdown_links(renderer: MarkdownRenderer) -> None:
    def rewrite(url: str, kind: str) -> str | None:
        if ".md" in url:
            return None if "gone" in url else url.replace(".md", ".html")
        return f"https://site.example/{url}" if kind == "src" else url

    html = renderer.render(
        '<a href="other.md">other</a> <a href="gone.md">gone</a> '
        "<img src='foto.jpg' alt=x>\n\n"
        '<div><a href="../x.md#part">x</a></div>\n',
        rewrite,
    )
    parsed = assert_harmless(html)
    assert [a.get("href") for a in parsed.all("a")] == ["other.html", None, "../x.html#part"]
    assert parsed.all("img")[0]["src"] == "https://site.example/foto.jpg"
    assert UNRESOLVED_CLASS not in html  # a raw <a> just loses its href


def test_comments_and_unknown_tags_are_not_shown(renderer: MarkdownRenderer) -> None:
    html = renderer.render("A <!-- draft note --> B <spasi> C <font color=red>D</font>\n")
    assert "".join(Parsed(html).text).split() == ["A", "B", "C", "D"]


def test_plain_text_of_front_matter_html() -> None:
    assert plain_text("<strong>Bold</strong> claim &amp; What&#8217;s new") == (
        "Bold claim & What’s new"
    )
    assert plain_text("<script>alert(1)</script>Safe") == "Safe"
    assert plain_text("no markup") == "no markup"
