"""The exported site's look and words: its stylesheet, the interface labels in Indonesian and
English, and dates as readers expect them. Imported by the html exporter.
"""

from __future__ import annotations

import re
from datetime import datetime

STYLESHEET = """\
/* lushbeat site: light and dark, readable long-form text, works on phones. */
:root {
  color-scheme: light dark;
  --bg: #fdfcfa;
  --fg: #1d1d1f;
  --muted: #5f6368;
  --line: #e3e0da;
  --accent: #b3261e;
  --link: #0b57d0;
  --card: #ffffff;
  --code: #f3f1ec;
  --measure: 40rem;
}
@media (prefers-color-scheme: dark) {
  :root {
    --bg: #16171a;
    --fg: #e8e6e3;
    --muted: #a0a4ab;
    --line: #2e3036;
    --accent: #ff8a80;
    --link: #8ab4f8;
    --card: #1d1f23;
    --code: #24262b;
  }
}
*, *::before, *::after { box-sizing: border-box; }
html { -webkit-text-size-adjust: 100%; text-size-adjust: 100%; }
body {
  margin: 0;
  background: var(--bg);
  color: var(--fg);
  font: 1.125rem/1.7 Charter, "Bitstream Charter", "Sitka Text", Cambria, Georgia, serif;
}
a { color: var(--link); text-underline-offset: 0.15em; }
.skip { position: absolute; left: -100vw; }
.skip:focus { left: 1rem; top: 1rem; padding: 0.5rem 1rem; background: var(--card); z-index: 1; }
a:hover { text-decoration-thickness: 2px; }
.wrap { max-width: var(--measure); margin: 0 auto; padding: 0 1.25rem; }
.site-header, .site-footer {
  font: 0.95rem/1.5 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif;
}
.site-header { border-bottom: 1px solid var(--line); margin-bottom: 2rem; }
.site-header .wrap {
  display: flex; flex-wrap: wrap; gap: 0.5rem 1.5rem;
  align-items: baseline; justify-content: space-between; padding-block: 1rem;
}
.site-title { font-weight: 700; font-size: 1.2rem; color: var(--fg); text-decoration: none; }
.site-nav { display: flex; gap: 1rem; }
.site-nav a { color: var(--muted); text-decoration: none; }
.site-nav a:hover { color: var(--fg); }
.site-footer { border-top: 1px solid var(--line); margin-top: 3rem; color: var(--muted); }
.site-footer .wrap { padding-block: 1.5rem; }
h1, h2, h3, h4 {
  font-family: system-ui, -apple-system, "Segoe UI", Roboto, sans-serif;
  line-height: 1.25; margin: 2rem 0 0.75rem;
}
h1 { font-size: clamp(1.8rem, 5vw, 2.5rem); letter-spacing: -0.01em; margin-top: 0; }
.meta, .kicker, .pager, .tags, .term-list, .badge {
  font: 0.9rem/1.5 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif;
}
.meta { color: var(--muted); margin: 0.25rem 0 0; }
.kicker { text-transform: uppercase; letter-spacing: 0.06em; font-weight: 600; margin: 0 0 0.5rem; }
.kicker a { color: var(--accent); text-decoration: none; }
.lede { font-size: 1.2rem; color: var(--muted); margin: 0.75rem 0 0; }
.badge {
  display: inline-block; padding: 0 0.45rem; border-radius: 0.25rem;
  background: var(--accent); color: var(--bg); font-size: 0.75rem; font-weight: 700;
  text-transform: uppercase; letter-spacing: 0.05em; vertical-align: middle;
}
.content { margin-top: 2rem; overflow-wrap: break-word; }
.content img { max-width: 100%; height: auto; }
.content blockquote {
  margin: 1.5rem 0; padding: 0 1rem; border-left: 3px solid var(--line); color: var(--muted);
}
.content pre, .content code {
  font: 0.9em/1.5 ui-monospace, "SF Mono", Menlo, Consolas, monospace; background: var(--code);
}
.content code { padding: 0.1em 0.3em; border-radius: 0.2em; }
.content pre { padding: 1rem; overflow-x: auto; border-radius: 0.4rem; }
.content pre code { padding: 0; background: none; }
.content table { border-collapse: collapse; display: block; overflow-x: auto; }
.content th, .content td { border: 1px solid var(--line); padding: 0.3rem 0.6rem; }
.unresolved-link { color: var(--muted); }
.tags {
  list-style: none; padding: 0; margin: 2rem 0 0; display: flex; flex-wrap: wrap; gap: 0.5rem;
}
.tags a {
  display: inline-block; padding: 0.1rem 0.6rem; border: 1px solid var(--line);
  border-radius: 1rem; text-decoration: none; color: var(--muted);
}
.tags a:hover { color: var(--fg); border-color: var(--muted); }
.similar { margin-top: 3rem; padding: 1.25rem 1.5rem; background: var(--card);
  border: 1px solid var(--line); border-radius: 0.5rem; }
.similar h2 { margin-top: 0; font-size: 1.1rem; }
.similar ul { margin: 0; padding-left: 1.1rem; }
.similar li { margin: 0.4rem 0; }
.entries { list-style: none; margin: 0; padding: 0; }
.entry { padding: 1.25rem 0; border-bottom: 1px solid var(--line); }
.entry:first-child { padding-top: 0; }
.entry h2 { font-size: 1.35rem; margin: 0; }
.entry h2 a { color: var(--fg); text-decoration: none; }
.entry h2 a:hover { color: var(--link); }
.entry .summary { margin: 0.4rem 0 0; }
.pager { display: flex; justify-content: space-between; gap: 1rem; margin-top: 2rem; }
.pager .current { color: var(--muted); }
.term-list { columns: 14rem auto; padding-left: 1.1rem; }
.term-list li { margin: 0.2rem 0; break-inside: avoid; }
.count { color: var(--muted); }
@media (max-width: 30rem) {
  body { font-size: 1.05rem; }
  .site-header .wrap { display: block; }
}
@media print {
  .site-header, .site-footer, .similar, .pager { display: none; }
}
"""

LABELS: dict[str, dict[str, str]] = {
    "en": {
        "home": "Home",
        "tags": "Tags",
        "categories": "Categories",
        "tag": "Tag: {name}",
        "category": "Category: {name}",
        "similar": "Similar posts",
        "newer": "← Newer",
        "older": "Older →",
        "page": "Page {number} of {total}",
        "by": "By {names}",
        "updated": "updated {date}",
        "draft": "draft",
        "scheduled": "scheduled",
        "empty": "No articles yet.",
        "articles": "{count} articles",
        "article": "1 article",
        "generated": "Generated by lushbeat",
        "skip": "Skip to content",
        "sections": "Sections",
    },
    "id": {
        "home": "Beranda",
        "tags": "Tag",
        "categories": "Kategori",
        "tag": "Tag: {name}",
        "category": "Kategori: {name}",
        "similar": "Artikel terkait",
        "newer": "← Lebih baru",
        "older": "Lebih lama →",
        "page": "Halaman {number} dari {total}",
        "by": "Oleh {names}",
        "updated": "diperbarui {date}",
        "draft": "draf",
        "scheduled": "terjadwal",
        "empty": "Belum ada artikel.",
        "articles": "{count} artikel",
        "article": "1 artikel",
        "generated": "Dibuat dengan lushbeat",
        "skip": "Langsung ke isi",
        "sections": "Rubrik",
    },
}

MONTHS = {
    "en": (
        "January",
        "February",
        "March",
        "April",
        "May",
        "June",
        "July",
        "August",
        "September",
        "October",
        "November",
        "December",
    ),
    "id": (
        "Januari",
        "Februari",
        "Maret",
        "April",
        "Mei",
        "Juni",
        "Juli",
        "Agustus",
        "September",
        "Oktober",
        "November",
        "Desember",
    ),
}

_LANG_TAG = re.compile(r"[A-Za-z]{1,8}(?:-[A-Za-z0-9]{1,8})*")


def primary_language(lang: str) -> str:
    return lang.split("-")[0].lower()


def labels(lang: str) -> dict[str, str]:
    """Interface words in the page's language (English when it has none of its own)."""
    return LABELS.get(primary_language(lang), LABELS["en"])


def language_tag(value: str | None, default: str) -> str:
    """A well-formed BCP 47 tag for ``<html lang>``: the article's, else the site's, else en."""
    for candidate in (value, default):
        if candidate and _LANG_TAG.fullmatch(candidate.strip()):
            return candidate.strip()
    return "en"


def display_date(moment: datetime, lang: str) -> str:
    """``29 Juli 2024`` / ``29 July 2024``; ISO ``2024-07-29`` for other languages."""
    months = MONTHS.get(primary_language(lang))
    if months is None:
        return moment.date().isoformat()
    return f"{moment.day} {months[moment.month - 1]} {moment.year}"


def count_label(count: int, lang: str) -> str:
    words = labels(lang)
    return words["article"] if count == 1 else words["articles"].format(count=count)
