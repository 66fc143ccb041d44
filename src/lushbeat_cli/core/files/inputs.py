"""Bounded reads of everything lushbeat reads from a path: articles, config files, templates,
word lists, stories to import, body files, and stdin (``-``).

``read_input`` is the one way in: regular files only (never a FIFO, device or socket, which
could hang or never end), at most ``limit`` bytes, and one ``InputError`` line naming the file
otherwise. Callers turn that error into their own kind (a parse finding, a config error).
Pure core: no printing; imported by core modules and commands.
"""

from __future__ import annotations

import codecs
import os
import stat
import sys
from pathlib import Path

from lushbeat_cli.errors import LushbeatError

DEFAULT_MAX_FILE_SIZE = 10 * 1024 * 1024  # bytes; config's max_file_size, before it is read
STDIN = "-"

# Opened without blocking (a FIFO swapped in after the check must not hang the open), without
# becoming the controlling terminal, in binary mode on Windows.
_OPEN_FLAGS = (
    os.O_RDONLY
    | getattr(os, "O_NONBLOCK", 0)
    | getattr(os, "O_NOCTTY", 0)
    | getattr(os, "O_BINARY", 0)
    | getattr(os, "O_CLOEXEC", 0)
)
_CHUNK = 1 << 20


class InputError(LushbeatError):
    """A path that cannot be read as a bounded regular file (exit 1 unless re-raised)."""

    def __init__(self, message: str, *, too_large: bool = False, **kwargs: object) -> None:
        super().__init__(message, **kwargs)  # type: ignore[arg-type]
        self.too_large = too_large


def is_stdin(path: Path | str) -> bool:
    return str(path) == STDIN


def read_input(path: Path | str, limit: int, *, allow_stdin: bool = False) -> bytes:
    """The bytes of the regular file ``path`` (or of stdin for ``-`` when ``allow_stdin``).

    Raises InputError (naming the file) for a missing or unreadable path, a folder, anything
    that is not a regular file (a FIFO, device or socket is never opened for reading), and for
    more than ``limit`` bytes (checked before reading, and again while reading, so a file that
    grows, or stdin, is never read past ``limit + 1`` bytes).
    """
    if allow_stdin and is_stdin(path):
        return _read_stdin(limit)
    where = Path(path)
    try:
        info = os.stat(where)
        _check_kind(info, where, limit)
        fd = os.open(where, _OPEN_FLAGS)
    except InputError:
        raise
    except OSError as exc:
        raise _os_error(exc, where) from None
    except ValueError:  # a NUL in the name (it can come from a config file)
        raise InputError("cannot read: the name holds a NUL character", path=where) from None
    try:
        opened = os.fstat(fd)  # the file that was opened, not only the one stat saw
        _check_kind(opened, where, limit)
        return _read_fd(fd, limit, where, opened.st_size)
    except OSError as exc:
        raise _os_error(exc, where) from None
    finally:
        os.close(fd)


def _check_kind(info: os.stat_result, path: Path, limit: int) -> None:
    if stat.S_ISDIR(info.st_mode):
        raise InputError("is a directory", path=path)
    if not stat.S_ISREG(info.st_mode):
        raise InputError("not a regular file (a pipe, device or socket); not read", path=path)
    if info.st_size > limit:
        raise InputError(
            f"file too large ({size_text(info.st_size)} > {size_text(limit)} limit); not read",
            path=path,
            too_large=True,
        )


def _read_fd(fd: int, limit: int, path: Path, size: int) -> bytes:
    """At most ``limit + 1`` bytes; the first read asks for the size stat gave, plus one, so a
    small file costs no large buffer (a /proc file says 0 and is read in chunks)."""
    chunks: list[bytes] = []
    total = 0
    want = size + 1
    while total <= limit:
        chunk = os.read(fd, min(want, limit + 1 - total))
        want = _CHUNK
        if not chunk:
            return b"".join(chunks)
        chunks.append(chunk)
        total += len(chunk)
    raise _too_large(path, limit)


def _too_large(path: Path | None, limit: int) -> InputError:
    what = "stdin" if path is None else "file"
    return InputError(
        f"{what} too large (more than the {size_text(limit)} limit); not read",
        path=path,
        too_large=True,
    )


def _read_stdin(limit: int) -> bytes:
    stream = sys.stdin
    if stream is None:
        raise InputError("stdin is closed; nothing to read")
    try:
        buffer = getattr(stream, "buffer", None)
        data = buffer.read(limit + 1) if buffer is not None else stream.read(limit + 1)
    except (OSError, ValueError) as exc:
        reason = getattr(exc, "strerror", None) or str(exc)
        raise InputError(f"cannot read stdin: {reason}") from None
    data = data.encode("utf-8") if isinstance(data, str) else bytes(data or b"")
    if len(data) > limit:
        raise _too_large(None, limit)
    return data


def _os_error(exc: OSError, path: Path) -> InputError:
    if isinstance(exc, IsADirectoryError):
        return InputError("is a directory", path=path)
    reason = exc.strerror or exc.__class__.__name__
    return InputError(f"cannot read: {reason}", path=path)


def size_text(size: int) -> str:
    """``12.5 MiB``, ``40.0 KiB`` or ``300 bytes``: a size as a person reads it."""
    if size >= 1024 * 1024:
        return f"{size / 1_048_576:.1f} MiB"
    if size >= 1024:
        return f"{size / 1024:.1f} KiB"
    return f"{size} byte{'s' if size != 1 else ''}"


# ---------------------------------------------------------------- encodings


_WIDE_BOMS = (
    (codecs.BOM_UTF32_LE, "UTF-32"),
    (codecs.BOM_UTF32_BE, "UTF-32"),
    (codecs.BOM_UTF16_LE, "UTF-16"),
    (codecs.BOM_UTF16_BE, "UTF-16"),
)
_WIDE_CODECS = (
    ("UTF-32", "utf-32-le"),
    ("UTF-32", "utf-32-be"),
    ("UTF-16", "utf-16-le"),
    ("UTF-16", "utf-16-be"),
)
_SAMPLE = 8192


def wide_text_encoding(data: bytes) -> str | None:
    """``"UTF-16"`` or ``"UTF-32"`` when ``data`` is text in that encoding (with or without a
    byte order mark), else None.

    Without a mark, the start of the file must decode to NUL-free, printable text in which at
    least a fifth of the characters (and at least four) are below U+0100: those are what put
    the NUL bytes there. Binary data, UTF-8 text and a few stray NULs do not pass.
    """
    for bom, name in _WIDE_BOMS:  # UTF-32 LE starts with UTF-16 LE's mark: check it first
        if data.startswith(bom):
            return name
    sample = data[:_SAMPLE]
    if b"\x00" not in sample:
        return None  # text below U+0100 in UTF-16/32 always has NUL bytes
    for name, codec in _WIDE_CODECS:
        decoder = codecs.getincrementaldecoder(codec)()
        try:
            text = decoder.decode(sample, final=False)  # a cut character at the end is fine
        except UnicodeDecodeError:
            continue
        if "\x00" not in text and _looks_like_text(text):
            return name
    return None


def _looks_like_text(text: str) -> bool:
    low = sum(1 for char in text if char < "\u0100")
    if low < 4 or low < 0.2 * len(text):
        return False
    shown = sum(1 for char in text if char.isprintable() or char in "\t\n\r\f")
    return shown >= 0.95 * len(text)


def wide_text_message(name: str) -> str:
    return f"{name} text; save it as UTF-8"


def decode_utf8(data: bytes, path: Path | str | None = None, *, bom: bool = False) -> str:
    """UTF-8 text (``bom``: a leading byte order mark is dropped); InputError otherwise, saying
    "UTF-16 text; ..." for UTF-16/32, else which byte on which line is not UTF-8."""
    wide = wide_text_encoding(data)  # UTF-16 of ASCII text is valid UTF-8, NULs and all
    if wide is not None:
        raise InputError(wide_text_message(wide), path=path)
    try:
        return data.decode("utf-8-sig" if bom else "utf-8")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        message = f"invalid UTF-8 (byte 0x{data[exc.start]:02x})"
        raise InputError(message, path=path, line=line if path is not None else None) from None
