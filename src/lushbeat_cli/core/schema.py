"""The front-matter schema: built-in specs for the known fields, extended by ``[schema]`` config.

``load_schema`` checks the config tables strictly (a ConfigError names the key); the validation
rules in ``core/rules/`` read the resulting ``Schema``. Pure core: no printing, no I/O but the
config file's line lookup for error messages.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

from lushbeat_cli.core.article import KNOWN_FIELDS, parse_date
from lushbeat_cli.core.article import _kind as value_kind  # the same words as LB201's
from lushbeat_cli.core.config import Config
from lushbeat_cli.core.fields import DEFAULT_FIELDS, FieldMap
from lushbeat_cli.errors import ConfigError

FIELD_TYPES = ("string", "int", "float", "bool", "date", "list", "mapping")
UNLESS_DRAFT = "unless_draft"
SPEC_KEYS = ("type", "required", "choices", "pattern", "min_length", "max_length", "items")
ITEM_KEYS = ("type", "choices", "pattern", "min_length", "max_length")
STATUS_CHOICES = ("draft", "published", "scheduled")


# Front-matter keys that Hugo, Jekyll, Eleventy, Astro, Zola, Pelican, Docusaurus, MkDocs and
# similar tools define. They are never reported as unknown (unless the schema is `closed`).
TOOL_KEYS = frozenset(
    key.lower()
    for key in (  # noqa: SIM905 (a word list reads better as text)
        # Hugo
        "aliases audio build cascade description draft expirydate headless images "
        "iscjklanguage keywords lastmod layout linktitle markup menu menus outputs params "
        "publishdate resources sitemap summary translationkey type url videos weight series "
        "toc math unlisted "
        # Jekyll
        "permalink published excerpt excerpt_separator categories category image "
        "last_modified_at redirect_from redirect_to comments hidden pin render_with_liquid "
        "author authors tags lang "
        # Eleventy, Astro, Gatsby, Zola, Pelican, Docusaurus, MkDocs
        "pagination eleventyexcludefromcollections eleventycomputed eleventynavigation "
        "templateengineoverride pubdate updateddate heroimage cover thumbnail canonical "
        "canonical_url og_image subtitle template taxonomies extra in_search_index path "
        "modified save_as status id sidebar_position sidebar_label hide_table_of_contents "
        "hide slug locale language featured"
    ).split()
)

_TYPE_SUGGESTIONS = {
    "str": "string",
    "text": "string",
    "integer": "int",
    "number": "float",
    "boolean": "bool",
    "datetime": "date",
    "timestamp": "date",
    "array": "list",
    "sequence": "list",
    "dict": "mapping",
    "object": "mapping",
    "table": "mapping",
    "map": "mapping",
}

# BCP 47 (RFC 5646) well-formed tags. Primary language subtags of 5-8 letters are reserved and
# never registered, so they are refused: `english` is a word, not a language tag.
_BCP47 = re.compile(
    r"""
    (?:
      (?:[a-z]{2,3}(?:-[a-z]{3}){0,3}|[a-z]{4})    # language (+ extlang)
      (?:-[a-z]{4})?                              # script
      (?:-(?:[a-z]{2}|[0-9]{3}))?                 # region
      (?:-(?:[a-z0-9]{5,8}|[0-9][a-z0-9]{3}))*    # variants
      (?:-[0-9a-wy-z](?:-[a-z0-9]{2,8})+)*        # extensions
      (?:-x(?:-[a-z0-9]{1,8})+)?                  # private use
    |
      x(?:-[a-z0-9]{1,8})+                        # private use only
    |
      i-default|i-mingo|i-klingon|en-gb-oed       # a few grandfathered tags still seen
    )
    """,
    re.IGNORECASE | re.VERBOSE,
)


def is_language_tag(text: str) -> bool:
    """True for a well-formed BCP 47 language tag such as ``id``, ``en-US``, ``zh-Hant-TW``."""
    return bool(_BCP47.fullmatch(text))


def suggest_language_tag(text: str) -> str | None:
    """``en_US`` -> ``en-US``: a fix-up that is a valid tag, or None."""
    candidate = text.strip().replace("_", "-")
    return candidate if candidate != text and is_language_tag(candidate) else None


@dataclass(frozen=True)
class ValueSpec:
    """Constraints on one value: a field's, or each item of a list field."""

    type: str | None = None
    choices: tuple[Any, ...] | None = None
    pattern: re.Pattern[str] | None = None
    min_length: int | None = None
    max_length: int | None = None


@dataclass(frozen=True)
class FieldSpec(ValueSpec):
    """Constraints on one top-level front-matter key."""

    name: str = ""
    required: bool | str = False  # True, False or "unless_draft"
    items: ValueSpec | None = None


@dataclass(frozen=True)
class Schema:
    """What front matter should look like in this project."""

    fields: Mapping[str, FieldSpec] = field(default_factory=dict)
    allow_unknown: bool = False  # never report unknown keys
    extra_keys: frozenset[str] = frozenset()  # keys to treat as known
    closed: bool = False  # report every undeclared key, not only likely typos
    mapping: FieldMap = DEFAULT_FIELDS  # the keys each field is read from ([fields])

    @property
    def known_keys(self) -> frozenset[str]:
        """Keys lushbeat reads or the schema declares; unknown-key hints point at these."""
        return frozenset((*KNOWN_FIELDS, *self.mapping.all_keys(), *self.fields, *self.extra_keys))


def builtin_fields(config: Config) -> dict[str, FieldSpec]:
    """The default schema for the known fields."""
    fields = {
        "title": FieldSpec(name="title", type="string", required=True),
        "date": FieldSpec(name="date", type="date", required=UNLESS_DRAFT),
        "updated": FieldSpec(name="updated", type="date"),
        "tags": FieldSpec(name="tags", type="list", items=ValueSpec(type="string")),
        "status": FieldSpec(name="status", choices=STATUS_CHOICES),
    }
    if config.categories:
        fields["category"] = FieldSpec(name="category", choices=tuple(config.categories))
    return fields


def load_schema(config: Config) -> Schema:
    """The built-in schema merged with ``[schema]`` from the config; ConfigError if malformed."""
    table = config.section("schema")
    fields = builtin_fields(config)
    for name, raw in (table.get("fields") or {}).items():
        where = f"schema.fields.{name}"
        if not isinstance(raw, dict):
            raise schema_error(config, where, f"'{where}' must be a table")
        spec = _field_spec(config, name, raw, where)
        base = fields.get(name)
        fields[name] = _merge(base, spec, raw) if base is not None else spec
    allow = table.get("allow_unknown", False)
    extra: frozenset[str] = frozenset()
    if isinstance(allow, list):
        if not all(isinstance(item, str) and item for item in allow):
            raise schema_error(
                config, "schema.allow_unknown", "'schema.allow_unknown' must list key names"
            )
        extra, allow = frozenset(allow), False
    return Schema(
        fields=fields,
        allow_unknown=bool(allow),
        extra_keys=extra,
        closed=table.get("closed", False),
        mapping=config.fields,
    )


def _merge(base: FieldSpec, spec: FieldSpec, raw: dict[str, Any]) -> FieldSpec:
    """Config keys replace the built-in ones they name; the others stay."""
    changes = {key: getattr(spec, key) for key in SPEC_KEYS if key in raw}
    return replace(base, **changes)


def _field_spec(config: Config, name: str, raw: dict[str, Any], where: str) -> FieldSpec:
    _check_keys(config, raw, SPEC_KEYS, where)
    required = raw.get("required", False)
    if not isinstance(required, bool) and required != UNLESS_DRAFT:
        raise schema_error(
            config,
            f"{where}.required",
            f"'{where}.required' must be true, false or \"{UNLESS_DRAFT}\"",
        )
    value = _value_spec(config, raw, where)
    items = None
    if "items" in raw:
        if value.type not in (None, "list"):
            raise schema_error(
                config, f"{where}.items", f"'{where}.items' only goes with type = \"list\""
            )
        items_raw = raw["items"]
        if isinstance(items_raw, str):
            items_raw = {"type": items_raw}
        if not isinstance(items_raw, dict):
            raise schema_error(
                config,
                f"{where}.items",
                f"'{where}.items' must be a type name or a table like {{ type = \"string\" }}",
            )
        _check_keys(config, items_raw, ITEM_KEYS, f"{where}.items")
        items = _value_spec(config, items_raw, f"{where}.items")
        if value.type is None:
            value = replace(value, type="list")
    return FieldSpec(
        name=name,
        required=required,
        items=items,
        type=value.type,
        choices=value.choices,
        pattern=value.pattern,
        min_length=value.min_length,
        max_length=value.max_length,
    )


def _value_spec(config: Config, raw: dict[str, Any], where: str) -> ValueSpec:
    kind = raw.get("type")
    if kind is not None and kind not in FIELD_TYPES:
        hint = _TYPE_SUGGESTIONS.get(str(kind).lower())
        hint_text = f" (did you mean '{hint}'?)" if hint else ""
        raise schema_error(
            config,
            f"{where}.type",
            f"'{where}.type' must be one of {', '.join(FIELD_TYPES)}, not {kind!r}{hint_text}",
        )
    choices = raw.get("choices")
    if choices is not None:
        ok = isinstance(choices, list) and choices
        if not ok or not all(isinstance(c, str | int | float | bool) for c in choices):
            raise schema_error(
                config,
                f"{where}.choices",
                f"'{where}.choices' must be a non-empty list of strings or numbers",
            )
        choices = tuple(choices)
    pattern = raw.get("pattern")
    compiled = None
    if pattern is not None:
        if not isinstance(pattern, str):
            raise schema_error(config, f"{where}.pattern", f"'{where}.pattern' must be a string")
        try:
            compiled = re.compile(pattern)
        except re.error as exc:
            raise schema_error(
                config, f"{where}.pattern", f"'{where}.pattern' is not a valid regex: {exc}"
            ) from None
    bounds: dict[str, int | None] = {}
    for key in ("min_length", "max_length"):
        number = raw.get(key)
        if number is not None and (
            not isinstance(number, int) or isinstance(number, bool) or number < 0
        ):
            raise schema_error(
                config, f"{where}.{key}", f"'{where}.{key}' must be a whole number, 0 or more"
            )
        bounds[key] = number
    low, high = bounds["min_length"], bounds["max_length"]
    if low is not None and high is not None and low > high:
        raise schema_error(
            config, f"{where}.min_length", f"'{where}.min_length' is larger than max_length"
        )
    return ValueSpec(type=kind, choices=choices, pattern=compiled, min_length=low, max_length=high)


def _check_keys(config: Config, raw: dict[str, Any], allowed: tuple[str, ...], where: str) -> None:
    for key in raw:
        if key not in allowed:
            from lushbeat_cli.core.fuzzy import closest_spelling

            hint = closest_spelling(key, allowed, cutoff=80.0)
            hint_text = f" (did you mean '{hint}'?)" if hint else ""
            raise schema_error(
                config,
                f"{where}.{key}",
                f"unknown setting '{where}.{key}'{hint_text}; allowed: {', '.join(allowed)}",
            )


def schema_error(config: Config, dotted: str, message: str) -> ConfigError:
    """A ConfigError pointing at the line of ``dotted`` in the config file, when found."""
    line = config_line(config.source, dotted) if config.source is not None else None
    return ConfigError(message, path=config.source, line=line)


def config_line(source: Path, dotted: str) -> int | None:
    """Best-effort line of a dotted key (``schema.fields.title.type``) in a TOML config file.

    Looks for the deepest table header that is a prefix of the key, then for the rest of the
    key inside that table (as ``key =`` or inside an inline table).
    """
    from lushbeat_cli.core.files.inputs import DEFAULT_MAX_FILE_SIZE, InputError, read_input

    try:
        lines = read_input(source, DEFAULT_MAX_FILE_SIZE).decode("utf-8").splitlines()
    except (InputError, UnicodeDecodeError):
        return None
    parts = dotted.split(".")
    prefix = "tool.lushbeat." if source.name == "pyproject.toml" else ""
    best: tuple[int, int] | None = None  # (depth, line index) of the deepest matching header
    for depth in range(len(parts), 0, -1):
        header = prefix + ".".join(parts[:depth])
        for index, text in enumerate(lines):
            inner = text.strip()
            if inner.startswith("[") and inner.strip("[] \t").replace(" ", "") == header:
                best = (depth, index)
                break
        if best:
            break
    start, rest = (best[1] + 1, parts[best[0] :]) if best else (0, parts)
    if not rest:
        return best[1] + 1 if best else None
    key = rest[0]
    for index in range(start, len(lines)):
        text = lines[index].strip()
        if best and text.startswith("["):
            break
        if re.match(rf"""["']?{re.escape(key)}["']?\s*=""", text):
            for sub in rest[1:]:  # an inline table on the same line
                if not re.search(rf"""\b{re.escape(sub)}\s*=""", text):
                    break
            return index + 1
    return best[1] + 1 if best else None


# ---------------------------------------------------------------- value checks


def type_matches(value: Any, kind: str) -> bool:
    """Does ``value`` (as loaded from front matter) have schema type ``kind``?"""
    if kind == "string":
        return isinstance(value, str)
    if kind == "int":
        return isinstance(value, int) and not isinstance(value, bool)
    if kind == "float":
        return isinstance(value, int | float) and not isinstance(value, bool)
    if kind == "bool":
        return isinstance(value, bool)
    if kind == "date":
        if isinstance(value, datetime | date):
            return True
        if isinstance(value, str):
            try:
                parse_date(value, UTC)
            except ValueError:
                return False
            return True
        return False
    if kind == "list":
        return isinstance(value, list)
    if kind == "mapping":
        return isinstance(value, dict)
    return True


def describe_type(value: Any) -> str:
    """A value's kind as a user reads it: text, a number, a list, ..."""
    if value is None:
        return "empty (null)"
    if isinstance(value, str):
        return "text"
    return value_kind(value)


TYPE_NAMES = {
    "string": "text",
    "int": "a whole number",
    "float": "a number",
    "bool": "true or false",
    "date": "a date",
    "list": "a list",
    "mapping": "a mapping",
}


def value_length(value: Any) -> int | None:
    """Characters of text, items of a list, keys of a mapping; None for other values."""
    if isinstance(value, str | list | dict):
        return len(value)
    return None


def source_key(
    metadata: Mapping[str, Any], name: str, mapping: FieldMap = DEFAULT_FIELDS
) -> str | None:
    """The key a field is read from in this file (``description`` for summary, a site's
    ``topics`` for tags: see ``[fields]``), or None. A schema field the mapping does not know
    is read from its own key."""
    if name in mapping.keys:
        return mapping.source_key(metadata, name)
    return name if name in metadata else None
