"""Where each article lives in an exported site, and links between articles.

A body link to another article's Markdown file (``../07/slug.md``, ``/2024/07/slug.md``) or to
its slug (``/slug``, ``/slug/``) is found here, so the site and the feeds can point to its page.
"""

from __future__ import annotations

import os
import posixpath
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote, unquote, urlsplit

from lushbeat_cli.core.article import Article
from lushbeat_cli.core.corpus import is_article_path

ARTICLES_FOLDER = "articles"


def page_path(article: Article, content_root: Path) -> str:
    """The article's page in the site: its path below the content folder, under ``articles/``,
    with ``.md`` turned into ``.html`` (``2024/07/slug.md`` -> ``articles/2024/07/slug.html``).

    Other suffixes are kept (``x.markdown`` -> ``x.markdown.html``) so no two files share a page.
    """
    try:
        relative = article.path.relative_to(content_root).as_posix()
    except ValueError:
        relative = f"{article.slug}.md"
    stem, _, suffix = relative.rpartition(".")
    base = stem if suffix.lower() == "md" else relative
    return f"{ARTICLES_FOLDER}/{base}.html"


def href(path: str) -> str:
    """A site path as an href: percent-encoded, slashes kept."""
    return quote(path, safe="/")


def relative_href(from_page: str, to_path: str) -> str:
    """A relative link between two site paths, so the site works from ``file://`` too."""
    start = posixpath.dirname(from_page) or "."
    return href(posixpath.relpath(to_path, start))


@dataclass(frozen=True, slots=True)
class LinkTarget:
    """What a body URL points to: ``is_article`` says it aims at an article (a ``.md`` file or
    a known slug); ``article`` is that article when it is known, else None."""

    is_article: bool
    article: Article | None = None
    fragment: str = ""


NOT_AN_ARTICLE = LinkTarget(False)


class ArticleLinks:
    """Finds the article a link in a body points to, among ``articles``."""

    def __init__(self, articles: Iterable[Article], content_root: Path) -> None:
        self.content_root = content_root
        self._by_file: dict[str, Article] = {}
        self._by_folded_file: dict[str, Article] = {}  # links written in another case
        self._by_slug: dict[str, Article] = {}
        for article in articles:
            name = os.path.normpath(article.path)
            self._by_file.setdefault(name, article)
            self._by_folded_file.setdefault(name.casefold(), article)
            self._by_slug.setdefault(article.slug, article)

    def find(self, source: Article, url: str) -> LinkTarget:
        parts = urlsplit(url)
        if parts.scheme or parts.netloc or not parts.path:
            return NOT_AN_ARTICLE
        path = unquote(parts.path)
        if is_article_path(Path(path)):
            folder = self.content_root if path.startswith("/") else source.path.parent
            name = os.path.normpath(folder / path.lstrip("/"))
            found = self._by_file.get(name) or self._by_folded_file.get(name.casefold())
            return LinkTarget(True, found, parts.fragment)
        if path.startswith("/"):
            slug = path.strip("/").rsplit("/", 1)[-1]
            found = self._by_slug.get(slug)
            if found is not None:
                return LinkTarget(True, found, parts.fragment)
        return NOT_AN_ARTICLE

    def asset(self, source: Article, url: str) -> Path | None:
        """A relative link to a file next to the articles (an image, a PDF) that exists inside
        the content folder, or None."""
        parts = urlsplit(url)
        if parts.scheme or parts.netloc or not parts.path or parts.path.startswith("/"):
            return None
        path = unquote(parts.path)
        if is_article_path(Path(path)):
            return None
        candidate = (source.path.parent / path).resolve()
        root = self.content_root.resolve()
        if root not in candidate.parents or not candidate.is_file():
            return None
        if any(part.startswith(".") for part in candidate.relative_to(root).parts):
            return None  # hidden files are never published
        return candidate
