"""Time `lushbeat index`, `search` and `list` as whole processes, next to ripgrep and hugo.

Run from the repository root (one command; about 8-20 minutes on 2 cores):

    .venv/bin/python benchmarks/bench_search.py            # all corpora + 10k/100k scale-ups
    .venv/bin/python benchmarks/bench_search.py --scale 0  # the real corpora only

Corpora come from ../shared/corpora (digitalgov, 18f, vba-docs.tar.gz unpacked to a temporary
folder); the synthetic scale-ups are written to a temporary folder too, never into the repo.
Prints a Markdown table of median wall times (seconds) for:
cold index build, warm no-change refresh, warm search (-f paths and -f json), warm list
--format json, list --no-index (parsing every file), `rg -l -i WORD`, the search and list
times divided by ripgrep's, and `hugo list all` when installed.
"""

from __future__ import annotations

import argparse
import itertools
import os
import platform
import resource
import shutil
import statistics
import subprocess
import sys
import tarfile
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
# ../shared/corpora next to the repository (or next to the folder of a git worktree).
SHARED = next(
    (
        folder / "shared" / "corpora"
        for folder in (REPO.parent, REPO.parent.parent)
        if (folder / "shared" / "corpora").is_dir()
    ),
    REPO.parent / "shared" / "corpora",
)
LUSHBEAT = shutil.which("lushbeat", path=os.path.dirname(sys.executable)) or "lushbeat"


@dataclass
class Corpus:
    name: str
    project: Path  # folder with lushbeat.toml
    content: Path
    word: str  # the search word (also given to rg)


# Commands run as a user's would: with bytecode caches written (an installed package has them).
ENV = {key: value for key, value in os.environ.items() if key != "PYTHONDONTWRITEBYTECODE"}


def run(cmd: list[str], cwd: Path, check: bool = True) -> tuple[float, float]:
    """Wall time and CPU time (user + system) of one process, output discarded."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    result = subprocess.run(
        cmd, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=ENV
    )
    elapsed = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if check and result.returncode not in (0, 1):
        raise RuntimeError(f"{' '.join(cmd)} failed: {result.stderr.decode()[-300:]}")
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return elapsed, cpu


def median(cmd: list[str], cwd: Path, runs: int) -> tuple[float, float]:
    run(cmd, cwd)  # warm the page cache (and the index)
    times = [run(cmd, cwd) for _ in range(runs)]
    return statistics.median(t[0] for t in times), statistics.median(t[1] for t in times)


def cell(times: tuple[float, float]) -> str:
    return f"{times[0]:.2f} ({times[1]:.2f})"


def project_for(name: str, content: Path, base: Path, word: str) -> Corpus:
    project = base / f"project-{name}"
    project.mkdir(parents=True, exist_ok=True)
    (project / "lushbeat.toml").write_text(f'content_dir = "{content}"\n', encoding="utf-8")
    return Corpus(name, project, content, word)


def scale_up(sources: list[Path], target: Path, count: int) -> Path:
    """``count`` articles made from the real corpora: each file copied under a new name, with
    one line added to its body so that no two files are identical."""
    content = target / "content"
    files = [p for src in sources for p in sorted(src.rglob("*.md"))]
    for number, source in zip(range(count), itertools.cycle(files), strict=False):
        folder = content / f"{number // 1000:03d}"
        if number % 1000 == 0:
            folder.mkdir(parents=True, exist_ok=True)
        data = source.read_bytes() + f"\n\nSynthetic copy {number}.\n".encode()
        (folder / f"{source.stem}-{number}.md").write_bytes(data)
    old = time.time() - 3600  # an hour ago: not "just modified" for the index
    for path in content.rglob("*.md"):
        os.utime(path, (old, old))
    return content


def hugo_site(corpus: Corpus, base: Path) -> Path | None:
    if shutil.which("hugo") is None:
        return None
    site = base / f"hugo-{corpus.name}"
    site.mkdir(exist_ok=True)
    (site / "hugo.toml").write_text('baseURL = "https://example.org/"\n', encoding="utf-8")
    link = site / "content"
    if not link.exists():
        link.symlink_to(corpus.content)
    return site


def measure(corpus: Corpus, runs: int, base: Path) -> dict[str, str]:
    cwd = corpus.project
    index_dir = cwd / ".lushbeat"
    shutil.rmtree(index_dir, ignore_errors=True)
    files = sum(1 for _ in corpus.content.rglob("*.md"))
    subprocess.run(["rg", "-l", "zzz", str(corpus.content)], capture_output=True)  # page cache
    cold = run([LUSHBEAT, "index"], cwd)
    load = os.getloadavg()[0]
    few = max(1, runs // 2)  # for the slow commands

    def seconds(cmd: list[str], where: Path = cwd, times: int = runs) -> str:
        return cell(median(cmd, where, times))

    search = median([LUSHBEAT, "search", corpus.word, "-f", "paths"], cwd, runs)
    listing = median([LUSHBEAT, "list", "--format", "json"], cwd, runs)
    ripgrep = median(["rg", "-l", "-i", corpus.word, str(corpus.content)], cwd, runs)
    row = {
        "corpus": corpus.name,
        "files": f"{files:,}",
        "cold index": cell(cold),
        "warm refresh": seconds([LUSHBEAT, "index"]),
        "warm search": cell(search),
        "warm search json": seconds([LUSHBEAT, "search", corpus.word, "-f", "json"]),
        "warm list json": cell(listing),
        "list --no-index": seconds([LUSHBEAT, "list", "--format", "json", "--no-index"], cwd, few),
        "rg -l -i": cell(ripgrep),
        "search / rg": f"{search[0] / ripgrep[0]:.1f}x",
        "list / rg": f"{listing[0] / ripgrep[0]:.1f}x",
    }
    site = hugo_site(corpus, base)
    if site is None:
        row["hugo list all"] = "not installed"
    else:
        try:
            row["hugo list all"] = seconds(["hugo", "list", "all"], site, few)
        except RuntimeError as exc:
            reason = [line for line in str(exc).splitlines() if line.strip()][-1]
            row["hugo list all"] = "fails: " + reason.split(": ")[-1][:70]
    size = sum(p.stat().st_size for p in index_dir.glob("index.sqlite*"))
    row["index size"] = f"{size / 1_048_576:.0f} MiB"
    row["load avg"] = f"{load:.1f}"
    return row


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=5, help="timed runs per command (median)")
    parser.add_argument("--scale", type=int, default=100_000, help="synthetic size; 0: none")
    parser.add_argument("--keep", action="store_true", help="keep the temporary folder")
    args = parser.parse_args()
    if not SHARED.is_dir():
        sys.exit(f"corpora not found at {SHARED}")
    if shutil.which("rg") is None:
        sys.exit("ripgrep (rg) is needed: apt-get install -y ripgrep")
    # Bytecode for the package, as `pip install` leaves it (no compile step inside the timings).
    subprocess.run([sys.executable, "-m", "compileall", "-q", str(REPO / "src")], check=True)
    base = Path(tempfile.mkdtemp(prefix="lushbeat-bench-"))
    try:
        with tarfile.open(SHARED / "vba-docs.tar.gz") as tar:
            tar.extractall(base, filter="data")
        vba = base / "vba-docs"
        corpora = [
            project_for("18f", SHARED / "18f" / "content", base, "agile"),
            project_for("digitalgov", SHARED / "digitalgov" / "content", base, "accessibility"),
            project_for("vba-docs", vba, base, "workbook"),
        ]
        sources = [SHARED / "digitalgov" / "content", SHARED / "18f" / "content", vba]
        sizes = sorted({min(10_000, args.scale), args.scale} - {0})
        for size in sizes:
            content = scale_up(sources, base / f"synthetic-{size}", size)
            corpora.append(project_for(f"synthetic-{size // 1000}k", content, base, "workbook"))
        rows = []
        for corpus in corpora:
            print(f"measuring {corpus.name} ...", file=sys.stderr, flush=True)
            rows.append(measure(corpus, args.runs, base))
        print_table(rows, args)
    finally:
        if args.keep:
            print(f"kept {base}", file=sys.stderr)
        else:
            shutil.rmtree(base, ignore_errors=True)


def print_table(rows: list[dict[str, str]], args: argparse.Namespace) -> None:
    columns = list(rows[0])
    print(
        f"Machine: {platform.machine()}, {os.cpu_count()} cores, Python "
        f"{platform.python_version()}, {platform.system()} {platform.release()}; "
        f"{time.strftime('%Y-%m-%d')}; median of {args.runs} runs; seconds of wall time for the "
        "whole process, CPU time (user + system) in parentheses; load avg = the machine's "
        "1-minute load average when the corpus was measured."
    )
    print()
    print("| " + " | ".join(columns) + " |")
    print("|" + "|".join("---" for _ in columns) + "|")
    for row in rows:
        print("| " + " | ".join(row[column] for column in columns) + " |")


if __name__ == "__main__":
    main()
