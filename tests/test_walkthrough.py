"""The README's "A day with lushbeat" runs, in order, against a temporary copy of examples/."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from lushbeat_cli.core.reading.frontmatter import parse_bytes
from tests.conftest import EXAMPLES, REPO

README = (REPO / "README.md").read_text(encoding="utf-8")
LUSHBEAT_DIR = os.path.dirname(
    shutil.which("lushbeat", path=os.path.dirname(sys.executable)) or shutil.which("lushbeat") or ""
)


def walkthrough() -> str:
    section = README.split("## A day with lushbeat", 1)[1].split("\n## ", 1)[0]
    blocks = re.findall(r"```sh\n(.*?)```", section, flags=re.S)
    assert len(blocks) == 1, "the walkthrough is one sh block"
    return blocks[0]


def test_the_walkthrough_is_a_real_sequence() -> None:
    lines = [line for line in walkthrough().splitlines() if line.strip()]
    assert lines[0] == "cd examples"
    assert len(lines) >= 6
    # Not also run line by line by test_readme.py (each line there gets a fresh copy).
    assert not any(line.startswith("lushbeat -C examples ") for line in lines)


@pytest.mark.skipif(not LUSHBEAT_DIR, reason="lushbeat is not installed")
def test_the_walkthrough_runs_against_a_copy_of_the_examples(tmp_path: Path) -> None:
    shutil.copytree(EXAMPLES, tmp_path / "examples")
    env = {k: v for k, v in os.environ.items() if k not in ("VISUAL", "EDITOR")}
    env["PATH"] = LUSHBEAT_DIR + os.pathsep + env["PATH"]
    script = "set -euo pipefail\n" + walkthrough()
    result = subprocess.run(
        ["bash", "-c", script],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        env=env,
        timeout=300,
    )
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr

    # Each step left its mark on the copy.
    content = tmp_path / "examples" / "content"
    imported = (
        content / "2025/02/harga-cabai-di-pasar-induk-jakarta-naik-dua-kali-lipat-jelang-ramadan.md"
    )
    meta = parse_bytes(imported.read_bytes(), imported).metadata
    assert meta["status"] == "draft"  # the --diff preview wrote nothing
    created = next(content.rglob("rupiah-menguat-ke-level-terkuat-tahun-ini.md"))
    meta = parse_bytes(created.read_bytes(), created).metadata
    assert meta["status"] == "published"
    assert meta["tags"] == ["rupiah", "nilai-tukar"]
    listed = subprocess.run(
        ["lushbeat", "-C", "examples", "tags", "--similar", "--format", "json"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        env=env,
        check=True,
    )
    assert json.loads(listed.stdout) == []
    # The evening steps: the whole newsroom validates, and the site was built.
    site = tmp_path / "site"
    assert (site / "index.html").is_file()
    assert (site / ".lushbeat-export").exists()
    # The story published straight from the template is caught, by publish and by validate.
    rupiah = created.relative_to(tmp_path / "examples").as_posix()
    assert f"{rupiah}:" in result.stderr and "(LB312; publishing it anyway)" in result.stderr
    unfinished = [line for line in result.stdout.splitlines() if " LB312 " in line]
    assert unfinished and all(line.startswith(rupiah + ":") for line in unfinished)
    assert "## Similar Posts" in result.stdout  # similar --format markdown
    assert "harga-cabai-di-pasar-induk-jakarta" in result.stdout  # search found the import
