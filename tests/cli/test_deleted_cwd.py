"""A working directory deleted under the shell (cd into a folder, rmdir it, run lushbeat) is a
clear usage error (exit 2), never an internal FileNotFoundError; -C with an absolute folder
still works, and --version / --help need no folder at all."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.conftest import Project

GONE = (
    "error: the working directory no longer exists (was it deleted?); "
    "cd to an existing folder, or give -C DIR"
)
LUSHBEAT = shutil.which("lushbeat", path=os.path.dirname(sys.executable)) or shutil.which(
    "lushbeat"
)


@pytest.fixture
def gone(project: Project, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Project]:
    """The project, with the working directory a folder that has just been removed."""
    project.article("2024/07/alpha.md", title="Alpha story", date="2024-07-01", tags=["x"])
    doomed = tmp_path / "doomed"
    doomed.mkdir()
    monkeypatch.chdir(doomed)
    doomed.rmdir()
    yield project


COMMANDS = [
    ["list"],
    ["list", "--format", "json"],
    ["validate"],
    ["validate", "--fix"],
    ["new", "Beta"],
    ["new", "Beta", "--dry-run"],
    ["search", "alpha"],
    ["show", "alpha-story"],
    ["similar", "alpha-story"],
    ["stats"],
    ["tags"],
    ["tags", "rename", "x", "y"],
    ["export", "--format", "json"],
    ["index"],
    ["publish", "alpha-story"],
    ["import", "story.txt"],
    ["init"],
    ["-C", "relative", "list"],
    ["--config", "relative.toml", "list"],
]


@pytest.mark.parametrize("args", COMMANDS, ids=[" ".join(a) for a in COMMANDS])
def test_every_command_says_the_folder_is_gone(cli, gone: Project, args: list[str]) -> None:
    run = cli(*args)
    assert run.exit_code == 2
    assert run.stdout == ""
    assert run.stderr.splitlines() == [GONE]


@pytest.mark.parametrize("args", [["--version"], ["--help"], ["list", "--help"]])
def test_version_and_help_need_no_folder(cli, gone: Project, args: list[str]) -> None:
    run = cli(*args)
    assert run.exit_code == 0
    assert run.stdout
    assert "internal error" not in run.stderr


@pytest.mark.parametrize(
    "args",
    [
        ["list", "--format", "paths"],
        ["validate"],
        ["search", "alpha", "--format", "paths"],
        ["show", "alpha-story", "--format", "json"],
        ["similar", "alpha-story", "--format", "json"],
        ["stats"],
        ["tags"],
        ["new", "Beta", "--dry-run"],
        ["index"],
    ],
)
def test_an_absolute_root_still_works(cli, gone: Project, args: list[str]) -> None:
    run = cli("-C", str(gone.root), *args)
    assert run.exit_code == 0, run.stderr
    assert "internal error" not in run.stderr


def test_findings_show_absolute_paths_without_a_working_directory(cli, gone: Project) -> None:
    gone.write("bad.md", "no front matter\n")
    run = cli("-C", str(gone.root), "validate")
    assert run.exit_code == 1
    assert run.stdout.startswith(f"{gone.content / 'bad.md'}:1:1: LB101 ")


def run_in_deleted_folder(folder: Path, *args: str) -> subprocess.CompletedProcess[str]:
    """The console script started from ``folder`` just after the shell removed it."""
    folder.mkdir()
    script = 'cd "$1" && rmdir "$1" && shift && exec "$@"'
    return subprocess.run(
        ["sh", "-c", script, "sh", str(folder), str(LUSHBEAT), *args],
        capture_output=True,
        text=True,
        timeout=60,
    )


@pytest.mark.skipif(LUSHBEAT is None or os.name == "nt", reason="needs the console script")
@pytest.mark.parametrize(
    "args",
    [["list"], ["search", "alpha"], ["validate"], ["index"], ["new", "Beta"], ["stats"]],
)
def test_the_console_script_and_its_fast_path(project: Project, args: list[str]) -> None:
    """The fast path (no typer, stderr not a terminal) gives the same line."""
    result = run_in_deleted_folder(project.root / "doomed", *args)
    assert result.returncode == 2, result.stderr
    assert result.stdout == ""
    assert result.stderr.splitlines() == [GONE]


@pytest.mark.skipif(LUSHBEAT is None or os.name == "nt", reason="needs the console script")
def test_the_console_script_version(project: Project) -> None:
    result = run_in_deleted_folder(project.root / "doomed", "--version")
    assert result.returncode == 0
    assert result.stdout.startswith("lushbeat ")
    assert result.stderr == ""
