"""Transient progress bars on stderr (rich), one per phase; drawn only when asked (on a
terminal) and once a job has run for about a second, so piped output never carries them.
Used by validate, export and similar.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterator
from typing import Any

from lushbeat_cli.render.human import Output

PhaseProgress = Callable[[str, int, int], None]  # (phase, done, total)


DELAY = 1.0  # seconds: a job done sooner draws nothing ("progress for any run over a second")


def _delay_setting() -> float:
    """DELAY, or LUSHBEAT_PROGRESS_DELAY seconds (tests and demos draw bars at once with 0)."""
    import os

    try:
        return max(0.0, float(os.environ.get("LUSHBEAT_PROGRESS_DELAY", DELAY)))
    except ValueError:
        return DELAY


@contextlib.contextmanager
def progress_bars(
    out: Output, *, enabled: bool, delay: float | None = None
) -> Iterator[PhaseProgress | None]:
    """An ``update(phase, done, total)`` that draws one bar per phase on stderr, cleared at
    the end; None when not ``enabled``. Nothing is drawn before ``delay`` seconds have passed,
    so a quick run shows no flash of a bar. stdout is never redirected: it carries data."""
    if not enabled:
        yield None
        return
    import time

    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn

    if delay is None:
        delay = _delay_setting()
    started = time.monotonic()
    bar: Progress | None = None
    tasks: dict[str, Any] = {}
    pending: dict[str, tuple[int, int]] = {}  # phases seen before the bar was drawn

    def update(phase: str, done: int, total: int) -> None:
        nonlocal bar
        if bar is None:
            pending[phase] = (done, total)
            if time.monotonic() - started < delay:
                return
            bar = Progress(
                TextColumn("{task.description}"),
                BarColumn(),
                MofNCompleteColumn(),
                console=out.err,
                transient=True,
                redirect_stdout=False,
                redirect_stderr=False,
            )
            bar.start()
            for name, (done_then, total_then) in pending.items():
                tasks[name] = bar.add_task(name, total=total_then, completed=done_then)
            return
        task = tasks.get(phase)
        if task is None:
            task = tasks[phase] = bar.add_task(phase, total=total)
        bar.update(task, completed=done, total=total)

    try:
        yield update
    finally:
        if bar is not None:
            bar.stop()
