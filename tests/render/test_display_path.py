"""display_path: relative to the working directory when inside it (through symlinks too)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from lushbeat_cli.render.machine import display_path


def test_inside_outside_and_relative(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "news" / "content").mkdir(parents=True)
    (tmp_path / "other").mkdir()
    monkeypatch.chdir(tmp_path / "news")
    assert display_path(tmp_path / "news" / "content" / "a.md") == "content/a.md"
    assert display_path(str(tmp_path / "news" / "b.md")) == "b.md"
    assert display_path(tmp_path / "other" / "c.md") == str(tmp_path / "other" / "c.md")
    assert display_path(Path("content/d.md")) == "content/d.md"
    assert display_path(Path("/e.md")) == "/e.md"
    assert display_path(tmp_path / "other" / "f.md", base=tmp_path) == "other/f.md"


def test_through_a_symlinked_folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    real = tmp_path / "real"
    (real / "content").mkdir(parents=True)
    os.symlink(real, tmp_path / "link")
    monkeypatch.chdir(tmp_path / "link")  # the shell's view: a symlinked project folder
    assert display_path(real / "content" / "a.md") == "content/a.md"
    assert display_path(tmp_path / "link" / "content" / "b.md") == "content/b.md"
    os.symlink(real / "content", tmp_path / "elsewhere")
    assert display_path(tmp_path / "elsewhere" / "c.md") == "content/c.md"


def test_a_symlinked_file_shows_where_the_link_is(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "news" / "x").mkdir(parents=True)
    (tmp_path / "srv").mkdir()
    (tmp_path / "news" / "x" / "a.md").write_text("x", encoding="utf-8")
    link = tmp_path / "srv" / "a.md"  # outside the working directory, pointing inside it
    os.symlink(tmp_path / "news" / "x" / "a.md", link)
    monkeypatch.chdir(tmp_path / "news")
    assert display_path(link) == str(link)


def test_closed_stderr_is_not_an_error(monkeypatch: pytest.MonkeyPatch) -> None:
    from lushbeat_cli.render.human import Output

    monkeypatch.setattr("sys.stderr", None)  # started with 2>&-
    output = Output()
    output.info("12 articles")
    output.error("nothing to say it with")
    output.problem("a.md:1:1", "m", "LB101")
