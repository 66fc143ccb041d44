"""Bad input never crashes a listing or a new article: values PyYAML cannot build, huge
numbers, deep nesting, FIFOs, unreadable folders, escape sequences, non-UTF-8 arguments."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.conftest import Project


@pytest.mark.parametrize(
    ("front", "line", "words"),
    [
        ("title: a\ndate: 2024-02-30", 3, "invalid timestamp value '2024-02-30'"),
        ("title: a\nx: !!int abc", 3, "invalid int value 'abc'"),
        ("title: a\nx: !!bool maybe", 3, "invalid bool value 'maybe'"),
        ("title: a\nx: !!timestamp nope", 3, "invalid timestamp value 'nope'"),
        ("title: a\nd: 2024-07-29 10:00:00 +99", 3, "invalid timestamp"),
        ("title: a\nn: " + "9" * 5000, 3, "invalid int value"),
        ("title: a\nnested:\n  - [1, !!int x]", 4, "invalid int value 'x'"),
    ],
)
def test_unbuildable_yaml_values_are_findings_at_their_line(
    cli, project: Project, front: str, line: int, words: str
) -> None:
    project.article("ok.md", title="Fine", date="2024-01-01")
    project.write("bad.md", f"---\n{front}\n---\nbody\n", dedent=False)
    run = cli("list", "--format", "paths")
    assert run.exit_code == 1
    assert run.stdout == "content/ok.md\n"
    (error,) = run.stderr.splitlines()[:-1]
    assert error.startswith(f"content/bad.md:{line}:")
    assert "LB104" in error and words in error


@pytest.mark.parametrize(
    "text",
    [
        "+++\nbig = " + "[" * 3000 + "]" * 3000 + "\n+++\n",
        "+++\nn = " + "9" * 5000 + "\n+++\n",
        '{"n": ' + "9" * 5000 + "}\n",
        '{"deep": ' + "[" * 500 + "]" * 500 + "}\n",
        "[1, 2]\n",
    ],
)
def test_toml_and_json_extremes(cli, project: Project, text: str) -> None:
    project.write("x.md", text, dedent=False)
    run = cli("list")
    assert run.exit_code == 1
    assert run.stderr.startswith("content/x.md:")
    assert "Traceback" not in run.stderr


def test_fifo_is_reported_not_read(cli, project: Project) -> None:
    project.article("ok.md", title="Fine")
    os.mkfifo(project.content / "pipe.md")
    run = cli("list", "--format", "paths")
    assert run.exit_code == 1
    assert "content/pipe.md:1:1: LB112 not a regular file" in run.stderr


def test_unreadable_folder_is_reported(cli, project: Project, monkeypatch) -> None:
    project.article("ok.md", title="Fine")
    project.article("secret/hidden.md", title="Hidden")
    real_scandir = os.scandir

    def scandir(path: object = ".") -> object:
        if str(path).endswith("secret"):
            raise PermissionError(13, "Permission denied", str(path))
        return real_scandir(path)

    monkeypatch.setattr(os, "scandir", scandir)
    run = cli("list", "--format", "paths")
    assert run.exit_code == 1
    assert run.stdout == "content/ok.md\n"
    assert "content/secret:1:1: LB112 cannot read folder: Permission denied" in run.stderr


def test_escape_sequences_in_titles_are_neutralised(cli, project: Project) -> None:
    project.article("x.md", title="\x1b]0;PWNED\x07\x1b[31mRED\nline", date="2024-01-01")
    run = cli("list")
    assert run.exit_code == 0
    assert "\x1b" not in run.stdout and "\x07" not in run.stdout
    assert len(run.stdout.splitlines()) == 2  # header + one row, the newline flattened
    data = cli("list", "--format", "json").json()
    assert data[0]["title"].startswith("\x1b]0;PWNED")  # machine output keeps the data


def test_nan_never_reaches_json(cli, project: Project) -> None:
    project.write("x.md", "---\ntitle: x\nscore: .nan\nbig: !!float 1e999\n---\n", dedent=False)
    run = cli("list", "--format", "json", "--fields", "slug,score,big")
    assert run.exit_code == 0
    assert run.json() == [{"slug": "x", "score": None, "big": None}]


def test_where_with_equals_in_value_and_paths(cli, project: Project) -> None:
    project.article("2024/07/a.md", title="Foo!=Bar", date="2024-07-01")
    project.article("2024/08/b.md", title="Other", date="2024-08-01")
    run = cli("list", "--format", "paths", "--where", "title=Foo!=Bar")
    assert run.stdout == "content/2024/07/a.md\n"
    run = cli("list", "--format", "paths", "--where", "path=content/2024/08/b.md")
    assert run.stdout == "content/2024/08/b.md\n"
    run = cli("list", "--format", "paths", "--where", "path=2024/07/*")
    assert run.stdout == "content/2024/07/a.md\n"
    run = cli("list", "--format", "paths", "--where", "path!=2024/07/*")
    assert run.stdout == "content/2024/08/b.md\n"


def test_tags_with_a_bad_item_keep_the_good_ones(cli, project: Project) -> None:
    project.write("x.md", "---\ntitle: x\ntags: [a, null, b, {k: v}]\n---\n", dedent=False)
    data = cli("list", "--format", "json").json()
    assert data[0]["tags"] == ["a", "b"]


def test_until_accepts_basic_iso_dates(cli, project: Project) -> None:
    project.article("a.md", title="A", date="2024-07-29T18:00:00")
    assert cli("list", "--format", "paths", "--until", "20240729").stdout == "content/a.md\n"


def test_usage_errors_are_one_line(cli, project: Project) -> None:
    for args in (["list", "--format", "xml"], ["lst"], ["list", "--limit", "-1"], ["new"]):
        run = cli(*args)
        assert run.exit_code == 2, args
        assert run.stdout == ""
        lines = run.stderr.strip().splitlines()
        assert len(lines) == 1, run.stderr
        assert lines[0].startswith("error: ")


def test_no_arguments_prints_help(cli) -> None:
    run = cli()
    assert run.exit_code == 0
    assert "Usage: lushbeat" in run.stdout or "lushbeat [OPTIONS]" in run.stdout


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(data=st.binary(max_size=300))
def test_list_never_crashes_on_random_files(cli, project: Project, data: bytes) -> None:
    path: Path = project.content / "random.md"
    path.write_bytes(data)
    run = cli("list", "--format", "json")
    assert run.exit_code in (0, 1)
    assert "internal error" not in run.stderr
    assert isinstance(run.json(), list)


@pytest.mark.parametrize("zone", ["+99:00", "-24:00", "+12:75", "+1:00", "GMT+7"])
def test_a_bad_config_time_zone_is_one_line_in_lushbeats_words(
    cli, project: Project, zone: str
) -> None:
    project.config(f'content_dir = "content"\ntimezone = "{zone}"\n')
    for command in (["list"], ["validate"], ["new", "X", "--dry-run"]):
        run = cli(*command)
        assert run.exit_code == 2
        assert run.stdout == ""
        (line,) = run.stderr.splitlines()
        assert line.startswith("error: lushbeat.toml:2: ")
        assert f"'{zone}'" in line and "timedelta" not in line and "internal" not in line
