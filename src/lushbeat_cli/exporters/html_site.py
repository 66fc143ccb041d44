"""``html``: a static site folder that works from ``file://`` and from any web server.

Layout: ``index.html`` (+ ``page/N.html``), ``articles/<path below content>.html``,
``tags/`` and ``categories/`` (an index, one page per term, + ``<slug>/page/N.html``),
``style.css`` and the ``.lushbeat-export`` marker, which lists every file lushbeat wrote.
Built in a temporary folder next to the target and swapped in at the end, so a failed export
leaves the old site as it was; what lushbeat did not write there (a ``CNAME``, a ``.git/``) is
moved into the new site first, never deleted.
"""

from __future__ import annotations

import contextlib
import json
import os
import secrets
import shutil
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from itertools import chain
from pathlib import Path

from lushbeat_cli import __version__
from lushbeat_cli.core.article import Article
from lushbeat_cli.core.files.atomic import Scratch, output_folder
from lushbeat_cli.core.query import fold
from lushbeat_cli.errors import LushbeatError
from lushbeat_cli.exporters import site_pages
from lushbeat_cli.exporters.authors import load_author_names
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
        target = output_folder(destination.path)  # a symlinked folder is written through
        previous = read_previous(target)
        check_replaceable(target, previous, force=options.force)
        site = Site(list(articles), options)
        notes = publish_site(target, previous, site.write, force=options.force)
        return ExportResult(len(articles), destination.path, site.notes() + notes)


class Site:
    """The plan of a site: every page's path, the taxonomies, links and similar posts."""

    def __init__(self, articles: list[Article], options: ExportOptions) -> None:
        self.articles = articles
        self.options = options
        self.renderer = MarkdownRenderer()
        self.authors = load_author_names(options.project_root, options.content_root)
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
            article.body, lambda url, kind: self.rewrite(article, path, url, kind)
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
            authors=self.authors.display(article.authors),
        )

    def rewrite(self, source: Article, here: str, url: str, kind: str = "href") -> str | None:
        """A body link: another article's page, a copied file next to it, or as written.
        ``kind`` "ref": the target of a ref shortcode, which always names a page."""
        links = self.links
        target = links.find_ref(source, url) if kind == "ref" else links.find(source, url)
        if target.is_article:
            if target.article is None or id(target.article) not in self.pages:
                self.unresolved_links += 1
                return None
            link = relative_href(here, self.pages[id(target.article)])
            return f"{link}#{target.fragment}" if target.fragment else link
        if kind == "ref":
            return url
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
        from lushbeat_cli.core.similar.engine import SimilarEngine, SimilarSettings

        options = self.options
        settings = options.similar or SimilarSettings.from_config(
            Config(root=options.project_root, default_lang=options.lang)
        )
        wanted = [article for article in self.articles if not self.related(article)]
        if not wanted or settings.limit == 0:
            return settings.limit, {}
        known = {id(article) for article in options.corpus}
        analysed = [*options.corpus, *(a for a in self.articles if id(a) not in known)]
        index = SimilarEngine(
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
        notes = [*self.authors.problems, *self.renderer.notes()]
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

MARKER_LIMIT = 64 * 1024 * 1024  # bytes; a marker this large is not one lushbeat wrote


@dataclass(frozen=True, slots=True)
class Previous:
    """What the target folder holds now: ``marked`` when it is an earlier lushbeat export;
    ``files``: the files that export wrote (None when unknown: no marker, or one written
    before lushbeat kept the list)."""

    exists: bool = False
    marked: bool = False
    files: frozenset[str] | None = None


def read_previous(target: Path) -> Previous:
    """What is in ``target``; a marker that cannot be read as lushbeat's JSON (damaged, too
    large, from an older lushbeat) still marks an export, but lists nothing."""
    if not target.is_dir():
        return Previous()
    marker = target / MARKER
    if not marker.is_file():
        return Previous(exists=True)
    try:
        with marker.open("rb") as stream:
            raw = stream.read(MARKER_LIMIT + 1)
        data = json.loads(raw) if len(raw) <= MARKER_LIMIT else None
    except (OSError, ValueError, RecursionError):
        data = None
    listed = data.get("files") if isinstance(data, dict) else None
    if not isinstance(listed, list):
        return Previous(exists=True, marked=True)
    return Previous(True, True, frozenset(name for name in listed if isinstance(name, str)))


def check_replaceable(target: Path, previous: Previous, *, force: bool) -> None:
    """A missing or empty folder, or an earlier lushbeat export, may be written; any other
    folder only with ``force``."""
    if not previous.exists or previous.marked or force:
        return
    if any(target.iterdir()):
        raise LushbeatError(
            "folder is not empty and is not a previous lushbeat export; not written "
            "(use --force to write into it: only the files lushbeat writes are replaced)",
            path=target,
        )


@dataclass(slots=True)
class KeepPlan:
    """The entries of the old folder that are not lushbeat's and move into the new site, and
    those that must give way to a page (with ``force``)."""

    keep: list[str] = field(default_factory=list)
    collisions: list[str] = field(default_factory=list)


def plan_keep(target: Path, previous: Previous, written: frozenset[str]) -> KeepPlan:
    """Sort the old folder's entries: lushbeat's own (the files its manifest lists, or, for an
    older marker without one, the files written now) are replaced; everything else is kept, a
    whole folder at once where nothing in it is lushbeat's."""
    plan = KeepPlan()
    if not previous.exists:
        return plan
    if previous.files is not None:
        ours = previous.files | {MARKER}
    elif previous.marked:
        ours = written | {MARKER}
    else:
        ours = frozenset()
    new_dirs = _folders_of(written)
    old_dirs = _folders_of(ours)

    def visit(folder: Path, prefix: str) -> None:
        with os.scandir(folder) as entries:
            for entry in sorted(entries, key=lambda e: e.name):
                relative = prefix + entry.name
                if entry.is_dir(follow_symlinks=False):
                    if relative in new_dirs or relative in old_dirs:
                        visit(Path(entry.path), relative + "/")
                    elif relative in written:
                        plan.collisions.append(relative)
                    else:
                        plan.keep.append(relative)
                elif relative in ours:
                    continue
                elif relative in written or relative in new_dirs:
                    plan.collisions.append(relative)
                else:
                    plan.keep.append(relative)

    visit(target, "")
    return plan


def _folders_of(files: frozenset[str]) -> frozenset[str]:
    folders = set()
    for name in files:
        parts = name.split("/")[:-1]
        for end in range(1, len(parts) + 1):
            folders.add("/".join(parts[:end]))
    return frozenset(folders)


def _written_files(folder: Path) -> frozenset[str]:
    found = set()
    for directory, _, files in os.walk(folder):
        relative = Path(directory).relative_to(folder)
        found.update((relative / name).as_posix() for name in files)
    return frozenset(found)


def _refuse_collisions(target: Path, collisions: list[str]) -> None:
    shown = ", ".join(collisions[:3]) + (", ..." if len(collisions) > 3 else "")
    count = len(collisions)
    raise LushbeatError(
        f"{count} entr{'ies' if count != 1 else 'y'} lushbeat did not write "
        f"{'are' if count != 1 else 'is'} where the site has pages ({shown}); not replaced "
        "(use --force to replace them)",
        path=target,
    )


def publish_site(
    target: Path, previous: Previous, build: Callable[[Path], None], *, force: bool
) -> list[str]:
    """Build the site in a temporary folder next to ``target`` and swap it in; what lushbeat
    did not write in the old folder moves into the new one first. A failed build or swap
    leaves the old folder as it was. Returns notes for the user."""
    notes: list[str] = []
    with Scratch() as scratch:
        staging = scratch.create_folder(target.parent, f".{target.name}.")
        try:
            build(staging)
            written = _written_files(staging)
            marker = {
                "generator": "lushbeat",
                "version": __version__,
                "format": "html",
                "files": sorted(written),
            }
            _write(staging, MARKER, json.dumps(marker, ensure_ascii=True, indent=1) + "\n")
            plan = plan_keep(target, previous, written)
            if plan.collisions and not force:
                _refuse_collisions(target, plan.collisions)
            with scratch.held():  # Ctrl-C waits: a user's files are on the move
                scratch.path = None  # from here, never removed blindly: it may hold them
                try:
                    old = _swap(staging, target, plan.keep)
                except OSError:
                    scratch.path = staging  # all moved back: it holds only the new pages
                    raise
                scratch.path = old  # the old site's own files, now to remove
        except OSError as exc:
            raise LushbeatError(f"cannot write the site: {exc.strerror}", path=target) from None
    if plan.collisions:
        count = len(plan.collisions)
        notes.append(
            f"{count} entr{'ies' if count != 1 else 'y'} lushbeat did not write replaced by "
            "pages (--force)"
        )
    if previous.marked and previous.files is None and plan.keep:
        count = len(plan.keep)
        notes.append(
            f"{count} older entr{'ies' if count != 1 else 'y'} kept: the folder's "
            f"{MARKER} does not list what lushbeat wrote (remove stale pages by hand)"
        )
    return notes


def _swap(staging: Path, target: Path, keep: list[str]) -> Path | None:
    """Move the entries to keep from ``target`` into ``staging``, then put ``staging`` in
    ``target``'s place. Returns the old folder (to remove), or None if there was none. On a
    failure everything moves back."""
    if not target.exists():
        os.rename(staging, target)
        return None
    moved: list[str] = []
    old: Path | None = None
    try:
        for relative in keep:
            destination = staging / relative
            destination.parent.mkdir(parents=True, exist_ok=True)
            os.rename(target / relative, destination)
            moved.append(relative)
        with contextlib.suppress(OSError):
            shutil.copymode(target, staging)
        old = _unused_name(target, "old")
        os.rename(target, old)
        os.rename(staging, target)
    except OSError:
        _move_back(staging, target, old, moved)
        raise
    return old


def _move_back(staging: Path, target: Path, old: Path | None, moved: list[str]) -> None:
    """Undo a failed swap: the old folder back in place, the kept entries back into it.
    Raises LushbeatError (not OSError) when that fails too, saying where the files are."""
    if old is not None and old.exists() and not target.exists():
        try:
            os.rename(old, target)
        except OSError as exc:
            raise LushbeatError(
                f"cannot write the site, nor put the old one back ({exc.strerror}): it is in "
                f"{old}, and the files lushbeat did not write are in {staging}",
                path=target,
            ) from None
    stuck = []
    for relative in reversed(moved):
        try:
            os.rename(staging / relative, target / relative)
        except OSError:
            stuck.append(relative)
    if stuck:
        raise LushbeatError(
            f"cannot write the site, nor move {len(stuck)} of its files back from {staging} "
            f"({', '.join(stuck[:3])}); move them back by hand",
            path=target,
        )


def _unused_name(target: Path, kind: str) -> Path:
    """``.NAME.XXXXXXXX.kind`` next to ``target``, not yet taken."""
    while True:
        candidate = target.with_name(f".{target.name}.{secrets.token_hex(4)}.{kind}")
        if not candidate.exists():
            return candidate
