"""render/diff.py, the one renderer of every --diff: the patch `diff -u` and `git diff` print."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from lushbeat_cli.core.edit import FileEdit
from lushbeat_cli.render.diff import unified_diff

GNU_DIFF = shutil.which("diff")


def patch(old: str, new: str, target: str | None = None) -> str:
    return unified_diff(FileEdit(Path("x.md"), old, new, Path(target) if target else None))


def gnu_hunks(tmp_path: Path, old: str, new: str) -> str:
    """What `diff -u` prints after its two header lines (they hold file times)."""
    (tmp_path / "old").write_bytes(old.encode("utf-8"))
    (tmp_path / "new").write_bytes(new.encode("utf-8"))
    assert GNU_DIFF is not None
    done = subprocess.run(
        [GNU_DIFF, "-u", "old", "new"], cwd=tmp_path, capture_output=True, check=False
    )
    assert done.returncode == 1, done.stderr
    return done.stdout.decode("utf-8").split("\n", 2)[2]


def test_a_last_line_without_newline_is_marked_as_git_marks_it() -> None:
    old = "---\ntitle: A\nstatus: draft\n---\nBody."
    assert patch(old, old.replace("draft", "published")) == (
        "--- a/x.md\n"
        "+++ b/x.md\n"
        "@@ -1,5 +1,5 @@\n"
        " ---\n"
        " title: A\n"
        "-status: draft\n"
        "+status: published\n"
        " ---\n"
        " Body.\n"
        "\\ No newline at end of file\n"
    )
    assert patch("a\nb", "a\nb\n") == (
        "--- a/x.md\n+++ b/x.md\n@@ -1,2 +1,2 @@\n a\n-b\n\\ No newline at end of file\n+b\n"
    )


def test_lines_end_at_line_feeds_only() -> None:
    # str.splitlines would cut these lines at the form feed and the line separator, and the
    # patch would not apply to the file.
    old = "a\x0cb\nc\u2028d\ne\n"
    assert patch(old, old.replace("e", "E")) == (
        "--- a/x.md\n+++ b/x.md\n@@ -1,3 +1,3 @@\n a\x0cb\n c\u2028d\n-e\n+E\n"
    )


def test_a_move_without_a_change_is_a_rename_and_no_change_is_nothing() -> None:
    assert patch("a\n", "a\n", "y.md") == "rename from x.md\nrename to y.md\n"
    assert patch("a\n", "b\n", "y.md").startswith("--- a/x.md\n+++ b/y.md\n@@ ")
    assert patch("a\n", "a\n") == ""


@pytest.mark.skipif(GNU_DIFF is None, reason="needs diff(1)")
@pytest.mark.parametrize(
    ("old", "new"),
    [
        ("a\nb\nc", "a\nB\nc"),  # neither ends with a newline
        ("a\nb\nc", "a\nb\nc\n"),  # a newline added at the end
        ("a\nb\nc\n", "a\nb\nc"),  # and removed
        ("1\n2\n3\n4\n5\n6\n7\n8\n9", "0\n1\n2\n3\n4\n5\n6\n7\n8\n9"),  # last line far off
        ("x\r\ny\r\nz", "x\r\nY\r\nz"),
        ("a\x0cb\nc\u2028d\ne", "a\x0cb\nc\u2028d\nE"),
        ("", "a"),
    ],
)
def test_the_hunks_are_what_diff_u_prints(tmp_path: Path, old: str, new: str) -> None:
    ours = patch(old, new)
    assert ours.startswith("--- a/x.md\n+++ b/x.md\n")
    assert ours.split("\n", 2)[2] == gnu_hunks(tmp_path, old, new)
