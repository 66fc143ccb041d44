"""`lushbeat validate` through the real app: formats, exit codes, selection, stdin, fixes."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from lushbeat_cli.render.findings import github_data, github_property
from tests.conftest import REPO, Project, Run

CLI = Callable[..., Run]
FIXTURES_DIR = REPO / "tests" / "fixtures" / "validate"

BAD = "---\ntittle: Rupiah\ndate: kemarin\ntags: [a, A]\n---\n\nBody.\n"
BAD_LINES = [
    "content/2024/07/bad.md:1:1: LB202 missing required field 'title' "
    "(is 'tittle' on line 2 meant to be it?)",
    "content/2024/07/bad.md:2:1: LB206 unknown key 'tittle' (did you mean 'title'?)",
    "content/2024/07/bad.md:3:1: LB201 'date' is not a date: 'kemarin'",
    "content/2024/07/bad.md:4:11: LB308 tags: 'A' is listed twice (same as 'a')",
]
GOOD = "---\ntitle: Rupiah\nslug: good\ndate: 2024-07-29\n---\n\nBody.\n"


@pytest.fixture
def bad(project: Project) -> Path:
    project.write("2024/07/good.md", GOOD, dedent=False)
    return project.write("2024/07/bad.md", BAD, dedent=False)


def test_the_examples_pass(cli: CLI, examples_copy: Path) -> None:
    run = cli("validate")
    assert run.exit_code == 0
    assert run.stdout == ""
    assert run.stderr.strip() == "All checks passed (38 files)"


def test_text_format(cli: CLI, bad: Path) -> None:
    run = cli("validate")
    assert run.exit_code == 1
    assert run.stdout.splitlines() == BAD_LINES
    assert run.stderr.strip() == "Found 2 errors and 2 warnings in 1 file (1 fixable with --fix)"


def test_json_format(cli: CLI, bad: Path) -> None:
    run = cli("validate", "--format", "json")
    assert run.exit_code == 1
    document = run.json()
    assert isinstance(document, dict)
    assert list(document) == ["findings", "summary"]
    first = document["findings"][0]
    assert first == {
        "path": "content/2024/07/bad.md",
        "line": 1,
        "col": 1,
        "code": "LB202",
        "name": "missing-field",
        "severity": "error",
        "message": "missing required field 'title' (is 'tittle' on line 2 meant to be it?)",
        "fixable": False,
    }
    assert [f["code"] for f in document["findings"]] == ["LB202", "LB206", "LB201", "LB308"]
    assert document["findings"][3]["fixable"] is True
    assert document["summary"] == {
        "files": 2,
        "files_with_findings": 1,
        "errors": 2,
        "warnings": 2,
        "fixable": 1,
        "fixed": 0,
        "failed": True,
    }


def test_github_format(cli: CLI, bad: Path) -> None:
    run = cli("validate", "--format", "github")
    assert run.exit_code == 1
    lines = run.stdout.splitlines()
    assert lines[0] == (
        "::error file=content/2024/07/bad.md,line=1,col=1,title=LB202::"
        "missing required field 'title' (is 'tittle' on line 2 meant to be it?)"
    )
    assert lines[1].startswith("::warning file=content/2024/07/bad.md,line=2,col=1,title=LB206::")
    assert len(lines) == 4


def test_github_escaping(cli: CLI, project: Project) -> None:
    project.write("2024/07/a,b:c.md", "---\ntitle: x\n---\n", dedent=False)
    run = cli("validate", "--format", "github", "--select", "LB202")
    assert run.stdout.startswith("::error file=content/2024/07/a%2Cb%3Ac.md,line=1,col=1,")
    assert github_data("50% done\r\nnext") == "50%25 done%0D%0Anext"
    assert github_property("a:b,c%") == "a%3Ab%2Cc%25"


@pytest.mark.parametrize(
    ("args", "code"),
    [
        ((), 1),
        (("--select", "LB3"), 0),  # only warnings
        (("--select", "LB3", "--strict"), 1),
        (("--ignore", "LB201,LB202"), 0),
        (("--ignore", "LB2", "--ignore", "LB3", "--strict"), 0),
        (("--select", "LB9"), 2),
    ],
)
def test_exit_codes(cli: CLI, bad: Path, args: tuple[str, ...], code: int) -> None:
    assert cli("validate", *args).exit_code == code


def test_warnings_alone_pass_unless_strict(cli: CLI, project: Project) -> None:
    project.write("2024/07/w.md", GOOD.replace("slug: good", "slug: w\ntittle: x"), dedent=False)
    run = cli("validate")
    assert run.exit_code == 0
    assert run.stderr.strip() == "Found 1 warning in 1 file"
    strict = cli("validate", "--strict")
    assert strict.exit_code == 1
    assert strict.stderr.strip() == "Found 1 warning in 1 file; --strict makes warnings fail"


def test_unknown_rule_is_a_usage_error_with_a_hint(cli: CLI, bad: Path) -> None:
    run = cli("validate", "--ignore", "LB3O1")
    assert run.exit_code == 2
    assert run.stdout == ""
    assert run.stderr.strip() == "error: --ignore: unknown rule 'LB3O1' (did you mean 'LB301'?)"


def test_config_selection_and_severity(cli: CLI, project: Project, bad: Path) -> None:
    project.config(
        'content_dir = "content"\n[validate]\nignore = ["LB206"]\n'
        '[validate.severity]\nLB201 = "warning"\nLB202 = "off"\n'
    )
    run = cli("validate", "--format", "json")
    document = run.json()
    assert isinstance(document, dict)
    assert [(f["code"], f["severity"]) for f in document["findings"]] == [
        ("LB201", "warning"),
        ("LB308", "warning"),
    ]
    assert run.exit_code == 0


def test_bad_config_is_exit_2(cli: CLI, project: Project, bad: Path) -> None:
    project.config('content_dir = "content"\n[validate.severity]\nLB301 = "loud"\n')
    run = cli("validate")
    assert run.exit_code == 2
    assert "lushbeat.toml:3: 'validate.severity.LB301' must be one of" in run.stderr


def test_paths_from_stdin(cli: CLI, project: Project, bad: Path) -> None:
    good = project.content / "2024" / "07" / "good.md"
    run = cli("validate", "-", input=f"{good}\n\ncontent/2024/07/bad.md\n")
    assert run.exit_code == 1
    assert run.stdout.splitlines() == BAD_LINES
    nul = cli("validate", "-", input="content/2024/07/good.md\0")
    assert nul.exit_code == 0
    assert nul.stderr.strip() == "All checks passed (1 file)"
    empty = cli("validate", "-", input="")
    assert empty.exit_code == 0
    assert empty.stderr.strip() == "No paths on stdin; nothing to check"


def test_folder_and_file_paths(cli: CLI, project: Project, bad: Path) -> None:
    assert cli("validate", "content/2024/07/good.md").exit_code == 0
    run = cli("validate", "content/2024")
    assert run.exit_code == 1
    assert run.stderr.strip().endswith("in 1 file (1 fixable with --fix)")
    missing = cli("validate", "content/nope.md")
    assert missing.stdout.startswith("content/nope.md:1:1: LB112 cannot read")
    assert missing.exit_code == 1


def test_root_option_with_relative_paths(cli: CLI, examples_copy: Path) -> None:
    examples_copy.joinpath("lushbeat.toml")  # the copy is the working directory
    run = cli("-C", ".", "validate", "content/2024/07")
    assert run.exit_code == 0
    assert run.stderr.strip() == "All checks passed (4 files)"


def test_fix_and_diff(cli: CLI, project: Project) -> None:
    path = project.write("2024/07/a.md", "---\ntitle: A  \nslug: a\ndate: 2024-7-9\n---\n\nB\n")
    original = path.read_bytes()
    diff = cli("validate", "--diff")
    assert diff.exit_code == 1
    assert path.read_bytes() == original
    assert diff.stdout.splitlines() == [
        "--- a/content/2024/07/a.md",
        "+++ b/content/2024/07/a.md",
        "@@ -1,7 +1,7 @@",
        " ---",
        "-title: A  ",
        "+title: A",
        " slug: a",
        "-date: 2024-7-9",
        "+date: 2024-07-09",
        " ---",
        " ",
        " B",
    ]
    assert diff.stderr.splitlines() == [
        "Would fix 2 problems in 1 file",
        "All checks passed (1 file)",
    ]
    fixed = cli("validate", "--fix")
    assert fixed.exit_code == 0
    assert fixed.stdout == ""
    assert path.read_text() == "---\ntitle: A\nslug: a\ndate: 2024-07-09\n---\n\nB\n"
    assert fixed.stderr.splitlines() == ["Fixed 2 problems in 1 file", "All checks passed (1 file)"]
    again = cli("validate", "--fix")
    assert again.stderr.splitlines() == ["Nothing to fix", "All checks passed (1 file)"]
    assert cli("validate", "--diff").exit_code == 0


def test_fix_reports_what_remains(cli: CLI, bad: Path) -> None:
    run = cli("validate", "--fix")
    assert run.exit_code == 1
    assert run.stdout.splitlines() == BAD_LINES[:3]
    assert run.stderr.splitlines() == [
        "Fixed 1 problem in 1 file",
        "Found 2 errors and 1 warning in 1 file",
    ]


def test_diff_goes_with_text_only(cli: CLI, bad: Path) -> None:
    run = cli("validate", "--diff", "--format", "json")
    assert run.exit_code == 2
    assert run.stdout == ""


def test_list_rules(cli: CLI, project: Project) -> None:
    run = cli("validate", "--list-rules", "--format", "json")
    assert run.exit_code == 0
    rules = run.json()
    assert isinstance(rules, list)
    assert rules[0]["code"] == "LB101"
    assert {"code", "name", "severity", "fixable", "description", "remedy"} == set(rules[0])
    text = cli("validate", "--list-rules")
    assert text.stdout.splitlines()[0].split() == ["code", "severity", "fix", "name", "description"]
    assert any(line.startswith("LB404") for line in text.stdout.splitlines())


def test_golden_fix_through_the_cli(cli: CLI, project: Project) -> None:
    project.config('content_dir = "content"\n[schema.fields.slug]\nrequired = true\n')
    path = project.write("crlf.md", (FIXTURES_DIR / "crlf.md").read_bytes())
    run = cli("validate", "--fix", "--no-index")
    assert run.exit_code == 0, run.stdout
    assert path.read_bytes() == (FIXTURES_DIR / "crlf.fixed.md").read_bytes()


def test_random_bytes_through_the_cli_never_crash(cli: CLI, project: Project) -> None:
    from hypothesis import HealthCheck, given, settings
    from hypothesis import strategies as st

    @settings(
        max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
    )
    @given(data=st.binary(max_size=600))
    def check(data: bytes) -> None:
        project.write("2024/07/random.md", data)
        run = cli("validate", "content/2024/07/random.md", "--format", "json")
        assert run.exit_code in (0, 1), run.stderr
        assert "Traceback" not in run.stderr
        document = run.json()
        assert isinstance(document, dict)

    check()


def validate_page() -> str:
    return (REPO / "docs" / "commands" / "validate.md").read_text(encoding="utf-8")


# The rule table in docs/rules.md is generated from RULES: tests/test_docs.py checks it.


def test_docs_failing_example_is_real_output(cli: CLI, examples_copy: Path) -> None:
    section = validate_page().split("A failing run:", 1)[1]
    article = section.split("```markdown\n", 1)[1].split("```", 1)[0]
    shown = section.split("```text\n$ lushbeat validate\n", 1)[1].split("```", 1)[0]
    (examples_copy / "content" / "2024" / "07" / "bad.md").write_text(article)
    run = cli("validate")
    assert run.exit_code == 1
    assert run.stdout + run.stderr == shown


def test_statistics(cli: CLI, bad: Path) -> None:
    run = cli("validate", "--statistics", "--format", "json")
    assert run.exit_code == 1
    rows = run.json()
    assert isinstance(rows, list)
    assert rows[0] == {
        "code": "LB201",
        "name": "invalid-value",
        "severity": "error",
        "count": 1,
        "fixable": 0,
        "files": 1,
    }
    assert sorted(row["code"] for row in rows) == ["LB201", "LB202", "LB206", "LB308"]
    text = cli("validate", "--statistics")
    assert text.stdout.splitlines()[0].split() == [
        "count",
        "code",
        "severity",
        "fixable",
        "files",
        "name",
    ]
    assert cli("validate", "--statistics", "--diff").exit_code == 2


@pytest.mark.parametrize("no_index", [[], ["--no-index"]])
def test_utf16_and_utf32_articles_are_named_in_every_command(
    cli, project: Project, no_index: list[str]
) -> None:
    text = "---\ntitle: Halo\ndate: 2024-07-29\n---\nIsi.\n"
    project.write("bom16.md", text.encode("utf-16"))
    project.write("le16.md", text.encode("utf-16-le"))
    project.write("be32.md", text.encode("utf-32-be"))
    project.write("cjk16.md", "标题".encode("utf-16"))  # a BOM and no NUL byte: not UTF-8
    project.article("ok.md", title="Baik", date="2024-07-29")
    expected = [
        "content/be32.md:1:1: LB110 UTF-32 text; save it as UTF-8",
        "content/bom16.md:1:1: LB110 UTF-16 text; save it as UTF-8",
        "content/cjk16.md:1:1: LB108 UTF-16 text; save it as UTF-8",
        "content/le16.md:1:1: LB110 UTF-16 text; save it as UTF-8",
    ]
    listed = cli("list", "--format", "paths", *no_index)
    assert listed.exit_code == 1
    assert listed.stdout == "content/ok.md\n"
    assert listed.stderr.splitlines()[:-1] == expected
    checked = cli("validate", *no_index)
    assert checked.exit_code == 1
    assert checked.stdout.splitlines() == expected


@pytest.mark.parametrize(
    ("config", "relative", "text", "fixed", "remaining"),
    [
        pytest.param(  # the slug comes from the title, so LB305 (file name) shows up
            "[schema.fields.slug]\nrequired = true\n",
            "2024/01/hello.md",
            "---\ntitle: Hello World\ndate: 2024-01-01\nstatus: draft\n---\nBody.\n",
            1,
            ["LB305"],
            id="slug-added-then-file-name-mismatch",
        ),
        pytest.param(  # the date comes from a Jekyll file name, in the future: LB307
            "",
            "2030-01-01-launch.md",
            "---\ntitle: Launch\nslug: 2030-01-01-launch\nstatus: published\n---\nBody.\n",
            1,
            ["LB307"],
            id="date-added-then-future-published",
        ),
        pytest.param(  # three kinds at once, nothing new
            "",
            "a.md",
            "---\ntitle: A  \nslug: a\ndate: 2024-7-9\ntags: [x, X, ' y']\n---\nBody.\n",
            4,  # trailing blanks, the date, the duplicate tag, the spaced tag
            [],
            id="several-kinds",
        ),
        pytest.param(
            "",
            "a.md",
            "---\ntitle: A\nslug: a\ndate: 2024-07-09\ntags: 'x, y, x'\n---\nBody.\n",
            4,  # tags as text (LB201), the duplicate (LB308), two spaced tags (LB309)
            [],
            id="tags-as-text",
        ),
    ],
)
def test_fix_counts_every_problem_it_fixed(
    cli: CLI,
    project: Project,
    config: str,
    relative: str,
    text: str,
    fixed: int,
    remaining: list[str],
) -> None:
    project.config(f'content_dir = "content"\n{config}')
    path = project.write(relative, text, dedent=False)
    word = "problem" if fixed == 1 else "problems"
    diff = cli("validate", "--diff")
    assert diff.stderr.splitlines()[0] == f"Would fix {fixed} {word} in 1 file"
    assert path.read_text() == text
    report = cli("validate", "--fix", "--format", "json")
    document = report.json()
    assert document["summary"]["fixed"] == fixed
    assert [finding["code"] for finding in document["findings"]] == remaining
    assert path.read_text() != text
    path.write_text(text)
    run = cli("validate", "--fix")
    assert run.stderr.splitlines()[0] == f"Fixed {fixed} {word} in 1 file"
