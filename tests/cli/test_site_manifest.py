"""Re-exporting a site into its folder: lushbeat replaces what its manifest says it wrote and
keeps everything else byte for byte (a CNAME, a .git/, a user's robots.txt)."""

from __future__ import annotations

import json
import os
import signal
from pathlib import Path

import pytest

from lushbeat_cli.exporters import html_site, site_pages
from lushbeat_cli.exporters.html_site import MARKER, publish_site, read_previous
from tests.cli.test_output_targets import tree
from tests.conftest import Project

FOREIGN = {
    "CNAME": b"news.example.com\n",
    "robots.txt": b"User-agent: *\nDisallow: /drafts/\n",
    ".git/HEAD": b"ref: refs/heads/gh-pages\n",
    ".git/objects/ab/cdef": b"\x00\x01binary",
    "articles/2024/notes.txt": b"a note beside the pages\n",
    "tags/README": b"mine\n",
    "empty-folder/.keep": b"",
}


@pytest.fixture
def news(project: Project) -> Project:
    project.article("2024/01/a.md", title="A", date="2024-01-01", tags=["shared", "only-a"])
    project.article("2024/02/b.md", title="B", date="2024-02-01", tags=["shared"])
    project.article("2024/03/c.md", title="C", date="2024-03-01", tags=["shared", "only-c"])
    return project


def export(cli, *flags: str):  # type: ignore[no-untyped-def]
    return cli("export", "-f", "html", "-o", "site", *flags)


def add_foreign(site: Path, files: dict[str, bytes] = FOREIGN) -> None:
    for relative, data in files.items():
        path = site / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)


def foreign_entries(site: Path, files: dict[str, bytes] = FOREIGN) -> dict[str, bytes]:
    return {relative: (site / relative).read_bytes() for relative in files}


def manifest(site: Path) -> list[str]:
    return json.loads((site / MARKER).read_text(encoding="utf-8"))["files"]


def files_below(site: Path) -> set[str]:
    return {p.relative_to(site).as_posix() for p in site.rglob("*") if not p.is_dir()}


def leftovers(folder: Path) -> list[str]:
    return sorted(n for n in os.listdir(folder) if n.startswith(".site."))


class TestReexport:
    def test_files_lushbeat_did_not_write_are_kept_byte_for_byte(self, cli, news) -> None:
        assert export(cli).exit_code == 0
        site = news.root / "site"
        add_foreign(site)
        (site / "latest").symlink_to("index.html")
        (site / "articles/2024/03/c.html").write_text("edited by hand")  # lushbeat's own
        run = export(cli)
        assert run.exit_code == 0, run.stderr
        assert foreign_entries(site) == FOREIGN
        assert os.readlink(site / "latest") == "index.html"
        assert "edited by hand" not in (site / "articles/2024/03/c.html").read_text()
        assert leftovers(news.root) == []

    def test_the_manifest_lists_exactly_what_lushbeat_wrote(self, cli, news) -> None:
        assert export(cli).exit_code == 0
        site = news.root / "site"
        first = manifest(site)
        assert first == sorted(files_below(site) - {MARKER})
        assert {"index.html", "style.css", "articles/2024/01/a.html"} <= set(first)
        add_foreign(site)
        assert export(cli).exit_code == 0
        assert manifest(site) == first  # the kept files never join it

    def test_stale_pages_and_the_folders_they_leave_empty_go(self, cli, news) -> None:
        assert export(cli).exit_code == 0
        site = news.root / "site"
        add_foreign(site)
        (news.content / "2024/03/c.md").unlink()
        run = export(cli)
        assert run.exit_code == 0, run.stderr
        assert not (site / "articles/2024/03").exists()
        assert not (site / "tags/only-c.html").exists()
        assert (site / "tags/only-a.html").is_file()
        assert foreign_entries(site) == FOREIGN
        assert set(manifest(site)) == files_below(site) - {MARKER} - set(FOREIGN)

    def test_a_folder_of_stale_pages_holding_a_users_file_keeps_only_that(self, cli, news):
        assert export(cli).exit_code == 0
        site = news.root / "site"
        (site / "articles/2024/03/photo.jpg").write_bytes(b"\xff\xd8jpeg")
        (news.content / "2024/03/c.md").unlink()
        assert export(cli).exit_code == 0
        assert os.listdir(site / "articles/2024/03") == ["photo.jpg"]
        assert (site / "articles/2024/03/photo.jpg").read_bytes() == b"\xff\xd8jpeg"

    def test_a_marker_never_removes_anything_outside_the_folder(self, cli, news) -> None:
        assert export(cli).exit_code == 0
        site = news.root / "site"
        marker = json.loads((site / MARKER).read_text())
        marker["files"] += ["../lushbeat.toml", "/etc/hostname", "../content/2024/01/a.md"]
        (site / MARKER).write_text(json.dumps(marker))
        before = tree(news.root)
        assert export(cli).exit_code == 0
        after = tree(news.root)
        assert {k: v for k, v in after.items() if not k.startswith("site")} == {
            k: v for k, v in before.items() if not k.startswith("site")
        }


class TestCollisions:
    def test_a_users_file_where_a_page_goes_is_refused(self, cli, news) -> None:
        assert export(cli).exit_code == 0
        site = news.root / "site"
        add_foreign(site, {"articles/2024/04/d.html": b"my own page"})
        news.article("2024/04/d.md", title="D", date="2024-04-01")
        before = tree(site)
        run = export(cli)
        assert run.exit_code == 1
        assert run.stdout == ""
        assert run.stderr.strip() == (
            "error: site: 1 entry lushbeat did not write is where the site has pages "
            "(articles/2024/04/d.html); not replaced (use --force to replace them)"
        )
        assert tree(site) == before
        assert leftovers(news.root) == []

    def test_force_replaces_only_the_colliding_file(self, cli, news) -> None:
        assert export(cli).exit_code == 0
        site = news.root / "site"
        add_foreign(site)
        add_foreign(site, {"articles/2024/04/d.html": b"my own page"})
        news.article("2024/04/d.md", title="D", date="2024-04-01")
        run = export(cli, "--force")
        assert run.exit_code == 0, run.stderr
        assert "1 entry lushbeat did not write replaced by pages (--force)" in run.stderr
        assert b"my own page" not in (site / "articles/2024/04/d.html").read_bytes()
        assert foreign_entries(site) == FOREIGN

    def test_a_users_folder_where_a_page_goes_is_refused(self, cli, news) -> None:
        assert export(cli).exit_code == 0
        site = news.root / "site"
        (site / "tags/shared.html").unlink()
        add_foreign(site, {"tags/shared.html/index.html": b"my folder"})
        before = tree(site)
        run = export(cli)
        assert run.exit_code == 1
        assert "1 entry lushbeat did not write is where the site has pages (tags/shared.html)" in (
            run.stderr
        )
        assert tree(site) == before

    def test_a_users_file_where_a_folder_of_pages_goes_is_refused(self, cli, news) -> None:
        assert export(cli).exit_code == 0
        site = news.root / "site"
        (site / "categories").rename(site / "old-categories")
        add_foreign(site, {"categories": b"a file where a folder goes"})
        before = tree(site)
        run = export(cli)
        assert run.exit_code == 1
        assert "1 entry lushbeat did not write is where the site has pages (categories)" in (
            run.stderr
        )
        assert tree(site) == before


class TestFolders:
    def test_an_older_marker_without_a_manifest_deletes_nothing(self, cli, news) -> None:
        assert export(cli).exit_code == 0
        site = news.root / "site"
        add_foreign(site)
        (site / MARKER).write_text('{"generator": "lushbeat", "version": "0.9", "format": "html"}')
        (news.content / "2024/03/c.md").unlink()
        run = export(cli)
        assert run.exit_code == 0, run.stderr
        assert (site / "articles/2024/03/c.html").is_file()  # cannot prove lushbeat wrote it
        assert foreign_entries(site) == FOREIGN
        assert "does not list what lushbeat wrote (remove stale pages by hand)" in run.stderr
        assert "articles/2024/03/c.html" not in manifest(site)

    def test_force_writes_into_a_folder_that_is_not_an_export(self, cli, news) -> None:
        site = news.root / "site"
        add_foreign(site)
        run = export(cli)
        assert run.exit_code == 1
        assert "use --force to write into it" in run.stderr
        assert export(cli, "--force").exit_code == 0
        assert foreign_entries(site) == FOREIGN
        (news.content / "2024/03/c.md").unlink()
        assert export(cli).exit_code == 0  # now a previous export: no --force needed
        assert not (site / "articles/2024/03").exists()
        assert foreign_entries(site) == FOREIGN

    def test_a_symlinked_folder_is_written_through(self, cli, news, tmp_path) -> None:
        real = tmp_path / "www"
        real.mkdir()
        (news.root / "site").symlink_to(real)
        for _ in range(2):
            run = export(cli)
            assert run.exit_code == 0, run.stderr
            assert (news.root / "site").is_symlink()
            assert (real / "index.html").is_file()
            add_foreign(real)
        assert foreign_entries(real) == FOREIGN
        assert sorted(n for n in os.listdir(tmp_path) if n.startswith(".")) == []

    def test_a_dangling_symlink_is_refused(self, cli, news) -> None:
        (news.root / "site").symlink_to("public/site")
        before = tree(news.root)
        run = export(cli)
        assert run.exit_code == 1
        assert "is a symbolic link to public/site, which does not exist" in run.stderr
        assert tree(news.root) == before

    def test_a_failed_build_leaves_the_old_site_and_the_users_files(
        self, cli, news, monkeypatch
    ) -> None:
        assert export(cli).exit_code == 0
        site = news.root / "site"
        add_foreign(site)
        before = tree(site)

        def broken(*args: object, **kwargs: object) -> str:
            raise OSError(28, "No space left on device")

        monkeypatch.setattr(site_pages, "terms_page", broken)
        assert export(cli).exit_code == 1
        assert tree(site) == before
        assert leftovers(news.root) == []

    def test_a_failed_swap_moves_the_users_files_back(self, cli, news, monkeypatch) -> None:
        assert export(cli).exit_code == 0
        site = news.root / "site"
        add_foreign(site)
        (news.content / "2024/03/c.md").unlink()
        before = tree(site)
        real = os.rename

        def rename(source: object, target: object) -> None:
            if Path(str(target)) == site.resolve() and ".tmp" in str(source):
                raise OSError(16, "Device or resource busy")
            real(source, target)  # type: ignore[arg-type]

        monkeypatch.setattr(html_site.os, "rename", rename)
        run = export(cli)
        assert run.exit_code == 1
        assert "cannot write the site: Device or resource busy" in run.stderr
        assert tree(site) == before
        assert leftovers(news.root) == []


class TestInterrupts:
    """Ctrl-C during a site export: the old site, the user's files, and no temporary folder."""

    @pytest.fixture
    def old_site(self, tmp_path: Path) -> Path:
        site = tmp_path / "site"
        publish_site(site, read_previous(site), self.build("old"), force=False)
        add_foreign(site)
        return site

    @staticmethod
    def build(text: str):  # type: ignore[no-untyped-def]
        def write(folder: Path) -> None:
            (folder / "index.html").write_text(text)
            (folder / "sub").mkdir()
            (folder / "sub/page.html").write_text(text)

        return write

    def test_during_the_build(self, old_site: Path) -> None:
        before = tree(old_site)

        def build(folder: Path) -> None:
            self.build("new")(folder)
            signal.raise_signal(signal.SIGINT)

        with pytest.raises(KeyboardInterrupt):
            publish_site(old_site, read_previous(old_site), build, force=False)
        assert tree(old_site) == before
        assert leftovers(old_site.parent) == []

    def test_while_the_users_files_move(self, old_site: Path, monkeypatch) -> None:
        real = os.rename
        calls = []

        def rename(source: object, target: object) -> None:
            if not calls:
                signal.raise_signal(signal.SIGINT)  # waits until the swap is done
            calls.append(target)
            real(source, target)  # type: ignore[arg-type]

        monkeypatch.setattr(html_site.os, "rename", rename)
        with pytest.raises(KeyboardInterrupt):
            publish_site(old_site, read_previous(old_site), self.build("new"), force=False)
        assert (old_site / "index.html").read_text() == "new"
        assert foreign_entries(old_site) == FOREIGN
        assert leftovers(old_site.parent) == []
        assert len(calls) > 2
