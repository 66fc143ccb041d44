"""A project-wide lock for creating articles, so that "is this slug free?" and "write the new
file" happen as one step across processes (parallel `new` and `import`).

``creation_lock(config)`` holds an exclusive ``flock`` on ``.lushbeat/create.lock`` in the
project (the folder the index lives in by default; nothing is ever written into the file).
Where that file cannot be used (a read-only project, a symlinked ``.lushbeat``), the project
folder itself is locked instead; where ``fcntl`` does not exist (Windows), nothing is locked.
Pure core; used by the ``new`` and ``import`` commands.
"""

from __future__ import annotations

import contextlib
import os
import stat
import time
from collections.abc import Iterator
from pathlib import Path

from lushbeat_cli.core.config import Config
from lushbeat_cli.errors import LushbeatError

LOCK_FOLDER = ".lushbeat"
LOCK_NAME = "create.lock"
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
    """A descriptor to lock: the lock file, else the project folder, else None."""
    folder = root / LOCK_FOLDER
    path = folder / LOCK_NAME
    flags = (
        os.O_RDWR
        | os.O_CREAT
        | getattr(os, "O_NOFOLLOW", 0)  # a symlink planted at the lock's name is not followed
        | getattr(os, "O_NONBLOCK", 0)  # nor does a FIFO there block the open
        | getattr(os, "O_CLOEXEC", 0)
    )
    with contextlib.suppress(OSError):
        if not folder.is_symlink():
            folder.mkdir(exist_ok=True)
            fd = os.open(path, flags, 0o666)
            if stat.S_ISREG(os.fstat(fd).st_mode):
                return fd, path
            os.close(fd)
    with contextlib.suppress(OSError):
        return os.open(root, os.O_RDONLY | getattr(os, "O_CLOEXEC", 0)), root
    return None, None
