"""core.inputs: every read from a path is of a regular file, bounded, with one clear error."""

from __future__ import annotations

import io
import os
import signal
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from lushbeat_cli.core.files.inputs import (
    InputError,
    decode_utf8,
    read_input,
    size_text,
    wide_text_encoding,
)

posix_only = pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs FIFOs and /dev/zero")


@pytest.fixture(autouse=True)
def no_hang() -> Iterator[None]:
    """A read that blocks (a FIFO with no writer) fails the test instead of hanging it."""
    if not hasattr(signal, "SIGALRM"):
        yield
        return

    def timeout(signum: int, frame: object) -> None:
        raise TimeoutError("the read hung")

    previous = signal.signal(signal.SIGALRM, timeout)
    signal.alarm(20)
    try:
        yield
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)


def test_a_regular_file_is_read_whole(tmp_path: Path) -> None:
    path = tmp_path / "a.txt"
    path.write_bytes(b"hello\n")
    assert read_input(path, 100) == b"hello\n"
    assert read_input(str(path), 6) == b"hello\n"  # exactly the limit is fine
    (tmp_path / "empty").write_bytes(b"")
    assert read_input(tmp_path / "empty", 0) == b""


def test_one_byte_over_the_limit_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "a.txt"
    path.write_bytes(b"x" * 2049)
    with pytest.raises(InputError) as caught:
        read_input(path, 2048)
    assert caught.value.too_large
    assert str(caught.value) == f"{path}: file too large (2.0 KiB > 2.0 KiB limit); not read"


@posix_only
@pytest.mark.parametrize(
    "make",
    [
        pytest.param(lambda p: os.mkfifo(p), id="fifo"),
        pytest.param(lambda p: p.symlink_to("/dev/zero"), id="symlink-to-dev-zero"),
        pytest.param(lambda p: p.symlink_to("/dev/urandom"), id="symlink-to-dev-urandom"),
    ],
)
def test_pipes_and_devices_are_never_read(tmp_path: Path, make: object) -> None:
    path = tmp_path / "story.txt"
    make(path)  # type: ignore[operator]
    with pytest.raises(InputError) as caught:
        read_input(path, 1000)
    assert str(caught.value) == (f"{path}: not a regular file (a pipe, device or socket); not read")
    assert not caught.value.too_large


@posix_only
def test_devices_named_directly_are_refused() -> None:
    for device in ("/dev/zero", "/dev/null"):
        with pytest.raises(InputError, match="not a regular file"):
            read_input(device, 1000)


def test_a_socket_is_refused(tmp_path: Path) -> None:
    socket = pytest.importorskip("socket")
    if not hasattr(socket, "AF_UNIX"):
        pytest.skip("no Unix sockets")
    path = tmp_path / "s.sock"
    if len(str(path)) > 100:
        pytest.skip("path too long for a Unix socket")
    server = socket.socket(socket.AF_UNIX)
    try:
        server.bind(str(path))
        with pytest.raises(InputError, match="not a regular file"):
            read_input(path, 1000)
    finally:
        server.close()


def test_missing_folder_and_bad_names(tmp_path: Path) -> None:
    with pytest.raises(InputError, match=r"cannot read: No such file"):
        read_input(tmp_path / "missing.txt", 10)
    with pytest.raises(InputError, match="is a directory"):
        read_input(tmp_path, 10)
    with pytest.raises(InputError, match="NUL character"):
        read_input(str(tmp_path / "a\0b.txt"), 10)
    (tmp_path / "gone").symlink_to(tmp_path / "nowhere")
    with pytest.raises(InputError, match=r"cannot read: No such file"):
        read_input(tmp_path / "gone", 10)


def test_a_file_that_grows_after_the_check_is_still_bounded(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The size stat reports is not trusted: at most limit + 1 bytes are ever read."""
    path = tmp_path / "a.txt"
    path.write_bytes(b"x" * 10)
    real_fstat = os.fstat

    class Small:
        def __init__(self, info: os.stat_result) -> None:
            self.info = info

        def __getattr__(self, name: str) -> object:
            return 0 if name == "st_size" else getattr(self.info, name)

    monkeypatch.setattr(os, "fstat", lambda fd: Small(real_fstat(fd)))
    monkeypatch.setattr(os, "stat", lambda p, **kw: Small(os.lstat(p)))
    path.write_bytes(b"x" * 5000)
    with pytest.raises(InputError, match=r"more than the 1000 bytes limit") as caught:
        read_input(path, 1000)
    assert caught.value.too_large


def test_stdin_is_read_only_when_allowed_and_bounded(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(b"abc")))
    assert read_input("-", 3, allow_stdin=True) == b"abc"
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(b"abcd")))
    with pytest.raises(InputError) as caught:
        read_input("-", 3, allow_stdin=True)
    assert str(caught.value) == "stdin too large (more than the 3 bytes limit); not read"
    monkeypatch.setattr(sys, "stdin", None)
    with pytest.raises(InputError, match="stdin is closed"):
        read_input("-", 3, allow_stdin=True)
    with pytest.raises(InputError, match="No such file"):  # without allow_stdin: a file named -
        read_input("-", 3)


@posix_only
def test_endless_stdin_stops_at_the_limit(monkeypatch: pytest.MonkeyPatch) -> None:
    with open("/dev/zero", "rb") as zero:
        monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(zero))
        with pytest.raises(InputError, match="stdin too large"):
            read_input("-", 1 << 20, allow_stdin=True)


@pytest.mark.parametrize("encoding", ["utf-16", "utf-16-le", "utf-16-be"])
@pytest.mark.parametrize(
    "text",
    [
        "---\ntitle: Halo dunia\n---\nIsi berita.\n",
        "---\ntitle: Привет мир\n---\nТекст статьи про выборы в городе.\n",
        "Judul cerita\n\nLush Beat – Jakarta. Isi 中文 cerita.\n",
    ],
)
def test_utf16_is_recognised_with_or_without_a_bom(encoding: str, text: str) -> None:
    assert wide_text_encoding(text.encode(encoding)) == "UTF-16"


@pytest.mark.parametrize("encoding", ["utf-32", "utf-32-le", "utf-32-be"])
def test_utf32_is_recognised_with_or_without_a_bom(encoding: str) -> None:
    assert wide_text_encoding("---\ntitle: Halo\n---\nIsi.\n".encode(encoding)) == "UTF-32"


@pytest.mark.parametrize(
    "data",
    [
        b"---\ntitle: a\n---\nplain UTF-8\n",
        "---\ntitle: Привет\n---\n中文\n".encode(),
        b"Judul\x00\x01",  # a stray NUL in short text
        b"\x00" * 64,
        b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x01\x00\x00\x00\x01\x00\x08\x06\x00\x00",
        bytes(range(256)) * 4,
        b"",
    ],
)
def test_other_bytes_are_not_taken_for_utf16(data: bytes) -> None:
    assert wide_text_encoding(data) is None


def test_decode_utf8_names_the_encoding_or_the_byte() -> None:
    assert decode_utf8(b"\xef\xbb\xbfabc", bom=True) == "abc"
    with pytest.raises(InputError, match=r"^UTF-16 text; save it as UTF-8$"):
        decode_utf8("abc\ndef\n".encode("utf-16"))
    with pytest.raises(InputError) as caught:
        decode_utf8(b"ok\nCaf\xe9\n", Path("x.txt"))
    assert str(caught.value) == "x.txt:2: invalid UTF-8 (byte 0xe9)"


def test_size_text() -> None:
    assert size_text(1) == "1 byte"
    assert size_text(300) == "300 bytes"
    assert size_text(2048) == "2.0 KiB"
    assert size_text(50 * 1024 * 1024) == "50.0 MiB"
