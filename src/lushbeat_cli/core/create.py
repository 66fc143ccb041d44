"""Plan and write a new article: slug, path from the pattern, front matter from a template.

``plan_new_article`` decides everything and refuses unsafe cases; ``write_new_article`` writes
atomically and never overwrites. Used by ``lushbeat new`` and ``lushbeat import``.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from lushbeat_cli.core.article import Article, Status, parse_date, slugify
from lushbeat_cli.core.config import Config
from lushbeat_cli.core.editing import apply_edits
from lushbeat_cli.core.fileio import atomic_write
from lushbeat_cli.core.frontmatter_io import parse_scalar, parse_text
from lushbeat_cli.errors import ArticleExistsError, ConfigError, LushbeatError, UsageError

DEFAULT_TEMPLATE = """---
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
PLACEHOLDER = re.compile(r"\{\{\s*([A-Za-z_]+)\s*\}\}")
PATH_FIELDS = ("year", "month", "day", "slug", "category", "lang")
SIMILAR_TITLE_SCORE = 90.0


@dataclass(frozen=True)
class NewArticleOptions:
    """What the writer asked for; empty values fall back to config defaults."""

    title: str
    slug: str | None = None
    category: str | None = None
    tags: tuple[str, ...] = ()
    authors: tuple[str, ...] = ()
    date: str | datetime | None = None
    lang: str | None = None
    summary: str | None = None
    status: Status = Status.DRAFT
    template: str | None = None
    fields: Mapping[str, str] = field(default_factory=dict)
    body: str | None = None  # replaces the template's body (used by import)


@dataclass
class NewArticlePlan:
    path: Path
    text: str
    slug: str
    similar_titles: list[tuple[Article, float]] = field(default_factory=list)


def plan_new_article(
    config: Config,
    options: NewArticleOptions,
    existing: Iterable[Article],
    now: datetime | None = None,
) -> NewArticlePlan:
    """Decide path and text for a new article; raise if it would clash with anything."""
    title = " ".join(options.title.split())
    if not title:
        raise UsageError("the title must not be empty")
    slug = slugify(options.slug) if options.slug else slugify(title)
    tz = config.tz
    if isinstance(options.date, datetime):
        when = options.date
    elif options.date:
        try:
            when = parse_date(options.date, tz)
        except ValueError:
            raise UsageError(
                f"--date expects a date like 2024-07-29, got {options.date!r}"
            ) from None
    else:
        when = (now or datetime.now(tz)).astimezone(tz).replace(microsecond=0)
    category = options.category.strip() if options.category else ""
    if category and config.categories and category not in config.categories:
        allowed = ", ".join(config.categories)
        raise UsageError(f"category {category!r} is not allowed (allowed: {allowed})")
    lang = options.lang or config.default_lang
    authors = [a for a in options.authors if a.strip()] or (
        [config.default_author] if config.default_author else []
    )
    path = article_path(config, slug, when, category=category, lang=lang)

    articles = list(existing)
    if path.exists():
        raise ArticleExistsError("already exists; not overwritten", path=path)
    for article in articles:
        if article.slug == slug:
            raise ArticleExistsError(
                f"slug '{slug}' is already used (choose another with --slug)", path=article.path
            )
    similar = similar_titles(title, articles)

    values: dict[str, Any] = {
        "title": title,
        "slug": slug,
        "date": when,
        "author": authors[0] if len(authors) == 1 else (authors or ""),
        "category": category,
        "tags": list(dict.fromkeys(t.strip() for t in options.tags if t.strip())),
        "summary": options.summary or "",
        "status": options.status.value,
        "lang": lang,
    }
    for key, raw in options.fields.items():
        values[key] = parse_scalar(raw)
    template_text, template_path = load_template(config, options.template)
    text = render_template(template_text, values, template_path, body=options.body)
    return NewArticlePlan(path=path, text=text, slug=slug, similar_titles=similar)


def write_new_article(plan: NewArticlePlan) -> Path:
    atomic_write(plan.path, plan.text.encode("utf-8"), overwrite=False)
    return plan.path


def article_path(
    config: Config, slug: str, when: datetime, *, category: str = "", lang: str = ""
) -> Path:
    """The file for a new article from ``path_pattern``; it must stay inside the content dir."""
    values = {
        "year": f"{when.year:04d}",
        "month": f"{when.month:02d}",
        "day": f"{when.day:02d}",
        "slug": slug,
        "category": slugify(category) if category else "uncategorised",
        "lang": slugify(lang) if lang else "und",
    }
    try:
        relative = config.path_pattern.format(**values)
    except (KeyError, IndexError, ValueError) as exc:
        raise ConfigError(
            f"path_pattern {config.path_pattern!r} is invalid ({exc}); "
            f"placeholders: {', '.join('{' + name + '}' for name in PATH_FIELDS)}",
            path=config.source,
        ) from None
    if not relative.endswith((".md", ".markdown")):
        relative += ".md"
    root = config.content_path
    path = (root / relative).resolve()
    if Path(relative).is_absolute() or not path.is_relative_to(root):
        raise ConfigError(
            f"path_pattern {config.path_pattern!r} leads outside the content dir ({relative})",
            path=config.source,
        )
    return path


def similar_titles(
    title: str, articles: Iterable[Article], threshold: float = SIMILAR_TITLE_SCORE
) -> list[tuple[Article, float]]:
    """Existing articles whose title is nearly the same, best first."""
    from lushbeat_cli.core.similarity import title_similarity

    scored = [(article, title_similarity(title, article.title)) for article in articles]
    return sorted(
        ((a, s) for a, s in scored if a.title and s >= threshold), key=lambda item: -item[1]
    )


def load_template(config: Config, name: str | None) -> tuple[str, Path | None]:
    """A template's text: ``templates_dir/NAME.md``; without a name, ``default.md`` if present."""
    folder = config.templates_path
    if name is None:
        candidate = folder / "default.md"
        if not candidate.is_file():
            return DEFAULT_TEMPLATE, None
    else:
        if "/" in name or "\\" in name or name.startswith("."):
            raise UsageError(f"template name {name!r} must be a plain name from {folder}")
        candidate = folder / (name if name.endswith(".md") else f"{name}.md")
        if not candidate.is_file():
            available = sorted(p.stem for p in folder.glob("*.md")) if folder.is_dir() else []
            hint = f" (available: {', '.join(available)})" if available else ""
            raise UsageError(f"template {name!r} not found in {folder}{hint}")
    try:
        return candidate.read_text(encoding="utf-8"), candidate
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(f"cannot read template: {exc}", path=candidate) from None


def render_template(
    template: str, values: Mapping[str, Any], source: Path | None, *, body: str | None = None
) -> str:
    """Fill a template: ``{{ name }}`` placeholders first (escaped for where they stand), then
    the known fields set through the in-place editor, so values are always well quoted."""
    where = source or Path("<built-in template>")
    text_values = {key: _placeholder_text(value) for key, value in values.items()}
    when = values.get("date")
    if isinstance(when, datetime):
        text_values |= {"year": f"{when.year:04d}", "month": f"{when.month:02d}"}
        text_values["day"] = f"{when.day:02d}"
    lines = template.splitlines(keepends=True)
    toml = bool(lines) and lines[0].strip() == "+++"
    closing = _closing_line(lines)
    filled = "".join(
        _fill_line(line, text_values, front=index <= closing, toml=toml)
        for index, line in enumerate(lines)
    )
    try:
        front = parse_text(filled, where)
        filled = apply_edits(filled, dict(values))
    except LushbeatError as exc:
        raise ConfigError(f"template is not a valid article: {exc.message}", path=where) from None
    if body is not None:
        head = filled[: len(filled) - len(front.body)] if front.body else filled
        filled = head + front.newline + body.lstrip("\r\n")
    return filled


def _closing_line(lines: list[str]) -> int:
    """Index of the line closing the front matter (-1 when there is none)."""
    if not lines or lines[0].strip() not in ("---", "+++"):
        return -1
    opener = lines[0].strip()
    for index in range(1, len(lines)):
        if lines[index].strip() in (opener, "..."):
            return index
    return -1


_PLAIN_SAFE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_./+-]*(?::\d\d(?::\d\d)?[+-]\d\d:\d\d)?$")


def _fill_line(line: str, values: Mapping[str, str], *, front: bool, toml: bool) -> str:
    """Replace ``{{ name }}`` placeholders; in front matter, escaped for their quoting."""

    def replace(match: re.Match[str]) -> str:
        name = match.group(1)
        if name not in values:
            return match.group(0)
        value = values[name]
        if not front:
            return value
        before = line[: match.start()]
        if before.count('"') % 2 == 1:
            return json.dumps(value, ensure_ascii=False)[1:-1]
        if before.count("'") % 2 == 1:
            return value.replace("'", "''")
        if _PLAIN_SAFE.match(value) and not (toml and not value[:4].isdigit()):
            return value
        return json.dumps(value, ensure_ascii=False)

    return PLACEHOLDER.sub(replace, line)


def _placeholder_text(value: Any) -> str:
    if isinstance(value, datetime):
        return value.isoformat()
    if isinstance(value, list):
        return ", ".join(str(item) for item in value)
    return "" if value is None else str(value)
