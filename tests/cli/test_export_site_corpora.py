"""The site export of real archives (../shared/corpora): no shortcode, template tag or raw HTML
shows as text, checked on every page with an HTML parser and, for a handful of digital.gov
pages rich in shortcodes and raw HTML, in headless Chromium (the text a reader sees, as laid
out). Skipped, saying why, when the corpora or Chromium are absent."""

from __future__ import annotations

import re
import shutil
import subprocess
from html.parser import HTMLParser
from pathlib import Path

import pytest

from tests.cli.test_export_site import Page
from tests.conftest import REPO, SHARED

pytestmark = pytest.mark.slow

CORPORA = next(
    (
        path
        for path in (SHARED / "corpora", REPO.parent.parent / "shared" / "corpora")
        if path.is_dir()
    ),
    SHARED / "corpora",
)
# Template syntax never belongs in a page's prose (code may show it, on purpose).
TEMPLATE_SYNTAX = re.compile(r"\{\{[<%]|[>%]\}\}|\{%|%\}")
# Markup or a character reference shown as text: a tag escaped once too often, or a leak.
MARKUP_AS_TEXT = re.compile(r"\{\{|\}\}|\{%|%\}|</?[A-Za-z][A-Za-z0-9-]*[\s/>]|&#?[A-Za-z0-9]+;")

# digital.gov pages with the shortcodes and raw HTML its archive uses most: ref, legacy-img,
# note, box, highlight, link, youtube, tweet, accordion, asset-static, tables, footnotes,
# SlideShare and Google Maps iframes.
DIGITALGOV_PAGES = (
    "news/2019/11/2019-11-18-building-elements-that-earn-trust.md",
    "news/2017/06/2017-06-30-webinar-recap-plain-language-action-and-information-network-"
    "plain-june-meeting.md",
    "news/2016/07/2016-07-11-how-to-leverage-user-generated-content-to-resonate-with-your-"
    "audience.md",
    "news/2016/12/2016-12-02-the-future-of-technology-at-gsa.md",
    "news/2014/03/2014-03-20-six-tips-for-measuring-success-in-challenge-competitions.md",
    "news/2023/03/2023-03-03-understanding-design-in-10-questions.md",
    "events/2019/06/2019-06-19-gsa-customer-experience-cx-hackathon.md",
    "resources/required-web-content-and-links.md",
)


def corpus_content(name: str) -> Path:
    base = CORPORA / name
    for folder in ("content", "_posts"):
        if (base / folder).is_dir():
            return base / folder
    pytest.skip(f"corpus not available: {base} (the real-archive site tests need ../shared)")


class Prose(HTMLParser):
    """The text of a page outside ``pre``/``code`` (where template syntax may be the subject)."""

    def __init__(self, text: str) -> None:
        super().__init__(convert_charrefs=True)
        self.depth = 0
        self.parts: list[str] = []
        self.feed(text)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.depth += tag in ("pre", "code")

    def handle_endtag(self, tag: str) -> None:
        self.depth -= tag in ("pre", "code") and self.depth > 0

    def handle_data(self, data: str) -> None:
        if not self.depth:
            self.parts.append(data)

    @property
    def text(self) -> str:
        return "".join(self.parts)


def export_site(cli, tmp_path: Path, content: Path) -> Path:
    (tmp_path / "lushbeat.toml").write_text(f'content_dir = "{content.as_posix()}"\n')
    run = cli("export", "-f", "html", "-o", str(tmp_path / "site"), "--no-index")
    # 1: some files could not be read (Cipta Media has 14 without front matter); the site is
    # written all the same.
    assert run.exit_code in (0, 1), run.stderr
    assert "exported to" in run.stderr
    return tmp_path / "site"


@pytest.mark.parametrize("name", ["digitalgov", "18f", "ciptamedia"])
def test_no_page_of_a_real_archive_shows_template_syntax(
    cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, name: str
) -> None:
    content = corpus_content(name)
    monkeypatch.chdir(tmp_path)
    site = export_site(cli, tmp_path, content)
    pages = sorted((site / "articles").rglob("*.html"))
    assert len(pages) > 500
    leaks = {}
    for path in pages:
        text = Prose(path.read_text(encoding="utf-8")).text
        found = TEMPLATE_SYNTAX.search(text)
        if found:
            leaks[path.relative_to(site).as_posix()] = text[found.start() - 40 : found.end() + 40]
    assert leaks == {}


@pytest.fixture
def digitalgov_subset(cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A handful of real digital.gov files (copied to a temporary project) exported."""
    source = corpus_content("digitalgov")
    content = tmp_path / "content"
    for relative in DIGITALGOV_PAGES:
        target = content / relative
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(source / relative, target)
    monkeypatch.chdir(tmp_path)
    return export_site(cli, tmp_path, content)


def page_of(relative: str) -> str:
    return "articles/" + relative.removesuffix(".md") + ".html"


def test_digitalgov_pages_keep_their_content_and_lose_their_syntax(
    digitalgov_subset: Path,
) -> None:
    for relative in DIGITALGOV_PAGES:
        page = Page(digitalgov_subset / page_of(relative))
        prose = Prose(page.path.read_text(encoding="utf-8")).text
        assert not MARKUP_AS_TEXT.search(prose), (relative, MARKUP_AS_TEXT.findall(prose))
        assert not page.all("script")
    trust = Page(digitalgov_subset / page_of(DIGITALGOV_PAGES[0]))
    assert "use a .gov top-level domain" in "".join(trust.text)  # {{< highlight >}}'s content
    maps = Page(digitalgov_subset / page_of(DIGITALGOV_PAGES[6]))
    assert any(f["src"].startswith("https://www.google.com/maps/embed") for f in maps.all("iframe"))
    slides = Page(digitalgov_subset / page_of(DIGITALGOV_PAGES[4]))
    assert any("slideshare.net" in f["src"] for f in slides.all("iframe"))


CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
# Writes the text a reader sees (innerText: laid out, hidden elements left out) into the page,
# where --dump-dom can read it. Code is left out: showing markup is what a code sample is for.
VISIBLE_TEXT_SCRIPT = (
    "<script>document.querySelectorAll('pre, code').forEach(e => e.style.display = 'none');"
    "const shown = document.body.innerText;"
    "const out = document.createElement('pre'); out.id = 'lushbeat-visible-text';"
    "out.textContent = shown; document.body.appendChild(out);</script>"
)


class VisibleText(HTMLParser):
    def __init__(self, dom: str) -> None:
        super().__init__(convert_charrefs=True)
        self.inside = False
        self.found: list[str] | None = None
        self.feed(dom)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "pre" and ("id", "lushbeat-visible-text") in attrs:
            self.inside, self.found = True, []

    def handle_endtag(self, tag: str) -> None:
        self.inside = self.inside and tag != "pre"

    def handle_data(self, data: str) -> None:
        if self.inside and self.found is not None:
            self.found.append(data)


def chromium_visible_text(page: Path, profile: Path) -> str:
    """The page's visible text as headless Chromium lays it out (a copy of the page, next to
    it so its stylesheet loads, with a script that writes document.body.innerText out)."""
    probe = page.with_name(page.stem + ".visible-text.html")
    probe.write_text(
        page.read_text(encoding="utf-8").replace("</body>", VISIBLE_TEXT_SCRIPT + "</body>"),
        encoding="utf-8",
    )
    assert CHROMIUM is not None
    result = subprocess.run(
        [
            CHROMIUM,
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--host-resolver-rules=MAP * ~NOTFOUND",  # embeds stay offline
            f"--user-data-dir={profile}",
            "--run-all-compositor-stages-before-draw",
            "--virtual-time-budget=5000",
            "--dump-dom",
            probe.as_uri(),
        ],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr[-2000:]
    found = VisibleText(result.stdout).found
    assert found is not None, "Chromium did not run the page's script"
    return "".join(found)


@pytest.mark.skipif(CHROMIUM is None, reason="Chromium is not installed (apt-get install chromium)")
def test_chromium_shows_no_shortcode_or_raw_html_on_digitalgov_pages(
    digitalgov_subset: Path, tmp_path: Path
) -> None:
    for relative in DIGITALGOV_PAGES:
        page = digitalgov_subset / page_of(relative)
        text = chromium_visible_text(page, tmp_path / "chromium-profile")
        title = Page(page).inside("h1")
        assert title and title in text  # the page really was laid out
        leaks = MARKUP_AS_TEXT.findall(text)
        assert leaks == [], (relative, leaks)
