"""Markdown to safe HTML with markdown-it-py (its one home), for the site, the feeds and --html.

Shortcodes and Liquid tags are expanded first (``shortcodes``). Raw HTML in a body is kept,
then the whole rendered body is cleaned with an allow-list (``sanitize``): footnotes, tables,
figures and trusted embeds survive; no ``<script>``, ``on*=`` handler or ``javascript:`` URL
can reach a page. Only relative, http(s), mailto and tel links survive. Links in raw HTML are
rewritten like Markdown links.
"""

from __future__ import annotations

import html
import re
import secrets
from collections import Counter
from collections.abc import Callable, Iterator, Sequence
from typing import TYPE_CHECKING

from lushbeat_cli.exporters.sanitize import Sanitizer, is_safe_url  # is_safe_url: re-exported
from lushbeat_cli.exporters.shortcodes import Expander, ref_pattern

if TYPE_CHECKING:
    from markdown_it.token import Token

# (url, kind) -> the URL to use, or None to drop the link. kind: "href" or "src" for a URL as
# written; "ref" for the target of a ref shortcode (``{{< ref "x.md" >}}``), which names a page.
LinkRewriter = Callable[[str, str], str | None]
UNRESOLVED_CLASS = "unresolved-link"
# A start tag in raw HTML, and the URL attributes in it.
_START_TAG = re.compile(r"<[A-Za-z][A-Za-z0-9-]*(?:\s[^<>]*)?>")
_URL_ATTRIBUTE = re.compile(
    r"""(\s)(href|src|poster|cite)(\s*=\s*)("[^"]*"|'[^']*'|[^\s"'=<>`]+)""", re.I
)


class MarkdownRenderer:
    """CommonMark plus tables and strikethrough; shortcodes expanded; raw HTML sanitised;
    links checked twice. Counts what it could not render, for the export's notes."""

    def __init__(self) -> None:
        from markdown_it import MarkdownIt

        md = MarkdownIt(
            "commonmark", {"html": True, "linkify": False, "typographer": False, "xhtmlOut": False}
        )
        md.enable(["table", "strikethrough"])
        md.validateLink = is_safe_url  # type: ignore[method-assign]
        self._md = md
        self._expander = Expander(md.renderInline)
        self._sanitizer = Sanitizer(is_safe_url)
        self.removed: Counter[str] = Counter()  # shortcodes and tags removed, by name

    def render(self, text: str, rewrite: LinkRewriter | None = None) -> str:
        """HTML for ``text``; ``rewrite`` may change or drop each link and image URL."""
        nonce = secrets.token_hex(4)
        expanded = self._expander.expand(text, nonce)
        self.removed.update(expanded.removed)
        links = _Links(rewrite, expanded.refs, nonce)
        env: dict[str, object] = {}
        tokens = self._md.parse(expanded.text, env)
        for token in tokens:
            if token.type == "html_block":
                token.content = links.fix_html(token.content)
        for children in _inline_runs(tokens):
            for index, token in enumerate(children):
                if token.type == "link_open":
                    _fix_link(children, index, links)
                elif token.type == "image":
                    _fix_image(token, links)
                elif token.type == "html_inline":
                    token.content = links.fix_html(token.content)
        rendered = self._md.renderer.render(tokens, self._md.options, env)
        if expanded.refs:  # a ref where no link could hold it: its target, as text
            rendered = links.pattern.sub(lambda m: html.escape(links.target(m)), rendered)
        return self._sanitizer.clean(rendered)

    def notes(self) -> list[str]:
        """One line each about what the bodies lost: unrendered tags, untrusted embeds."""
        notes = []
        total = sum(self.removed.values())
        if total:
            shown = ", ".join(f"{name} ×{count}" for name, count in self.removed.most_common(5))
            more = ", …" if len(self.removed) > 5 else ""
            plural = "s" if total != 1 else ""
            notes.append(
                f"{total} shortcode{plural}/template tag{plural} lushbeat does not render "
                f"removed (text inside paired ones kept): {shown}{more}"
            )
        embeds = self._sanitizer.stats.untrusted_embeds
        if embeds:
            notes.append(
                f"{embeds} embedded frame{'s' if embeds != 1 else ''} from sites not on the "
                "trusted list shown as links"
            )
        return notes


class _Links:
    """The URL checks of one body: ref stand-ins resolved, every URL made safe or dropped."""

    def __init__(self, rewrite: LinkRewriter | None, refs: list[str], nonce: str) -> None:
        self.rewrite = rewrite
        self.refs = refs
        self.pattern = ref_pattern(nonce)

    def target(self, match: re.Match[str]) -> str:
        return self.refs[int(match.group(1))]

    def check(self, url: str, attribute: str) -> str | None:
        """The URL to use, or None to drop it. markdown-it's validateLink already refused
        unsafe Markdown links; this is the second check, applied to whatever the rewriter
        returns and to raw HTML."""
        ref = self.pattern.fullmatch(url) if self.refs else None
        if ref is not None:
            url, attribute = self.target(ref), "ref"
            if self.rewrite is None:
                return url if is_safe_url(url) else None
        elif not is_safe_url(url):
            return None
        if self.rewrite is not None:
            new = self.rewrite(url, attribute)
            return new if new is not None and is_safe_url(new) else None
        return url

    def fix_html(self, fragment: str) -> str:
        """Raw HTML with the URL of each ``href``/``src`` rewritten, or the attribute dropped."""
        if "=" not in fragment:
            return fragment

        def attribute(match: re.Match[str]) -> str:
            space, name, _, quoted = match.groups()
            value = html.unescape(quoted[1:-1] if quoted[:1] in "\"'" else quoted)
            kind = "src" if name.lower() in ("src", "poster") else "href"
            url = self.check(value, kind)
            if url is None:
                return ""
            return f'{space}{name}="{html.escape(url, quote=True)}"'

        return _START_TAG.sub(lambda tag: _URL_ATTRIBUTE.sub(attribute, tag.group()), fragment)


def _inline_runs(tokens: Sequence[Token]) -> Iterator[list[Token]]:
    """The children of every inline token (where links and images live), images' alt included."""
    for token in tokens:
        if token.children:
            yield token.children
            yield from _inline_runs(token.children)


def _fix_link(run: list[Token], index: int, links: _Links) -> None:
    token = run[index]
    url = links.check(str(token.attrGet("href") or ""), "href")
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


def _fix_image(token: Token, links: _Links) -> None:
    url = links.check(str(token.attrGet("src") or ""), "src")
    if url is None:
        token.attrs.pop("src", None)
    else:
        token.attrSet("src", url)
    token.attrSet("loading", "lazy")
