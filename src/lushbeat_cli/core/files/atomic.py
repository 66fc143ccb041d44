"""Safe writes: every file lushbeat writes (articles, config, exports) goes through here.

The rules, for a write to PATH:
- A regular file (or no file) is written atomically: a temporary file in the same folder,
  flushed, then renamed over PATH, so a reader sees the old or the new file, never half of one.
  The replaced file's permission bits (and, where allowed, its owner) are kept. A hard-linked
  file gets a new inode: its other names keep the old content.
- A symbolic link is written through: the file it names is replaced as above (the temporary
  file sits next to that file) and the link stays a link. A link to nothing (or a loop of
  links) is refused.
- A character or block device or a FIFO (``/dev/null``, a terminal, a named pipe,
  ``/dev/stdout``, a shell's ``>(...)``) is never replaced: the bytes are written to it, as a
  shell's ``>`` does (not atomic, like any stream). A FIFO that nothing reads is refused after
  a second rather than waited on for ever. Any temporary file such a write needs is made in
  the system's temp folder, never beside the device.
- Anything else (a folder, a socket) is refused.
- Ctrl-C never leaves a temporary file behind: it is removed before the interrupt goes on.

Imported by core modules and exporters.
"""

from __future__ import annotations

import contextlib
import errno
import os
import shutil
import stat
import tempfile
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from types import FrameType
from typing import Any, BinaryIO

from lushbeat_cli.errors import ArticleExistsError, LushbeatError

_COPY_CHUNK = 1024 * 1024
FIFO_GRACE = 1.0  # seconds a FIFO's reader may take to arrive before the write is refused


def atomic_write(path: Path, data: bytes, *, overwrite: bool = False) -> None:
    """Write ``data`` to ``path`` atomically (see ``atomic_writer``)."""
    with atomic_writer(path, overwrite=overwrite) as stream:
        stream.write(data)


@contextlib.contextmanager
def atomic_writer(path: Path, *, overwrite: bool = False) -> Iterator[BinaryIO]:
    """A binary stream whose bytes appear at ``path`` only when the block ends without error.

    The data goes to a temporary file next to the file written (so large exports need no
    memory), is flushed to disk, then renamed into place; a device or FIFO is written to
    directly instead (see the module's rules). With ``overwrite=False`` nothing that exists is
    ever replaced, even a file created a moment ago by another process (the final step is a hard
    link, which fails if the name exists). With ``overwrite=True`` the file's permission bits
    are kept (a new file gets 0666 less the umask, like any other new file).
    """
    target = resolve_target(path, overwrite=overwrite)
    if target.special:
        with _special_stream(target) as stream:
            yield stream
        return
    with Scratch() as scratch:
        handle = scratch.create_file(target.path)
        try:
            with os.fdopen(handle, "wb") as stream:
                yield stream
                stream.flush()
                os.fsync(stream.fileno())
            assert scratch.path is not None
            _move_into_place(scratch.path, target)
        except OSError as exc:
            raise LushbeatError(f"cannot write: {exc.strerror}", path=path) from None


@contextlib.contextmanager
def atomic_file(path: Path, *, overwrite: bool = False) -> Iterator[Path]:
    """A path for another library to create and fill (SQLite builds a database there); the file
    appears at ``path`` only when the block ends without error, by the same rules as
    ``atomic_writer``.

    The path lies in a private temporary folder (so a library's side files, such as a
    journal, go with it): next to the file written, or, for a device or FIFO, in the system's
    temp folder, from where the finished file is copied to the device.
    """
    target = resolve_target(path, overwrite=overwrite)
    if target.special:
        with _special_stream(target) as stream, Scratch() as scratch:
            built = scratch.create_folder(None) / target.path.name
            yield built
            try:
                with built.open("rb") as source:
                    shutil.copyfileobj(source, stream, _COPY_CHUNK)
            except OSError as exc:
                raise LushbeatError(f"cannot write: {exc.strerror}", path=path) from None
        return
    with Scratch() as scratch:
        built = (
            scratch.create_folder(target.path.parent, f".{target.path.name}.") / target.path.name
        )
        yield built
        try:
            _move_into_place(built, target)
        except OSError as exc:
            raise LushbeatError(f"cannot write: {exc.strerror}", path=path) from None


# ---------------------------------------------------------------- what a path is


@dataclass(frozen=True, slots=True)
class Target:
    """Where a write to a path lands: ``path`` is the file to write (a symlink's target), and
    ``special`` says it is a device or FIFO (written to, never replaced)."""

    path: Path
    special: bool = False
    existing: os.stat_result | None = None
    overwrite: bool = False


def resolve_target(path: Path, *, overwrite: bool = True) -> Target:
    """What a write to ``path`` would do (see the module's rules); raises for what is refused:
    anything existing when ``overwrite`` is False, a dangling symlink, a folder, a socket."""
    try:
        info = os.lstat(path)
    except FileNotFoundError:
        return Target(path, overwrite=overwrite)
    except OSError as exc:
        raise LushbeatError(f"cannot write: {exc.strerror}", path=path) from None
    if not overwrite:
        raise ArticleExistsError("already exists; not overwritten", path=path)
    real = path
    if stat.S_ISLNK(info.st_mode):
        try:
            info = os.stat(path)  # follows the link (and /dev/stdout's /proc/self/fd/1)
            if stat.S_ISREG(info.st_mode):
                real = Path(os.path.realpath(path, strict=True))
        except OSError as exc:
            raise LushbeatError(_dangling(path, exc), path=path) from None
    mode = info.st_mode
    if stat.S_ISREG(mode):
        return Target(real, existing=info, overwrite=True)
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode) or stat.S_ISFIFO(mode):
        return Target(path, special=True, existing=info, overwrite=True)
    if stat.S_ISDIR(mode):
        raise LushbeatError("is a folder; not written", path=path)
    what = "a socket" if stat.S_ISSOCK(mode) else "not a regular file, device or FIFO"
    raise LushbeatError(f"is {what}; not written", path=path)


def output_folder(path: Path) -> Path:
    """The folder a write of a whole folder to ``path`` lands in: ``path`` resolved through
    symlinks (the link stays a link). A symlink to nothing is refused, as for files."""
    try:
        info = os.lstat(path)
    except FileNotFoundError:
        return path.resolve()
    except OSError as exc:
        raise LushbeatError(f"cannot write: {exc.strerror}", path=path) from None
    if stat.S_ISLNK(info.st_mode):
        try:
            return Path(os.path.realpath(path, strict=True))
        except OSError as exc:
            raise LushbeatError(_dangling(path, exc), path=path) from None
    return path.resolve()


def _dangling(path: Path, exc: OSError) -> str:
    if exc.errno == errno.ELOOP:
        return "is a loop of symbolic links; not written"
    try:
        named = os.readlink(path)
    except OSError:
        return "is a symbolic link to a missing file; not written"
    return f"is a symbolic link to {named}, which does not exist; not written"


# ---------------------------------------------------------------- devices and FIFOs


@contextlib.contextmanager
def _special_stream(target: Target) -> Iterator[BinaryIO]:
    """The device or FIFO opened for writing, as a shell's ``>`` opens it."""
    assert target.existing is not None
    path = target.path
    fifo = stat.S_ISFIFO(target.existing.st_mode)
    flags = os.O_WRONLY | getattr(os, "O_NOCTTY", 0) | getattr(os, "O_CLOEXEC", 0)
    if fifo:  # opening a FIFO waits for a reader; O_NONBLOCK fails at once instead
        flags |= getattr(os, "O_NONBLOCK", 0)
    waited = 0.0
    while True:
        try:
            handle = os.open(path, flags)
            break
        except OSError as exc:
            if not (fifo and exc.errno == errno.ENXIO):
                raise LushbeatError(f"cannot write: {exc.strerror}", path=path) from None
            if waited >= FIFO_GRACE:
                raise LushbeatError(
                    "is a FIFO (named pipe) that nothing reads; not written "
                    "(start its reader first)",
                    path=path,
                ) from None
        time.sleep(0.02)  # a reader started at the same moment (``lushbeat -o p & cat p``)
        waited += 0.02
    try:
        mode = os.fstat(handle).st_mode
        if not (stat.S_ISCHR(mode) or stat.S_ISBLK(mode) or stat.S_ISFIFO(mode)):
            raise LushbeatError("changed while lushbeat opened it; not written", path=path)
        if fifo:
            os.set_blocking(handle, True)
        stream = os.fdopen(handle, "wb")
    except BaseException:
        os.close(handle)
        raise
    try:
        with stream:
            yield stream
            stream.flush()
    except OSError as exc:
        raise LushbeatError(f"cannot write: {exc.strerror}", path=path) from None


# ---------------------------------------------------------------- temporary files


def _move_into_place(temp: Path, target: Target) -> None:
    """Give ``temp`` the replaced file's mode and rename it over the target (or, without
    ``overwrite``, link it there, which fails if the name is taken meanwhile)."""
    path = target.path
    if target.overwrite:
        _give_mode(temp, target.existing)
        os.replace(temp, path)
        return
    os.chmod(temp, 0o666 & ~_umask())
    try:
        os.link(temp, path)
    except FileExistsError:
        raise ArticleExistsError("already exists; not overwritten", path=path) from None
    except OSError:
        # File systems without hard links: fall back to an exclusive create check.
        if os.path.lexists(path):
            raise ArticleExistsError("already exists; not overwritten", path=path) from None
        os.replace(temp, path)


def _give_mode(temp: Path, existing: os.stat_result | None) -> None:
    if existing is None:
        os.chmod(temp, 0o666 & ~_umask())  # the usual mode of a new file, not mkstemp's 0600
        return
    if hasattr(os, "chown") and (existing.st_uid, existing.st_gid) != _owner(temp):
        with contextlib.suppress(OSError):  # only root (or a group member) may
            os.chown(temp, existing.st_uid, existing.st_gid)
    os.chmod(temp, stat.S_IMODE(existing.st_mode))


def _owner(path: Path) -> tuple[int, int]:
    info = os.stat(path)
    return info.st_uid, info.st_gid


class Scratch:
    """One temporary file or folder that never outlives the block, even on Ctrl-C.

    ``path`` is what is removed at the end (or on Ctrl-C): set it to None to keep what is
    there, or to another path (a folder to throw away) to remove that instead.

    Python raises KeyboardInterrupt between any two steps, so a plain try/finally leaves the
    file behind when Ctrl-C lands between its creation and the ``try``, or at the start of the
    cleanup. While the block runs (main thread only), SIGINT goes to this object's handler
    instead: during the creation it is held back until the name is known; at any other moment
    it removes the temporary file first, then hands the signal to the previous handler (which
    raises KeyboardInterrupt as usual).
    """

    def __init__(self) -> None:
        self.path: Path | None = None
        self._holding = False
        self._pending: tuple[int, FrameType | None] | None = None
        self._previous: Callable[[int, FrameType | None], Any] | None = None

    def __enter__(self) -> Scratch:
        import signal

        previous = signal.getsignal(signal.SIGINT)
        if callable(previous):  # not when Ctrl-C is ignored or left to the system
            self._previous = previous
            try:
                signal.signal(signal.SIGINT, self._interrupted)
            except ValueError:  # not the main thread, where KeyboardInterrupt never arrives
                self._previous = None
        return self

    def __exit__(self, *exc_info: object) -> None:
        self._holding = True
        try:
            self.discard()
        finally:
            self._restore()
            self._holding = False
            self._deliver()

    def create_file(self, beside: Path) -> int:
        """A new empty file next to ``beside``: its open descriptor."""
        folder = beside.parent
        self._holding = True
        try:
            folder.mkdir(parents=True, exist_ok=True)
            handle, name = tempfile.mkstemp(prefix=f".{beside.name}.", suffix=".tmp", dir=folder)
            self.path = Path(name)
        except OSError as exc:
            raise LushbeatError(f"cannot write: {exc.strerror}", path=beside) from None
        finally:
            self._holding = False
        try:
            self._deliver()
        except BaseException:
            os.close(handle)
            raise
        return handle

    def create_folder(self, parent: Path | None, prefix: str = ".lushbeat.") -> Path:
        """A new empty folder in ``parent`` (made if needed; None: the system's temp folder),
        named PREFIX + random + ``.tmp``, with the usual permissions of a new folder."""
        self._holding = True
        try:
            if parent is not None:
                parent.mkdir(parents=True, exist_ok=True)
            name = tempfile.mkdtemp(prefix=prefix, suffix=".tmp", dir=parent)
            self.path = Path(name)
            os.chmod(name, 0o777 & ~_umask())  # mkdtemp's is owner-only
        except OSError as exc:
            where = parent if parent is not None else Path(tempfile.gettempdir())
            raise LushbeatError(f"cannot write: {exc.strerror}", path=where) from None
        finally:
            self._holding = False
        self._deliver()
        return self.path

    @contextlib.contextmanager
    def held(self) -> Iterator[None]:
        """Ctrl-C waits until the block ends: for steps that must not stop half-way (renames
        that move a user's files and back). Set ``path`` to what is to be removed after."""
        self._holding = True
        try:
            yield
        finally:
            self._holding = False
            self._deliver()

    def discard(self) -> None:
        """Remove the temporary file or folder (if it is still there)."""
        path = self.path
        if path is None:
            return
        with contextlib.suppress(OSError):
            if os.path.isdir(path) and not os.path.islink(path):
                shutil.rmtree(path, ignore_errors=True)
            else:
                path.unlink()
        self.path = None  # only now: an interrupt during the removal repeats it

    def _interrupted(self, signum: int, frame: FrameType | None) -> None:
        if self._holding:
            self._pending = (signum, frame)
            return
        self._holding = True  # a second Ctrl-C waits for this cleanup (never nested in it)
        try:
            self.discard()
        finally:
            self._holding = False
        if self._previous is not None:
            self._previous(signum, frame)

    def _deliver(self) -> None:
        if self._pending is not None:
            signum, frame = self._pending
            self._pending = None
            self._interrupted(signum, frame)

    def _restore(self) -> None:
        if self._previous is None:
            return
        import signal

        if signal.getsignal(signal.SIGINT) == self._interrupted:
            signal.signal(signal.SIGINT, self._previous)


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask
