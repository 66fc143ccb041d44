"""Where each article lives in an exported site, and what a body link points to there.

Which article a link names (``../07/slug.md``, ``/2024/07/slug.md``, ``/slug``) is decided by
``core.links``; this module maps that onto pages, and finds files (images, PDFs) to copy.
"""

from __future__ import annotations

import posixpath
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from urllib.parse import quote, unquote, urlsplit

from lushbeat_cli.core.article import Article
from lushbeat_cli.core.links import ARTICLE_EXTENSIONS, LinkResolver, LocalTarget, local_target
from lushbeat_cli.core.reading.articles import is_article_path

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
    """A site path as an href: percent-encoded, slashes kept. A byte of a file name that is
    not UTF-8 is encoded as that byte (``caf%E9.html``), so the link reaches the page."""
    return quote(path, safe="/", errors="surrogateescape")


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
        self.resolver = LinkResolver(articles, content_root)

    def find(self, source: Article, url: str) -> LinkTarget:
        """A file link is an article link even when its file is not known (the site then drops
        it); a ``/slug`` that names no article may be any page of the site, so it is not.
        A file name in another letter case is matched, as a case-blind server would."""
        target = local_target(url)
        if target is None:
            return NOT_AN_ARTICLE
        found = self.resolver.resolve(target, source.path, ignore_case=True)
        if found is None and target.kind == "slug":
            return NOT_AN_ARTICLE
        return LinkTarget(True, found, target.fragment)

    def find_ref(self, source: Article, ref: str) -> LinkTarget:
        """The article a ref names: Hugo's ``ref``/``relref`` or Jekyll's ``link``/``post_url``.

        Tried in turn: a path relative to the article, then from the content root (with
        ``.md``, ``/index.md`` or ``/_index.md`` added when it has no suffix); a file name or
        name without suffix that only one article has (``2014-02-03-slug.md``,
        ``2014-02-03-slug``), as Hugo and Jekyll find them; an ``aliases``/``url`` path.
        A ref always names a page: when none is found, the target is an unknown article.
        """
        path, _, fragment = ref.strip().partition("#")
        if not path:
            return LinkTarget(False, None, fragment)  # `#part`: a place in this page
        if urlsplit(path).scheme or path.startswith("//"):
            return NOT_AN_ARTICLE
        path = unquote(path.replace("\\", "/").partition("?")[0])
        bare = path.rstrip("/")
        if path.lower().endswith(ARTICLE_EXTENSIONS):
            candidates = [path]
        else:
            candidates = [bare + ext for ext in ARTICLE_EXTENSIONS]
            candidates += [f"{bare}/index.md", f"{bare}/_index.md"]
        for candidate in candidates:
            for value in (candidate, "/" + candidate.lstrip("/")):
                target = LocalTarget("path", value)
                found = self.resolver.resolve(target, source.path, ignore_case=True)
                if found is not None:
                    return LinkTarget(True, found, fragment)
        name = posixpath.basename(bare).casefold()
        found = _only(self._by_file_name.get(name)) or _only(self._by_stem.get(name))
        if found is None:
            found = self.resolver.url_paths.get("/" + bare.strip("/").lower())
        return LinkTarget(True, found, fragment)

    @cached_property
    def _by_file_name(self) -> dict[str, list[Article]]:
        return self._index(lambda path: path.name)

    @cached_property
    def _by_stem(self) -> dict[str, list[Article]]:
        return self._index(lambda path: path.stem)

    def _index(self, key: Callable[[Path], str]) -> dict[str, list[Article]]:
        found: dict[str, list[Article]] = {}
        unique = {id(article): article for article in self.resolver.articles}  # listed twice
        for article in unique.values():
            found.setdefault(key(article.path).casefold(), []).append(article)
        return found

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


def _only(articles: list[Article] | None) -> Article | None:
    """The one article of a name; None when none has it or several do (Hugo calls it
    ambiguous)."""
    return articles[0] if articles and len(articles) == 1 else None
