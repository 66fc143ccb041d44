"""A command killed while a process pool parses a cold index leaves no worker behind."""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import sys
import textwrap
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.conftest import Project

pytestmark = pytest.mark.skipif(
    not sys.platform.startswith("linux"), reason="reads the process tree from /proc"
)

# The real command line, with two test-only changes made in the child before it runs: a pool
# from 10 changed files up (not 2,000) on two cores, and workers that take a minute per chunk,
# so that the signal surely lands while they work, and a worker that survived its parent
# would still be there long after the test's patience ran out. ``native`` False: without the
# Linux parent-death signal, so that only the SIGTERM handler can stop the workers.
RUNNER = textwrap.dedent(
    """
    import os, sys, time
    from lushbeat_cli.core.index import pool, refresh

    refresh.POOL_THRESHOLD = 10
    os.cpu_count = lambda: 2
    if sys.argv[1] == "no-native":
        pool._PR_SET_PDEATHSIG = 0  # prctl refuses option 0: no death signal asked for
    parse = pool._parse_chunk

    def slow_chunk(args):
        time.sleep(60)
        return parse(args)

    pool._parse_chunk = slow_chunk
    sys.argv = ["lushbeat", *sys.argv[2:]]
    from lushbeat_cli.cli import main

    main()
    """
)


def children(pid: int) -> list[int]:
    """Living processes whose parent is ``pid`` (zombies are dead: a container's first
    process may not reap them)."""
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue
        state, ppid = stat.rsplit(")", 1)[1].split()[:2]
        if int(ppid) == pid and state not in ("Z", "X"):
            found.append(int(entry.name))
    return found


def alive(pids: list[int]) -> list[int]:
    living = []
    for pid in pids:
        try:
            state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
        except OSError:
            continue
        if state not in ("Z", "X"):
            living.append(pid)
    return living


def wait_for(condition, timeout: float) -> bool:  # type: ignore[no-untyped-def]
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.02)
    return condition()


@pytest.fixture
def collection(project: Project) -> Project:
    for number in range(40):
        project.article(f"{number}.md", title=f"Article {number}", body="words " * 20)
    return project


@pytest.fixture
def started() -> Iterator[list[int]]:
    """The processes a test starts: whatever is left of them is killed after it, pass or
    fail (a failing test must not leave a minute of sleeping workers behind)."""
    pids: list[int] = []
    yield pids
    for pid in alive(pids):
        with contextlib.suppress(OSError):
            os.kill(pid, signal.SIGKILL)


def start(
    project: Project, mode: str, started: list[int]
) -> tuple[subprocess.Popen[bytes], list[int]]:
    """The runner on a cold index, and its pool workers once both have started."""
    command = [sys.executable, "-c", RUNNER, mode, "-C", str(project.root), "index"]
    process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    started.append(process.pid)
    workers: list[int] = []

    def pool_started() -> bool:
        workers[:] = children(process.pid)
        return len(workers) >= 2 or process.poll() is not None

    assert wait_for(pool_started, 60), "the pool never started"
    started.extend(workers)
    assert process.poll() is None, process.communicate()
    return process, workers


@pytest.mark.parametrize("mode", ["native", "no-native"])
def test_sigterm_stops_the_workers_and_the_command(
    collection: Project, mode: str, started: list[int]
) -> None:
    process, workers = start(collection, mode, started)
    process.send_signal(signal.SIGTERM)
    _, stderr = process.communicate(timeout=60)
    assert process.returncode == -signal.SIGTERM  # as an untrapped SIGTERM ends a process
    assert b"Traceback" not in stderr and b"error" not in stderr
    assert wait_for(lambda: not alive(workers), 60), f"workers left running: {alive(workers)}"


def test_sigkill_takes_the_workers_along(collection: Project, started: list[int]) -> None:
    process, workers = start(collection, "native", started)
    process.kill()
    process.wait(timeout=60)
    assert wait_for(lambda: not alive(workers), 60), f"workers left running: {alive(workers)}"


def test_ctrl_c_stops_the_workers_quietly(collection: Project, started: list[int]) -> None:
    process, workers = start(collection, "native", started)
    os.kill(process.pid, signal.SIGINT)
    _, stderr = process.communicate(timeout=60)
    assert process.returncode == 130
    assert b"Traceback" not in stderr
    assert wait_for(lambda: not alive(workers), 60), f"workers left running: {alive(workers)}"


def test_the_index_still_builds_in_a_pool(collection: Project) -> None:
    """The same runner without the slow workers: the pool's rows are the index's."""
    runner = RUNNER.replace("time.sleep(60)", "pass")
    command = [sys.executable, "-c", runner, "native", "-C", str(collection.root), "index"]
    done = subprocess.run(command, capture_output=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert b"40 files read" in done.stderr
