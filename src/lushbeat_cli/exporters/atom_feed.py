"""``atom``: an Atom 1.0 feed (RFC 3339 dates, entry ids are the pages' absolute URLs)."""

from __future__ import annotations

import xml.etree.ElementTree as ET

from lushbeat_cli.exporters.feeds import Feed, FeedExporter, text_element, xml_document, xml_text

ATOM_NS = "http://www.w3.org/2005/Atom"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"


class AtomExporter(FeedExporter):
    name = "atom"
    description = "an Atom 1.0 feed of the newest articles (needs --base-url)"
    suffixes = (".atom",)
    default_file_name = "atom.xml"

    def document(self, feed: Feed) -> str:
        return atom_document(feed)


def atom_document(feed: Feed) -> str:
    root = ET.Element("feed", {"xmlns": ATOM_NS, XML_LANG: feed.lang})
    text_element(root, "title", feed.title).set("type", "text")
    text_element(root, "subtitle", feed.description).set("type", "text")
    ET.SubElement(root, "link", {"rel": "alternate", "type": "text/html", "href": feed.home_url})
    ET.SubElement(
        root, "link", {"rel": "self", "type": "application/atom+xml", "href": feed.self_url}
    )
    text_element(root, "id", feed.home_url)
    text_element(root, "updated", feed.updated.isoformat())
    text_element(root, "generator", "lushbeat").set("version", feed.generator_version)
    # Atom needs an author for every entry; the feed's stands in for entries without one.
    text_element(ET.SubElement(root, "author"), "name", feed.title)
    for entry in feed.entries:
        article = entry.article
        node = ET.SubElement(root, "entry")
        if entry.lang != feed.lang:
            node.set(XML_LANG, entry.lang)
        text_element(node, "title", entry.title).set("type", "text")
        ET.SubElement(node, "link", {"rel": "alternate", "type": "text/html", "href": entry.url})
        text_element(node, "id", entry.url)
        text_element(node, "published", entry.published.isoformat())
        text_element(node, "updated", entry.updated.isoformat())
        for name in entry.authors:
            text_element(ET.SubElement(node, "author"), "name", name)
        for term in ([article.category] if article.category else []) + article.tags:
            ET.SubElement(node, "category", {"term": xml_text(term)})
        if article.summary:
            text_element(node, "summary", article.summary).set("type", "text")
        text_element(node, "content", entry.content_html).set("type", "html")
    return xml_document(root)
