"""core.scan: the content folder's files with their signatures, scanned here or by a forked child.

A child's answer must be the answer the process would have found itself; a child that fails
in any way means an ordinary scan; a child whose answer nobody reads is stopped and reaped.
"""

from __future__ import annotations

import os
import subprocess
import sys
import threading
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from lushbeat_cli.core.reading import scan
from lushbeat_cli.core.reading.scan import (
    Prescan,
    indexed_root,
    manifest_entries,
    manifest_text,
    scan_manifest,
)

pytestmark = pytest.mark.skipif(
    sys.platform != "linux", reason="the child scan is for Linux (fork)"
)


@pytest.fixture
def tree(tmp_path: Path) -> Path:
    """Every kind of entry the scan must tell apart."""
    root = tmp_path / "content"
    (root / "2024" / "07").mkdir(parents=True)
    (root / "2024" / "07" / "a.md").write_text("---\ntitle: A\n---\n", encoding="utf-8")
    (root / "2024" / "b.markdown").write_text("x", encoding="utf-8")
    (root / "2024" / "notes.txt").write_text("not an article", encoding="utf-8")
    (root / ".hidden.md").write_text("skipped", encoding="utf-8")
    (root / ".drafts").mkdir()
    (root / ".drafts" / "c.md").write_text("skipped", encoding="utf-8")
    (root / "berita-é.md").write_text("é", encoding="utf-8")
    (root / "dangling.md").symlink_to(root / "missing.md")  # listed, not stat-able: None
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "d.md").write_text("x", encoding="utf-8")
    (root / "linked").symlink_to(outside)  # a symlinked folder is not entered
    (root / "folder.md").mkdir()  # a folder with an article's suffix is entered
    (root / "folder.md" / "e.md").write_text("x", encoding="utf-8")
    name = os.fsdecode(b"bad-\xff.md")  # not UTF-8: cannot be a database key
    (root / name).write_text("x", encoding="utf-8")
    return root


@pytest.fixture
def forking(monkeypatch: pytest.MonkeyPatch) -> None:
    """Fork whatever this machine's core count (the answer must not depend on it)."""
    monkeypatch.setattr(scan, "_can_fork", lambda: True)


def scanned(root: Path) -> tuple[dict[str, str | None], list[tuple[str, str]]]:
    """What a refresh sees: the child's answer when one is pending for ``root``."""
    unreadable: list[tuple[str, str]] = []
    text = scan_manifest(root, unreadable)
    return manifest_entries(text), unreadable


def test_the_scan_sees_what_the_index_stores(tree: Path) -> None:
    found, unreadable = scanned(tree)
    assert set(found) == {
        "2024/07/a.md",
        "2024/b.markdown",
        "berita-é.md",
        "dangling.md",
        "folder.md/e.md",
        os.fsdecode(b"bad-\xff.md"),
    }
    assert found["dangling.md"] is None and found[os.fsdecode(b"bad-\xff.md")] is None
    info = (tree / "2024" / "07" / "a.md").stat()
    assert found["2024/07/a.md"] == f"{info.st_size}:{info.st_mtime_ns}"
    assert unreadable == []


def test_the_corpus_reads_the_files_the_scan_lists(
    tree: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """One walk (``scan.walk``): the files read without the index, and the folders reported as
    unreadable, are those the index's scan lists."""
    from lushbeat_cli.core.reading.articles import find_article_paths

    real_list = scan._list_folder

    def list_folder(folder: str) -> Any:
        if folder == str(tree / "2024" / "07"):  # (root reads every folder: refuse it here)
            raise PermissionError(13, "Permission denied", folder)
        return real_list(folder)

    monkeypatch.setattr(scan, "_list_folder", list_folder)
    found, unreadable = scanned(tree)
    errors: list[Any] = []
    paths = find_article_paths(tree, errors)
    assert [path.relative_to(tree).as_posix() for path in paths] == sorted(found)
    assert "2024/b.markdown" in found and "2024/07/a.md" not in found
    assert unreadable == [("2024/07", "Permission denied")]
    assert [(error.path, error.code, error.message) for error in errors] == [
        (tree / "2024" / "07", "LB112", "cannot read folder: Permission denied")
    ]


def prescan(root: Path) -> Prescan:
    return Prescan(lambda: os.fspath(root))


@pytest.mark.usefixtures("forking")
def test_a_child_answers_what_the_process_would_find(
    tree: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    expected = scanned(tree)
    with prescan(tree):
        [child] = scan._PENDING
        real = scan._scan
        monkeypatch.setattr(scan, "_scan", None)  # from here on, only the child can answer
        assert scanned(tree) == expected
        assert not scan._PENDING  # taken once
        monkeypatch.setattr(scan, "_scan", real)
        assert scanned(tree) == expected  # then scanned here
    assert child.reader is None
    with pytest.raises(ChildProcessError):
        os.waitpid(child.pid, os.WNOHANG)  # reaped


@pytest.mark.skipif(os.geteuid() == 0, reason="root reads every folder")
@pytest.mark.usefixtures("forking")
def test_a_child_reports_unreadable_folders(tree: Path) -> None:
    locked = tree / "2024" / "07"
    locked.chmod(0)
    try:
        expected = scanned(tree)
        assert expected[1] and expected[1][0][0] == "2024/07"
        with prescan(tree):
            assert scanned(tree) == expected
    finally:
        locked.chmod(0o755)


@pytest.mark.usefixtures("forking")
def test_a_failing_child_means_an_ordinary_scan(
    tree: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    expected = scanned(tree)
    parent = os.getpid()
    real = scan._scan

    def fail_in_child(root: str, unreadable: Any, *rules: Any) -> Any:
        if os.getpid() != parent:
            raise MemoryError("the child ran out")
        return real(root, unreadable, *rules)

    monkeypatch.setattr(scan, "_scan", fail_in_child)
    with prescan(tree):
        assert scanned(tree) == expected


@pytest.mark.usefixtures("forking")
def test_a_child_killed_half_way_means_an_ordinary_scan(tree: Path) -> None:
    expected = scanned(tree)
    with prescan(tree):
        [child] = scan._PENDING
        os.kill(child.pid, 9)
        assert scanned(tree) == expected


@pytest.mark.usefixtures("forking")
def test_an_unread_child_is_stopped_and_reaped(
    tree: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    parent = os.getpid()
    real = scan._scan

    def hang_in_child(root: str, unreadable: Any, *rules: Any) -> Any:
        if os.getpid() != parent:
            threading.Event().wait()  # never answers
        return real(root, unreadable, *rules)

    monkeypatch.setattr(scan, "_scan", hang_in_child)
    other = tmp_path / "other"
    other.mkdir()
    with prescan(tree):
        [child] = scan._PENDING
    assert not scan._PENDING
    with pytest.raises(ChildProcessError):
        os.waitpid(child.pid, os.WNOHANG)


@pytest.mark.usefixtures("forking")
def test_an_answer_for_another_folder_is_not_waited_for(
    tree: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The child names its folder before it scans: a parent that wanted another one stops it
    at once instead of waiting for a scan it cannot use."""
    parent = os.getpid()
    real = scan._scan

    def hang_in_child(root: str, unreadable: Any, *rules: Any) -> Any:
        if os.getpid() != parent:
            threading.Event().wait()  # a scan that never ends
        return real(root, unreadable, *rules)

    monkeypatch.setattr(scan, "_scan", hang_in_child)
    other = tmp_path / "other"
    other.mkdir()
    (other / "x.md").write_text("x", encoding="utf-8")
    with prescan(tree):
        [child] = scan._PENDING
        assert scanned(other)[0].keys() == {"x.md"}  # returns: it did not wait for the child
        assert not scan._PENDING
    with pytest.raises(ChildProcessError):
        os.waitpid(child.pid, os.WNOHANG)


@given(
    st.dictionaries(
        st.text(st.characters(blacklist_characters="\0"), min_size=1),
        st.none() | st.just("") | st.from_regex(r"\A[0-9]+:[0-9]+\Z"),
    )
)
def test_the_manifest_text_reads_back(found: dict[str, str | None]) -> None:
    """Entries, their order, None (not stat-able) and '' (a racy row) all survive."""
    text = manifest_text(found)
    assert list(manifest_entries(text).items()) == list(found.items())


def test_the_manifest_text_depends_on_entries_and_order_only() -> None:
    one = {"b.md": "1:2", "a.md": None}
    assert manifest_text(one) == manifest_text(dict(one)) == "b.md\0001:2\0a.md\0?"
    assert manifest_text({"a.md": ""}) != manifest_text({"a.md": None})


@pytest.mark.usefixtures("forking")
def test_the_child_leaves_the_standard_streams_alone(tree: Path, tmp_path: Path) -> None:
    """The child holds /dev/null, not the parent's stdout: a reader of the parent's output
    sees its end when the parent ends, even if the child were still scanning."""
    script = tmp_path / "probe.py"
    script.write_text(
        "import os, threading\n"
        "from lushbeat_cli.core.reading import scan\n"
        "scan._can_fork = lambda: True\n"
        "def slow_root():  # runs in the child, before it touches any pipe\n"
        "    threading.Event().wait(10)\n"
        f"    return {str(tree)!r}\n"
        "scan.Prescan(slow_root).__enter__()\n"
        "print('parent done', flush=True)\n"
        "os._exit(0)  # no clean-up: the child lives on\n",
        encoding="utf-8",
    )
    # Were the child holding the pipe, reading to its end would take the child's 10 s.
    run = subprocess.run([sys.executable, str(script)], capture_output=True, text=True, timeout=8)
    assert run.stdout == "parent done\n" and run.stderr == ""


@pytest.mark.usefixtures("forking")
def test_a_child_without_a_folder_means_an_ordinary_scan(tree: Path) -> None:
    expected = scanned(tree)
    for find_root in (lambda: None, lambda: 1 / 0):
        with Prescan(find_root):  # type: ignore[arg-type]
            assert scanned(tree) == expected


def test_no_child_while_another_thread_runs(tree: Path) -> None:
    stop = threading.Event()
    thread = threading.Thread(target=stop.wait)
    thread.start()
    try:
        assert not scan._can_fork()
        with prescan(tree):
            assert not scan._PENDING
            assert scanned(tree)[0]
    finally:
        stop.set()
        thread.join()


# ---------------------------------------------------------------- the child's guess


def test_the_guess_is_the_folder_the_index_was_built_for(
    project: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    from lushbeat_cli.core.config import load_config
    from lushbeat_cli.core.index import update_index

    project.article("2024/a.md", title="A", date="2024-01-02")
    assert indexed_root(str(project.root)) is None  # no index yet
    config = load_config(project.root, None)
    update_index(config)
    content = str(config.content_path)
    assert indexed_root(str(project.root)) == content
    assert indexed_root(str(project.content / "2024")) == content  # found walking up
    assert indexed_root(str(project.content / "2024"), walk=False) is None
    size = config.index_path.stat().st_size
    assert indexed_root(str(project.root), min_index_bytes=size) == content
    assert indexed_root(str(project.root), min_index_bytes=size + 1) is None


def test_the_guess_stops_at_another_project(project: Any) -> None:
    from lushbeat_cli.core.config import load_config
    from lushbeat_cli.core.index import update_index

    project.article("a.md", title="A")
    update_index(load_config(project.root, None))
    nested = project.root / "nested"
    nested.mkdir()
    (nested / "lushbeat.toml").write_text('content_dir = "."\n', encoding="utf-8")
    assert indexed_root(str(nested)) is None


def test_a_damaged_index_gives_no_guess(project: Any) -> None:
    index = project.root / ".lushbeat" / "index.sqlite"
    index.parent.mkdir()
    index.write_bytes(b"not a database at all" * 100)
    assert indexed_root(str(project.root)) is None
    index.write_bytes(b"")
    assert indexed_root(str(project.root)) is None
