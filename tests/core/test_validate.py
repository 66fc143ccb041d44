"""validate_paths: which files, the collection they are compared with, safe fixes (golden files,
byte for byte), hostile inputs, and random bytes."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from lushbeat_cli.core import validate as validate_module
from lushbeat_cli.core.config import load_config
from lushbeat_cli.core.rules import RULES_BY_CODE
from lushbeat_cli.core.validate import ValidateOptions, ValidationReport, validate_paths
from tests.conftest import EXAMPLES, REPO, Project

FIXTURES = REPO / "tests" / "fixtures" / "validate"
GOLDEN = ["yaml-comments", "toml", "crlf"]


def run(project: Project, *paths: Path, **options: object) -> ValidationReport:
    return validate_paths(load_config(project.root), list(paths), ValidateOptions(**options))


def codes(report: ValidationReport, path: Path | None = None) -> list[str]:
    return [f.code for f in report.findings if path is None or f.path == path]


def test_the_examples_are_clean() -> None:
    report = validate_paths(load_config(EXAMPLES), [])
    assert report.findings == []
    assert len(report.files) == 38


def test_one_file_is_compared_with_the_whole_content_dir(
    project: Project, monkeypatch: pytest.MonkeyPatch
) -> None:
    mine = project.article(
        "2024/07/kurs.md", title="Rupiah menguat", slug="kurs", date="2024-07-29"
    )
    theirs = project.article("2024/06/kurs.md", title="Kurs", slug="kurs", date="2024-06-01")
    calls: list[bool] = []
    real = validate_module.load_corpus

    def spy(config: object, now: object = None, *, use_index: bool = True) -> object:
        calls.append(use_index)
        return real(config, now, use_index=use_index)  # type: ignore[arg-type]

    monkeypatch.setattr(validate_module, "load_corpus", spy)
    report = run(project, mine, use_index=False)
    assert codes(report) == ["LB401"]
    assert {f.path for f in report.findings} == {mine}  # only the file asked about
    assert "content/2024/06/kurs.md" in report.findings[0].message
    assert calls == [False]  # --no-index reaches load_corpus
    calls.clear()
    whole = run(project)
    assert sorted(codes(whole)) == ["LB401", "LB401"]
    assert {f.path for f in whole.findings} == {mine, theirs}
    assert calls == []  # the whole dir is read once, not twice


def test_the_file_on_disk_wins_over_the_corpus(project: Project) -> None:
    """A file passed in is re-read fresh; the corpus' copy of it does not count twice."""
    path = project.article("2024/07/a.md", title="A", slug="a", date="2024-07-29")
    project.article("2024/06/b.md", title="B", slug="b", date="2024-06-01")
    assert codes(run(project, path)) == []


def test_files_outside_the_content_dir_are_checked_on_their_own(project: Project) -> None:
    outside = project.root / "drafts" / "x.md"
    outside.parent.mkdir()
    outside.write_text("---\ntitle: X\nslug: a\ndate: 2024-07-29\n---\n\n[gone](missing.md)\n")
    project.article("2024/07/a.md", title="A", slug="a", date="2024-07-29")
    assert codes(run(project, outside)) == []  # no slug clash, no link check: not in the corpus


def test_a_missing_path_is_one_finding(project: Project) -> None:
    report = run(project, project.content / "nope.md")
    assert codes(report) == ["LB112"]
    assert (report.findings[0].line, report.findings[0].col) == (1, 1)
    assert "No such file" in report.findings[0].message
    assert report.failed()


def test_no_content_dir_is_a_config_error(tmp_path: Path) -> None:
    from lushbeat_cli.errors import ConfigError

    (tmp_path / "lushbeat.toml").write_text('content_dir = "nowhere"\n')
    with pytest.raises(ConfigError, match="content directory not found"):
        validate_paths(load_config(tmp_path), [])


def test_select_and_severity_apply_to_parse_findings(project: Project) -> None:
    path = project.write("2024/07/a.md", "no front matter here\n")
    assert codes(run(project, path)) == ["LB101"]
    assert codes(run(project, path, ignore=("LB1",))) == []
    project.config('content_dir = "content"\n[validate.severity]\nLB101 = "warning"\n')
    report = run(project, path)
    assert report.findings[0].severity.value == "warning"
    assert not report.failed()
    assert report.failed(strict=True)


# ---------------------------------------------------------------- fixes


def golden_project(project: Project) -> list[Path]:
    project.config('content_dir = "content"\n[schema.fields.slug]\nrequired = true\n')
    paths = []
    for name in GOLDEN:
        target = project.content / f"{name}.md"
        shutil.copyfile(FIXTURES / f"{name}.md", target)
        paths.append(target)
    return paths


@pytest.mark.parametrize("name", GOLDEN)
def test_fix_matches_the_golden_file_byte_for_byte(project: Project, name: str) -> None:
    golden_project(project)
    path = project.content / f"{name}.md"
    report = run(project, path, fix=True)
    assert path.read_bytes() == (FIXTURES / f"{name}.fixed.md").read_bytes()
    assert report.findings == [] and report.fixed > 0 and report.fix_errors == []
    again = run(project, path, fix=True)
    assert again.fixes == [] and again.fixed == 0
    assert path.read_bytes() == (FIXTURES / f"{name}.fixed.md").read_bytes()


def test_golden_inputs_only_differ_where_a_fix_applies() -> None:
    """The expected files keep every other byte: body, comments, quoting, line endings."""
    for name in GOLDEN:
        before = (FIXTURES / f"{name}.md").read_bytes()
        after = (FIXTURES / f"{name}.fixed.md").read_bytes()
        body_before = before.split(b"\n\n", 1)[1] if b"\n\n" in before else b""
        assert after.endswith(body_before)
        assert (b"\r\n" in before) == (b"\r\n" in after)
        assert after.count(b"\r\n") in (0, after.count(b"\n"))


def test_diff_writes_nothing_and_shows_the_same_change(project: Project) -> None:
    paths = golden_project(project)
    originals = {path: path.read_bytes() for path in paths}
    report = run(project, *paths, diff=True)
    assert {path: path.read_bytes() for path in paths} == originals
    assert len(report.fixes) == 3
    for change in report.fixes:
        name = change.path.name.removesuffix(".md")
        assert change.old.encode() == originals[change.path]
        assert change.new.encode() == (FIXTURES / f"{name}.fixed.md").read_bytes()
        assert change.changed and not change.moves
    assert report.findings == []  # what would remain after the fix


def test_fix_leaves_a_file_alone_when_it_changed_meanwhile(
    project: Project, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = project.write("2024/07/a.md", "---\ntitle: A  \nslug: a\ndate: 2024-07-29\n---\n\nB\n")
    before = path.read_bytes()
    real = validate_module._apply_fixes

    def meanwhile(*args: object) -> object:
        result = real(*args)  # type: ignore[arg-type]
        path.write_bytes(path.read_bytes().replace(b"title: A", b"title: B"))  # another editor
        return result

    monkeypatch.setattr(validate_module, "_apply_fixes", meanwhile)
    report = run(project, path, fix=True)
    assert path.read_bytes() == before.replace(b"title: A", b"title: B")
    assert "changed on disk while lushbeat was working; not written" in report.fix_errors[0].message
    assert report.fix_errors[0].path == path
    assert codes(report) == ["LB311"] and report.fixes == []


def test_a_fix_the_editor_refuses_is_reported_not_forced(project: Project) -> None:
    text = "---\ntitle: A\nslug: a\ndate: 2024-07-29\ntags: &t [x, X]\nother: *t\n---\n\nB\n"
    path = project.write("2024/07/a.md", text)
    report = run(project, path, fix=True)
    assert path.read_text() == text
    assert report.fix_errors and "cannot fix LB308" in report.fix_errors[0].message
    assert "LB308" in codes(report)


def test_missing_slug_fix_never_takes_another_articles_slug(project: Project) -> None:
    project.config('content_dir = "content"\n[schema.fields.slug]\nrequired = true\n')
    project.article("2024/06/b.md", title="B", slug="rupiah", date="2024-06-01")
    path = project.write("2024/07/a.md", "---\ntitle: Rupiah\nstatus: draft\n---\n\nB\n")
    report = run(project, path, fix=True)
    assert [f.fixable for f in report.findings if f.code == "LB202"] == [False]
    assert "slug" not in path.read_text()


def test_missing_slug_fix_keeps_a_published_articles_url(project: Project) -> None:
    project.config('content_dir = "content"\n[schema.fields.slug]\nrequired = true\n')
    path = project.write("2024/07/old-name.md", "---\ntitle: New Title\ndate: 2024-07-29\n---\nB\n")
    run(project, path, fix=True)
    assert "slug: old-name\n" in path.read_text()


# ---------------------------------------------------------------- hostile input


HOSTILE = {
    "unsafe-tag": (b"---\ntitle: !!python/object/apply:os.system ['touch PWNED']\n---\n", "LB106"),
    "alias-bomb": (
        b"---\na: &a ['lol','lol','lol','lol','lol','lol','lol','lol','lol']\n"
        + b"".join(
            f"{chr(98 + i)}: &{chr(98 + i)} [{','.join(['*' + chr(97 + i)] * 9)}]\n".encode()
            for i in range(8)
        )
        + b"---\n",
        "LB107",
    ),
    "binary": (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)), "LB110"),
    "invalid-utf8": (b"---\ntitle: \xc3\x28 caf\xe9\n---\nbody\n", "LB108"),
}


@pytest.mark.parametrize("name", sorted(HOSTILE))
def test_hostile_input_is_one_finding(project: Project, name: str) -> None:
    data, code = HOSTILE[name]
    path = project.write(f"2024/07/{name}.md", data)
    report = run(project, path)
    assert codes(report) == [code]
    assert report.failed()
    assert not (project.root / "PWNED").exists()


def test_a_huge_file_is_refused_before_it_is_read(
    project: Project, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = project.content / "2024" / "07" / "huge.md"
    path.parent.mkdir(parents=True)
    with path.open("wb") as stream:
        stream.truncate(50 * 1024 * 1024)  # sparse: 50 MB of NUL bytes, nothing on disk
    read = Path.read_bytes

    def guarded(self: Path) -> bytes:
        assert self != path, "the 50 MB file was read"
        return read(self)

    monkeypatch.setattr(Path, "read_bytes", guarded)
    report = run(project, path)
    assert codes(report) == ["LB111"]
    assert "50.0 MiB" in report.findings[0].message


# ---------------------------------------------------------------- random input


@settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(data=st.binary(max_size=2000))
def test_random_bytes_never_crash(project: Project, data: bytes) -> None:
    path = project.write("2024/07/random.md", data)
    report = run(project, path, diff=True)
    for finding in report.findings:
        assert finding.code in RULES_BY_CODE
        assert finding.line >= 1 and finding.col >= 1


FRONT_MATTER_LINES = st.lists(
    st.sampled_from(
        [
            "title: Rupiah",
            "title: [a, b]",
            "title: ",
            "date: 2024-07-29",
            "date: 2024-13-45",
            "date: 2024-7-9 9:00 +7",
            "updated: 2020-01-01",
            "tags: [a, A, ' a ']",
            "tags: 'x, y'",
            "tags: {a: 1}",
            "slug: Bad Slug",
            "slug: ",
            "status: draft",
            "status: maybe",
            "status: published",
            "lang: english",
            "related: [nope]",
            "category: 7",
            "tittle: t",
            "x: &a [1, 2]",
            "y: *a",
            "summary: |",
            "  block   ",
            "- item",
            "  indented: 1",
            "key: 'unclosed",
        ]
    ),
    max_size=12,
)


@settings(
    max_examples=200, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(lines=FRONT_MATTER_LINES, trailing=st.sampled_from(["", "  ", "\t"]), crlf=st.booleans())
def test_random_front_matter_never_crashes_and_fixes_are_stable(
    project: Project, lines: list[str], trailing: str, crlf: bool
) -> None:
    newline = "\r\n" if crlf else "\n"
    text = newline.join(["---", *(line + trailing for line in lines), "---", "", "[x](y.md)", ""])
    path = project.write("2024/07/random.md", text, dedent=False)
    first = run(project, path, fix=True)
    assert all(finding.code in RULES_BY_CODE for finding in first.findings)
    fixed = path.read_bytes()
    second = run(project, path, fix=True)
    assert path.read_bytes() == fixed  # a second --fix changes nothing
    assert second.fixes == []


def test_a_bug_in_a_rule_costs_one_finding_not_the_run(
    project: Project, monkeypatch: pytest.MonkeyPatch
) -> None:
    from lushbeat_cli.core.rules.editorial import TitleTooLong

    def broken(self: object, ctx: object) -> object:
        raise KeyError("boom")

    monkeypatch.setattr(TitleTooLong, "check", broken)
    path = project.article("2024/07/a.md", title="A", slug="a", date="2024-07-29", tags=["x", "x"])
    report = run(project, path)
    assert [f.code for f in report.findings] == ["LB100", "LB308"]
    assert report.findings[0].message == (
        "internal error in LB301: KeyError: 'boom' (please report it)"
    )


def test_an_unreadable_folder_is_a_finding(
    project: Project, monkeypatch: pytest.MonkeyPatch
) -> None:
    from lushbeat_cli.core.reading import scan

    locked = project.content / "locked"
    locked.mkdir()
    project.article("2024/07/a.md", title="A", slug="a", date="2024-07-29")
    real_list = scan._list_folder

    def list_folder(folder: str) -> object:
        if folder == str(locked):  # (tests may run as root, whom no permission stops)
            raise PermissionError(13, "Permission denied", folder)
        return real_list(folder)

    monkeypatch.setattr(scan, "_list_folder", list_folder)
    report = run(project)
    assert codes(report) == ["LB112"]
    assert report.findings[0].path == locked
    assert report.findings[0].message == "cannot read folder: Permission denied"
    assert len(report.files) == 1  # the readable article was still checked
