"""LB4xx: an article against the whole content directory (slugs, titles, related entries,
links)."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

from lushbeat_cli.core.article import Article
from lushbeat_cli.core.findings import Finding
from lushbeat_cli.core.links import find_links, local_target, normal_path, relative_link
from lushbeat_cli.core.rules.base import WARNING, FileContext, Rule, preview

# A link whose destination is no URL with a scheme or an anchor: worth parsing the body for.
_LOCAL_LINK_HINT = re.compile(
    r"\]\(\s*<?(?![A-Za-z][A-Za-z0-9+.-]*:|#)|^ {0,3}\[[^\]\n]+\]:\s*<?(?![A-Za-z][\w+.-]*:|#)",
    re.M,
)


class DuplicateSlug(Rule):
    code = "LB401"
    name = "duplicate-slug"
    description = (
        "Another article in the content dir has the same slug (translations may share one)."
    )
    remedy = "Give one of the articles another slug (and file name)."
    needs_collection = True

    def check(self, ctx: FileContext) -> Iterator[Finding]:
        collection = ctx.collection
        article = ctx.article
        mine = normal_path(article.path)
        others = [
            other
            for other in collection.by_slug.get(article.slug, [])
            if normal_path(other.path) != mine and not _translations(article, other)
        ]
        if not others:
            return
        source = "" if "slug" in article.metadata else " (from the file name)"
        message = f"slug '{article.slug}'{source} is also used by {ctx.run.where(others[0].path)}"
        if len(others) > 1:
            message += f" and {len(others) - 1} more"
        yield ctx.finding(self, "slug", message)


def _translations(one: Article, other: Article) -> bool:
    """Two language versions of one story may share a slug (content/en/x.md, content/id/x.md)."""
    return bool(one.lang and other.lang and one.lang.lower() != other.lang.lower())


class SimilarTitle(Rule):
    code = "LB402"
    name = "similar-title"
    severity = WARNING
    description = (
        "Another article's title is nearly identical (`similar_title_threshold`, default 95)."
    )
    remedy = "Check for a duplicate story; reword one of the titles if both should stay."
    needs_collection = True

    def check(self, ctx: FileContext) -> Iterator[Finding]:
        collection = ctx.collection
        similar = collection.similar_titles(ctx.article)
        if not similar:
            return
        other, score = similar[0]
        same = "the same as" if score >= 100 else f"{score:.0f}% similar to"
        message = f"title is {same} the title of {ctx.run.where(other.path)}"
        if score < 100:
            message += f" ({preview(other.title)})"
        if len(similar) > 1:
            message += f" and {len(similar) - 1} more"
        yield ctx.finding(self, ctx.key_of("title"), message)


class UnknownRelated(Rule):
    code = "LB403"
    name = "unknown-related"
    description = "A `related:` entry names no article in the content directory."
    remedy = "Use an existing article's slug (or `.md` path)."
    needs_collection = True

    def check(self, ctx: FileContext) -> Iterator[Finding]:
        collection = ctx.collection
        key = ctx.key_of("related")
        if key is None:
            return
        for entry in ctx.article.related:
            target = local_target(entry) if entry.lower().endswith((".md", ".markdown")) else None
            if target is not None:
                if collection.resolver.resolve(target, ctx.article.path) is not None:
                    continue
            elif entry in collection.by_slug:
                continue
            message = f"related '{entry}' names no article"
            hint = collection.closest_slug(Path(entry).stem if target else entry)
            if hint:
                message += f" (did you mean '{hint}'?)"
            yield ctx.finding(self, ctx.item_at(key, entry), message)


class DeadLink(Rule):
    code = "LB404"
    name = "dead-link"
    description = "A Markdown link to a local article (`../07/x.md`, `/slug`) leads nowhere."
    remedy = "Point the link at an existing article (the message suggests the closest)."
    needs_collection = True

    def check(self, ctx: FileContext) -> Iterator[Finding]:
        collection = ctx.collection
        article = ctx.article
        if not _LOCAL_LINK_HINT.search(article.body):
            return
        for link in find_links(article.body, article.body_line):
            target = local_target(link.target)
            if target is None or collection.resolver.exists(target, article.path):
                continue
            if target.kind == "path":
                message = f"link '{link.target}' leads to no file"
                meant = collection.resolver.resolve(target, article.path, ignore_case=True)
                hint = None if meant else collection.closest_slug(Path(target.value).stem)
                if meant is not None:
                    suggestion = relative_link(article.path, meant.path)
                    message += f" (letter case differs: '{suggestion}')"
                elif hint:
                    suggestion = relative_link(article.path, collection.by_slug[hint][0].path)
                    message += f" (did you mean '{suggestion}'?)"
            else:
                message = f"link '{link.target}' names no article, alias or section"
                hint = collection.closest_slug(target.value)
                if hint:
                    message += f" (did you mean '/{hint}'?)"
            yield ctx.finding(self, (link.line, link.col), message)
