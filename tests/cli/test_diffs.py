"""Every --diff (validate, publish, tags, similar) prints the patch of the change the same
command then makes: the one `diff -u` / `git diff` would print, a last line without a newline
included."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from tests.conftest import Project

NAME = "content/2024/07/venezuela.md"
# No newline at the end, and every change near the end, so that the last line is in the patch.
TEXT = (
    "---\n"
    "title: Venezuela votes\n"
    "date: 2024-07-29\n"
    "lang: en\n"
    "tags: [pemilu, venezuela]  \n"  # trailing blanks: validate --fix trims them
    "status: draft\n"
    "---\n"
    "Maduro wins the disputed Venezuela election; the opposition in Caracas doubts it."
)
COMMANDS = {
    "validate": (("validate", "--diff", NAME), ("validate", "--fix", NAME)),
    "publish": (("publish", "venezuela", "--diff"), ("publish", "venezuela")),
    "tags": (
        ("tags", "rename", "pemilu", "pemilihan", "--diff"),
        ("tags", "rename", "pemilu", "pemilihan"),
    ),
    "similar": (("similar", "venezuela", "--diff"), ("similar", "venezuela", "--write")),
}


@pytest.fixture
def news(project: Project) -> Project:
    project.write("2024/07/venezuela.md", TEXT, dedent=False)
    project.article(
        "2024/06/maduro.md",
        title="Maduro claims victory",
        date="2024-06-20",
        lang="en",
        tags=["venezuela"],
        body="Maduro claims victory in the Venezuela election; Caracas protests.\n",
    )
    return project


def expected_patch(tmp_path: Path, old: bytes, new: bytes) -> str:
    """`diff -u`'s hunks under git's header lines (`diff -u`'s own hold file times)."""
    tmp_path.mkdir()
    (tmp_path / "old").write_bytes(old)
    (tmp_path / "new").write_bytes(new)
    diff = shutil.which("diff")
    if diff is None:
        pytest.skip("needs diff(1)")
    done = subprocess.run([diff, "-u", "old", "new"], cwd=tmp_path, capture_output=True)
    hunks = done.stdout.decode("utf-8").split("\n", 2)[2]
    return f"--- a/{NAME}\n+++ b/{NAME}\n{hunks}"


@pytest.mark.parametrize("command", COMMANDS)
def test_every_diff_is_the_patch_of_the_change(
    cli, news: Project, tmp_path: Path, command: str
) -> None:
    preview, write = COMMANDS[command]
    path = news.root / NAME
    before = path.read_bytes()
    shown = cli(*preview)
    assert path.read_bytes() == before, "--diff wrote the file"
    assert shown.stdout.endswith("\\ No newline at end of file\n"), shown.stdout
    done = cli(*write)
    assert done.exit_code == 0, done.stderr
    after = path.read_bytes()
    assert after != before
    assert shown.stdout == expected_patch(tmp_path / "diff", before, after)


def test_the_fixed_file_and_the_published_one_show_the_same_kind_of_patch(cli, news) -> None:
    fix = cli("validate", "--diff", NAME).stdout.splitlines()
    publish = cli("publish", "venezuela", "--diff").stdout.splitlines()
    assert fix[:2] == publish[:2] == [f"--- a/{NAME}", f"+++ b/{NAME}"]
    last = " Maduro wins the disputed Venezuela election; the opposition in Caracas doubts it."
    assert fix[-2:] == publish[-2:] == [last, "\\ No newline at end of file"]
