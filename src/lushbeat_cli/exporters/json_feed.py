"""``jsonfeed``: a JSON Feed 1.1 document (https://jsonfeed.org/version/1.1)."""

from __future__ import annotations

import json
from typing import Any

from lushbeat_cli.exporters.feeds import Feed, FeedExporter

JSON_FEED_VERSION = "https://jsonfeed.org/version/1.1"


class JsonFeedExporter(FeedExporter):
    name = "jsonfeed"
    description = "a JSON Feed 1.1 of the newest articles (needs --base-url)"
    default_file_name = "feed.json"

    def document(self, feed: Feed) -> str:
        return json.dumps(json_feed(feed), ensure_ascii=False, indent=2) + "\n"


def json_feed(feed: Feed) -> dict[str, Any]:
    items = []
    for entry in feed.entries:
        article = entry.article
        item: dict[str, Any] = {
            "id": entry.url,
            "url": entry.url,
            "title": entry.title,
            "content_html": entry.content_html,
        }
        if article.summary:
            item["summary"] = article.summary
        item["date_published"] = entry.published.isoformat()
        if article.updated is not None:
            item["date_modified"] = entry.updated.isoformat()
        if entry.authors:
            item["authors"] = [{"name": name} for name in entry.authors]
        if article.tags:
            item["tags"] = list(article.tags)
        item["language"] = entry.lang
        items.append(item)
    return {
        "version": JSON_FEED_VERSION,
        "title": feed.title,
        "home_page_url": feed.home_url,
        "feed_url": feed.self_url,
        "description": feed.description,
        "language": feed.lang,
        "authors": [{"name": feed.title}],
        "items": items,
    }
