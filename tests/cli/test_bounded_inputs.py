"""Every input lushbeat reads from a path is a regular file within a size limit (or stdin for
``-``, bounded too): a FIFO, a device, a symlink to one or a huge file is one clear error line
naming it, never a hang or a read until memory runs out."""

from __future__ import annotations

import os
import signal
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from tests.conftest import Project

pytestmark = pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs FIFOs and /dev/zero")

Make = Callable[[Path], None]


def fifo(path: Path) -> None:
    os.mkfifo(path)


def zero(path: Path) -> None:
    path.symlink_to("/dev/zero")


def folder(path: Path) -> None:
    path.mkdir()


def huge(path: Path) -> None:
    with path.open("wb") as stream:  # sparse: 11 MiB > the default 10 MiB limit, no disk used
        stream.truncate(11 * 1024 * 1024)


# What each odd input should be called in the error line.
KINDS: list[tuple[Make, str]] = [
    (fifo, "not a regular file (a pipe, device or socket)"),
    (zero, "not a regular file (a pipe, device or socket)"),
    (huge, "file too large (11.0 MiB > 10.0 MiB limit)"),
]
IDS = ["fifo", "symlink-to-dev-zero", "huge"]


@pytest.fixture(autouse=True)
def no_hang() -> Iterator[None]:
    """A command that blocks on a FIFO fails the test instead of hanging the suite."""

    def timeout(signum: int, frame: object) -> None:
        raise TimeoutError("the command hung")

    previous = signal.signal(signal.SIGALRM, timeout)
    signal.alarm(60)
    try:
        yield
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)


def one_error(stderr: str) -> str:
    (line,) = [line for line in stderr.splitlines() if line.startswith("error:")]
    assert "Traceback" not in stderr and "internal error" not in stderr
    return line


# ---------------------------------------------------------------- import


@pytest.mark.parametrize(("make", "words"), KINDS, ids=IDS)
def test_import_refuses_odd_story_files(cli, project: Project, make: Make, words: str) -> None:
    make(project.root / "story.txt")
    run = cli("import", "story.txt")
    assert run.exit_code == 1
    assert run.stdout == ""
    assert one_error(run.stderr).startswith(f"error: story.txt: {words}; not imported")
    assert not any(project.content.rglob("*.md"))


def test_import_refuses_a_device_named_directly(cli, project: Project) -> None:
    run = cli("import", "/dev/zero", "--dry-run")
    assert run.exit_code == 1
    assert one_error(run.stderr) == (
        "error: /dev/zero: not a regular file (a pipe, device or socket); not imported"
    )


def test_import_of_a_folder_reports_odd_entries_and_imports_the_rest(cli, project: Project) -> None:
    inbox = project.root / "inbox"
    inbox.mkdir()
    (inbox / "good.txt").write_text("Judul Bagus\n\nIsi cerita.\n", encoding="utf-8")
    fifo(inbox / "pipe.txt")
    zero(inbox / "zero.txt")
    (inbox / "dangling.txt").symlink_to(inbox / "nowhere.txt")
    (inbox / "skip.md").symlink_to("/dev/zero")  # not a story suffix: not looked at
    run = cli("import", "inbox")
    assert run.exit_code == 1
    assert run.stdout.splitlines() == ["content/2026/11/judul-bagus.md"]
    errors = [line for line in run.stderr.splitlines() if line.startswith("error:")]
    assert errors == [
        "error: inbox/dangling.txt: cannot read: No such file or directory",
        "error: inbox/pipe.txt: not a regular file (a pipe, device or socket); not imported",
        "error: inbox/zero.txt: not a regular file (a pipe, device or socket); not imported",
    ]
    assert run.stderr.splitlines()[-1] == "imported 1 story; 3 failed"


def test_import_respects_a_smaller_max_file_size(cli, project: Project) -> None:
    project.config('content_dir = "content"\nmax_file_size = 100\n')
    (project.root / "s.txt").write_text("Judul\n\n" + "kata " * 30 + "\n", encoding="utf-8")
    run = cli("import", "s.txt")
    assert run.exit_code == 1
    assert "file too large (158 bytes > 100 bytes limit); not imported" in one_error(run.stderr)


# ---------------------------------------------------------------- similar --body-file


@pytest.mark.parametrize(("make", "words"), KINDS, ids=IDS)
def test_similar_body_file_refuses_odd_files(cli, project: Project, make: Make, words: str) -> None:
    project.article("a.md", title="Harga minyak naik", date="2024-01-01")
    make(project.root / "draft.md")
    run = cli("similar", "--title", "Minyak", "--body-file", "draft.md")
    assert run.exit_code == 2
    assert run.stdout == ""
    assert one_error(run.stderr).startswith(f"error: draft.md: cannot read --body-file: {words}")


def test_similar_body_file_on_stdin_is_bounded(cli, project: Project) -> None:
    project.config('content_dir = "content"\nmax_file_size = 1000\n')
    project.article("a.md", title="Harga minyak naik", date="2024-01-01")
    run = cli("similar", "--title", "Minyak", "--body-file", "-", input="minyak " * 200)
    assert run.exit_code == 2
    assert one_error(run.stderr) == (
        "error: -: cannot read --body-file: stdin too large (more than the 1000 bytes limit); "
        "not read"
    )
    ok = cli("similar", "--title", "Minyak", "--body-file", "-", "-f", "json", input="minyak")
    assert ok.exit_code == 0, ok.stderr


def test_similar_body_file_devices(cli, project: Project) -> None:
    project.article("a.md", title="Harga minyak naik", date="2024-01-01")
    for device in ("/dev/zero", "/dev/urandom"):
        run = cli("similar", "--title", "Minyak", "--body-file", device)
        assert run.exit_code == 2
        assert "not a regular file" in one_error(run.stderr)


# ---------------------------------------------------------------- config files


@pytest.mark.parametrize(("make", "words"), KINDS, ids=IDS)
@pytest.mark.parametrize("name", ["lushbeat.toml", "pyproject.toml"])
def test_an_odd_config_file_in_the_project_is_a_config_error(
    cli, project: Project, make: Make, words: str, name: str
) -> None:
    (project.root / "lushbeat.toml").unlink()
    make(project.root / name)
    for command in (["list"], ["validate"], ["new", "X", "--dry-run"], ["search", "x"]):
        run = cli(*command)
        assert run.exit_code == 2, command
        assert one_error(run.stderr) == f"error: {name}: cannot read config: {words}"


@pytest.mark.parametrize(("make", "words"), KINDS, ids=IDS)
def test_an_odd_config_option_is_a_config_error(
    cli, project: Project, make: Make, words: str
) -> None:
    make(project.root / "other.toml")
    run = cli("--config", "other.toml", "list")
    assert run.exit_code == 2
    assert one_error(run.stderr) == f"error: other.toml: cannot read config: {words}"


def test_config_devices_and_folders(cli, project: Project) -> None:
    run = cli("--config", "/dev/zero", "list")
    assert run.exit_code == 2
    assert one_error(run.stderr) == (
        "error: /dev/zero: cannot read config: not a regular file (a pipe, device or socket)"
    )
    (project.root / "lushbeat.toml").unlink()
    (project.root / "lushbeat.toml").mkdir()
    run = cli("list")
    assert run.exit_code == 2
    assert one_error(run.stderr).endswith("lushbeat.toml: cannot read config: is a directory")


def test_a_utf16_config_says_so(cli, project: Project) -> None:
    (project.root / "lushbeat.toml").write_bytes('content_dir = "content"\n'.encode("utf-16"))
    run = cli("list")
    assert run.exit_code == 2
    assert one_error(run.stderr).endswith("lushbeat.toml: UTF-16 text; save it as UTF-8")


# ---------------------------------------------------------------- templates and word lists


@pytest.mark.parametrize(("make", "words"), KINDS, ids=IDS)
@pytest.mark.parametrize("template", [None, "berita"])
def test_odd_templates_are_refused(
    cli, project: Project, make: Make, words: str, template: str | None
) -> None:
    (project.root / "templates").mkdir()
    make(project.root / "templates" / f"{template or 'default'}.md")
    args = ["new", "Judul", "--dry-run"] + (["--template", template] if template else [])
    run = cli(*args)
    assert run.exit_code == 2
    assert run.stdout == ""
    assert one_error(run.stderr).endswith(f".md: cannot read template: {words}")


def test_a_utf16_template_says_so(cli, project: Project) -> None:
    (project.root / "templates").mkdir()
    text = '---\ntitle: "{{ title }}"\n---\n'
    (project.root / "templates" / "default.md").write_bytes(text.encode("utf-16-le"))
    run = cli("new", "Judul", "--dry-run")
    assert run.exit_code == 2
    assert one_error(run.stderr).endswith("cannot read template: UTF-16 text; save it as UTF-8")


@pytest.mark.parametrize(("make", "words"), KINDS, ids=IDS)
def test_odd_stop_word_files_are_refused(cli, project: Project, make: Make, words: str) -> None:
    project.config('content_dir = "content"\n[similar]\nstop_words = ["en", "house.txt"]\n')
    project.article("a.md", title="Harga minyak naik", date="2024-01-01")
    make(project.root / "house.txt")
    run = cli("similar", "a.md")
    assert run.exit_code == 2
    assert one_error(run.stderr).endswith(
        f"house.txt: similar.stop_words: cannot read house.txt: {words}"
    )


# ---------------------------------------------------------------- stdin paths, show --raw


def test_validate_paths_on_stdin_are_bounded(cli, project: Project) -> None:
    project.config('content_dir = "content"\nmax_file_size = 100\n')
    project.article("a.md", title="A", date="2024-01-01")
    run = cli("validate", "-", input="content/a.md\n" * 20)
    assert run.exit_code == 2
    assert one_error(run.stderr) == (
        "error: cannot read the paths on stdin: stdin too large (more than the 100 bytes "
        "limit); not read"
    )
    ok = cli("validate", "-", input="content/a.md\n")
    assert ok.exit_code == 0, ok.stderr


def test_show_raw_rereads_the_file_bounded(
    cli, project: Project, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = project.article("a.md", title="Alpha", date="2024-01-01")
    assert cli("list").exit_code == 0  # the index knows the article
    from lushbeat_cli.cli import show_cmd

    real = show_cmd.find_article

    def swapped(reference: str, **kwargs: object) -> object:
        found = real(reference, **kwargs)  # type: ignore[arg-type]
        path.unlink()
        os.mkfifo(path)  # replaced by a FIFO between the lookup and the read
        return found

    monkeypatch.setattr(show_cmd, "find_article", swapped)
    run = cli("show", "alpha", "--raw")
    assert run.exit_code == 1
    assert run.stdout == ""
    assert one_error(run.stderr).endswith(
        "a.md: not a regular file (a pipe, device or socket); not read"
    )
