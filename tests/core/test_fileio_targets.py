"""What a write does to what is already at its path (devices, FIFOs, symlinks, folders,
sockets), and that Ctrl-C never leaves a temporary file behind."""

from __future__ import annotations

import os
import signal
import socket
import stat
import subprocess
import sys
import tempfile
import textwrap
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from lushbeat_cli.core.files import atomic as fileio
from lushbeat_cli.core.files.atomic import atomic_file, atomic_write, atomic_writer, output_folder
from lushbeat_cli.errors import ArticleExistsError, LushbeatError
from tests.device_guard import guard_dev_null

posix_only = pytest.mark.skipif(os.name != "posix", reason="FIFOs, ptys and signals: POSIX")


@pytest.fixture
def dev_null(monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    yield from guard_dev_null(monkeypatch)


def names(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir())


class FifoReader:
    """A thread that reads a FIFO to its end (opening blocks until a writer comes)."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.data = b""
        self.thread = threading.Thread(target=self._read, daemon=True)
        self.thread.start()

    def _read(self) -> None:
        with open(self.path, "rb") as stream:
            self.data = stream.read()

    def result(self) -> bytes:
        self.thread.join(timeout=30)
        assert not self.thread.is_alive(), "the FIFO was never closed"
        return self.data


def unblock(path: Path) -> threading.Timer:
    """A watchdog: if a write to this FIFO hangs waiting for a reader, become one after a while
    (so a regression fails the test instead of hanging the suite)."""

    def read() -> None:
        with open(path, "rb") as stream:
            stream.read()

    timer = threading.Timer(10, read)
    timer.daemon = True
    timer.start()
    return timer


@pytest.fixture
def pty_device() -> Iterator[tuple[Path, int]]:
    """A terminal's device file (``/dev/pts/N``): a character device safe to write to."""
    master, slave = os.openpty()
    try:
        yield Path(os.ttyname(slave)), master
    finally:
        os.close(slave)
        os.close(master)


def read_pty(master: int, size: int) -> bytes:
    data = b""
    while len(data) < size:
        data += os.read(master, size - len(data))
    return data


@posix_only
class TestDevicesAndFifos:
    def test_a_terminal_device_is_written_to_not_replaced(self, pty_device) -> None:
        path, master = pty_device
        before = os.stat(path)
        atomic_write(path, b"hello", overwrite=True)
        assert read_pty(master, 5) == b"hello"
        after = os.lstat(path)
        assert stat.S_ISCHR(after.st_mode)
        assert (after.st_ino, after.st_rdev) == (before.st_ino, before.st_rdev)
        assert not [n for n in names(path.parent) if n.endswith(".tmp")]

    def test_dev_null_stays_a_device(self, dev_null: Path) -> None:
        before = os.stat(dev_null)
        atomic_write(dev_null, b"gone", overwrite=True)
        with atomic_writer(dev_null, overwrite=True) as stream:
            stream.write(b"streamed")
        with atomic_file(dev_null, overwrite=True) as built:
            built.write_bytes(b"built")
        after = os.lstat(dev_null)
        assert stat.S_ISCHR(after.st_mode)
        assert (after.st_ino, after.st_rdev) == (before.st_ino, before.st_rdev)
        assert not [n for n in names(Path("/dev")) if n.startswith(".null.")]

    def test_a_fifo_with_a_reader_gets_the_bytes(self, tmp_path: Path) -> None:
        fifo = tmp_path / "pipe"
        os.mkfifo(fifo)
        reader = FifoReader(fifo)
        with atomic_writer(fifo, overwrite=True) as stream:
            for _ in range(1000):  # more than a pipe's buffer: the writer must block, not fail
                stream.write(b"x" * 1000)
        assert reader.result() == b"x" * 1_000_000
        assert stat.S_ISFIFO(os.lstat(fifo).st_mode)
        assert names(tmp_path) == ["pipe"]

    def test_a_fifo_nothing_reads_is_refused_not_waited_on(self, tmp_path: Path) -> None:
        fifo = tmp_path / "pipe"
        os.mkfifo(fifo)
        watchdog = unblock(fifo)
        try:
            with pytest.raises(LushbeatError, match=r"FIFO .* nothing reads; not written"):
                atomic_write(fifo, b"data", overwrite=True)
        finally:
            watchdog.cancel()
        assert stat.S_ISFIFO(os.lstat(fifo).st_mode)
        assert names(tmp_path) == ["pipe"]

    def test_a_fifo_behind_a_symlink_is_written_to(self, tmp_path: Path) -> None:
        fifo = tmp_path / "pipe"
        os.mkfifo(fifo)
        (tmp_path / "link").symlink_to("pipe")
        reader = FifoReader(fifo)
        atomic_write(tmp_path / "link", b"through", overwrite=True)
        assert reader.result() == b"through"
        assert (tmp_path / "link").is_symlink()
        assert stat.S_ISFIFO(os.lstat(fifo).st_mode)

    def test_atomic_file_builds_in_the_system_temp_folder(self, tmp_path, monkeypatch) -> None:
        scratch = tmp_path / "systemp"
        scratch.mkdir()
        monkeypatch.setattr(tempfile, "tempdir", str(scratch))
        fifo = tmp_path / "pipe"
        os.mkfifo(fifo)
        reader = FifoReader(fifo)
        with atomic_file(fifo, overwrite=True) as built:
            assert built.parent.parent == scratch
            built.write_bytes(b"database")
        assert reader.result() == b"database"
        assert names(scratch) == []
        assert names(tmp_path) == ["pipe", "systemp"]

    def test_a_failed_block_writes_nothing_to_a_built_file_target(self, tmp_path: Path) -> None:
        fifo = tmp_path / "pipe"
        os.mkfifo(fifo)
        reader = FifoReader(fifo)
        with pytest.raises(RuntimeError), atomic_file(fifo, overwrite=True) as built:
            built.write_bytes(b"half")
            raise RuntimeError("build failed")
        assert reader.result() == b""

    def test_a_device_is_never_created_over_without_overwrite(self, tmp_path: Path) -> None:
        fifo = tmp_path / "pipe"
        os.mkfifo(fifo)
        with pytest.raises(ArticleExistsError):
            atomic_write(fifo, b"x")
        assert stat.S_ISFIFO(os.lstat(fifo).st_mode)


class TestRefused:
    @posix_only
    def test_a_socket(self, tmp_path: Path) -> None:
        path = tmp_path / "sock"
        server = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        try:
            server.bind(str(path))
            with pytest.raises(LushbeatError, match="is a socket; not written"):
                atomic_write(path, b"x", overwrite=True)
            assert stat.S_ISSOCK(os.lstat(path).st_mode)
        finally:
            server.close()

    def test_a_folder(self, tmp_path: Path) -> None:
        (tmp_path / "out").mkdir()
        with pytest.raises(LushbeatError, match="is a folder; not written"):
            atomic_write(tmp_path / "out", b"x", overwrite=True)
        assert (tmp_path / "out").is_dir()

    def test_a_symlink_to_a_folder(self, tmp_path: Path) -> None:
        (tmp_path / "out").mkdir()
        (tmp_path / "link").symlink_to("out")
        with pytest.raises(LushbeatError, match="is a folder"):
            atomic_write(tmp_path / "link", b"x", overwrite=True)
        assert (tmp_path / "link").is_symlink()
        assert names(tmp_path / "out") == []


class TestSymlinks:
    def test_written_through_the_link_stays(self, tmp_path: Path) -> None:
        real = tmp_path / "real"
        real.mkdir()
        (real / "data.json").write_bytes(b"old")
        os.chmod(real / "data.json", 0o640)
        link = tmp_path / "out.json"
        link.symlink_to("real/data.json")
        atomic_write(link, b"new", overwrite=True)
        assert link.is_symlink()
        assert os.readlink(link) == "real/data.json"
        assert (real / "data.json").read_bytes() == b"new"
        assert stat.S_IMODE(os.stat(real / "data.json").st_mode) == 0o640
        assert names(tmp_path) == ["out.json", "real"]
        assert names(real) == ["data.json"]

    def test_a_chain_of_links(self, tmp_path: Path) -> None:
        (tmp_path / "file").write_bytes(b"old")
        (tmp_path / "one").symlink_to("file")
        (tmp_path / "two").symlink_to("one")
        with atomic_writer(tmp_path / "two", overwrite=True) as stream:
            stream.write(b"new")
        assert (tmp_path / "two").is_symlink() and (tmp_path / "one").is_symlink()
        assert (tmp_path / "file").read_bytes() == b"new"

    def test_a_dangling_link_is_refused(self, tmp_path: Path) -> None:
        link = tmp_path / "out.json"
        link.symlink_to("missing/data.json")
        with pytest.raises(LushbeatError, match=r"missing/data\.json, which does not exist"):
            atomic_write(link, b"x", overwrite=True)
        assert link.is_symlink()
        assert names(tmp_path) == ["out.json"]

    def test_a_loop_is_refused(self, tmp_path: Path) -> None:
        (tmp_path / "a").symlink_to("b")
        (tmp_path / "b").symlink_to("a")
        with pytest.raises(LushbeatError, match="loop of symbolic links"):
            atomic_write(tmp_path / "a", b"x", overwrite=True)
        assert names(tmp_path) == ["a", "b"]

    @pytest.mark.parametrize("dangling", [False, True])
    def test_never_created_over_without_overwrite(self, tmp_path: Path, dangling: bool) -> None:
        if not dangling:
            (tmp_path / "file").write_bytes(b"old")
        (tmp_path / "link").symlink_to("file")
        with pytest.raises(ArticleExistsError, match="already exists"):
            atomic_write(tmp_path / "link", b"new")
        assert (tmp_path / "link").is_symlink()
        assert names(tmp_path) == (["file", "link"] if not dangling else ["link"])

    def test_atomic_file_through_a_link(self, tmp_path: Path) -> None:
        (tmp_path / "real.db").write_bytes(b"old")
        (tmp_path / "out.db").symlink_to("real.db")
        with atomic_file(tmp_path / "out.db", overwrite=True) as built:
            assert built.parent.parent == tmp_path
            built.write_bytes(b"new")
            (built.parent / "out.db-journal").write_bytes(b"side file")
        assert (tmp_path / "out.db").is_symlink()
        assert (tmp_path / "real.db").read_bytes() == b"new"
        assert names(tmp_path) == ["out.db", "real.db"]

    def test_output_folder(self, tmp_path: Path) -> None:
        (tmp_path / "real").mkdir()
        (tmp_path / "site").symlink_to("real")
        assert output_folder(tmp_path / "site") == (tmp_path / "real").resolve()
        assert output_folder(tmp_path / "new") == (tmp_path / "new").resolve()
        (tmp_path / "gone").symlink_to("nowhere")
        with pytest.raises(LushbeatError, match="nowhere, which does not exist"):
            output_folder(tmp_path / "gone")


class TestRegularFiles:
    def test_mode_kept_and_new_files_get_the_umask(self, tmp_path: Path) -> None:
        old = tmp_path / "old"
        old.write_bytes(b"x")
        os.chmod(old, 0o604)
        atomic_write(old, b"y", overwrite=True)
        assert stat.S_IMODE(os.stat(old).st_mode) == 0o604
        mask = os.umask(0o022)
        try:
            atomic_write(tmp_path / "new", b"y")
            with atomic_file(tmp_path / "built", overwrite=True) as built:
                built.write_bytes(b"z")
        finally:
            os.umask(mask)
        assert stat.S_IMODE(os.stat(tmp_path / "new").st_mode) == 0o644
        assert stat.S_IMODE(os.stat(tmp_path / "built").st_mode) == 0o644

    def test_missing_folders_are_made(self, tmp_path: Path) -> None:
        atomic_write(tmp_path / "a" / "b" / "c.json", b"x", overwrite=True)
        with atomic_file(tmp_path / "d" / "e.db", overwrite=True) as built:
            built.write_bytes(b"y")
        assert (tmp_path / "a/b/c.json").read_bytes() == b"x"
        assert (tmp_path / "d/e.db").read_bytes() == b"y"
        assert names(tmp_path / "d") == ["e.db"]


# ---------------------------------------------------------------- Ctrl-C


def ctrl_c() -> None:
    """What pressing Ctrl-C does: SIGINT to this process, handled at the next step."""
    signal.raise_signal(signal.SIGINT)


@posix_only
class TestInterrupts:
    """A KeyboardInterrupt at any step of a write leaves the old file and no temporary file."""

    @pytest.fixture(autouse=True)
    def default_handler(self) -> Iterator[None]:
        assert signal.getsignal(signal.SIGINT) is signal.default_int_handler
        yield
        assert signal.getsignal(signal.SIGINT) is signal.default_int_handler  # restored

    @pytest.fixture
    def article(self, tmp_path: Path) -> Path:
        path = tmp_path / "a.md"
        path.write_bytes(b"old")
        return path

    def test_just_after_the_temporary_file_is_created(self, article, monkeypatch) -> None:
        real = tempfile.mkstemp

        def mkstemp(*args: object, **kwargs: object) -> tuple[int, str]:
            created = real(*args, **kwargs)  # type: ignore[call-overload]
            ctrl_c()
            return created

        monkeypatch.setattr(tempfile, "mkstemp", mkstemp)
        with pytest.raises(KeyboardInterrupt):
            atomic_write(article, b"new", overwrite=True)
        assert article.read_bytes() == b"old"
        assert names(article.parent) == ["a.md"]

    def test_while_writing(self, article) -> None:
        with pytest.raises(KeyboardInterrupt), atomic_writer(article, overwrite=True) as stream:
            stream.write(b"new")
            ctrl_c()
            stream.write(b"more")
        assert article.read_bytes() == b"old"
        assert names(article.parent) == ["a.md"]

    def test_during_fsync(self, article, monkeypatch) -> None:
        real = os.fsync

        def fsync(fd: int) -> None:
            ctrl_c()
            real(fd)

        monkeypatch.setattr(fileio.os, "fsync", fsync)
        with pytest.raises(KeyboardInterrupt):
            atomic_write(article, b"new", overwrite=True)
        assert article.read_bytes() == b"old"
        assert names(article.parent) == ["a.md"]

    def test_just_after_the_rename_the_write_is_complete(self, article, monkeypatch) -> None:
        real = os.replace

        def replace(source: object, target: object) -> None:
            real(source, target)  # type: ignore[arg-type]
            ctrl_c()

        monkeypatch.setattr(fileio.os, "replace", replace)
        with pytest.raises(KeyboardInterrupt):
            atomic_write(article, b"new", overwrite=True)
        assert article.read_bytes() == b"new"
        assert names(article.parent) == ["a.md"]

    def test_during_the_cleanup_of_a_failed_write(self, article, monkeypatch) -> None:
        real = fileio.Scratch.discard

        def discard(self: fileio.Scratch) -> None:
            ctrl_c()  # a second Ctrl-C, as the first one's cleanup starts
            real(self)

        monkeypatch.setattr(fileio.Scratch, "discard", discard)
        with pytest.raises(KeyboardInterrupt), atomic_writer(article, overwrite=True) as stream:
            stream.write(b"new")
            raise RuntimeError("failed")
        assert article.read_bytes() == b"old"
        assert names(article.parent) == ["a.md"]

    def test_a_new_file_is_created_whole_or_not_at_all(self, tmp_path, monkeypatch) -> None:
        real = tempfile.mkstemp

        def mkstemp(*args: object, **kwargs: object) -> tuple[int, str]:
            created = real(*args, **kwargs)  # type: ignore[call-overload]
            ctrl_c()
            return created

        monkeypatch.setattr(tempfile, "mkstemp", mkstemp)
        with pytest.raises(KeyboardInterrupt):
            atomic_write(tmp_path / "new.md", b"new")
        assert names(tmp_path) == []

    def test_a_built_file_in_its_temporary_folder(self, tmp_path: Path) -> None:
        with pytest.raises(KeyboardInterrupt), atomic_file(tmp_path / "x.db") as built:
            built.write_bytes(b"half")
            ctrl_c()
        assert names(tmp_path) == []

    def test_an_ignored_ctrl_c_stays_ignored(self, article) -> None:
        signal.signal(signal.SIGINT, signal.SIG_IGN)
        try:
            with atomic_writer(article, overwrite=True) as stream:
                stream.write(b"new")
                ctrl_c()
            assert signal.getsignal(signal.SIGINT) is signal.SIG_IGN
        finally:
            signal.signal(signal.SIGINT, signal.default_int_handler)
        assert article.read_bytes() == b"new"

    def test_writes_from_another_thread(self, tmp_path: Path) -> None:
        errors: list[BaseException] = []

        def write() -> None:
            try:
                atomic_write(tmp_path / "t.md", b"thread", overwrite=True)
            except BaseException as exc:  # pragma: no cover - reported below
                errors.append(exc)

        thread = threading.Thread(target=write)
        thread.start()
        thread.join()
        assert errors == []
        assert (tmp_path / "t.md").read_bytes() == b"thread"

    def test_ctrl_c_at_random_moments_never_leaves_a_temporary_file(self, tmp_path) -> None:
        # Thousands of writes while another thread sends SIGINT every few hundred microseconds:
        # before the fix, hundreds of .a.md.XXXX.tmp files were left in a run like this.
        script = textwrap.dedent(
            """
            import os, random, signal, sys, threading, time
            from pathlib import Path
            from lushbeat_cli.core.files.atomic import atomic_file, atomic_write

            folder = Path(sys.argv[1])
            target = folder / "a.md"
            target.write_bytes(b"old")
            inside = False
            def interrupt(signum, frame):
                if inside:
                    raise KeyboardInterrupt
            signal.signal(signal.SIGINT, interrupt)
            done = threading.Event()
            def sender():
                for _ in range(1500):
                    time.sleep(random.uniform(0, 0.0006))
                    os.kill(os.getpid(), signal.SIGINT)
                done.set()
            threading.Thread(target=sender, daemon=True).start()
            interrupted = writes = attempts = 0
            while not done.is_set():
                attempts += 1
                try:
                    inside = True
                    if attempts % 5:
                        atomic_write(target, b"new", overwrite=True)
                    else:
                        with atomic_file(folder / "b.db", overwrite=True) as built:
                            built.write_bytes(b"db")
                    writes += 1
                except KeyboardInterrupt:
                    interrupted += 1
                finally:
                    inside = False
            print(writes, interrupted)
            """
        )
        run = subprocess.run(
            [sys.executable, "-c", script, str(tmp_path)],
            capture_output=True,
            text=True,
            timeout=120,
        )
        assert run.returncode == 0, run.stderr
        _, interrupted = map(int, run.stdout.split())
        assert interrupted > 100, run.stdout  # the signals did land inside writes
        assert names(tmp_path) in (["a.md"], ["a.md", "b.db"])
        assert (tmp_path / "a.md").read_bytes() in (b"old", b"new")
