"""``export -o`` and the editors keep what a path is: a device or FIFO is written to, a
symlink written through, a dangling link, a folder or a socket refused; nothing else changes."""

from __future__ import annotations

import csv
import io
import json
import os
import socket
import sqlite3
import stat
import threading
import tty
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.conftest import Project
from tests.device_guard import guard_dev_null

posix_only = pytest.mark.skipif(os.name != "posix", reason="FIFOs and ptys: POSIX")

BASE = ("--base-url", "https://example.com")
FORMATS = {  # format -> extra flags
    "json": (),
    "jsonl": (),
    "csv": (),
    "sqlite": (),
    "rss": BASE,
    "atom": BASE,
    "jsonfeed": BASE,
    "opensearch": (),
}


@pytest.fixture
def dev_null(monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    yield from guard_dev_null(monkeypatch)


@pytest.fixture
def news(project: Project) -> Project:
    project.article("2024/07/a.md", title="Alpha", slug="a", date="2024-07-01", tags=["x"])
    project.article("2024/07/b.md", title="Beta", slug="b", date="2024-07-02", tags=["y"])
    return project


def tree(root: Path) -> dict[str, tuple[str, bytes | str]]:
    """Every entry below ``root`` (lushbeat's index folder aside): its kind and bytes."""
    found: dict[str, tuple[str, bytes | str]] = {}
    for directory, folders, files in os.walk(root):
        folders[:] = [f for f in folders if f != ".lushbeat"]
        for name in folders + files:
            path = Path(directory, name)
            relative = path.relative_to(root).as_posix()
            if path.is_symlink():
                found[relative] = ("link", os.readlink(path))
            elif path.is_dir():
                found[relative] = ("dir", b"")
            elif path.is_file():
                found[relative] = ("file", path.read_bytes())
            else:
                found[relative] = ("other", stat.filemode(os.lstat(path).st_mode))
    return found


def check_output(name: str, data: bytes) -> None:
    """The bytes are a whole document of the format, with both articles."""
    if name == "sqlite":
        assert data.startswith(b"SQLite format 3\0")
        return
    text = data.decode("utf-8")
    if name == "json":
        assert sorted(r["slug"] for r in json.loads(text)) == ["a", "b"]
    elif name == "jsonl":
        assert sorted(json.loads(line)["slug"] for line in text.splitlines()) == ["a", "b"]
    elif name == "opensearch":
        assert len(text.splitlines()) == 4
    elif name == "csv":
        assert [row[1] for row in csv.reader(io.StringIO(text))] == ["slug", "b", "a"]
    elif name == "jsonfeed":
        assert len(json.loads(text)["items"]) == 2
    else:
        assert text.count("Alpha") >= 1 and text.count("Beta") >= 1


def sqlite_slugs(path: Path) -> list[str]:
    connection = sqlite3.connect(path)
    try:
        return sorted(row[0] for row in connection.execute("SELECT slug FROM articles"))
    finally:
        connection.close()


class FifoReader:
    def __init__(self, path: Path) -> None:
        self.path, self.data = path, b""
        self.thread = threading.Thread(target=self._read, daemon=True)
        self.thread.start()

    def _read(self) -> None:
        with open(self.path, "rb") as stream:
            self.data = stream.read()

    def result(self) -> bytes:
        self.thread.join(timeout=60)
        assert not self.thread.is_alive(), "the FIFO was never closed"
        return self.data


class PtyReader:
    """A terminal (raw mode, so bytes pass unchanged) and a thread draining its other end."""

    def __init__(self) -> None:
        self.master, self.slave = os.openpty()
        tty.setraw(self.slave)
        self.path = Path(os.ttyname(self.slave))
        self.chunks: list[bytes] = []
        self.thread = threading.Thread(target=self._read, daemon=True)
        self.thread.start()

    def _read(self) -> None:
        while True:
            try:
                chunk = os.read(self.master, 65536)
            except OSError:  # the other end closed
                return
            if not chunk:
                return
            self.chunks.append(chunk)

    def result(self) -> bytes:
        os.close(self.slave)
        self.thread.join(timeout=30)
        os.close(self.master)
        return b"".join(self.chunks)


@posix_only
class TestExportToDevices:
    @pytest.mark.parametrize("name", FORMATS)
    def test_dev_null_is_written_to_never_replaced(self, cli, news, dev_null, name) -> None:
        before = tree(news.root)
        run = cli("export", "-f", name, "-o", str(dev_null), *FORMATS[name])
        assert run.exit_code == 0, run.stderr
        assert run.stdout == ""
        assert run.stderr.strip().endswith(f"2 articles exported to /dev/null ({name})")
        assert stat.S_ISCHR(os.lstat(dev_null).st_mode)
        assert not [n for n in os.listdir("/dev") if n.startswith(".null.")]
        assert tree(news.root) == before

    @pytest.mark.parametrize("name", FORMATS)
    def test_a_fifo_with_a_reader_gets_the_whole_document(self, cli, news, tmp_path, name) -> None:
        fifo = tmp_path / "pipe"
        os.mkfifo(fifo)
        reader = FifoReader(fifo)
        run = cli("export", "-f", name, "-o", str(fifo), *FORMATS[name])
        assert run.exit_code == 0, run.stderr
        data = reader.result()
        check_output(name, data)
        assert stat.S_ISFIFO(os.lstat(fifo).st_mode)
        assert sorted(os.listdir(tmp_path)) == ["pipe", "proj"]
        if name == "sqlite":
            (tmp_path / "copy.db").write_bytes(data)
            assert sqlite_slugs(tmp_path / "copy.db") == ["a", "b"]

    @pytest.mark.parametrize("name", ["json", "sqlite"])
    def test_a_fifo_nothing_reads_is_refused_without_a_hang(self, cli, news, tmp_path, name):
        fifo = tmp_path / "pipe"
        os.mkfifo(fifo)

        def become_a_reader() -> None:  # only if the export hangs: then the test fails
            with open(fifo, "rb") as stream:
                stream.read()

        watchdog = threading.Timer(15, become_a_reader)
        watchdog.daemon = True
        watchdog.start()
        try:
            run = cli("export", "-f", name, "-o", str(fifo))
        finally:
            watchdog.cancel()
        assert run.exit_code == 1
        assert run.stdout == ""
        assert run.stderr.strip() == (
            f"error: {fifo}: is a FIFO (named pipe) that nothing reads; not written "
            "(start its reader first)"
        )
        assert stat.S_ISFIFO(os.lstat(fifo).st_mode)
        assert sorted(os.listdir(tmp_path)) == ["pipe", "proj"]

    @pytest.mark.parametrize("name", ["json", "csv", "rss", "sqlite"])
    def test_a_terminal(self, cli, news, name) -> None:
        terminal = PtyReader()
        run = cli("export", "-f", name, "-o", str(terminal.path), *FORMATS[name])
        data = terminal.result()
        assert run.exit_code == 0, run.stderr
        check_output(name, data)

    def test_a_socket_is_refused(self, cli, news, tmp_path) -> None:
        path = tmp_path / "sock"
        server = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        try:
            server.bind(str(path))
            for name in ("json", "sqlite"):
                run = cli("export", "-f", name, "-o", str(path))
                assert run.exit_code == 1
                assert run.stderr.strip() == f"error: {path}: is a socket; not written"
                assert stat.S_ISSOCK(os.lstat(path).st_mode)
        finally:
            server.close()


class TestExportThroughSymlinks:
    @pytest.mark.parametrize("name", FORMATS)
    def test_the_link_stays_and_its_file_is_replaced(self, cli, news, tmp_path, name) -> None:
        shared = tmp_path / "shared"
        shared.mkdir()
        real = shared / "data.out"
        real.write_bytes(b"old")
        os.chmod(real, 0o640)
        link = news.root / "out.data"
        link.symlink_to(real)
        run = cli("export", "-f", name, "-o", "out.data", *FORMATS[name])
        assert run.exit_code == 0, run.stderr
        assert link.is_symlink()
        assert os.readlink(link) == str(real)
        check_output(name, real.read_bytes())
        if name == "sqlite":
            assert sqlite_slugs(link) == ["a", "b"]
        assert stat.S_IMODE(os.stat(real).st_mode) == 0o640
        assert os.listdir(shared) == ["data.out"]

    @pytest.mark.parametrize("name", ["json", "csv", "sqlite", "rss"])
    def test_a_dangling_link_is_refused(self, cli, news, name) -> None:
        (news.root / "out.data").symlink_to("exports/data.out")
        before = tree(news.root)
        run = cli("export", "-f", name, "-o", "out.data", *FORMATS[name])
        assert run.exit_code == 1
        assert run.stderr.strip() == (
            "error: out.data: is a symbolic link to exports/data.out, which does not exist; "
            "not written"
        )
        assert tree(news.root) == before

    @pytest.mark.parametrize("name", ["json", "sqlite"])
    @pytest.mark.parametrize("points_to", ["content/2024/07/a.md", "lushbeat.toml"])
    def test_a_link_to_the_projects_own_files_is_refused(self, cli, news, name, points_to):
        (news.root / "out.data").symlink_to(points_to)
        before = tree(news.root)
        run = cli("export", "-f", name, "-o", "out.data")
        assert run.exit_code == 2
        assert "one of the project's own files; not overwritten" in run.stderr
        assert tree(news.root) == before

    @pytest.mark.parametrize("name", ["json", "sqlite"])
    def test_a_link_to_a_folder_is_refused(self, cli, news, name) -> None:
        (news.root / "exports").mkdir()
        (news.root / "out.data").symlink_to("exports")
        run = cli("export", "-f", name, "-o", "out.data")
        assert run.exit_code == 2
        assert "is a folder" in run.stderr
        assert os.listdir(news.root / "exports") == []


class TestEditingSymlinkedArticles:
    """validate --fix, publish and tags rename edit the file a symlinked article names."""

    @pytest.fixture
    def linked(self, project: Project, tmp_path: Path) -> Path:
        shared = tmp_path / "shared"
        shared.mkdir()
        real = shared / "a.md"
        real.write_text(
            "---\ntitle: A  \nslug: a\ndate: 2024-7-9\nstatus: draft\ntags: [x, y]\n---\n\nB\n"
        )
        link = project.content / "2024/07/a.md"
        link.parent.mkdir(parents=True)
        link.symlink_to(real)
        return real

    def test_validate_fix(self, cli, project, linked) -> None:
        run = cli("validate", "--fix")
        assert run.exit_code == 0, run.stderr
        link = project.content / "2024/07/a.md"
        assert link.is_symlink() and link.resolve() == linked.resolve()
        text = linked.read_text()
        assert text.startswith("---\ntitle: A\nslug: a\ndate: 2024-07-09\n")
        assert sorted(os.listdir(link.parent)) == ["a.md"]
        assert sorted(os.listdir(linked.parent)) == ["a.md"]

    def test_tags_rename(self, cli, project, linked) -> None:
        run = cli("tags", "rename", "x", "z")
        assert run.exit_code == 0, run.stderr
        assert (project.content / "2024/07/a.md").is_symlink()
        assert "tags: [z, y]" in linked.read_text()

    def test_publish_in_place(self, cli, project, linked) -> None:
        run = cli("publish", "content/2024/07/a.md")
        assert run.exit_code == 0, run.stderr
        assert (project.content / "2024/07/a.md").is_symlink()
        assert "status: published" in linked.read_text()

    def test_publish_move_refuses_to_move_a_link(self, cli, project, linked) -> None:
        before = tree(project.root), linked.read_bytes()
        run = cli("publish", "content/2024/07/a.md", "--date", "2024-09-01", "--move")
        assert run.exit_code == 2
        assert run.stderr.strip() == (
            "error: content/2024/07/a.md: is a symbolic link; --move does not move links "
            "(move it by hand, or publish without --move)"
        )
        assert (tree(project.root), linked.read_bytes()) == before
