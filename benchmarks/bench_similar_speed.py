"""Speed of `lushbeat similar --all`: whole-process wall time on 1,000 / 10,000 / 50,000 articles.

Run from the repository root (needs ../shared/corpora):

    .venv/bin/python benchmarks/bench_similar_speed.py            # 1000 10000 50000
    .venv/bin/python benchmarks/bench_similar_speed.py 1000 5000  # other sizes

The articles are a synthetic scale-up of the digitalgov and 18f corpora written to a temporary
folder: article i takes the title, summary, tags and paragraphs of real article i mod P and one
paragraph of another real article, so every copy differs and the vocabulary is real. Each size
is timed twice as a whole process: `lushbeat list --format jsonl` (reading and parsing the files)
and `lushbeat similar --all --format jsonl` (reading, parsing, analysing, suggesting).
"""

from __future__ import annotations

import argparse
import json
import random
import subprocess
import sys
import tempfile
from datetime import date, timedelta
from pathlib import Path

from similar_support import CORPORA, lushbeat, machine_lines


def source_articles(corpora: Path) -> list[dict]:
    """Title, summary, tags and paragraphs of every readable article of the two corpora."""
    from lushbeat_cli.core.config import build_config
    from lushbeat_cli.core.reading.corpus import load_corpus

    found = []
    for name in ("digitalgov", "18f"):
        config = build_config({"content_dir": "content"}, corpora / name, None)
        for article in load_corpus(config).articles:
            paragraphs = [p.strip() for p in article.body.split("\n\n") if p.strip()]
            if article.title and paragraphs:
                found.append(
                    {
                        "title": article.title,
                        "summary": article.summary or "",
                        "tags": article.tags,
                        "paragraphs": paragraphs,
                    }
                )
    return found


def write_corpus(root: Path, size: int, pool: list[dict], seed: int = 1) -> None:
    rng = random.Random(seed)
    content = root / "content"
    start = date(2015, 1, 1)
    for i in range(size):
        base = pool[i % len(pool)]
        other = pool[rng.randrange(len(pool))]
        copy = i // len(pool)
        title = base["title"] if copy == 0 else f"{base['title']} ({copy + 1})"
        day = start + timedelta(days=(i * 3653) // max(size, 1))
        body = "\n\n".join([*base["paragraphs"], rng.choice(other["paragraphs"])])
        front = {
            "title": title,
            "date": day.isoformat(),
            "summary": base["summary"],
            "tags": base["tags"],
            "lang": "en",
        }
        lines = ["---", *(f"{key}: {json.dumps(value)}" for key, value in front.items()), "---"]
        path = content / f"{day.year}" / f"{day.month:02d}" / f"a{i:06d}.md"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text("\n".join(lines) + "\n\n" + body + "\n", encoding="utf-8")
    (root / "lushbeat.toml").write_text('content_dir = "content"\ndefault_lang = "en"\n')


def timed(root: Path, *args: str) -> tuple[float, float, float, int]:
    """One whole `lushbeat ...` process: wall seconds, CPU seconds (user + system), peak
    resident MiB, and the number of stdout lines.
    """
    script = (
        "import resource, subprocess, sys, time\n"
        "start = time.perf_counter()\n"
        "out = subprocess.run(sys.argv[1:], stdout=subprocess.PIPE, stderr=subprocess.PIPE)\n"
        "wall = time.perf_counter() - start\n"
        "use = resource.getrusage(resource.RUSAGE_CHILDREN)\n"
        "sys.stderr.write(out.stderr.decode(errors='replace')[-2000:])\n"
        "print(out.returncode, wall, use.ru_utime + use.ru_stime, use.ru_maxrss / 1024,"
        " out.stdout.count(b'\\n'))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", script, lushbeat(), *args], cwd=root, capture_output=True, text=True
    )
    code, wall, cpu, peak, lines = result.stdout.split()
    if code != "0":
        sys.exit(f"lushbeat {' '.join(args)} failed: {result.stderr}")
    return float(wall), float(cpu), float(peak), int(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("sizes", nargs="*", type=int, default=[1000, 10000, 50000])
    parser.add_argument("--corpora", type=Path, default=CORPORA, help="the corpora folder")
    args = parser.parse_args()
    if not args.corpora.is_dir():
        sys.exit(f"corpora not found at {args.corpora} (use --corpora DIR)")
    pool = source_articles(args.corpora)
    print("\n".join(machine_lines()))
    print(f"# source pool: {len(pool)} articles. Wall time grows when other work shares the CPUs;")
    print("# CPU time (user + system, all processes) does not, and shows the work done.")
    print(
        "| articles | list (parse only): wall s / CPU s | similar --all: wall s / CPU s "
        "| CPU s per 1,000 articles | growth of CPU s | peak memory MiB |"
    )
    print("|---|---|---|---|---|---|")
    previous: tuple[int, float] | None = None
    for size in args.sizes:
        with tempfile.TemporaryDirectory(prefix=f"lb-speed-{size}-") as temp:
            root = Path(temp)
            write_corpus(root, size, pool)
            parse_wall, parse_cpu, _, _ = timed(root, "list", "--format", "jsonl")
            wall, cpu, peak, lines = timed(root, "similar", "--all", "--format", "jsonl")
        if lines != size:
            sys.exit(f"expected {size} lines of jsonl, got {lines}")
        growth = ""
        if previous is not None:
            growth = f"x{cpu / previous[1]:.1f} for x{size / previous[0]:g} articles"
        print(
            f"| {size:,} | {parse_wall:.1f} / {parse_cpu:.1f} | {wall:.1f} / {cpu:.1f} "
            f"| {cpu / size * 1000:.2f} | {growth} | {peak:.0f} |"
        )
        sys.stdout.flush()
        previous = (size, cpu)


if __name__ == "__main__":
    main()
