"""LB3xx: editorial rules (title and summary length, slugs, dates, tags, whitespace) and their
safe fixes."""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable, Iterator
from datetime import date, datetime
from pathlib import Path

from lushbeat_cli.core.article import (
    Article,
    Status,
    is_strict_date_text,
    is_valid_slug,
    parse_loose_date,
    slugify,
)
from lushbeat_cli.core.fields import DEFAULT_FIELDS, FieldMap
from lushbeat_cli.core.findings import Finding
from lushbeat_cli.core.links import normal_path
from lushbeat_cli.core.reading.frontmatter import parse_text
from lushbeat_cli.core.rules.base import (
    WARNING,
    FileContext,
    Rule,
    is_section_page,
    preview,
    schema_fields,
)
from lushbeat_cli.errors import ParseError

# Posts whose body is elsewhere: a link post, or a redirect.
LINK_POST_KEYS = ("source_url", "external_url", "link", "redirect_to", "redirect_url", "redirectto")
_TRAILING_PROBES = 50  # lines tried one at a time when trimming them all would change a value
_ANY_TRAILING = re.compile(r"[ \t]\r?$", re.M)


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
            key = ctx.key_of("title")
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
        key = ctx.key_of("summary")
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
        if is_section_page(article.path):
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
        key = ctx.key_of("slug")
        raw = ctx.article.metadata.get(key) if key else None
        if not isinstance(raw, str) or not raw.strip():
            return
        slug = raw.strip()
        # Docusaurus writes a path (`slug: /docs/intro`): each of its parts must be a slug.
        parts = slug.strip("/").split("/") if slug.startswith("/") else [slug]
        if not all(is_valid_slug(part) for part in parts if part):
            yield ctx.finding(
                self,
                key,
                f"{key} {preview(slug)} is not a valid slug (lower-case letters, digits and "
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
        key = ctx.key_of("slug")
        if key is None or not ctx.in_collection:
            return
        shape = _pattern_shape(ctx.run.config.path_pattern)
        full = normal_path(article.path)
        if shape is None or not full.startswith(ctx.run.content_prefix):
            return
        match = shape.fullmatch(Path(full[len(ctx.run.content_prefix) :]).as_posix())
        if match and match.group("slug") != article.slug:
            yield ctx.finding(
                self,
                key,
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
            key = ctx.key_of("updated")
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
                ctx.key_of("date"),
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
                    f"{key}: {preview(tag)} {what} (--fix writes '{normal}')",
                    fixable=True,
                )

    def fix(self, text: str, ctx: FileContext) -> str:
        return fix_tags(text, ctx)


def _tag_lists(ctx: FileContext) -> Iterator[tuple[str, list[str]]]:
    """``(key, tags)`` for every tag-like key holding a list of text (or tags as a string):
    the keys tags are read from (``[fields] tags``) and ``[validate] tag_keys``."""
    mapped = ctx.run.config.fields.keys_of("tags")
    for key in dict.fromkeys((*mapped, *ctx.run.settings.tag_keys)):
        raw = ctx.article.metadata.get(key)
        if isinstance(raw, str) and key in mapped:
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
    from lushbeat_cli.core.edit import set_field

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
                f"'{key}' {preview(ctx.article.metadata[key])} is not ISO 8601 "
                f"(--fix writes {value.isoformat()})",
                fixable=True,
            )

    def fix(self, text: str, ctx: FileContext) -> str:
        from lushbeat_cli.core.edit import set_field

        for key, value in self._loose(ctx):
            text = set_field(text, key, value)
        return text

    @staticmethod
    def _loose(ctx: FileContext) -> Iterator[tuple[str, date | datetime]]:
        metadata = ctx.article.metadata
        fields = ctx.run.config.fields
        keys = {*fields.keys_of("date"), *fields.keys_of("updated"), *fields.keys_of("expires")}
        keys.update(spec.name for spec in schema_fields(ctx) if spec.type == "date")
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


# Fields a published story is expected to fill in; an empty string there was left blank (the
# built-in and init templates write them as ""), besides every field the schema declares.
WANTED_FIELDS = ("title", "author", "category", "summary")


class UnfinishedStory(Rule):
    code = "LB312"
    name = "unfinished-story"
    severity = WARNING
    description = (
        "A published or scheduled article still holds a line of a template (its placeholder "
        "text), an unfilled {{ field }}, or an empty string in a field it should have."
    )
    remedy = "Write the story (or fill in the field), or keep the article a draft."

    def check(self, ctx: FileContext) -> Iterator[Finding]:
        if ctx.article.status is Status.DRAFT:
            return
        wanted = (*WANTED_FIELDS, *ctx.run.schema.fields)
        for where, message in unfinished_parts(
            ctx.article, ctx.run.placeholders, wanted, ctx.run.config.fields
        ):
            yield ctx.finding(self, where, message)


def unfinished_parts(
    article: Article,
    placeholders: frozenset[str],
    wanted: Iterable[str] = WANTED_FIELDS,
    fields: FieldMap = DEFAULT_FIELDS,
) -> list[tuple[tuple[int, int] | str, str]]:
    """What makes a story unfinished, as (where, message): each body line that is a template's
    placeholder or holds an unfilled ``{{ field }}`` (its line, column 1), then each wanted
    key holding an empty string (the key). Also what ``publish`` warns about."""
    from lushbeat_cli.core.schema import source_key
    from lushbeat_cli.core.workflow.templates import UNFILLED

    found: list[tuple[tuple[int, int] | str, str]] = []
    for number, line in enumerate(article.body.splitlines(), start=article.body_line):
        text = line.strip()
        if text and (text in placeholders or UNFILLED.search(text)):
            shown = text if len(text) <= 60 else text[:57] + "..."
            found.append(((number, 1), f"still has placeholder text: '{shown}'"))
    for name in dict.fromkeys(wanted):
        key = source_key(article.metadata, name, fields) or name  # [fields]: authors, ...
        value = article.metadata.get(key)
        if isinstance(value, str) and not value.strip():
            found.append((key, f"'{key}' is empty"))
    return found
