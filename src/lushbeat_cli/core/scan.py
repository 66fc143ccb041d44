"""Listing the content folder: every article file with its size and modification time.

This is the first step of every index refresh, and the one that grows with the archive: one
``stat`` call per file (10,000 files: some 35 ms here, as long as ripgrep takes to search them).
So that this need not wait for the rest of the program to load, the command line may start
the scan in a forked child process first (``prescan``): on a machine with two or more cores
the stat calls then run while Python imports modules, as git's ``core.preloadIndex`` runs
its stat calls on threads (Python threads would take turns on one core). ``scan_content``
takes the child's answer when one was started for the same folder, and scans itself when
there is none or the child failed in any way.

Light on purpose (os, marshal, signal and contextlib, which Python has loaded anyway), so the
command line can import it before anything else.
"""

from __future__ import annotations

import contextlib
import marshal
import os
import signal
import sys
from collections.abc import Iterator
from contextlib import contextmanager

ARTICLE_SUFFIXES = (".md", ".markdown")

Scan = dict[str, str | None]  # relative POSIX path -> "size:mtime_ns", None when not stat-able
Unreadable = list[tuple[str, str]]  # (relative folder path, reason)


def scan_content(root: os.PathLike[str] | str, unreadable: Unreadable | None = None) -> Scan:
    """Relative POSIX path -> "size:mtime_ns" of every article file; None when stat fails.

    The same files as ``corpus.find_article_paths``: hidden names skipped, symlinked folders
    listed but not entered; unreadable folders go to ``unreadable`` as (relative path, reason).
    """
    pending = _PENDING.pop(os.fspath(root), None)
    answer = None if pending is None else pending.result()
    if answer is not None:
        found, folders = answer
        if unreadable is not None:
            unreadable.extend(folders)
        return found
    return _scan(os.fspath(root), unreadable)


def _scan(root: str, unreadable: Unreadable | None) -> Scan:
    found: Scan = {}
    stack = [("", root)]
    while stack:
        prefix, folder = stack.pop()
        try:
            entries, handle = _list_folder(folder)
        except OSError as exc:
            if unreadable is not None:
                unreadable.append((prefix.rstrip("/"), exc.strerror or exc.__class__.__name__))
            continue
        try:
            for entry in entries:
                name = entry.name
                if name.startswith("."):
                    continue
                try:
                    is_dir = entry.is_dir()
                except OSError:
                    is_dir = False
                if is_dir:
                    if not entry.is_symlink():
                        stack.append((prefix + name + "/", os.path.join(folder, name)))
                    continue
                if not name.lower().endswith(ARTICLE_SUFFIXES):
                    continue
                rel = prefix + name
                try:
                    info = entry.stat()  # relative to the open folder: no path walk per file
                except OSError:
                    found[rel] = None
                    continue
                if not rel.isascii() and not _encodable(rel):
                    found[rel] = None  # undecodable file name: cannot be a database key
                    continue
                found[rel] = f"{info.st_size}:{info.st_mtime_ns}"
        finally:
            if handle is not None:
                os.close(handle)
    return found


def _list_folder(folder: str) -> tuple[list[os.DirEntry[str]], int | None]:
    """A folder's entries, listed through an open descriptor where the platform allows it
    (each entry's ``stat`` is then relative to it); the caller closes the descriptor."""
    if os.scandir not in os.supports_fd:
        return list(os.scandir(folder)), None
    handle = os.open(folder, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0))
    try:
        return list(os.scandir(handle)), handle  # type: ignore[arg-type]
    except BaseException:
        os.close(handle)
        raise


def _encodable(text: str) -> bool:
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


# ---------------------------------------------------------------- scanning in a child process


class _Child:
    """A forked child scanning one folder; its answer comes through a pipe, marshalled."""

    def __init__(self, pid: int, reader: int) -> None:
        self.pid = pid
        self.reader: int | None = reader

    def result(self) -> tuple[Scan, Unreadable] | None:
        """The child's (scan, unreadable folders), or None if it failed in any way."""
        if self.reader is None:
            return None
        chunks = []
        try:
            while chunk := os.read(self.reader, 1 << 20):
                chunks.append(chunk)
        except OSError:
            return None
        finally:
            self.close()
        try:
            found, folders = marshal.loads(b"".join(chunks))
        except (EOFError, ValueError, TypeError):  # a child killed half-way
            return None
        if not isinstance(found, dict) or not isinstance(folders, list):
            return None
        return found, folders

    def close(self) -> None:
        """Stop listening and reap the child (stopped first if its answer was not read)."""
        if self.reader is None:
            return
        os.close(self.reader)
        self.reader = None
        with contextlib.suppress(OSError):
            os.kill(self.pid, signal.SIGKILL)  # a no-op once it has answered and exited
        with contextlib.suppress(ChildProcessError):
            os.waitpid(self.pid, 0)


_PENDING: dict[str, _Child] = {}


@contextmanager
def prescan(root: os.PathLike[str] | str) -> Iterator[None]:
    """Within the block, the first ``scan_content(root)`` takes the answer of a child process
    that started scanning on entry. Only where that can pay: Linux (fork is cheap and safe in a
    single-threaded process), two or more usable cores, no other thread running. Whatever the
    child does, the block sees the same answer as an ordinary scan, or an ordinary scan."""
    key = os.fspath(root)
    child = _start(key) if _can_fork() else None
    if child is not None:
        _PENDING[key] = child
    try:
        yield
    finally:
        if child is not None:
            if _PENDING.get(key) is child:
                del _PENDING[key]
            child.close()


def _can_fork() -> bool:
    if sys.platform != "linux" or not hasattr(os, "fork"):
        return False
    threading = sys.modules.get("threading")
    if threading is not None and threading.active_count() > 1:
        return False  # forking a threaded process can deadlock the child
    try:
        return len(os.sched_getaffinity(0)) > 1
    except (AttributeError, OSError):
        return False


def _start(root: str) -> _Child | None:
    try:
        reader, writer = os.pipe()
    except OSError:
        return None
    try:
        pid = os.fork()
    except OSError:
        os.close(reader)
        os.close(writer)
        return None
    if pid == 0:  # the child: scan, answer, and leave without running any of the parent's code
        status = 1
        try:
            os.close(reader)
            unreadable: Unreadable = []
            data = memoryview(marshal.dumps((_scan(root, unreadable), unreadable)))
            while data:
                data = data[os.write(writer, data) :]
            status = 0
        except BaseException:  # Ctrl-C, a closed pipe: the parent scans itself
            pass
        finally:
            os._exit(status)
    os.close(writer)
    return _Child(pid, reader)
