"""`lushbeat stats`: counts per dimension, statuses, words; JSON, CSV and text."""

from __future__ import annotations

import csv
import io

import pytest

from lushbeat_cli.core.stats import count_words
from tests.conftest import Project
from tests.limits import finishes


@pytest.fixture
def news(project: Project) -> Project:
    project.article(
        "a.md",
        title="A",
        date="2024-07-29",
        category="politik",
        author=["Ana", "Budi"],
        tags=["venezuela", "pemilu"],
        lang="id",
        status="published",
        body="satu dua tiga empat\n",
    )
    project.article(
        "b.md",
        title="B",
        date="2024-07-01",
        category="politik",
        author="Ana",
        tags=["venezuela"],
        lang="en",
        status="draft",
        body="satu dua\n",
    )
    project.article(
        "c.md",
        title="C",
        date="2999-01-01",
        category="ekonomi",
        tags=[],
        lang="id",
        body="satu dua tiga empat lima enam\n",
    )
    project.article("d.md", title="D", body="Kata [tautan panjang](https://example.com/a/b).\n")
    return project


def test_json_shape_and_numbers(cli, news) -> None:
    run = cli("stats", "--format", "json")
    assert run.exit_code == 0, run.stderr
    data = run.json()
    assert list(data) == [
        "articles",
        "status",
        "words",
        "by_month",
        "by_category",
        "by_author",
        "by_tag",
        "by_lang",
    ]
    assert data["articles"] == 4
    assert data["status"] == {"draft": 1, "published": 2, "scheduled": 1}
    assert data["words"] == {"min": 2, "median": 3.5, "max": 6, "total": 15}
    assert data["by_month"] == [
        {"key": "2024-07", "count": 2},
        {"key": "2999-01", "count": 1},
        {"key": None, "count": 1},
    ]
    assert data["by_category"] == [
        {"key": "politik", "count": 2},
        {"key": "ekonomi", "count": 1},
        {"key": None, "count": 1},
    ]
    assert data["by_author"] == [
        {"key": "Ana", "count": 2},
        {"key": "Budi", "count": 1},
        {"key": None, "count": 2},
    ]
    assert data["by_tag"] == [
        {"key": "venezuela", "count": 2},
        {"key": "pemilu", "count": 1},
        {"key": None, "count": 2},
    ]
    assert data["by_lang"] == [
        {"key": "id", "count": 2},
        {"key": "en", "count": 1},
        {"key": None, "count": 1},
    ]


def test_filters_apply(cli, news) -> None:
    data = cli("stats", "--format", "json", "--category", "politik").json()
    assert data["articles"] == 2
    assert data["status"] == {"draft": 1, "published": 1, "scheduled": 0}
    assert cli("stats", "--format", "json", "--since", "2030-01-01").json()["articles"] == 1


def test_csv_has_one_row_per_number(cli, news) -> None:
    run = cli("stats", "--format", "csv")
    assert run.exit_code == 0
    assert run.stdout_bytes.startswith(b"dimension,key,count\r\narticles,,4\r\n")
    rows = list(csv.DictReader(io.StringIO(run.stdout, newline="")))
    assert rows[0] == {"dimension": "articles", "key": "", "count": "4"}
    assert {"dimension": "status", "key": "scheduled", "count": "1"} in rows
    assert {"dimension": "words", "key": "median", "count": "3.5"} in rows
    assert {"dimension": "tag", "key": "venezuela", "count": "2"} in rows
    assert {"dimension": "month", "key": "", "count": "1"} in rows
    assert {row["dimension"] for row in rows} == {
        "articles",
        "status",
        "words",
        "month",
        "category",
        "author",
        "tag",
        "lang",
    }


def test_text_is_plain_and_aligned_when_piped(cli, news) -> None:
    run = cli("stats", "--top", "1")
    assert run.exit_code == 0, run.stderr
    out = run.stdout
    assert "\x1b[" not in out and "█" not in out
    lines = out.splitlines()
    assert lines[0].split() == [
        "articles",
        "4",
        "(1",
        "draft,",
        "2",
        "published,",
        "1",
        "scheduled)",
    ]
    month = lines.index("Articles per month")
    assert lines[month + 1 : month + 4] == [
        "  2024-07    2",
        "  2999-01    1",
        "  (undated)  1",
    ]
    tags = lines.index("Per tag")
    assert lines[tags + 1 : tags + 3] == ["  venezuela  2", "  … and 2 more"]


def test_an_empty_selection(cli, news) -> None:
    data = cli("stats", "--format", "json", "--tag", "nothing").json()
    assert data["articles"] == 0
    assert data["words"] == {"min": 0, "median": 0, "max": 0, "total": 0}
    assert data["by_month"] == []
    assert cli("stats", "--tag", "nothing").exit_code == 0


def test_unreadable_files_are_reported(cli, news) -> None:
    news.write("bad.md", "no front matter\n")
    run = cli("stats", "--format", "json")
    assert run.exit_code == 1
    assert run.json()["articles"] == 4
    assert "content/bad.md:1:1: LB101" in run.stderr


@pytest.mark.parametrize(
    ("body", "words"),
    [
        ("", 0),
        ("Satu dua tiga.", 3),
        ("Rp31 triliun, 6,25 persen — naik.", 5),
        ("Kata-kata ber-tanda hubung dan Jum'at.", 5),
        ("**tebal** _miring_ [tautan](https://x.test/a-b-c) ![gambar](img.png)", 4),
        ("Teks <!-- komentar panjang\nsekali --> akhir", 2),
        ("Sebelum\n```\nkode tidak dihitung\n```\nsesudah", 2),
        ("## Judul\n\n- satu\n- dua", 3),
        ("Teks <!-- tidak pernah ditutup tapi dihitung", 6),  # an unclosed comment is text
        ("[a](b c) [d](e f", 4),  # so is an unclosed link target
        ("<!-- x --> a <!-- b", 2),
    ],
)
def test_count_words(body: str, words: int) -> None:
    assert count_words(body) == words


@pytest.mark.parametrize("opener", ["<!--", "](", "<!-- -->](", "```\n"])
def test_counting_words_is_linear_in_unclosed_openers(opener: str) -> None:
    finishes(count_words, (opener + " kata ") * (1_000_000 // (len(opener) + 6)))
