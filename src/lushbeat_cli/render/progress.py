"""Transient progress bars on stderr (rich), one per phase; drawn only when asked (on a
terminal), so piped output never carries them. Used by export and similar.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterator
from typing import Any

from lushbeat_cli.render.human import Output

PhaseProgress = Callable[[str, int, int], None]  # (phase, done, total)


@contextlib.contextmanager
def progress_bars(out: Output, *, enabled: bool) -> Iterator[PhaseProgress | None]:
    """An ``update(phase, done, total)`` that draws one bar per phase on stderr, cleared at
    the end; None when not ``enabled``. stdout is never redirected: it carries data."""
    if not enabled:
        yield None
        return
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn

    with Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        console=out.err,
        transient=True,
        redirect_stdout=False,
        redirect_stderr=False,
    ) as bar:
        tasks: dict[str, Any] = {}

        def update(phase: str, done: int, total: int) -> None:
            task = tasks.get(phase)
            if task is None:
                task = tasks[phase] = bar.add_task(phase, total=total)
            bar.update(task, completed=done)

        yield update
