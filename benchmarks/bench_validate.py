"""Benchmark `lushbeat validate`: whole processes, as pre-commit and CI run it.

Run from the repository root:  .venv/bin/python benchmarks/bench_validate.py [--runs 10]

Measures (1) one file, the whole process, repeated (hyperfine-style: warm-up, then the median
of N runs), in the example newsroom and in the 2,781-file digitalgov corpus (collection-wide
rules read every other article); (2) the whole of each corpus in ../shared/corpora (vba-docs is
unpacked to a temporary folder), in articles per second; (3) hostile inputs (time and peak
memory of the process). Prints Markdown tables for benchmarks/RESULTS.md.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
# ../shared/corpora next to the checkout (or next to its worktrees folder); LUSHBEAT_CORPORA wins.
CORPORA = Path(
    os.environ.get("LUSHBEAT_CORPORA")
    or next(
        (
            str(p)
            for p in (REPO.parent / "shared" / "corpora", REPO.parent.parent / "shared" / "corpora")
            if p.is_dir()
        ),
        str(REPO.parent / "shared" / "corpora"),
    )
)
EXAMPLE = "examples/content/2024/07/pilpres-venezuela-menghadirkan-pemimpin-baru-nicholas-maduro.md"
LUSHBEAT = shutil.which("lushbeat", path=os.path.dirname(sys.executable)) or shutil.which(
    "lushbeat"
)


def environment() -> dict[str, str]:
    env = dict(os.environ, NO_COLOR="1")
    env.pop("PYTHONDONTWRITEBYTECODE", None)  # measure with bytecode caches, as installed
    return env


def timed(args: list[str], cwd: Path) -> tuple[float, int, int, Path]:
    """Seconds, exit code and peak memory (KiB) of one `lushbeat` process, and its stdout file.

    Stdout goes to a file, not through this process: a child's ru_maxrss starts from the
    parent's high-water mark (fork), so the parent must stay small.
    """
    assert LUSHBEAT is not None
    out = Path(tempfile.mkstemp(prefix="lushbeat-bench-", suffix=".out")[1])
    with out.open("wb") as stream:
        start = time.perf_counter()
        process = subprocess.Popen(
            [LUSHBEAT, *args], cwd=cwd, env=environment(), stdout=stream, stderr=subprocess.DEVNULL
        )
        _, status, usage = os.wait4(process.pid, 0)
        elapsed = time.perf_counter() - start
    process.returncode = os.waitstatus_to_exitcode(status)
    return elapsed, process.returncode, int(usage.ru_maxrss), out


def json_summary(out: Path) -> dict[str, int]:
    """The `summary` object at the end of a `--format json` document, without loading it all."""
    with out.open("rb") as stream:
        stream.seek(max(0, out.stat().st_size - 4096))
        tail = stream.read().decode("utf-8", "replace")
    out.unlink()
    return json.loads(tail[tail.rindex('"summary": ') + len('"summary": ') :].rstrip()[:-1])


def repeated(args: list[str], cwd: Path, runs: int) -> dict[str, float]:
    for _ in range(2):  # warm-up: bytecode caches, file system cache
        timed(args, cwd)[3].unlink()
    times = []
    for _ in range(runs):
        seconds, _code, _peak, out = timed(args, cwd)
        out.unlink()
        times.append(seconds)
    return {
        "median": statistics.median(times),
        "mean": statistics.mean(times),
        "min": min(times),
        "max": max(times),
    }


def project_for(content: Path, folder: Path) -> Path:
    """A temporary project whose content_dir is a corpus (never copied)."""
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "lushbeat.toml").write_text(f"content_dir = {json.dumps(str(content))}\n")
    return folder


def corpora(scratch: Path) -> dict[str, Path]:
    found: dict[str, Path] = {}
    for name in ("digitalgov", "18f"):
        if (CORPORA / name / "content").is_dir():
            found[name] = CORPORA / name / "content"
    archive = CORPORA / "vba-docs.tar.gz"
    if archive.is_file():
        # In a child process: peak memory (ru_maxrss) of later children would otherwise
        # include this process's own high-water mark, inherited through fork.
        unpack = (
            "import sys, tarfile; tarfile.open(sys.argv[1]).extractall(sys.argv[2], filter='data')"
        )
        subprocess.run([sys.executable, "-c", unpack, str(archive), str(scratch)], check=True)
        found["vba-docs"] = scratch / "vba-docs"
    return found


HOSTILE = {
    "unsafe YAML tag": b"---\ntitle: !!python/object/apply:os.system ['touch PWNED']\n---\n",
    "alias bomb": b"---\na: &a ['lol','lol','lol','lol','lol','lol','lol','lol','lol']\n"
    + b"".join(
        f"{chr(98 + i)}: &{chr(98 + i)} [{','.join(['*' + chr(97 + i)] * 9)}]\n".encode()
        for i in range(8)
    )
    + b"---\n",
    "binary file": b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + os.urandom(200_000),
    "invalid UTF-8": b"---\ntitle: caf\xe9\n---\n" + b"x" * 1000,
}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=10, help="timed runs per one-file case")
    options = parser.parse_args()
    if LUSHBEAT is None:
        print("lushbeat is not installed: pip install -e .", file=sys.stderr)
        return 2
    print(f"date: {datetime.now(UTC).isoformat(timespec='seconds')}")
    print(f"machine: {' '.join(platform.uname())}")
    load = ", ".join(f"{value:.1f}" for value in os.getloadavg())
    print(f"cpus: {os.cpu_count()}  load average: {load}  python: {platform.python_version()}")
    print(f"command: {' '.join([Path(sys.executable).name, *sys.argv])}")
    print(f"corpora: {CORPORA}\n")

    with tempfile.TemporaryDirectory() as scratch_name:
        scratch = Path(scratch_name)
        found = corpora(scratch)

        print(f"### One file, whole process (median of {options.runs} runs after 2 warm-ups)\n")
        print("| case | median s | mean s | min s | max s |")
        print("|---|---|---|---|---|")
        cases = [("examples (38 articles)", ["-C", "examples", "validate", EXAMPLE], REPO)]
        cases.append(("`lushbeat --version` (startup floor)", ["--version"], REPO))
        if "digitalgov" in found:
            one = next(iter(sorted((found["digitalgov"] / "news").rglob("*.md"))))
            project = project_for(found["digitalgov"], scratch / "p-digitalgov")
            cases.append(("digitalgov (2,781 articles)", ["validate", str(one)], project))
            cases.append(
                (
                    "digitalgov, --select LB1,LB2,LB3",
                    ["validate", str(one), "--select", "LB1,LB2,LB3"],
                    project,
                )
            )
        for label, args, cwd in cases:
            stats = repeated(args, cwd, options.runs)
            print(
                f"| {label} | {stats['median']:.3f} | {stats['mean']:.3f} | "
                f"{stats['min']:.3f} | {stats['max']:.3f} |"
            )

        print("\n### Whole corpus (one run each)\n")
        print("| corpus | files | seconds | articles/s | errors | warnings | peak MiB |")
        print("|---|---|---|---|---|---|---|")
        for name, content in found.items():
            project = project_for(content, scratch / f"p-{name}")
            warm = timed(["validate", "--format", "json", "--select", "LB1"], project)
            warm[3].unlink()  # the first read of a corpus fills the file system cache
            seconds, _code, peak, out = timed(["validate", "--format", "json"], project)
            summary = json_summary(out)
            print(
                f"| {name} | {summary['files']} | {seconds:.2f} | "
                f"{summary['files'] / seconds:,.0f} | {summary['errors']} | "
                f"{summary['warnings']} | {peak / 1024:.0f} |"
            )

        print("\n### Hostile inputs (one file each, whole process)\n")
        print("| input | exit | seconds | peak MiB | finding |")
        print("|---|---|---|---|---|")
        hostile = scratch / "hostile"
        (hostile / "content").mkdir(parents=True)
        (hostile / "lushbeat.toml").write_text('content_dir = "content"\n')
        inputs = dict(HOSTILE)
        for label, data in inputs.items():
            (hostile / "content" / f"{label.replace(' ', '-')}.md").write_bytes(data)
        huge = hostile / "content" / "50-MB-file.md"
        with huge.open("wb") as stream:
            stream.write(b"---\ntitle: big\n---\n")
            stream.truncate(50 * 1024 * 1024)
        labels = [*inputs, "50 MB file"]
        names = [*(f"{label.replace(' ', '-')}.md" for label in inputs), "50-MB-file.md"]
        for label, name in zip(labels, names, strict=True):
            seconds, code, peak, out = timed(
                ["validate", "--format", "json", f"content/{name}"], hostile
            )
            findings = json.loads(out.read_text())["findings"]
            out.unlink()
            codes = ", ".join(f["code"] for f in findings)
            print(f"| {label} | {code} | {seconds:.2f} | {peak / 1024:.0f} | {codes} |")
        assert not (hostile / "PWNED").exists()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
