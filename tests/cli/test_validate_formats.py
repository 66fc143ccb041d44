"""`validate --format sarif` checked against the published SARIF 2.1.0 JSON schema (vendored in
tests/fixtures/sarif), and `--format junit` read by an XML parser."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from collections.abc import Callable
from pathlib import Path

import pytest

from lushbeat_cli.core.rules import RULES
from tests.conftest import REPO, Project, Run

jsonschema = pytest.importorskip("jsonschema", reason="pip install -e '.[test]'")

SARIF_SCHEMA = json.loads((REPO / "tests/fixtures/sarif/sarif-schema-2.1.0.json").read_text())
BAD = '---\ntittle: Rupiah \x01 <melemah> & "turun"\ndate: kemarin\ntags: [a, a]\n---\n\nBody.\n'
GOOD = "---\ntitle: Rupiah menguat\ndate: 2024-07-29\n---\n\nBody.\n"


def check_sarif(document: object) -> None:
    validator_class = jsonschema.validators.validator_for(SARIF_SCHEMA)
    validator_class.check_schema(SARIF_SCHEMA)
    validator = validator_class(SARIF_SCHEMA, format_checker=validator_class.FORMAT_CHECKER)
    errors = sorted(validator.iter_errors(document), key=lambda e: list(e.path))
    assert not errors, "\n".join(f"{list(e.path)}: {e.message}" for e in errors[:5])


@pytest.fixture
def news(project: Project) -> Project:
    project.write("2024/07/rupiah menguat.md", GOOD)
    project.write("2024/07/bad.md", BAD.replace("\x01", ""))
    project.write("2024/07/kontrol.md", BAD)
    project.write(
        "2024/07/warn.md", GOOD.replace("Body.", "Body.\n").replace("title:", "title: ") + " "
    )
    return project


def test_sarif_is_valid_and_carries_rules_help_and_regions(
    cli: Callable[..., Run], news: Project
) -> None:
    run = cli("validate", "--format", "sarif")
    assert run.exit_code == 1
    document = run.json()
    check_sarif(document)
    assert document["version"] == "2.1.0"
    (sarif_run,) = document["runs"]
    driver = sarif_run["tool"]["driver"]
    assert driver["name"] == "lushbeat"
    rules = driver["rules"]
    assert [rule["id"] for rule in rules] == [rule.code for rule in RULES]
    assert all(rule["help"]["text"] and rule["shortDescription"]["text"] for rule in rules)
    results = sarif_run["results"]
    json_findings = cli("validate", "--format", "json").json()["findings"]
    assert len(results) == len(json_findings) > 0
    for result, finding in zip(results, json_findings, strict=True):
        assert result["ruleId"] == finding["code"]
        assert rules[result["ruleIndex"]]["id"] == finding["code"]
        assert result["level"] == finding["severity"]
        assert result["message"]["text"] == finding["message"]
        location = result["locations"][0]["physicalLocation"]
        assert location["region"] == {"startLine": finding["line"], "startColumn": finding["col"]}
        assert location["artifactLocation"]["uriBaseId"] == "%SRCROOT%"
    uris = {r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] for r in results}
    assert "content/2024/07/bad.md" in uris
    root = sarif_run["originalUriBaseIds"]["%SRCROOT%"]["uri"]
    assert root == news.root.resolve().as_uri() + "/"


def test_sarif_of_a_clean_run_and_of_odd_paths(
    cli: Callable[..., Run], project: Project, tmp_path: Path
) -> None:
    project.write("2024/07/rupiah menguat.md", GOOD)
    clean = cli("validate", "--format", "sarif")
    assert clean.exit_code == 0
    check_sarif(clean.json())
    assert clean.json()["runs"][0]["results"] == []
    project.write("2024/07/harga ñ #1.md", BAD.replace("\x01", ""))
    outside = tmp_path / "elsewhere" / "x y.md"
    outside.parent.mkdir()
    outside.write_text(BAD)
    run = cli("validate", "--format", "sarif", "content", str(outside))
    check_sarif(run.json())
    assert sarif_uris(run) == {"content/2024/07/harga%20%C3%B1%20%231.md"}
    assert "x y.md is no article of the collection" in run.stderr  # outside content/
    # A content dir outside the working directory: its files have absolute URIs.
    project.config(f'content_dir = "{outside.parent.as_posix()}"\n')
    run = cli("validate", "--format", "sarif", str(outside))
    check_sarif(run.json())
    assert sarif_uris(run) == {outside.resolve().as_uri()}


def sarif_uris(run: Run) -> set[str]:
    return {
        r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
        for r in run.json()["runs"][0]["results"]  # type: ignore[index]
    }


def test_junit_parses_with_one_case_per_file(cli: Callable[..., Run], news: Project) -> None:
    run = cli("validate", "--format", "junit")
    assert run.exit_code == 1
    assert run.stdout.startswith('<?xml version="1.0" encoding="UTF-8"?>\n')
    suites = ET.fromstring(run.stdout.encode("utf-8"))
    assert suites.tag == "testsuites"
    (suite,) = suites.findall("testsuite")
    cases = {case.get("name"): case for case in suite.findall("testcase")}
    assert set(cases) == {
        "content/2024/07/rupiah menguat.md",
        "content/2024/07/bad.md",
        "content/2024/07/kontrol.md",
        "content/2024/07/warn.md",
    }
    assert suite.get("tests") == "4"
    failed = {name for name, case in cases.items() if case.find("failure") is not None}
    assert failed == {"content/2024/07/bad.md", "content/2024/07/kontrol.md"}
    assert suite.get("failures") == suites.get("failures") == "2"
    failure = cases["content/2024/07/bad.md"].find("failure")
    assert failure is not None and failure.text is not None
    assert "content/2024/07/bad.md:1:1: LB202 missing required field 'title'" in failure.text
    assert failure.get("type") == "LB202"
    # A control character from the file is replaced: XML 1.0 cannot hold it.
    assert "\x01" not in run.stdout
    warned = cases["content/2024/07/warn.md"]
    assert warned.find("failure") is None
    system_out = warned.find("system-out")
    assert system_out is not None and system_out.text and "LB" in system_out.text


def test_junit_strict_fails_warnings_too(cli: Callable[..., Run], news: Project) -> None:
    run = cli("validate", "--format", "junit", "--strict", "content/2024/07/warn.md")
    assert run.exit_code == 1
    suites = ET.fromstring(run.stdout.encode("utf-8"))
    assert suites.get("failures") == "1"


@pytest.mark.parametrize("fmt", ["sarif", "junit"])
def test_new_formats_refuse_diff_and_statistics(
    cli: Callable[..., Run], news: Project, fmt: str
) -> None:
    for flag in ("--diff", "--statistics"):
        run = cli("validate", "--format", fmt, flag)
        assert run.exit_code == 2, run.stderr
        assert run.stdout == ""
