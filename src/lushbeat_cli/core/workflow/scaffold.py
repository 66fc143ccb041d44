"""A new lushbeat project: the commented config, content and template folders, .gitignore.

``plan_init`` decides everything (and refuses an existing config); ``apply_init`` writes it.
Used by ``lushbeat init``.
"""

from __future__ import annotations

import json
import posixpath
import re
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from lushbeat_cli.core.config import (
    CONFIG_NAME,
    PYPROJECT_NAME,
    SECTIONS,
    SETTINGS,
    build_config,
    parse_timezone,
    working_directory,
)
from lushbeat_cli.core.files.atomic import atomic_write
from lushbeat_cli.core.files.inputs import DEFAULT_MAX_FILE_SIZE, InputError, read_input
from lushbeat_cli.errors import LushbeatError, UsageError

INDEX_DIR = ".lushbeat/"  # the cache folder commands keep next to the config
REPOSITORY_URL = "https://github.com/lushbeat/lushbeat-cli"
HOOK_ID = "lushbeat-validate"

# One line of help above each setting in the generated file.
DESCRIPTIONS = {
    "content_dir": "Folder holding the articles, relative to this file.",
    "path_pattern": (
        "Where `lushbeat new` puts an article: {year} {month} {day} {slug} {category} {lang}."
    ),
    "default_author": "Author of new articles when --author is not given.",
    "timezone": 'Time zone for dates without an offset: an IANA name, "UTC" or "+07:00".',
    "default_lang": "Language of new articles (e.g. id, en).",
    "categories": "Allowed categories; an empty list allows any.",
    "templates_dir": "Folder of article templates (templates/NAME.md).",
    "max_file_size": "Bigger files (in bytes) are reported, not read.",
}

DEFAULT_TEMPLATE = """---
title: "{{ title }}"
slug: {{ slug }}
date: {{ date }}
author: "{{ author }}"
category: {{ category }}
tags: []
summary: "{{ summary }}"
status: draft
lang: {{ lang }}
---

Lead paragraph: who, what, when, where and why.

## Subheading

Body text.
"""


@dataclass(frozen=True)
class InitStep:
    """One thing ``init`` does: create a file or folder, append to a file, or keep one."""

    path: Path
    action: str  # "create", "mkdir", "append", "keep"
    text: str = ""


@dataclass
class InitPlan:
    root: Path
    steps: list[InitStep] = field(default_factory=list)
    content_dir: str = SETTINGS["content_dir"][1]  # as the written config has it


def plan_init(
    root: Path,
    *,
    lang: str | None = None,
    timezone: str | None = None,
    author: str | None = None,
) -> InitPlan:
    """What ``init`` will do in ``root``; refuses (exit 1) when a config is already there."""
    if not root.is_absolute():
        working_directory()  # a deleted working directory: a clear error, not "cannot create"
    if root.exists() and not root.is_dir():
        raise UsageError("is not a folder", path=root)
    existing = root / CONFIG_NAME
    if existing.exists():
        raise LushbeatError("already exists; not overwritten", path=existing)
    pyproject = root / PYPROJECT_NAME
    if pyproject.is_file() and _has_tool_table(pyproject):
        raise LushbeatError(
            "already configures lushbeat ([tool.lushbeat]); not overwritten", path=pyproject
        )
    values: dict[str, Any] = {}
    if lang is not None:
        if not lang.strip():
            raise UsageError("--lang must not be empty")
        values["default_lang"] = lang.strip()
    if timezone is not None:
        try:
            parse_timezone(timezone)
        except ValueError as exc:
            raise UsageError(f"--timezone: {exc}") from None
        values["timezone"] = timezone
    if author is not None and author.strip():
        values["default_author"] = author.strip()
    text = config_text(values)
    build_config(tomllib.loads(text), root, existing)  # the file must load as it is written
    plan = InitPlan(root)
    for folder in (SETTINGS["content_dir"][1], SETTINGS["templates_dir"][1]):
        path = root / folder
        plan.steps.append(InitStep(path, "keep" if path.is_dir() else "mkdir"))
    template = root / SETTINGS["templates_dir"][1] / "default.md"
    plan.steps.append(
        InitStep(template, "keep" if template.exists() else "create", DEFAULT_TEMPLATE)
    )
    plan.steps.append(_gitignore_step(root / ".gitignore"))
    # The config comes last: if anything before it fails, running init again just works.
    plan.steps.append(InitStep(existing, "create", text))
    return plan


def apply_init(plan: InitPlan) -> list[InitStep]:
    """Carry out the plan and return its steps. Files are created with ``overwrite=False``,
    so a config or template made by someone else meanwhile is never replaced."""
    for step in plan.steps:
        if step.action == "mkdir":
            try:
                step.path.mkdir(parents=True, exist_ok=True)
            except OSError as exc:
                raise LushbeatError(f"cannot create: {exc.strerror}", path=step.path) from None
        elif step.action == "create":
            atomic_write(step.path, step.text.encode("utf-8"), overwrite=False)
        elif step.action == "append":
            atomic_write(step.path, step.text.encode("utf-8"), overwrite=True)
    return plan.steps


def config_text(values: dict[str, Any] | None = None) -> str:
    """The commented config: every setting at its default (commented out) unless given in
    ``values``; every table commented out, so it stays valid as features add tables."""
    values = values or {}
    lines = [
        f"# lushbeat configuration ({REPOSITORY_URL}#configuration).",
        "# Every setting is listed with its default; uncomment a line to change it.",
        "",
    ]
    for key, (_, default) in SETTINGS.items():
        if key in DESCRIPTIONS:
            lines.append(f"# {DESCRIPTIONS[key]}")
        if key in values:
            lines.append(f"{key} = {toml_literal(values[key])}")
        else:
            lines.append(_commented(key, default))
        lines.append("")
    for name, spec in SECTIONS.items():
        lines.append(f"# [{name}]")
        lines.extend(_commented(key, default) for key, (_, default) in spec.items())
        lines.append("")
    return "\n".join(lines).rstrip("\n") + "\n"


def _commented(key: str, default: Any) -> str:
    if default is None:
        return f"# {key}: no default"
    return f"# {key} = {toml_literal(default)}"


def toml_literal(value: Any) -> str:
    """A TOML value: strings, booleans, numbers, lists and inline tables."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return repr(value)
    if isinstance(value, str):
        # JSON's string escapes are TOML's too; DEL is the one control JSON leaves raw.
        return json.dumps(value, ensure_ascii=False).replace("\x7f", "\\u007F")
    if isinstance(value, list | tuple):
        return "[" + ", ".join(toml_literal(item) for item in value) + "]"
    if isinstance(value, dict):
        pairs = ", ".join(f"{json.dumps(str(k))} = {toml_literal(v)}" for k, v in value.items())
        return "{" + pairs + "}"
    raise TypeError(f"no TOML form for {type(value).__name__}")


def precommit_snippet(version: str, content_dir: str = SETTINGS["content_dir"][1]) -> str:
    """The lines to add to ``.pre-commit-config.yaml``; ``files`` keeps the hook to the
    content dir, so a README.md or other Markdown outside it is not checked as an article."""
    lines = [
        "repos:",
        f"  - repo: {REPOSITORY_URL}",
        f"    rev: v{version}",
        "    hooks:",
        f"      - id: {HOOK_ID}",
    ]
    pattern = precommit_files_pattern(content_dir)
    if pattern is not None:
        lines.append(f"        files: {_yaml_scalar(pattern)}")
    return "\n".join(lines) + "\n"


def precommit_files_pattern(content_dir: str) -> str | None:
    """pre-commit's ``files`` regex for the content dir (paths from the repository root, taken
    to be the project's): ``content`` -> ``^content/``. None when it cannot narrow anything:
    the content dir is the project itself, or lies outside it."""
    folder = posixpath.normpath(content_dir.replace("\\", "/"))
    if folder == "." or folder.startswith(("/", "../")) or folder == "..":
        return None
    return "^" + re.sub(r"([.^$*+?{}\[\]\\|()])", r"\\\1", folder) + "/"


def _yaml_scalar(text: str) -> str:
    """``text`` as a YAML plain scalar when that is safe, else single-quoted."""
    if re.fullmatch(r"[\w^/.\\+-]+", text):
        return text
    return "'" + text.replace("'", "''") + "'"


def _gitignore_step(path: Path) -> InitStep:
    if not path.exists():
        return InitStep(path, "create", f"{INDEX_DIR}\n")
    try:
        text = read_input(path, DEFAULT_MAX_FILE_SIZE).decode("utf-8")
    except UnicodeDecodeError:
        raise LushbeatError("not valid UTF-8; not changed", path=path) from None
    wanted = {INDEX_DIR, INDEX_DIR.rstrip("/"), "/" + INDEX_DIR, "/" + INDEX_DIR.rstrip("/")}
    if any(line.strip() in wanted for line in text.splitlines()):
        return InitStep(path, "keep")
    newline = "\r\n" if "\r\n" in text else "\n"
    separator = "" if not text or text.endswith("\n") else newline
    return InitStep(path, "append", f"{text}{separator}{INDEX_DIR}{newline}")


def _has_tool_table(pyproject: Path) -> bool:
    try:
        data = tomllib.loads(read_input(pyproject, DEFAULT_MAX_FILE_SIZE).decode("utf-8"))
    except (InputError, UnicodeDecodeError, tomllib.TOMLDecodeError):
        return False
    tool = data.get("tool")
    return isinstance(tool, dict) and "lushbeat" in tool
