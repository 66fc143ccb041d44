"""Config discovery and strict validation."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest

from lushbeat_cli.core.config import load_config, parse_timezone
from lushbeat_cli.errors import EXIT_USAGE, ConfigError


def test_defaults_without_any_config(tmp_path: Path) -> None:
    config = load_config(tmp_path)
    assert config.source is None
    assert config.root == tmp_path.resolve()
    assert config.content_dir == "content"
    assert config.path_pattern == "{year}/{month}/{slug}.md"
    assert config.templates_dir == "templates"


def test_found_by_walking_up(tmp_path: Path) -> None:
    (tmp_path / "lushbeat.toml").write_text('content_dir = "posts"\ncategories = ["a"]\n')
    deep = tmp_path / "x" / "y"
    deep.mkdir(parents=True)
    config = load_config(deep)
    assert config.root == tmp_path.resolve()
    assert config.content_path == (tmp_path / "posts").resolve()
    assert config.categories == ("a",)


def test_pyproject_tool_table(tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_text(
        '[project]\nname = "x"\n[tool.lushbeat]\ntimezone = "+07:00"\n'
    )
    config = load_config(tmp_path)
    assert config.source == (tmp_path / "pyproject.toml").resolve()
    assert config.tz.utcoffset(None) == timedelta(hours=7)


def test_pyproject_without_table_is_skipped(tmp_path: Path) -> None:
    (tmp_path / "lushbeat.toml").write_text('default_lang = "id"\n')
    sub = tmp_path / "sub"
    sub.mkdir()
    (sub / "pyproject.toml").write_text('[project]\nname = "x"\n')
    assert load_config(sub).default_lang == "id"


def test_explicit_config_file(tmp_path: Path) -> None:
    path = tmp_path / "other.toml"
    path.write_text('default_author = "Ana"\n')
    assert load_config(None, path).default_author == "Ana"


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ('content_dri = "x"\n', ["unknown setting 'content_dri'", "did you mean 'content_dir'"]),
        ("categories = 3\n", ["'categories' must be a list"]),
        ("categories = [1, 2]\n", ["list of strings"]),
        ('timezone = "Mars/Olympus"\n', ["unknown time zone"]),
        ("content_dir = \n", ["invalid TOML"]),
        ("max_file_size = true\n", ["must be an integer"]),
        ('content_dir = ""\n', ["must not be empty"]),
    ],
)
def test_bad_config_is_a_usage_error_naming_file_and_key(
    tmp_path: Path, text: str, words: list[str]
) -> None:
    path = tmp_path / "lushbeat.toml"
    path.write_text(text)
    with pytest.raises(ConfigError) as info:
        load_config(tmp_path)
    exc = info.value
    assert exc.exit_code == EXIT_USAGE
    assert exc.path == path.resolve() or exc.path == path
    for word in words:
        assert word in exc.message
    assert exc.line == 1


def test_missing_explicit_config(tmp_path: Path) -> None:
    with pytest.raises(ConfigError):
        load_config(None, tmp_path / "nope.toml")


def test_non_utf8_config(tmp_path: Path) -> None:
    (tmp_path / "lushbeat.toml").write_bytes(b'default_author = "\xff"\n')
    with pytest.raises(ConfigError, match="UTF-8"):
        load_config(tmp_path)


def test_a_config_pickles_copies_and_changes(tmp_path: Path) -> None:
    """Process pools pickle the config (a refresh of 2,000+ files), library users copy it."""
    import copy
    import pickle

    from lushbeat_cli.core.config import Config

    for config in (Config(root=tmp_path), load_config(tmp_path)):
        assert pickle.loads(pickle.dumps(config)) == config
        assert copy.deepcopy(config) == config
        changed = config.replace(timezone="Asia/Jakarta")
        assert changed.timezone == "Asia/Jakarta" and config.timezone == "UTC"
        assert config.section("index")["enabled"] is True


@pytest.mark.parametrize(
    ("name", "offset"),
    [
        ("+07:00", timedelta(hours=7)),
        ("+0700", timedelta(hours=7)),
        ("+07", timedelta(hours=7)),
        ("-03:30", -timedelta(hours=3, minutes=30)),
        ("+23:59", timedelta(hours=23, minutes=59)),
        ("-00:00", timedelta(0)),
    ],
)
def test_fixed_offsets(name: str, offset: timedelta) -> None:
    assert parse_timezone(name).utcoffset(None) == offset


@pytest.mark.parametrize(
    ("name", "words"),
    [
        ("+99:00", "invalid UTC offset '+99:00' (hours run from 00 to 23, minutes from 00 to 59)"),
        ("+24:00", "invalid UTC offset '+24:00' (hours run"),
        ("-24:00", "invalid UTC offset '-24:00' (hours run"),
        ("+23:60", "invalid UTC offset '+23:60' (hours run"),
        ("+1:00", "invalid UTC offset '+1:00' (write it as +HH:MM, e.g. +07:00)"),
        ("+-1:00", "invalid UTC offset '+-1:00' (write it as +HH:MM"),
        ("+07:00:00", "invalid UTC offset '+07:00:00' (write it as +HH:MM"),
        ("+ab:cd", "invalid UTC offset '+ab:cd' (write it as +HH:MM"),
        ("+", "invalid UTC offset '+' (write it as +HH:MM"),
        ("UTC+7", "unknown time zone 'UTC+7' (use a name like Asia/Jakarta, UTC, or +07:00)"),
        ("Mars/Olympus", "unknown time zone 'Mars/Olympus'"),
        ("../../etc/passwd", "unknown time zone '../../etc/passwd'"),
        ("Asia/Jakarta\x00", "unknown time zone"),
        ("", "unknown time zone ''"),
        ("x" * 5000, "unknown time zone 'xxxxxxxx"),  # too long for a file name: no OSError
    ],
)
def test_bad_time_zones_are_said_in_lushbeats_words(name: str, words: str) -> None:
    with pytest.raises(ValueError) as caught:
        parse_timezone(name)
    message = str(caught.value)
    assert message.startswith(words)
    assert "timedelta" not in message and len(message) < 200


@pytest.mark.parametrize("name", ["+99:00", "+23:60", "+1:00", "x" * 5000])
def test_a_bad_config_time_zone_is_a_config_error_at_its_line(tmp_path: Path, name: str) -> None:
    path = tmp_path / "lushbeat.toml"
    path.write_text(f'content_dir = "content"\ntimezone = "{name}"\n')
    with pytest.raises(ConfigError) as caught:
        load_config(tmp_path)
    assert caught.value.line == 2
    assert "timedelta" not in caught.value.message
    assert caught.value.message.startswith(("invalid UTC offset", "unknown time zone"))
