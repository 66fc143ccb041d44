"""Validation rules, registered in ``RULES``: adding a rule is one class plus one line there.

A rule is a small object with a code, a name, a default severity, a one-line description and one
``check`` method; fixable rules also have ``fix`` (text in, text out, through core/editing.py).
LB1xx report what reading the file found, LB2xx check the schema (core/schema.py), LB3xx are
editorial, LB4xx compare an article with the whole content directory. Used by core/validate.py.
"""

from __future__ import annotations

import functools
import os
import re
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from functools import cached_property
from pathlib import Path
from typing import Any

from lushbeat_cli.core.article import (
    FIELD_ALIASES,
    Article,
    Status,
    is_strict_date_text,
    is_valid_slug,
    parse_loose_date,
    slug_from_path,
    slugify,
)
from lushbeat_cli.core.config import Config
from lushbeat_cli.core.findings import Finding, Severity
from lushbeat_cli.core.frontmatter_io import parse_text
from lushbeat_cli.core.links import (
    LinkResolver,
    find_links,
    local_target,
    normal_path,
    relative_link,
)
from lushbeat_cli.core.schema import (
    TOOL_KEYS,
    TYPE_NAMES,
    UNLESS_DRAFT,
    FieldSpec,
    Schema,
    ValueSpec,
    describe_type,
    is_language_tag,
    schema_error,
    source_key,
    suggest_language_tag,
    type_matches,
    value_length,
)
from lushbeat_cli.errors import ConfigError, ParseError, UsageError

ERROR, WARNING = Severity.ERROR, Severity.WARNING
TAG_CASES = ("keep", "lower")
# Posts whose body is elsewhere: a link post, or a redirect.
LINK_POST_KEYS = ("source_url", "external_url", "link", "redirect_to", "redirect_url", "redirectto")
_JEKYLL_DATE = re.compile(r"(\d{4})-(\d{2})-(\d{2})-")
# A link whose destination is no URL with a scheme or an anchor: worth parsing the body for.
_LOCAL_LINK_HINT = re.compile(
    r"\]\(\s*<?(?![A-Za-z][A-Za-z0-9+.-]*:|#)|^ {0,3}\[[^\]\n]+\]:\s*<?(?![A-Za-z][\w+.-]*:|#)",
    re.M,
)
FULL_SCANS = 200  # list items looked for through all of a key's lines, per key (item_at)
_TRAILING_PROBES = 50  # lines tried one at a time when trimming them all would change a value
_ANY_TRAILING = re.compile(r"[ \t]\r?$", re.M)


# ---------------------------------------------------------------- settings and context


@dataclass(frozen=True)
class ValidateSettings:
    """The ``[validate]`` thresholds and choices (defaults in config.SECTIONS; the rule
    selection is ``RuleSelection``)."""

    title_max_length: int
    summary_max_length: int
    similar_title_threshold: float
    tag_case: str  # "keep": dedupe ignoring case; "lower": also lower-case every tag
    tag_keys: tuple[str, ...]  # list keys the tag rules look at

    @classmethod
    def from_config(cls, config: Config) -> ValidateSettings:
        table = config.section("validate")
        for key in ("title_max_length", "summary_max_length"):
            if table[key] < 1:
                raise schema_error(config, f"validate.{key}", f"'validate.{key}' must be 1 or more")
        threshold = float(table["similar_title_threshold"])
        if not 50 <= threshold <= 100:
            raise schema_error(
                config,
                "validate.similar_title_threshold",
                "'validate.similar_title_threshold' must be between 50 and 100",
            )
        if table["tag_case"] not in TAG_CASES:
            raise schema_error(
                config,
                "validate.tag_case",
                f"'validate.tag_case' must be one of {', '.join(TAG_CASES)}, "
                f"not {table['tag_case']!r}",
            )
        keys = table["tag_keys"]
        if not all(isinstance(key, str) and key for key in keys):
            raise schema_error(config, "validate.tag_keys", "'validate.tag_keys' must list keys")
        return cls(
            title_max_length=table["title_max_length"],
            summary_max_length=table["summary_max_length"],
            similar_title_threshold=threshold,
            tag_case=table["tag_case"],
            tag_keys=tuple(keys),
        )


class Collection:
    """The whole content directory, as the collection-wide rules see it.

    ``targets`` are the articles being validated: near-duplicate titles are computed for them
    all at once, on first use.
    """

    def __init__(
        self, root: Path, articles: Sequence[Article], targets: Sequence[Article], threshold: float
    ) -> None:
        self.root = root
        self.articles = list(articles)
        self.targets = list(targets)
        self.threshold = threshold
        self.resolver = LinkResolver(self.articles, root)
        self._suggestions: dict[str, str | None] = {}

    @cached_property
    def by_slug(self) -> dict[str, list[Article]]:
        slugs: dict[str, list[Article]] = {}
        for article in self.articles:
            slugs.setdefault(article.slug, []).append(article)
        return slugs

    @cached_property
    def _similar(self) -> dict[str, list[tuple[Article, float]]]:
        from lushbeat_cli.core.similarity import near_duplicate_titles

        index = {normal_path(article.path): number for number, article in enumerate(self.articles)}
        queries = [index[key] for a in self.targets if (key := normal_path(a.path)) in index]
        titles = [article.title for article in self.articles]
        pairs = near_duplicate_titles(titles, self.threshold, queries)
        return {
            normal_path(self.articles[i].path): [(self.articles[j], s) for j, s in others]
            for i, others in pairs.items()
        }

    def similar_titles(self, article: Article) -> list[tuple[Article, float]]:
        return self._similar.get(normal_path(article.path), [])

    def closest_slug(self, word: str) -> str | None:
        """The slug ``word`` most likely meant (letter case ignored), or None."""
        if word not in self._suggestions:
            self._suggestions[word] = self._slug_matcher(word)
        return self._suggestions[word]

    @cached_property
    def _slug_matcher(self) -> Any:
        from lushbeat_cli.core.similarity import ClosestMatch

        return ClosestMatch(self.by_slug, cutoff=85.0)


@dataclass
class RunContext:
    """What every check in one run shares."""

    config: Config
    schema: Schema
    settings: ValidateSettings
    now: datetime
    collection: Collection | None = None
    key_hints: dict[str, str | None] = field(default_factory=dict)

    @cached_property
    def content_prefix(self) -> str:
        """The content dir as a normalised path, with a trailing separator."""
        return normal_path(self.config.content_path) + os.sep

    def where(self, path: Path) -> str:
        """A path for messages: relative to the project root when inside it."""
        full, root = normal_path(path), normal_path(self.config.root)
        if full.startswith(root + os.sep):
            return Path(full[len(root) + 1 :]).as_posix()
        return full


@dataclass
class FileContext:
    """One article under check: its model, the text of its front matter, the run."""

    article: Article
    head: str  # the file's text up to where the body starts
    run: RunContext
    in_collection: bool = False
    values: dict[str, tuple[str | None, Any]] = field(default_factory=dict)  # by field name
    # item_at's memory: key -> where its list items are; key -> scans from its start; line ->
    # the last line of the key that starts there.
    _item_places: dict[str, dict[str, list[tuple[int, int] | None]]] = field(default_factory=dict)
    _full_scans: dict[str, int] = field(default_factory=dict)
    _key_ends: dict[int, int] = field(default_factory=dict)

    @property
    def collection(self) -> Collection:
        """The content dir (only collection-wide rules ask, and only when there is one)."""
        assert self.run.collection is not None
        return self.run.collection

    @cached_property
    def lines(self) -> list[str]:
        return self.head.split("\n")

    @cached_property
    def start(self) -> tuple[int, int]:
        """Where the front matter opens (line, col): for findings about missing keys."""
        for number, line in enumerate(self.lines, start=1):
            if line.strip():
                return number, 1
        return 1, 1

    def at(self, key: str | None) -> tuple[int, int]:
        if key is not None and key in self.article.key_positions:
            return self.article.key_positions[key]
        return self.start

    def item_at(self, key: str, item: str, occurrence: int = 0) -> tuple[int, int]:
        """Where the ``occurrence``-th (0-based) list item ``item`` of ``key`` is written.

        The key's list is located once, each item after the one before it, so a list of
        90,000 items costs one pass over its lines, not one pass per item asked for. An item
        asked for that is not in the list as written is looked for from the key's start, at
        most FULL_SCANS times per key (then, as when nothing is found, the key's position).
        """
        line, col = self.at(key)
        if key not in self.article.key_positions:
            return line, col
        places = self._item_places.get(key)
        if places is None:
            places = self._item_places[key] = self._locate_items(key)
        found = places.get(item, [])
        if occurrence < len(found) and found[occurrence] is not None:
            return found[occurrence]  # type: ignore[return-value]
        if self._full_scans.get(key, 0) >= FULL_SCANS:
            return line, col
        self._full_scans[key] = self._full_scans.get(key, 0) + 1
        match = self._find_item(key, _item_pattern(item), (line, col + len(key)), occurrence)
        return (line, col) if match is None else self._column(match)

    def _locate_items(self, key: str) -> dict[str, list[tuple[int, int] | None]]:
        """Item (as written, and stripped) -> where each list item holding it is, in order."""
        places: dict[str, list[tuple[int, int] | None]] = {}
        value = self.article.metadata.get(key)
        if not isinstance(value, list):
            return places
        line, col = self.at(key)
        cursor = (line, col + len(key))
        misses = 0
        for element in value:
            if isinstance(element, dict | list):
                continue
            text = element.strip() if isinstance(element, str) else str(element)
            where = None
            if text and misses < FULL_SCANS:
                match = self._find_item(key, _item_pattern(text), cursor, 0)
                if match is None:
                    misses += 1  # not written as it reads (escaped): it costs a scan
                else:
                    cursor = (match[0], match[2])
                    where = self._column(match)
            for name in dict.fromkeys((text, str(element))):
                places.setdefault(name, []).append(where)
        return places

    def _find_item(
        self, key: str, pattern: re.Pattern[str], after: tuple[int, int], occurrence: int
    ) -> tuple[int, int, int] | None:
        """(line, 0-based start, end) of the ``occurrence``-th match after ``after`` (line,
        0-based offset), within the key's lines."""
        last = self._key_end(key)
        first, offset = after
        seen = 0
        for number in range(first, last + 1):
            text = self.lines[number - 1] if number - 1 < len(self.lines) else ""
            for match in pattern.finditer(text, offset if number == first else 0):
                if seen == occurrence:
                    return number, match.start(), match.end()
                seen += 1
        return None

    def _column(self, match: tuple[int, int, int]) -> tuple[int, int]:
        """(line, 1-based column) of a match, on its opening quote when it has one."""
        number, begin, _ = match
        text = self.lines[number - 1]
        if begin and text[begin - 1] in "\"'":
            begin -= 1
        return number, begin + 1

    def _key_end(self, key: str) -> int:
        """The last line of a key's value: the line before the next key (or the last line)."""
        ends = self._key_ends
        if not ends:
            starts = sorted({position[0] for position in self.article.key_positions.values()})
            for start, following in zip(starts, [*starts[1:], len(self.lines) + 1], strict=True):
                ends[start] = following - 1
        return ends.get(self.at(key)[0], len(self.lines))

    def finding(
        self,
        rule: Rule,
        where: str | tuple[int, int] | None,
        message: str,
        *,
        fixable: bool = False,
    ) -> Finding:
        line, col = where if isinstance(where, tuple) else self.at(where)
        return Finding(
            self.article.path, line, col, rule.code, message, rule.severity, fixable=fixable
        )


# ---------------------------------------------------------------- the rule protocol


class Rule:
    """One check. Subclasses set the class attributes and implement ``check``."""

    code: str = ""
    name: str = ""
    severity: Severity = ERROR
    description: str = ""  # one line, for the docs and `--list-rules`
    remedy: str = ""  # what fixes it
    fixable: bool = False  # has a safe `fix`
    needs_collection: bool = False  # compares with the whole content directory

    def check(self, ctx: FileContext) -> Iterator[Finding]:
        raise NotImplementedError

    def fix(self, text: str, ctx: FileContext) -> str:
        """The file's text with this rule's findings repaired (only for fixable rules)."""
        return text


class ParseRule(Rule):
    """A problem met while reading the file (core/frontmatter_io.py raises or warns with it)."""

    def __init__(
        self, code: str, name: str, severity: Severity, description: str, remedy: str
    ) -> None:
        self.code, self.name, self.severity = code, name, severity
        self.description, self.remedy = description, remedy

    def check(self, ctx: FileContext) -> Iterator[Finding]:
        for finding in ctx.article.findings:
            if finding.code == self.code:
                yield finding


def parse_error_finding(error: ParseError) -> Finding:
    """A file that could not be read at all, as a finding."""
    return Finding(
        error.path or Path("?"), error.line or 1, error.col or 1, error.code, error.message
    )


# ---------------------------------------------------------------- LB2xx schema


def _field_values(ctx: FileContext, spec: FieldSpec) -> tuple[str | None, Any]:
    """The key a schema field is written under in this article, and its value."""
    found = ctx.values.get(spec.name)
    if found is None:
        key = source_key(ctx.article.metadata, spec.name)
        found = ctx.values[spec.name] = (key, ctx.article.metadata.get(key) if key else None)
    return found


def _specs(ctx: FileContext) -> Iterable[FieldSpec]:
    return ctx.run.schema.fields.values()


def _present(ctx: FileContext) -> Iterator[tuple[FieldSpec, str, Any]]:
    """``(spec, key, value)`` for each schema field this article has a value for."""
    for spec in _specs(ctx):
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
        for spec in _specs(ctx):
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
                f"not {describe_type(item)} ({_preview(item)})",
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
        for spec in _specs(ctx):
            if not spec.required:
                continue
            if spec.required == UNLESS_DRAFT and (
                article.declared_status is Status.DRAFT or _is_section_page(article.path)
            ):
                continue
            key, value = _field_values(ctx, spec)
            if key is not None and not _is_empty(value):
                continue
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
        from lushbeat_cli.core.editing import set_field

        for spec in _specs(ctx):
            key, value = _field_values(ctx, spec)
            if spec.required and (key is None or _is_empty(value)):
                fix = _missing_value(ctx, spec.name)
                if fix is not None:
                    text = set_field(text, key or spec.name, fix)
        return text


def _typo_of(ctx: FileContext, name: str) -> str | None:
    """A key of this article that looks like a misspelling of field ``name``."""
    known = ctx.run.schema.known_keys
    for key in ctx.article.metadata:
        if key not in known and UnknownKey.hint(ctx, key, known) == name:
            return key
    return None


def _is_section_page(path: Path) -> bool:
    """Hugo's list pages (``_index.md``): no date, often no body."""
    return path.stem == "_index"


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
        from lushbeat_cli.core.similarity import closest_spelling

        shown = ", ".join(str(choice) for choice in choices[:8])
        if len(choices) > 8:
            shown += ", ..."
        message = f"{key} {_preview(item)} is not one of: {shown}"
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
                    f"{key} {_preview(value)} does not match {spec.pattern.pattern!r}",
                )
            items = spec.items
            if items and items.pattern is not None and isinstance(value, list):
                for item in value:
                    if _is_scalar(item) and not items.pattern.fullmatch(str(item)):
                        yield ctx.finding(
                            self,
                            ctx.item_at(key, str(item)),
                            f"{key} item {_preview(item)} does not match {items.pattern.pattern!r}",
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
                        yield ctx.finding(self, where, f"{key} item {_preview(item)} {problem}")


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
                from lushbeat_cli.core.similarity import closest_spelling

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
        message = f"lang {_preview(value)} is not a BCP 47 language tag"
        message += f" (did you mean '{hint}'?)" if hint else " such as 'id' or 'en-US'"
        yield ctx.finding(self, "lang", message)


# ---------------------------------------------------------------- LB3xx editorial


class TitleTooLong(Rule):
    code = "LB301"
    name = "title-too-long"
    severity = WARNING
    description = "The title is longer than `title_max_length` (70 characters)."
    remedy = "Shorten the title (search results cut long titles)."

    def check(self, ctx: FileContext) -> Iterator[Finding]:
        limit = ctx.run.settings.title_max_length
        length = len(ctx.article.title)
        if length > limit:
            key = source_key(ctx.article.metadata, "title")
            yield ctx.finding(self, key, f"title is {length} characters long (more than {limit})")


class SummaryTooLong(Rule):
    code = "LB302"
    name = "summary-too-long"
    severity = WARNING
    description = "The summary is longer than `summary_max_length` (160 characters)."
    remedy = "Shorten the summary (it is the description search engines show)."

    def check(self, ctx: FileContext) -> Iterator[Finding]:
        limit = ctx.run.settings.summary_max_length
        summary = ctx.article.summary or ""
        key = source_key(ctx.article.metadata, "summary")
        # Jekyll's `excerpt` is the article's opening paragraph, not a one-line summary.
        if len(summary) > limit and key != "excerpt":
            yield ctx.finding(
                self, key, f"{key} is {len(summary)} characters long (more than {limit})"
            )


class EmptyBody(Rule):
    code = "LB303"
    name = "empty-body"
    severity = WARNING
    description = "A published article has no text (section pages and link posts are exempt)."
    remedy = "Write the article, or mark it as a draft."

    def check(self, ctx: FileContext) -> Iterator[Finding]:
        article = ctx.article
        if article.body.strip() or article.declared_status is Status.DRAFT:
            return
        if _is_section_page(article.path):
            return
        if any(article.metadata.get(key) for key in LINK_POST_KEYS):
            return
        yield ctx.finding(self, (article.body_line, 1), "the article has no text")


class InvalidSlug(Rule):
    code = "LB304"
    name = "invalid-slug"
    description = "The `slug` is not lower-case letters, digits and single hyphens."
    remedy = "Use the suggested slug (URLs with spaces, capitals or accents break easily)."

    def check(self, ctx: FileContext) -> Iterator[Finding]:
        raw = ctx.article.metadata.get("slug")
        if not isinstance(raw, str) or not raw.strip():
            return
        slug = raw.strip()
        if not is_valid_slug(slug):
            yield ctx.finding(
                self,
                "slug",
                f"slug {_preview(slug)} is not a valid slug (lower-case letters, digits and "
                f"hyphens; e.g. '{slugify(slug)}')",
            )


class FileNameMismatch(Rule):
    code = "LB305"
    name = "file-name-mismatch"
    severity = WARNING
    description = "The file name does not match the slug, where `path_pattern` puts the slug."
    remedy = "Rename the file after the slug (or the slug after the file)."

    def check(self, ctx: FileContext) -> Iterator[Finding]:
        article = ctx.article
        if "slug" not in article.metadata or not ctx.in_collection:
            return
        shape = _pattern_shape(ctx.run.config.path_pattern)
        full = normal_path(article.path)
        if shape is None or not full.startswith(ctx.run.content_prefix):
            return
        match = shape.fullmatch(Path(full[len(ctx.run.content_prefix) :]).as_posix())
        if match and match.group("slug") != article.slug:
            yield ctx.finding(
                self,
                "slug",
                f"slug '{article.slug}' does not match the file name "
                f"(path_pattern '{ctx.run.config.path_pattern}' puts the slug there)",
            )


@functools.lru_cache(maxsize=8)
def _pattern_shape(pattern: str) -> re.Pattern[str] | None:
    """A regex for paths laid out by ``path_pattern``, capturing the slug; None without one."""
    if "{slug}" not in pattern:
        return None
    fields = {
        "year": r"\d{4}",
        "month": r"\d{2}",
        "day": r"\d{2}",
        "slug": r"(?P<slug>[^/]+)",
        "category": r"[^/]+",
        "lang": r"[^/]+",
    }
    parts = re.split(r"(\{[a-z]+\})", pattern)
    regex = ""
    for part in parts:
        name = part[1:-1]
        if part.startswith("{") and name in fields:
            regex += fields[name]
            fields[name] = f"(?P={name})" if name == "slug" else fields[name]
        else:
            regex += re.escape(part)
    try:
        return re.compile(regex)
    except re.error:
        return None


class UpdatedBeforeDate(Rule):
    code = "LB306"
    name = "updated-before-date"
    description = "`updated` is earlier than `date`."
    remedy = "Correct whichever date is wrong."

    def check(self, ctx: FileContext) -> Iterator[Finding]:
        article = ctx.article
        if article.date and article.updated and article.updated < article.date:
            key = source_key(article.metadata, "updated")
            yield ctx.finding(
                self,
                key,
                f"'{key}' ({article.updated.isoformat()}) is before 'date' "
                f"({article.date.isoformat()})",
            )


class FuturePublished(Rule):
    code = "LB307"
    name = "future-published"
    severity = WARNING
    description = "`status: published` but dated in the future, without `status: scheduled`."
    remedy = "Set `status: scheduled` if the article is meant to appear later, else fix the date."

    def check(self, ctx: FileContext) -> Iterator[Finding]:
        article = ctx.article
        declared = article.metadata.get("status")
        if not isinstance(declared, str) or declared.strip().lower() != Status.PUBLISHED:
            return
        if article.date is not None and article.date > ctx.run.now:
            yield ctx.finding(
                self,
                source_key(article.metadata, "date"),
                f"dated {article.date.isoformat()}, in the future, but status is 'published' "
                "(use status: scheduled if that is intended)",
            )


class DuplicateTag(Rule):
    code = "LB308"
    name = "duplicate-tag"
    severity = WARNING
    description = "A tag appears twice, maybe differing only by case or spacing."
    remedy = "Remove the duplicate; `--fix` does it (keeping the first spelling)."
    fixable = True

    def check(self, ctx: FileContext) -> Iterator[Finding]:
        for key, tags in _tag_lists(ctx):
            seen: dict[str, str] = {}
            occurrences: dict[str, int] = {}
            for tag in tags:
                index = occurrences.get(tag.strip(), 0)  # (the items are located stripped)
                occurrences[tag.strip()] = index + 1
                identity = _tag_identity(tag)
                if identity in seen:
                    first = seen[identity]
                    same = "" if first == tag else f" (same as '{first}')"
                    yield ctx.finding(
                        self,
                        ctx.item_at(key, tag.strip(), index),
                        f"{key}: '{tag}' is listed twice{same}",
                        fixable=True,
                    )
                else:
                    seen[identity] = tag

    def fix(self, text: str, ctx: FileContext) -> str:
        return fix_tags(text, ctx)


class UnnormalisedTag(Rule):
    code = "LB309"
    name = "unnormalised-tag"
    severity = WARNING
    description = (
        'A tag has stray spaces, or is not lower-case when `[validate] tag_case = "lower"`.'
    )
    remedy = "`--fix` trims and lower-cases tags as configured."
    fixable = True

    def check(self, ctx: FileContext) -> Iterator[Finding]:
        case = ctx.run.settings.tag_case
        for key, tags in _tag_lists(ctx):
            occurrences: dict[str, int] = {}
            for tag in tags:
                index = occurrences.get(tag.strip(), 0)
                occurrences[tag.strip()] = index + 1
                normal = _normal_tag(tag, case)
                if normal == tag:
                    continue
                what = "has stray spaces" if " ".join(tag.split()) != tag else "is not lower-case"
                yield ctx.finding(
                    self,
                    ctx.item_at(key, tag.strip(), index),
                    f"{key}: {_preview(tag)} {what} (--fix writes '{normal}')",
                    fixable=True,
                )

    def fix(self, text: str, ctx: FileContext) -> str:
        return fix_tags(text, ctx)


def _tag_lists(ctx: FileContext) -> Iterator[tuple[str, list[str]]]:
    """``(key, tags)`` for every tag-like key holding a list of text (or tags as a string)."""
    for key in ctx.run.settings.tag_keys:
        raw = ctx.article.metadata.get(key)
        if isinstance(raw, str) and key == "tags":
            yield key, [part for part in raw.split(",") if part.strip()]
        elif isinstance(raw, list) and raw and all(isinstance(item, str) for item in raw):
            yield key, raw


def _tag_identity(tag: str) -> str:
    return "".join(tag.casefold().split())


def _normal_tag(tag: str, case: str) -> str:
    text = " ".join(tag.split())
    return text.lower() if case == "lower" else text


def fix_tags(text: str, ctx: FileContext) -> str:
    """Every tag list trimmed, de-duplicated (first spelling wins) and cased as configured."""
    from lushbeat_cli.core.editing import set_field

    case = ctx.run.settings.tag_case
    for key, tags in _tag_lists(ctx):
        normal: list[str] = []
        seen: set[str] = set()
        for tag in tags:
            identity = _tag_identity(tag)
            if identity and identity not in seen:
                seen.add(identity)
                normal.append(_normal_tag(tag, case))
        if normal != ctx.article.metadata.get(key):
            text = set_field(text, key, normal)
    return text


class NonIsoDate(Rule):
    code = "LB310"
    name = "non-iso-date"
    severity = WARNING
    description = (
        "A date is readable only leniently (`2019-03-26 9:38:00 -0500`, `2015-03-17 14:00 -4`)."
    )
    remedy = "`--fix` rewrites it in ISO 8601 (`2019-03-26T09:38:00-05:00`), same moment."
    fixable = True

    def check(self, ctx: FileContext) -> Iterator[Finding]:
        for key, value in self._loose(ctx):
            yield ctx.finding(
                self,
                key,
                f"'{key}' {_preview(ctx.article.metadata[key])} is not ISO 8601 "
                f"(--fix writes {value.isoformat()})",
                fixable=True,
            )

    def fix(self, text: str, ctx: FileContext) -> str:
        from lushbeat_cli.core.editing import set_field

        for key, value in self._loose(ctx):
            text = set_field(text, key, value)
        return text

    @staticmethod
    def _loose(ctx: FileContext) -> Iterator[tuple[str, date | datetime]]:
        metadata = ctx.article.metadata
        keys = {"date", "updated", *(a for a, t in FIELD_ALIASES.items() if t == "updated")}
        keys.update(spec.name for spec in _specs(ctx) if spec.type == "date")
        for key in sorted(keys):
            raw = metadata.get(key)
            if isinstance(raw, str) and raw.strip() and not is_strict_date_text(raw):
                value = parse_loose_date(raw)
                if value is not None:
                    yield key, value


class TrailingWhitespace(Rule):
    code = "LB311"
    name = "trailing-whitespace"
    severity = WARNING
    description = "A front-matter line ends with spaces or tabs (where trimming changes no value)."
    remedy = "`--fix` trims them; nothing else on the line changes."
    fixable = True

    def check(self, ctx: FileContext) -> Iterator[Finding]:
        if not _ANY_TRAILING.search(ctx.head):
            return
        found = trailing_whitespace(ctx.head, ctx.article.path)
        if found:
            message = "trailing whitespace in the front matter"
            if len(found) > 1:
                message += f" (lines {', '.join(str(line) for line, _ in found)})"
            yield ctx.finding(self, found[0], message, fixable=True)

    def fix(self, text: str, ctx: FileContext) -> str:
        return trim_trailing_whitespace(text, ctx.article.path)


def trailing_whitespace(text: str, path: Path) -> list[tuple[int, int]]:
    """(line, col) of front-matter lines whose trailing blanks can go without changing a value
    (in a YAML block scalar or a TOML multi-line string they are content, and stay)."""
    try:
        front = parse_text(text, path)
    except ParseError:
        return []
    lines = text.split("\n")
    first = next((i for i, line in enumerate(lines) if line.strip()), 0)
    candidates = [
        index
        for index in range(first, min(front.body_line - 1, len(lines)))
        if _trailing_blanks(lines[index]) is not None
    ]
    if not candidates:
        return []

    def same_after(indexes: Iterable[int]) -> bool:
        trial = list(lines)
        for index in indexes:
            trial[index] = _without_trailing_blanks(trial[index])
        try:
            return parse_text("\n".join(trial), path).metadata == front.metadata
        except ParseError:
            return False

    if same_after(candidates):
        safe = candidates
    elif len(candidates) <= _TRAILING_PROBES:
        safe = [index for index in candidates if same_after([index])]
    else:
        safe = []  # too many lines to try one by one (a huge block scalar): leave them all
    result = []
    for index in safe:
        start = _trailing_blanks(lines[index])
        assert start is not None
        result.append((index + 1, start + 1))
    return result


def trim_trailing_whitespace(text: str, path: Path) -> str:
    """``text`` with the safe trailing blanks of its front matter removed; line endings kept."""
    lines = text.split("\n")
    for line, _ in trailing_whitespace(text, path):
        lines[line - 1] = _without_trailing_blanks(lines[line - 1])
    return "\n".join(lines)


def _trailing_blanks(line: str) -> int | None:
    """Where the spaces and tabs at the end of ``line`` (before a CR) start, or None. (The
    regex ``[ \t]+(?=\r?$)`` would try from each blank of a long run: its length squared.)"""
    end = len(line) - 1 if line.endswith("\r") else len(line)
    start = len(line[:end].rstrip(" \t"))
    return start if start < end else None


def _without_trailing_blanks(line: str) -> str:
    start = _trailing_blanks(line)
    if start is None:
        return line
    return line[:start] + ("\r" if line.endswith("\r") else "")


# ---------------------------------------------------------------- LB4xx collection


class DuplicateSlug(Rule):
    code = "LB401"
    name = "duplicate-slug"
    description = (
        "Another article in the content dir has the same slug (translations may share one)."
    )
    remedy = "Give one of the articles another slug (and file name)."
    needs_collection = True

    def check(self, ctx: FileContext) -> Iterator[Finding]:
        collection = ctx.collection
        article = ctx.article
        mine = normal_path(article.path)
        others = [
            other
            for other in collection.by_slug.get(article.slug, [])
            if normal_path(other.path) != mine and not _translations(article, other)
        ]
        if not others:
            return
        source = "" if "slug" in article.metadata else " (from the file name)"
        message = f"slug '{article.slug}'{source} is also used by {ctx.run.where(others[0].path)}"
        if len(others) > 1:
            message += f" and {len(others) - 1} more"
        yield ctx.finding(self, "slug", message)


@functools.lru_cache(maxsize=1024)
def _item_pattern(item: str) -> re.Pattern[str]:
    """A list item as written: not part of a longer word or hyphenated name."""
    return re.compile(r"(?<![\w-])" + re.escape(item) + r"(?![\w-])")


def _translations(one: Article, other: Article) -> bool:
    """Two language versions of one story may share a slug (content/en/x.md, content/id/x.md)."""
    return bool(one.lang and other.lang and one.lang.lower() != other.lang.lower())


class SimilarTitle(Rule):
    code = "LB402"
    name = "similar-title"
    severity = WARNING
    description = (
        "Another article's title is nearly identical (`similar_title_threshold`, default 95)."
    )
    remedy = "Check for a duplicate story; reword one of the titles if both should stay."
    needs_collection = True

    def check(self, ctx: FileContext) -> Iterator[Finding]:
        collection = ctx.collection
        similar = collection.similar_titles(ctx.article)
        if not similar:
            return
        other, score = similar[0]
        same = "the same as" if score >= 100 else f"{score:.0f}% similar to"
        message = f"title is {same} the title of {ctx.run.where(other.path)}"
        if score < 100:
            message += f" ({_preview(other.title)})"
        if len(similar) > 1:
            message += f" and {len(similar) - 1} more"
        yield ctx.finding(self, source_key(ctx.article.metadata, "title"), message)


class UnknownRelated(Rule):
    code = "LB403"
    name = "unknown-related"
    description = "A `related:` entry names no article in the content directory."
    remedy = "Use an existing article's slug (or `.md` path)."
    needs_collection = True

    def check(self, ctx: FileContext) -> Iterator[Finding]:
        collection = ctx.collection
        key = source_key(ctx.article.metadata, "related")
        if key is None:
            return
        for entry in ctx.article.related:
            target = local_target(entry) if entry.lower().endswith((".md", ".markdown")) else None
            if target is not None:
                if collection.resolver.resolve(target, ctx.article.path) is not None:
                    continue
            elif entry in collection.by_slug:
                continue
            message = f"related '{entry}' names no article"
            hint = collection.closest_slug(Path(entry).stem if target else entry)
            if hint:
                message += f" (did you mean '{hint}'?)"
            yield ctx.finding(self, ctx.item_at(key, entry), message)


class DeadLink(Rule):
    code = "LB404"
    name = "dead-link"
    description = "A Markdown link to a local article (`../07/x.md`, `/slug`) leads nowhere."
    remedy = "Point the link at an existing article (the message suggests the closest)."
    needs_collection = True

    def check(self, ctx: FileContext) -> Iterator[Finding]:
        collection = ctx.collection
        article = ctx.article
        if not _LOCAL_LINK_HINT.search(article.body):
            return
        for link in find_links(article.body, article.body_line):
            target = local_target(link.target)
            if target is None or collection.resolver.exists(target, article.path):
                continue
            if target.kind == "path":
                message = f"link '{link.target}' leads to no file"
                meant = collection.resolver.resolve(target, article.path, ignore_case=True)
                hint = None if meant else collection.closest_slug(Path(target.value).stem)
                if meant is not None:
                    suggestion = relative_link(article.path, meant.path)
                    message += f" (letter case differs: '{suggestion}')"
                elif hint:
                    suggestion = relative_link(article.path, collection.by_slug[hint][0].path)
                    message += f" (did you mean '{suggestion}'?)"
            else:
                message = f"link '{link.target}' names no article, alias or section"
                hint = collection.closest_slug(target.value)
                if hint:
                    message += f" (did you mean '/{hint}'?)"
            yield ctx.finding(self, (link.line, link.col), message)


# ---------------------------------------------------------------- the registry

RULES: tuple[Rule, ...] = (
    ParseRule(
        "LB101",
        "no-front-matter",
        ERROR,
        "The file does not start with front matter (`---`, `+++` or `{`).",
        "Add front matter, or keep non-articles out of the content dir (`--ignore LB101`).",
    ),
    ParseRule(
        "LB102",
        "unterminated-front-matter",
        ERROR,
        "The front matter is opened but never closed.",
        "Add the closing `---` / `+++` line (or close the JSON object).",
    ),
    ParseRule(
        "LB103",
        "not-a-mapping",
        ERROR,
        "The front matter is a list or a single value, not `key: value` pairs.",
        "Write the front matter as keys and values.",
    ),
    ParseRule(
        "LB104",
        "syntax-error",
        ERROR,
        "The YAML, TOML or JSON front matter has a syntax error (at its line and column).",
        "Fix the syntax at the position shown (often a `:` or quote in an unquoted value).",
    ),
    ParseRule(
        "LB105",
        "duplicate-key",
        ERROR,
        "A key appears twice (YAML keeps only the last value, silently).",
        "Remove one of the two entries.",
    ),
    ParseRule(
        "LB106",
        "unsafe-yaml-tag",
        ERROR,
        "A YAML tag such as `!!python/object` (reported, never executed).",
        "Remove the tag; front matter holds plain values.",
    ),
    ParseRule(
        "LB107",
        "alias-bomb",
        ERROR,
        "YAML aliases expand to too many values, or nesting is too deep.",
        "Remove the aliases; write the values out.",
    ),
    ParseRule(
        "LB108",
        "not-utf8",
        ERROR,
        "The file is not valid UTF-8.",
        "Re-save the file as UTF-8.",
    ),
    ParseRule(
        "LB109",
        "byte-order-mark",
        WARNING,
        "The file starts with a UTF-8 byte order mark (BOM).",
        "Re-save the file as UTF-8 without BOM.",
    ),
    ParseRule(
        "LB110",
        "binary-file",
        ERROR,
        "The file contains NUL bytes: binary content, not an article.",
        "Move the file out of the content dir.",
    ),
    ParseRule(
        "LB111",
        "file-too-large",
        ERROR,
        "The file is larger than `max_file_size`; it is not read.",
        "Split the file, or raise `max_file_size`.",
    ),
    ParseRule(
        "LB112",
        "unreadable",
        ERROR,
        "The file cannot be read (missing, a directory, no permission).",
        "Check the path and its permissions.",
    ),
    ParseRule(
        "LB113",
        "empty-file",
        ERROR,
        "The file is empty.",
        "Write the article, or delete the file.",
    ),
    ParseRule(
        "LB114",
        "blank-lines-before-front-matter",
        WARNING,
        "Blank lines come before the front matter (many tools then miss it).",
        "Delete the blank lines at the top.",
    ),
    InvalidValue(),
    MissingField(),
    NotAChoice(),
    PatternMismatch(),
    LengthOutOfRange(),
    UnknownKey(),
    InvalidLanguage(),
    TitleTooLong(),
    SummaryTooLong(),
    EmptyBody(),
    InvalidSlug(),
    FileNameMismatch(),
    UpdatedBeforeDate(),
    FuturePublished(),
    DuplicateTag(),
    UnnormalisedTag(),
    NonIsoDate(),
    TrailingWhitespace(),
    DuplicateSlug(),
    SimilarTitle(),
    UnknownRelated(),
    DeadLink(),
)
RULES_BY_CODE: dict[str, Rule] = {rule.code: rule for rule in RULES}


# ---------------------------------------------------------------- selection


@dataclass(frozen=True)
class RuleSelection:
    """The enabled rules and their effective severities."""

    severities: dict[str, Severity]

    def enabled(self, code: str) -> bool:
        return code in self.severities

    def rules(self) -> list[Rule]:
        return [rule for rule in RULES if rule.code in self.severities]

    def apply(self, finding: Finding) -> Finding | None:
        """The finding with its effective severity, or None when its rule is off."""
        severity = self.severities.get(finding.code)
        if severity is None:
            if finding.code in RULES_BY_CODE:
                return None
            severity = finding.severity  # a code no rule claims (e.g. LB100): keep it
        if severity is finding.severity:
            return finding
        return Finding(
            finding.path,
            finding.line,
            finding.col,
            finding.code,
            finding.message,
            severity,
            fixable=finding.fixable,
        )


SEVERITY_CHOICES = ("error", "warning", "off")


def select_rules(
    config: Config, select: Sequence[str] | None = None, ignore: Sequence[str] = ()
) -> RuleSelection:
    """Enabled rules from ``[validate]`` and the ``--select`` / ``--ignore`` flags.

    Selectors are codes (``LB301``), prefixes (``LB3``, ``LB``), names (``title-too-long``) or
    ``ALL``. Flags replace the config's ``select`` and add to its ``ignore``. For each rule the
    most specific selector decides; on a tie, ignore wins. ``[validate.severity]`` sets
    ``error``, ``warning`` or ``off`` per code or prefix.
    """
    table = config.section("validate")
    for key in ("select", "ignore"):
        for item in table[key]:
            if not isinstance(item, str):
                raise schema_error(config, f"validate.{key}", f"'validate.{key}' must list codes")
    config_select = [
        _check_selector(item, lambda m: schema_error(config, "validate.select", m), "select")
        for item in table["select"]
    ]
    config_ignore = [
        _check_selector(item, lambda m: schema_error(config, "validate.ignore", m), "ignore")
        for item in table["ignore"]
    ]
    flag_select = [_check_selector(item, UsageError, "--select") for item in select or ()]
    flag_ignore = [_check_selector(item, UsageError, "--ignore") for item in ignore]
    chosen = flag_select or config_select or ["ALL"]
    ignored = config_ignore + flag_ignore
    overrides = _severity_overrides(config, table["severity"])
    severities: dict[str, Severity] = {}
    for rule in RULES:
        selected = max((_specificity(s, rule) for s in chosen), default=-1)
        dropped = max((_specificity(s, rule) for s in ignored), default=-1)
        if selected < 0 or dropped >= selected:
            continue
        level = max(overrides, key=lambda item: _specificity(item[0], rule), default=None)
        if level is not None and _specificity(level[0], rule) >= 0:
            if level[1] == "off":
                continue
            severities[rule.code] = Severity(level[1])
        else:
            severities[rule.code] = rule.severity
    return RuleSelection(severities)


def _severity_overrides(config: Config, table: Any) -> list[tuple[str, str]]:
    overrides = []
    for selector, level in table.items():
        where = f"validate.severity.{selector}"

        def error(message: str, where: str = where) -> ConfigError:
            return schema_error(config, where, message)

        if level not in SEVERITY_CHOICES:
            raise error(f"'{where}' must be one of {', '.join(SEVERITY_CHOICES)}, not {level!r}")
        overrides.append((_check_selector(selector, error, "[validate.severity]"), level))
    return overrides


def _check_selector(selector: str, error: Any, source: str) -> str:
    """The selector, normalised; an unknown one raises ``error(message)`` with a hint."""
    text = selector.strip()
    if text.upper() == "ALL":
        return "ALL"
    if text.lower() in {rule.name for rule in RULES}:
        return text.lower()
    code = text.upper()
    if re.fullmatch(r"LB\d{0,3}", code) and any(r.code.startswith(code) for r in RULES):
        return code
    from lushbeat_cli.core.similarity import closest_spelling

    group = [c for c in RULES_BY_CODE if re.fullmatch(r"LB\d+", code) and c[:3] == code[:3]]
    choices = group or [*RULES_BY_CODE, *(rule.name for rule in RULES)]
    hint = closest_spelling(text, choices, cutoff=60.0)
    message = f"{source}: unknown rule {selector!r}"
    message += (
        f" (did you mean '{hint}'?)" if hint else " (codes look like LB301, or LB3 for a group)"
    )
    raise error(message)


def _specificity(selector: str, rule: Rule) -> int:
    """How precisely ``selector`` names ``rule`` (longer is more specific); -1 if it does not."""
    if selector == "ALL":
        return 0
    if selector == rule.name:
        return len(rule.code)
    return len(selector) if rule.code.startswith(selector) else -1


# ---------------------------------------------------------------- helpers


def _is_scalar(value: Any) -> bool:
    return isinstance(value, str | int | float) and not isinstance(value, bool)


def _preview(value: Any) -> str:
    text = f"'{value}'" if isinstance(value, str) else repr(value)
    return text if len(text) <= 50 else text[:47] + "..."


def _render(value: Any) -> str:
    return value.isoformat() if isinstance(value, date) else f"'{value}'"


def _count(number: int, unit: str) -> str:
    return f"{number} {unit}{'s' if number != 1 else ''}"
