"""``rss``: an RSS 2.0 feed (RFC 822 dates, ``atom:link rel="self"``, full content in
``content:encoded``)."""

from __future__ import annotations

import html
import xml.etree.ElementTree as ET
from email.utils import format_datetime

from lushbeat_cli.exporters.feeds import Feed, FeedExporter, text_element, xml_document

ATOM_NS = "http://www.w3.org/2005/Atom"
CONTENT_NS = "http://purl.org/rss/1.0/modules/content/"
DC_NS = "http://purl.org/dc/elements/1.1/"


class RssExporter(FeedExporter):
    name = "rss"
    description = "an RSS 2.0 feed of the newest articles (needs --base-url)"
    suffixes = (".rss",)
    default_file_name = "rss.xml"

    def document(self, feed: Feed) -> str:
        return rss_document(feed)


def rss_document(feed: Feed) -> str:
    rss = ET.Element(
        "rss",
        {"version": "2.0", "xmlns:atom": ATOM_NS, "xmlns:content": CONTENT_NS, "xmlns:dc": DC_NS},
    )
    channel = ET.SubElement(rss, "channel")
    text_element(channel, "title", feed.title)
    text_element(channel, "link", feed.home_url)
    text_element(channel, "description", feed.description)
    text_element(channel, "language", feed.lang)
    text_element(channel, "generator", f"lushbeat {feed.generator_version}")
    text_element(channel, "lastBuildDate", format_datetime(feed.updated))
    ET.SubElement(
        channel,
        "atom:link",
        {"href": feed.self_url, "rel": "self", "type": "application/rss+xml"},
    )
    for entry in feed.entries:
        article = entry.article
        item = ET.SubElement(channel, "item")
        text_element(item, "title", entry.title)
        text_element(item, "link", entry.url)
        guid = text_element(item, "guid", entry.url)
        guid.set("isPermaLink", "true")
        text_element(item, "pubDate", format_datetime(entry.published))
        for name in entry.authors:
            text_element(item, "dc:creator", name)
        if article.category:
            text_element(item, "category", article.category)
        for tag in article.tags:
            text_element(item, "category", tag)
        if article.summary:
            # RSS descriptions are read as HTML: plain text must be escaped for HTML first.
            text_element(item, "description", html.escape(article.summary, quote=False))
        text_element(item, "content:encoded", entry.content_html)
    return xml_document(rss)
