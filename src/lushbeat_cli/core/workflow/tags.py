"""Tag hygiene: counts, groups of near-duplicate spellings, and rename/merge plans.

Rewrites change only the keys that hold the tags (``[fields] tags``: ``tags``, or ``keywords``,
or a site's ``topics``; never a key the file does not have), keep the list style and order,
and drop duplicates. Used by ``lushbeat tags``.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from lushbeat_cli.core.article import Article
from lushbeat_cli.core.edit import (
    FieldValue,
    FileEdit,
    ListItem,
    metadata_of,
    plan_edit,
    read_article_text,
)
from lushbeat_cli.core.fields import DEFAULT_KEYS
from lushbeat_cli.core.files.inputs import DEFAULT_MAX_FILE_SIZE
from lushbeat_cli.core.query import fold
from lushbeat_cli.errors import LushbeatError, UsageError

TAG_KEYS = DEFAULT_KEYS["tags"]  # the keys tags are read from unless [fields] says others
_SEPARATORS = re.compile(r"[\s_\-–—.]+")


@dataclass(frozen=True)
class TagCount:
    tag: str
    count: int


@dataclass(frozen=True)
class TagGroup:
    """Spellings of what is probably one tag; ``canonical`` is the most used one."""

    canonical: str
    variants: tuple[TagCount, ...]

    @property
    def count(self) -> int:
        return sum(variant.count for variant in self.variants)


def count_tags(articles: Iterable[Article]) -> list[TagCount]:
    """Every tag spelling with the number of articles using it: most used first, then A-Z."""
    counter: Counter[str] = Counter()
    for article in articles:
        counter.update(set(article.tags))  # an article counts once per tag
    return sorted(
        (TagCount(tag, count) for tag, count in counter.items()),
        key=lambda item: (-item.count, fold(item.tag), item.tag),
    )


def tag_key(tag: str) -> str:
    """A tag with case, accents, spaces, hyphens and underscores folded away."""
    return _SEPARATORS.sub("", fold(tag))


def similar_tag_groups(counts: Sequence[TagCount], cutoff: float | None = None) -> list[TagGroup]:
    """Groups of spellings that fold to the same key or differ by a typo, biggest first."""
    from lushbeat_cli.core.fuzzy import TAG_TYPO_CUTOFF, typo_groups

    by_key: dict[str, list[TagCount]] = {}
    for item in counts:
        by_key.setdefault(tag_key(item.tag), []).append(item)
    keys = list(by_key)
    grouped = typo_groups(keys, TAG_TYPO_CUTOFF if cutoff is None else cutoff)
    in_group = {index for group in grouped for index in group}
    merged = [[keys[i] for i in group] for group in grouped]
    merged += [[key] for index, key in enumerate(keys) if index not in in_group]
    groups: list[TagGroup] = []
    for members in merged:
        variants = [item for key in members for item in by_key[key]]
        if len(variants) < 2:
            continue
        variants.sort(key=_canonical_rank)
        groups.append(TagGroup(variants[0].tag, tuple(variants)))
    groups.sort(key=lambda group: (-group.count, fold(group.canonical)))
    return groups


def _canonical_rank(item: TagCount) -> tuple[int, int, str]:
    # The most used spelling; on a tie, one already in slug form (lower-case, hyphens), then A-Z.
    slug_like = bool(re.fullmatch(r"[a-z0-9]+(?:-[a-z0-9]+)*", item.tag))
    return (-item.count, 0 if slug_like else 1, item.tag)


def check_tag_names(
    sources: Sequence[str], target: str, counts: Sequence[TagCount]
) -> tuple[list[str], str]:
    """Clean the names given on the command line; raise UsageError for unknown sources."""
    target = target.strip()
    if not target:
        raise UsageError("the new tag must not be empty")
    if "," in target:
        raise UsageError(f"a tag cannot contain a comma: {target!r}")
    known = [item.tag for item in counts]  # most used first
    spelled = set(known)
    names = list(dict.fromkeys(name.strip() for name in sources))
    unknown = [name for name in names if name not in spelled]
    if unknown:
        from lushbeat_cli.core.fuzzy import closest_spelling

        hints = []
        for name in unknown:
            same = [tag for tag in known if tag_key(tag) == tag_key(name)]
            guess = same[0] if same else closest_spelling(name, known)
            hints.append(f"'{name}'" + (f" (did you mean '{guess}'?)" if guess else ""))
        raise UsageError(f"unknown tag{'s' if len(unknown) > 1 else ''}: {', '.join(hints)}")
    return names, target


def plan_tag_rewrites(
    articles: Iterable[Article],
    mapping: Mapping[str, str],
    *,
    max_size: int = DEFAULT_MAX_FILE_SIZE,
    keys: Sequence[str] = TAG_KEYS,
) -> tuple[list[FileEdit], list[LushbeatError]]:
    """An edit for every article that has a tag in ``mapping`` (old spelling -> new spelling),
    in each of the tag ``keys`` the file has.

    Articles whose tags cannot be edited in place come back as errors; the rest still go.
    Files are read afresh, up to ``max_size`` bytes (the config's ``max_file_size``).
    """
    edits: list[FileEdit] = []
    errors: list[LushbeatError] = []
    for article in articles:
        if not any(tag in mapping for tag in article.tags):
            continue
        try:
            edit = _plan_article(article, mapping, max_size, keys)
        except LushbeatError as exc:  # one bad file never stops the others
            errors.append(exc)
            continue
        if edit is not None and edit.changed:
            edits.append(edit)
    return edits, errors


def _plan_article(
    article: Article, mapping: Mapping[str, str], max_size: int, keys: Sequence[str]
) -> FileEdit | None:
    text = read_article_text(article.path, max_size)
    meta = metadata_of(text, article.path)  # the file as it is now, not as indexed
    edits: dict[str, FieldValue] = {}
    for key in keys:
        if key in meta:
            value = rename_in_value(meta[key], mapping)
            if value is not None:
                edits[key] = value
    if not edits:
        return None
    return plan_edit(article.path, edits, text=text)


def rename_in_value(raw: object, mapping: Mapping[str, str]) -> FieldValue | None:
    """The tags value with spellings renamed and duplicates dropped, in the value's own
    shape (a list stays a list, a comma-separated text stays text); None if nothing changes."""
    if isinstance(raw, str):
        parts = [part.strip() for part in raw.split(",")]
        renamed = _dedupe(mapping.get(part, part) for part in parts if part)
        if renamed == [part for part in parts if part]:
            return None
        separator = ", " if ", " in raw or "," not in raw else ","
        return separator.join(str(item) for item in renamed)
    if isinstance(raw, list):
        if not all(isinstance(item, str | int | float) for item in raw):
            return None  # e.g. a list of mappings: not tags this command understands
        items: list[ListItem] = [mapping.get(str(item).strip(), item) for item in raw]
        renamed = _dedupe(items)
        return None if renamed == raw else renamed
    return None


def _dedupe(items: Iterable[ListItem]) -> list[ListItem]:
    seen: set[str] = set()
    kept: list[ListItem] = []
    for item in items:
        name = str(item).strip()
        if name in seen:
            continue
        seen.add(name)
        kept.append(item)
    return kept
