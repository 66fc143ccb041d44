"""The installed console script and ``python -m`` in real subprocesses (pipes, not a TTY)."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import REPO

LUSHBEAT = shutil.which("lushbeat", path=os.path.dirname(sys.executable)) or shutil.which(
    "lushbeat"
)
pytestmark = pytest.mark.skipif(
    LUSHBEAT is None, reason="lushbeat is not installed (pip install -e .)"
)


def run(*args: str, cwd: Path = REPO, **kwargs: object) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k not in ("NO_COLOR", "FORCE_COLOR")}
    env["COLUMNS"] = "80"
    return subprocess.run(
        [LUSHBEAT, *args], cwd=cwd, capture_output=True, text=True, env=env, timeout=60, **kwargs
    )


def test_version() -> None:
    result = run("--version")
    assert result.returncode == 0
    assert result.stdout.startswith("lushbeat 0.")


def test_python_dash_m() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "lushbeat_cli", "--version"], capture_output=True, text=True
    )
    assert result.returncode == 0
    assert result.stdout.startswith("lushbeat ")


def test_list_examples_json_through_a_pipe() -> None:
    result = run("-C", "examples", "list", "--format", "json")
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    assert len(data) >= 25
    assert result.stderr.strip() == f"{len(data)} articles"


def test_piped_table_has_no_ansi_codes_even_with_colour_allowed() -> None:
    result = run("-C", "examples", "list")
    assert result.returncode == 0
    assert "\x1b[" not in result.stdout
    assert "\x1b[" not in result.stderr
    assert result.stdout.splitlines()[0].split()[:2] == ["date", "title"]


def test_paths_nul_separated_into_xargs() -> None:
    listing = run("-C", "examples", "list", "--format", "paths", "-0")
    assert listing.returncode == 0
    result = subprocess.run(
        ["xargs", "-0", "ls"], input=listing.stdout, cwd=REPO, capture_output=True, text=True
    )
    assert result.returncode == 0, result.stderr
    assert len(result.stdout.splitlines()) == listing.stdout.count("\0")


def test_csv_parses_with_the_csv_module() -> None:
    import csv
    import io

    result = subprocess.run(
        [LUSHBEAT, "-C", "examples", "list", "--format", "csv"], cwd=REPO, capture_output=True
    )
    rows = list(csv.DictReader(io.StringIO(result.stdout.decode("utf-8"), newline="")))
    assert len(rows) >= 25
    assert all(row["path"].endswith(".md") for row in rows)


def test_usage_error_has_no_traceback(tmp_path: Path) -> None:
    (tmp_path / "lushbeat.toml").write_text("categories = 3\n")
    result = run("list", cwd=tmp_path)
    assert result.returncode == 2
    assert result.stdout == ""
    assert "Traceback" not in result.stderr
    assert (
        result.stderr.strip()
        == "error: lushbeat.toml:1: 'categories' must be a list, not an integer"
    )


def test_debug_shows_the_traceback(tmp_path: Path) -> None:
    (tmp_path / "lushbeat.toml").write_text("categories = 3\n")
    result = run("--debug", "list", cwd=tmp_path)
    assert result.returncode == 2
    assert "Traceback" in result.stderr


def test_new_then_edit_with_command_substitution(tmp_path: Path) -> None:
    (tmp_path / "content").mkdir()
    created = run("new", "Shell friendly", "--date", "2024-01-01", cwd=tmp_path)
    assert created.returncode == 0
    path = tmp_path / created.stdout.strip()
    assert path.is_file()
    assert created.stdout.strip() == "content/2024/01/shell-friendly.md"


def test_concurrent_commands_share_the_index(tmp_path: Path) -> None:
    """Parallel hooks: several processes building and reading one index at once."""
    content = tmp_path / "content"
    for number in range(300):
        folder = content / f"{number % 7}"
        folder.mkdir(parents=True, exist_ok=True)
        (folder / f"a{number}.md").write_text(
            f"---\ntitle: Berita {number}\n---\nPemilu dan rupiah {number}.\n", encoding="utf-8"
        )
    env = {k: v for k, v in os.environ.items() if k not in ("NO_COLOR", "FORCE_COLOR")}
    commands = [["list", "--format", "json"], ["search", "rupiah", "-n", "500", "-f", "json"]] * 3
    procs = [
        subprocess.Popen(
            [LUSHBEAT, *args], cwd=tmp_path, stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env
        )
        for args in commands
    ]
    outputs = [proc.communicate(timeout=120) for proc in procs]
    for proc, (stdout, stderr) in zip(procs, outputs, strict=True):
        assert proc.returncode == 0, stderr.decode()
        assert b"locked" not in stderr and b"Traceback" not in stderr
        assert len(json.loads(stdout)) == 300
    assert (tmp_path / ".lushbeat" / "index.sqlite").is_file()


def test_piped_search_has_no_ansi_and_no_progress_bar(tmp_path: Path) -> None:
    content = tmp_path / "content"
    content.mkdir()
    for number in range(400):  # enough for a progress bar on a terminal
        (content / f"{number}.md").write_text(f"---\ntitle: Pilpres {number}\n---\nx\n")
    result = run("search", "pilpres", "-n", "3", cwd=tmp_path)
    assert result.returncode == 0
    assert "\x1b[" not in result.stdout and "\x1b[" not in result.stderr
    assert result.stderr.strip() == "3 results"
