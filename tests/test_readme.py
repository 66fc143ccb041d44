"""The README and the docs stay honest: the Quickstart matches .ci/run, and every
`lushbeat -C examples ...` line of their sh blocks runs."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import EXAMPLES, REPO

README = (REPO / "README.md").read_text(encoding="utf-8")
DOCS = sorted((REPO / "docs").rglob("*.md"))


def sh_blocks(text: str) -> list[str]:
    return re.findall(r"```sh\n(.*?)```", text, flags=re.S)


def quickstart_commands() -> list[str]:
    section = README.split("## Quickstart", 1)[1].split("\n## ", 1)[0]
    return [block.strip() for block in sh_blocks(section)]


def test_quickstart_has_exactly_two_commands_and_ci_runs_the_second() -> None:
    commands = quickstart_commands()
    assert len(commands) == 2
    assert all("\n" not in command for command in commands)
    assert "lushbeat -C examples" in commands[0]
    ci = (REPO / ".ci" / "run").read_text(encoding="utf-8")
    assert commands[1] in ci.splitlines()


def example_commands() -> list[str]:
    """Each example line once, from the README, then the docs pages."""
    texts = [README, *(page.read_text(encoding="utf-8") for page in DOCS)]
    lines: dict[str, None] = {}
    for text in texts:
        for block in sh_blocks(text):
            for line in block.splitlines():
                if line.startswith("lushbeat -C examples "):
                    lines[line] = None
    return list(lines)


def test_the_docs_examples_are_found() -> None:
    # A renamed folder or a changed fence would silently leave the docs' examples unrun.
    assert DOCS, "no docs/**/*.md"
    commands = example_commands()
    for name in ("list", "validate", "search", "similar", "export", "tags rename"):
        assert any(c.startswith(f"lushbeat -C examples {name} ") for c in commands), name


@pytest.mark.parametrize("command", example_commands())
def test_example_runs(command: str, tmp_path: Path) -> None:
    lushbeat_dir = os.path.dirname(
        shutil.which("lushbeat", path=os.path.dirname(sys.executable))
        or shutil.which("lushbeat")
        or ""
    )
    if not lushbeat_dir:
        pytest.skip("lushbeat is not installed")
    shutil.copytree(EXAMPLES, tmp_path / "examples")
    env = dict(os.environ, PATH=lushbeat_dir + os.pathsep + os.environ["PATH"])
    result = subprocess.run(
        ["bash", "-o", "pipefail", "-c", command],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
    )
    assert result.returncode == 0, f"{command}\n{result.stderr}"
    assert "Traceback" not in result.stderr
