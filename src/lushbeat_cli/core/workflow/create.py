"""Plan and write a new article: slug, path from the pattern, front matter from a template.

``plan_new_article`` decides everything and refuses unsafe cases; ``write_new_article`` writes
atomically and never overwrites. Used by ``lushbeat new`` and ``lushbeat import``.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from lushbeat_cli.core.article import (
    KNOWN_FIELDS,
    Article,
    Status,
    current_time,
    parse_date,
    slugify,
)
from lushbeat_cli.core.config import PATH_FIELDS, Config
from lushbeat_cli.core.edit import apply_edits
from lushbeat_cli.core.files.atomic import atomic_write
from lushbeat_cli.core.query import fold
from lushbeat_cli.core.reading.frontmatter import parse_scalar, parse_text
from lushbeat_cli.core.workflow.templates import load_template
from lushbeat_cli.errors import ArticleExistsError, ConfigError, LushbeatError, UsageError

PLACEHOLDER = re.compile(r"\{\{\s*([A-Za-z_]+)\s*\}\}")
NEAR_DUPLICATE_RULE = "LB402"  # new warns exactly where validate would


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
    status: Status | None = None  # None: the template's status, else draft
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
    """Decide path and text for a new article; raise if it would clash with anything.

    Each field comes from the command line first, then the template's own value, then the
    config default.
    """
    title = " ".join(_checked_text(options.title, "the title").split())
    if not title:
        raise UsageError("the title must not be empty")
    for key in options.fields:
        if key in KNOWN_FIELDS or key in config.fields.mapped_keys():
            hint = f"use --{key}" if key in FLAG_FIELDS else "it is managed by lushbeat"
            raise UsageError(f"--field cannot set the known field '{key}'; {hint}")
    template_text, template_path = load_template(config, options.template, options.category)
    template = Template.parse(template_text, template_path)
    defaults = template.defaults()

    slug = slugify(options.slug) if options.slug else slugify(title)
    tz = config.tz
    if isinstance(options.date, datetime):
        when = options.date
    elif options.date:
        try:
            when = parse_date(_checked_text(options.date, "--date"), tz)
        except ValueError:
            raise UsageError(
                f"--date expects a date like 2024-07-29, got {options.date!r}"
            ) from None
    else:
        when = (now or current_time()).astimezone(tz).replace(microsecond=0)
    category = _allowed_category(
        config, _checked_text(options.category or "", "--category").strip()
    ) or _text_default(defaults.get("category"))
    lang = options.lang or _text_default(defaults.get("lang")) or config.default_lang
    authors = [_checked_text(a, "--author") for a in options.authors if a.strip()]
    author: Any = authors[0] if len(authors) == 1 else authors
    if not authors:
        author = defaults.get("author") or config.default_author
    tags = list(dict.fromkeys(_checked_text(t, "--tag").strip() for t in options.tags))
    tags = [tag for tag in tags if tag] or _list_default(defaults.get("tags"))
    status = options.status or _status_default(defaults.get("status")) or Status.DRAFT
    path = article_path(config, slug, when, category=category, lang=lang)

    articles = list(existing)
    if path.exists():
        raise ArticleExistsError("already exists; not overwritten", path=path)
    for article in articles:
        if article.slug == slug:
            raise ArticleExistsError(
                f"slug '{slug}' is already used (choose another with --slug)", path=article.path
            )
    similar = similar_titles(config, title, articles)

    values: dict[str, Any] = {
        "title": title,
        "slug": slug,
        "date": when,
        "author": author,
        "category": category,
        "tags": tags,
        "summary": _checked_text(options.summary or "", "--summary")
        or _text_default(defaults.get("summary")),
        "status": status.value,
        "lang": lang,
    }
    for key, raw in options.fields.items():
        values[key] = parse_scalar(_checked_text(raw, f"--field {key}"))
    # Each field goes under the key the template (or else the mapping) spells it with.
    keys = {name: config.fields.write_key(template.metadata, name) for name in FLAG_FIELDS}
    text = template.render(values, body=options.body, keys=keys)
    return NewArticlePlan(path=path, text=text, slug=slug, similar_titles=similar)


FLAG_FIELDS = ("title", "slug", "date", "author", "category", "tags", "summary", "status", "lang")


def _checked_text(text: str, what: str) -> str:
    """Command-line text must be valid Unicode (a stray byte from a Latin-1 shell is not)."""
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        raise UsageError(f"{what} is not valid UTF-8 text") from None
    return text


def _allowed_category(config: Config, category: str) -> str:
    """The configured spelling of ``category``; refused when categories are configured and it
    is not one of them."""
    if not category or not config.categories:
        return category
    for allowed in config.categories:
        if fold(allowed) == fold(category):
            return allowed
    raise UsageError(
        f"category {category!r} is not allowed (allowed: {', '.join(config.categories)})"
    )


def _text_default(value: Any) -> str:
    return value.strip() if isinstance(value, str) else ""


def _list_default(value: Any) -> list[str]:
    if isinstance(value, list):
        return [item for item in value if isinstance(item, str) and item.strip()]
    return []


def _status_default(value: Any) -> Status | None:
    try:
        return Status(str(value).strip().lower()) if value else None
    except ValueError:
        return None


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
    config: Config, title: str, articles: Iterable[Article]
) -> list[tuple[Article, float]]:
    """Existing articles whose title is nearly the same, best first: exactly those that
    ``validate``'s near-duplicate-title rule (LB402) would name, with its threshold
    (``[validate] similar_title_threshold``), its scoring and its exceptions (instalments that
    differ in a number), and nothing when the config turns that rule off."""
    from lushbeat_cli.core.fuzzy import near_duplicate_titles
    from lushbeat_cli.core.rules.base import ValidateSettings
    from lushbeat_cli.core.rules.selection import select_rules

    if not select_rules(config).enabled(NEAR_DUPLICATE_RULE):
        return []
    threshold = ValidateSettings.from_config(config).similar_title_threshold
    others = [article for article in articles if article.title]
    pairs = near_duplicate_titles([title, *(a.title for a in others)], threshold, [0])
    found = [(others[j - 1], score) for j, score in pairs.get(0, [])]
    return sorted(found, key=lambda item: -item[1])


_TOKEN = re.compile(r"LBPH(\d+)Z")


@dataclass
class Template:
    """A template with its ``{{ name }}`` placeholders swapped for neutral tokens (``LBPH0Z``),
    which are valid inside any YAML, TOML or JSON string, so the front matter can be parsed and
    then filled through the in-place editor, which quotes every value correctly."""

    text: str
    names: list[str]
    metadata: dict[str, Any]
    body: str
    newline: str
    source: Path

    @classmethod
    def parse(cls, template: str, source: Path | None) -> Template:
        where = source or Path("<built-in template>")
        names: list[str] = []

        def tokenize(match: re.Match[str]) -> str:
            names.append(match.group(1))
            return f"LBPH{len(names) - 1}Z"

        text = PLACEHOLDER.sub(tokenize, template)
        try:
            front = parse_text(text, where)
        except LushbeatError as exc:
            raise ConfigError(
                f"template is not a valid article: {exc.message} "
                '(quote placeholders in front matter: title: "{{ title }}")',
                path=where,
            ) from None
        return cls(text, names, front.metadata, front.body, front.newline, where)

    def defaults(self) -> dict[str, Any]:
        """The template's own values, leaving out any that are (or hold) a placeholder."""
        return {key: value for key, value in self.metadata.items() if not _has_token(value)}

    def render(
        self,
        values: Mapping[str, Any],
        *,
        body: str | None = None,
        keys: Mapping[str, str] | None = None,
    ) -> str:
        """The article: ``values`` (by field name; placeholders name them too) written under
        their ``keys`` (field -> front-matter key; by default the name itself)."""
        keys = keys or {}
        text_values = {key: _placeholder_text(value) for key, value in values.items()}
        when = values.get("date")
        if isinstance(when, datetime):
            text_values |= {"year": f"{when.year:04d}", "month": f"{when.month:02d}"}
            text_values["day"] = f"{when.day:02d}"

        def fill(text: str) -> str:
            def replace(match: re.Match[str]) -> str:
                name = self.names[int(match.group(1))]
                return text_values.get(name, "{{ " + name + " }}")

            return _TOKEN.sub(replace, text)

        written = {keys.get(name, name): value for name, value in values.items()}
        edits: dict[str, Any] = {}
        for key, value in self.metadata.items():
            if key not in written and _has_token(value):
                edits[key] = _fill_value(value, fill, self.names, values)
        edits.update(written)
        try:
            edited = apply_edits(self.text, edits)
        except (LushbeatError, TypeError) as exc:
            raise ConfigError(f"cannot fill the template: {exc}", path=self.source) from None
        head = edited[: len(edited) - len(self.body)] if self.body else edited
        if _TOKEN.search(head):
            # Placeholders nested in mappings: fill as text, then make sure it still parses.
            head = fill(head)
            try:
                parse_text(head, self.source)
            except LushbeatError as exc:
                raise ConfigError(
                    f"template gives invalid front matter once filled: {exc.message}",
                    path=self.source,
                ) from None
        if body is not None:
            return head + self.newline + body.lstrip("\r\n")
        return head + fill(self.body)


def _has_token(value: Any) -> bool:
    if isinstance(value, str):
        return bool(_TOKEN.search(value))
    if isinstance(value, list):
        return any(_has_token(item) for item in value)
    if isinstance(value, dict):
        return any(_has_token(item) for item in value.values())
    return False


def _fill_value(value: Any, fill: Any, names: list[str], values: Mapping[str, Any]) -> Any:
    """A template value with its tokens filled; a lone token keeps the value's type."""
    if isinstance(value, str):
        alone = _TOKEN.fullmatch(value.strip())
        if alone and names[int(alone.group(1))] in values:
            typed = values[names[int(alone.group(1))]]
            if isinstance(typed, str | int | float | bool | datetime | list):
                return typed
        return fill(value)
    if isinstance(value, list):
        return [_fill_value(item, fill, names, values) for item in value]
    return value


def _placeholder_text(value: Any) -> str:
    if isinstance(value, datetime):
        return value.isoformat()
    if isinstance(value, list):
        return ", ".join(str(item) for item in value)
    return "" if value is None else str(value)
