"""Hugo shortcodes and Liquid/Nunjucks tags in a body, turned into Markdown or HTML before it is
rendered, as the site generator would have done. Imported by the Markdown renderer.

Rendered by name: Hugo's ``figure``, ``youtube``, ``vimeo``, ``tweet``/``x``, ``instagram``,
``gist``, ``highlight`` (with a language), ``ref``/``relref`` (links to the article they name);
Jekyll's ``highlight``, ``link``, ``post_url``, ``raw`` and ``comment``. Rendered by what their
parameters say, whatever their name: an image (a ``src`` or ``image`` ending in .jpg, .png, ...,
with ``alt`` and ``caption``), a link (``href``/``url``/``link`` with ``text``/``label``/
``title``, or one lone http(s) URL), a quotation (``text``); a quoted text in a Liquid output
shows as itself, its filters not applied (``{{ "/about/" | url }}`` is ``/about/``). A paired
shortcode (``{{< note >}}...{{< /note >}}``) keeps its content, and its ``title`` as a bold
line. Anything else is removed and counted by name.

Code (fenced blocks and code spans) is left as written, except for ``{% raw %}`` and
``{{</* */>}}``, which exist to show template syntax there.
"""

from __future__ import annotations

import html
import re
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from urllib.parse import urlsplit

from lushbeat_cli.exporters.sanitize import is_safe_url, youtube_embed

IMAGE_EXTENSIONS = (
    ".jpg", ".jpeg", ".png", ".gif", ".svg", ".webp", ".avif", ".bmp", ".tif", ".tiff"
)  # fmt: skip
REF_NAMES = frozenset({"ref", "relref"})
LIQUID_REF_NAMES = frozenset({"link", "post_url"})
# Liquid blocks whose tags go and whose content stays (the content is what a reader sees).
LIQUID_BLOCKS = frozenset({"if", "unless", "for", "case", "capture", "with", "block", "macro"})
URL_KEYS = ("href", "url", "link")
TEXT_KEYS = ("text", "label", "title")
# Liquid filters that only turn a site path into a URL: `{{ "/about/" | url }}` is "/about/".
URL_FILTERS = frozenset({"url", "relative_url", "absolute_url", "url_for", "baseurl"})
# `{{ site.baseurl }}` and the like: the site's root, which the export's relative links replace.
SITE_ROOT_VARIABLES = frozenset({"site.baseurl", "site.url", "site.github.url", "baseurl"})

_MAX_TAG = 4000  # characters in one tag; a longer "tag" is text
_NUL = "\x00"  # marks placeholders; a NUL in the text becomes U+FFFD first, as CommonMark says
_PLACEHOLDER = re.compile("\x00(\\d+)\x00")
# `{{</* name */>}}`: Hugo's way to show a shortcode as text.
_BOUND = f"{{0,{_MAX_TAG}}}"
_ESCAPED = re.compile(r"\{\{([<%])/\*((?:(?!\{\{|\*/[>%]\}\}).)" + _BOUND + r")\*/([>%])\}\}", re.S)
_RAW_OR_COMMENT = re.compile(r"\{%-?\s*(raw|endraw|comment|endcomment)\s*-?%\}")
_FENCE = re.compile(r"^ {0,3}(`{3,}|~{3,})")
_CODE_SPAN = re.compile(r"(?<!`)(`+)(?!`)((?:(?!\n[ \t]*\n).){1,4000}?)(?<!`)\1(?!`)", re.S)
# One template tag: a Hugo shortcode, a Liquid tag or a Liquid output. A tag never holds `{{`
# or `{%`, so each opener is scanned at most up to the next one: linear in the body.
_TAG = re.compile(
    r"\{\{(?P<hugo>[<%])(?P<hbody>(?:(?!\{\{|\{%|[>%]\}\}).)" + _BOUND + r"?)[>%]\}\}"
    r"|\{%(?P<lbody>(?:(?!\{\{|\{%|%\}).)" + _BOUND + r"?)%\}"
    r"|\{\{(?P<obody>(?:(?!\{\{|\{%|\}\}).)" + _BOUND + r"?)\}\}",
    re.S,
)
_NAME = re.compile(r"\s*(/?)\s*([A-Za-z_][\w./-]*)")
_PARAM = re.compile(
    r"""[\s,]*(?:(?P<key>[A-Za-z_][\w-]*)\s*(?:=|:(?=\s))\s*)?"""
    r"""(?:"(?P<dq>(?:[^"\\]|\\.)*)"|'(?P<sq>[^']*)'|`(?P<bq>[^`]*)`|(?P<bare>[^\s"'`,=]+))""",
    re.S,
)
# `"literal" | filter | filter` and `name.path | filter`, as Liquid writes its output tags.
_OUTPUT = re.compile(
    r"""\s*(?:"(?P<dq>[^"]*)"|'(?P<sq>[^']*)'|(?P<var>[A-Za-z_][\w.]*(?:\[[^\]]*\])?))"""
    r"""\s*(?P<filters>(?:\|\s*[\w-]+(?::[^|]*)?\s*)*)$""",
    re.S,
)
_URL_CONTEXT = re.compile(r"""(?:\]\(\s*<?|\]:\s*<?|=\s*["']?)$""")
_TWEET_USER = re.compile(r"\w{1,15}")
_DIGITS = re.compile(r"\d{1,30}")
_GIST_PART = re.compile(r"[\w.-]{1,100}")


@dataclass(frozen=True, slots=True)
class Params:
    positional: tuple[str, ...]
    named: dict[str, str]

    def get(self, *keys: str) -> str | None:
        for key in keys:
            value = self.named.get(key)
            if value is not None and value.strip():
                return value.strip()
        return None

    def first(self) -> str | None:
        return self.positional[0].strip() if self.positional else None


@dataclass(slots=True)
class Tag:
    """One template tag found in the text."""

    start: int
    end: int
    kind: str  # "hugo", "liquid" or "output"
    name: str
    closing: bool
    params: Params
    body: str
    partner: Tag | None = None  # the other end of a pair

    @property
    def label(self) -> str:
        if self.kind == "hugo":
            return f"{{{{< {self.name} >}}}}"
        if self.kind == "liquid":
            return f"{{% {self.name} %}}"
        return f"{{{{ {self.name} }}}}"


@dataclass(slots=True)
class Expanded:
    """The body ready for Markdown, the targets of its ref links (``ref_url(nonce, n)`` in the
    text stands for ``refs[n]``), and what was removed, by tag."""

    text: str
    refs: list[str] = field(default_factory=list)
    removed: Counter[str] = field(default_factory=Counter)


def ref_url(nonce: str, number: int) -> str:
    """The stand-in URL for the ``number``-th ref of a body (a fragment: any link accepts it)."""
    return f"#lushbeat-ref-{nonce}-{number}"


def ref_pattern(nonce: str) -> re.Pattern[str]:
    return re.compile(rf"#lushbeat-ref-{nonce}-(\d+)")


class Expander:
    """Expands the template tags of one body at a time. ``render_inline`` turns a caption or a
    title (Markdown, as Hugo's ``markdownify``) into inline HTML."""

    def __init__(self, render_inline: Callable[[str], str]) -> None:
        self.render_inline = render_inline

    def expand(self, text: str, nonce: str) -> Expanded:
        if "{{" not in text and "{%" not in text:
            return Expanded(text)
        run = _Run(self, nonce)
        return run.expand(text)


class _Run:
    """The state of one expansion: protected pieces of text, refs and counts."""

    def __init__(self, expander: Expander, nonce: str) -> None:
        self.render_inline = expander.render_inline
        self.nonce = nonce
        self.kept: list[str] = []  # text held back from expansion, restored at the end
        self.result = Expanded("")

    # -- protection

    def keep(self, text: str) -> str:
        self.kept.append(text)
        return f"{_NUL}{len(self.kept) - 1}{_NUL}"

    def restore(self, text: str) -> str:
        """The text with every placeholder (and those in what they hold) put back."""
        count = 1
        while count:
            text, count = _PLACEHOLDER.subn(lambda m: self.kept[int(m.group(1))], text)
        return text

    def expand(self, text: str) -> Expanded:
        text = text.replace(_NUL, "\ufffd")
        text = _ESCAPED.sub(lambda m: self.keep(f"{{{{{m[1]}{m[2]}{m[3]}}}}}"), text)
        text = self.protect_raw(text)
        text = self.protect_code(text)
        self.result.text = self.restore(self.expand_tags(text))
        return self.result

    def protect_raw(self, text: str) -> str:
        """``{% raw %}…{% endraw %}``: the content as written; ``{% comment %}…``: nothing."""
        if "raw" not in text and "comment" not in text:
            return text
        out: list[str] = []
        position = 0
        opened: re.Match[str] | None = None
        for match in _RAW_OR_COMMENT.finditer(text):
            word = match.group(1)
            if opened is None:
                if word in ("raw", "comment"):
                    opened = match
                continue
            if word != f"end{opened.group(1)}":
                continue
            out.append(text[position : opened.start()])
            if opened.group(1) == "raw":
                out.append(self.keep(text[opened.end() : match.start()]))
            position = match.end()
            opened = None
        out.append(text[position:])
        return "".join(out)

    def protect_code(self, text: str) -> str:
        """Fenced code blocks and code spans held back, as written."""
        if "`" not in text and "~~~" not in text:
            return text
        lines = text.split("\n")
        out: list[str] = []
        fence: str | None = None
        block: list[str] = []
        for line in lines:
            opener = _FENCE.match(line)
            if fence is None:
                if opener:
                    fence = opener.group(1)
                    block = [line]
                else:
                    out.append(line)
                continue
            block.append(line)
            closer = opener.group(1) if opener else ""
            closes = closer[:1] == fence[0] and len(closer) >= len(fence)
            if closes and not line.strip()[len(closer) :]:
                out.append(self.keep("\n".join(block)))
                fence = None
        if fence is not None:  # an unclosed fence runs to the end, as CommonMark says
            out.append(self.keep("\n".join(block)))
        return _CODE_SPAN.sub(lambda m: self.keep(m.group(0)), "\n".join(out))

    # -- tags

    def expand_tags(self, text: str) -> str:
        tags = [tag for match in _TAG.finditer(text) if (tag := _tag(match)) is not None]
        if not tags:
            return text
        _pair(tags)
        out: list[str] = []
        position = 0
        skip_to = -1
        for tag in tags:
            if tag.start < skip_to:
                continue
            replacement, end = self.replace(text, tag)
            start = tag.start
            if replacement.block is not None:
                start, end, replacement = _on_own_line(text, start, end, replacement)
            out.append(text[position:start])
            out.append(replacement.text)
            position = end
            skip_to = end
        out.append(text[position:])
        return "".join(out)

    def replace(self, text: str, tag: Tag) -> tuple[_Replacement, int]:
        """What a tag becomes, and where the text it replaces ends (past its closing tag when
        it takes the content, as ``highlight`` does)."""
        if tag.kind == "output":
            return self.output(tag), tag.end
        if tag.closing:
            if tag.partner is None:
                self.count(tag)
            return _Replacement("", block=""), tag.end
        name = tag.name.lower()
        if name == "highlight" and tag.partner is not None:
            # Hugo's needs a language (digital.gov's own takes none: a marker, kept as text);
            # Jekyll's always shows code.
            language = tag.params.first()
            if language or tag.kind == "liquid":
                inner = text[tag.end : tag.partner.start]
                return self.code_block(inner, language or ""), tag.partner.end
        if tag.kind == "hugo":
            rendered = self.hugo(text, tag, name)
        else:
            rendered = self.liquid(text, tag, name)
        if rendered is not None:
            return rendered, tag.end
        if tag.partner is not None:
            self.count(tag)
            title = tag.params.get("title")
            if title:
                strong = f"<strong>{self.render_inline(title)}</strong>"
                return _Replacement(strong + " ", block=f"<p>{strong}</p>"), tag.end
            return _Replacement("", block=""), tag.end
        self.count(tag)
        return _Replacement("", block=""), tag.end

    def count(self, tag: Tag) -> None:
        self.result.removed[tag.label] += 1

    def hugo(self, text: str, tag: Tag, name: str) -> _Replacement | None:
        params = tag.params
        if name in REF_NAMES:
            target = params.get("path") or params.first()
            return self.ref(text, tag, target) if target else None
        if name == "figure":
            return self.image(params, any_source=True)
        if name == "youtube":
            video = params.get("id") or params.first() or ""
            source = youtube_embed(video)
            if source is None:
                return None
            title = params.get("title") or ""
            return self.iframe(source, title)
        if name == "vimeo":
            video = params.get("id") or params.first() or ""
            if not _DIGITS.fullmatch(video):
                return None
            return self.iframe(f"https://player.vimeo.com/video/{video}", params.get("title") or "")
        if name in ("tweet", "x"):
            post = params.get("id") or (params.positional[-1] if params.positional else "")
            user = params.get("user") or (params.first() if len(params.positional) > 1 else "i")
            if not _DIGITS.fullmatch(post or "") or not _TWEET_USER.fullmatch(user or ""):
                return None
            return _autolink(f"https://twitter.com/{user}/status/{post}")
        if name == "instagram":
            post = params.get("id") or params.first() or ""
            if not re.fullmatch(r"[\w-]{1,40}", post):
                return None
            return _autolink(f"https://www.instagram.com/p/{post}/")
        if name == "gist":
            parts = list(params.positional[:2])
            if len(parts) != 2 or not all(_GIST_PART.fullmatch(p) for p in parts):
                return None
            return _autolink(f"https://gist.github.com/{parts[0]}/{parts[1]}")
        return self.by_shape(text, tag)

    def liquid(self, text: str, tag: Tag, name: str) -> _Replacement | None:
        if name in LIQUID_REF_NAMES:
            target = tag.params.first()
            return self.ref(text, tag, target) if target else None
        if name in LIQUID_BLOCKS:
            return None  # the tags go, the content stays (counted once, as a paired shortcode)
        return self.by_shape(text, tag)

    def by_shape(self, text: str, tag: Tag) -> _Replacement | None:
        """A tag rendered by what its parameters hold, whatever its name."""
        params = tag.params
        image = self.image(params)
        if image is not None:
            return image
        url = params.get(*URL_KEYS)
        source = params.get("src")
        if url is None and source is not None and not _is_image(source):
            url = source
        label = params.get(*TEXT_KEYS)
        if url and label:
            if not is_safe_url(url):
                return _Replacement(_escape_markdown(label))
            return _Replacement(f"[{_escape_markdown(label)}](<{_link_safe(url)}>)")
        if tag.partner is None and not params.named and len(params.positional) == 1:
            only = params.positional[0].strip()
            if _URL_CONTEXT.search(text[max(0, tag.start - 8) : tag.start]):
                return self.ref(text, tag, only)  # `[text]({{< link "/path" >}})`
            if urlsplit(only).scheme in ("http", "https"):
                return _autolink(only)
        quote = params.get("text", "quote")
        if quote and tag.partner is None:
            cite = params.get("cite", "author", "source")
            body = f"<p>{self.render_inline(quote)}</p>"
            if cite:
                body += f"<p><cite>{self.render_inline(cite)}</cite></p>"
            block = f"<blockquote>{body}</blockquote>"
            return _Replacement(block, block=block)
        return None

    def image(self, params: Params, *, any_source: bool = False) -> _Replacement | None:
        """A figure, when a parameter is an image (``any_source``: ``src`` is one, whatever its
        name ends with, as in Hugo's ``figure``)."""
        candidates = [params.get("src", "image", "file"), *params.positional]
        source = next((c.strip() for c in candidates if c and _is_image(c.strip())), None)
        if source is None and any_source:
            source = params.get("src")
        if source is None:
            return None
        alt = params.get("alt")
        if alt is None:  # `{% image "src" "alt" %}`, `{% image_with_class "src" "cls" "alt" %}`
            after = list(params.positional)
            if source in after and after.index(source) < len(after) - 1:
                alt = after[-1]
        caption = params.get("caption")
        title = params.get("title")
        image = f'<img src="{_attribute(source)}" alt="{_attribute(alt or "")}"'
        if title:
            image += f' title="{_attribute(title)}"'
        image += ">"
        link = params.get("link")
        if link:
            image = f'<a href="{_attribute(link)}">{image}</a>'
        figure = f"<figure>{image}"
        if caption:
            figure += f"<figcaption>{self.render_inline(caption)}</figcaption>"
        figure += "</figure>"
        return _Replacement(figure, block=figure)

    def iframe(self, source: str, title: str) -> _Replacement:
        frame = (
            f'<iframe src="{_attribute(source)}" title="{_attribute(title)}" width="560" '
            'height="315" allowfullscreen></iframe>'
        )
        return _Replacement(frame, block=f'<div class="embed">{frame}</div>')

    def ref(self, text: str, tag: Tag, target: str) -> _Replacement:
        url = ref_url(self.nonce, len(self.result.refs))
        self.result.refs.append(target.strip())
        if _URL_CONTEXT.search(text[max(0, tag.start - 8) : tag.start]):
            return _Replacement(url)
        return _Replacement(f"[{_escape_markdown(target.strip())}]({url})")

    def code_block(self, inner: str, language: str) -> _Replacement:
        """A fenced block (longer fences than any backtick run inside); a code element when
        it stays inside a line."""
        code = self.restore(inner).strip("\n")
        longest = max((len(run) for run in re.findall(r"`+", code)), default=0)
        fence = "`" * max(3, longest + 1)
        language = re.sub(r"[^\w+#.-]", "", language)
        block = self.keep(f"{fence}{language}\n{code}\n{fence}")
        inline = self.keep(f"<code>{html.escape(code, quote=False)}</code>")
        return _Replacement(inline, block=block)

    def output(self, tag: Tag) -> _Replacement:
        """``{{ "x" | url }}`` is ``x``; ``{{ site.baseurl }}`` is the root (nothing); a text
        through other filters (``{{ "noah" | team_link }}``) shows as itself, unfiltered."""
        match = _OUTPUT.match(tag.body)
        if match is not None:
            literal = match.group("dq") if match.group("dq") is not None else match.group("sq")
            filters = [f.split(":")[0].strip() for f in match.group("filters").split("|")[1:]]
            if literal is not None:
                if all(f in URL_FILTERS for f in filters):
                    return _Replacement(literal)
                return _Replacement(_escape_markdown(literal))
            variable = match.group("var")
            if variable in SITE_ROOT_VARIABLES and not filters:
                return _Replacement("")
        self.count(tag)
        return _Replacement("")


@dataclass(frozen=True, slots=True)
class _Replacement:
    """``text`` where the tag was; ``block``: what to put instead when the tag is alone on its
    line (None: the tag never takes a line of its own, as a URL in a link does)."""

    text: str
    block: str | None = None


def _on_own_line(
    text: str, start: int, end: int, replacement: _Replacement
) -> tuple[int, int, _Replacement]:
    """A tag alone on its line gives the whole line to its block, set apart by blank lines so
    the block and the Markdown around it stay separate, as the generator's output would be."""
    line_start = text.rfind("\n", 0, start) + 1
    line_end = text.find("\n", end)
    line_end = len(text) if line_end == -1 else line_end
    before, after = text[line_start:start], text[end:line_end]
    if before.strip() or after.strip():
        return start, end, replacement
    block = replacement.block or ""
    if not block:
        return line_start, line_end, _Replacement("")
    indented = "\n".join(before + line if line else line for line in block.split("\n"))
    return line_start, line_end, _Replacement(f"\n{indented}\n")


def _tag(match: re.Match[str]) -> Tag | None:
    if match.group("hugo") is not None:
        kind, body = "hugo", match.group("hbody")
    elif match.group("lbody") is not None:
        kind, body = "liquid", match.group("lbody").strip("-")
    else:
        body = match.group("obody").strip("-")
        if not _OUTPUT.match(body):
            return None  # `{{ .Title }}`, `{{ 1 + 1 }}`: Go templates or text, not Liquid
        name = re.split(r"[\s|]", body.strip(), maxsplit=1)[0]
        return Tag(match.start(), match.end(), "output", name, False, Params((), {}), body)
    name_match = _NAME.match(body)
    if name_match is None:
        return None
    closing, name = bool(name_match.group(1)), name_match.group(2)
    rest = body[name_match.end() :]
    if kind == "hugo":
        rest = rest.rstrip().removesuffix("/")  # `{{< name />}}`: self-closing
    elif name.startswith("end"):
        closing, name = True, name[3:]
    return Tag(match.start(), match.end(), kind, name, closing, _params(rest), body)


def _params(text: str) -> Params:
    positional: list[str] = []
    named: dict[str, str] = {}
    for match in _PARAM.finditer(text):
        value = next(
            (match.group(g) for g in ("dq", "sq", "bq", "bare") if match.group(g) is not None), ""
        )
        if match.group("dq") is not None:
            value = re.sub(r"\\(.)", r"\1", value)
        key = match.group("key")
        if key is None:
            positional.append(value)
        else:
            named.setdefault(key.lower(), value)
    return Params(tuple(positional), named)


def _pair(tags: list[Tag]) -> None:
    """Each closing tag ends the latest open tag of its name (and kind)."""
    open_tags: dict[tuple[str, str], list[Tag]] = {}
    for tag in tags:
        if tag.kind == "output":
            continue
        key = (tag.kind, tag.name.lower())
        if tag.closing:
            stack = open_tags.get(key)
            if stack:
                opener = stack.pop()
                opener.partner, tag.partner = tag, opener
        else:
            open_tags.setdefault(key, []).append(tag)


def _is_image(value: str) -> bool:
    path = urlsplit(value.strip()).path.lower()
    return path.endswith(IMAGE_EXTENSIONS)


def _autolink(url: str) -> _Replacement:
    return _Replacement(f"<{_link_safe(url)}>")


def _link_safe(url: str) -> str:
    """A URL that stays one Markdown link destination: no blanks or angle brackets."""
    return re.sub(r"[\s<>]", lambda m: f"%{ord(m.group()):02X}", url.strip())


def _attribute(value: str) -> str:
    return html.escape(value, quote=True)


def _escape_markdown(text: str) -> str:
    return re.sub(r"([\\\[\]`*_<>])", r"\\\1", text)
