"""A project-wide lock for creating articles, so that "is this slug free?" and "write the new
file" happen as one step across processes (parallel `new` and `import`).

``creation_lock(config)`` holds an exclusive ``flock`` on the project folder itself (a
descriptor of the folder, as ``flock(1)`` can lock one): no lock file is created, so a command
that is refused leaves the project exactly as it was, and nothing planted in the project (a
symlink, a FIFO) can redirect the lock. Where ``fcntl`` does not exist (Windows) or the file
system has no ``flock``, nothing is locked. Pure core; used by the ``new`` and ``import``
commands.
"""

from __future__ import annotations

import contextlib
import os
import time
from collections.abc import Iterator
from pathlib import Path

from lushbeat_cli.core.config import Config
from lushbeat_cli.errors import LushbeatError

LOCK_WAIT = 120.0  # seconds; another command may be building a cold index under the lock
_POLL = 0.05


class LockTimeoutError(LushbeatError):
    """Another process held the creation lock for too long (exit 1)."""


@contextlib.contextmanager
def creation_lock(config: Config, *, wait: float = LOCK_WAIT) -> Iterator[Path | None]:
    """Hold the project's creation lock for the ``with`` block; yields the locked path (None
    when no lock could be taken). Raises LockTimeoutError after ``wait`` seconds."""
    try:
        import fcntl
    except ImportError:  # pragma: no cover - Windows: no advisory locks here
        yield None
        return
    fd, path = _open_lock(config.root)
    if fd is None:
        yield None
        return
    try:
        deadline = time.monotonic() + wait
        while True:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() >= deadline:
                    raise LockTimeoutError(
                        f"another lushbeat command is creating articles in this project; "
                        f"waited {wait:g} s for its lock",
                        path=path,
                    ) from None
                time.sleep(_POLL)
            except OSError:  # a file system without flock: go on unlocked, as before
                path = None
                break
        yield path
    finally:
        os.close(fd)  # closing the descriptor releases the lock


def _open_lock(root: Path) -> tuple[int | None, Path | None]:
    """A descriptor of the project folder to lock, or None if it cannot be opened."""
    try:
        return os.open(root, os.O_RDONLY | getattr(os, "O_CLOEXEC", 0)), root
    except OSError:
        return None, None
