"""Writer-workflow commands through the installed console script, with real pipes."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import EXAMPLES

LUSHBEAT = shutil.which("lushbeat", path=os.path.dirname(sys.executable)) or shutil.which(
    "lushbeat"
)
pytestmark = pytest.mark.skipif(
    LUSHBEAT is None, reason="lushbeat is not installed (pip install -e .)"
)
RAW = EXAMPLES / "content/2025/01/bank-indonesia-surprises-markets-with-january-rate-cut.md"


def run(*args: str, cwd: Path) -> subprocess.CompletedProcess[bytes]:
    env = {k: v for k, v in os.environ.items() if k not in ("NO_COLOR", "FORCE_COLOR")}
    env["COLUMNS"] = "80"
    return subprocess.run(
        [LUSHBEAT, "-C", "examples", *args], cwd=cwd, capture_output=True, env=env, timeout=60
    )


@pytest.fixture
def copy(tmp_path: Path) -> Path:
    shutil.copytree(EXAMPLES, tmp_path / "examples")
    return tmp_path


def test_show_raw_is_byte_exact_through_a_pipe(copy: Path) -> None:
    result = run(
        "show", "bank-indonesia-surprises-markets-with-january-rate-cut", "--raw", cwd=copy
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout == RAW.read_bytes()


def test_piped_human_output_has_no_ansi_codes(copy: Path) -> None:
    for args in (("show", "gregoria perunggu"), ("stats",), ("tags",), ("tags", "--similar")):
        result = run(*args, cwd=copy)
        assert result.returncode == 0, (args, result.stderr)
        assert b"\x1b[" not in result.stdout + result.stderr, args


def test_machine_formats_are_one_document(copy: Path) -> None:
    stats = json.loads(run("stats", "--format", "json", cwd=copy).stdout)
    assert stats["articles"] == 38
    assert stats["status"] == {"draft": 3, "published": 34, "scheduled": 1}
    tags = json.loads(run("tags", "--format", "json", cwd=copy).stdout)
    assert sum(item["count"] for item in tags) == sum(
        item["count"] for item in stats["by_tag"] if item["key"] is not None
    )


def test_publish_then_show_in_real_processes(copy: Path) -> None:
    slug = "pbsi-rombak-tim-pelatih-pelatnas-jelang-musim-2025"
    result = run("publish", slug, "--date", "2025-02-03T08:00", "--move", cwd=copy)
    assert result.returncode == 0, result.stderr
    moved = result.stdout.decode().strip()
    assert moved == f"examples/content/2025/02/{slug}.md"
    shown = json.loads(run("show", slug, "--format", "json", cwd=copy).stdout)
    assert (shown["path"], shown["status"]) == (moved, "published")
    assert shown["date"] == "2025-02-03T08:00:00+07:00"
