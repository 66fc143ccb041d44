"""`validate --stdin-filename PATH -`: an editor's unsaved buffer, checked as if it were PATH."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.conftest import Project, Run

SCRIPT = Path(sys.executable).with_name("lushbeat")
SAVED = "---\ntitle: Rupiah menguat\nslug: rupiah\ndate: 2024-07-29\n---\n\nBody.\n"
PATH = "content/2024/07/rupiah.md"


@pytest.fixture
def news(project: Project) -> Project:
    project.write("2024/07/rupiah.md", SAVED)
    project.write(
        "2024/07/bursa.md", SAVED.replace("Rupiah menguat", "Bursa").replace("rupiah", "bursa")
    )
    return project


def test_findings_name_the_path_not_stdin(cli: Callable[..., Run], news: Project) -> None:
    buffer = SAVED.replace("title:", "tittle:")
    run = cli("validate", "--stdin-filename", PATH, "-", input=buffer)
    assert run.exit_code == 1
    lines = run.stdout.splitlines()
    assert lines[0].startswith(f"{PATH}:1:1: LB202 missing required field 'title'")
    assert all(line.startswith(f"{PATH}:") for line in lines)
    assert (news.content / "2024/07/rupiah.md").read_text() == SAVED  # the file is untouched
    assert cli("validate", PATH).exit_code == 0  # the saved file is fine


def test_the_buffer_replaces_the_saved_file_in_collection_rules(
    cli: Callable[..., Run], news: Project
) -> None:
    # The saved file itself is no duplicate of the buffer: no LB401 against itself.
    same = cli("validate", "--stdin-filename", PATH, "-", "--format", "json", input=SAVED)
    assert same.exit_code == 0, same.stdout
    assert same.json()["findings"] == []
    # An unsaved new file whose slug another article has is compared with the archive.
    other = "content/2024/07/baru.md"
    run = cli("validate", "--stdin-filename", other, "--format", "json", input=SAVED)
    codes = {(f["path"], f["code"]) for f in run.json()["findings"]}
    assert (other, "LB401") in codes


def test_broken_text_is_a_finding_at_the_path(cli: Callable[..., Run], news: Project) -> None:
    draft = "content/draft.md"
    run = cli("validate", "--stdin-filename", draft, "-", input="---\ntitle: X\n")
    assert run.exit_code == 1
    assert run.stdout.startswith("content/draft.md:1:1: LB102 ")
    binary = cli("validate", "--stdin-filename", draft, "-", input="\0\0")
    assert binary.exit_code == 1 and "LB110" in binary.stdout


def test_a_buffer_that_is_no_article_is_skipped(cli: Callable[..., Run], news: Project) -> None:
    """An editor checks every Markdown buffer: a README.md is no article of the collection."""
    for name in ("README.md", "content/README.md", "notes.md"):
        run = cli("validate", "--stdin-filename", name, "-", input="# Notes\n")
        assert (run.exit_code, run.stdout) == (0, ""), name
        assert "is no article of the collection" in run.stderr


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("--stdin-filename", PATH, "other.md"), "give - (or no PATH)"),
        (("--stdin-filename", PATH, "-", "--fix"), "--fix and --diff need a file"),
        (("--stdin-filename", PATH, "-", "--diff"), "--fix and --diff need a file"),
        (("--stdin-filename", "", "-"), "needs the path"),
    ],
)
def test_misuse_is_a_usage_error(
    cli: Callable[..., Run], news: Project, args: tuple[str, ...], message: str
) -> None:
    run = cli("validate", *args, input=SAVED)
    assert run.exit_code == 2
    assert message in run.stderr
    assert run.stdout == ""


@pytest.mark.skipif(not SCRIPT.exists(), reason="console script not installed")
def test_an_editor_pipes_its_buffer_to_the_console_script(news: Project) -> None:
    buffer = SAVED.replace("title:", "tittle:")
    run = subprocess.run(
        [str(SCRIPT), "validate", "--stdin-filename", PATH, "-", "--format", "github"],
        cwd=news.root,
        input=buffer,
        capture_output=True,
        text=True,
    )
    assert run.returncode == 1
    assert run.stdout.startswith(f"::error file={PATH},line=1,col=1,title=LB202::")
