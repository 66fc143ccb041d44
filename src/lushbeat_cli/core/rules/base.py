"""What every rule shares: the ``[validate]`` settings, the run and file contexts, ``Rule``.

A rule is a small object with a code, a name, a default severity, a one-line description and
one ``check`` method; fixable rules also have ``fix`` (text in, text out, through the in-place
editor). The rule modules of this package import from here; nothing here imports them.
"""

from __future__ import annotations

import functools
import os
import re
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from functools import cached_property
from pathlib import Path
from typing import Any

from lushbeat_cli.core.article import Article
from lushbeat_cli.core.config import Config
from lushbeat_cli.core.findings import Finding, Severity
from lushbeat_cli.core.links import LinkResolver, normal_path
from lushbeat_cli.core.schema import FieldSpec, Schema, schema_error

ERROR, WARNING = Severity.ERROR, Severity.WARNING
TAG_CASES = ("keep", "lower")
FULL_SCANS = 200  # list items looked for through all of a key's lines, per key (item_at)


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
        from lushbeat_cli.core.fuzzy import near_duplicate_titles

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
        from lushbeat_cli.core.fuzzy import ClosestMatch

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
    def placeholders(self) -> frozenset[str]:
        """The placeholder lines of the project's templates (read once per run)."""
        from lushbeat_cli.core.workflow.templates import template_placeholders

        return template_placeholders(self.config)

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
        if key is not None:
            positions = self.article.key_positions
            if key in positions:
                return positions[key]
            if "." in key and key.split(".", 1)[0] in positions:  # params.author
                return positions[key.split(".", 1)[0]]
        return self.start

    def key_of(self, name: str) -> str | None:
        """The key field ``name`` is read from in this article (``[fields]``), or None."""
        from lushbeat_cli.core.schema import source_key

        return source_key(self.article.metadata, name, self.run.config.fields)

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
        match = self._find_item(key, item_pattern(item), (line, col + len(key)), occurrence)
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
                match = self._find_item(key, item_pattern(text), cursor, 0)
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


# ---------------------------------------------------------------- helpers for rules


@functools.lru_cache(maxsize=1024)
def item_pattern(item: str) -> re.Pattern[str]:
    """A list item as written: not part of a longer word or hyphenated name."""
    return re.compile(r"(?<![\w-])" + re.escape(item) + r"(?![\w-])")


def schema_fields(ctx: FileContext) -> Iterable[FieldSpec]:
    return ctx.run.schema.fields.values()


def is_section_page(path: Path) -> bool:
    """Hugo's list pages (``_index.md``): no date, often no body."""
    return path.stem == "_index"


def preview(value: Any) -> str:
    text = f"'{value}'" if isinstance(value, str) else repr(value)
    return text if len(text) <= 50 else text[:47] + "..."
