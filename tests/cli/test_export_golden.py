"""Golden files: one article exported in every format, compared byte for byte.

A changed golden file is a reviewed behaviour change. To accept one after reviewing it:
``LUSHBEAT_UPDATE_GOLDEN=1 python -m pytest tests/cli/test_export_golden.py``.
"""

from __future__ import annotations

import os
import shutil
import sqlite3
from pathlib import Path

import pytest

from lushbeat_cli import __version__
from tests.conftest import REPO

FIXTURES = REPO / "tests" / "fixtures" / "export"
EXPECTED = FIXTURES / "expected"
UPDATE = os.environ.get("LUSHBEAT_UPDATE_GOLDEN") == "1"
SITE_PAGES = (
    "index.html",
    "articles/2024/07/gregoria-mariska-raih-perunggu.html",
    "tags/index.html",
    "categories/olahraga.html",
)


@pytest.fixture
def golden_project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    root = tmp_path / "project"
    shutil.copytree(FIXTURES / "project", root)
    monkeypatch.chdir(root)
    return root


def normalise(text: str) -> str:
    """The only volatile value: the version (build dates come from the articles)."""
    return text.replace(f"lushbeat {__version__}", "lushbeat VERSION").replace(
        f'version="{__version__}"', 'version="VERSION"'
    )


def check(name: str, actual: str) -> None:
    path = EXPECTED / name
    actual = normalise(actual)
    if UPDATE:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(actual.encode("utf-8"))
    assert path.is_file(), f"missing golden file {name}; run with LUSHBEAT_UPDATE_GOLDEN=1"
    assert actual == path.read_bytes().decode("utf-8"), f"{name} differs from its golden file"


@pytest.mark.parametrize(
    ("fmt", "name"),
    [
        ("json", "article.json"),
        ("jsonl", "article.jsonl"),
        ("csv", "article.csv"),
        ("rss", "article.rss.xml"),
        ("atom", "article.atom.xml"),
        ("jsonfeed", "article.feed.json"),
        ("opensearch", "article.opensearch.ndjson"),
    ],
)
def test_stream_formats(cli, golden_project: Path, fmt: str, name: str) -> None:
    extra = {"json": ("--html",), "csv": ("--fields", "summary,source,score")}.get(fmt, ())
    run = cli("export", "--format", fmt, *extra)
    assert run.exit_code == 0, run.stderr
    check(name, run.stdout_bytes.decode("utf-8"))


def test_sqlite(cli, golden_project: Path) -> None:
    run = cli("export", "--format", "sqlite", "--output", "golden.db", "--html")
    assert run.exit_code == 0, run.stderr
    with sqlite3.connect(golden_project / "golden.db") as db:
        dump = "\n".join(db.iterdump()) + "\n"
    check("article.sql", dump)


def test_site(cli, golden_project: Path) -> None:
    run = cli("export", "--format", "html", "--output", "site")
    assert run.exit_code == 0, run.stderr
    site = golden_project / "site"
    files = sorted(p.relative_to(site).as_posix() for p in site.rglob("*") if p.is_file())
    check("site/FILES.txt", "\n".join(files) + "\n")
    for page in SITE_PAGES:
        check(f"site/{page}", (site / page).read_text(encoding="utf-8"))
