"""lushbeat in a pipeline: the exit code survives a reader that stops early (``| head -1``
under ``set -o pipefail``), through the start-up fast path and through typer; commands that
change files finish their changes whatever happens to stdout; ``-0`` wherever paths are printed.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from lushbeat_cli.cli import COMMANDS
from lushbeat_cli.cli.params import GLOBAL_OPTIONS, Option
from tests.conftest import Project, Run

SCRIPT = Path(sys.executable).with_name("lushbeat")
ARTICLES = 1500  # far more output than a pipe buffer (64 KiB) holds: the writer meets EPIPE

pytestmark = pytest.mark.skipif(not SCRIPT.exists(), reason="console script not installed")


def article(number: int, *, good: bool) -> str:
    title = "title" if good else "tittle"
    return f"---\n{title}: Harga cabai {number}\ndate: 2024-07-29\n---\n\nHarga cabai naik.\n"


def archive(root: Path, *, good: bool) -> Path:
    (root / "content").mkdir(parents=True)
    (root / "lushbeat.toml").write_text('content_dir = "content"\ntimezone = "Asia/Jakarta"\n')
    for number in range(ARTICLES):
        folder = root / "content" / f"{number // 100:02d}"
        folder.mkdir(exist_ok=True)
        (folder / f"cabai-{number}.md").write_text(article(number, good=good))
    if not good:
        (root / "content" / "broken.md").write_text("no front matter here\n")
    return root


@pytest.fixture(scope="module")
def archives(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    base = tmp_path_factory.mktemp("pipes")
    found = {"clean": archive(base / "clean", good=True)}
    found["failing"] = archive(base / "failing", good=False)
    for root in found.values():
        subprocess.run([str(SCRIPT), "index"], cwd=root, capture_output=True, env=environ(True))
    return found


def environ(fast_path: bool) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in ("TTY_COMPATIBLE", "FORCE_COLOR")}
    if not fast_path:
        env["TTY_COMPATIBLE"] = "1"  # stderr counts as a terminal: typer's path, no fast path
    return env


def piped(args: str, cwd: Path, fast_path: bool) -> tuple[int, str]:
    """The exit code of ``lushbeat ARGS | head -1`` under pipefail, and stderr."""
    script = f'set -o pipefail; "{SCRIPT}" {args} | head -1 >/dev/null'
    run = subprocess.run(
        ["bash", "-c", script], cwd=cwd, capture_output=True, text=True, env=environ(fast_path)
    )
    return run.returncode, run.stderr


def unpiped(args: str, cwd: Path, fast_path: bool) -> int:
    script = f'"{SCRIPT}" {args} >/dev/null 2>&1'
    return subprocess.run(["bash", "-c", script], cwd=cwd, env=environ(fast_path)).returncode


COMMAND_LINES = [
    ("validate", {"clean": 0, "failing": 1}),
    ("validate --format json", {"clean": 0, "failing": 1}),
    ("validate --format github", {"clean": 0, "failing": 1}),
    ("list", {"clean": 0, "failing": 1}),
    ("list --format paths", {"clean": 0, "failing": 1}),
    ("list --format json --no-index", {"clean": 0, "failing": 1}),
    # search's exit code only says whether something was found (docs/commands/search.md)
    ("search cabai -n 5000", {"clean": 0, "failing": 0}),
    ("search cabai -n 5000 --format jsonl", {"clean": 0, "failing": 0}),
]


@pytest.mark.slow
@pytest.mark.parametrize("fast_path", [True, False], ids=["fast path", "typer"])
@pytest.mark.parametrize("kind", ["clean", "failing"])
@pytest.mark.parametrize(("args", "expected"), COMMAND_LINES, ids=[a for a, _ in COMMAND_LINES])
def test_a_reader_that_stops_early_does_not_change_the_exit_code(
    archives: dict[str, Path], args: str, expected: dict[str, int], kind: str, fast_path: bool
) -> None:
    root = archives[kind]
    code, stderr = piped(args, root, fast_path)
    assert code == expected[kind], stderr[-500:]
    assert unpiped(args, root, fast_path) == expected[kind]
    assert "Traceback" not in stderr and "Exception ignored" not in stderr
    assert "BrokenPipe" not in stderr


@pytest.mark.parametrize("fast_path", [True, False], ids=["fast path", "typer"])
def test_a_closed_stdout_keeps_the_findings_code(tmp_path: Path, fast_path: bool) -> None:
    """The same without a race: stdout is a pipe whose reader is gone before lushbeat starts,
    so even the smallest output meets EPIPE."""
    root = archive(tmp_path / "small", good=False)
    for args in (["validate"], ["validate", "--format", "json"], ["list"]):
        read, write = os.pipe()
        os.close(read)
        try:
            run = subprocess.run(
                [str(SCRIPT), *args],
                cwd=root,
                stdout=write,
                stderr=subprocess.PIPE,
                text=True,
                env=environ(fast_path),
            )
        finally:
            os.close(write)
        assert run.returncode == 1, (args, run.stderr)
        assert "Traceback" not in run.stderr and "Exception ignored" not in run.stderr


@pytest.mark.slow
def test_a_tag_merge_read_by_head_changes_every_article(tmp_path: Path) -> None:
    root = archive(tmp_path / "tags", good=True)
    for path in (root / "content").rglob("*.md"):
        path.write_text(path.read_text().replace("date:", "tags: [Cabai]\ndate:"))
    code, stderr = piped("tags merge Cabai --into cabai", root, fast_path=False)
    assert code == 0, stderr
    texts = [path.read_text() for path in (root / "content").rglob("*.md")]
    assert len(texts) == ARTICLES
    assert all("tags: [cabai]" in text for text in texts), "a closed stdout stopped the merge"


# ---------------------------------------------------------------- -0 wherever paths are printed


def nul_paths(run: Run) -> list[str]:
    assert run.stdout.endswith("\0"), run.stdout
    return run.stdout[:-1].split("\0")


def test_similar_paths_nul_separated(cli: Callable[..., Run], examples_copy: Path) -> None:
    lines = cli("similar", "pilpres venezuela", "--format", "paths", "-n", "3")
    nul = cli("similar", "pilpres venezuela", "--format", "paths", "-n", "3", "-0")
    assert nul.exit_code == 0
    assert nul_paths(nul) == lines.stdout.splitlines()
    refused = cli("similar", "pilpres venezuela", "-0")
    assert refused.exit_code == 2
    assert "-0/--null only goes with --format paths" in refused.stderr


def test_writing_commands_print_nul_terminated_paths(
    cli: Callable[..., Run], project: Project
) -> None:
    created = cli("new", "Harga Cabai Naik", "--date", "2024-07-29", "-0")
    assert created.exit_code == 0, created.stderr
    (path,) = nul_paths(created)
    assert Path(path).is_file()
    published = cli("publish", path, "-0")
    assert nul_paths(published) == [path]
    assert nul_paths(cli("unpublish", path, "-0")) == [path]
    (project.root / "inbox").mkdir()
    (project.root / "inbox" / "a.txt").write_text("Rupiah Menguat\n\nRupiah naik.\n")
    (project.root / "inbox" / "b.txt").write_text("Bursa Melemah\n\nSaham turun.\n")
    imported = cli("import", "inbox", "-0")
    assert imported.exit_code == 0, imported.stderr
    assert len(nul_paths(imported)) == 2
    assert all(Path(p).is_file() for p in nul_paths(imported))
    cli("publish", path, "--now")
    project.article("2024/07/x.md", title="X", date="2024-07-01", tags=["Cabai"])
    project.article("2024/07/y.md", title="Y", date="2024-07-02", tags=["Cabai"])
    dry = cli("tags", "rename", "Cabai", "cabai", "--dry-run", "-0")
    assert sorted(nul_paths(dry)) == ["content/2024/07/x.md", "content/2024/07/y.md"]
    done = cli("tags", "rename", "Cabai", "cabai", "-0")
    assert sorted(nul_paths(done)) == ["content/2024/07/x.md", "content/2024/07/y.md"]


def test_nul_paths_reach_xargs(tmp_path: Path) -> None:
    if shutil.which("xargs") is None:
        pytest.skip("xargs is not installed")
    root = archive(tmp_path / "x", good=True)
    script = f'"{SCRIPT}" new "Nama dengan spasi" --date 2024-07-29 -0 | xargs -0 ls'
    run = subprocess.run(["bash", "-c", script], cwd=root, capture_output=True, text=True)
    assert run.returncode == 0, run.stderr
    assert run.stdout.strip().endswith("nama-dengan-spasi.md")


# ---------------------------------------------------------------- one meaning per short flag


def _all_params() -> list[tuple[str, Option]]:
    import importlib

    found = [("global", option) for option in GLOBAL_OPTIONS]
    for name, module_name in COMMANDS.items():
        module = importlib.import_module(module_name)
        groups = [(name, module.PARAMS)]
        subcommands = getattr(module, "SUBCOMMANDS", {})
        groups += [(f"{name} {sub}", params) for sub, (params, _run) in subcommands.items()]
        for where, params in groups:
            found += [(where, param) for param in params if isinstance(param, Option)]
    return found


def test_each_short_flag_means_one_thing_in_every_command() -> None:
    meanings: dict[str, set[str]] = {}
    for _where, option in _all_params():
        flags = [part for flag in option.flags for part in flag.split("/")]
        longs = tuple(sorted(flag for flag in flags if flag.startswith("--")))
        for flag in flags:
            if len(flag) == 2:
                meanings.setdefault(flag, set()).add(" ".join(longs))
    mixed = {flag: sorted(longs) for flag, longs in meanings.items() if len(longs) > 1}
    assert not mixed
    assert meanings["-n"] == {"--limit"}


def test_dry_run_has_no_short_flag(cli: Callable[..., Run], project: Project) -> None:
    path = project.article("2024/07/x.md", title="X", status="draft")
    run = cli("publish", str(path), "-n")
    assert run.exit_code == 2
    assert 'status: "draft"' in path.read_text()  # a guessed flag published nothing
