"""The schema from config: built-in defaults, `[schema.fields.NAME]` merged in, shape checked
strictly (a ConfigError names the key and its line); rule selection from config and flags."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from lushbeat_cli.core.config import Config, build_config, load_config
from lushbeat_cli.core.findings import Severity
from lushbeat_cli.core.rules import RULES, ValidateSettings, select_rules
from lushbeat_cli.core.schema import (
    UNLESS_DRAFT,
    config_line,
    is_language_tag,
    load_schema,
    suggest_language_tag,
    type_matches,
)
from lushbeat_cli.errors import ConfigError, UsageError


def config_from(tmp_path: Path, toml: str) -> Config:
    (tmp_path / "lushbeat.toml").write_text(textwrap.dedent(toml), encoding="utf-8")
    return load_config(tmp_path)


def test_builtin_schema() -> None:
    schema = load_schema(build_config({"categories": ["politik"]}, Path("."), None))
    assert schema.fields["title"].required is True
    assert schema.fields["date"].required == UNLESS_DRAFT
    assert schema.fields["tags"].type == "list"
    assert schema.fields["category"].choices == ("politik",)
    assert "category" not in load_schema(build_config({}, Path("."), None)).fields
    assert {"title", "tags", "description", "draft"} <= schema.known_keys


def test_config_fields_extend_and_override_the_builtin_ones(tmp_path: Path) -> None:
    config = config_from(
        tmp_path,
        """
        [schema]
        allow_unknown = ["deck", "kicker"]
        [schema.fields.date]
        required = false
        [schema.fields.title]
        max_length = 90
        [schema.fields.source]
        type = "string"
        required = true
        choices = ["Reuters", "Antara"]
        [schema.fields.topics]
        items = "string"
        """,
    )
    schema = load_schema(config)
    assert schema.fields["date"].required is False
    assert schema.fields["date"].type == "date"  # kept from the built-in field
    assert (schema.fields["title"].required, schema.fields["title"].max_length) == (True, 90)
    assert schema.fields["source"].choices == ("Reuters", "Antara")
    assert schema.fields["topics"].type == "list"
    assert schema.fields["topics"].items is not None
    assert schema.fields["topics"].items.type == "string"
    assert schema.extra_keys == {"deck", "kicker"}
    assert not schema.allow_unknown


@pytest.mark.parametrize(
    ("toml", "message", "line"),
    [
        (
            '[schema.fields.title]\ntype = "text"\n',
            "'schema.fields.title.type' must be one of string, int, float, bool, date, list, "
            "mapping, not 'text' (did you mean 'string'?)",
            2,
        ),
        (
            "[schema.fields.title]\nrequird = true\n",
            "unknown setting 'schema.fields.title.requird' (did you mean 'required'?)",
            2,
        ),
        ('[schema.fields.title]\nrequired = "yes"\n', "'schema.fields.title.required'", 2),
        ('[schema.fields.slug]\npattern = "[a-z"\n', "is not a valid regex", 2),
        (
            "[schema.fields.tags]\nmin_length = 3\nmax_length = 1\n",
            "min_length' is larger than max_length",
            2,
        ),
        ("[schema.fields.tags]\nmax_length = -1\n", "must be a whole number, 0 or more", 2),
        ('[schema.fields.title]\ntype = "string"\nitems = "string"\n', "only goes with", 3),
        ("[schema.fields.tags]\nitems = 3\n", "must be a type name or a table", 2),
        (
            "[schema.fields.tags]\nitems = { type = 'string', kind = 1 }\n",
            "unknown setting 'schema.fields.tags.items.kind'",
            2,
        ),
        ('[schema.fields.tags]\nchoices = "a"\n', "non-empty list", 2),
        ('[schema.fields]\ntitle = "required"\n', "'schema.fields.title' must be a table", 2),
        ("[schema]\nallow_unknown = [1]\n", "must list key names", 2),
        ("[schema]\nallow_unknown = 3\n", "'schema.allow_unknown' must be true or false", 2),
        ("[schema]\nfeilds = {}\n", "did you mean 'fields'?", 2),
    ],
)
def test_malformed_schema_is_a_config_error_naming_key_and_line(
    tmp_path: Path, toml: str, message: str, line: int
) -> None:
    with pytest.raises(ConfigError) as caught:
        load_schema(config_from(tmp_path, toml))
    assert message in caught.value.message
    assert caught.value.line == line
    assert caught.value.exit_code == 2


@pytest.mark.parametrize(
    ("toml", "message"),
    [
        ("[validate]\ntag_case = 'upper'\n", "'validate.tag_case' must be one of keep, lower"),
        ("[validate]\nsimilar_title_threshold = 10\n", "between 50 and 100"),
        ("[validate]\ntitle_max_length = 0\n", "must be 1 or more"),
        ("[validate]\ntag_keys = [1]\n", "must list keys"),
    ],
)
def test_malformed_validate_settings(tmp_path: Path, toml: str, message: str) -> None:
    with pytest.raises(ConfigError, match=message):
        ValidateSettings.from_config(config_from(tmp_path, toml))


def test_config_line_finds_nested_keys(tmp_path: Path) -> None:
    path = tmp_path / "lushbeat.toml"
    path.write_text(
        'content_dir = "c"\n[schema]\nclosed = true\n[schema.fields.title]\n'
        'required = true\ntype = "text"\n[validate]\ntype = 1\n'
    )
    assert config_line(path, "schema.fields.title.type") == 6
    assert config_line(path, "schema.fields.title") == 4
    assert config_line(path, "schema.closed") == 3
    assert config_line(path, "validate.type") == 8
    pyproject = tmp_path / "pyproject.toml"
    pyproject.write_text("[tool.lushbeat.schema.fields.title]\ntype = 'x'\n")
    assert config_line(pyproject, "schema.fields.title.type") == 2


@pytest.mark.parametrize("tag", ["id", "en", "en-US", "zh-Hant-TW", "es-419", "x-private", "jv"])
def test_language_tags(tag: str) -> None:
    assert is_language_tag(tag)


@pytest.mark.parametrize("tag", ["english", "en_US", "e", "en-", "id-indonesia-", "1d"])
def test_not_language_tags(tag: str) -> None:
    assert not is_language_tag(tag)


def test_language_tag_suggestion() -> None:
    assert suggest_language_tag("en_US") == "en-US"
    assert suggest_language_tag("english") is None


def test_type_matches() -> None:
    assert type_matches("x", "string") and not type_matches(1, "string")
    assert type_matches(1, "int") and not type_matches(True, "int")
    assert type_matches(1, "float") and type_matches(1.5, "float")
    assert type_matches("2024-07-29", "date") and not type_matches("kemarin", "date")
    assert type_matches([1], "list") and type_matches({"a": 1}, "mapping")


# ---------------------------------------------------------------- selection


def enabled(config: Config, select: list[str] | None = None, ignore: list[str] = ()) -> set[str]:
    return set(select_rules(config, select, ignore).severities)


ALL = {rule.code for rule in RULES}


def test_default_selection_is_every_rule() -> None:
    assert enabled(build_config({}, Path("."), None)) == ALL


def test_select_and_ignore_by_prefix_code_and_name() -> None:
    config = build_config({}, Path("."), None)
    assert enabled(config, ["LB3"]) == {c for c in ALL if c.startswith("LB3")}
    assert enabled(config, ["LB301", "dead-link"]) == {"LB301", "LB404"}
    assert enabled(config, ["lb4"], ["LB402"]) == {"LB401", "LB403", "LB404"}
    assert enabled(config, ["ALL"], ["LB"]) == set()


def test_the_most_specific_selector_wins() -> None:
    config = build_config({}, Path("."), None)
    assert enabled(config, ["LB301"], ["LB3"]) == {"LB301"}
    assert "LB301" not in enabled(config, ["LB3"], ["LB301"])
    assert enabled(config, ["LB3"], ["LB3"]) == set()  # a tie: ignore wins


def test_flags_replace_config_select_and_add_to_config_ignore(tmp_path: Path) -> None:
    config = config_from(tmp_path, '[validate]\nselect = ["LB2"]\nignore = ["LB206"]\n')
    assert enabled(config) == {c for c in ALL if c.startswith("LB2")} - {"LB206"}
    assert enabled(config, ["LB206", "LB301"]) == {"LB301"}
    assert enabled(config, None, ["LB201"]) == {c for c in ALL if c.startswith("LB2")} - {
        "LB206",
        "LB201",
    }


def test_severity_overrides(tmp_path: Path) -> None:
    config = config_from(
        tmp_path,
        """
        [validate.severity]
        LB3 = "error"
        LB301 = "warning"
        LB402 = "off"
        LB201 = "warning"
        """,
    )
    severities = select_rules(config).severities
    assert severities["LB302"] is Severity.ERROR
    assert severities["LB301"] is Severity.WARNING
    assert severities["LB201"] is Severity.WARNING
    assert "LB402" not in severities


@pytest.mark.parametrize(
    ("select", "hint"),
    [("LB31", None), ("LB3O1", "LB301"), ("title-to-long", "title-too-long"), ("XX", None)],
)
def test_unknown_flag_selectors_are_usage_errors(select: str, hint: str | None) -> None:
    config = build_config({}, Path("."), None)
    if select == "LB31":  # a real prefix: LB310, LB311, LB312
        assert enabled(config, [select]) == {"LB310", "LB311", "LB312"}
        return
    with pytest.raises(UsageError) as caught:
        select_rules(config, [select])
    assert caught.value.exit_code == 2
    assert f"unknown rule '{select}'" in caught.value.message
    if hint:
        assert f"did you mean '{hint}'?" in caught.value.message


def test_unknown_config_codes_are_config_errors(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="unknown rule 'LB320' \\(did you mean 'LB3") as caught:
        select_rules(config_from(tmp_path, '[validate]\nignore = ["LB320"]\n'))
    assert caught.value.line == 2
    with pytest.raises(ConfigError, match="must be one of error, warning, off"):
        select_rules(config_from(tmp_path, '[validate.severity]\nLB301 = "fatal"\n'))
    with pytest.raises(ConfigError, match="unknown rule 'LB999'"):
        select_rules(config_from(tmp_path, '[validate.severity]\nLB999 = "off"\n'))
