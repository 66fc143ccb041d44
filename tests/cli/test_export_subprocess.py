"""`lushbeat export` through the installed console script: pipes, a terminal, the examples."""

from __future__ import annotations

import json
import os
import pty
import subprocess
from pathlib import Path

import pytest

from tests.cli.test_subprocess import LUSHBEAT, run
from tests.conftest import REPO

pytestmark = pytest.mark.skipif(LUSHBEAT is None, reason="lushbeat is not installed")


def test_jsonl_through_a_pipe_is_pure_data() -> None:
    result = run("-C", "examples", "export", "--format", "jsonl", "--tag", "venezuela")
    assert result.returncode == 0, result.stderr
    records = [json.loads(line) for line in result.stdout.splitlines()]
    assert len(records) >= 3
    assert all("venezuela" in record["tags"] for record in records)
    assert "\x1b[" not in result.stdout + result.stderr
    assert result.stderr == f"{len(records)} articles (jsonl)\n"


def test_examples_export_every_format(tmp_path: Path) -> None:
    for fmt, target in (
        ("json", "a.json"),
        ("csv", "a.csv"),
        ("sqlite", "a.db"),
        ("html", "site"),
        ("rss", "rss.xml"),
        ("atom", "atom.xml"),
        ("jsonfeed", "feed.json"),
        ("opensearch", "bulk.ndjson"),
    ):
        feed = fmt in ("rss", "atom", "jsonfeed")
        result = run(
            "-C",
            str(REPO / "examples"),
            "export",
            "--format",
            fmt,
            "--output",
            str(tmp_path / target),
            *(("--base-url", "https://lushbeat.example") if feed else ()),
            cwd=tmp_path,
        )
        assert result.returncode == 0, (fmt, result.stderr)
        assert result.stdout == ""
        assert (tmp_path / target).exists()


@pytest.fixture
def many(tmp_path: Path) -> Path:
    content = tmp_path / "content"
    content.mkdir()
    for number in range(120):
        (content / f"a{number:03d}.md").write_text(
            f"---\ntitle: Artikel {number}\ndate: 2024-01-01\n---\nIsi.\n", encoding="utf-8"
        )
    return tmp_path


def test_no_progress_bar_when_piped(many: Path) -> None:
    result = run("export", "--format", "json", cwd=many)
    assert result.returncode == 0
    assert len(json.loads(result.stdout)) == 120
    assert result.stderr == "120 articles (json)\n"


def test_progress_bar_on_a_terminal_keeps_stdout_clean(many: Path) -> None:
    leader, follower = pty.openpty()
    env = {k: v for k, v in os.environ.items() if k not in ("NO_COLOR", "FORCE_COLOR")}
    # A bar appears once a run has taken a second; this small one is shown at once.
    env.update(COLUMNS="80", TERM="xterm", LUSHBEAT_PROGRESS_DELAY="0")
    with subprocess.Popen(
        [LUSHBEAT, "export", "--format", "json"],
        cwd=many,
        stdout=subprocess.PIPE,
        stderr=follower,
        env=env,
    ) as process:
        os.close(follower)
        stdout, _ = process.communicate(timeout=60)
        seen = b""
        while True:
            try:
                chunk = os.read(leader, 65536)
            except OSError:
                break
            if not chunk:
                break
            seen += chunk
    os.close(leader)
    assert process.returncode == 0
    assert len(json.loads(stdout)) == 120
    assert b"export json" in seen  # the bar's label was drawn on the terminal
    assert b"120 articles (json)" in seen
