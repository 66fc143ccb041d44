"""The static site export: pages parsed with html.parser, every relative link checked against
the files written, hostile content, pagination, taxonomies, similar posts, the folder swap."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest

from lushbeat_cli.exporters import site_pages
from lushbeat_cli.exporters.markdown import is_safe_url
from tests.conftest import Project

PILPRES = "articles/2024/07/pilpres-venezuela-menghadirkan-pemimpin-baru-nicholas-maduro.html"


class Page(HTMLParser):
    """A page as a browser sees it: elements, attributes, text, and the links it holds."""

    def __init__(self, path: Path) -> None:
        super().__init__(convert_charrefs=True)
        self.path = path
        self.elements: list[tuple[str, dict[str, str]]] = []
        self.text: list[str] = []
        self._stack: list[str] = []
        self.text_in: dict[str, list[str]] = {}
        self.feed(path.read_text(encoding="utf-8"))

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.elements.append((tag, {name: value or "" for name, value in attrs}))
        if tag not in ("meta", "link", "img", "br", "hr", "input"):
            self._stack.append(tag)

    def handle_endtag(self, tag: str) -> None:
        if tag in self._stack:
            while self._stack.pop() != tag:
                pass

    def handle_data(self, data: str) -> None:
        self.text.append(data)
        for tag in set(self._stack):
            self.text_in.setdefault(tag, []).append(data)

    def all(self, tag: str) -> list[dict[str, str]]:
        return [attrs for name, attrs in self.elements if name == tag]

    def urls(self) -> list[str]:
        return [
            attrs[name] for _, attrs in self.elements for name in ("href", "src") if name in attrs
        ]

    def inside(self, tag: str) -> str:
        return "".join(self.text_in.get(tag, []))

    def html_lang(self) -> str:
        return self.all("html")[0]["lang"]


def local_targets(page: Page) -> list[Path]:
    """The files the page's relative links point to."""
    targets = []
    for url in page.urls():
        parts = urlsplit(url)
        if parts.scheme or parts.netloc or not parts.path:
            continue
        targets.append((page.path.parent / unquote(parts.path)).resolve())
    return targets


def assert_links_resolve(site: Path, page: Page) -> None:
    for target in local_targets(page):
        assert target.is_file(), f"{page.path.relative_to(site)} links to missing {target}"
        assert site.resolve() in target.parents


def assert_safe(page: Page) -> None:
    assert not page.all("script")
    assert not page.all("iframe")
    for _, attrs in page.elements:
        assert not [name for name in attrs if name.startswith("on")], attrs
    for url in page.urls():
        assert is_safe_url(url), url


# ---------------------------------------------------------------- the example site


@pytest.fixture
def example_site(cli, examples_copy: Path) -> Path:
    run = cli("export", "--format", "html", "--output", "site", "--title", "Lush Beat")
    assert run.exit_code == 0, run.stderr
    assert run.stdout == ""
    assert run.stderr.splitlines() == [
        "3 drafts and 1 scheduled article left out (use --include-drafts to keep them)",
        "34 articles exported to site/ (html)",
    ]
    return examples_copy / "site"


def test_example_index_and_article_open_with_working_links(example_site: Path) -> None:
    index = Page(example_site / "index.html")
    assert index.html_lang() == "id"
    assert index.inside("title") == "Lush Beat"
    assert_links_resolve(example_site, index)
    assert any(attrs.get("rel") == "stylesheet" for attrs in index.all("link"))
    article_links = [url for url in index.urls() if url.startswith("articles/")]
    assert len(article_links) == 20  # the first page of 34
    assert article_links[0] == (
        "articles/2025/09/indonesian-horror-debut-premieres-at-busan-film-festival.html"
    )

    article = Page(example_site / PILPRES)
    assert article.html_lang() == "id"
    assert article.inside("h1") == "Pilpres Venezuela Menghadirkan Pemimpin Baru, Nicholas Maduro"
    assert_links_resolve(example_site, article)
    assert_safe(article)
    # "Baca juga : [..](../07/uni-eropa-....md)" now points to that article's page.
    assert "uni-eropa-alihkan-rp31-triliun-dari-bunga-aset-rusia-untuk-ukraina.html" in (
        article.urls()
    )
    assert not [url for url in article.urls() if url.endswith(".md")]
    similar = [attrs for tag, attrs in article.elements if tag == "aside"]
    assert similar == [{"class": "similar", "data-source": "similar"}]


def test_every_page_of_the_example_site_links_only_to_existing_files(example_site: Path) -> None:
    pages = sorted(example_site.rglob("*.html"))
    assert len(pages) > 60
    for path in pages:
        page = Page(path)
        assert_links_resolve(example_site, page)
        assert_safe(page)
    english = Page(
        example_site / "articles/2025/07/data-centre-boom-tests-power-supply-on-java.html"
    )
    assert english.html_lang() == "en"
    assert "Similar posts" in english.inside("aside")


def test_example_site_layout(example_site: Path) -> None:
    assert (example_site / "style.css").is_file()
    assert (example_site / "page/2.html").is_file()
    assert not (example_site / "page/3.html").exists()
    assert (example_site / "tags/index.html").is_file()
    assert (example_site / "categories/index.html").is_file()
    assert (example_site / "categories/ekonomi.html").is_file()
    assert (example_site / "tags/venezuela.html").is_file()
    marker = json.loads((example_site / ".lushbeat-export").read_text(encoding="utf-8"))
    assert marker["generator"] == "lushbeat"
    drafts = ["hitung-cepat-pilkada-jakarta-tunjukkan-persaingan-ketat", "bauran-energi-2030"]
    written = {path.name for path in example_site.rglob("*.html")}
    assert not [name for name in written for draft in drafts if name.startswith(draft)]
    # the site folder has the usual permissions, not a temporary folder's owner-only ones
    assert os.stat(example_site).st_mode & 0o055 == 0o755 & 0o055 & ~_umask()
    assert not [p for p in example_site.parent.iterdir() if p.name.startswith(".site.")]


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


@pytest.mark.slow
@pytest.mark.skipif(shutil.which("chromium") is None, reason="Chromium is not installed")
def test_chromium_renders_the_example_site(example_site: Path) -> None:
    result = subprocess.run(
        [
            "chromium",
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--dump-dom",
            (example_site / PILPRES).as_uri(),
        ],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr[-2000:]
    assert "Pilpres Venezuela Menghadirkan Pemimpin Baru" in result.stdout
    assert 'class="similar"' in result.stdout


# ---------------------------------------------------------------- hostile content


@pytest.fixture
def hostile(project: Project) -> Project:
    project.article(
        "2024/08/hostile.md",
        title="<script>alert(1)</script> Ünïcödé",
        date="2024-08-01",
        author=['"><img src=x onerror=alert(1)>'],
        category="<b>Ekonomi</b>",
        tags=["<i>x</i>", "Énergie"],
        summary='" onmouseover="alert(1)',
        lang='id" onload="alert(1)',
        related=["<script>"],
        body=(
            "<img src=x onerror=alert(1)>\n\n<script>alert(1)</script>\n\n"
            "[x](javascript:alert(1)) [y](JaVaScRiPt:alert(1)) [d](data:text/html,<script>)\n\n"
            "![i](javascript:alert(1))\n"
        ),
    )
    project.article("2024/07/plain.md", title="Plain", date="2024-07-01", tags=["Énergie"])
    return project


def test_hostile_content_is_escaped_everywhere(cli, hostile) -> None:
    run = cli("export", "--format", "html", "--output", "site")
    assert run.exit_code == 0, run.stderr
    site = hostile.root / "site"
    pages = sorted(site.rglob("*.html"))
    for path in pages:
        page = Page(path)
        assert_safe(page)
        # the raw <img src=x> stays an image (without its handler), its src as written
        page.elements = [(t, a) for t, a in page.elements if a.get("src") != "x"]
        assert_links_resolve(site, page)
        assert not page.all("b") and not page.all("i")
    article = Page(site / "articles/2024/08/hostile.html")
    assert article.inside("h1") == "<script>alert(1)</script> Ünïcödé"
    assert article.inside("title").startswith("<script>alert(1)</script> Ünïcödé")
    assert article.html_lang() == "id"  # the bogus lang falls back to the site's
    # raw HTML kept, its handler removed
    assert ("img", {"src": "x", "loading": "lazy"}) in article.elements
    text = article.inside("div")
    assert "<script>" not in text and "onerror" not in text  # dropped, not shown as text
    assert 'Oleh "><img src=x onerror=alert(1)>' in article.inside("p")
    description = [a for a in article.all("meta") if a.get("name") == "description"]
    assert description[0]["content"] == '" onmouseover="alert(1)'
    index = Page(site / "index.html")
    assert "<script>alert(1)</script> Ünïcödé" in index.inside("a")


# ---------------------------------------------------------------- structure


@pytest.fixture
def newsroom(project: Project) -> Project:
    project.article(
        "2024/01/a.md",
        title="A",
        date="2024-01-01",
        tags=["Ekonomi", "C++"],
        category="Ekonomi",
        lang="en",
        related=["c", "missing", "a"],
        body="See [C](../03/c.md#detail) and [draft](../05/draft.md) and [home](/b).\n\n"
        "![chart](img/chart.png) [pdf](files/laporan.pdf) [nope](../../../secret.txt)\n",
    )
    project.article("2024/02/b.md", title="B", date="2024-02-01", tags=["ekonomi", "C"])
    project.article("2024/03/c.md", title="C", date="2024-03-01", tags=["c#"], category="ekonomi")
    project.article("2024/04/d.md", title="D", date="2024-04-01", tags=["ÉKONOMI"])
    project.article("2024/05/draft.md", title="Draft", date="2024-05-01", status="draft")
    project.write("2024/01/img/chart.png", b"\x89PNG")
    project.write("2024/01/files/laporan.pdf", b"%PDF")
    (project.root / "secret.txt").write_text("no")
    return project


def test_pagination_newest_first(cli, newsroom) -> None:
    run = cli("export", "-f", "html", "-o", "site", "--per-page", "2", "--include-drafts")
    assert run.exit_code == 0, run.stderr
    site = newsroom.root / "site"
    first, second, third = (Page(site / p) for p in ("index.html", "page/2.html", "page/3.html"))
    assert not (site / "page/4.html").exists()

    def titles(page: Page) -> list[str]:
        return [url.rsplit("/", 1)[-1] for url in page.urls() if "/20" in url and "articles" in url]

    assert titles(first) == ["draft.html", "d.html"]
    assert titles(second) == ["c.html", "b.html"]
    assert titles(third) == ["a.html"]
    assert [a["href"] for a in second.all("a") if a.get("rel") in ("prev", "next")] == [
        "../index.html",
        "3.html",
    ]
    assert "Halaman 2 dari 3" in second.inside("span")
    draft = Page(site / "articles/2024/05/draft.html")
    assert "draf" in draft.inside("span")  # the badge


def test_tags_and_categories_fold_variants_and_slug_collisions(cli, newsroom) -> None:
    assert cli("export", "-f", "html", "-o", "site").exit_code == 0
    site = newsroom.root / "site"
    tags = sorted(p.name for p in (site / "tags").glob("*.html"))
    assert tags == ["c-2.html", "c-3.html", "c.html", "ekonomi.html", "index.html"]
    ekonomi = Page(site / "tags/ekonomi.html")
    assert sorted(u.rsplit("/", 1)[-1] for u in ekonomi.urls() if "/articles/" in u) == [
        "a.html",
        "b.html",
        "d.html",
    ]
    categories = Page(site / "categories/index.html")
    assert "ekonomi" in categories.inside("a")  # the newest article's spelling
    assert "(2 artikel)" in categories.inside("span")


def test_links_similar_posts_and_copied_files(cli, newsroom) -> None:
    run = cli("export", "-f", "html", "-o", "site")
    assert run.exit_code == 0, run.stderr
    assert "1 link to articles not in this export kept as plain text" in run.stderr
    assert "2 linked files copied" in run.stderr
    site = newsroom.root / "site"
    page = Page(site / "articles/2024/01/a.html")
    urls = page.urls()
    assert "../03/c.html#detail" in urls
    assert "../02/b.html" in urls  # "/b" is the slug of b
    assert "img/chart.png" in urls and "files/laporan.pdf" in urls
    assert "../../../secret.txt" in urls  # outside the content: not copied, left as written
    assert not (site / "secret.txt").exists()
    page.elements = [(t, a) for t, a in page.elements if a.get("href") != "../../../secret.txt"]
    assert_links_resolve(site, page)
    assert (site / "articles/2024/01/img/chart.png").read_bytes() == b"\x89PNG"
    aside = [attrs for tag, attrs in page.elements if tag == "aside"]
    assert aside == [{"class": "similar", "data-source": "related"}]
    assert page.inside("aside").split() == ["Similar", "posts", "C"]  # missing and itself left out
    d_page = Page(site / "articles/2024/04/d.html")
    assert next(a for t, a in d_page.elements if t == "aside")["data-source"] == "similar"
    similar_links = [u for u in d_page.urls() if u.startswith("../0")]
    assert similar_links == ["../02/b.html", "../03/c.html"]  # the one sharing a tag first


# ---------------------------------------------------------------- the folder swap


def test_refuses_a_folder_that_is_not_a_lushbeat_export(cli, newsroom) -> None:
    target = newsroom.root / "public"
    target.mkdir()
    (target / "keep.txt").write_text("precious")
    run = cli("export", "-f", "html", "-o", "public")
    assert run.exit_code == 1
    assert "not a previous lushbeat export" in run.stderr
    assert "--force" in run.stderr
    assert sorted(p.name for p in target.iterdir()) == ["keep.txt"]
    run = cli("export", "-f", "html", "-o", "public", "--force")
    assert run.exit_code == 0, run.stderr
    assert (target / "keep.txt").read_text() == "precious"  # --force replaces only its pages
    assert (target / "index.html").is_file()


def test_an_empty_folder_is_fine(cli, newsroom) -> None:
    (newsroom.root / "public").mkdir()
    assert cli("export", "-f", "html", "-o", "public").exit_code == 0


def test_a_previous_export_is_replaced_whole(cli, newsroom) -> None:
    assert cli("export", "-f", "html", "-o", "site").exit_code == 0
    site = newsroom.root / "site"
    assert (site / "articles/2024/04/d.html").is_file()
    (newsroom.content / "2024/04/d.md").unlink()
    assert cli("export", "-f", "html", "-o", "site").exit_code == 0
    assert not (site / "articles/2024/04/d.html").exists()
    assert sorted(p.name for p in newsroom.root.iterdir() if p.name != ".lushbeat") == [
        "content",
        "lushbeat.toml",
        "secret.txt",
        "site",
    ]


def test_a_failed_export_leaves_the_old_site_intact(cli, newsroom, monkeypatch) -> None:
    assert cli("export", "-f", "html", "-o", "site").exit_code == 0
    site = newsroom.root / "site"
    before = {p.relative_to(site): p.read_bytes() for p in site.rglob("*") if p.is_file()}

    def broken(*args: object, **kwargs: object) -> str:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(site_pages, "terms_page", broken)
    run = cli("export", "-f", "html", "-o", "site")
    assert run.exit_code == 1
    assert "cannot write the site: No space left on device" in run.stderr
    after = {p.relative_to(site): p.read_bytes() for p in site.rglob("*") if p.is_file()}
    assert after == before
    assert sorted(p.name for p in newsroom.root.iterdir() if p.name != ".lushbeat") == [
        "content",
        "lushbeat.toml",
        "secret.txt",
        "site",
    ]


@pytest.mark.parametrize("target", [".", "content", "..", "content/.."])
def test_never_replaces_the_project_or_its_content(cli, newsroom, target: str) -> None:
    run = cli("export", "-f", "html", "-o", target, "--force")
    assert run.exit_code == 2
    assert "choose a folder of its own" in run.stderr
    assert (newsroom.content / "2024/01/a.md").is_file()


def test_html_needs_a_folder(cli, newsroom) -> None:
    (newsroom.root / "file.html").write_text("x")
    run = cli("export", "-f", "html", "-o", "file.html")
    assert run.exit_code == 2
    assert "is not a folder" in run.stderr
    run = cli("export", "-f", "html")
    assert run.exit_code == 2
    assert "needs --output with a folder" in run.stderr


def test_base_url_adds_canonical_links(cli, newsroom) -> None:
    run = cli("export", "-f", "html", "-o", "site", "--base-url", "https://x.example/")
    assert run.exit_code == 0
    page = Page(newsroom.root / "site/articles/2024/01/a.html")
    canonical = [a["href"] for a in page.all("link") if a.get("rel") == "canonical"]
    assert canonical == ["https://x.example/articles/2024/01/a.html"]


def test_related_that_names_nothing_exported_falls_back_to_the_engine(cli, project) -> None:
    project.article("a.md", title="A", date="2024-01-02", tags=["x"], related=["draft", "gone"])
    project.article("b.md", title="B", date="2024-01-01", tags=["x"])
    project.article("draft.md", title="Draft", date="2024-01-03", tags=["x"], status="draft")
    assert cli("export", "-f", "html", "-o", "site").exit_code == 0
    page = Page(project.root / "site/articles/a.html")
    assert [attrs for tag, attrs in page.elements if tag == "aside"] == [
        {"class": "similar", "data-source": "similar"}
    ]
    assert "B" in page.inside("aside")
    assert "Draft" not in page.inside("aside")


# ---------------------------------------------------------------- similar posts


def similar_block(page: Page) -> tuple[str | None, list[str]]:
    """The aside's data-source and the pages it links to (None, [] without one)."""
    asides = page.all("aside")
    if not asides:
        return None, []
    start = next(i for i, (tag, _) in enumerate(page.elements) if tag == "aside")
    links = [attrs["href"] for tag, attrs in page.elements[start:] if tag == "a"]
    return asides[0]["data-source"], links


def test_site_similar_posts_are_what_lushbeat_similar_suggests(cli, example_site: Path) -> None:
    run = cli("similar", "--all", "--format", "json")
    assert run.exit_code == 0, run.stderr
    expected = {record["path"]: record["similar"] for record in run.json()}
    pages = example_site / "articles"

    def page_of(source: str) -> Path:  # content/2024/07/x.md -> site/articles/2024/07/x.html
        return (pages / Path(source).relative_to("content")).with_suffix(".html")

    checked = 0
    for source, suggested in expected.items():
        if not page_of(source).is_file():  # a draft or the scheduled story: no page
            continue
        kind, links = similar_block(Page(page_of(source)))
        wanted = [
            os.path.relpath(page_of(item["path"]), page_of(source).parent) for item in suggested
        ]
        assert links == wanted, source
        assert kind == ("similar" if wanted else None), source
        checked += bool(wanted)
    assert checked >= 20


def test_drafts_and_scheduled_are_never_suggested(cli, project) -> None:
    for name, status in (("old", "published"), ("draft", "draft"), ("later", "published")):
        project.article(
            f"{name}.md",
            title=f"Harga beras naik {name}",
            date="2030-01-01" if name == "later" else "2024-01-01",
            status=status,
            tags=["beras"],
            body="Harga beras di pasar induk naik tajam pekan ini.\n",
        )
    project.article(
        "new.md",
        title="Harga beras naik lagi",
        date="2024-02-01",
        tags=["beras"],
        body="Harga beras di pasar induk naik tajam lagi.\n",
    )
    project.config(
        'content_dir = "content"\ndefault_lang = "id"\n[similar]\ninclude_newer = true\n'
    )
    run = cli("export", "-f", "html", "-o", "site", "--include-drafts")
    assert run.exit_code == 0, run.stderr
    site = project.root / "site"
    assert (site / "articles/draft.html").is_file() and (site / "articles/later.html").is_file()
    assert similar_block(Page(site / "articles/new.html")) == ("similar", ["old.html"])
    draft = Page(site / "articles/draft.html")
    assert similar_block(draft) == ("similar", ["new.html", "old.html"])


def test_site_similar_posts_follow_the_similar_settings(cli, project) -> None:
    body = "Timnas Indonesia menang atas Vietnam di stadion Gelora Bung Karno.\n"
    for day in range(1, 5):
        project.article(
            f"{day}.md", title=f"Timnas menang {day}", date=f"2024-01-0{day}", body=body
        )
    project.config('content_dir = "content"\ndefault_lang = "id"\n[similar]\nlimit = 2\n')
    assert cli("export", "-f", "html", "-o", "site").exit_code == 0
    assert similar_block(Page(project.root / "site/articles/4.html")) == (
        "similar",
        ["3.html", "2.html"],
    )
    project.config('content_dir = "content"\n[similar]\nthreshold = 1.0\n')
    assert cli("export", "-f", "html", "-o", "site").exit_code == 0
    assert similar_block(Page(project.root / "site/articles/4.html")) == (None, [])
    project.config('content_dir = "content"\n[similar]\nlimit = -1\n')
    run = cli("export", "-f", "html", "-o", "site")
    assert run.exit_code == 2
    assert "similar.limit must be 0 or more" in run.stderr
    assert cli("export", "-f", "json").exit_code == 0  # only the site reads [similar]


def test_suggestions_are_computed_once_for_the_whole_site(cli, examples_copy, monkeypatch) -> None:
    from lushbeat_cli.core.similar import engine as similar

    built: list[int] = []
    original = similar.SimilarEngine.__init__

    def counting(self, *args, **kwargs) -> None:  # type: ignore[no-untyped-def]
        built.append(1)
        original(self, *args, **kwargs)

    monkeypatch.setattr(similar.SimilarEngine, "__init__", counting)
    assert cli("export", "-f", "html", "-o", "site").exit_code == 0
    assert built == [1]


# ---------------------------------------------------------------- a generator's archive


@pytest.fixture
def hugo_archive(project: Project) -> Project:
    """A Hugo site in miniature: refs between posts, shortcodes, raw HTML, an authors file."""
    project.article(
        "news/2024/07/2024-07-01-launch.md",
        title="Launch &#8211; what&#8217;s new",
        date="2024-07-01",
        authors=["jeremy-zilar", "guest-writer"],
        summary="<strong>Big news</strong> for &amp; about you",
        body=(
            'Read [the plan]({{< ref "2024-06-01-plan.md" >}}) and '
            '<a href="{{< relref "/news/2024/06/2024-06-01-plan" >}}">again</a>; '
            'the [topic]({{< ref "/topics/ux" >}}) has no page.\n\n'
            "{{< note >}}\n**Feds only.** Register.\n{{< /note >}}\n\n"
            '{{< legacy-img src="photo.jpg" alt="The team" caption="At work" >}}\n\n'
            '{{< youtube id="Wj3h_-ThPgA" title="Guide" >}}\n\n'
            '{{< tmp "deadlink" >}} {{< img src="unknown-slug" >}}\n\n'
            'Claim<sup id="fnref1"><a href="#fn1">1</a></sup>\n\n'
            '<iframe src="https://elsewhere.example/widget" title="Widget"></iframe>\n\n'
            '<ol><li id="fn1">Source. <a href="#fnref1">↩</a></li></ol>\n'
        ),
    )
    project.article(
        "news/2024/06/2024-06-01-plan.md",
        title="Plan",
        date="2024-06-01",
        authors=["jeremy-zilar"],
    )
    project.write("news/2024/07/photo.jpg", b"\xff\xd8jpg")
    (project.root / "data/authors").mkdir(parents=True)
    (project.root / "data/authors/jeremy-zilar.yaml").write_text(
        'display_name: "Jeremy Zilar"\nfirst_name: Jeremy\n', encoding="utf-8"
    )
    project.config('content_dir = "content"\ndefault_lang = "en"\n')
    return project


def test_a_hugo_archive_renders_as_its_site_does(cli, hugo_archive: Project) -> None:
    run = cli("export", "-f", "html", "-o", "site")
    assert run.exit_code == 0, run.stderr
    assert run.stderr.splitlines() == [
        "3 shortcodes/template tags lushbeat does not render removed (text inside paired "
        "ones kept): {{< note >}} ×1, {{< tmp >}} ×1, {{< img >}} ×1",
        "1 embedded frame from sites not on the trusted list shown as links",
        "1 link to articles not in this export kept as plain text",
        "1 linked file copied",
        "2 articles exported to site/ (html)",
    ]
    site = hugo_archive.root / "site"
    page = Page(site / "articles/news/2024/07/2024-07-01-launch.html")
    assert_safe_but_trusted_frames(page)
    assert_links_resolve(site, page)
    plan = "../06/2024-06-01-plan.html"
    # the Markdown ref, the raw-HTML relref, and "Similar posts"
    assert [a.get("href") for a in page.all("a") if a.get("href") == plan] == [plan] * 3
    assert ("span", {"class": "unresolved-link"}) in page.elements  # the topic: words kept
    assert "Feds only." in page.inside("strong")
    assert {"src": "photo.jpg", "alt": "The team", "loading": "lazy"} in page.all("img")
    assert (site / "articles/news/2024/07/photo.jpg").read_bytes() == b"\xff\xd8jpg"
    assert "At work" in page.inside("figcaption")
    assert [f["src"] for f in page.all("iframe")] == [
        "https://www.youtube-nocookie.com/embed/Wj3h_-ThPgA"
    ]
    assert {"class": "embed-link", "href": "https://elsewhere.example/widget"} in page.all("a")
    assert ("li", {"id": "fn1"}) in page.elements and page.inside("sup") == "1"
    text = "".join(page.text)
    for leak in ("{{", "}}", "<", "&#", "&amp;"):
        assert leak not in text, leak
    # the byline: the authors file's display name; a key without an entry as written
    assert "By Jeremy Zilar, guest-writer" in page.inside("p")
    assert page.inside("h1") == "Launch – what’s new"
    assert "Big news for & about you" in page.inside("p")
    index = Page(site / "index.html")
    assert "Launch – what’s new" in index.inside("a")


def assert_safe_but_trusted_frames(page: Page) -> None:
    frames = [(t, a) for t, a in page.elements if t == "iframe"]
    assert all(a["src"].startswith("https://www.youtube-nocookie.com/") for _, a in frames)
    page.elements = [(t, a) for t, a in page.elements if t != "iframe"]
    assert_safe(page)
    page.elements += frames


def test_feeds_use_the_display_names_and_report_removed_tags(cli, hugo_archive: Project) -> None:
    run = cli("export", "-f", "jsonfeed", "--base-url", "https://news.example")
    assert run.exit_code == 0, run.stderr
    feed = json.loads(run.stdout)
    authors = {item["title"]: item["authors"] for item in feed["items"]}
    assert authors["Plan"] == [{"name": "Jeremy Zilar"}]
    launch = next(item for item in feed["items"] if item["title"] != "Plan")
    assert (
        'href="https://news.example/articles/news/2024/06/2024-06-01-plan.html"'
        in (launch["content_html"])
    )
    assert "{{" not in launch["content_html"]
    assert run.stderr.splitlines()[0].startswith("3 shortcodes/template tags")
