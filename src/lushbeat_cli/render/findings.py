"""Validation output: ``path:line:col: CODE message`` lines, one JSON document, GitHub
Actions annotations, SARIF 2.1.0 (code scanning) or JUnit XML (GitLab, Jenkins); the rule
catalogue; the summary sentence. Imported by cli only.
"""

from __future__ import annotations

import json
import os
import re
import sys
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import Any, TextIO

from lushbeat_cli.core.findings import Finding, Severity
from lushbeat_cli.core.rules import RULES_BY_CODE, Rule
from lushbeat_cli.core.validate import ValidationReport
from lushbeat_cli.render.human import Output, problem_line
from lushbeat_cli.render.human import clean as one_line
from lushbeat_cli.render.machine import display_path


class _Paths:
    """display_path, once per file: a run may report thousands of findings in one file."""

    def __init__(self) -> None:
        try:
            self.base: Path | None = Path.cwd()
            self.prefix = os.path.join(os.getcwd(), "")
        except FileNotFoundError:  # the working directory was deleted: absolute paths
            self.base, self.prefix = None, "\0"
        self.shown: dict[Path, str] = {}

    def __call__(self, path: Path) -> str:
        shown = self.shown.get(path)
        if shown is None:
            text = str(path)
            if path.is_absolute() and text.startswith(self.prefix) and ".." not in path.parts:
                shown = text[len(self.prefix) :]  # the common case, without resolving
            else:
                shown = display_path(path, self.base)
            self.shown[path] = shown
        return shown


def finding_record(finding: Finding, shown: Callable[[Path], str] = display_path) -> dict[str, Any]:
    """One finding as a JSON object; keys in a stable order."""
    rule = RULES_BY_CODE.get(finding.code)
    return {
        "path": shown(finding.path),
        "line": finding.line,
        "col": finding.col,
        "code": finding.code,
        "name": rule.name if rule else None,
        "severity": finding.severity.value,
        "message": finding.message,
        "fixable": finding.fixable,
    }


def summary_record(report: ValidationReport, *, strict: bool = False) -> dict[str, Any]:
    return {
        "files": len(report.files),
        "files_with_findings": report.files_with_findings,
        "errors": report.errors,
        "warnings": report.warnings,
        "fixable": report.fixable,
        "fixed": report.fixed,
        "failed": report.failed(strict=strict),
    }


def write_json(report: ValidationReport, stream: TextIO, *, strict: bool = False) -> None:
    """Exactly one JSON document: ``{"findings": [...], "summary": {...}}``."""
    shown = _Paths()
    document = {
        "findings": [finding_record(finding, shown) for finding in report.findings],
        "summary": summary_record(report, strict=strict),
    }
    json.dump(document, stream, ensure_ascii=False, indent=2)
    stream.write("\n")


def write_text(findings: Iterable[Finding], output: Output) -> None:
    """``path:line:col: CODE message``, one per line, on stdout (coloured on a terminal)."""
    shown = _Paths()
    if not output.stdout_is_terminal:
        output.write(
            "".join(
                problem_line(_location(finding, shown), finding.message, finding.code) + "\n"
                for finding in findings
            )
        )
        return
    from rich.text import Text

    for finding in findings:
        text = Text()
        text.append(one_line(_location(finding, shown)), style="path")
        text.append(": ")
        text.append(
            finding.code, style="error" if finding.severity is Severity.ERROR else "warning"
        )
        text.append(" ")
        text.append(one_line(finding.message))
        output.out.print(text, overflow="ignore", crop=False, soft_wrap=True)


def write_github(findings: Iterable[Finding], stream: TextIO) -> None:
    """GitHub Actions workflow commands: ``::error file=...,line=...,col=...,title=...::msg``."""
    shown = _Paths()
    for finding in findings:
        kind = "error" if finding.severity is Severity.ERROR else "warning"
        properties = ",".join(
            f"{name}={github_property(str(value))}"
            for name, value in (
                ("file", shown(finding.path)),
                ("line", finding.line),
                ("col", finding.col),
                ("title", finding.code),
            )
        )
        stream.write(f"::{kind} {properties}::{github_data(finding.message)}\n")


def github_data(text: str) -> str:
    """Escape a workflow command's message (``%``, CR and LF)."""
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def github_property(text: str) -> str:
    """Escape a workflow command's property value (also ``:`` and ``,``)."""
    return github_data(text).replace(":", "%3A").replace(",", "%2C")


def summary(report: ValidationReport, *, strict: bool = False) -> str:
    """``All checks passed (38 files)`` or ``Found 3 errors and 1 warning in 2 files``."""
    if not report.findings:
        return f"All checks passed ({_count(len(report.files), 'file')})"
    parts = [
        _count(n, word) for n, word in ((report.errors, "error"), (report.warnings, "warning"))
    ]
    found = " and ".join(part for part in parts if not part.startswith("0 "))
    text = f"Found {found} in {_count(report.files_with_findings, 'file')}"
    if report.fixable:
        text += f" ({report.fixable} fixable with --fix)"
    if strict and report.warnings and not report.errors:
        text += "; --strict makes warnings fail"
    return text


def print_summary(output: Output, message: str, *, failed: bool, clean: bool) -> None:
    """The summary sentence on stderr, coloured by outcome (no "error:" prefix)."""
    output.say(message, "error" if failed else "success" if clean else "warning")


def fix_summary(report: ValidationReport, *, dry_run: bool) -> str:
    if not report.fixes:
        return "Nothing to fix"
    verb = "Would fix" if dry_run else "Fixed"
    return f"{verb} {_count(report.fixed, 'problem')} in {_count(len(report.fixes), 'file')}"


def statistics(findings: Iterable[Finding]) -> list[dict[str, Any]]:
    """Findings counted per code, most frequent first: which rules a corpus trips most."""
    counts: dict[str, dict[str, Any]] = {}
    for finding in findings:
        rule = RULES_BY_CODE.get(finding.code)
        entry = counts.setdefault(
            finding.code,
            {
                "code": finding.code,
                "name": rule.name if rule else None,
                "severity": finding.severity.value,
                "count": 0,
                "fixable": 0,
                "files": set(),
            },
        )
        entry["count"] += 1
        entry["fixable"] += finding.fixable
        entry["files"].add(finding.path)
    rows = sorted(counts.values(), key=lambda entry: (-entry["count"], entry["code"]))
    return [entry | {"files": len(entry["files"])} for entry in rows]


def rule_records(rules: Sequence[Rule]) -> list[dict[str, Any]]:
    return [
        {
            "code": rule.code,
            "name": rule.name,
            "severity": rule.severity.value,
            "fixable": rule.fixable,
            "description": rule.description,
            "remedy": rule.remedy,
        }
        for rule in rules
    ]


def _location(finding: Finding, shown: Callable[[Path], str]) -> str:
    return f"{shown(finding.path)}:{finding.line}:{finding.col}"


def _count(number: int, word: str) -> str:
    return f"{number} {word}{'' if number == 1 else 's'}"


def write_report(
    report: ValidationReport,
    output: Output,
    output_format: str,
    *,
    strict: bool = False,
    statistics_only: bool = False,
    diff: bool = False,
    fixing: bool = False,
) -> None:
    """Everything a `validate` run prints: the findings (or statistics, or the diff) on stdout
    in the chosen format, then the fix summary and the summary sentence on stderr."""
    if diff:
        from lushbeat_cli.render.diff import print_diff

        for change in report.fixes:
            print_diff(output, change)
    elif statistics_only:
        write_statistics(statistics(report.findings), output, output_format)
    elif output_format == "json":
        write_json(report, sys.stdout, strict=strict)
    elif output_format == "github":
        write_github(report.findings, sys.stdout)
    elif output_format == "sarif":
        write_sarif(report, sys.stdout)
    elif output_format == "junit":
        write_junit(report, sys.stdout, strict=strict)
    else:
        write_text(report.findings, output)
    if fixing or diff:
        output.info(fix_summary(report, dry_run=diff))
    message = summary(report, strict=strict)
    print_summary(output, message, failed=report.failed(strict=strict), clean=not report.findings)


def write_statistics(rows: list[dict[str, Any]], output: Output, output_format: str) -> None:
    if output_format == "json":
        from lushbeat_cli.render.machine import write_json as write_records

        write_records(rows, sys.stdout)
        return
    columns = ("count", "code", "severity", "fixable", "files", "name")
    output.table(columns, [[str(row[name]) for name in columns] for row in rows])


def write_rules(rules: Sequence[Rule], output: Output, output_format: str) -> None:
    """The rule catalogue: a table, or a JSON list."""
    records = rule_records(rules)
    if output_format == "json":
        from lushbeat_cli.render.machine import write_json as write_records

        write_records(records, sys.stdout)
        return
    columns = ("code", "severity", "fix", "name", "description")
    rows = [
        [r["code"], r["severity"], "yes" if r["fixable"] else "", r["name"], r["description"]]
        for r in records
    ]
    output.table(columns, rows)


# ---------------------------------------------------------------- SARIF and JUnit

SARIF_SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"
SRCROOT = "%SRCROOT%"  # the working directory: result paths are relative to it


def sarif_document(report: ValidationReport) -> dict[str, Any]:
    """One SARIF 2.1.0 log: one run of the ``lushbeat`` driver with the whole rule catalogue
    (id, name, description, help, default level) and one result per finding, with its region.
    Columns count Unicode code points, as lushbeat's do."""
    from lushbeat_cli import __version__
    from lushbeat_cli.core.rules import RULES

    index = {rule.code: number for number, rule in enumerate(RULES)}
    shown = _Paths()
    results = []
    for finding in report.findings:
        result: dict[str, Any] = {"ruleId": finding.code}
        if finding.code in index:
            result["ruleIndex"] = index[finding.code]
        result["level"] = "error" if finding.severity is Severity.ERROR else "warning"
        result["message"] = {"text": finding.message}
        result["locations"] = [
            {
                "physicalLocation": {
                    "artifactLocation": _artifact_location(finding.path, shown),
                    "region": {"startLine": finding.line, "startColumn": finding.col},
                }
            }
        ]
        if finding.fixable:
            result["properties"] = {"fixable": True}
        results.append(result)
    run: dict[str, Any] = {
        "tool": {
            "driver": {
                "name": "lushbeat",
                "version": __version__,
                "rules": [_sarif_rule(rule) for rule in RULES],
            }
        },
        "columnKind": "unicodeCodePoints",
        "results": results,
    }
    if shown.base is not None:
        run["originalUriBaseIds"] = {SRCROOT: {"uri": shown.base.as_uri().rstrip("/") + "/"}}
    return {"$schema": SARIF_SCHEMA, "version": "2.1.0", "runs": [run]}


def _sarif_rule(rule: Rule) -> dict[str, Any]:
    level = "error" if rule.severity is Severity.ERROR else "warning"
    return {
        "id": rule.code,
        "name": rule.name,
        "shortDescription": {"text": rule.description},
        "fullDescription": {"text": rule.description},
        "help": {"text": rule.remedy or rule.description},
        "defaultConfiguration": {"level": level},
        "properties": {"fixable": rule.fixable},
    }


def _artifact_location(path: Path, shown: _Paths) -> dict[str, Any]:
    """A relative URI under %SRCROOT% when the file is under the working directory, else an
    absolute ``file:`` URI; percent-encoded either way."""
    from urllib.parse import quote

    text = shown(path)
    if not os.path.isabs(text):
        return {"uri": quote(Path(text).as_posix()), "uriBaseId": SRCROOT}
    return {"uri": "file://" + quote(Path(text).as_posix())}


def write_sarif(report: ValidationReport, stream: TextIO) -> None:
    """Exactly one SARIF 2.1.0 JSON document (for GitHub code scanning and other viewers)."""
    json.dump(sarif_document(report), stream, ensure_ascii=False, indent=2)
    stream.write("\n")


def write_junit(report: ValidationReport, stream: TextIO, *, strict: bool = False) -> None:
    """JUnit XML: one test case per file checked; a file with a finding that fails the run
    (an error; a warning too under ``strict``) fails, with every finding in the failure's
    text; other findings go to the case's system-out."""
    import xml.etree.ElementTree as ET

    shown = _Paths()
    by_file: dict[Path, list[Finding]] = {path: [] for path in report.files}
    for finding in report.findings:
        by_file.setdefault(finding.path, []).append(finding)
    failures = 0
    cases = []
    for path, findings in by_file.items():
        name = _xml_text(shown(path))
        case = ET.Element("testcase", classname="lushbeat.validate", name=name, file=name)
        failing = [f for f in findings if f.severity is Severity.ERROR or strict]
        lines = "".join(
            problem_line(_location(f, shown), f.message, f.code) + "\n" for f in findings
        )
        if failing:
            failures += 1
            first = failing[0]
            failure = ET.SubElement(
                case,
                "failure",
                type=first.code,
                message=_xml_text(f"{_count(len(failing), 'finding')}: {first.message}"),
            )
            failure.text = _xml_text(lines)
        elif findings:
            ET.SubElement(case, "system-out").text = _xml_text(lines)
        cases.append(case)
    counts = {"tests": str(len(cases)), "failures": str(failures), "errors": "0", "skipped": "0"}
    suites = ET.Element("testsuites", name="lushbeat validate", **counts)
    suite = ET.SubElement(suites, "testsuite", name="lushbeat validate", **counts)
    suite.extend(cases)
    ET.indent(suites)
    stream.write('<?xml version="1.0" encoding="UTF-8"?>\n')
    stream.write(ET.tostring(suites, encoding="unicode"))
    stream.write("\n")


# XML 1.0 allows tab, LF, CR and the characters from U+0020 on, less the surrogates and two
# non-characters: anything else (a control character in a title) is replaced.
_NOT_XML = re.compile("[^\t\n\r\u0020-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def _xml_text(text: str) -> str:
    return _NOT_XML.sub("\ufffd", text)
