"""Which files are articles: the include/exclude globs (core.reading.scan.PathRules), applied
alike by the walk, the index's scan, the child scan and validate's named files."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest

from lushbeat_cli.core.config import build_config
from lushbeat_cli.core.reading import scan
from lushbeat_cli.core.reading.articles import find_article_paths
from lushbeat_cli.core.reading.scan import (
    DEFAULT_EXCLUDE,
    PathRules,
    Prescan,
    manifest_entries,
    scan_manifest,
)

DEFAULTS = PathRules((), DEFAULT_EXCLUDE)


@pytest.mark.parametrize(
    ("rel", "kept"),
    [
        ("2024/07/rupiah.md", True),
        ("README.md", False),
        ("readme.markdown", False),
        ("docs/Readme.md", False),  # any depth, any case
        ("readme-tips-for-writers.md", True),  # an article that only starts like one
        ("license-plates.md", True),
        ("LICENSE.md", False),
        ("contributing.md", False),
        ("SECURITY.md", False),
        ("CHANGELOG.md", False),
        ("CODE_OF_CONDUCT.md", False),
        ("news/_index.md", False),  # Hugo's section pages
        ("news/index.md", True),  # a page bundle is an article
        ("includes/note.md", False),
        ("excel/includes/note.md", False),
        ("_includes/footer.md", False),
        ("node_modules/pkg/README.md", False),
        ("site/includes-and-more.md", True),
        ("x.mdx", True),
        ("x.MARKDOWN", True),
        ("notes.txt", False),
        (".hidden/x.md", False),
    ],
)
def test_the_default_rules(rel: str, kept: bool) -> None:
    assert DEFAULTS.keeps_path(rel) is kept


@pytest.mark.parametrize(
    ("include", "exclude", "rel", "kept"),
    [
        ((), ("drafts-old/",), "drafts-old/a.md", False),
        ((), ("drafts-old/",), "drafts-old.md", True),  # a folder pattern: folders only
        ((), ("/archive",), "archive/a.md", False),  # anchored at the content dir
        ((), ("/archive",), "news/archive/a.md", True),
        ((), ("news/*/old-*.md",), "news/2019/old-x.md", False),
        ((), ("news/*/old-*.md",), "news/2019/07/old-x.md", True),  # * stays in a name
        ((), ("news/**/old-*.md",), "news/2019/07/old-x.md", False),
        ((), ("news/**/old-*.md",), "news/old-x.md", False),  # ** may be no folder at all
        ((), ("[0-9]*.md",), "2024-slug.md", False),
        ((), ("[!0-9]*.md",), "2024-slug.md", True),
        (("_posts/", "_drafts/"), (), "_posts/2014-09-25-a.md", True),
        (("_posts/", "_drafts/"), (), "_drafts/a.md", True),
        (("_posts/", "_drafts/"), (), "about.md", False),
        (("_posts/", "_drafts/"), (), "_layouts/post.md", False),
        (("*.md",), (), "a.markdown", False),
        (("docs/**", "blog/**"), ("README.*",), "blog/2024/a.mdx", True),
        (("docs/**", "blog/**"), ("README.*",), "blog/README.md", False),  # exclude wins
        (("docs/**", "blog/**"), ("README.*",), "src/pages/a.md", False),
    ],
)
def test_include_and_exclude_patterns(
    include: tuple[str, ...], exclude: tuple[str, ...], rel: str, kept: bool
) -> None:
    assert PathRules(include, exclude).keeps_path(rel) is kept


@pytest.fixture
def site(tmp_path: Path) -> Path:
    root = tmp_path / "site"
    for rel in (
        "README.md",
        "_posts/2014-09-25-a.md",
        "_posts/includes/x.md",
        "_drafts/b.md",
        "about.md",
        "includes/note.md",
        "templates/default.md",
        "news/_index.md",
        "news/c.mdx",
    ):
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text("---\ntitle: T\n---\n", encoding="utf-8")
    return root


def relative(root: Path, paths: list[Path]) -> list[str]:
    return [path.relative_to(root).as_posix() for path in paths]


def test_the_walk_and_keeps_path_agree(site: Path) -> None:
    for rules in (
        DEFAULTS,
        PathRules(("_posts/", "_drafts/"), DEFAULT_EXCLUDE),
        PathRules((), ("/news/",)),
        PathRules(("*.mdx",), ()),
    ):
        found = relative(site, find_article_paths(site, rules=rules))
        every = relative(site, find_article_paths(site))
        assert found == [rel for rel in every if rules.keeps_path(rel)], rules.key
    assert relative(site, find_article_paths(site, rules=DEFAULTS)) == [
        "_drafts/b.md",
        "_posts/2014-09-25-a.md",
        "about.md",
        "news/c.mdx",
        "templates/default.md",
    ]


def test_an_excluded_folder_is_not_entered(site: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    listed: list[str] = []
    real = scan._list_folder

    def list_folder(folder: str) -> object:
        listed.append(Path(folder).name)
        return real(folder)

    monkeypatch.setattr(scan, "_list_folder", list_folder)
    find_article_paths(site, rules=PathRules((), ("_posts/",)))
    assert "_posts" not in listed and "includes" in listed  # includes/ not excluded here


def test_the_config_keeps_the_templates_folder_out(site: Path) -> None:
    config = build_config({"content_dir": "."}, site, None)
    assert not config.in_collection(site / "templates" / "default.md")
    assert config.in_collection(site / "about.md")
    assert not config.in_collection(site / "README.md")
    assert not config.in_collection(site.parent / "elsewhere.md")
    posts = build_config({"content_dir": "_posts"}, site, None)
    assert posts.in_collection(site / "_posts" / "2014-09-25-a.md")
    assert not posts.in_collection(site / "_posts" / "includes" / "x.md")
    assert not posts.in_collection(site / "about.md")  # outside the content dir
    kept = build_config({"content_dir": ".", "exclude": []}, site, None)
    assert kept.in_collection(site / "README.md")  # exclude replaces the defaults
    assert not kept.in_collection(site / "templates" / "default.md")  # but never templates


@pytest.mark.skipif(sys.platform != "linux", reason="the child scan is for Linux (fork)")
def test_a_child_scan_answers_only_for_the_same_rules(
    site: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(scan, "_can_fork", lambda: True)
    rules = PathRules((), ("_posts/",))
    expected = manifest_entries(scan_manifest(site, None, rules))
    assert "_posts/2014-09-25-a.md" not in expected and "about.md" in expected
    with Prescan(lambda: (os.fspath(site), rules)):
        real = scan._scan
        monkeypatch.setattr(scan, "_scan", None)  # only the child can answer
        assert manifest_entries(scan_manifest(site, None, PathRules((), ("_posts/",)))) == (
            expected
        )
        monkeypatch.setattr(scan, "_scan", real)
    with Prescan(lambda: (os.fspath(site), rules)):
        other = manifest_entries(scan_manifest(site, None, DEFAULTS))  # other rules: scanned
    assert "_posts/2014-09-25-a.md" in other


def test_the_index_stores_the_rules_the_child_reads(tmp_path: Path) -> None:
    from lushbeat_cli.core.index import update_index
    from lushbeat_cli.core.reading.scan import indexed_target

    (tmp_path / "content").mkdir()
    (tmp_path / "content" / "a.md").write_text("---\ntitle: A\n---\n", encoding="utf-8")
    config = build_config({"exclude": ["old/"]}, tmp_path, tmp_path / "lushbeat.toml")
    update_index(config)
    target = indexed_target(str(tmp_path))
    assert target is not None
    root, rules = target
    assert root == str(config.content_path)
    assert rules is not None and rules.key == config.path_rules.key
