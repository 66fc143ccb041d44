"""Rendered article HTML cleaned with an allow-list (nh3, its one home), for the site and feeds.

What survives: text markup, footnotes (``id``/``name`` anchors, ``sup``), tables, figures,
audio/video and ``<iframe>`` embeds from the trusted providers below. What never does:
scripts and styles (with their content), event handlers, forms, ``style`` beyond
``text-align``, and any URL but http(s), mailto, tel and relative ones. An iframe from another
site becomes a plain link to it. Imported by the Markdown renderer.
"""

from __future__ import annotations

import html
import re
from collections.abc import Callable
from dataclasses import dataclass
from urllib.parse import parse_qs, urlsplit

import nh3

# (url, attribute) -> the value to keep, or None to drop the attribute.
UrlFilter = Callable[[str, str], str | None]

URL_ATTRIBUTES = frozenset({"href", "src", "cite", "poster"})
SAFE_SCHEMES = frozenset({"http", "https", "mailto", "tel"})
# Browsers ignore ASCII whitespace and control characters inside a scheme ("java\tscript:").
_IGNORED_IN_SCHEME = re.compile(r"[\x00-\x20\x7f]+")
_SCHEME = re.compile(r"^([a-z][a-z0-9+.\-]*):")

TAGS = (nh3.ALLOWED_TAGS - {"map", "area"}) | {
    "audio",
    "video",
    "source",
    "track",
    "picture",
    "tfoot",
    "iframe",
}
# Removed together with everything inside them.
CLEAN_CONTENT_TAGS = frozenset({"script", "style", "template", "noscript", "textarea", "select"})
_TABLE_CELL = {"colspan", "rowspan", "headers", "scope", "align", "style"}
ATTRIBUTES: dict[str, set[str]] = {
    "*": {"id", "class", "title", "lang", "dir"},
    "a": {"href", "hreflang", "name"},
    "img": {"src", "alt", "width", "height"},
    "iframe": {"src", "width", "height", "allowfullscreen"},
    "audio": {"src", "controls", "preload", "loop", "muted"},
    "video": {"src", "controls", "preload", "loop", "muted", "poster", "width", "height"},
    "source": {"src", "type", "media"},
    "track": {"src", "kind", "srclang", "label", "default"},
    "td": _TABLE_CELL,
    "th": _TABLE_CELL,
    "ol": {"start", "reversed", "type"},
    "li": {"value"},
    "blockquote": {"cite"},
    "q": {"cite"},
    "del": {"cite", "datetime"},
    "ins": {"cite", "datetime"},
    "time": {"datetime"},
    "col": {"span"},
    "colgroup": {"span"},
}
# Set on every kept iframe (any value the author wrote is dropped): the embed cannot navigate
# the page or open a form, and loads only when scrolled into view.
IFRAME_ATTRIBUTES = {
    "sandbox": "allow-scripts allow-same-origin allow-popups allow-presentation",
    "loading": "lazy",
    "referrerpolicy": "strict-origin-when-cross-origin",
}
IMG_ATTRIBUTES = {"loading": "lazy"}

# Embeds shown as embeds: (host, path prefix). Anything else in an iframe becomes a link.
TRUSTED_EMBEDS: tuple[tuple[str, str], ...] = (
    ("www.youtube-nocookie.com", "/embed/"),
    ("www.youtube.com", "/embed/"),
    ("youtube.com", "/embed/"),
    ("player.vimeo.com", "/video/"),
    ("www.google.com", "/maps/embed"),
    ("www.slideshare.net", "/slideshow/embed_code/"),
    ("speakerdeck.com", "/player/"),
    ("w.soundcloud.com", "/player/"),
    ("open.spotify.com", "/embed/"),
    ("datawrapper.dwcdn.net", "/"),
    ("flo.uri.sh", "/visualisation/"),
)
_YOUTUBE_ID = re.compile(r"[A-Za-z0-9_-]{6,20}")
_TEXT_ALIGN = re.compile(r"(?:^|;)\s*text-align\s*:\s*(left|right|center|justify)\s*(?:;|$)", re.I)
# nh3's output is canonical: lower-case names, values in double quotes with `"`, `<` and `>`
# escaped, an iframe's content raw text up to `</iframe>`; so this finds every iframe exactly.
_IFRAME = re.compile(r'<iframe((?:\s+[a-z0-9_:.-]+(?:="[^"]*")?)*)\s*>.*?</iframe>', re.S)
_ATTRIBUTE = re.compile(r'([a-z0-9_:.-]+)(?:="([^"]*)")?')


def is_safe_url(url: str) -> bool:
    """True for relative URLs and http(s)/mailto/tel; False for javascript:, data:, vbscript:…"""
    cleaned = _IGNORED_IN_SCHEME.sub("", url).lower()
    match = _SCHEME.match(cleaned)
    return match is None or match.group(1) in SAFE_SCHEMES


def youtube_embed(video_id: str) -> str | None:
    """The privacy-enhanced embed URL of a YouTube video id, or None for a malformed id."""
    if not _YOUTUBE_ID.fullmatch(video_id):
        return None
    return f"https://www.youtube-nocookie.com/embed/{video_id}"


def embed_url(url: str) -> str | None:
    """The https URL to embed for an iframe ``src``, or None when its site is not trusted.

    YouTube watch and youtu.be links (which refuse to load in a frame) become embed URLs.
    """
    parts = urlsplit(url.strip())
    if parts.scheme not in ("", "http", "https") or not parts.netloc:
        return None
    host = parts.netloc.lower()
    if host in ("youtu.be", "www.youtu.be"):
        return youtube_embed(parts.path.strip("/"))
    if host in ("www.youtube.com", "youtube.com", "m.youtube.com") and parts.path == "/watch":
        ids = parse_qs(parts.query).get("v", [])
        return youtube_embed(ids[0]) if ids else None
    for trusted_host, prefix in TRUSTED_EMBEDS:
        if host == trusted_host and parts.path.startswith(prefix):
            return parts._replace(scheme="https").geturl()
    return None


@dataclass(slots=True)
class SanitizeStats:
    """What the cleaning changed that a user may want to hear about."""

    untrusted_embeds: int = 0


class Sanitizer:
    """Cleans one rendered body at a time; ``check_url`` vets every URL attribute left."""

    def __init__(self, check_url: Callable[[str], bool]) -> None:
        self.check_url = check_url
        self.stats = SanitizeStats()

    def clean(self, fragment: str) -> str:
        cleaned = nh3.clean(
            fragment,
            tags=set(TAGS),
            clean_content_tags=set(CLEAN_CONTENT_TAGS),
            attributes=ATTRIBUTES,
            attribute_filter=self._filter,
            strip_comments=True,
            link_rel=None,
            url_schemes=set(SAFE_SCHEMES),
            set_tag_attribute_values={"iframe": IFRAME_ATTRIBUTES, "img": IMG_ATTRIBUTES},
        )
        return _IFRAME.sub(self._iframe, cleaned) if "<iframe" in cleaned else cleaned

    def _filter(self, tag: str, attribute: str, value: str) -> str | None:
        if attribute in URL_ATTRIBUTES:
            return value if self.check_url(value) else None
        if attribute == "style":
            match = _TEXT_ALIGN.search(value)
            return f"text-align:{match.group(1).lower()}" if match else None
        return value

    def _iframe(self, match: re.Match[str]) -> str:
        """A trusted embed, emptied (its content is never shown); any other: a link to it."""
        attributes = {
            name: html.unescape(value or "") for name, value in _ATTRIBUTE.findall(match.group(1))
        }
        source = attributes.get("src", "")
        embed = embed_url(source) if source else None
        if embed is not None:
            attributes["src"] = embed
            shown = "".join(
                f' {name}="{html.escape(value, quote=True)}"' if value else f" {name}"
                for name, value in attributes.items()
            )
            return f"<iframe{shown}></iframe>"
        if not source:
            return ""
        self.stats.untrusted_embeds += 1
        label = attributes.get("title") or source
        return (
            f'<a class="embed-link" href="{html.escape(source, quote=True)}">'
            f"{html.escape(label, quote=False)}</a>"
        )


def plain_text(fragment: str) -> str:
    """The text of an HTML fragment: tags dropped (scripts and styles with their content),
    character references decoded. For front-matter text such as a summary."""
    if "<" not in fragment and "&" not in fragment:
        return fragment
    return html.unescape(
        nh3.clean(fragment, tags=set(), clean_content_tags=set(CLEAN_CONTENT_TAGS))
    )
