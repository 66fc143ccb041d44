"""Atomic file writes: a temporary file in the same folder, flushed, then renamed into place.

Core modules that write articles or exports go through here, so nothing is ever half-written.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import BinaryIO

from lushbeat_cli.errors import ArticleExistsError, LushbeatError


def atomic_write(path: Path, data: bytes, *, overwrite: bool = False) -> None:
    """Write ``data`` to ``path`` atomically (see ``atomic_writer``)."""
    with atomic_writer(path, overwrite=overwrite) as stream:
        stream.write(data)


@contextlib.contextmanager
def atomic_writer(path: Path, *, overwrite: bool = False) -> Iterator[BinaryIO]:
    """A binary stream whose bytes appear at ``path`` only when the block ends without error.

    The data goes to a temporary file in the same folder (so large exports need no memory),
    is flushed to disk, then renamed into place. With ``overwrite=False`` an existing file is
    never replaced, even one created a moment ago by another process (the final step is a hard
    link, which fails if the name exists). With ``overwrite=True`` the file's permission bits
    are kept (a new file gets 0666 less the umask, like any other new file).
    """
    folder = path.parent
    try:
        folder.mkdir(parents=True, exist_ok=True)
        handle, temp_name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=folder)
    except OSError as exc:
        raise LushbeatError(f"cannot write: {exc.strerror}", path=path) from None
    temp = Path(temp_name)
    try:
        with os.fdopen(handle, "wb") as stream:
            yield stream
            stream.flush()
            os.fsync(stream.fileno())
        if overwrite:
            try:
                mode = path.stat().st_mode & 0o7777
            except FileNotFoundError:
                mode = 0o666 & ~_umask()  # a new file gets the usual mode, not mkstemp's 0600
            os.chmod(temp, mode)
            os.replace(temp, path)
        else:
            if not path.exists():
                os.chmod(temp, 0o666 & ~_umask())
            try:
                os.link(temp, path)
            except FileExistsError:
                raise ArticleExistsError("already exists; not overwritten", path=path) from None
            except OSError:
                # File systems without hard links: fall back to an exclusive create check.
                if path.exists():
                    raise ArticleExistsError("already exists; not overwritten", path=path) from None
                os.replace(temp, path)
    except OSError as exc:
        raise LushbeatError(f"cannot write: {exc.strerror}", path=path) from None
    finally:
        with contextlib.suppress(FileNotFoundError):
            temp.unlink()


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask
