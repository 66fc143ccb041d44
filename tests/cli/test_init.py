"""`lushbeat init`: the commented config loads, folders and template, .gitignore, refusals."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

import pytest
import yaml

from lushbeat_cli.core.config import SECTIONS, SETTINGS, load_config
from lushbeat_cli.core.workflow.scaffold import (
    config_text,
    precommit_files_pattern,
    precommit_snippet,
)
from tests.conftest import REPO


@pytest.fixture
def empty(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    return tmp_path


def test_init_creates_a_working_project(cli, empty: Path) -> None:
    run = cli("init", "newsroom", "--lang", "id", "--timezone", "Asia/Jakarta")
    assert run.exit_code == 0, run.stderr
    root = empty / "newsroom"
    for name in ("lushbeat.toml", "content", "templates/default.md", ".gitignore"):
        assert (root / name).exists(), name
    assert (root / ".gitignore").read_text() == ".lushbeat/\n"
    config = load_config(root)
    assert config.source == (root / "lushbeat.toml").resolve()
    assert (config.default_lang, config.timezone) == ("id", "Asia/Jakarta")
    assert config.content_dir == "content"
    for line in (
        "created newsroom/lushbeat.toml",
        "created newsroom/content/",
        "created newsroom/templates/default.md",
        "created newsroom/.gitignore",
    ):
        assert line in run.stderr
    new = cli("-C", "newsroom", "new", "Berita Pertama", "--date", "2025-01-02")
    assert new.exit_code == 0, new.stderr
    written = (empty / new.stdout.strip()).read_text()
    assert 'title: "Berita Pertama"' in written and "lang: id" in written


def test_init_prints_the_pre_commit_snippet_on_stdout(cli, empty: Path) -> None:
    run = cli("init")
    assert run.exit_code == 0, run.stderr
    lines = run.stdout.splitlines()
    assert lines[0] == "repos:"
    assert lines[1].strip().startswith("- repo: https://")
    assert re.fullmatch(r" +rev: v\d+\.\d+\.\d+", lines[2])
    assert lines[3].strip() == "hooks:"
    assert lines[4].strip() == "- id: lushbeat-validate"


def test_the_docs_show_the_pre_commit_snippet_init_prints(cli, empty: Path) -> None:
    printed = cli("init").stdout
    assert "        files: ^content/\n" in printed
    pages = [REPO / "README.md", *sorted((REPO / "docs").rglob("*.md"))]
    text = "".join(page.read_text(encoding="utf-8") for page in pages)
    shown = re.findall(r"```yaml\n(repos:\n  - repo: https://.*?)```", text, flags=re.S)
    assert len(shown) >= 2  # at least under `lushbeat init` and under pre-commit
    assert shown == [printed] * len(shown)


@pytest.mark.parametrize(
    ("content_dir", "pattern"),
    [
        ("content", "^content/"),
        ("./news/articles/", "^news/articles/"),
        ("berita (arsip)", r"^berita \(arsip\)/"),
        (".", None),
        ("../shared/content", None),
    ],
)
def test_the_hook_is_kept_to_the_content_dir(content_dir: str, pattern: str | None) -> None:
    assert precommit_files_pattern(content_dir) == pattern
    hook = yaml.safe_load(precommit_snippet("1.2.3", content_dir))["repos"][0]["hooks"][0]
    assert hook.get("files") == pattern
    if pattern is not None:
        folder = content_dir.strip("./")
        assert re.search(pattern, f"{folder}/2024/07/x.md")
        assert not re.search(pattern, "README.md")
        assert not re.search(pattern, f"{folder}-old/x.md")


def test_every_setting_is_listed_commented_at_its_default(empty: Path) -> None:
    text = config_text()
    assert tomllib.loads(text) == {}
    uncommented = re.sub(r"(?m)^# (\[\w+\]|\w+ = )", r"\1", text)
    data = tomllib.loads(uncommented)
    assert {key: data[key] for key in SETTINGS} == {
        key: default for key, (_, default) in SETTINGS.items()
    }
    for name, spec in SECTIONS.items():
        assert data[name] == {key: default for key, (_, default) in spec.items()}
    (empty / "lushbeat.toml").write_text(uncommented)
    config = load_config(empty)
    assert config.max_file_size == SETTINGS["max_file_size"][1]


def test_tables_stay_commented_so_the_file_stays_valid(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(SECTIONS, "future", {"limit": (int, 5), "names": (list, ["a"])})
    text = config_text({"default_lang": "id"})
    assert '# [future]\n# limit = 5\n# names = ["a"]\n' in text
    assert tomllib.loads(text) == {"default_lang": "id"}


def test_existing_config_is_refused(cli, empty: Path) -> None:
    (empty / "lushbeat.toml").write_text('default_lang = "en"\n')
    run = cli("init")
    assert run.exit_code == 1
    assert run.stderr.strip() == "error: lushbeat.toml: already exists; not overwritten"
    assert run.stdout == ""
    assert (empty / "lushbeat.toml").read_text() == 'default_lang = "en"\n'
    assert not (empty / "content").exists()


def test_a_pyproject_table_counts_as_a_config(cli, empty: Path) -> None:
    (empty / "pyproject.toml").write_text('[tool.lushbeat]\ndefault_lang = "id"\n')
    run = cli("init")
    assert run.exit_code == 1
    assert "pyproject.toml: already configures lushbeat" in run.stderr
    assert not (empty / "lushbeat.toml").exists()


@pytest.mark.parametrize(
    ("before", "after"),
    [
        ("node_modules/\n", "node_modules/\n.lushbeat/\n"),
        ("node_modules/", "node_modules/\n.lushbeat/\n"),
        ("a\r\nb\r\n", "a\r\nb\r\n.lushbeat/\r\n"),
        ("x\n.lushbeat/\n", "x\n.lushbeat/\n"),
        ("/.lushbeat\n", "/.lushbeat\n"),
        ("", ".lushbeat/\n"),
    ],
)
def test_gitignore_is_appended_to_once(cli, empty: Path, before: str, after: str) -> None:
    (empty / ".gitignore").write_bytes(before.encode())
    assert cli("init").exit_code == 0
    assert (empty / ".gitignore").read_bytes() == after.encode()


def test_existing_folders_and_template_are_kept(cli, empty: Path) -> None:
    (empty / "content" / "2024").mkdir(parents=True)
    (empty / "content" / "2024" / "a.md").write_text("---\ntitle: A\n---\n")
    (empty / "templates").mkdir()
    (empty / "templates" / "default.md").write_text('---\ntitle: "{{ title }}"\n---\nMine.\n')
    run = cli("init")
    assert run.exit_code == 0, run.stderr
    assert "kept templates/default.md" in run.stderr
    assert "kept content/" in run.stderr
    assert (empty / "templates" / "default.md").read_text().endswith("Mine.\n")
    assert (empty / "content" / "2024" / "a.md").exists()


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--timezone", "Mars/Olympus"], "unknown time zone 'Mars/Olympus'"),
        (["--timezone", "+99:00"], "invalid UTC offset '+99:00' (hours run from 00 to 23"),
        (["--timezone", "+1:00"], "invalid UTC offset '+1:00' (write it as +HH:MM"),
        (["--lang", " "], "--lang must not be empty"),
    ],
)
def test_bad_options_are_usage_errors(cli, empty: Path, args: list[str], message: str) -> None:
    run = cli("init", *args)
    assert run.exit_code == 2
    assert message in run.stderr
    assert not (empty / "lushbeat.toml").exists()


def test_values_are_written_as_valid_toml(cli, empty: Path) -> None:
    run = cli("init", "--author", 'Redaksi "Lush" Beat \\ Jakarta', "--timezone", "+07:00")
    assert run.exit_code == 0, run.stderr
    config = load_config(empty)
    assert config.default_author == 'Redaksi "Lush" Beat \\ Jakarta'
    assert config.timezone == "+07:00"


def test_a_file_is_not_a_project_folder(cli, empty: Path) -> None:
    (empty / "notes.txt").write_text("x")
    run = cli("init", "notes.txt")
    assert run.exit_code == 2
    assert "notes.txt: is not a folder" in run.stderr
