"""LB2xx: the front matter against the schema (core/schema.py): types, required fields, choices,
patterns, lengths, unknown keys, language tags."""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import date
from typing import Any

from lushbeat_cli.core.article import (
    Status,
    file_name_date,
    is_valid_slug,
    slug_from_path,
    slugify,
)
from lushbeat_cli.core.findings import Finding
from lushbeat_cli.core.links import normal_path
from lushbeat_cli.core.rules.base import (
    WARNING,
    FileContext,
    Rule,
    is_section_page,
    preview,
    schema_fields,
)
from lushbeat_cli.core.rules.editorial import fix_tags
from lushbeat_cli.core.schema import (
    TOOL_KEYS,
    TYPE_NAMES,
    UNLESS_DRAFT,
    FieldSpec,
    ValueSpec,
    describe_type,
    is_language_tag,
    source_key,
    suggest_language_tag,
    type_matches,
    value_length,
)

_JEKYLL_DATE = re.compile(r"(\d{4})-(\d{2})-(\d{2})-")


def _field_values(ctx: FileContext, spec: FieldSpec) -> tuple[str | None, Any]:
    """The key a schema field is written under in this article, and its value."""
    found = ctx.values.get(spec.name)
    if found is None:
        key = source_key(ctx.article.metadata, spec.name, ctx.run.config.fields)
        found = ctx.values[spec.name] = (key, ctx.article.metadata.get(key) if key else None)
    return found


def _present(ctx: FileContext) -> Iterator[tuple[FieldSpec, str, Any]]:
    """``(spec, key, value)`` for each schema field this article has a value for."""
    for spec in schema_fields(ctx):
        key, value = _field_values(ctx, spec)
        if key is not None and value is not None:
            yield spec, key, value


class InvalidValue(Rule):
    code = "LB201"
    name = "invalid-value"
    description = "A field's value has the wrong type (text, number, date, list, ...)."
    remedy = "Write the value as the field's type; `--fix` turns comma-separated tags into a list."
    fixable = True

    def check(self, ctx: FileContext) -> Iterator[Finding]:
        flagged = set()
        for finding in ctx.article.findings:
            if finding.code == self.code:
                flagged.add((finding.line, finding.col))
                yield finding
        for spec in schema_fields(ctx):
            key, value = _field_values(ctx, spec)
            if value is None or ctx.at(key) in flagged or key in ("keywords",):
                continue
            if spec.type and not type_matches(value, spec.type):
                fixable = spec.name == "tags" and isinstance(value, str)
                yield ctx.finding(
                    self,
                    key,
                    f"'{key}' must be {TYPE_NAMES[spec.type]}, not {describe_type(value)}",
                    fixable=fixable,
                )
            elif spec.items and spec.items.type and isinstance(value, list):
                yield from _item_type_findings(self, ctx, key, value, spec.items)

    def fix(self, text: str, ctx: FileContext) -> str:
        return fix_tags(text, ctx)


def _item_type_findings(
    rule: Rule, ctx: FileContext, key: str | None, items: list[Any], spec: ValueSpec
) -> Iterator[Finding]:
    assert spec.type is not None
    for item in items:
        if not type_matches(item, spec.type):
            where = ctx.item_at(key, str(item)) if key and isinstance(item, str | int) else key
            yield ctx.finding(
                rule,
                where,
                f"items of '{key}' must be {TYPE_NAMES[spec.type]}, "
                f"not {describe_type(item)} ({preview(item)})",
            )
            return


class MissingField(Rule):
    code = "LB202"
    name = "missing-field"
    description = (
        "A required field is missing or empty (title; date unless the article is a draft)."
    )
    remedy = (
        "Add the field. `--fix` adds a missing required `slug` and a Jekyll-style post's `date` "
        "from its file name."
    )
    fixable = True

    def check(self, ctx: FileContext) -> Iterator[Finding]:
        article = ctx.article
        for spec in schema_fields(ctx):
            if not spec.required:
                continue
            if spec.required == UNLESS_DRAFT and (
                article.declared_status is Status.DRAFT or is_section_page(article.path)
            ):
                continue
            key, value = _field_values(ctx, spec)
            if key is not None and not _is_empty(value):
                continue
            if spec.name == "date" and key is None and _named_date(ctx) is not None:
                continue  # [fields] file_name_dates: the file name gives it, as Jekyll reads it
            fix = _missing_value(ctx, spec.name)
            if key is None:
                message = f"missing required field '{spec.name}'"
                typo = _typo_of(ctx, spec.name)
                if typo:
                    message += f" (is '{typo}' on line {ctx.at(typo)[0]} meant to be it?)"
            else:
                message = f"required field '{key}' is empty"
            if fix is not None:
                message += f" (--fix sets it to {_render(fix)})"
            elif spec.name == "date" and article.declared_status is not Status.DRAFT:
                message += " (or mark the article as a draft)"
            yield ctx.finding(self, key, message, fixable=fix is not None)

    def fix(self, text: str, ctx: FileContext) -> str:
        from lushbeat_cli.core.edit import set_field

        for spec in schema_fields(ctx):
            key, value = _field_values(ctx, spec)
            if spec.required and (key is None or _is_empty(value)):
                fix = _missing_value(ctx, spec.name)
                if fix is not None:
                    where = key or ctx.run.config.fields.write_key(ctx.article.metadata, spec.name)
                    text = set_field(text, where, fix)
        return text


def _named_date(ctx: FileContext) -> date | None:
    """The date the file name gives, where ``[fields] file_name_dates`` reads it."""
    if not ctx.run.config.fields.file_name_dates:
        return None
    named = file_name_date(ctx.article.path)
    return None if named is None else named[0]


def _typo_of(ctx: FileContext, name: str) -> str | None:
    """A key of this article that looks like a misspelling of field ``name``."""
    known = ctx.run.schema.known_keys
    for key in ctx.article.metadata:
        if key not in known and UnknownKey.hint(ctx, key, known) == name:
            return key
    return None


def _is_empty(value: Any) -> bool:
    return value is None or (isinstance(value, str | list | dict) and not _strip(value))


def _strip(value: str | list[Any] | dict[str, Any]) -> Any:
    return value.strip() if isinstance(value, str) else value


def _missing_value(ctx: FileContext, name: str) -> Any:
    """A safe value for a missing required field, or None when there is none."""
    article = ctx.article
    if name == "slug":
        return _missing_slug(ctx)
    if name == "date":
        match = _JEKYLL_DATE.match(article.path.name)
        if match:
            try:
                return date(*(int(part) for part in match.groups()))
            except ValueError:
                return None
    return None


def _missing_slug(ctx: FileContext) -> str | None:
    """Never change a published article's URL: its file name when that is a valid slug already,
    else (and for drafts) the slug of its title; None when that slug is taken."""
    article = ctx.article
    from_name = slug_from_path(article.path)
    from_title = slugify(article.title) if article.title else None
    if article.declared_status is Status.DRAFT and from_title:
        slug = from_title
    elif is_valid_slug(from_name):
        slug = from_name
    else:
        slug = from_title
    collection = ctx.run.collection
    if slug and collection is not None:
        mine = normal_path(article.path)
        owners = [a for a in collection.by_slug.get(slug, []) if normal_path(a.path) != mine]
        if owners:
            return None
    return slug


class NotAChoice(Rule):
    code = "LB203"
    name = "not-a-choice"
    description = "A value is not one of the allowed choices (e.g. a category not in `categories`)."
    remedy = (
        "Use one of the listed values, or add the value to `categories` / the field's `choices`."
    )

    def check(self, ctx: FileContext) -> Iterator[Finding]:
        for spec, key, value in _present(ctx):
            if spec.choices is not None:
                values = value if isinstance(value, list) else [value]
                for item in values:
                    if item not in spec.choices:
                        yield self._finding(ctx, key, item, spec.choices, isinstance(value, list))
            if spec.items and spec.items.choices is not None and isinstance(value, list):
                for item in value:
                    if item not in spec.items.choices:
                        yield self._finding(ctx, key, item, spec.items.choices, True)

    def _finding(
        self, ctx: FileContext, key: str, item: Any, choices: tuple[Any, ...], in_list: bool
    ) -> Finding:
        from lushbeat_cli.core.fuzzy import closest_spelling

        shown = ", ".join(str(choice) for choice in choices[:8])
        if len(choices) > 8:
            shown += ", ..."
        message = f"{key} {preview(item)} is not one of: {shown}"
        hint = closest_spelling(str(item), [str(c) for c in choices], cutoff=70.0)
        if hint:
            message += f" (did you mean '{hint}'?)"
        where = ctx.item_at(key, str(item)) if in_list else key
        return ctx.finding(self, where, message)


class PatternMismatch(Rule):
    code = "LB204"
    name = "pattern-mismatch"
    description = "A value does not match the field's `pattern` from `[schema.fields]`."
    remedy = "Change the value so that it matches the pattern (or change the pattern)."

    def check(self, ctx: FileContext) -> Iterator[Finding]:
        for spec, key, value in _present(ctx):
            if (
                spec.pattern is not None
                and _is_scalar(value)
                and not spec.pattern.fullmatch(str(value))
            ):
                yield ctx.finding(
                    self,
                    key,
                    f"{key} {preview(value)} does not match {spec.pattern.pattern!r}",
                )
            items = spec.items
            if items and items.pattern is not None and isinstance(value, list):
                for item in value:
                    if _is_scalar(item) and not items.pattern.fullmatch(str(item)):
                        yield ctx.finding(
                            self,
                            ctx.item_at(key, str(item)),
                            f"{key} item {preview(item)} does not match {items.pattern.pattern!r}",
                        )


class LengthOutOfRange(Rule):
    code = "LB205"
    name = "length-out-of-range"
    description = "A value is shorter or longer than `min_length` / `max_length` allow."
    remedy = "Shorten or lengthen the value (characters of text, items of a list)."

    def check(self, ctx: FileContext) -> Iterator[Finding]:
        for spec, key, value in _present(ctx):
            problem = _length_problem(value, spec)
            if problem:
                yield ctx.finding(self, key, f"{key} {problem}")
            if spec.items and isinstance(value, list):
                for item in value:
                    problem = _length_problem(item, spec.items)
                    if problem:
                        where = ctx.item_at(key, str(item)) if _is_scalar(item) else key
                        yield ctx.finding(self, where, f"{key} item {preview(item)} {problem}")


def _length_problem(value: Any, spec: ValueSpec) -> str | None:
    length = value_length(value)
    if length is None:
        return None
    unit = "character" if isinstance(value, str) else "item"
    if spec.min_length is not None and length < spec.min_length:
        return f"has {_count(length, unit)}; at least {spec.min_length} needed"
    if spec.max_length is not None and length > spec.max_length:
        return f"has {_count(length, unit)}; at most {spec.max_length} allowed"
    return None


class UnknownKey(Rule):
    code = "LB206"
    name = "unknown-key"
    severity = WARNING
    description = (
        "A key looks like a typo of a known field (`tittle`, `tag`); with `[schema] closed = "
        "true`, any undeclared key."
    )
    remedy = (
        "Rename the key; or declare it in `[schema.fields]` or `[schema] allow_unknown = [...]`."
    )

    def check(self, ctx: FileContext) -> Iterator[Finding]:
        schema = ctx.run.schema
        if schema.allow_unknown:
            return
        known = schema.known_keys
        for key in ctx.article.metadata:
            if key in known:
                continue
            hint = self.hint(ctx, key, known)
            if schema.closed:
                message = f"unknown key '{key}'" + (f" (did you mean '{hint}'?)" if hint else "")
                yield ctx.finding(self, key, message)
            elif hint and (key.lower() not in TOOL_KEYS or key.lower() in known):
                # `Tags` is Hugo's `tags` (keys are case-insensitive there), not lushbeat's
                yield ctx.finding(self, key, f"unknown key '{key}' (did you mean '{hint}'?)")

    @staticmethod
    def hint(ctx: FileContext, key: str, known: frozenset[str]) -> str | None:
        """The known key ``key`` is probably a typo of, or None (cached per run)."""
        cache = ctx.run.key_hints
        if key not in cache:
            # `end_date`, `ms.date`, `author_bio`: a known word inside a longer key is a
            # different field, not a typo.
            parts = set(re.split(r"[._\-:]", key.lower()))
            if len(parts) > 1 and parts & known:
                cache[key] = None
            else:
                from lushbeat_cli.core.fuzzy import closest_spelling

                cache[key] = closest_spelling(key, sorted(known), cutoff=80.0)
        return cache[key]


class InvalidLanguage(Rule):
    code = "LB207"
    name = "invalid-language"
    description = "`lang` is not a BCP 47 language tag (`id`, `en`, `en-US`)."
    remedy = "Use a language tag such as `id` or `en-US`."

    def check(self, ctx: FileContext) -> Iterator[Finding]:
        value = ctx.article.metadata.get("lang")
        if not isinstance(value, str) or not value.strip() or is_language_tag(value.strip()):
            return
        hint = suggest_language_tag(value)
        message = f"lang {preview(value)} is not a BCP 47 language tag"
        message += f" (did you mean '{hint}'?)" if hint else " such as 'id' or 'en-US'"
        yield ctx.finding(self, "lang", message)


def _is_scalar(value: Any) -> bool:
    return isinstance(value, str | int | float) and not isinstance(value, bool)


def _render(value: Any) -> str:
    return value.isoformat() if isinstance(value, date) else f"'{value}'"


def _count(number: int, unit: str) -> str:
    return f"{number} {unit}{'s' if number != 1 else ''}"
