"""Validation rules, registered in ``RULES``; used by core/validate.py (and listed by render).

One module per family of codes: ``parse`` (LB1xx, what reading the file found), ``schema``
(LB2xx, the front matter against the schema), ``editorial`` (LB3xx), ``collection`` (LB4xx, an
article against the whole content directory). ``base`` holds what they share (settings, the run
and file contexts, the ``Rule`` shape), ``registry`` the one list of rules, ``selection`` the
``--select`` / ``--ignore`` / ``[validate]`` resolution. Adding a rule is one class in its
family's module plus one line in the registry.
"""

from lushbeat_cli.core.rules.base import (
    Collection,
    FileContext,
    Rule,
    RunContext,
    ValidateSettings,
)
from lushbeat_cli.core.rules.editorial import trailing_whitespace, trim_trailing_whitespace
from lushbeat_cli.core.rules.parse import ParseRule, parse_error_finding
from lushbeat_cli.core.rules.registry import RULES, RULES_BY_CODE
from lushbeat_cli.core.rules.selection import RuleSelection, select_rules

__all__ = [
    "RULES",
    "RULES_BY_CODE",
    "Collection",
    "FileContext",
    "ParseRule",
    "Rule",
    "RuleSelection",
    "RunContext",
    "ValidateSettings",
    "parse_error_finding",
    "select_rules",
    "trailing_whitespace",
    "trim_trailing_whitespace",
]
