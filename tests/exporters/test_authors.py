"""Authors' display names from a site's authors file, in each generator's convention.

None of the shared corpora ships its authors files (digitalgov's articles name authors by key,
``authors: [jeremy-zilar]``, but its ``content/authors/`` is not part of the copy), so these
are small fixtures written as each generator documents them.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from lushbeat_cli.exporters.authors import load_author_names


def write(root: Path, relative: str, text: str) -> None:
    path = root / relative
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")


@pytest.mark.parametrize(
    ("relative", "text"),
    [
        # Hugo: the author's term page, as digital.gov keeps them
        (
            "content/authors/jeremy-zilar/_index.md",
            '---\ndisplay_name: "Jeremy Zilar"\nfirst_name: "Jeremy"\nslug: jeremy-zilar\n---\n',
        ),
        # Hugo data files: one mapping, or one file per author (YAML, TOML, JSON)
        ("data/authors.yaml", "jeremy-zilar:\n  name: Jeremy Zilar\n"),
        ("data/authors.toml", '[jeremy-zilar]\nname = "Jeremy Zilar"\n'),
        ("data/authors/jeremy-zilar.yml", "first_name: Jeremy\nlast_name: Zilar\n"),
        ("data/authors/jeremy-zilar.json", '{"full_name": "Jeremy Zilar"}'),
        # Jekyll / Eleventy
        ("_data/authors.yml", "jeremy-zilar: Jeremy Zilar\n"),
        ("content/_data/authors.json", '[{"slug": "jeremy-zilar", "name": "Jeremy Zilar"}]'),
        ("_authors/jeremy-zilar.md", "---\nname: Jeremy Zilar\n---\nBio.\n"),
    ],
)
def test_each_convention_gives_the_display_name(tmp_path: Path, relative: str, text: str) -> None:
    write(tmp_path, relative, text)
    names = load_author_names(tmp_path, tmp_path / "content")
    assert names.display(["jeremy-zilar", "Jeremy-Zilar", "Someone Else"]) == [
        "Jeremy Zilar",
        "Jeremy Zilar",
        "Someone Else",
    ]
    assert not names.problems


def test_no_authors_file_shows_names_as_written(tmp_path: Path) -> None:
    (tmp_path / "content").mkdir()
    names = load_author_names(tmp_path, tmp_path / "content")
    assert names.display(["nadia-putri"]) == ["nadia-putri"]
    assert names.files == [] and names.problems == []


@pytest.mark.parametrize(
    ("relative", "content", "reason"),
    [
        ("data/authors.yaml", "a: [unclosed\n", "line"),
        ("data/authors.json", "{not json", "not read"),
        ("data/authors.toml", "= broken", "not read"),
        ("data/authors.yaml", b"name: \xff\n", "not read"),
        ("content/authors/x/_index.md", "no front matter\n", "not read"),
    ],
)
def test_an_unreadable_authors_file_is_a_note_not_a_failure(
    tmp_path: Path, relative: str, content: str | bytes, reason: str
) -> None:
    path = tmp_path / relative
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(content if isinstance(content, bytes) else content.encode())
    write(tmp_path, "data/authors/ok.yaml", "name: Okay Name\n")
    names = load_author_names(tmp_path, tmp_path / "content")
    (problem,) = names.problems
    assert problem.startswith(f"authors file {relative} ")
    assert reason in problem
    assert problem.endswith("bylines show its names as written")
    assert names.display(["ok"]) == ["Okay Name"]  # the readable ones still count
