"""RSS, Atom and JSON Feed exports, read back by feedparser (a real feed reader), by
xml.etree, and against the JSON Feed 1.1 rules."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from datetime import datetime
from email.utils import parsedate_to_datetime
from html.parser import HTMLParser

import feedparser
import pytest

from tests.conftest import Project

BASE = "https://news.example/redaksi"
ATOM = "{http://www.w3.org/2005/Atom}"
CONTENT = "{http://purl.org/rss/1.0/modules/content/}encoded"
HOSTILE_TITLE = "<script>alert(1)</script> & Ünïcödé “kutip”"


@pytest.fixture
def feeds(project: Project) -> Project:
    for day in range(1, 26):
        project.article(
            f"2024/07/hari-{day:02d}.md",
            title=f"Berita hari {day}",
            date=f"2024-07-{day:02d}T08:00:00+07:00",
            tags=["harian"],
            lang="id",
        )
    project.article(
        "2024/08/hostile.md",
        title=HOSTILE_TITLE + "\x0b",
        date="2024-08-01T09:30:00+07:00",
        updated="2024-08-02T10:00:00+07:00",
        author=["Siti Ñurhaliza", "李明"],
        category="ekonomi",
        tags=["rupiah", "Énergie"],
        summary="Ringkas <b>tebal</b> & 🙂",
        lang="en",
        body=(
            "<img src=x onerror=alert(1)>\n\n[x](javascript:alert(1)) "
            "[lihat](../07/hari-01.md) [draf](../07/draft.md) [root](/img/x.jpg) "
            "[luar](https://example.org/ü)\n"
        ),
    )
    project.article("2024/07/draft.md", title="Draft", date="2024-07-31", status="draft")
    project.article("2030/01/later.md", title="Later", date="2030-01-01")
    project.article("undated.md", title="No date")
    return project


def export(cli, fmt: str, *args: str):
    run = cli("export", "--format", fmt, "--base-url", BASE + "/", *args)
    assert run.exit_code == 0, run.stderr
    return run


class Anchors(HTMLParser):
    def __init__(self, text: str) -> None:
        super().__init__()
        self.urls: list[str] = []
        self.tags: list[str] = []
        self.attributes: list[str] = []
        self.feed(text)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag)
        for name, value in attrs:
            self.attributes.append(name)
            if name in ("href", "src") and value is not None:
                self.urls.append(value)


def check_safe_absolute_html(html: str) -> Anchors:
    found = Anchors(html)
    assert "script" not in found.tags
    assert not [name for name in found.attributes if name.startswith("on")]
    assert found.urls
    for url in found.urls:
        assert url.startswith(("https://", "http://")), url
    return found


@pytest.mark.parametrize("fmt", ["rss", "atom"])
def test_feedparser_reads_entries_titles_links_dates(cli, feeds, fmt: str) -> None:
    run = export(cli, fmt)
    parsed = feedparser.parse(run.stdout_bytes)
    assert not parsed.bozo, parsed.get("bozo_exception")
    assert parsed.version == {"rss": "rss20", "atom": "atom10"}[fmt]
    assert parsed.feed.title == "proj"
    entries = parsed.entries
    assert len(entries) == 20  # the default limit
    assert entries[0].title == HOSTILE_TITLE  # escaped once, read back as text
    assert entries[0].link == f"{BASE}/articles/2024/08/hostile.html"
    assert entries[1].link == f"{BASE}/articles/2024/07/hari-25.html"
    published = [entry.published_parsed for entry in entries]
    assert published == sorted(published, reverse=True)
    assert entries[0].published_parsed[:5] == (2024, 8, 1, 2, 30)  # 09:30 +07:00 in UTC
    assert {tag.term for tag in entries[0].tags} >= {"rupiah", "Énergie"}
    titles = {entry.title for entry in entries}
    assert not titles & {"Draft", "Later", "No date"}
    check_safe_absolute_html(entries[0].content[0].value)
    assert "1 undated article left out" in run.stderr
    assert "1 draft and 1 scheduled article left out" in run.stderr


def test_rss_with_an_xml_parser(cli, feeds) -> None:
    run = export(cli, "rss", "--limit", "3", "--output", "feed/rss.xml")
    root = ET.parse(feeds.root / "feed" / "rss.xml").getroot()
    assert root.tag == "rss" and root.get("version") == "2.0"
    channel = root.find("channel")
    assert channel is not None
    self_link = channel.find(f"{ATOM}link")
    assert self_link is not None
    assert self_link.attrib == {
        "href": f"{BASE}/rss.xml",
        "rel": "self",
        "type": "application/rss+xml",
    }
    assert channel.findtext("link") == f"{BASE}/"
    items = channel.findall("item")
    assert len(items) == 3
    first = items[0]
    assert first.findtext("title") == HOSTILE_TITLE
    assert first.findtext("guid") == f"{BASE}/articles/2024/08/hostile.html"
    when = parsedate_to_datetime(first.findtext("pubDate") or "")
    assert when == datetime.fromisoformat("2024-08-01T09:30:00+07:00")
    assert first.findtext("pubDate") == "Thu, 01 Aug 2024 09:30:00 +0700"  # RFC 822
    assert channel.findtext("lastBuildDate") == "Fri, 02 Aug 2024 10:00:00 +0700"
    # The description is HTML for RSS readers: the summary's "<b>" stays text.
    assert first.findtext("description") == "Ringkas &lt;b&gt;tebal&lt;/b&gt; &amp; 🙂"
    content = first.findtext(CONTENT) or ""
    links = check_safe_absolute_html(content).urls
    assert links == [
        f"{BASE}/articles/2024/08/x",  # the raw <img>, kept, made absolute, its handler gone
        f"{BASE}/articles/2024/07/hari-01.html",
        "https://news.example/img/x.jpg",
        "https://example.org/%C3%BC",
    ]
    assert "onerror" not in content
    assert '<span class="unresolved-link">draf</span>' in content
    assert run.stdout == ""


def test_atom_with_an_xml_parser(cli, feeds) -> None:
    run = export(cli, "atom", "--limit", "2")
    root = ET.fromstring(run.stdout_bytes)
    assert root.tag == f"{ATOM}feed"
    assert root.get("{http://www.w3.org/XML/1998/namespace}lang") == "id"
    assert root.findtext(f"{ATOM}id") == f"{BASE}/"
    assert root.findtext(f"{ATOM}updated") == "2024-08-02T10:00:00+07:00"
    self_link = [link for link in root.findall(f"{ATOM}link") if link.get("rel") == "self"]
    assert self_link[0].get("href") == f"{BASE}/atom.xml"
    entry = root.findall(f"{ATOM}entry")[0]
    assert entry.get("{http://www.w3.org/XML/1998/namespace}lang") == "en"
    assert entry.findtext(f"{ATOM}id") == f"{BASE}/articles/2024/08/hostile.html"
    assert entry.findtext(f"{ATOM}published") == "2024-08-01T09:30:00+07:00"  # RFC 3339
    assert entry.findtext(f"{ATOM}updated") == "2024-08-02T10:00:00+07:00"
    assert [a.findtext(f"{ATOM}name") for a in entry.findall(f"{ATOM}author")] == [
        "Siti Ñurhaliza",
        "李明",
    ]
    content = entry.find(f"{ATOM}content")
    assert content is not None and content.get("type") == "html"
    check_safe_absolute_html(content.text or "")
    plain = root.findall(f"{ATOM}entry")[1]
    assert plain.find(f"{ATOM}author") is None  # the feed-level author covers it
    assert root.find(f"{ATOM}author/{ATOM}name") is not None


def test_json_feed_follows_version_1_1(cli, feeds) -> None:
    run = export(cli, "jsonfeed", "--output", "feed.json")
    data = json.loads((feeds.root / "feed.json").read_text(encoding="utf-8"))
    assert data["version"] == "https://jsonfeed.org/version/1.1"
    assert data["title"] == "proj"
    assert data["home_page_url"] == f"{BASE}/"
    assert data["feed_url"] == f"{BASE}/feed.json"
    assert len(data["items"]) == 20
    for item in data["items"]:
        assert isinstance(item["id"], str) and item["id"] == item["url"]
        assert item["url"].startswith(BASE + "/articles/")
        assert item["content_html"]
        datetime.fromisoformat(item["date_published"])
    first = data["items"][0]
    assert first["title"] == HOSTILE_TITLE
    assert first["authors"] == [{"name": "Siti Ñurhaliza"}, {"name": "李明"}]
    assert first["tags"] == ["rupiah", "Énergie"]
    assert first["date_modified"] == "2024-08-02T10:00:00+07:00"
    assert first["language"] == "en"
    check_safe_absolute_html(first["content_html"])
    assert "20 articles exported to feed.json (jsonfeed)" in run.stderr


def test_include_drafts_and_limit(cli, feeds) -> None:
    run = export(cli, "jsonfeed", "--include-drafts", "--limit", "50")
    titles = [item["title"] for item in json.loads(run.stdout)["items"]]
    assert titles[0] == "Later"
    assert "Draft" in titles
    assert len(titles) == 28  # every dated article
    assert "left out (use --include-drafts" not in run.stderr


def test_filters_apply_to_feeds(cli, feeds) -> None:
    run = export(cli, "rss", "--tag", "rupiah")
    parsed = feedparser.parse(run.stdout_bytes)
    assert [entry.title for entry in parsed.entries] == [HOSTILE_TITLE]


def test_base_url_from_config(cli, feeds) -> None:
    feeds.config(
        'timezone = "Asia/Jakarta"\n[export]\nbase_url = "https://cfg.example"\n'
        'title = "Lush Beat"\nfeed_limit = 5\ndescription = "Berita"\n'
    )
    run = cli("export", "--format", "rss")
    assert run.exit_code == 0, run.stderr
    parsed = feedparser.parse(run.stdout_bytes)
    assert parsed.feed.title == "Lush Beat"
    assert parsed.feed.subtitle == "Berita"
    assert len(parsed.entries) == 5
    assert parsed.entries[0].link.startswith("https://cfg.example/articles/")


@pytest.mark.parametrize("fmt", ["rss", "atom", "jsonfeed"])
def test_base_url_is_required(cli, feeds, fmt: str) -> None:
    run = cli("export", "--format", fmt)
    assert run.exit_code == 2
    assert run.stdout == ""
    assert f"--format {fmt} needs --base-url" in run.stderr


@pytest.mark.parametrize("url", ["news.example", "ftp://news.example", "https://", "/relative"])
def test_base_url_must_be_absolute_http(cli, feeds, url: str) -> None:
    run = cli("export", "--format", "rss", "--base-url", url)
    assert run.exit_code == 2
    assert "--base-url must be an absolute http(s) URL" in run.stderr


def test_empty_feed_is_still_valid(cli, feeds) -> None:
    for fmt in ("rss", "atom"):
        run = export(cli, fmt, "--tag", "nothing")
        parsed = feedparser.parse(run.stdout_bytes)
        assert not parsed.bozo
        assert parsed.entries == []
