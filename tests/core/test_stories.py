"""Reading plain-text stories: title, dateline, dates, headings, link lines, footer."""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

import pytest

from lushbeat_cli.core.workflow.stories import find_date, parse_story, read_story
from lushbeat_cli.errors import LushbeatError

SOURCE = Path("story.txt")


def kinds(text: str, **kwargs: str) -> list[tuple[str, str]]:
    return [(block.kind, block.text) for block in parse_story(text, SOURCE, **kwargs).blocks]


def test_title_dateline_headings_links_and_footer() -> None:
    text = (
        "Judul Berita Hari Ini\n\n"
        "Lush Beat – Jakarta Pada hari Senin, 29 Juli 2024, sesuatu terjadi.\n\n"
        "Sebuah Subjudul Pendek\n\n"
        "Paragraf kedua yang panjang.\n\n"
        "Baca juga : JUDUL LAIN\n\n"
        "Paragraf terakhir.\n\n"
        "Similar Posts\n"
        "Judul terkait satu\n"
    )
    story = parse_story(text, SOURCE)
    assert story.title == "Judul Berita Hari Ini"
    assert story.date == date(2024, 7, 29)
    assert story.footer_line == 13
    assert [(b.kind, b.line) for b in story.blocks] == [
        ("lead", 3),
        ("heading", 5),
        ("paragraph", 7),
        ("link", 9),
        ("paragraph", 11),
    ]
    assert story.blocks[0].text.startswith("**Lush Beat** – Jakarta Pada hari Senin")
    assert (story.blocks[3].label, story.blocks[3].cited) == ("Baca juga", "JUDUL LAIN")


@pytest.mark.parametrize(
    ("lead", "expected"),
    [
        ("Lush Beat – Isi.", "**Lush Beat** – Isi."),
        ("Lush Beat — Isi.", "**Lush Beat** – Isi."),
        ("Lush Beat - Isi.", "**Lush Beat** – Isi."),
        ("LUSH BEAT – Isi.", "**LUSH BEAT** – Isi."),
        ("Lush Beat, Jakarta – Isi.", "**Lush Beat**, Jakarta – Isi."),
        ("Lush Beatnik – Isi.", "Lush Beatnik – Isi."),
        ("Jakarta – Isi tanpa nama situs.", "Jakarta – Isi tanpa nama situs."),
    ],
)
def test_dateline_variants(lead: str, expected: str) -> None:
    assert kinds(f"Judul\n\n{lead}\n\nLain.\n")[0] == ("lead", expected)


def test_site_name_is_configurable() -> None:
    lead = kinds("Judul\n\nKabar Kita – Isi.\n", site="Kabar Kita")[0]
    assert lead == ("lead", "**Kabar Kita** – Isi.")
    assert kinds("Judul\n\nKabar Kita – Isi.\n")[0] == ("lead", "Kabar Kita – Isi.")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Pada hari Senin, 29 Juli 2024, Putin", date(2024, 7, 29)),
        ("Rabu (7/8) atau 7 Agustus 2024 pukul", date(2024, 8, 7)),
        ("pada 1 Des 2023 lalu", date(2023, 12, 1)),
        ("on 3 May 2025 the", date(2025, 5, 3)),
        ("on July 29, 2024, Putin", date(2024, 7, 29)),
        ("Sept. 9, 2024", date(2024, 9, 9)),
        ("dated 2024-02-29 here", date(2024, 2, 29)),
        ("31 Februari 2024 bukan tanggal", None),
        ("13 Smarch 2024", None),
        ("tanpa tanggal sama sekali", None),
        ("12 Maret 2024 lalu dan 1 April 2024", date(2024, 3, 12)),
    ],
)
def test_find_date(text: str, expected: date | None) -> None:
    assert find_date(text) == expected


def test_headings_need_to_stand_between_paragraphs_and_lack_final_punctuation() -> None:
    text = (
        "Judul\n\nLead.\n\n"
        "Subjudul Tanpa Titik\n\n"
        "Kalimat pendek diakhiri titik.\n\n"
        "kata kecil tanpa titik\n\n"
        "Kutipan Tanpa Titik “Benar”\n\n"
        "“Kutipan yang selesai.”\n\n"
        "Dua baris\nsatu paragraf\n\n" + "Kata " * 20 + "\n\n"
        "Penutup Tanpa Titik\n"
    )
    assert [kind for kind, _ in kinds(text)] == [
        "lead",
        "heading",
        "paragraph",
        "paragraph",
        "heading",
        "paragraph",
        "paragraph",
        "paragraph",
        "paragraph",
    ]


@pytest.mark.parametrize(
    "line",
    [
        "Baca juga : Judul",
        "Baca Juga: Judul",
        "BACA JUGA   :   Judul",
        "Simak Juga : Judul",
        "simak juga:Judul",
        "Lihat juga : Judul",
        "Read also: Judul",
    ],
)
def test_link_lines(line: str) -> None:
    story = parse_story(f"T\n\nLead.\n\n{line}\n\nEnd.\n", SOURCE)
    block = story.blocks[1]
    assert (block.kind, block.cited) == ("link", "Judul")


def test_a_link_line_that_already_links_is_left_alone() -> None:
    story = parse_story("T\n\nLead.\n\nBaca juga : [Judul](a.md)\n\nEnd.\n", SOURCE)
    assert story.blocks[1].kind == "paragraph"


def test_plain_text_that_looks_like_markdown_is_escaped() -> None:
    text = "T\n\nLead.\n\n# bukan judul\n\n> bukan kutipan\n\n2024. Tahun ini\n\n---\n\nEnd.\n"
    texts = [b.text for b in parse_story(text, SOURCE).blocks]
    assert texts[1:5] == ["\\# bukan judul", "\\> bukan kutipan", "2024\\. Tahun ini", "\\---"]


def test_crlf_bom_nbsp_and_indentation_are_normalised(tmp_path: Path) -> None:
    path = tmp_path / "s.txt"
    path.write_bytes("\ufeffJudul\r\n\r\n    Lush Beat\u00a0– Isi.\r\n".encode())
    story = parse_story(read_story(path, 10_000), path)
    assert story.title == "Judul"
    assert story.blocks[0].text == "**Lush Beat** – Isi."


def test_text_right_under_the_title_is_the_lead() -> None:
    story = parse_story("Judul\nLush Beat – Isi.\n\nLain.\n", SOURCE)
    assert story.title == "Judul"
    assert [b.kind for b in story.blocks] == ["lead", "paragraph"]


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"", "empty file"),
        (b"  \n\n", "empty file"),
        (b"Judul\x00\x01", "binary content"),
        (b"Judul\n\nCaf\xe9\n", "not UTF-8 (byte 0xe9)"),
        ("Judul\n\nIsi cerita.\n".encode("utf-16"), "UTF-16 text; save it as UTF-8"),
        ("Judul\n\nIsi cerita.\n".encode("utf-16-le"), "UTF-16 text; save it as UTF-8"),
        ("Judul\n\nIsi cerita.\n".encode("utf-32-be"), "UTF-32 text; save it as UTF-8"),
    ],
)
def test_unreadable_stories(tmp_path: Path, data: bytes, message: str) -> None:
    path = tmp_path / "s.txt"
    path.write_bytes(data)
    with pytest.raises(LushbeatError, match=re.escape(message)):
        read_story(path, 10_000)


def test_too_large_story(tmp_path: Path) -> None:
    path = tmp_path / "s.txt"
    path.write_bytes(b"x" * 2000)
    with pytest.raises(LushbeatError, match="too large"):
        read_story(path, 1000)


@pytest.mark.parametrize("text", ["Hanya Judul\n", "Judul\n\nSimilar Posts\n"])
def test_a_story_needs_a_body(text: str) -> None:
    with pytest.raises(LushbeatError, match="no text after the title"):
        parse_story(text, SOURCE)


def test_a_first_line_that_is_a_paragraph_is_refused() -> None:
    with pytest.raises(LushbeatError, match="starts with its title"):
        parse_story("Kata " * 80 + "\n\nLain.\n", SOURCE)
