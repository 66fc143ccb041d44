"""Time `lushbeat export` in every format on a real corpus and print a Markdown table.

Run: ``.venv/bin/python benchmarks/export.py`` (digitalgov, 2,781 files) or
``.venv/bin/python benchmarks/export.py --vba`` (unpacks vba-docs, 38,187 files, to a temp dir).
Each run is a fresh ``lushbeat export --no-index`` process; wall time and peak memory (RSS).
"""

from __future__ import annotations

import argparse
import os
import platform
import shutil
import subprocess
import sys
import tarfile
import tempfile
import time
from datetime import date
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
# Beside the checkout (as in CI), else the workplace's shared folder.
CORPORA = next(
    (p for p in (REPO.parent / "shared" / "corpora", Path("/work/shared/corpora")) if p.is_dir()),
    REPO.parent / "shared" / "corpora",
)
LUSHBEAT = shutil.which("lushbeat", path=os.path.dirname(sys.executable)) or "lushbeat"
FORMATS = (
    ("json", "out.json"),
    ("jsonl", "out.jsonl"),
    ("csv", "out.csv"),
    ("sqlite", "out.db"),
    ("opensearch", "out.ndjson"),
    ("rss", "rss.xml"),
    ("atom", "atom.xml"),
    ("jsonfeed", "feed.json"),
    ("html", "site"),
)


def run(project: Path, fmt: str, target: str) -> tuple[float, float, str]:
    args = [LUSHBEAT, "export", "--no-index", "--format", fmt, "--output", target]
    if fmt in ("rss", "atom", "jsonfeed"):
        args += ["--base-url", "https://bench.example"]
    start = time.perf_counter()
    with tempfile.TemporaryFile("w+") as errors:
        process = subprocess.Popen(args, cwd=project, stdout=subprocess.DEVNULL, stderr=errors)
        _, status, usage = os.wait4(process.pid, 0)
        elapsed = time.perf_counter() - start
        process.returncode = os.waitstatus_to_exitcode(status)
        errors.seek(0)
        stderr = errors.read()
    if process.returncode not in (0, 1):
        sys.exit(f"{fmt} failed:\n{stderr}")
    peak = usage.ru_maxrss
    summary = stderr.strip().splitlines()[-1]
    return elapsed, peak / 1024, summary


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--vba", action="store_true", help="use vba-docs (38,187 files)")
    options = parser.parse_args()
    with tempfile.TemporaryDirectory() as temp:
        project = Path(temp)
        if options.vba:
            with tarfile.open(CORPORA / "vba-docs.tar.gz") as archive:
                archive.extractall(project / "corpus", filter="data")
            content = next((project / "corpus").iterdir())
            name = "vba-docs"
        else:
            content = CORPORA / "digitalgov" / "content"
            name = "digitalgov"
        (project / "lushbeat.toml").write_text(f'content_dir = "{content}"\n', encoding="utf-8")
        print(
            f"`lushbeat export` on {name}, {date.today()}, {platform.machine()}, "
            f"{os.cpu_count()} cores, Python {platform.python_version()}\n"
        )
        print("| format | seconds | peak MiB | result |")
        print("|---|---:|---:|---|")
        for fmt, target in FORMATS:
            elapsed, peak, summary = run(project, fmt, target)
            print(f"| {fmt} | {elapsed:.1f} | {peak:.0f} | {summary} |", flush=True)


if __name__ == "__main__":
    main()
