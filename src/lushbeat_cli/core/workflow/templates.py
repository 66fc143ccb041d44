"""Article templates: which one a new article starts from, and the placeholder lines a story
that was never written still carries (the unfinished-story rule, LB312, and ``publish`` ask).

Pure core; used by ``core.workflow.create`` and ``core.rules``.
"""

from __future__ import annotations

import re
from pathlib import Path

from lushbeat_cli.core.article import slugify
from lushbeat_cli.core.config import Config
from lushbeat_cli.core.files.inputs import InputError, decode_utf8, read_input
from lushbeat_cli.errors import ConfigError, LushbeatError, UsageError

BUILTIN_TEMPLATE = """---
title: ""
slug: ""
date: ""
author: ""
category: ""
tags: []
summary: ""
status: draft
lang: ""
---

"""
# A template line counts as a placeholder when it is prose a writer must replace: not blank,
# not only markup (---, ##, a list dash), not an HTML comment (invisible, often left on
# purpose) and without a {{ field }} (filled in by `new`, so never left as written).
_MARKUP_ONLY = re.compile(r"^[\W_]*$")
_COMMENT = re.compile(r"^<!--.*-->$")
UNFILLED = re.compile(r"\{\{\s*[A-Za-z_]+\s*\}\}")


def load_template(
    config: Config, name: str | None, category: str | None = None
) -> tuple[str, Path | None]:
    """A template's text: ``templates_dir/NAME.md``; without a name, the category's template
    (``CATEGORY.md``, as written or as a slug: ``Olahraga`` finds ``olahraga.md``) if there is
    one, as Hugo picks an archetype by section; else ``default.md`` if present; else the
    built-in one."""
    folder = config.templates_path
    if name is None:
        candidates = [f"{category.strip()}.md", f"{slugify(category)}.md"] if category else []
        for file_name in [*dict.fromkeys(candidates), "default.md"]:
            candidate = folder / file_name
            if "/" not in file_name and candidate.exists():  # a FIFO there is refused below
                break
        else:
            return BUILTIN_TEMPLATE, None
    else:
        if "/" in name or "\\" in name or name.startswith("."):
            raise UsageError(f"template name {name!r} must be a plain name from {folder}")
        candidate = folder / (name if name.endswith(".md") else f"{name}.md")
        if not candidate.exists():
            available = sorted(p.stem for p in folder.glob("*.md")) if folder.is_dir() else []
            hint = f" (available: {', '.join(available)})" if available else ""
            raise UsageError(f"template {name!r} not found in {folder}{hint}")
    try:
        return decode_utf8(read_input(candidate, config.max_file_size), candidate), candidate
    except InputError as exc:
        reason = exc.message.removeprefix("cannot read: ").removesuffix("; not read")
        raise ConfigError(f"cannot read template: {reason}", path=candidate) from None


def template_placeholders(config: Config) -> frozenset[str]:
    """Every placeholder line (stripped) of the project's templates and of ``init``'s default
    template; files that cannot be read are passed over (``new`` reports them)."""
    from lushbeat_cli.core.reading.frontmatter import split_front_matter
    from lushbeat_cli.core.workflow.scaffold import DEFAULT_TEMPLATE

    texts = [DEFAULT_TEMPLATE]
    folder = config.templates_path
    if folder.is_dir():
        for path in sorted(folder.glob("*.md")):
            try:
                texts.append(decode_utf8(read_input(path, config.max_file_size), path))
            except (InputError, LushbeatError):
                continue
    lines: set[str] = set()
    for text in texts:
        try:
            body = text[split_front_matter(text, Path("template.md")).body_start :]
        except LushbeatError:
            body = text
        lines.update(line for line in map(str.strip, body.splitlines()) if is_placeholder(line))
    return frozenset(lines)


def is_placeholder(line: str) -> bool:
    """Whether a stripped template line is prose a writer must replace."""
    return bool(line) and not (
        _MARKUP_ONLY.match(line) or _COMMENT.match(line) or UNFILLED.search(line)
    )
