"""Hugo shortcodes and Liquid tags: the common ones rendered, paired ones keep their content,
the rest removed and counted; code left as written. Through the renderer, as the site uses it."""

from __future__ import annotations

import pytest

from lushbeat_cli.exporters.markdown import UNRESOLVED_CLASS, MarkdownRenderer
from tests.exporters.test_sanitize import Parsed, assert_harmless
from tests.limits import finishes


def render(text: str, rewrite=None) -> tuple[Parsed, MarkdownRenderer]:
    renderer = MarkdownRenderer()
    html = renderer.render(text, rewrite)
    return assert_harmless(html), renderer


def visible(parsed: Parsed) -> str:
    return " ".join("".join(parsed.text).split())


def assert_no_template_syntax(parsed: Parsed) -> None:
    text = visible(parsed)
    for marker in ("{{", "}}", "{%", "%}", "<", ">"):
        assert marker not in text, text


def test_ref_and_relref_become_links_to_the_article_they_name() -> None:
    seen: list[tuple[str, str]] = []

    def rewrite(url: str, kind: str) -> str | None:
        seen.append((url, kind))
        return None if "gone" in url else f"page-of/{url}"

    parsed, _ = render(
        'See [one]({{< ref "2014-02-03-one.md" >}}), [two]({{< relref "/news/two" >}}), '
        '<a href="{{< ref "three.md#part" >}}">three</a>, [gone]({{% ref "gone.md" %}}) '
        'and {{< ref "bare.md" >}}.\n\n[label]: {{< ref "four.md" >}}\n\n[four][label]\n',
        rewrite,
    )
    assert_no_template_syntax(parsed)
    assert [a.get("href") for a in parsed.all("a")] == [
        "page-of/2014-02-03-one.md",
        "page-of//news/two",
        "page-of/three.md#part",
        "page-of/bare.md",
        "page-of/four.md",
    ]
    assert ("span", {"class": UNRESOLVED_CLASS}) in parsed.found
    assert "gone" in visible(parsed)  # the words stay
    assert {kind for _, kind in seen} == {"ref"}


def test_without_a_rewriter_a_ref_links_to_its_target_as_written() -> None:
    parsed, _ = render('[a]({{< ref "x.md" >}})')
    assert parsed.all("a") == [{"href": "x.md"}]


def test_figure_youtube_vimeo_and_social_posts() -> None:
    parsed, renderer = render(
        '{{< figure src="img/chart.png" alt="Chart" caption="Source: *BPS*" link="big.png" >}}\n'
        "Text after the figure.\n\n"
        '{{< youtube id="Wj3h_-ThPgA" title="Guide to DAP" >}}\n\n'
        "{{< youtube w7Ft2ymGmfc >}}\n\n"
        "{{< vimeo 146022717 >}}\n\n"
        '{{< tweet user="Digital_Gov" id="601116228015542273" >}}\n\n'
        "{{< instagram BWNjjyYFxVx >}} {{< gist spf13 7896402 >}}\n"
    )
    assert_no_template_syntax(parsed)
    assert parsed.all("img")[0] | {"loading": "lazy"} == {
        "src": "img/chart.png",
        "alt": "Chart",
        "loading": "lazy",
    }
    assert ("a", {"href": "big.png"}) in parsed.found
    assert "Source: BPS" in visible(parsed) and "em" in parsed.tags()
    assert "Text after the figure." in visible(parsed)  # a paragraph of its own
    assert ("p", {}) in parsed.found
    frames = [frame["src"] for frame in parsed.all("iframe")]
    assert frames == [
        "https://www.youtube-nocookie.com/embed/Wj3h_-ThPgA",
        "https://www.youtube-nocookie.com/embed/w7Ft2ymGmfc",
        "https://player.vimeo.com/video/146022717",
    ]
    assert parsed.all("iframe")[0]["title"] == "Guide to DAP"
    hrefs = [a.get("href") for a in parsed.all("a")]
    assert "https://twitter.com/Digital_Gov/status/601116228015542273" in hrefs
    assert "https://www.instagram.com/p/BWNjjyYFxVx/" in hrefs
    assert "https://gist.github.com/spf13/7896402" in hrefs
    assert not renderer.removed


def test_highlight_with_a_language_is_code_without_one_its_content_stays() -> None:
    parsed, renderer = render(
        '{{< highlight go "linenos=table" >}}\nfunc main() { x := "{{< ref y >}}" }\n'
        "{{< /highlight >}}\n\n"
        "We need to {{< highlight >}}use a .gov domain{{< /highlight >}}.\n\n"
        "{% highlight ruby %}\nputs '```'\n{% endhighlight %}\n"
    )
    codes = [attrs.get("class") for attrs in parsed.all("code")]
    assert codes == ["language-go", "language-ruby"]
    text = "".join(parsed.text)
    assert 'func main() { x := "{{< ref y >}}" }' in text  # code is shown as written
    assert "puts '```'" in text
    assert "We need to use a .gov domain." in visible(parsed)
    assert renderer.removed == {"{{< highlight >}}": 1}


def test_paired_shortcodes_keep_their_markdown_content_and_title() -> None:
    parsed, renderer = render(
        "{{< note >}}\n**For federal employees only.** Register with a .gov address.\n"
        "{{< /note >}}\n"
        '{{< accordion kicker="Day 1" title="Tuesday, *June* 22" >}}\n'
        "- Keynote\n- Panel\n{{< /accordion >}}\n"
        "After.\n\n"
        "{{< box >}}Inline box{{< /box >}}\n"
    )
    assert_no_template_syntax(parsed)
    assert "strong" in parsed.tags() and "ul" in parsed.tags()
    text = visible(parsed)
    for words in ("For federal employees only.", "Tuesday, June 22", "Keynote", "Inline box"):
        assert words in text
    assert text.endswith("After. Inline box")  # "After." is not swallowed by the list
    assert renderer.removed == {
        "{{< note >}}": 1,
        "{{< accordion >}}": 1,
        "{{< box >}}": 1,
    }


def test_shortcodes_rendered_by_their_parameters_whatever_their_name() -> None:
    parsed, renderer = render(
        '{{< legacy-img src="2015/06/social.jpg" alt="Social icons" caption="" >}}\n\n'
        '{{< img-right src="logo.png" >}}\n\n'
        '{{< button href="https://archives.gov/x.html" text="View NARA Guidance" >}}\n\n'
        '{{< card-policy src="https://congress.gov/law.pdf" kicker="Law" title="Plain Act" >}}\n\n'
        '{{< quote-block text="Make it *simple*." cite="The President" >}}\n\n'
        '{{< fb-video "https://www.facebook.com/nih/videos/14/" >}}\n\n'
        '[Foundations]({{< link "/event/2019/11/04/foundations-agile-i/" >}})\n'
    )
    assert_no_template_syntax(parsed)
    assert [img["src"] for img in parsed.all("img")] == ["2015/06/social.jpg", "logo.png"]
    assert parsed.all("img")[0]["alt"] == "Social icons"
    links = {a.get("href"): a for a in parsed.all("a")}
    assert "https://archives.gov/x.html" in links
    assert "https://congress.gov/law.pdf" in links
    assert "https://www.facebook.com/nih/videos/14/" in links
    assert "/event/2019/11/04/foundations-agile-i/" in links  # like a ref
    text = visible(parsed)
    assert "View NARA Guidance" in text and "Plain Act" in text
    assert "blockquote" in parsed.tags() and "Make it simple." in text
    assert "The President" in text
    assert not renderer.removed


def test_unknown_shortcodes_and_tags_are_removed_and_counted() -> None:
    parsed, renderer = render(
        'Before {{< tmp "deadlink" >}} after.\n\n'
        '{{< img src="journey-map-ice-cream" >}}\n'
        '{{< img src="another-slug" >}}\n\n'
        '{{< asset-static file="slides.pptx" label="View the slides" >}}\n\n'
        "{% include footer.html %} {{ page.author | team_link }} {{< /orphan >}}\n\n"
        'Welcome {{ "noah" | team_link }}!\n'
    )
    assert_no_template_syntax(parsed)
    assert visible(parsed) == "Before after. Welcome noah!"  # a text shows, unfiltered
    assert renderer.removed == {
        "{{< tmp >}}": 1,
        "{{< img >}}": 2,
        "{{< asset-static >}}": 1,
        "{% include %}": 1,
        "{{ page.author }}": 1,
        "{{< orphan >}}": 1,
    }
    (note,) = renderer.notes()
    assert note.startswith("7 shortcodes/template tags lushbeat does not render removed")
    assert "{{< img >}} ×2" in note


def test_liquid_and_nunjucks_tags() -> None:
    parsed, renderer = render(
        '{% image "assets/blog/team.jpg" "The 18F team" %}\n\n'
        '{% image_with_class "assets/logo.png" "height-card-lg" "The 18F logo" %}\n\n'
        '{% include "linked-figure.html",\n     image: "/assets/cloud.jpg",\n'
        '     alt: "A screenshot",\n     caption: "USWDS tokens." %}\n\n'
        'Read [the post]({{ "/2015/08/28/agile-bpa/" | url }}) and '
        "[more]({{ site.baseurl }}/blog/). {% comment %}hidden {{ x }}{% endcomment %}"
        "Shown: {% raw %}{{ username }}{% endraw %}\n\n"
        "{% if site.show %}Kept text{% endif %} "
        "[p]({% post_url 2010-07-21-name %}) [l]({% link _posts/2016-07-26-x.md %})\n"
    )
    images = parsed.all("img")
    assert [(i["src"], i["alt"]) for i in images] == [
        ("assets/blog/team.jpg", "The 18F team"),
        ("assets/logo.png", "The 18F logo"),
        ("/assets/cloud.jpg", "A screenshot"),
    ]
    assert "USWDS tokens." in visible(parsed)
    hrefs = [a.get("href") for a in parsed.all("a")]
    assert hrefs == [
        "/2015/08/28/agile-bpa/",
        "/blog/",
        "2010-07-21-name",
        "_posts/2016-07-26-x.md",
    ]
    text = visible(parsed)
    assert "Shown: {{ username }}" in text  # raw: shown as written
    assert "hidden" not in text
    assert "Kept text" in text
    assert renderer.removed == {"{% if %}": 1}


def test_code_is_left_as_written_but_escapes_apply() -> None:
    parsed, renderer = render(
        'Write `{{< ref "x.md" >}}` or {{</* youtube abc */>}} in Hugo.\n\n'
        "```\n{{< note >}}\n{% include x %}\n```\n\n"
        "```sql\nCREATE USER {% raw %}{{{% endraw %} username }}\n```\n"
    )
    code = "".join(parsed.text)
    assert '{{< ref "x.md" >}}' in code
    assert "{{< youtube abc >}}" in code
    assert "{{< note >}}\n{% include x %}" in code
    assert "CREATE USER {{ username }}" in code
    assert not renderer.removed


def test_go_templates_and_text_in_braces_are_not_liquid() -> None:
    parsed, renderer = render("Use {{ .Title }} and {{ 1 + 1 }} in a template.\n")
    assert visible(parsed) == "Use {{ .Title }} and {{ 1 + 1 }} in a template."
    assert not renderer.removed


@pytest.mark.parametrize(
    "text",
    [
        "{{< note >}}" * 60_000,
        "{{<" * 200_000,
        "{%" * 200_000,
        "{{ " * 200_000,
        '{{< x a="' * 100_000,
        "{% raw %}" * 60_000,
        "`{{< ref x >}}`" * 40_000,
    ],
    ids=["many-tags", "openers", "liquid-openers", "outputs", "open-quotes", "raw", "code"],
)
def test_hostile_bodies_stay_linear(text: str) -> None:
    finishes(MarkdownRenderer().render, text)


def test_a_figure_needs_no_image_suffix() -> None:
    parsed, renderer = render('{{< figure src="/images/chart" alt="Chart" >}}\n')
    assert parsed.all("img") == [{"src": "/images/chart", "alt": "Chart", "loading": "lazy"}]
    assert not renderer.removed


def test_a_nul_in_the_text_is_no_placeholder() -> None:
    parsed, _ = render("A\x000\x00 {{< note >}}B\x00{{< /note >}} `c\x001\x00`")
    assert visible(parsed) == "A\ufffd0\ufffd B\ufffd c\ufffd1\ufffd"
