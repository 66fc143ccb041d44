"""Planned edits: exact text in and out, and writes that refuse to lose anyone's work."""

from __future__ import annotations

from pathlib import Path

import pytest

from lushbeat_cli.core.edit import commit_edit, plan_edit
from lushbeat_cli.errors import ArticleExistsError, EditError

TEXT = "\ufeff---\r\ntitle: A\r\nstatus: draft\r\n---\r\nIsi.\r\n"


def test_plan_keeps_bom_and_crlf_and_writes_nothing(tmp_path: Path) -> None:
    path = tmp_path / "a.md"
    path.write_bytes(TEXT.encode())
    edit = plan_edit(path, {"status": "published"})
    assert edit.new == TEXT.replace("draft", "published")
    assert edit.changed and not edit.moves
    assert path.read_bytes() == TEXT.encode()
    assert commit_edit(edit) == path
    assert path.read_bytes() == TEXT.replace("draft", "published").encode()


def test_a_file_changed_meanwhile_is_not_overwritten(tmp_path: Path) -> None:
    path = tmp_path / "a.md"
    path.write_bytes(TEXT.encode())
    edit = plan_edit(path, {"status": "published"})
    path.write_bytes(TEXT.replace("title: A", "title: B").encode())
    with pytest.raises(EditError, match="changed on disk"):
        commit_edit(edit)
    assert b"title: B" in path.read_bytes()


def test_a_move_never_replaces_a_file_and_removes_the_old_one(tmp_path: Path) -> None:
    path = tmp_path / "a.md"
    path.write_bytes(TEXT.encode())
    taken = tmp_path / "taken.md"
    taken.write_text("mine")
    with pytest.raises(ArticleExistsError):
        commit_edit(plan_edit(path, {"status": "published"}, target=taken))
    assert taken.read_text() == "mine"
    assert path.read_bytes() == TEXT.encode()
    target = tmp_path / "sub" / "b.md"
    assert commit_edit(plan_edit(path, {}, target=target)) == target
    assert not path.exists()
    assert target.read_bytes() == TEXT.encode()


def test_edits_the_editor_refuses_name_the_file(tmp_path: Path) -> None:
    path = tmp_path / "a.md"
    path.write_text("no front matter\n")
    with pytest.raises(EditError) as caught:
        plan_edit(path, {"status": "published"})
    assert caught.value.path == path
