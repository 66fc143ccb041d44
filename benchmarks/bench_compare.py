"""Time two builds of lushbeat against each other, interleaved, on the synthetic scale-ups.

Run from the repository root, with the other build installed somewhere (e.g. ``git archive
REV | tar -x -C /tmp/old && python3 -m venv /tmp/old/.venv && /tmp/old/.venv/bin/pip install
-e /tmp/old``):

    .venv/bin/python benchmarks/bench_compare.py /tmp/old/.venv/bin/lushbeat --rounds 21

Each round runs every command once with each build (and ``rg -l -i`` once), so both see the
same machine load; the table gives medians of wall time and of CPU time (user + system, the
start-up child's included). Commands: warm ``search WORD -f paths``, ``list --format json``
(also on one CPU, where no child scans: the work alone) and ``index`` (a no-change refresh) at
10,000 articles; ``index`` and ``list --format json`` at 100,000. Each build has its own index
of the same folder. The corpora are kept in ``--work`` (default: a folder in /tmp) between runs.
"""

from __future__ import annotations

import argparse
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tarfile
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_search import ENV, LUSHBEAT, SHARED, scale_up

WORD = "workbook"


def run(cmd: list[str], cwd: Path) -> tuple[float, float]:
    """Wall and CPU seconds of one process, output discarded."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    result = subprocess.run(
        cmd, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=ENV
    )
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if result.returncode not in (0, 1):
        raise RuntimeError(f"{' '.join(cmd)} failed: {result.stderr.decode()[-300:]}")
    return wall, (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def corpus(work: Path, size: int) -> Path:
    folder = work / f"synthetic-{size}"
    if not (folder / "done").exists():
        vba = work / "vba-docs"
        if not vba.exists():
            with tarfile.open(SHARED / "vba-docs.tar.gz") as tar:
                tar.extractall(work, filter="data")
        shutil.rmtree(folder, ignore_errors=True)
        scale_up([SHARED / "digitalgov" / "content", SHARED / "18f" / "content", vba], folder, size)
        (folder / "done").write_text("", encoding="utf-8")
    return folder / "content"


def project(work: Path, build: str, size: int, content: Path) -> Path:
    folder = work / f"project-{build}-{size}"
    folder.mkdir(exist_ok=True)
    (folder / "lushbeat.toml").write_text(f'content_dir = "{content}"\n', encoding="utf-8")
    return folder


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("before", help="the other build's lushbeat executable")
    parser.add_argument("--after", default=LUSHBEAT, help="this build's (default: .venv's)")
    parser.add_argument("--rounds", type=int, default=21)
    parser.add_argument("--sizes", default="10000,100000")
    parser.add_argument("--work", type=Path, default=Path(tempfile.gettempdir()) / "lb-compare")
    args = parser.parse_args()
    args.work.mkdir(parents=True, exist_ok=True)
    builds = {"before": args.before, "after": args.after}
    for exe in builds.values():  # bytecode, as an installed package has it
        package = subprocess.run(
            [
                str(Path(exe).parent / "python"),
                "-c",
                "import lushbeat_cli; print(lushbeat_cli.__path__[0])",
            ],
            capture_output=True,
            text=True,
            check=True,
        ).stdout.strip()
        subprocess.run([sys.executable, "-m", "compileall", "-q", package], check=True, env=ENV)
    cases: list[tuple[str, list[str], Path]] = []
    for size in (int(text) for text in args.sizes.split(",")):
        content = corpus(args.work, size)
        label = f"{size // 1000}k"
        for build, exe in builds.items():
            where = project(args.work, build, size, content)
            run([exe, "index"], where)  # build or update the index, then one warm-up each
            commands = {
                "refresh": [exe, "index"],
                "list json": [exe, "list", "--format", "json"],
            }
            if size <= 10_000:
                commands["search"] = [exe, "search", WORD, "-f", "paths"]
                if shutil.which("taskset"):  # (util-linux)
                    commands["list json, 1 CPU"] = ["taskset", "-c", "0", *commands["list json"]]
            cases += [(f"{label} {name} ({build})", cmd, where) for name, cmd in commands.items()]
        if size <= 10_000:
            cases.append((f"{label} rg -l -i", ["rg", "-l", "-i", WORD, str(content)], args.work))
    for _, cmd, where in cases:
        run(cmd, where)
    times: dict[str, list[tuple[float, float]]] = {name: [] for name, _, _ in cases}
    for _ in range(args.rounds):
        for name, cmd, where in cases:
            times[name].append(run(cmd, where))
    print(f"median of {args.rounds} interleaved rounds; load average {os.getloadavg()[0]:.1f}")
    print("| command | wall ms | CPU ms |\n|---|---:|---:|")
    for name in sorted(times):
        wall = statistics.median(t[0] for t in times[name]) * 1000
        cpu = statistics.median(t[1] for t in times[name]) * 1000
        print(f"| {name} | {wall:.1f} | {cpu:.1f} |")


if __name__ == "__main__":
    main()
