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
    (tmp_path / "news").mkdir()
    (tmp_path / "outside.md").write_text("x", encoding="utf-8")
    os.symlink(tmp_path / "outside.md", tmp_path / "news" / "inside.md")
    monkeypatch.chdir(tmp_path / "news")
    assert display_path(tmp_path / "news" / "inside.md") == "inside.md"
