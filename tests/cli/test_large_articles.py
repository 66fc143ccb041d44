"""One huge article of each hostile shape (2-4 MB: one enormous title, one word repeated, 90,000
tags, thousands of links, one line, deep nesting, 90,000 front-matter keys...): the commands
whose work depends on that shape finish, with a clear exit status and no internal error.

Each command runs in its own process with a generous limit (LIMIT): the code this replaced
took minutes to hours on these files, the current code a few seconds. A blow-up detector, not
a speed goal.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.limits import LIMIT

pytestmark = pytest.mark.slow

MB = 1_000_000
WORDS = ("harga", "cabai", "pasar", "induk", "naik", "tajam", "minggu", "pedagang", "sepi")


def words(count: int) -> str:
    return " ".join(WORDS[number % len(WORDS)] for number in range(count))


def article(body: str = "Isi.\n", title: str = "Judul", **fields: object) -> str:
    fields = {"title": title, "date": "2024-05-01", "tags": ["cabai"], **fields}
    lines = [f"{key}: {json.dumps(value)}" for key, value in fields.items()]
    return "---\n" + "\n".join(lines) + "\n---\n" + body


def json_keys() -> str:
    value = "nilai panjang " * 2
    keys = {"title": "Kunci", "date": "2024-05-01", **{f"k{n}": value for n in range(90_000)}}
    return json.dumps(keys, indent=1) + "\nIsi.\n"


# name -> (files of the content dir, commands to run)
SHAPES: dict[str, tuple[Callable[[], dict[str, str]], list[tuple[str, ...]]]] = {
    "one huge title, twice": (
        lambda: {"a.md": article(title=words(MB // 3)), "b.md": article(title=words(MB // 3))},
        [("validate",), ("similar", "content/a.md", "--include-newer"), ("show", "b")],
    ),
    "one word repeated, matching the query": (
        lambda: {"huge.md": article("cabai " * (4 * MB // 6))},
        [("search", "cabai"), ("search", '"cabai cabai"'), ("search", "cab*"), ("stats",)],
    ),
    "many headings": (
        lambda: {
            "huge.md": article("".join(f"## Bab {n} cabai\n\nisi\n\n" for n in range(MB // 10)))
        },
        [("search", "cabai"), ("show", "content/huge.md"), ("stats",)],
    ),
    "one line": (
        lambda: {"huge.md": article("harga cabai naik " * (4 * MB // 17))},
        [("search", "cabai harga"), ("stats",), ("similar", "content/huge.md")],
    ),
    "90,000 tags": (
        lambda: {"huge.md": article(tags=[f"tag-name-number-{n:06d}" for n in range(90_000)])},
        [("validate",), ("tags", "--similar"), ("tags",), ("stats",), ("similar", "content/n1.md")],
    ),
    "90,000 duplicate tags": (
        lambda: {"huge.md": article(tags=["cabai"] * 90_000)},
        [("validate",), ("tags",)],
    ),
    "90,000 unknown related": (
        lambda: {"huge.md": article(related=[f"nothing-here-{n:06d}" for n in range(90_000)])},
        [("validate",)],
    ),
    "thousands of links": (
        lambda: {
            "huge.md": article(
                "".join(
                    f"Baca juga: [cabai {n}](../missing-{n}.md) [web](https://e.test/{n})\n"
                    for n in range(MB // 60)
                )
            )
        },
        [("validate",), ("export", "--format", "json", "--html")],
    ),
    "openers never closed": (
        lambda: {"huge.md": article("<!-- ``` {{< {% ]( [\\ [a](<" * (2 * MB // 30))},
        [("stats",), ("validate",), ("similar", "content/huge.md"), ("search", "cabai")],
    ),
    "deep nesting": (
        lambda: {
            "huge.md": article(
                "> " * (MB // 8) + "x\n\n" + "[" * (MB // 8) + "\n\n" + "*_" * (MB // 8) + "\n"
            )
        },
        [("show", "content/huge.md"), ("export", "--format", "json", "--html"), ("stats",)],
    ),
    "90,000 front-matter keys": (
        lambda: {"huge.md": json_keys()},
        [("validate",), ("show", "content/huge.md"), ("list", "--where", "k5=5")],
    ),
    "a line of a million blanks in the front matter": (
        lambda: {"huge.md": f"---\ntitle: T\nsummary: a{' ' * (2 * MB)}b\nnote: x \n---\nIsi.\n"},
        [("validate",), ("list",)],
    ),
}


def run(root: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ, NO_COLOR="1", COLUMNS="120", LUSHBEAT_NOW="2026-11-26T12:00:00+00:00")
    try:
        return subprocess.run(
            [sys.executable, "-m", "lushbeat_cli", *args],
            cwd=root,
            env=env,
            capture_output=True,
            text=True,
            errors="replace",
            timeout=LIMIT,
        )
    except subprocess.TimeoutExpired:
        pytest.fail(f"lushbeat {' '.join(args)[:60]} still running after {LIMIT:.0f} s")


@pytest.mark.parametrize("shape", SHAPES)
def test_one_huge_article_costs_linear_time(tmp_path: Path, shape: str) -> None:
    make, commands = SHAPES[shape]
    content = tmp_path / "content"
    content.mkdir()
    (tmp_path / "lushbeat.toml").write_text('content_dir = "content"\n', encoding="utf-8")
    for number in range(3):
        text = article(words(200), title=f"Harga cabai naik {number}", category="ekonomi")
        (content / f"n{number}.md").write_text(text, encoding="utf-8")
    for name, text in make().items():
        (content / name).write_text(text, encoding="utf-8")
    for args in commands:
        result = run(tmp_path, *args)
        assert result.returncode in (0, 1), (args, result.stderr[-500:])
        assert "internal error" not in result.stderr, (args, result.stderr[-500:])
