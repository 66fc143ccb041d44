"""`lushbeat import`: the seed story field by field, links, warnings, bad inputs, no overwrites."""

from __future__ import annotations

import os
import re
import shutil
from pathlib import Path

import pytest

from lushbeat_cli.core.reading.frontmatter import parse_bytes
from tests.conftest import EXAMPLES, REPO, SHARED, Project

# The shared folder sits next to the checkout (SHARED), or further up for a git worktree.
SEED = next(
    (
        folder / "seed" / "lush-beat-article.txt"
        for folder in (SHARED, *(base / "shared" for base in REPO.parents))
        if (folder / "seed" / "lush-beat-article.txt").is_file()
    ),
    SHARED / "seed" / "lush-beat-article.txt",
)
EU = "2024/07/uni-eropa-alihkan-rp31-triliun-dari-bunga-aset-rusia-untuk-ukraina.md"
GREGORIA = "2024/07/gregoria-mariska-raih-kemenangan-di-pertandingan-perdana.md"
MADURO = "2024/07/pilpres-venezuela-menghadirkan-pemimpin-baru-nicholas-maduro.md"
LINK = re.compile(r"^(Baca juga|Simak Juga) : \[([^\]]+)\]\(([^)]+)\)$", re.M)


@pytest.fixture
def newsroom(project: Project) -> Project:
    """A project holding the two articles the seed story cites."""
    project.config(
        'timezone = "Asia/Jakarta"\ndefault_lang = "id"\ndefault_author = "Redaksi Lush Beat"\n'
        'categories = ["internasional", "olahraga", "ekonomi"]\n'
    )
    for relative in (EU, GREGORIA):
        target = project.content / relative
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(EXAMPLES / "content" / relative, target)
    return project


def story(project: Project, name: str, text: str | bytes) -> Path:
    path = project.root / "inbox" / name
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(text, str):
        text = text.encode("utf-8")
    path.write_bytes(text)
    return path


def front(path: Path) -> tuple[dict, str]:
    parsed = parse_bytes(path.read_bytes(), path)
    return parsed.metadata, parsed.body


@pytest.mark.skipif(not SEED.is_file(), reason="the shared seed story is not available")
def test_the_seed_story_imports_field_by_field(cli, newsroom: Project) -> None:
    run = cli("import", str(SEED), "--category", "internasional", "--tag", "venezuela")
    assert run.exit_code == 0, run.stderr
    assert run.stdout == f"content/{MADURO}\n"
    assert "warning" not in run.stderr
    assert "imported 1 story" in run.stderr
    path = newsroom.content / MADURO
    meta, body = front(path)
    assert meta["title"] == "Pilpres Venezuela Menghadirkan Pemimpin Baru, Nicholas Maduro"
    assert meta["slug"] == "pilpres-venezuela-menghadirkan-pemimpin-baru-nicholas-maduro"
    assert meta["date"].isoformat() == "2024-07-29T00:00:00+07:00"
    assert meta["lang"] == "id"
    assert meta["category"] == "internasional"
    assert meta["tags"] == ["venezuela"]
    assert meta["author"] == "Redaksi Lush Beat"
    assert meta["status"] == "draft"

    assert body.lstrip().startswith(
        "**Lush Beat** – Pilpres Venezuela Pada hari Senin, 29 Juli 2024, Presiden Rusia"
    )
    headings = re.findall(r"^## (.+)$", body, flags=re.M)
    assert headings == [
        "Klaim Kemenangan dan Keraguan Internasional Pilpres Venezuela",
        "Komitmen Rusia untuk Kerja Sama Berkelanjutan",
    ]
    links = LINK.findall(body)
    assert [(label, title) for label, title, _ in links] == [
        ("Baca juga", "Uni Eropa Alihkan Rp31 Triliun dari Bunga Aset Rusia untuk Ukraina"),
        ("Simak Juga", "Gregoria Mariska Raih Kemenangan di Pertandingan Perdana"),
    ]
    targets = [(path.parent / href).resolve() for _, _, href in links]
    assert targets == [(newsroom.content / EU).resolve(), (newsroom.content / GREGORIA).resolve()]
    assert "Similar Posts" not in body
    assert "“Hubungan Rusia-Venezuela memiliki karakter kemitraan strategis,” kata Putin." in body
    assert body.endswith(
        "komprehensif,” ujarnya.\n\nSimak Juga : [Gregoria Mariska Raih Kemenangan di "
        "Pertandingan Perdana](gregoria-mariska-raih-kemenangan-di-pertandingan-perdana.md)\n"
    )

    # The result is the hand-converted example, word for word (its links spell ../07/ out).
    expected = front(EXAMPLES / "content" / MADURO)[1].replace("](../07/", "](")
    assert body.strip() == expected.strip()
    listed = cli("list", "--format", "json").json()
    assert [item["slug"] for item in listed if item["slug"].startswith("pilpres")] == [meta["slug"]]


def test_the_example_inbox_story(cli, examples_copy: Path) -> None:
    run = cli("import", "inbox/harga-cabai-jakarta.txt", "--status", "published")
    assert run.exit_code == 0, run.stderr
    path = examples_copy / run.stdout.strip()
    meta, body = front(path)
    assert meta["status"] == "published"
    assert meta["date"].date().isoformat() == "2025-02-24"
    assert len(LINK.findall(body)) == 2
    for _, _, href in LINK.findall(body):
        assert (path.parent / href).is_file()
    assert "Similar Posts" not in body and "Harga Minyak Melonjak" not in body


def test_unmatched_link_stays_text_with_a_warning_naming_file_and_line(cli, newsroom) -> None:
    source = story(
        newsroom,
        "a.txt",
        "Harga Emas Dunia Naik\n\nLush Beat – Pada 2 Januari 2025 harga emas naik.\n\n"
        "Baca juga : Harga Kopi Dunia Turun Tajam Pekan Ini\n\nSelesai.\n",
    )
    run = cli("import", str(source))
    assert run.exit_code == 0, run.stderr
    assert "inbox/a.txt:5: no article matches" in run.stderr
    _, body = front(newsroom.root / run.stdout.strip())
    assert "Baca juga : Harga Kopi Dunia Turun Tajam Pekan Ini\n" in body
    assert "](" not in body


def test_stories_link_to_stories_imported_in_the_same_run(cli, newsroom) -> None:
    story(newsroom, "1-first.txt", "Pertama Terbit Hari Ini\n\nLush Beat – 3 Maret 2025. Isi.\n")
    story(
        newsroom,
        "2-second.txt",
        "Kedua Menyusul\n\nLush Beat – 4 Maret 2025. Isi.\n\n"
        "Simak juga : Pertama Terbit Hari Ini\n\nAkhir.\n",
    )
    run = cli("import", "inbox")
    assert run.exit_code == 0, run.stderr
    paths = run.stdout.split()
    assert [Path(p).name for p in paths] == ["pertama-terbit-hari-ini.md", "kedua-menyusul.md"]
    _, body = front(newsroom.root / paths[1])
    assert "Simak juga : [Pertama Terbit Hari Ini](pertama-terbit-hari-ini.md)" in body


def test_options_override_the_story(cli, newsroom) -> None:
    source = story(newsroom, "a.txt", "Judul Cerita\n\nLush Beat – 29 Juli 2024. Isi.\n")
    run = cli(
        "import",
        str(source),
        "--date",
        "2024-08-01T09:30",
        "--lang",
        "en",
        "--author",
        "Ana",
        "--author",
        "Budi",
        "--tag",
        "a",
        "--tag",
        "b",
        "--category",
        "ekonomi",
    )
    assert run.exit_code == 0, run.stderr
    assert run.stdout == "content/2024/08/judul-cerita.md\n"
    meta, _ = front(newsroom.content / "2024/08/judul-cerita.md")
    assert meta["date"].isoformat() == "2024-08-01T09:30:00+07:00"
    assert (meta["lang"], meta["author"], meta["tags"]) == ("en", ["Ana", "Budi"], ["a", "b"])


def test_no_date_in_the_dateline_dates_it_now_with_a_warning(cli, newsroom) -> None:
    source = story(newsroom, "a.txt", "Judul Tanpa Tanggal\n\nLush Beat – Isi tanpa tanggal.\n")
    run = cli("import", str(source))
    assert run.exit_code == 0
    assert "inbox/a.txt:3: no date in the dateline; dated now" in run.stderr


def test_dry_run_prints_and_writes_nothing(cli, newsroom) -> None:
    story(newsroom, "a.txt", "Satu\n\nLush Beat – 1 Mei 2025. Isi.\n")
    story(newsroom, "b.txt", "Dua\n\nLush Beat – 2 Mei 2025. Isi.\n")
    before = sorted(newsroom.content.rglob("*"))
    run = cli("import", "inbox", "--dry-run")
    assert run.exit_code == 0, run.stderr
    assert sorted(newsroom.content.rglob("*")) == before
    headers = re.findall(r"^==> (.+) <==$", run.stdout, flags=re.M)
    assert headers == ["content/2025/05/satu.md", "content/2025/05/dua.md"]
    assert run.stdout.count("title: ") == 2
    assert "would import 2 stories" in run.stderr


def test_bad_inputs_get_one_line_each_and_the_others_still_import(cli, newsroom) -> None:
    story(newsroom, "1-good.txt", "Berita Baik\n\nLush Beat – 1 Mei 2025. Isi.\n")
    story(newsroom, "2-latin1.txt", b"Judul\n\nCaf\xe9 au lait.\n")
    story(newsroom, "3-binary.txt", b"\x00\x01\x02")
    story(newsroom, "4-empty.txt", b"")
    story(newsroom, "5-title-only.txt", "Hanya Judul\n")
    story(newsroom, "6-good.txt", "Berita Lain\n\nLush Beat – 2 Mei 2025. Isi.\n")
    run = cli("import", "inbox", "missing.txt")
    assert run.exit_code == 1
    assert run.stdout.split() == [
        "content/2025/05/berita-baik.md",
        "content/2025/05/berita-lain.md",
    ]
    errors = [line for line in run.stderr.splitlines() if line.startswith("error:")]
    assert errors == [
        "error: missing.txt: no such file or folder",
        "error: inbox/2-latin1.txt:3: not UTF-8 (byte 0xe9); convert it first, "
        "e.g. iconv -f WINDOWS-1252 -t UTF-8",
        "error: inbox/3-binary.txt:1: binary content (NUL byte); not a text story",
        "error: inbox/4-empty.txt: empty file; nothing to import",
        "error: inbox/5-title-only.txt: no text after the title; nothing to import",
    ]
    assert "imported 2 stories; 5 failed" in run.stderr
    assert "Traceback" not in run.stderr


def test_never_overwrites_and_refuses_a_used_slug(cli, newsroom) -> None:
    source = story(newsroom, "a.txt", "Judul Sama\n\nLush Beat – 1 Mei 2025. Isi.\n")
    assert cli("import", str(source)).exit_code == 0
    written = (newsroom.content / "2025/05/judul-sama.md").read_bytes()
    again = cli("import", str(source))
    assert again.exit_code == 1
    assert again.stdout == ""
    assert "content/2025/05/judul-sama.md: already exists; not overwritten" in again.stderr
    assert (newsroom.content / "2025/05/judul-sama.md").read_bytes() == written
    moved = story(newsroom, "b.txt", "Judul Sama\n\nLush Beat – 1 Juni 2025. Isi.\n")
    run = cli("import", str(moved))
    assert run.exit_code == 1
    assert "slug 'judul-sama' is already used" in run.stderr


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--category", "gosip"], "category 'gosip' is not allowed"),
        (["--date", "kemarin"], "--date expects a date"),
        (["--status", "scheduled"], "--status must be draft or published"),
    ],
)
def test_bad_options_are_usage_errors_before_anything_is_read(
    cli, newsroom, args: list[str], message: str
) -> None:
    source = story(newsroom, "a.txt", "Judul\n\nIsi.\n")
    before = sorted(newsroom.content.rglob("*"))
    run = cli("import", str(source), *args)
    assert run.exit_code == 2
    assert message in run.stderr
    assert run.stderr.count("error:") == 1
    assert sorted(newsroom.content.rglob("*")) == before


def test_an_empty_folder_warns(cli, newsroom) -> None:
    (newsroom.root / "inbox").mkdir()
    run = cli("import", "inbox")
    assert run.exit_code == 0
    assert "inbox: no .txt stories found" in run.stderr


def test_the_file_is_readable_only_by_its_umask(cli, newsroom) -> None:
    source = story(newsroom, "a.txt", "Izin Berkas\n\nLush Beat – 1 Mei 2025. Isi.\n")
    run = cli("import", str(source))
    mode = os.stat(newsroom.root / run.stdout.strip()).st_mode & 0o777
    mask = os.umask(0)
    os.umask(mask)
    assert mode == 0o666 & ~mask


@pytest.mark.parametrize("encoding", ["utf-16", "utf-16-le", "utf-16-be", "utf-32"])
def test_a_utf16_story_is_named(cli, newsroom: Project, encoding: str) -> None:
    path = story(newsroom, "s.txt", "Judul Cerita\n\nIsi cerita.\n".encode(encoding))
    run = cli("import", str(path))
    assert run.exit_code == 1
    name = "UTF-32" if "32" in encoding else "UTF-16"
    assert run.stderr.splitlines()[0] == f"error: inbox/s.txt: {name} text; save it as UTF-8"
