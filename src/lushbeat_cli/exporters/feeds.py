"""What the RSS, Atom and JSON feeds share: entries with absolute links, content from the safe
Markdown renderer, dates, and the feed's own URL. Imported by the feed exporters.

An entry links to the article's page in the site that ``--format html`` builds, published at
``--base-url``; links between articles in the content point there too.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from urllib.parse import urljoin

from lushbeat_cli import __version__
from lushbeat_cli.core.article import Article, Status
from lushbeat_cli.exporters.authors import load_author_names
from lushbeat_cli.exporters.base import (
    Destination,
    Exporter,
    ExportOptions,
    ExportResult,
    track,
    write_text,
)
from lushbeat_cli.exporters.links import ArticleLinks, href, page_path
from lushbeat_cli.exporters.markdown import LinkRewriter, MarkdownRenderer
from lushbeat_cli.exporters.site_theme import language_tag

GENERATOR = "lushbeat"
# Characters XML 1.0 cannot carry at all, even escaped.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def xml_text(text: str) -> str:
    return _NOT_XML.sub("", text)


class FeedExporter(Exporter):
    """A feed format: the newest live articles, absolute links; subclasses write the document."""

    needs_base_url = True
    publishes = True
    limited_by_default = True
    dated_only = True

    def export(
        self, articles: Sequence[Article], options: ExportOptions, destination: Destination
    ) -> ExportResult:
        feed = build_feed(articles, options, destination, self.default_file_name)
        text = self.document(feed)
        write_text(destination, lambda stream: stream.write(text))
        return ExportResult(len(feed.entries), destination.path, feed.notes)

    def document(self, feed: Feed) -> str:
        raise NotImplementedError


@dataclass(frozen=True, slots=True)
class FeedEntry:
    article: Article
    url: str
    title: str
    content_html: str
    published: datetime
    updated: datetime
    lang: str
    authors: list[str]  # display names from the site's authors file, else as written


@dataclass(frozen=True, slots=True)
class Feed:
    title: str
    description: str
    lang: str
    home_url: str
    self_url: str
    updated: datetime
    entries: list[FeedEntry]
    generator_version: str = __version__
    notes: list[str] = field(default_factory=list)  # for the user: what the bodies lost


def build_feed(
    articles: Sequence[Article],
    options: ExportOptions,
    destination: Destination,
    default_file_name: str | None,
) -> Feed:
    """The feed of ``articles``: dated, newest first and limited by ``choose_articles``."""
    assert options.base_url, "checked by run_export"
    base = options.base_url
    published = [
        a
        for a in options.corpus or articles
        if options.include_drafts or a.status is Status.PUBLISHED
    ]
    links = ArticleLinks(published, options.content_root)
    site_lang = language_tag(options.lang, "en")
    renderer = MarkdownRenderer()
    authors = load_author_names(options.project_root, options.content_root)
    entries = []
    for article in track(articles, options.progress):
        url = article_url(article, options)
        assert article.date is not None, "undated articles are left out of feeds"
        entries.append(
            FeedEntry(
                article=article,
                url=url,
                title=article.title or article.slug,
                content_html=renderer.render(
                    article.body, _absolute_links(article, url, links, options)
                ),
                published=article.date,
                updated=article.updated or article.date,
                lang=language_tag(article.lang, site_lang),
                authors=authors.display(article.authors),
            )
        )
    updated = max((entry.updated for entry in entries), default=None) or datetime.now(UTC)
    feed = Feed(
        title=options.title,
        description=options.description or f"Latest articles from {options.title}",
        lang=site_lang,
        home_url=f"{base}/",
        self_url=f"{base}/{href(destination.file_name or default_file_name or 'feed')}",
        updated=updated,
        entries=entries,
        notes=[*authors.problems, *renderer.notes()],
    )
    return feed


def article_url(article: Article, options: ExportOptions) -> str:
    return f"{options.base_url}/{href(page_path(article, options.content_root))}"


def _absolute_links(
    article: Article, page_url: str, links: ArticleLinks, options: ExportOptions
) -> LinkRewriter:
    """Feed readers resolve relative links badly: make every link absolute."""

    def rewrite(url: str, kind: str) -> str | None:
        target = links.find_ref(article, url) if kind == "ref" else links.find(article, url)
        if target.is_article:
            if target.article is None:
                return None
            found = article_url(target.article, options)
            return f"{found}#{target.fragment}" if target.fragment else found
        return urljoin(page_url, url)

    return rewrite


def text_element(parent: ET.Element, tag: str, text: str) -> ET.Element:
    element = ET.SubElement(parent, tag)
    element.text = xml_text(text)
    return element


def xml_document(root: ET.Element) -> str:
    ET.indent(root, space="  ")
    return '<?xml version="1.0" encoding="utf-8"?>\n' + ET.tostring(root, encoding="unicode") + "\n"
