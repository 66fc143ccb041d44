"""The start-up fast path (cli/_fast.py): the same bytes as the typer app, without typer.

Each command line is run twice, through ``_fast.run`` and through the typer app (CliRunner),
and stdout, stderr and the exit code must match. Command lines the fast path does not answer
must come back as None (typer takes them), and an answered one must not import typer.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from lushbeat_cli.cli import COMMANDS, _fast
from lushbeat_cli.cli.params import Option
from tests.conftest import Project, Run

SCRIPT = Path(sys.executable).with_name("lushbeat")
SEED = "content/2024/07/pilpres-venezuela-menghadirkan-pemimpin-baru-nicholas-maduro.md"


def fast(capsys: pytest.CaptureFixture[str], *args: str) -> Run | None:
    code = _fast.run(list(args))
    captured = capsys.readouterr()
    if code is None:
        assert captured.out == captured.err == "", "a hand-over must not print anything"
        return None
    return Run(code, captured.out, captured.err, None)


def assert_same(cli: Callable[..., Run], capsys: pytest.CaptureFixture[str], *args: str) -> Run:
    answered = fast(capsys, *args)
    assert answered is not None, f"the fast path handed over {args}"
    expected = cli(*args)
    # CliRunner turns CRLF (CSV rows) into LF; the console-script test compares raw bytes.
    stdout = answered.stdout.replace("\r\n", "\n")
    assert (answered.exit_code, stdout, answered.stderr) == (
        expected.exit_code,
        expected.stdout,
        expected.stderr,
    ), args
    return answered


ANSWERED = [
    ("list", "--format", "json"),
    ("list", "-f", "jsonl"),
    ("list", "--format=paths"),
    ("list", "-f", "paths", "-0"),
    ("list", "-f", "json", "--limit", "3"),
    ("list", "-n", "0", "-f", "json"),
    ("list", "-f", "json", "--sort", "path", "-r"),
    ("list", "--reverse", "-f", "paths", "--sort=date"),
    ("list", "-f", "json", "-f", "paths"),  # the last one wins, as in typer
    ("list", "-f", "json", "-0"),  # a usage error, worded by the shared code
    ("list",),  # a plain table: stdout is not a terminal
    ("list", "-f", "table", "--tag", "venezuela", "--fields", "date,title,tags"),
    ("search", "venezuela"),
    ("search", "rupiah", "--format", "table", "--limit", "3"),
    ("list", "-f", "json", "--tag", "venezuela"),
    ("list", "-f", "jsonl", "-t", "Venezuela", "-t", "nicolas-maduro", "--status", "published"),
    ("list", "-f", "paths", "--category", "ekonomi", "--since", "2024-06-01", "--until", "2025"),
    ("list", "-f", "json", "--author", "Redaksi Lush Beat", "--lang", "id", "--sort", "title"),
    ("list", "-f", "csv", "--where", "source=Reuters", "--fields", "slug,title,source"),
    ("list", "-f", "tsv", "--sort", "updated", "-r", "--limit", "4"),
    ("list", "-f", "json", "--status", "scheduled", "--no-index"),
    ("list", "-f", "json", "--since", "yesterday-ish"),  # a bad date: usage error
    ("list", "-f", "json", "--status", "gone"),  # a bad status: usage error
    ("list", "-f", "json", "--where", "no-operator"),  # a bad --where: usage error
    ("list", "-f", "csv", "--fields", " , "),  # no field names: usage error
    ("--no-color", "list", "-f", "jsonl"),
    ("search", "venezuela", "-f", "json"),
    ("search", "pilpres", "venezuela", "--format", "jsonl"),
    ("search", "-f", "paths", "rupiah"),
    ("search", "-f", "paths", "-0", "rupiah"),
    ("search", "maduro", "OR", "gonzalez", "-f", "json", "--limit", "2"),
    ("search", "venezulea", "-f", "json"),  # a typo, corrected on stderr
    ("search", "venezulea", "-f", "json", "--exact"),  # not corrected: no result, exit 1
    ("search", "pemil", "-f", "paths"),  # a prefix
    ("search", "venezuela", "-f", "json", "--field", "title"),
    ("search", "-f", "json", "--", "venezuela", "-maduro"),
    ("search", '"bank indonesia"', "-f", "jsonl"),
    ("search", "zzzzqqq", "-f", "json"),  # nothing: exit 1, empty stdout
    ("search", '"unclosed', "-f", "json"),  # a malformed query: exit 2
    ("search", "rupiah", "-f", "json", "-0"),  # -0 without paths: exit 2
    ("search", "maduro", "-f", "json", "--tag", "venezuela", "--since", "2024-07-01"),
    ("search", "rupiah", "-f", "paths", "--category", "ekonomi", "--status", "published"),
    ("search", "rupiah", "-f", "jsonl", "--where", "lang=id", "--no-index"),
    ("--version",),
    ("-V",),
    ("validate",),
    ("validate", SEED),
    ("validate", "--format", "json"),
    ("validate", "-f", "github", "--strict"),
    ("validate", "--select", "LB2", "--select", "LB3,LB4", "content/2024"),
    ("validate", "--ignore=LB402", SEED, "content/2025"),
    ("validate", "content/missing.md"),  # a path that does not exist
    ("validate", "--select", "LB999"),  # an unknown rule: usage error
    ("validate", "--", SEED),
    ("validate", "--diff"),
    ("validate", "--statistics"),
    ("validate", "-f", "json", "--statistics"),
    ("validate", "--list-rules"),
    ("validate", "--no-index", SEED),
    ("--debug", "list", "-f", "json"),
]


@pytest.mark.parametrize("args", ANSWERED, ids=" ".join)
def test_answers_like_the_typer_app(
    cli: Callable[..., Run], capsys: pytest.CaptureFixture[str], examples_copy: Path, args: tuple
) -> None:
    assert_same(cli, capsys, *args)


@pytest.mark.skipif(sys.platform != "linux", reason="the child scan is for Linux (fork)")
def test_a_large_archive_is_scanned_by_a_child_with_the_same_answers(
    cli: Callable[..., Run],
    capsys: pytest.CaptureFixture[str],
    examples_copy: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Any index counts as large here: commands that refresh it start the child scan, and
    answer byte for byte as typer does (which never starts one)."""
    from lushbeat_cli.core.reading import scan

    assert cli("index").exit_code == 0
    monkeypatch.setattr(_fast, "PRESCAN_INDEX_BYTES", 0)
    monkeypatch.setattr(scan, "_can_fork", lambda: True)
    taken: list[bool] = []
    real = scan._take

    def take(root: str) -> object:
        pending = bool(scan._PENDING)  # typer's refreshes (the expected runs) have no child
        answer = real(root)
        if pending:
            taken.append(answer is not None)
        return answer

    monkeypatch.setattr(scan, "_take", take)
    (examples_copy / "content" / "2024" / "baru.md").write_text(
        "---\ntitle: Berita baru\ndate: 2024-08-01\n---\nVenezuela.\n", encoding="utf-8"
    )
    commands = [
        ("list", "-f", "json"),
        ("search", "venezuela", "-f", "jsonl"),
        ("validate", SEED),
        ("list", "-f", "paths", "--no-index"),  # no index, no child
    ]
    for args in commands:
        assert_same(cli, capsys, *args)
    run = fast(capsys, "index", "--format", "json")  # its stderr says how long it took
    assert run is not None and run.exit_code == 0
    assert json.loads(run.stdout)["articles"] == len(json.loads(cli("list", "-f", "json").stdout))
    assert taken == [True] * 4  # each refresh took the child's scan
    assert not scan._PENDING


def test_machine_output_parses(capsys: pytest.CaptureFixture[str], examples_copy: Path) -> None:
    run = fast(capsys, "list", "-f", "json")
    assert run is not None and run.exit_code == 0
    records = json.loads(run.stdout)
    assert len(records) >= 30 and all(record["path"].startswith("content/") for record in records)
    assert run.stderr == f"{len(records)} articles\n"
    run = fast(capsys, "search", "venezuela", "-f", "jsonl")
    assert run is not None and run.exit_code == 0
    hits = [json.loads(line) for line in run.stdout.splitlines()]
    assert hits and all("venezuela" in hit["matched_terms"] for hit in hits)


def test_global_options_and_problems_match(
    cli: Callable[..., Run], capsys: pytest.CaptureFixture[str], project: Project
) -> None:
    project.article("2024/a.md", title="Pemilu Venezuela", date="2024-07-29", tags=["pemilu"])
    project.write("2024/broken.md", "---\ntitle: [unclosed\n---\n")
    project.write("2024/binary.md", b"\x00\x01\x02")
    for args in (
        ("list", "-f", "json"),
        ("search", "venezuela", "-f", "json"),
        ("-C", str(project.root), "list", "-f", "paths"),
        ("--root", str(project.root), "search", "pemilu", "-f", "paths"),
        (f"--root={project.root}", "list", "-f", "jsonl"),
        ("--config", str(project.root / "lushbeat.toml"), "list", "-f", "json"),
    ):
        run = assert_same(cli, capsys, *args)
        # list fails when files could not be read; search says so but found what it found
        assert run.exit_code == (1 if "list" in args else 0)
        assert "broken.md:2:" in run.stderr and "binary.md" in run.stderr


def test_validate_findings_match(
    cli: Callable[..., Run], capsys: pytest.CaptureFixture[str], project: Project
) -> None:
    project.article("2024/a.md", title="A", date="2024-07-29", tags="not-a-list")
    project.article("2024/b.md", date="2024-07-30")  # no title
    project.write("2024/broken.md", "---\ntitle: [unclosed\n---\n")
    project.article("2024/c.md", title="C " + "x" * 80, date="2024-07-31")  # LB301, a warning
    for args in (
        ("validate",),
        ("validate", "content/2024/b.md"),
        ("validate", "-f", "json"),
        ("validate", "-f", "github", "--ignore", "LB202"),
        ("validate", "--select", "LB1", "--select", "LB201,LB202"),  # both selections count
    ):
        run = assert_same(cli, capsys, *args)
        assert run.exit_code == 1 and run.stdout
    codes = {line.split()[1] for line in run.stdout.splitlines()}
    assert {"LB104", "LB201", "LB202"} <= codes and "LB301" not in codes
    # A warning alone passes, unless --strict.
    assert assert_same(cli, capsys, "validate", "--select", "LB301").exit_code == 0
    assert assert_same(cli, capsys, "validate", "--select", "LB301", "--strict").exit_code == 1
    records = json.loads(fast(capsys, "validate", "-f", "json").stdout)  # type: ignore[union-attr]
    assert {"LB104", "LB201", "LB202"} <= {finding["code"] for finding in records["findings"]}


HOSTILE = {
    "unsafe.md": b"---\ntitle: !!python/object/apply:os.system ['echo pwned']\n---\n",
    "bomb.md": b"---\na: &a [x, x, x, x, x, x, x, x, x]\nb: &b [*a, *a, *a, *a, *a, *a, *a, *a]\n"
    b"c: &c [*b, *b, *b, *b, *b, *b, *b, *b]\nd: [*c, *c, *c, *c, *c, *c, *c, *c]\n---\n",
    "binary.md": bytes(range(256)) * 4,
    "latin1.md": "---\ntitle: Caf\u00e9\n---\n".encode("latin-1"),
    "empty.md": b"",
    "escape.md": b'---\ntitle: "\\e]0;pwned\\a Judul"\n---\nIsi.\n',
}


@pytest.mark.parametrize(
    "args", [("index",), ("index", "--format", "json"), ("index", "--rebuild", "-f", "table")]
)
def test_index_answers_like_the_typer_app(
    cli: Callable[..., Run],
    capsys: pytest.CaptureFixture[str],
    examples_copy: Path,
    args: tuple[str, ...],
) -> None:
    old = time.time() - 3600  # files copied a moment ago are "racy" (re-read by each refresh
    for path in (examples_copy / "content").rglob("*.md"):  # until 2 s have passed): not these
        os.utime(path, (old, old))
    cli("index")  # warm: both runs below then find the same work to do
    answered = fast(capsys, *args)
    assert answered is not None
    expected = cli(*args)
    timing = re.compile(r"in \d+\.\d\d s")  # the time it took differs from run to run
    assert answered.exit_code == expected.exit_code == 0
    assert timing.sub("in T s", answered.stderr) == timing.sub("in T s", expected.stderr)
    last = re.compile(r'("last_refresh": |last refresh\s+)\S+')  # a rebuild stamps a new time
    assert last.sub("", answered.stdout) == last.sub("", expected.stdout)
    if "json" in args:
        assert json.loads(answered.stdout)["files"] >= 30


def test_hostile_files_are_reported_alike(
    cli: Callable[..., Run], capsys: pytest.CaptureFixture[str], project: Project
) -> None:
    project.article("ok.md", title="Baik", date="2024-07-29")
    for name, data in HOSTILE.items():
        project.write(name, data)
    for args in (
        ("validate",),
        ("validate", "-f", "json"),
        ("list", "-f", "json"),
        ("list", "-f", "csv", "--tag", "x"),
        ("search", "baik", "-f", "jsonl"),
    ):
        run = assert_same(cli, capsys, *args)
        assert run.exit_code == (0 if args[0] == "search" else 1), run.stderr
        assert "Traceback" not in run.stderr and "\x1b" not in run.stderr  # no raw escapes
        assert "\x1b" not in run.stdout  # JSON escapes it; text output neutralises it


def test_config_errors_match(
    cli: Callable[..., Run], capsys: pytest.CaptureFixture[str], project: Project
) -> None:
    project.config('content_dir = "missing"\n')
    run = assert_same(cli, capsys, "list", "-f", "json")
    assert run.exit_code == 2 and run.stdout == ""
    project.config("content_dir = [unclosed\n")
    assert assert_same(cli, capsys, "search", "x", "-f", "json").exit_code == 2


HANDED_OVER = [
    (),
    ("list", "-fjson"),
    ("list", "-f", "json", "--help"),
    ("list", "-f", "json", "extra"),
    ("list", "-f", "json", "--limit", "-1"),
    ("list", "-f", "json", "--limit"),
    ("list", "-f", "xml"),
    ("list", "-f", "json", "--sort", "size"),
    ("list", "-f", "json", "--tag"),  # a missing value
    ("list", "-f", "json", "-n", "9" * 5000),  # typer's "invalid value", not a traceback
    ("search", "-f", "json"),  # no words
    ("search", "venezuela", "-f", "json", "--limit", "0"),
    ("search", "venezuela", "-maduro", "-f", "json"),  # an unknown option to typer
    ("search", "venezuela", "-f", "json", "--field", "nope"),
    ("--version", "list"),
    ("-C", "/nonexistent/folder", "list", "-f", "json"),
    ("--config", "/nonexistent.toml", "list", "-f", "json"),
    ("-h",),
    ("validate", "-f", "yaml"),
    ("validate", "-h"),
    ("index", "extra"),
    ("index", "-f", "csv"),
    ("similar", "x", "-f", "json"),
]


@pytest.mark.parametrize("args", HANDED_OVER, ids=lambda args: " ".join(args) or "nothing")
def test_hands_everything_else_to_typer(
    capsys: pytest.CaptureFixture[str], examples_copy: Path, args: tuple
) -> None:
    assert fast(capsys, *args) is None


def test_a_terminal_on_stderr_goes_to_typer(
    capsys: pytest.CaptureFixture[str], examples_copy: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("TTY_COMPATIBLE", "1")  # progress bars and colours: typer's path
    assert fast(capsys, "list", "-f", "json") is None


def test_an_unreadable_folder_or_config_goes_to_typer(
    capsys: pytest.CaptureFixture[str], examples_copy: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(os, "access", lambda *args, **kwargs: False)  # as a non-root user would
    assert fast(capsys, "-C", str(examples_copy), "list", "-f", "json") is None
    assert fast(capsys, "--config", "lushbeat.toml", "list", "-f", "json") is None


def test_ctrl_c_ends_both_paths_alike(
    cli: Callable[..., Run],
    capsys: pytest.CaptureFixture[str],
    examples_copy: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from lushbeat_cli.cli import _actions

    def interrupted(*args: object, **kwargs: object) -> int:
        raise KeyboardInterrupt

    monkeypatch.setattr(_actions, "list_articles", interrupted)
    run = assert_same(cli, capsys, "list", "-f", "json")
    assert (run.exit_code, run.stdout, run.stderr) == (130, "", "")


def _console_script(args: list[str], cwd: Path) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k not in ("TTY_COMPATIBLE", "FORCE_COLOR")}
    return subprocess.run(
        [str(SCRIPT), *args], cwd=cwd, capture_output=True, text=True, env=env, timeout=60
    )


@pytest.mark.skipif(not SCRIPT.exists(), reason="console script not installed beside python")
def test_console_script_gives_the_typer_bytes(cli: Callable[..., Run], examples_copy: Path) -> None:
    for args in (["list", "-f", "json"], ["search", "rupiah", "-f", "jsonl"]):
        real = _console_script(args, examples_copy)
        expected = cli(*args)
        assert real.returncode == expected.exit_code == 0
        assert real.stdout == expected.stdout and real.stderr == expected.stderr
        assert json.loads(real.stdout if args[0] == "list" else real.stdout.splitlines()[0])
    csv_args = ["list", "-f", "csv", "--tag", "rupiah"]
    real_bytes = subprocess.run(
        [str(SCRIPT), *csv_args], cwd=examples_copy, capture_output=True, timeout=60
    )
    assert real_bytes.stdout == cli(*csv_args).stdout_bytes  # CRLF rows, byte for byte
    assert real_bytes.stdout.startswith(b"path,slug,title,") and b"\r\n" in real_bytes.stdout


def test_answered_commands_do_not_import_typer_or_parsers(examples_copy: Path) -> None:
    heavy = ("typer", "rich", "pydantic", "yaml", "frontmatter", "rapidfuzz", "click")
    probe = (
        "import atexit, sys\n"
        f"heavy = {heavy!r}\n"
        "atexit.register(lambda: sys.__stderr__.write("
        "'LOADED:' + ','.join(m for m in heavy if m in sys.modules) + '\\n'))\n"
        "sys.argv = ['lushbeat'] + sys.argv[1:]\n"
        "from lushbeat_cli.cli import main\n"
        "main()\n"
    )
    for args in (["list", "-f", "json"], ["search", "rupiah", "-f", "paths"], ["validate", SEED]):
        if args[0] == "validate":
            # validate parses the file it is given and compares its title with the others'
            heavy_ok = ("yaml", "frontmatter", "rapidfuzz")
            probe = probe.replace(repr(heavy), repr(tuple(m for m in heavy if m not in heavy_ok)))
        runs = [
            subprocess.run(
                [sys.executable, "-c", probe, *args],
                cwd=examples_copy,
                capture_output=True,
                text=True,
                timeout=60,
            )
            for _ in range(2)
        ]
        assert [run.returncode for run in runs] == [0, 0], runs[0].stderr
        assert runs[0].stdout == runs[1].stdout
        assert runs[1].stdout != "" or args[0] == "validate"  # a clean file: nothing to say
        # The second run only reads the index the first one built (or found).
        assert runs[1].stderr.splitlines()[-1] == "LOADED:", runs[1].stderr


def test_ctrl_c_before_the_app_has_loaded_is_quiet(monkeypatch: pytest.MonkeyPatch) -> None:
    from lushbeat_cli import cli

    def interrupted(argv: object) -> int:
        raise KeyboardInterrupt

    monkeypatch.setattr(_fast, "run", interrupted)
    monkeypatch.setattr(sys, "argv", ["lushbeat", "list"])
    with pytest.raises(SystemExit) as exit_info:
        cli.main()
    assert exit_info.value.code == 130


@pytest.mark.skipif(not SCRIPT.exists(), reason="console script not installed beside python")
@pytest.mark.parametrize("fast_path", [True, False], ids=["fast path", "typer"])
def test_a_closed_pipe_ends_quietly(project: Project, fast_path: bool) -> None:
    for number in range(1500):  # far more output than a pipe buffer holds
        project.article(f"{number // 100}/{number}.md", title=f"Judul {number}", date="2024-07-29")
    env = {k: v for k, v in os.environ.items() if k not in ("TTY_COMPATIBLE", "FORCE_COLOR")}
    if not fast_path:
        env["TTY_COMPATIBLE"] = "1"  # stderr counts as a terminal: typer's path
    subprocess.run([str(SCRIPT), "index"], cwd=project.root, capture_output=True, env=env)
    script = (
        f'"{SCRIPT}" list -f json | head -c 100 >/dev/null; echo "status ${{PIPESTATUS[0]}}" >&2'
    )
    run = subprocess.run(
        ["bash", "-c", script], cwd=project.root, capture_output=True, text=True, env=env
    )
    assert re.findall(r"status (\d+)", run.stderr) == ["0"], run.stderr
    assert "Traceback" not in run.stderr and "Exception ignored" not in run.stderr


def _module(name: str) -> Any:
    import importlib

    return importlib.import_module(COMMANDS[name])


FAST_COMMANDS = sorted(name for name in COMMANDS if getattr(_module(name), "FAST", False))


def _click_command(name: str) -> Any:
    from lushbeat_cli.cli._typer import build_command

    return build_command(name)


def _declared_commands() -> list[tuple[str, ...]]:
    paths = []
    for name in COMMANDS:
        paths.append((name,))
        paths.extend((name, sub) for sub in getattr(_module(name), "SUBCOMMANDS", {}))
    return paths


@pytest.mark.parametrize("path", _declared_commands(), ids=" ".join)
def test_typer_builds_each_command_from_its_declarations(path: tuple[str, ...]) -> None:
    module = _module(path[0])
    command = _click_command(path[0])
    params = module.PARAMS
    if len(path) == 2:
        command = command.commands[path[1]]
        params = module.SUBCOMMANDS[path[1]][0]
    click_params = {param.name: param for param in command.params}
    declared = {param.name: param for param in params}
    assert set(click_params) - {"help"} == set(declared)
    for param_name, param in declared.items():
        built = click_params[param_name]
        assert (built.required, built.help) == (param.required, param.help)
        if not isinstance(param, Option):
            assert built.nargs == (-1 if param.multiple else 1)
            assert built.metavar == param.metavar
            continue
        flags = tuple(part for flag in param.flags for part in flag.split("/"))
        assert (*built.opts, *built.secondary_opts) == flags
        assert (built.is_flag, built.multiple) == (param.is_flag, param.multiple)
        assert getattr(built.default, "value", built.default) == param.default
        assert tuple(str(c) for c in built.type_descriptor.choices or ()) == param.choices
        assert (built.min, built.max) == (param.min, param.max)
        assert (built.metavar or None, built.rich_help_panel) == (param.metavar, param.panel)


def _typer_values(name: str, args: list[str], monkeypatch: pytest.MonkeyPatch) -> Any:
    """The values typer hands to the command's run, or None if typer refuses the line."""
    from typer.testing import CliRunner

    from lushbeat_cli.cli import app

    seen: list[Any] = []
    monkeypatch.setattr(_module(name), "run", lambda values, state: seen.append(values) or 0)
    result = CliRunner().invoke(app, [name, *args])
    monkeypatch.undo()
    return seen[0] if result.exit_code == 0 and seen else None


def _tokens(name: str) -> st.SearchStrategy[list[str]]:
    """Command lines made of the command's own options with good values (each way typer
    accepts them, repeated or not), words, and now and then a bad value or a stray token."""
    options = [param for param in _module(name).PARAMS if isinstance(param, Option)]

    def value(option: Option) -> st.SearchStrategy[str]:
        if option.choices:
            good = st.sampled_from(option.choices)
        elif option.kind == "int":
            good = st.integers(min_value=int(option.min or 0), max_value=99).map(str)
        else:
            good = st.sampled_from(["x", "2024-07-01", "a=b", "-", "LB2"])
        return st.one_of(good, good, st.sampled_from(["", "-1", "nope", "--", "1.5"]))

    def written(option: Option) -> st.SearchStrategy[list[str]]:
        flag = st.sampled_from(option.flags)
        if option.is_flag:
            return flag.map(lambda chosen: [chosen])
        spaced = st.tuples(flag, value(option)).map(list)
        long = [f for f in option.flags if f.startswith("--")]
        if not long:
            return spaced
        joined = st.tuples(st.sampled_from(long), value(option)).map(lambda p: ["=".join(p)])
        return st.one_of(spaced, joined)

    item = st.one_of(
        st.sampled_from(options).flatmap(written),
        st.sampled_from(["venezuela", "rupiah", "content", "--", "-"]).map(lambda w: [w]),
        st.sampled_from(["-x", "--nope", "-fjson", "-r0", "--help"]).map(lambda w: [w]),
    )
    return st.lists(item, max_size=6).map(lambda items: [t for tokens in items for t in tokens])


@pytest.mark.parametrize("name", FAST_COMMANDS)
@settings(max_examples=150, deadline=None, suppress_health_check=list(HealthCheck))
@given(data=st.data())
def test_the_fast_parser_reads_a_command_line_as_typer_does(
    name: str, data: st.DataObject, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Both directions: whatever the fast path answers, typer accepts with the same values;
    and a line typer accepts is either answered alike or handed over (never misread)."""
    args = data.draw(_tokens(name))
    try:
        answered: Any = _fast.parse(_module(name).PARAMS, list(args))[0]
    except _fast._HandOver:
        answered = None
    expected = _typer_values(name, args, monkeypatch)
    if answered is not None:
        assert expected is not None, f"typer refuses {args} but the fast path answers it"
        assert dict(answered) == dict(expected), args


@pytest.mark.parametrize("name", FAST_COMMANDS)
def test_the_fast_parser_answers_every_declared_option(
    name: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Each option, written each way typer accepts, is answered (not handed over) alike."""
    for param in _module(name).PARAMS:
        if not isinstance(param, Option):
            continue
        value = param.choices[-1] if param.choices else ("5" if param.kind == "int" else "x")
        for flag in param.flags:
            lines = [[flag]] if param.is_flag else [[flag, value]]
            if flag.startswith("--") and not param.is_flag:
                lines.append([f"{flag}={value}"])
            for line in lines:
                args = [*line, "word"] if name == "search" else line
                answered = _fast.parse(_module(name).PARAMS, list(args))[0]
                assert dict(answered) == dict(_typer_values(name, args, monkeypatch)), args


@pytest.mark.parametrize("flag", [(), ("--no-color",)], ids=["colour", "no colour"])
def test_findings_on_a_terminal_follow_no_color(
    cli: Callable[..., Run],
    capsys: pytest.CaptureFixture[str],
    project: Project,
    monkeypatch: pytest.MonkeyPatch,
    flag: tuple[str, ...],
) -> None:
    project.article("a.md", date="2024-07-29")  # no title: a finding
    monkeypatch.delenv("NO_COLOR", raising=False)
    monkeypatch.setattr(sys.stdout, "isatty", lambda: True, raising=False)
    run = fast(capsys, *flag, "validate")
    assert run is not None and run.exit_code == 1
    assert ("\x1b[" in run.stdout) is (not flag)  # rich colours the finding unless --no-color
