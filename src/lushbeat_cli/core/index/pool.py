"""Parsing many changed files on every core (a process pool), for a refresh that reads more
than ``refresh.POOL_THRESHOLD`` files. The workers never outlive the command.
"""

from __future__ import annotations

import contextlib
import os
import sys
from collections.abc import Iterator
from typing import Any

from lushbeat_cli.core.config import Config
from lushbeat_cli.core.index.rows import Progress, file_row


def _parse_chunk(args: tuple[Config, list[tuple[str, int, int, int]]]) -> list[tuple[Any, ...]]:
    config, items = args
    if _POOL_PARENT and os.getppid() != _POOL_PARENT:  # orphaned (where no death signal came)
        os._exit(1)
    root = config.content_path
    return [file_row(config, root, item) for item in items]


_POOL_PARENT = 0  # in a pool worker: the process that started it


def parse_in_pool(
    config: Config, items: list[tuple[str, int, int, int]], progress: Progress | None
) -> list[tuple[Any, ...]] | None:
    """Parse many files on every core; None if a pool cannot be started here.

    The workers never outlive the command: they die with it however it ends (see
    ``_start_worker``), and a SIGTERM while they work stops them before it ends the command
    (``_workers_stopped_on_sigterm``); any exception (Ctrl-C) stops them without waiting.
    """
    workers = min(os.cpu_count() or 1, 8)
    size = max(100, min(1000, len(items) // (workers * 8) or 1))
    chunks = [items[start : start + size] for start in range(0, len(items), size)]
    rows: list[tuple[Any, ...]] = []
    try:
        import multiprocessing
        from concurrent.futures import ProcessPoolExecutor

        context = multiprocessing.get_context("fork" if os.name == "posix" else "spawn")
        pool = ProcessPoolExecutor(
            max_workers=workers,
            mp_context=context,
            initializer=_start_worker,
            initargs=(os.getpid(),),
        )
    except (OSError, RuntimeError, ImportError):
        return None
    try:
        with _workers_stopped_on_sigterm(pool):
            for chunk_rows in pool.map(_parse_chunk, ((config, chunk) for chunk in chunks)):
                rows.extend(chunk_rows)
                if progress:
                    progress(len(rows), len(items))
    except (OSError, RuntimeError):  # (a BrokenProcessPool is a RuntimeError)
        _stop_workers(pool)
        return None
    except BaseException:
        _stop_workers(pool)
        raise
    pool.shutdown()
    return rows


def _start_worker(parent: int) -> None:
    """A pool worker's first step: die when its parent does, even by SIGKILL (Linux: the
    parent-death signal; elsewhere ``_parse_chunk`` checks before each chunk), and take the
    default action on SIGTERM and SIGINT rather than the parent's handlers."""
    global _POOL_PARENT
    import signal

    _POOL_PARENT = parent
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the parent's to handle
    if sys.platform.startswith("linux"):
        with contextlib.suppress(OSError, AttributeError):
            import ctypes

            libc = ctypes.CDLL(None, use_errno=True)
            libc.prctl(_PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
    if os.getppid() != parent:  # the parent died before the signal was asked for
        os._exit(1)


_PR_SET_PDEATHSIG = 1  # <linux/prctl.h>


def _kill_workers(pool: Any) -> None:
    """SIGKILL to every worker of a pool: no lock taken, so safe in a signal handler."""
    import signal

    kill = getattr(signal, "SIGKILL", signal.SIGTERM)  # (Windows has no SIGKILL)
    for pid in list(getattr(pool, "_processes", None) or ()):  # pid -> process
        with contextlib.suppress(OSError):
            os.kill(pid, kill)


def _stop_workers(pool: Any) -> None:
    """End a pool at once: its workers killed, nothing waited for."""
    _kill_workers(pool)
    with contextlib.suppress(Exception):
        pool.shutdown(wait=False, cancel_futures=True)


@contextlib.contextmanager
def _workers_stopped_on_sigterm(pool: Any) -> Iterator[None]:
    """While the pool works: a SIGTERM kills its workers, then ends this process as SIGTERM
    would have (status 128 + 15, no traceback). Only where SIGTERM still has its default
    action and this is the main thread (a program that handles SIGTERM itself keeps it)."""
    import signal
    import threading

    if (
        threading.current_thread() is not threading.main_thread()
        or signal.getsignal(signal.SIGTERM) is not signal.SIG_DFL
    ):
        yield
        return

    def stop(signum: int, frame: Any) -> None:
        _kill_workers(pool)
        signal.signal(signum, signal.SIG_DFL)
        os.kill(os.getpid(), signum)

    signal.signal(signal.SIGTERM, stop)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, signal.SIG_DFL)
