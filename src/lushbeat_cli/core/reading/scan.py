"""Listing the content folder: every article file with its size and modification time.

This is the first step of every index refresh, and the one that grows with the archive: one
``stat`` call per file (10,000 files: some 35 ms here, as long as ripgrep takes to search them).
So that this need not wait for the rest of the program to load, the command line may start
the scan in a forked child process first (``Prescan``): on a machine with two or more cores
the stat calls then run while Python imports modules, as git's ``core.preloadIndex`` runs
its stat calls on threads (Python threads would take turns on one core). ``scan_manifest``
takes the child's answer when one was started for the same folder, and scans itself when
there is none or the child failed in any way. The answer is the manifest as text
(``manifest_text``), which the index compares with its stored one without decoding either.

Light on purpose (os, sys and marshal, which Python has loaded anyway), so the command line
can import it before anything else.
"""

from __future__ import annotations

import marshal
import os
import stat as _stat  # loaded with os anyway
import sys

TYPE_CHECKING = False  # not typing's: see lushbeat_cli/__init__.py
if TYPE_CHECKING:
    from collections.abc import Callable, Iterator, Sequence
    from typing import TypeAlias

    Target: TypeAlias = "str | tuple[str, PathRules | None]"  # a folder to scan (and its rules)

ARTICLE_SUFFIXES = (".md", ".markdown", ".mdx")
# What is never an article, whatever the generator: a repository's own files (README.md,
# LICENSE.md...), partials included into pages (DocFX includes/, Jekyll _includes/), Hugo's
# section list pages, installed packages. The config's ``exclude`` replaces this list.
DEFAULT_EXCLUDE = (
    "README.*",
    "LICENSE.*",
    "LICENCE.*",
    "CHANGELOG.*",
    "SECURITY.*",
    "CONTRIBUTING.*",
    "CODE_OF_CONDUCT.*",
    "_index.md",
    "includes/",
    "_includes/",
    "node_modules/",
)
DEFAULT_INDEX_PATH = ".lushbeat/index.sqlite"  # under the project root (config [index] path)
# Every index lushbeat writes carries this ``PRAGMA application_id`` (b"lsbt") in its header, so
# that a file is recognised as lushbeat's before SQLite touches it (core.index).
APPLICATION_ID = 0x6C736274
SQLITE_MAGIC = b"SQLite format 3\x00"
HEADER_BYTES = 100  # the SQLite file header: magic at 0, application_id at 68 (big-endian)

Scan = dict[str, str | None]  # relative POSIX path -> "size:mtime_ns", None when not stat-able
Unreadable = list[tuple[str, str]]  # (relative folder path, reason)


def scan_manifest(
    root: os.PathLike[str] | str,
    unreadable: Unreadable | None = None,
    rules: PathRules | None = None,
) -> str:
    """Every article file under ``root`` with its signature, as ``manifest_text``: relative
    POSIX path -> "size:mtime_ns", None when stat fails. From the child a ``Prescan``
    started for ``root`` (and the same ``rules``), when there is one, else scanned here.

    The files ``walk`` finds (as ``reading.find_article_paths`` does); unreadable folders go to
    ``unreadable`` as (relative path, reason).
    """
    folder = os.fspath(root)
    answer = _take(_target_name(folder, rules))
    if answer is None:
        return _scan(folder, unreadable, rules)
    data, folders = answer
    if unreadable is not None:
        unreadable.extend(folders)
    return data


def manifest_text(found: Scan) -> str:
    """A scan as text: path, NUL, signature ("?" for None), NUL, and so on, in the scan's order
    (a file name never holds a NUL). The index stores its manifest the same way, in the order
    of the scan that last changed it; a folder lists in the same order while it is unchanged,
    so an unchanged collection is one comparison of strings, nothing decoded (another order
    only means the slower comparison of entries)."""
    parts = []
    for rel, signature in found.items():
        parts.append(rel)
        parts.append("?" if signature is None else signature)
    return "\0".join(parts)


def manifest_entries(text: str) -> Scan:
    """``manifest_text`` read back."""
    if not text:
        return {}
    parts = text.split("\0")
    if len(parts) % 2:
        raise ValueError("not a manifest")
    pairs = zip(parts[::2], parts[1::2], strict=True)
    return {rel: None if sig == "?" else sig for rel, sig in pairs}


def walk(
    root: str, unreadable: Unreadable | None = None, rules: PathRules | None = None
) -> Iterator[tuple[str, list[os.DirEntry[str]]]]:
    """The one walk of a content folder: (relative POSIX prefix, the folder's article files)
    for ``root`` and each folder under it. What counts, for the index, the child scan, the
    corpus and validate alike: names ending in ``.md``/``.markdown``/``.mdx`` (any case) that
    ``rules`` keep (the config's include and exclude; excluded folders are not entered); names
    with a leading dot skipped (folders and files); symbolic links to folders listed nowhere
    and not entered (a link to a file, even a dangling one, is a file). Folders that cannot be
    listed go to ``unreadable`` as (relative path, reason). While the caller handles a folder's
    files, the folder stays open: ``entry.stat()`` is relative to it (no path walk per file)."""
    stack = [("", root, rules is None or not rules.include)]
    while stack:
        prefix, folder, included = stack.pop()
        try:
            entries, handle = _list_folder(folder)
        except OSError as exc:
            if unreadable is not None:
                unreadable.append((prefix.rstrip("/"), exc.strerror or exc.__class__.__name__))
            continue
        try:
            files = []
            for entry in entries:
                name = entry.name
                if name.startswith("."):
                    continue
                try:
                    is_dir = entry.is_dir()
                except OSError:
                    is_dir = False
                if is_dir:
                    if entry.is_symlink():
                        continue
                    inside = included
                    if rules is not None:
                        if rules.skips_folder(prefix, name):
                            continue
                        inside = included or rules.includes_folder(prefix, name)
                    stack.append((prefix + name + "/", os.path.join(folder, name), inside))
                elif name.lower().endswith(ARTICLE_SUFFIXES) and (
                    rules is None or rules.keeps_file(prefix, name, included)
                ):
                    files.append(entry)
            yield prefix, files
        finally:
            if handle is not None:
                os.close(handle)


class PathRules:
    """Which files of a content folder are articles: the config's ``include`` and ``exclude``
    globs, relative to the content folder, matched without regard to case.

    Like .gitignore: a pattern without a ``/`` (``README.*``, ``_index.md``) matches a file or
    folder name at any depth; one with a ``/`` in it (``news/2019/*.md``, ``/drafts``) matches
    the path from the content folder, ``**`` standing for any folders; a trailing ``/``
    (``includes/``) matches folders only. Whatever is in an excluded folder is excluded. With
    ``include`` patterns, a file is an article only if it (or a folder above it) matches one.
    """

    __slots__ = ("_exclude", "_include", "exclude", "include", "key")

    def __init__(self, include: Sequence[str] = (), exclude: Sequence[str] = ()) -> None:
        self.include = tuple(include)
        self.exclude = tuple(exclude)
        # What the child scan and the parent compare: the same rules give the same files.
        self.key = "\x1f".join(("+", *self.include, "-", *self.exclude))
        self._include = _Patterns(self.include)
        self._exclude = _Patterns(self.exclude)

    def skips_folder(self, prefix: str, name: str) -> bool:
        return self._exclude.match(prefix, name, folder=True)

    def includes_folder(self, prefix: str, name: str) -> bool:
        return self._include.match(prefix, name, folder=True)

    def keeps_file(self, prefix: str, name: str, included: bool = False) -> bool:
        """Whether the file ``prefix + name`` is an article; ``included``: a folder above it
        matched an include pattern (or there are none)."""
        if not (included or self._include.match(prefix, name, folder=False)):
            return False
        return not self._exclude.match(prefix, name, folder=False)

    def keeps_path(self, rel: str) -> bool:
        """Whether the file at relative POSIX path ``rel`` is an article: its suffix, its
        name, and every folder on the way to it (as ``walk`` decides)."""
        parts = rel.split("/")
        if any(part.startswith(".") for part in parts) or not parts[-1].lower().endswith(
            ARTICLE_SUFFIXES
        ):
            return False
        included = not self.include
        prefix = ""
        for part in parts[:-1]:
            if self.skips_folder(prefix, part):
                return False
            included = included or self.includes_folder(prefix, part)
            prefix += part + "/"
        return self.keeps_file(prefix, parts[-1], included)


class _Patterns:
    """Compiled globs: name patterns (any depth) and path patterns (from the root), each split
    into those that match files too and those that match folders only."""

    __slots__ = ("any_name", "any_path", "folder_name", "folder_path")

    def __init__(self, patterns: Sequence[str]) -> None:
        groups: dict[tuple[bool, bool], list[str]] = {}
        for raw in patterns:
            pattern = raw.strip().replace("\\", "/")
            folder_only = pattern.endswith("/")
            pattern = pattern.strip("/")
            if not pattern:
                continue
            anchored = "/" in pattern or raw.strip().startswith("/")
            groups.setdefault((anchored, folder_only), []).append(_glob_regex(pattern))
        self.any_name = _compile(groups.get((False, False)))
        self.folder_name = _compile(groups.get((False, True)))
        self.any_path = _compile(groups.get((True, False)))
        self.folder_path = _compile(groups.get((True, True)))

    def match(self, prefix: str, name: str, *, folder: bool) -> bool:
        if self.any_name is not None and self.any_name(name):
            return True
        if self.any_path is not None and self.any_path(prefix + name):
            return True
        if not folder:
            return False
        if self.folder_name is not None and self.folder_name(name):
            return True
        return self.folder_path is not None and bool(self.folder_path(prefix + name))


def _compile(regexes: list[str] | None) -> Callable[[str], object] | None:
    if not regexes:
        return None
    import re  # loaded at start-up anyway; a walk without patterns never needs it

    return re.compile("(?:" + "|".join(regexes) + r")\Z", re.IGNORECASE | re.DOTALL).match


def _glob_regex(pattern: str) -> str:
    """A glob as a regular expression: ``**`` any folders, ``*`` and ``?`` within a name,
    ``[...]`` a class (``[!...]`` negated)."""
    import re

    out: list[str] = []
    i = 0
    while i < len(pattern):
        if pattern.startswith("**/", i):
            out.append("(?:.*/)?")
            i += 3
            continue
        if pattern.startswith("**", i):
            out.append(".*")
            i += 2
            continue
        char = pattern[i]
        if char == "*":
            out.append("[^/]*")
        elif char == "?":
            out.append("[^/]")
        elif char == "[" and "]" in pattern[i + 2 :]:
            end = pattern.index("]", i + 2)
            body = pattern[i + 1 : end]
            negate = body.startswith("!")
            body = re.escape(body[1:] if negate else body).replace("\\-", "-")
            out.append(f"[{'^' if negate else ''}{body}]")
            i = end
        else:
            out.append(re.escape(char))
        i += 1
    return "".join(out)


def _target_name(folder: str, rules: PathRules | None) -> str:
    """What a child scan answers for: the folder, and the rules it applied."""
    return folder if rules is None else folder + "\0" + rules.key


def _scan(root: str, unreadable: Unreadable | None, rules: PathRules | None = None) -> str:
    """The scan as ``manifest_text``, written as it goes (no mapping built in between)."""
    parts: list[str] = []  # path, signature, path, signature...
    add = parts.append
    for prefix, files in walk(root, unreadable, rules):
        for entry in files:
            rel = prefix + entry.name
            add(rel)
            try:
                info = entry.stat()
            except OSError:
                add("?")
                continue
            if not rel.isascii() and not _encodable(rel):
                add("?")  # undecodable file name: cannot be a database key
                continue
            add(f"{info.st_size}:{info.st_mtime_ns}")
    return "\0".join(parts)


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
    """A forked child that finds which folder to scan, scans it and answers through a pipe:
    first the folder (length and bytes, before it scans, so a parent that wanted another one
    need not wait), then the manifest text and the unreadable folders, marshalled."""

    def __init__(self, pid: int, reader: int) -> None:
        self.pid = pid
        self.reader: int | None = reader

    def result(self, root: str) -> tuple[str, Unreadable] | None:
        """The child's answer if it scanned ``root``; None if it scanned another folder, had no
        answer or failed in any way. The child is done with either way."""
        try:
            head = self._read(8)
            if head is None or self._read(int.from_bytes(head, "big")) != os.fsencode(root):
                return None
            data, folders = marshal.loads(self._read(None) or b"")
        except (OSError, EOFError, ValueError, TypeError):  # a child killed half-way
            return None
        finally:
            self.close()
        if not isinstance(data, str) or not isinstance(folders, list):
            return None
        return data, folders

    def _read(self, size: int | None) -> bytes | None:
        """Exactly ``size`` bytes (None: all that is left); None at an early end."""
        assert self.reader is not None
        chunks = []
        wanted = size
        while wanted is None or wanted > 0:
            chunk = os.read(self.reader, 1 << 20 if wanted is None else wanted)
            if not chunk:
                break
            chunks.append(chunk)
            if wanted is not None:
                wanted -= len(chunk)
        if wanted:
            return None
        return b"".join(chunks)

    def close(self) -> None:
        """Stop listening and reap the child (stopped first if its answer was not read)."""
        if self.reader is None:
            return
        os.close(self.reader)
        self.reader = None
        # try/except rather than contextlib.suppress: contextlib is not loaded yet.
        try:  # noqa: SIM105
            os.kill(self.pid, _SIGKILL)  # a no-op once it has answered and exited
        except OSError:
            pass
        try:  # noqa: SIM105
            os.waitpid(self.pid, 0)
        except ChildProcessError:
            pass


_PIPE_BYTES = 1 << 20  # Linux's default ceiling for unprivileged processes
_SIGKILL = 9  # on Linux, the one platform that forks here (the signal module loads enum: 3 ms)
_PENDING: list[_Child] = []  # the child started by the innermost Prescan, if any


class Prescan:
    """Within the block, the first ``scan_manifest`` of the folder ``find_root`` names takes
    the answer of a child process started on entry.

    ``find_root`` runs in the child (so the parent goes on loading the program meanwhile): it
    returns the folder to scan (or the folder and the ``PathRules`` to scan it with: the
    parent takes the answer only for the same rules), or None when a scan is not worth a
    process (the parent then
    scans as usual); anything it raises means the same. Only where a child can pay: Linux
    (fork is cheap, and safe in a process with one thread), two or more usable cores, no other
    thread running. Whatever the child does, the block sees what an ordinary scan would have
    seen at the moment of the child's stat calls, some tens of milliseconds before the refresh
    uses them: a file saved in between is seen by the next refresh, as a file saved just after
    an ordinary scan is (the stored signature is the older one, so it never hides the change).
    """

    def __init__(self, find_root: Callable[[], Target | None]) -> None:
        self.find_root = find_root
        self.child: _Child | None = None

    def __enter__(self) -> Prescan:
        self.child = _start(self.find_root) if _can_fork() else None
        if self.child is not None:
            _PENDING.append(self.child)
        return self

    def __exit__(self, *exc_info: object) -> None:
        if self.child is not None:
            if self.child in _PENDING:
                _PENDING.remove(self.child)
            self.child.close()


def _take(root: str) -> tuple[str, Unreadable] | None:
    """The pending child's answer if it scanned ``root`` (the child is used up either way)."""
    if not _PENDING:
        return None
    return _PENDING.pop().result(root)


def indexed_root(start: str, *, walk: bool = True, min_index_bytes: int = 0) -> str | None:
    """``indexed_target``'s content folder."""
    target = indexed_target(start, walk=walk, min_index_bytes=min_index_bytes)
    return None if target is None else target[0]


def indexed_target(
    start: str, *, walk: bool = True, min_index_bytes: int = 0
) -> tuple[str, PathRules | None] | None:
    """A guess, without loading the config, at the content folder the next refresh will scan:
    the one the nearest index in the default place was built for (``index.settings_key``
    holds it first). From ``start``, up through its parents when ``walk`` (as the config search
    goes, stopping at a lushbeat.toml without such an index). None when there is no such
    index, it is smaller than ``min_index_bytes``, or it cannot be read. A guess only: the
    caller compares it with the real config's ``content_path``.
    """
    folder = os.path.realpath(start)
    while True:
        index = os.path.join(folder, DEFAULT_INDEX_PATH)
        try:
            size = os.stat(index).st_size
        except OSError:
            size = None
        if size is not None:
            return _indexed_target(index, folder) if size >= min_index_bytes else None
        parent = os.path.dirname(folder)
        if not walk or parent == folder or os.path.exists(os.path.join(folder, "lushbeat.toml")):
            return None
        folder = parent


def read_header(path: str) -> bytes | None:
    """The first ``HEADER_BYTES`` of a regular file (fewer if it is shorter); None when there
    is no such file or it is something else (a folder, a FIFO, a device: never opened, so
    never waited on) or cannot be read."""
    try:
        if not _stat.S_ISREG(os.stat(path).st_mode):
            return None
        handle = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
    except (OSError, ValueError):
        return None
    try:
        if not _stat.S_ISREG(os.fstat(handle).st_mode):  # replaced since the stat
            return None
        return os.read(handle, HEADER_BYTES)
    except OSError:
        return None
    finally:
        os.close(handle)


def application_id(header: bytes) -> int | None:
    """The ``PRAGMA application_id`` a header holds; None when it is not an SQLite header."""
    if len(header) < HEADER_BYTES or not header.startswith(SQLITE_MAGIC):
        return None
    return int.from_bytes(header[68:72], "big")


def _indexed_target(index: str, project: str) -> tuple[str, PathRules | None] | None:
    """The content folder an index at the default place was built for, and the include and
    exclude rules it was scanned with (``index.settings_key`` holds them), read without changing
    anything; only from a file inside the project (no symbolic link out of it) whose header
    is lushbeat's (or of an older lushbeat, which wrote no application_id), as core.index
    requires."""
    import sqlite3

    real = os.path.realpath(index)
    if not real.startswith(os.path.join(project, "")):
        return None
    header = read_header(real)
    if header is None or application_id(header) not in (APPLICATION_ID, 0):
        return None
    # immutable: no lock, no -shm file, no waiting on writers (a stale answer is only a guess);
    # mode=ro: nothing created or written whatever the file is
    uri = "file:" + real.replace("%", "%25").replace("?", "%3f").replace("#", "%23")
    try:
        conn = sqlite3.connect(uri + "?mode=ro&immutable=1", uri=True)
        try:
            row = conn.execute(
                "SELECT json_extract(value, '$[0]'), json_extract(value, '$[1]') FROM meta"
                " WHERE key = 'settings'"
            ).fetchone()
        finally:
            conn.close()
    except sqlite3.Error:
        return None
    if not row or not isinstance(row[0], str):
        return None
    return row[0], _stored_rules(row[1])


def _stored_rules(text: object) -> PathRules | None:
    """The rules stored as ``[include, exclude]`` (JSON); None when they are not there."""
    import json

    try:
        include, exclude = json.loads(text)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return None
    if not all(isinstance(item, str) for item in (*include, *exclude)):
        return None
    return PathRules(include, exclude)


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


def _start(find_root: Callable[[], Target | None]) -> _Child | None:
    try:
        reader, writer = os.pipe()
    except OSError:
        return None
    _widen(writer)
    try:
        pid = os.fork()
    except OSError:
        os.close(reader)
        os.close(writer)
        return None
    if pid == 0:  # the child: answer, and leave without running any of the parent's code
        status = 1
        try:
            os.close(reader)
            _detach()
            target = find_root()
            if target is not None:
                root, rules = (target, None) if isinstance(target, str) else target
                name = os.fsencode(_target_name(root, rules))
                _write_all(writer, len(name).to_bytes(8, "big") + name)
                unreadable: Unreadable = []
                data = _scan(root, unreadable, rules)
                _write_all(writer, marshal.dumps((data, unreadable)))
            status = 0
        except BaseException:  # Ctrl-C, a closed pipe, a config error: the parent scans
            pass
        finally:
            os._exit(status)
    os.close(writer)
    return _Child(pid, reader)


def _widen(pipe: int) -> None:
    """Room in the pipe for a whole answer (a 10,000-file manifest is some 400 KB; the default
    64 KB would have the child wait for the parent to read it in pieces)."""
    try:
        import fcntl

        fcntl.fcntl(pipe, fcntl.F_SETPIPE_SZ, _PIPE_BYTES)
    except (ImportError, AttributeError, OSError):
        pass  # a smaller pipe only means more round trips


def _detach() -> None:
    """The child's standard streams become /dev/null: it never writes to them, and a reader
    of the parent's output must not wait for the child's copy to close."""
    null = os.open(os.devnull, os.O_RDWR)
    for fd in (0, 1, 2):
        os.dup2(null, fd)
    os.close(null)


def _write_all(fd: int, data: bytes) -> None:
    view = memoryview(data)
    while view:
        view = view[os.write(fd, view) :]
