"""`lushbeat tags`: listing in three formats, --similar, rename and merge in place."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest

from lushbeat_cli.core.reading.frontmatter import parse_bytes
from tests.conftest import Project
from tests.edit_checks import assert_only_keys_changed

FLOW = """---
# comment above
title: "Pilpres: Venezuela"   # a comment
tags: [venezuela, Venezuella, pemilu]
date: 2024-07-29
---

Body mentions Venezuella and tags: [not, front, matter].
"""
BLOCK = """---
title: Block Style
tags:
  - 'Venezuela'
  - rusia   # keep me
  - venezuela
summary: x
---
Body.
"""
COMMA = """---
title: Comma Style
tags: pemilu, Venezuella
---
Body.
"""
TOML = """+++
title = "TOML Style"
tags = ["Venezuella", "minyak"]

[extra]
tags = ["not", "these"]
+++
Body.
"""
JSON = """{
  "title": "JSON Style",
  "tags": ["minyak", "Venezuella"],
  "date": "2024-01-01"
}
Body.
"""
KEYWORDS = """---
title: Keywords Style
keywords: [Venezuella]
---
"""


@pytest.fixture
def tagged(project: Project) -> Project:
    for name, text in [
        ("flow.md", FLOW),
        ("block.md", BLOCK),
        ("comma.md", COMMA),
        ("toml.md", TOML),
        ("json.md", JSON),
        ("keywords.md", KEYWORDS),
        ("none.md", "---\ntitle: No Tags\n---\n"),
    ]:
        project.write(name, text, dedent=False)
    return project


def meta(path: Path) -> dict:
    return parse_bytes(path.read_bytes(), path).metadata


def snapshot(project: Project) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(project.content.rglob("*.md"))}


def test_list_json(cli, tagged) -> None:
    run = cli("tags", "--format", "json")
    assert run.exit_code == 0, run.stderr
    assert run.json() == [
        {"tag": "Venezuella", "count": 5},
        {"tag": "minyak", "count": 2},
        {"tag": "pemilu", "count": 2},
        {"tag": "venezuela", "count": 2},
        {"tag": "rusia", "count": 1},
        {"tag": "Venezuela", "count": 1},
    ]
    assert run.stderr.strip() == "6 tags"


def test_list_csv_and_table_and_sort(cli, tagged) -> None:
    run = cli("tags", "--format", "csv", "--sort", "name")
    rows = list(csv.DictReader(io.StringIO(run.stdout, newline="")))
    assert [(r["tag"], r["count"]) for r in rows] == [
        ("minyak", "2"),
        ("pemilu", "2"),
        ("rusia", "1"),
        ("Venezuela", "1"),
        ("venezuela", "2"),
        ("Venezuella", "5"),
    ]
    table = cli("tags").stdout.splitlines()
    assert table[0].split() == ["tag", "count"]
    assert table[1].split() == ["Venezuella", "5"]
    assert "\x1b[" not in "".join(table)


def test_similar_groups_with_a_suggested_fix(cli, tagged) -> None:
    run = cli("tags", "--similar", "--format", "json")
    assert run.exit_code == 0, run.stderr
    assert run.json() == [
        {
            "canonical": "Venezuella",
            "count": 8,
            "variants": [
                {"tag": "Venezuella", "count": 5},
                {"tag": "venezuela", "count": 2},
                {"tag": "Venezuela", "count": 1},
            ],
        }
    ]
    assert "lushbeat tags merge venezuela Venezuela --into Venezuella" in run.stderr
    assert "1 group of similar tags" in run.stderr
    rows = list(csv.reader(io.StringIO(cli("tags", "--similar", "-f", "csv").stdout)))
    assert rows[0] == ["canonical", "tag", "count"]
    assert len(rows) == 4
    table = cli("tags", "--similar").stdout.splitlines()
    assert table[1].split(None, 2)[:2] == ["Venezuella", "8"]


def test_no_similar_groups_prints_an_empty_result(cli, project) -> None:
    project.article("a.md", title="A", tags=["satu", "dua"])
    run = cli("tags", "--similar", "--format", "json")
    assert run.json() == []
    assert cli("tags", "--similar").stdout == ""


def test_merge_rewrites_only_the_tags_key_in_every_format(cli, tagged) -> None:
    before = snapshot(tagged)
    run = cli("tags", "merge", "Venezuella", "Venezuela", "--into", "venezuela")
    assert run.exit_code == 0, run.stderr
    assert sorted(run.stdout.split()) == [
        "content/block.md",
        "content/comma.md",
        "content/flow.md",
        "content/json.md",
        "content/keywords.md",
        "content/toml.md",
    ]
    assert "changed 'Venezuella', 'Venezuela' to 'venezuela' in 6 articles" in run.stderr
    after = snapshot(tagged)
    assert after["none.md"] == before["none.md"]
    for name in ("flow.md", "block.md", "comma.md", "json.md"):
        assert_only_keys_changed(before[name], after[name], ("tags",))
    assert after["flow.md"] == before["flow.md"].replace(
        b"tags: [venezuela, Venezuella, pemilu]", b"tags: [venezuela, pemilu]"
    )
    # A block list is edited item by item: the renamed item keeps its line and quotes, the
    # duplicate loses its line, the untouched item keeps its comment.
    assert after["block.md"] == (
        b"---\ntitle: Block Style\ntags:\n  - 'venezuela'\n  - rusia   # keep me\n"
        b"summary: x\n---\nBody.\n"
    )
    assert after["comma.md"] == before["comma.md"].replace(
        b"tags: pemilu, Venezuella", b"tags: pemilu, venezuela"
    )
    assert after["toml.md"] == before["toml.md"].replace(
        b'tags = ["Venezuella", "minyak"]', b'tags = ["venezuela", "minyak"]'
    )
    assert meta(tagged.content / "toml.md")["extra"]["tags"] == ["not", "these"]
    assert after["json.md"] == before["json.md"].replace(b'"Venezuella"]', b'"venezuela"]')
    assert after["keywords.md"] == before["keywords.md"].replace(b"Venezuella", b"venezuela")
    listed = cli("tags", "--format", "json").json()
    assert {"tag": "venezuela", "count": 6} in listed
    assert not [item for item in listed if item["tag"] in ("Venezuella", "Venezuela")]


def test_a_second_run_is_an_unknown_tag_and_changes_nothing(cli, tagged) -> None:
    assert cli("tags", "rename", "Venezuella", "venezuela").exit_code == 0
    before = snapshot(tagged)
    run = cli("tags", "rename", "Venezuella", "venezuela")
    assert run.exit_code == 2
    assert "unknown tag: 'Venezuella' (did you mean 'venezuela'?)" in run.stderr
    assert snapshot(tagged) == before


def test_rename_keeps_order_and_removes_the_duplicate(cli, tagged) -> None:
    run = cli("tags", "rename", "Venezuela", "rusia")
    assert run.exit_code == 0, run.stderr
    assert run.stdout == "content/block.md\n"
    assert meta(tagged.content / "block.md")["tags"] == ["rusia", "venezuela"]


def test_diff_and_dry_run_write_nothing(cli, tagged) -> None:
    before = snapshot(tagged)
    run = cli("tags", "rename", "pemilu", "pemilihan", "--diff")
    assert run.exit_code == 0, run.stderr
    assert snapshot(tagged) == before
    changed = [line for line in run.stdout.splitlines() if line[:1] in "+-"]
    assert changed == [
        "--- a/content/comma.md",
        "+++ b/content/comma.md",
        "-tags: pemilu, Venezuella",
        "+tags: pemilihan, Venezuella",
        "--- a/content/flow.md",
        "+++ b/content/flow.md",
        "-tags: [venezuela, Venezuella, pemilu]",
        "+tags: [venezuela, Venezuella, pemilihan]",
    ]
    run = cli("tags", "merge", "pemilu", "minyak", "--into", "x", "--dry-run")
    assert run.exit_code == 0
    assert run.stdout.split() == [
        "content/comma.md",
        "content/flow.md",
        "content/json.md",
        "content/toml.md",
    ]
    assert "would change 'pemilu', 'minyak' to 'x' in 4 articles" in run.stderr
    assert snapshot(tagged) == before


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["rename", "nope", "x"], "unknown tag: 'nope'"),
        (["rename", "rusia", ""], "must not be empty"),
        (["rename", "rusia", "a,b"], "cannot contain a comma"),
        (["merge", "rusia", "nope", "--into", "x"], "unknown tag: 'nope'"),
    ],
)
def test_refusals_write_nothing(cli, tagged, args: list[str], message: str) -> None:
    before = snapshot(tagged)
    run = cli("tags", *args)
    assert run.exit_code == 2
    assert message in run.stderr
    assert run.stdout == ""
    assert snapshot(tagged) == before


def test_merge_needs_into(cli, tagged) -> None:
    run = cli("tags", "merge", "rusia")
    assert run.exit_code == 2
    assert "--into" in run.stderr


def test_renaming_to_itself_does_nothing(cli, tagged) -> None:
    before = snapshot(tagged)
    run = cli("tags", "rename", "rusia", "rusia")
    assert run.exit_code == 0
    assert run.stdout == ""
    assert "in 0 articles" in run.stderr
    assert snapshot(tagged) == before


def test_an_article_that_cannot_be_edited_is_reported_and_the_others_change(cli, tagged) -> None:
    anchored = tagged.write("anchored.md", "---\ntitle: A\nx: &t [rusia]\ntags: *t\n---\n")
    before = anchored.read_bytes()
    run = cli("tags", "rename", "rusia", "russia")
    assert run.exit_code == 1
    assert "content/anchored.md" in run.stderr and "cannot edit 'tags' in place" in run.stderr
    assert run.stdout == "content/block.md\n"
    assert anchored.read_bytes() == before


def test_unreadable_files_are_reported_and_exit_1(cli, tagged) -> None:
    tagged.write("broken.md", "---\ntags: [a\n---\n")
    run = cli("tags", "--format", "json")
    assert run.exit_code == 1
    assert "content/broken.md:" in run.stderr
    assert len(run.json()) == 6


@pytest.mark.parametrize(
    ("line", "command", "expected"),
    [
        ('tags: [alpha, "beta"]', ["rename", "alpha", "omega"], 'tags: [omega, "beta"]'),
        ('tags: [alpha, "beta"]', ["rename", "beta", "omega"], 'tags: [alpha, "omega"]'),
        ("tags: ['alpha', beta]", ["rename", "alpha", "omega"], "tags: ['omega', beta]"),
        (
            'tags: [alpha, "beta", gamma]',
            ["merge", "alpha", "gamma", "--into", "beta"],
            'tags: ["beta"]',
        ),
        ("tags = [\"alpha\", 'beta']", ["rename", "alpha", "omega"], "tags = [\"omega\", 'beta']"),
        (
            '"tags": ["alpha", "caf\\u00e9"]',
            ["rename", "alpha", "omega"],
            '"tags": ["omega", "caf\\u00e9"]',
        ),
    ],
)
def test_flow_lists_keep_each_items_quoting(
    cli, project: Project, line: str, command: list[str], expected: str
) -> None:
    if line.startswith("tags ="):
        text = f'+++\ntitle = "A"\n{line}\n+++\nBody.\n'
    elif line.startswith('"'):
        text = f'{{"title": "A", {line}}}\nBody.\n'
    else:
        text = f"---\ntitle: A\n{line}\n---\nBody.\n"
    path = project.write("a.md", text, dedent=False)
    run = cli("tags", *command)
    assert run.exit_code == 0, run.stderr
    assert run.stdout == "content/a.md\n"
    assert path.read_text(encoding="utf-8") == text.replace(line, expected)
