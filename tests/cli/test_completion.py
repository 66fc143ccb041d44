"""Shell completion, asked the way a shell asks: the installed console script with typer's
``_LUSHBEAT_COMPLETE`` protocol (bash: COMP_WORDS/COMP_CWORD; zsh: _TYPER_COMPLETE_ARGS)."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import EXAMPLES

SCRIPT = Path(sys.executable).with_name("lushbeat")
SLUG = "pilpres-venezuela-menghadirkan-pemimpin-baru-nicholas-maduro"

pytestmark = pytest.mark.skipif(not SCRIPT.exists(), reason="console script not installed")


@pytest.fixture(scope="module")
def newsroom(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("completion") / "examples"
    shutil.copytree(EXAMPLES, root)
    return root


def bash(words: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    """What bash's completion function gets for the command line ``words`` (the last word is
    the one being completed; a trailing space starts a new, empty one)."""
    count = len(words.split()) - (0 if words.endswith(" ") else 1)
    env = {k: v for k, v in os.environ.items() if not k.startswith("_LUSHBEAT")}
    env.update(_LUSHBEAT_COMPLETE="complete_bash", COMP_WORDS=words, COMP_CWORD=str(count))
    return subprocess.run(
        [str(SCRIPT)], cwd=cwd, env=env, capture_output=True, text=True, timeout=60
    )


def values(words: str, cwd: Path) -> list[str]:
    run = bash(words, cwd)
    assert run.returncode == 0, run.stderr
    assert run.stderr == ""
    return run.stdout.splitlines()


@pytest.mark.parametrize(
    ("words", "expected"),
    [
        ("lushbeat show pilpres-v", [SLUG]),
        ("lushbeat similar pilpres-v", [SLUG]),
        ("lushbeat publish pilpres-v", [SLUG]),
        ("lushbeat list --tag venez", ["venezuela"]),
        ("lushbeat search x -t venez", ["venezuela"]),
        ("lushbeat export --category ekon", ["ekonomi"]),
        ("lushbeat new Judul --category hib", ["hiburan"]),
        ("lushbeat list --author Redaksi", ["Redaksi Lush Beat"]),
        ("lushbeat new Judul --template ", ["berita", "default"]),
        ("lushbeat validate --select LB40", ["LB401", "LB402", "LB403", "LB404"]),
        (
            "lushbeat validate --ignore LB2,LB40",
            ["LB2,LB401", "LB2,LB402", "LB2,LB403", "LB2,LB404"],
        ),
        ("lushbeat validate --ignore dead", ["dead-link"]),
        ("lushbeat tags rename venez", ["venezuela"]),
        ("lushbeat list --format js", ["json", "jsonl"]),
        ("lushbeat validate --format s", ["sarif"]),
        ("lushbeat list --lang i", ["id"]),
        ("lushbeat vali", ["validate"]),
    ],
)
def test_values_come_from_the_archive(newsroom: Path, words: str, expected: list[str]) -> None:
    assert values(words, newsroom) == expected


def test_global_options_name_the_project(newsroom: Path, tmp_path: Path) -> None:
    assert values(f"lushbeat -C {newsroom} list --tag venez", tmp_path) == ["venezuela"]
    config = newsroom / "lushbeat.toml"
    assert values(f"lushbeat --config {config} show pilpres-v", tmp_path) == [SLUG]


def test_zsh_gets_titles_beside_the_slugs(newsroom: Path) -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith("_LUSHBEAT")}
    env.update(_LUSHBEAT_COMPLETE="complete_zsh", _TYPER_COMPLETE_ARGS="lushbeat show pilpres-v")
    run = subprocess.run(
        [str(SCRIPT)], cwd=newsroom, env=env, capture_output=True, text=True, timeout=60
    )
    assert run.returncode == 0
    assert SLUG in run.stdout
    assert "Pilpres Venezuela Menghadirkan Pemimpin Baru" in run.stdout


@pytest.mark.parametrize(
    "words",
    ["lushbeat list --tag ", "lushbeat show x", "lushbeat new x --template ", "lushbeat list -C "],
)
def test_no_project_completes_to_nothing_quietly(tmp_path: Path, words: str) -> None:
    (tmp_path / "lushbeat.toml").write_text("this is not toml [[[")
    run = bash(words, tmp_path)
    assert run.returncode == 0
    assert "Traceback" not in run.stderr and "error" not in run.stdout.lower()


def test_an_unreadable_file_does_not_break_completion(newsroom: Path, tmp_path: Path) -> None:
    project = tmp_path / "broken"
    shutil.copytree(newsroom, project)
    (project / "content" / "broken.md").write_bytes(b"\xff\xfe not an article")
    assert values("lushbeat list --tag venez", project) == ["venezuela"]


def test_the_completion_script_is_offered(newsroom: Path) -> None:
    run = subprocess.run(
        [str(SCRIPT), "--show-completion", "bash"],
        cwd=newsroom,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert run.returncode == 0, run.stderr
    assert "_LUSHBEAT_COMPLETE=complete_bash" in run.stdout
    assert "complete " in run.stdout and "lushbeat" in run.stdout
