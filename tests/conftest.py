"""Shared fixtures: an isolated environment, a temporary project, and a CLI runner."""

from __future__ import annotations

import json
import shutil
import textwrap
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest
from typer.testing import CliRunner

from lushbeat_cli.cli import app

REPO = Path(__file__).resolve().parent.parent
EXAMPLES = REPO / "examples"
SHARED = REPO.parent / "shared"


def pytest_report_header() -> list[str]:
    """Say at the top of every run whether the end-to-end tests on real corpora will run: when
    ../shared is absent they skip (each with its reason in the summary), and a green run then
    proves less."""
    corpora = SHARED / "corpora"
    if not corpora.is_dir():
        return [f"lushbeat: shared corpora ABSENT ({corpora}): the corpus tests will be skipped"]
    found = sorted(path.name for path in corpora.iterdir() if path.is_dir())
    return [f"lushbeat: shared corpora at {corpora}: {', '.join(found)}"]


@pytest.fixture(autouse=True)
def isolated_env(monkeypatch: pytest.MonkeyPatch) -> None:
    """No colours, a fixed width, no editor, and no config leaking in from the user."""
    monkeypatch.setenv("NO_COLOR", "1")
    monkeypatch.setenv("COLUMNS", "120")
    monkeypatch.delenv("VISUAL", raising=False)
    monkeypatch.delenv("EDITOR", raising=False)
    monkeypatch.delenv("FORCE_COLOR", raising=False)
    monkeypatch.delenv("TTY_COMPATIBLE", raising=False)
    # A fixed clock, so "scheduled" (dated in the future) never changes with the calendar.
    monkeypatch.setenv("LUSHBEAT_NOW", "2026-11-26T12:00:00+00:00")


@dataclass
class Run:
    exit_code: int
    stdout: str
    stderr: str
    exception: BaseException | None
    stdout_bytes: bytes = b""

    def json(self) -> object:
        return json.loads(self.stdout)

    def jsonl(self) -> list[object]:
        return [json.loads(line) for line in self.stdout.splitlines() if line.strip()]


@pytest.fixture
def cli() -> Callable[..., Run]:
    """Invoke the real app; stdout and stderr come back separately."""
    runner = CliRunner()

    def invoke(*args: str, input: str | None = None) -> Run:
        result = runner.invoke(app, list(args), input=input, catch_exceptions=True)
        exc = result.exception
        if exc is not None and not isinstance(exc, SystemExit):
            raise exc  # a crash is a test failure, never an expected outcome
        return Run(result.exit_code, result.stdout, result.stderr, exc, result.stdout_bytes)

    return invoke


class Project:
    """A temporary project folder with a config and a content dir."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.content = root / "content"
        self.content.mkdir(parents=True, exist_ok=True)

    def config(self, text: str) -> Path:
        path = self.root / "lushbeat.toml"
        path.write_text(textwrap.dedent(text), encoding="utf-8")
        return path

    def write(self, relative: str, text: str | bytes, *, dedent: bool = True) -> Path:
        path = self.content / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(text, bytes):
            path.write_bytes(text)
        else:
            path.write_bytes((textwrap.dedent(text) if dedent else text).encode("utf-8"))
        return path

    def article(self, relative: str, **fields: object) -> Path:
        """A YAML article from keyword fields (values written with repr-safe YAML)."""
        body = str(fields.pop("body", "The story as written.\n"))
        lines = ["---"]
        for key, value in fields.items():
            lines.append(f"{key}: {json.dumps(value, ensure_ascii=False, default=str)}")
        lines.append("---")
        return self.write(relative, "\n".join(lines) + "\n" + body, dedent=False)


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Project:
    """An empty project; the working directory is its root."""
    proj = Project(tmp_path / "proj")
    proj.config('content_dir = "content"\ntimezone = "Asia/Jakarta"\ndefault_lang = "id"\n')
    monkeypatch.chdir(proj.root)
    return proj


@pytest.fixture
def examples_copy(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A private copy of examples/, as the working directory."""
    target = tmp_path / "examples"
    # Without the index a run in the checkout leaves there (test_subprocess runs
    # `lushbeat -C examples`): a copy must start as the repository's files do.
    shutil.copytree(EXAMPLES, target, ignore=shutil.ignore_patterns(".lushbeat"))
    monkeypatch.chdir(target)
    return target
