"""Parallel `new` and `import` runs: the slug check and the create are one step across
processes, so one slug never ends up in two articles (real processes, the console script)."""

from __future__ import annotations

import multiprocessing
import os
import shutil
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from lushbeat_cli.core.config import load_config
from lushbeat_cli.core.files.locks import LockTimeoutError, creation_lock
from lushbeat_cli.core.workflow import create as create_module
from lushbeat_cli.core.workflow import stories as stories_module
from tests.conftest import Project

LUSHBEAT = shutil.which("lushbeat", path=os.path.dirname(sys.executable)) or shutil.which(
    "lushbeat"
)
needs_script = pytest.mark.skipif(
    LUSHBEAT is None or os.name == "nt", reason="needs the console script and fcntl"
)
ALREADY = "slug 'same-title' is already used (choose another with --slug)"


def race(cwd: Path, commands: list[list[str]]) -> list[tuple[int, str, str]]:
    """Start every command at once; (exit code, stdout, stderr) of each."""
    env = {k: v for k, v in os.environ.items() if k not in ("NO_COLOR", "FORCE_COLOR")}
    env["NO_COLOR"] = "1"
    procs = [
        subprocess.Popen(
            [str(LUSHBEAT), *args],
            cwd=cwd,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            env=env,
        )
        for args in commands
    ]
    results = []
    for proc in procs:
        stdout, stderr = proc.communicate(timeout=180)
        results.append((proc.returncode, stdout, stderr))
    return results


def articles(project: Project) -> list[str]:
    return sorted(p.relative_to(project.content).as_posix() for p in project.content.rglob("*.md"))


def check_one_winner(project: Project, results: list[tuple[int, str, str]]) -> None:
    winners = [result for result in results if result[0] == 0]
    assert len(winners) == 1, results
    for code, stdout, stderr in results:
        assert "Traceback" not in stderr and "internal error" not in stderr
        if code != 0:
            assert code == 1
            assert stdout == ""
            assert ALREADY in stderr, stderr
    created = articles(project)
    assert len(created) == 1
    assert winners[0][1].strip() == f"content/{created[0]}"


@needs_script
def test_parallel_new_with_one_title_and_different_dates(project: Project) -> None:
    commands = [["new", "Same Title", "--date", f"2024-{month:02d}-01"] for month in range(1, 9)]
    check_one_winner(project, race(project.root, commands))


@needs_script
def test_parallel_new_and_import_of_one_title(project: Project) -> None:
    story = project.root / "story.txt"
    story.write_text("Same Title\n\nIsi cerita yang sama.\n", encoding="utf-8")
    commands = [["new", "Same Title", "--date", f"2024-{month:02d}-01"] for month in range(1, 5)]
    commands += [["import", "story.txt", "--date", f"2024-{m:02d}-15"] for m in range(5, 9)]
    results = race(project.root, commands)
    check_one_winner(project, [(code, out, err) for code, out, err in results])


@needs_script
def test_parallel_new_with_different_titles_all_succeed(project: Project) -> None:
    commands = [["new", f"Story number {n}", "--date", "2024-03-01"] for n in range(6)]
    results = race(project.root, commands)
    assert [code for code, _, _ in results] == [0] * 6, results
    assert len(articles(project)) == 6


def slowed(real: Callable[..., object]) -> Callable[..., object]:
    """``real``, then a pause: the time between the slug check and the write, made long."""

    def slow(*args: object, **kwargs: object) -> object:
        result = real(*args, **kwargs)
        time.sleep(0.6)
        return result

    return slow


def _child(conn: object, args: list[str], cwd: Path) -> None:
    from typer.testing import CliRunner

    from lushbeat_cli.cli import app

    try:
        os.chdir(cwd)
        result = CliRunner().invoke(app, args)
        conn.send((result.exit_code, result.stdout, result.stderr))  # type: ignore[attr-defined]
    finally:
        os._exit(0)


def forked_race(cwd: Path, commands: list[list[str]]) -> list[tuple[int, str, str]]:
    """The commands in forked children that inherit this process's patches."""
    context = multiprocessing.get_context("fork")
    pipes, children = [], []
    for args in commands:
        receiver, sender = context.Pipe(duplex=False)
        child = context.Process(target=_child, args=(sender, args, cwd))
        child.start()
        pipes.append(receiver)
        children.append(child)
    results = []
    for receiver, child in zip(pipes, children, strict=True):
        assert receiver.poll(120), "a child hung"
        results.append(receiver.recv())
        child.join(30)
    return results


fork_only = pytest.mark.skipif(
    "fork" not in multiprocessing.get_all_start_methods() or os.name == "nt",
    reason="needs fork and fcntl",
)


@fork_only
def test_a_slow_check_still_gives_one_winner_for_new(
    project: Project, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Deterministic: every child checks, waits 0.6 s, then writes; without the lock all of
    them would pass the check before any wrote."""
    monkeypatch.setattr(create_module, "plan_new_article", slowed(create_module.plan_new_article))
    commands = [
        ["new", "Same Title", "--date", f"2024-{m:02d}-01", "--no-index"] for m in (1, 2, 3)
    ]
    check_one_winner(project, forked_race(project.root, commands))


@fork_only
def test_a_slow_check_still_gives_one_winner_for_import(
    project: Project, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(stories_module, "plan_import", slowed(stories_module.plan_import))
    (project.root / "story.txt").write_text("Same Title\n\nIsi cerita.\n", encoding="utf-8")
    commands = [["import", "story.txt", "--date", f"2024-{m:02d}-15"] for m in (1, 2, 3)]
    commands.append(["new", "Same Title", "--date", "2024-04-01"])
    check_one_winner(project, forked_race(project.root, commands))


def test_creating_leaves_no_lock_file_behind(cli, project: Project) -> None:
    before = sorted(path.name for path in project.root.iterdir())
    assert cli("new", "Same Title", "--dry-run", "--no-index").exit_code == 0
    assert cli("new", "Other Title", "--no-index").exit_code == 0
    assert sorted(path.name for path in project.root.iterdir()) == before


@pytest.mark.skipif(os.name == "nt", reason="no fcntl")
def test_a_held_lock_makes_the_other_creator_wait_then_give_up(project: Project) -> None:
    config = load_config(project.root)
    with creation_lock(config) as held:
        assert held == project.root
        with pytest.raises(LockTimeoutError) as caught, creation_lock(config, wait=0.2):
            pass
        assert "another lushbeat command is creating articles" in str(caught.value)
        assert caught.value.exit_code == 1
    with creation_lock(config, wait=0.2) as again:  # released at the end of the block
        assert again == held


@pytest.mark.skipif(os.name == "nt", reason="no fcntl")
def test_new_still_works_when_the_lock_folder_cannot_be_made(cli, project: Project) -> None:
    (project.root / ".lushbeat").write_text("not a folder")
    run = cli("new", "Same Title", "--date", "2024-01-01", "--no-index")
    assert run.exit_code == 0, run.stderr
    assert run.stdout == "content/2024/01/same-title.md\n"
