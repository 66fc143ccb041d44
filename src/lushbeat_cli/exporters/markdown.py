"""Markdown to safe HTML with markdown-it-py (its one home), for the site, the feeds and --html.

Raw HTML in a body is escaped, never passed through (``html=False``): it shows as text, so no
``<script>`` or ``on*=`` handler can reach a page. Only http(s), mailto and tel links survive.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator, Sequence
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from markdown_it.token import Token

SAFE_SCHEMES = frozenset({"http", "https", "mailto", "tel"})
# Browsers ignore ASCII whitespace and control characters inside a scheme ("java\tscript:").
_IGNORED_IN_SCHEME = re.compile(r"[\x00-\x20\x7f]+")
_SCHEME = re.compile(r"^([a-z][a-z0-9+.\-]*):")

# (url, attribute "href" or "src") -> the URL to use, or None to drop the link.
LinkRewriter = Callable[[str, str], str | None]
UNRESOLVED_CLASS = "unresolved-link"


def is_safe_url(url: str) -> bool:
    """True for relative URLs and http(s)/mailto/tel; False for javascript:, data:, vbscript:…"""
    cleaned = _IGNORED_IN_SCHEME.sub("", url).lower()
    match = _SCHEME.match(cleaned)
    return match is None or match.group(1) in SAFE_SCHEMES


class MarkdownRenderer:
    """CommonMark plus tables and strikethrough; raw HTML escaped; links checked twice."""

    def __init__(self) -> None:
        from markdown_it import MarkdownIt

        md = MarkdownIt(
            "commonmark", {"html": False, "linkify": False, "typographer": False, "xhtmlOut": False}
        )
        md.enable(["table", "strikethrough"])
        md.validateLink = is_safe_url  # type: ignore[method-assign]
        self._md = md

    def render(self, text: str, rewrite: LinkRewriter | None = None) -> str:
        """HTML for ``text``; ``rewrite`` may change or drop each link and image URL."""
        env: dict[str, object] = {}
        tokens = self._md.parse(text, env)
        for children in _inline_runs(tokens):
            for index, token in enumerate(children):
                if token.type == "link_open":
                    _fix_link(children, index, rewrite)
                elif token.type == "image":
                    _fix_image(token, rewrite)
        return self._md.renderer.render(tokens, self._md.options, env)


def _inline_runs(tokens: Sequence[Token]) -> Iterator[list[Token]]:
    """The children of every inline token (where links and images live), images' alt included."""
    for token in tokens:
        if token.children:
            yield token.children
            yield from _inline_runs(token.children)


def _checked(url: str, attribute: str, rewrite: LinkRewriter | None) -> str | None:
    # markdown-it's validateLink already refused unsafe links; this is the second check,
    # applied to whatever the rewriter returns too.
    if not is_safe_url(url):
        return None
    if rewrite is not None:
        new = rewrite(url, attribute)
        return new if new is not None and is_safe_url(new) else None
    return url


def _fix_link(run: list[Token], index: int, rewrite: LinkRewriter | None) -> None:
    token = run[index]
    url = _checked(str(token.attrGet("href") or ""), "href", rewrite)
    if url is not None:
        token.attrSet("href", url)
        return
    # Keep the words, drop the link: the <a> and its closing tag become a <span>.
    token.tag = "span"
    token.attrs = {"class": UNRESOLVED_CLASS}
    depth = 0
    for later in run[index:]:
        depth += later.nesting if later.type in ("link_open", "link_close") else 0
        if later.type == "link_close" and depth == 0:
            later.tag = "span"
            return


def _fix_image(token: Token, rewrite: LinkRewriter | None) -> None:
    url = _checked(str(token.attrGet("src") or ""), "src", rewrite)
    if url is None:
        token.attrs.pop("src", None)
    else:
        token.attrSet("src", url)
    token.attrSet("loading", "lazy")
