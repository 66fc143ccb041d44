"""Markdown links between articles: find them in a body, and resolve them to files or articles.

Handles inline links (``[T](../07/x.md)``, as in "Baca juga : [T](../07/x.md)" lines), reference
definitions, and ``/slug`` links; skips code, HTML comments, images and external URLs.
The one home of that logic: used by validate (dead links), export (links to pages) and publish.
"""

from __future__ import annotations

import os
import re
from bisect import bisect_right
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import Literal
from urllib.parse import unquote

from lushbeat_cli.core.article import Article

ARTICLE_EXTENSIONS = (".md", ".markdown")
LINK_KEYS = ("aliases", "url")  # front-matter keys that give an article extra URL paths

_FENCE = re.compile(r"^ {0,3}(`{3,}|~{3,})")
_HTML_COMMENT = re.compile(r"<!--.*?(?:-->|\Z)", re.S)
# A code span ends at the same run of backticks, within its paragraph; the bound keeps a file of
# unmatched backtick runs from costing (runs x file size).
_CODE_SPAN = re.compile(r"(?<!`)(`+)(?!`)((?:(?!\n[ \t]*\n).){1,4000}?)(?<!`)\1(?!`)", re.S)
# Brackets and escapes: a link's text is found by matching brackets in one pass (a regex tried
# from every `[` costs the body's length squared when the brackets never close).
_BRACKET = re.compile(r"\\.|[\[\]]", re.S)
# `(destination` after a link's `]`: `<...>` (no `<` inside, as CommonMark says), or a run up
# to a blank or an unbalanced `)`.
_DESTINATION = re.compile(
    r"\([ \t]*(<[^<>\n]*>|(?:[^\s()\\]|\\.|\((?:[^\s()\\]|\\.)*\))+)(?=[\s)])"
)
# A link label holds no unescaped bracket and at most 999 characters (CommonMark), so a line
# costs at most what it holds before its next bracket.
_REFERENCE = re.compile(r"^ {0,3}\[((?:[^\[\]\\]|\\.){1,999})\]:[ \t]*(<[^<>\n]*>|\S+)", re.M)
_SCHEME = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*:")
_SLUG_SEGMENT = re.compile(r"[A-Za-z0-9][A-Za-z0-9_~-]*")


@dataclass(frozen=True, slots=True)
class Link:
    """A link destination as written, and where it is (1-based line and column in the file)."""

    target: str
    line: int
    col: int


@dataclass(frozen=True, slots=True)
class LocalTarget:
    """A link that names a local article: a ``.md`` path, or a root-relative ``/slug``."""

    kind: Literal["path", "slug"]
    value: str  # the decoded path (``../07/x.md``, ``/2024/x.md``) or the slug
    fragment: str = ""


def find_links(markdown: str, first_line: int = 1) -> list[Link]:
    """Link destinations in Markdown text that starts on line ``first_line`` of its file.

    Inline links and reference definitions count; images, code spans, fenced code blocks and
    HTML comments do not.
    """
    text = _blank_code(markdown)
    found: list[tuple[int, str]] = []
    for match in _REFERENCE.finditer(text):
        found.append(_unbracket(match.start(2), match.group(2)))
    found.extend(_inline_targets(text))
    if not found:
        return []
    found.sort()
    starts = [0, *(match.end() for match in re.finditer("\n", text))]
    links = []
    for offset, target in found:
        if target:
            index = bisect_right(starts, offset) - 1
            links.append(Link(target, first_line + index, offset - starts[index] + 1))
    return links


def _inline_targets(text: str) -> Iterator[tuple[int, str]]:
    """``(offset, destination)`` of each inline link ``[text](destination)``, images left out.

    A ``]`` closes the latest open ``[``; followed by a destination, they make a link, and
    the brackets still open before it can no longer start one (no links inside links). Escaped
    brackets are text. Linear: each bracket is looked at once.
    """
    openers: list[int] = []
    position = 0
    while (match := _BRACKET.search(text, position)) is not None:
        position = match.end()
        char = match.group()
        if char == "[":
            openers.append(match.start())
        elif char == "]" and openers:
            opener = openers.pop()
            destination = _DESTINATION.match(text, position)
            if destination is None:
                continue
            openers.clear()
            position = destination.end()
            if not (opener and text[opener - 1] == "!"):  # an image
                yield _unbracket(destination.start(1), destination.group(1))


def _unbracket(offset: int, target: str) -> tuple[int, str]:
    if target.startswith("<"):
        return offset + 1, target[1:-1]
    return offset, target


def _blank_code(markdown: str) -> str:
    """The text with code and comments replaced by spaces (offsets and lines kept)."""
    if "`" not in markdown and "~~~" not in markdown and "<!--" not in markdown:
        return markdown

    def blank(match: re.Match[str]) -> str:
        return re.sub(r"[^\n]", " ", match.group(0))

    lines = markdown.split("\n")
    fence: str | None = None
    for index, line in enumerate(lines):
        opener = _FENCE.match(line)
        if fence is None:
            if opener:
                fence = opener.group(1)
                lines[index] = " " * len(line)
            continue
        lines[index] = " " * len(line)
        closer = opener.group(1) if opener else ""
        if closer[:1] == fence[0] and len(closer) >= len(fence) and not line.strip()[len(closer) :]:
            fence = None
    text = "\n".join(lines)
    text = _HTML_COMMENT.sub(blank, text)
    return _CODE_SPAN.sub(blank, text)


def local_target(url: str) -> LocalTarget | None:
    """What a link destination points at, if it may be a local article; else None.

    ``../07/x.md``, ``x.markdown#part`` and ``/2024/07/x.md`` (or ``~/2024/07/x.md``) are
    paths, the last two from the content root; ``/slug`` and
    ``/slug/`` are slugs; external URLs, anchors, templates and other files are None.
    """
    url = url.strip()
    if not url or url.startswith(("#", "//", "{{", "{%")) or _SCHEME.match(url):
        return None
    path, _, fragment = url.partition("#")
    path = path.partition("?")[0]
    path = unquote(path.replace("\\", "/"))
    if not path:
        return None
    if path.startswith("~/"):  # DocFX and others: the root of the content
        path = path[1:]
    if path.lower().endswith(ARTICLE_EXTENSIONS):
        return LocalTarget("path", path, fragment)
    if path.startswith("/"):
        segment = path.strip("/")
        if _SLUG_SEGMENT.fullmatch(segment) and path.count("/") <= 2:
            return LocalTarget("slug", segment, fragment)
    return None


class LinkResolver:
    """Resolves local link targets against a collection of articles under ``content_root``.

    ``resolve`` returns the article a link names, ``exists`` whether it names anything at all
    (an article, another existing file, a section folder or an alias).
    """

    def __init__(self, articles: Iterable[Article], content_root: Path) -> None:
        self.articles = list(articles)
        self.content_root = content_root
        self._root = normal_path(content_root)
        self._folders: dict[Path, str] = {}

    @cached_property
    def by_path(self) -> dict[str, Article]:
        """Normalised absolute path (see ``normal_path``) -> article."""
        return {normal_path(article.path): article for article in self.articles}

    @cached_property
    def by_folded_path(self) -> dict[str, Article]:
        """The same, case-folded: a link written in another letter case."""
        paths: dict[str, Article] = {}
        for path, article in self.by_path.items():
            paths.setdefault(path.casefold(), article)
        return paths

    @cached_property
    def by_slug(self) -> dict[str, Article]:
        slugs: dict[str, Article] = {}
        for article in self.articles:
            slugs.setdefault(article.slug, article)
        return slugs

    @cached_property
    def url_paths(self) -> dict[str, Article]:
        """``/old/path`` -> article, from ``aliases`` and ``url`` front-matter keys."""
        paths: dict[str, Article] = {}
        for article in self.articles:
            for key in LINK_KEYS:
                raw = article.metadata.get(key)
                values = raw if isinstance(raw, list) else [raw]
                for value in values:
                    if isinstance(value, str) and value.strip():
                        paths.setdefault(_url_key(value), article)
        return paths

    def path_of(self, target: LocalTarget, source: Path) -> str | None:
        """The normalised file path a path target points at (relative to ``source``, or to the
        content root when it starts with ``/``); None for slug targets."""
        if target.kind != "path":
            return None
        if target.value.startswith("/"):
            return os.path.normpath(os.path.join(self._root, target.value.lstrip("/")))
        folder = self._folders.get(source)
        if folder is None:
            folder = self._folders[source] = os.path.dirname(normal_path(source))
        return os.path.normpath(os.path.join(folder, target.value))

    def resolve(
        self, target: LocalTarget, source: Path, *, ignore_case: bool = False
    ) -> Article | None:
        """The article a local target names, or None.

        ``ignore_case``: a path written in another letter case still finds its file, as on a
        case-blind server (export rewrites such links; validate reports them).
        """
        if target.kind == "path":
            path = self.path_of(target, source)
            if path is None:
                return None
            found = self.by_path.get(path)
            if found is None and ignore_case:
                found = self.by_folded_path.get(path.casefold())
            return found
        return self.by_slug.get(target.value) or self.url_paths.get(_url_key(target.value))

    def exists(self, target: LocalTarget, source: Path) -> bool:
        """Whether the target names anything: an article, a file, a section or an alias."""
        if self.resolve(target, source) is not None:
            return True
        if target.kind == "path":
            path = self.path_of(target, source)
            return path is not None and os.path.isfile(path)
        folder = os.path.join(self._root, target.value)
        if os.path.isdir(folder) or any(os.path.isfile(folder + ext) for ext in ARTICLE_EXTENSIONS):
            return True
        return os.path.exists(os.path.join(os.path.dirname(self._root), "static", target.value))


def links_to(
    path: Path, articles: Iterable[Article], content_root: Path | None = None
) -> list[Article]:
    """The articles whose body links to the file ``path`` with a Markdown file link: relative
    (``../07/x.md``), or from the content root (``/2024/07/x.md``) when ``content_root`` is given.

    Links in code, comments and images do not count; ``/slug`` links do not name a file.
    """
    wanted = normal_path(path)
    found: list[Article] = []
    resolver = LinkResolver((), content_root or path.parent)  # no root: rooted links skipped
    for article in articles:
        if normal_path(article.path) == wanted:
            continue
        for link in find_links(article.body):
            target = local_target(link.target)
            if target is None or target.kind != "path":
                continue
            if content_root is None and target.value.startswith("/"):
                continue
            if resolver.path_of(target, article.path) == wanted:
                found.append(article)
                break
    return found


def markdown_link(text: str, target: Path, folder: Path) -> str:
    """``[text](relative/path.md)``, relative to ``folder`` (where the linking article is), as
    a "Baca juga" line has it: brackets in the text escaped, a path with blanks, parentheses or
    angle brackets written as ``<...>``."""
    relative = Path(os.path.relpath(target, folder)).as_posix()
    if re.search(r"[\s()<>]", relative):
        relative = f"<{relative}>"
    return "[" + re.sub(r"([\[\]\\])", r"\\\1", text) + f"]({relative})"


def relative_link(source: Path, target: Path) -> str:
    """A relative link from the article at ``source`` to the file ``target`` (POSIX form)."""
    return Path(os.path.relpath(target, source.parent)).as_posix()


def normal_path(path: Path | str) -> str:
    """An absolute, normalised path string (no ``..``), for comparing paths without the disk."""
    return os.path.normpath(os.path.abspath(path))


def _url_key(value: str) -> str:
    return "/" + unquote(value.strip()).strip("/").lower()
