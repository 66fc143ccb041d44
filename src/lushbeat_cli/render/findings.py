"""Validation output: ``path:line:col: CODE message`` lines, one JSON document, or GitHub
Actions annotations; the rule catalogue; the summary sentence. Imported by cli only.
"""

from __future__ import annotations

import json
import os
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
