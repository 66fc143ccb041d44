"""The one list of validation rules: adding a rule is one class (in the module of its LB family)
plus one line here. Ordered by code; ``--list-rules`` and docs/rules.md follow this order."""

from __future__ import annotations

from lushbeat_cli.core.rules.base import Rule
from lushbeat_cli.core.rules.collection import DeadLink, DuplicateSlug, SimilarTitle, UnknownRelated
from lushbeat_cli.core.rules.editorial import (
    DuplicateTag,
    EmptyBody,
    FileNameMismatch,
    FuturePublished,
    InvalidSlug,
    NonIsoDate,
    SummaryTooLong,
    TitleTooLong,
    TrailingWhitespace,
    UnfinishedStory,
    UnnormalisedTag,
    UpdatedBeforeDate,
)
from lushbeat_cli.core.rules.parse import PARSE_RULES
from lushbeat_cli.core.rules.schema import (
    InvalidLanguage,
    InvalidValue,
    LengthOutOfRange,
    MissingField,
    NotAChoice,
    PatternMismatch,
    UnknownKey,
)

RULES: tuple[Rule, ...] = (
    *PARSE_RULES,  # LB1xx
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
    UnfinishedStory(),
    DuplicateSlug(),
    SimilarTitle(),
    UnknownRelated(),
    DeadLink(),
)
RULES_BY_CODE: dict[str, Rule] = {rule.code: rule for rule in RULES}
