"""``html``: a static site folder that works from ``file://`` and from any web server.

Layout: ``index.html`` (+ ``page/N.html``), ``articles/<path below content>.html``,
``tags/`` and ``categories/`` (an index, one page per term, + ``<slug>/page/N.html``),
``style.css`` and the ``.lushbeat-export`` marker. Built in a temporary folder next to the
target and swapped in at the end, so a failed export leaves the old site as it was.
"""

from __future__ import annotations

import contextlib
import json
import os
import secrets
import shutil
from collections.abc import Iterator, Sequence
from itertools import chain
from pathlib import Path

from lushbeat_cli import __version__
from lushbeat_cli.core.article import Article
from lushbeat_cli.core.query import fold
from lushbeat_cli.errors import LushbeatError
from lushbeat_cli.exporters import site_pages
from lushbeat_cli.exporters.base import (
    Destination,
    Exporter,
    ExportOptions,
    ExportResult,
    track,
)
from lushbeat_cli.exporters.links import ARTICLES_FOLDER, ArticleLinks, page_path, relative_href
from lushbeat_cli.exporters.markdown import MarkdownRenderer
from lushbeat_cli.exporters.site_pages import Listed, Page
from lushbeat_cli.exporters.site_theme import STYLESHEET, labels, language_tag
from lushbeat_cli.exporters.taxonomy import Term, category_names, group_terms, tag_names

MARKER = ".lushbeat-export"


class HtmlSiteExporter(Exporter):
    name = "html"
    description = "a static site folder: paginated index, article, tag and category pages"
    writes_directory = True
    needs_path = True
    publishes = True
    options = frozenset({"per_page", "force"})
    suggests_similar = True

    def export(
        self, articles: Sequence[Article], options: ExportOptions, destination: Destination
    ) -> ExportResult:
        assert destination.path is not None, "checked by run_export"
        target = destination.path.resolve()
        check_replaceable(target, force=options.force)
        site = Site(list(articles), options)
        with staging_folder(target) as folder:
            site.write(folder)
        return ExportResult(len(articles), destination.path, site.notes())


class Site:
    """The plan of a site: every page's path, the taxonomies, links and similar posts."""

    def __init__(self, articles: list[Article], options: ExportOptions) -> None:
        self.articles = articles
        self.options = options
        self.renderer = MarkdownRenderer()
        self.unresolved_links = 0
        self.assets: dict[str, Path] = {}  # site path -> file in the content folder
        root = options.content_root
        self.pages = {id(a): page_path(a, root) for a in articles}
        self.page_paths = set(self.pages.values())
        self.tags = group_terms(articles, tag_names)
        self.categories = group_terms(articles, category_names)
        self.tag_by_name = {fold(term.name): term for term in self.tags}
        self.category_by_name = {fold(term.name): term for term in self.categories}
        # Links may aim at any loaded article; those without a page here are dropped.
        self.links = ArticleLinks(chain(articles, options.corpus), root)
        self.by_slug: dict[str, Article] = {}
        for article in articles:
            self.by_slug.setdefault(article.slug, article)
        self.similar_limit, self.suggested = self.suggest_similar()
        self.lang = language_tag(options.lang, "en")

    # -- paths

    @staticmethod
    def term_path(kind: str, term: Term) -> str:
        return f"{kind}/{term.slug}.html"

    def category_path(self, article: Article) -> str | None:
        category = self.category_by_name.get(fold(article.category or ""))
        return self.term_path("categories", category) if category else None

    def listed(self, article: Article) -> Listed:
        return Listed(article, self.pages[id(article)], self.category_path(article))

    def page(self, path: str, lang: str | None = None) -> Page:
        return Page(path, lang or self.lang, self.options.title, self.options.base_url)

    # -- writing

    def write(self, folder: Path) -> None:
        for article in track(self.articles, self.options.progress):
            path = self.pages[id(article)]
            _write(folder, path, self.article_html(article, path))
        self.write_listing(
            folder, "index.html", "page/{number}.html", self.options.title, self.articles, home=True
        )
        for kind, terms, heading_key, index_path in (
            ("tags", self.tags, "tag", site_pages.TAGS_INDEX),
            ("categories", self.categories, "category", site_pages.CATEGORIES_INDEX),
        ):
            heading = labels(self.lang)[kind]
            index = self.page(index_path)
            listed_terms = [(term, self.term_path(kind, term)) for term in terms]
            _write(folder, index_path, site_pages.terms_page(index, heading, listed_terms))
            for term in terms:
                title = labels(self.lang)[heading_key].format(name=term.name)
                self.write_listing(
                    folder,
                    self.term_path(kind, term),
                    f"{kind}/{term.slug}/page/{{number}}.html",
                    title,
                    term.articles,
                )
        for site_path, source in sorted(self.assets.items()):
            destination = folder / site_path
            destination.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(source, destination)
        _write(folder, site_pages.STYLESHEET_PATH, STYLESHEET)
        marker = {"generator": "lushbeat", "version": __version__, "format": "html"}
        _write(folder, MARKER, json.dumps(marker) + "\n")

    def write_listing(
        self,
        folder: Path,
        first: str,
        later: str,
        heading: str,
        articles: Sequence[Article],
        *,
        home: bool = False,
    ) -> None:
        size = self.options.per_page
        chunks = [articles[start : start + size] for start in range(0, len(articles), size)] or [[]]
        paths = [first, *(later.format(number=n) for n in range(2, len(chunks) + 1))]
        for number, (path, chunk) in enumerate(zip(paths, chunks, strict=True), start=1):
            html_text = site_pages.listing_page(
                self.page(path),
                heading,
                [self.listed(article) for article in chunk],
                number=number,
                total=len(chunks),
                newer=paths[number - 2] if number > 1 else None,
                older=paths[number] if number < len(chunks) else None,
                is_home=home,
            )
            _write(folder, path, html_text)

    def article_html(self, article: Article, path: str) -> str:
        lang = language_tag(article.lang, self.lang)
        body = self.renderer.render(
            article.body, lambda url, kind: self.rewrite(article, path, url)
        )
        tag_paths = []
        seen = set()
        for name in article.tags:
            term = self.tag_by_name.get(fold(name))
            if term is not None and term.slug not in seen:
                seen.add(term.slug)
                tag_paths.append((name, self.term_path("tags", term)))
        similar, source = self.similar(article)
        return site_pages.article_page(
            self.page(path, lang),
            article,
            body,
            category_path=self.category_path(article),
            tag_paths=tag_paths,
            similar=[self.listed(other) for other in similar],
            similar_source=source,
        )

    def rewrite(self, source: Article, here: str, url: str) -> str | None:
        """A body link: another article's page, a copied file next to it, or as written."""
        target = self.links.find(source, url)
        if target.is_article:
            if target.article is None or id(target.article) not in self.pages:
                self.unresolved_links += 1
                return None
            link = relative_href(here, self.pages[id(target.article)])
            return f"{link}#{target.fragment}" if target.fragment else link
        asset = self.links.asset(source, url)
        if asset is not None:
            relative = asset.relative_to(self.options.content_root.resolve()).as_posix()
            site_path = f"{ARTICLES_FOLDER}/{relative}"
            if site_path not in self.page_paths:
                self.assets[site_path] = asset
        return url

    def related(self, article: Article) -> list[Article]:
        """The articles its ``related:`` names (by slug) that have a page here."""
        found: list[Article] = []
        for slug in article.related:
            other = self.by_slug.get(slug)
            if other is not None and other is not article and other not in found:
                found.append(other)
        return found

    def suggest_similar(self) -> tuple[int, dict[int, list[Article]]]:
        """What ``lushbeat similar`` suggests (same ``[similar]`` settings, drafts and scheduled
        stories never) for every page without a usable ``related:``, computed once. Only
        articles with a page here may be suggested; the whole loaded corpus is analysed, so the
        scores are the command's."""
        from lushbeat_cli.core.config import Config
        from lushbeat_cli.core.related import RelatedIndex, SimilarSettings

        options = self.options
        settings = options.similar or SimilarSettings.from_config(
            Config(root=options.project_root, default_lang=options.lang)
        )
        wanted = [article for article in self.articles if not self.related(article)]
        if not wanted or settings.limit == 0:
            return settings.limit, {}
        known = {id(article) for article in options.corpus}
        analysed = [*options.corpus, *(a for a in self.articles if id(a) not in known)]
        index = RelatedIndex(
            analysed,
            settings,
            content_root=options.content_root,
            pool=lambda other: id(other) in self.pages,
        )
        suggested = {
            id(article): [item.article for item in items]
            for article, items in index.suggest_all(wanted)
        }
        return settings.limit, suggested

    def similar(self, article: Article) -> tuple[list[Article], str]:
        """From ``related:`` (the slugs that have a page here), else the engine's suggestions."""
        found = self.related(article)
        if found:
            return found[: self.similar_limit], "related"
        return self.suggested.get(id(article), []), "similar"

    def notes(self) -> list[str]:
        notes = []
        if self.unresolved_links:
            count = self.unresolved_links
            notes.append(
                f"{count} link{'s' if count != 1 else ''} to articles not in this export "
                "kept as plain text"
            )
        if self.assets:
            count = len(self.assets)
            notes.append(f"{count} linked file{'s' if count != 1 else ''} copied")
        return notes


def _write(folder: Path, relative: str, text: str) -> None:
    path = folder / relative
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8", newline="\n")


# ---------------------------------------------------------------- the swap


def is_previous_export(folder: Path) -> bool:
    return (folder / MARKER).is_file()


def check_replaceable(target: Path, *, force: bool) -> None:
    """A missing or empty folder, or a previous lushbeat export, may be replaced; anything
    else only with ``force``."""
    if not target.is_dir() or force or is_previous_export(target):
        return
    if any(target.iterdir()):
        raise LushbeatError(
            "folder is not empty and is not a previous lushbeat export; not replaced "
            "(use --force to replace it)",
            path=target,
        )


@contextlib.contextmanager
def staging_folder(target: Path) -> Iterator[Path]:
    """A temporary folder next to ``target``; swapped in for it when the block succeeds,
    removed when it fails (the old folder is then untouched)."""
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        staging = _unused_name(target, "tmp")
        staging.mkdir()  # the usual permissions (mkdtemp's would be owner-only)
    except OSError as exc:
        raise LushbeatError(f"cannot create the site folder: {exc.strerror}", path=target) from None
    try:
        yield staging
        _swap(staging, target)
    except OSError as exc:
        raise LushbeatError(f"cannot write the site: {exc.strerror}", path=target) from None
    finally:
        shutil.rmtree(staging, ignore_errors=True)


def _swap(staging: Path, target: Path) -> None:
    if not target.exists():
        os.rename(staging, target)
        return
    old = _unused_name(target, "old")
    os.rename(target, old)
    try:
        os.rename(staging, target)
    except OSError:
        os.rename(old, target)
        raise
    shutil.rmtree(old, ignore_errors=True)


def _unused_name(target: Path, kind: str) -> Path:
    """``.NAME.XXXXXXXX.kind`` next to ``target``, not yet taken."""
    while True:
        candidate = target.with_name(f".{target.name}.{secrets.token_hex(4)}.{kind}")
        if not candidate.exists():
            return candidate
