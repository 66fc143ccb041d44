"""Which rules run, and how strictly: ``[validate]`` select/ignore/severity and the ``--select`` /
``--ignore`` flags, resolved against the registry."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from lushbeat_cli.core.config import Config
from lushbeat_cli.core.findings import Finding, Severity
from lushbeat_cli.core.rules.base import Rule
from lushbeat_cli.core.rules.registry import RULES, RULES_BY_CODE
from lushbeat_cli.core.schema import schema_error
from lushbeat_cli.errors import ConfigError, UsageError


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
    from lushbeat_cli.core.fuzzy import closest_spelling

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
