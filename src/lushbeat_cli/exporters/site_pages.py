"""The HTML of each kind of site page. Every text that comes from an article is escaped here;
only the body, already made safe by the Markdown renderer, goes in as HTML.
Imported by the html exporter.
"""

from __future__ import annotations

import html
from collections.abc import Sequence
from dataclasses import dataclass

from lushbeat_cli.core.article import Article, Status
from lushbeat_cli.exporters.links import href, relative_href
from lushbeat_cli.exporters.sanitize import plain_text
from lushbeat_cli.exporters.site_theme import count_label, display_date, labels, language_tag
from lushbeat_cli.exporters.taxonomy import Term

STYLESHEET_PATH = "style.css"
INDEX_PATH = "index.html"
TAGS_INDEX = "tags/index.html"
CATEGORIES_INDEX = "categories/index.html"


def escape(text: str) -> str:
    return html.escape(text, quote=True)


def title_text(article: Article) -> str:
    """The title as a reader sees it: character references that archives imported from
    WordPress carry (``What&#8217;s``) are the characters they stand for; tags stay text."""
    return html.unescape(article.title or article.slug)


def summary_text(article: Article) -> str | None:
    """The summary as plain text: an excerpt copied from a body loses its tags (their text
    kept) and its character references become characters."""
    return plain_text(article.summary) if article.summary else None


@dataclass(frozen=True, slots=True)
class Page:
    """One page being written: its site path (for relative links) and its language."""

    path: str
    lang: str
    site_title: str
    base_url: str | None = None

    def link(self, to_path: str) -> str:
        return escape(relative_href(self.path, to_path))

    @property
    def words(self) -> dict[str, str]:
        return labels(self.lang)


@dataclass(frozen=True, slots=True)
class Listed:
    """An article as it appears in lists: where its page is, and its tag/category pages."""

    article: Article
    path: str
    category_path: str | None = None


def layout(page: Page, title: str, main: str, *, description: str | None = None) -> str:
    """The frame around every page: head, site header with navigation, main, footer."""
    words = page.words
    head_title = title if title == page.site_title else f"{title} · {page.site_title}"
    extra = ""
    if description:
        extra += f'\n<meta name="description" content="{escape(description)}">'
    if page.base_url:
        canonical = f"{page.base_url}/{href(page.path)}"
        extra += f'\n<link rel="canonical" href="{escape(canonical)}">'
    return f"""<!doctype html>
<html lang="{escape(page.lang)}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="generator" content="lushbeat">
<title>{escape(head_title)}</title>{extra}
<link rel="stylesheet" href="{page.link(STYLESHEET_PATH)}">
</head>
<body>
<a class="skip" href="#content">{escape(words["skip"])}</a>
<header class="site-header"><div class="wrap">
<a class="site-title" href="{page.link(INDEX_PATH)}">{escape(page.site_title)}</a>
<nav class="site-nav" aria-label="{escape(words["sections"])}">
<a href="{page.link(INDEX_PATH)}">{escape(words["home"])}</a>
<a href="{page.link(CATEGORIES_INDEX)}">{escape(words["categories"])}</a>
<a href="{page.link(TAGS_INDEX)}">{escape(words["tags"])}</a>
</nav>
</div></header>
<main class="wrap" id="content">
{main}
</main>
<footer class="site-footer"><div class="wrap">{escape(words["generated"])}</div></footer>
</body>
</html>
"""


def status_badge(article: Article, lang: str) -> str:
    if article.status is Status.PUBLISHED:
        return ""
    word = labels(lang)["draft" if article.status is Status.DRAFT else "scheduled"]
    return f' <span class="badge">{escape(word)}</span>'


def time_tag(article: Article, lang: str) -> str:
    if article.date is None:
        return ""
    return (
        f'<time datetime="{escape(article.date.isoformat())}">'
        f"{escape(display_date(article.date, lang))}</time>"
    )


def article_page(
    page: Page,
    article: Article,
    body_html: str,
    *,
    category_path: str | None,
    tag_paths: Sequence[tuple[str, str]],
    similar: Sequence[Listed],
    similar_source: str,
    authors: Sequence[str] | None = None,
) -> str:
    """One article: kicker (category), title, summary, byline and dates, body, tags, similar.
    ``authors``: the byline's names (display names from the site's authors file), else the
    article's as written."""
    words = page.words
    parts = ["<article>", "<header>"]
    if article.category:
        name = escape(article.category)
        if category_path is not None:
            name = f'<a href="{page.link(category_path)}">{name}</a>'
        parts.append(f'<p class="kicker">{name}</p>')
    parts.append(f"<h1>{escape(title_text(article))}{status_badge(article, page.lang)}</h1>")
    summary = summary_text(article)
    if summary:
        parts.append(f'<p class="lede">{escape(summary)}</p>')
    meta = []
    names = list(authors) if authors is not None else article.authors
    if names:
        meta.append(escape(words["by"].format(names=", ".join(names))))
    if article.date is not None:
        meta.append(time_tag(article, page.lang))
    if article.updated is not None and article.updated != article.date:
        stamp = (
            f'<time datetime="{escape(article.updated.isoformat())}">'
            f"{escape(display_date(article.updated, page.lang))}</time>"
        )
        meta.append(escape(words["updated"]).replace("{date}", stamp))
    if meta:
        parts.append(f'<p class="meta">{" · ".join(meta)}</p>')
    parts.append("</header>")
    parts.append(f'<div class="content">\n{body_html}</div>')
    if tag_paths:
        items = "".join(
            f'<li><a href="{page.link(path)}" rel="tag">#{escape(name)}</a></li>'
            for name, path in tag_paths
        )
        parts.append(f'<footer><ul class="tags">{items}</ul></footer>')
    parts.append("</article>")
    if similar:
        items = "\n".join(
            f"<li{_lang_attribute(entry.article, page.lang)}>"
            f'<a href="{page.link(entry.path)}">{escape(title_text(entry.article))}'
            f"</a></li>"
            for entry in similar
        )
        parts.append(
            f'<aside class="similar" data-source="{escape(similar_source)}">'
            f"<h2>{escape(words['similar'])}</h2>\n<ul>\n{items}\n</ul></aside>"
        )
    return layout(page, title_text(article), "\n".join(parts), description=summary)


def listing_page(
    page: Page,
    heading: str,
    entries: Sequence[Listed],
    *,
    number: int,
    total: int,
    newer: str | None,
    older: str | None,
    is_home: bool = False,
) -> str:
    """A page of articles (home, a tag, a category), newest first, with newer/older links."""
    words = page.words
    parts = [] if is_home else [f"<h1>{escape(heading)}</h1>"]
    if not entries:
        parts.append(f"<p>{escape(words['empty'])}</p>")
    else:
        parts.append('<ol class="entries">')
        parts.extend(_entry(page, entry) for entry in entries)
        parts.append("</ol>")
    if total > 1:
        pager = ['<nav class="pager">']
        pager.append(
            f'<a href="{page.link(newer)}" rel="prev">{escape(words["newer"])}</a>'
            if newer
            else "<span></span>"
        )
        where = words["page"].format(number=number, total=total)
        pager.append(f'<span class="current">{escape(where)}</span>')
        pager.append(
            f'<a href="{page.link(older)}" rel="next">{escape(words["older"])}</a>'
            if older
            else "<span></span>"
        )
        pager.append("</nav>")
        parts.append("\n".join(pager))
    title = page.site_title if is_home and number == 1 else heading
    if number > 1:
        title = f"{heading} · {words['page'].format(number=number, total=total)}"
    return layout(page, title, "\n".join(parts))


def _entry(page: Page, entry: Listed) -> str:
    article = entry.article
    title = escape(title_text(article))
    meta = [time_tag(article, page.lang)] if article.date is not None else []
    if article.category:
        name = escape(article.category)
        if entry.category_path:
            name = f'<a href="{page.link(entry.category_path)}">{name}</a>'
        meta.append(name)
    lines = [
        f'<li class="entry"{_lang_attribute(article, page.lang)}>',
        f'<h2><a href="{page.link(entry.path)}">{title}</a>{status_badge(article, page.lang)}</h2>',
    ]
    if meta:
        lines.append(f'<p class="meta">{" · ".join(meta)}</p>')
    summary = summary_text(article)
    if summary:
        lines.append(f'<p class="summary">{escape(summary)}</p>')
    lines.append("</li>")
    return "\n".join(lines)


def terms_page(page: Page, heading: str, terms: Sequence[tuple[Term, str]]) -> str:
    """All tags or all categories, with how many articles each has."""
    if terms:
        items = "\n".join(
            f'<li><a href="{page.link(path)}">{escape(term.name)}</a> <span class="count">'
            f"({escape(count_label(len(term.articles), page.lang))})</span></li>"
            for term, path in terms
        )
        body = f'<ul class="term-list">\n{items}\n</ul>'
    else:
        body = f"<p>{escape(page.words['empty'])}</p>"
    return layout(page, heading, f"<h1>{escape(heading)}</h1>\n{body}")


def _lang_attribute(article: Article, page_lang: str) -> str:
    """``lang="…"`` on an item whose language differs from the page's (for screen readers)."""
    lang = language_tag(article.lang, page_lang)
    return "" if lang == page_lang else f' lang="{escape(lang)}"'
