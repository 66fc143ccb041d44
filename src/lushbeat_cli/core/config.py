"""Find and read ``lushbeat.toml`` or ``[tool.lushbeat]`` in ``pyproject.toml``, strictly.

Every accepted key, its type and default is declared once in ``SETTINGS`` / ``SECTIONS`` below;
an unknown key, a wrong type or invalid TOML is a ``ConfigError`` (exit 2) naming file and key.
"""

from __future__ import annotations

import os
import re
import tomllib
from datetime import UTC, datetime, timedelta, timezone, tzinfo
from pathlib import Path
from typing import Any, NamedTuple

from lushbeat_cli.core.fields import (
    DEFAULT_DRAFT_FOLDERS,
    DEFAULT_FIELDS,
    DEFAULT_KEYS,
    FieldMap,
    field_map,
    field_problem,
)
from lushbeat_cli.core.files.inputs import (
    DEFAULT_MAX_FILE_SIZE,
    InputError,
    decode_utf8,
    read_input,
)
from lushbeat_cli.core.reading.scan import DEFAULT_EXCLUDE, DEFAULT_INDEX_PATH, PathRules
from lushbeat_cli.errors import ConfigError

CONFIG_NAME = "lushbeat.toml"
PYPROJECT_NAME = "pyproject.toml"

# Top-level settings: name -> (type, default). A type tuple means "any of".
SETTINGS: dict[str, tuple[type | tuple[type, ...], Any]] = {
    "content_dir": (str, "content"),
    "path_pattern": (str, "{year}/{month}/{slug}.md"),
    "default_author": (str, ""),
    "timezone": (str, "UTC"),
    "default_lang": (str, "en"),
    "categories": (list, []),
    "templates_dir": (str, "templates"),
    "max_file_size": (int, DEFAULT_MAX_FILE_SIZE),  # bytes; larger files are reported, not read
    "include": (list, []),  # globs under content_dir; empty: every Markdown file
    "exclude": (list, list(DEFAULT_EXCLUDE)),  # globs under content_dir: not articles
}

# Tables: name -> {key: (type, default)}. A feature adds its table here, in one place.
SECTIONS: dict[str, dict[str, tuple[type | tuple[type, ...], Any]]] = {}

# [fields]: the front-matter keys each field is read from (core/fields.py)
SECTIONS["fields"] = {
    **{name: ((list, str), list(keys)) for name, keys in DEFAULT_KEYS.items()},
    "date_formats": (list, []),  # strptime formats tried after ISO 8601, e.g. "%m/%d/%Y"
    "file_name_dates": (bool, False),  # Jekyll: 2014-09-25-slug.md gives the date and slug
    "draft_folders": (list, list(DEFAULT_DRAFT_FOLDERS)),  # articles under these are drafts
}

# [validate] and [schema]
SECTIONS["validate"] = {
    "select": (list, []),  # rule codes, prefixes or names; default: all rules
    "ignore": (list, []),
    "severity": (dict, {}),  # code or prefix -> "error" | "warning" | "off"
    "title_max_length": (int, 70),
    "summary_max_length": (int, 160),
    "similar_title_threshold": (float, 95.0),
    "tag_case": (str, "keep"),  # or "lower"
    "tag_keys": (list, ["tags", "keywords", "topics", "categories"]),
}
SECTIONS["schema"] = {
    "fields": (dict, {}),  # [schema.fields.NAME] tables, checked by core/schema.py
    "allow_unknown": ((bool, list), False),  # true, or a list of extra known keys
    "closed": (bool, False),  # report every key the schema does not declare
}

# [index]
SECTIONS["index"] = {
    "path": (str, ".lushbeat/index.sqlite"),  # relative to the project root
    "enabled": (bool, True),  # false: every command parses the files directly
}

# [similar]
SECTIONS["similar"] = {
    "limit": (int, 5),  # suggestions per article
    "threshold": (float, 0.15),  # minimum score (0-1)
    "include_newer": (bool, False),  # False: only stories dated on or before the article
    "same_lang": (bool, True),
    "max_age_days": (int, 0),  # suggest nothing further apart in time than this; 0: no limit
    "recent_days": (int, 365),  # recency part: 1 on the same day, 0 at this many days apart
    "text_weight": (float, 0.55),
    "tags_weight": (float, 0.25),
    "title_weight": (float, 0.1),
    "category_weight": (float, 0.05),
    "recency_weight": (float, 0.05),
    "exclude_tags": (list, []),  # articles with any of these tags are never suggested
    "exclude_categories": (list, []),
    "exclude_paths": (list, []),  # glob patterns relative to content_dir
    "heading": (str, "Similar Posts"),  # of the --format markdown block
    "stop_words": (list, ["id", "en"]),  # built-in lists, or .txt files of words
    "extra_stop_words": (list, []),
}

# [export]
SECTIONS["export"] = {
    "title": (str, ""),  # site and feed title; empty: the project folder's name
    "description": (str, ""),  # feed description
    "base_url": (str, ""),  # where the site is published; feeds need it
    "per_page": (int, 20),  # articles per site index page
    "feed_limit": (int, 20),  # entries in a feed unless --limit
    "index": (str, "articles"),  # OpenSearch index name for --format opensearch
}


class Config(NamedTuple):
    """Settings for one project. ``root`` is the folder holding the config file.

    A named tuple rather than a dataclass: loading the config is the first thing every command
    does, and ``dataclasses`` (with the ``inspect`` it imports) would add some 7 ms to it.
    ``config.replace(timezone="Asia/Jakarta")`` gives a changed copy.
    """

    root: Path
    source: Path | None = None  # the file the settings came from, if any
    content_dir: str = "content"
    path_pattern: str = "{year}/{month}/{slug}.md"
    default_author: str = ""
    timezone: str = "UTC"
    default_lang: str = "en"
    categories: tuple[str, ...] = ()
    templates_dir: str = "templates"
    max_file_size: int = DEFAULT_MAX_FILE_SIZE
    include: tuple[str, ...] = ()
    exclude: tuple[str, ...] = DEFAULT_EXCLUDE
    sections: dict[str, dict[str, Any]] | None = None  # [table] -> checked keys
    fields: FieldMap = DEFAULT_FIELDS  # [fields], read

    @property
    def content_path(self) -> Path:
        return (self.root / self.content_dir).resolve()

    def replace(self, **changes: Any) -> Config:
        """A copy with some settings changed (what ``dataclasses.replace`` did)."""
        return self._replace(**changes)

    @property
    def index_setting(self) -> str:
        """``[index] path`` as written (the default when unset or empty)."""
        return str(self.section("index").get("path") or DEFAULT_INDEX_PATH)

    @property
    def index_path(self) -> Path:
        """Where the index lives: ``[index] path`` relative to the project root (``~`` for the
        home folder), symbolic links resolved. Whether lushbeat may write there is
        ``core.index.locate_index``'s to say."""
        return Path(os.path.realpath(self.root / os.path.expanduser(self.index_setting)))

    @property
    def index_enabled(self) -> bool:
        return bool(self.section("index").get("enabled", True))

    @property
    def templates_path(self) -> Path:
        return (self.root / self.templates_dir).resolve()

    @property
    def path_rules(self) -> PathRules:
        """Which files under the content dir are articles: ``include`` and ``exclude``, and
        never the templates folder when it lies inside the content dir."""
        exclude = self.exclude
        content, templates = self.content_path, self.templates_path
        if templates != content and templates.is_relative_to(content):
            exclude = (*exclude, "/" + templates.relative_to(content).as_posix() + "/")
        return _path_rules(self.include, exclude)

    def in_collection(self, path: Path) -> bool:
        """Whether ``path`` is one of the collection's articles by where it is: inside the
        content dir, an article's suffix, kept by ``path_rules``."""
        root = os.path.join(os.path.normpath(self.content_path), "")
        full = os.path.normpath(os.path.abspath(path))
        if not full.startswith(root):
            return False
        return self.path_rules.keeps_path(full[len(root) :].replace(os.sep, "/"))

    @property
    def tz(self) -> tzinfo:
        return parse_timezone(self.timezone)

    def section(self, name: str) -> dict[str, Any]:
        """A table's settings with defaults filled in."""
        defaults = {key: default for key, (_, default) in SECTIONS.get(name, {}).items()}
        return defaults | (self.sections or {}).get(name, {})


_RULES: dict[tuple[tuple[str, ...], tuple[str, ...]], PathRules] = {}


def _path_rules(include: tuple[str, ...], exclude: tuple[str, ...]) -> PathRules:
    """Compiled once per set of patterns (commands ask for them once per walk or file)."""
    key = (include, exclude)
    rules = _RULES.get(key)
    if rules is None:
        rules = _RULES[key] = PathRules(include, exclude)
    return rules


PATH_FIELDS = ("year", "month", "day", "slug", "category", "lang")


def path_pattern_problem(pattern: str) -> str | None:
    """Why ``pattern`` cannot name new article files, or None when it can."""
    import string

    try:
        parts = list(string.Formatter().parse(pattern))
    except ValueError as exc:
        return f"is not a valid pattern ({exc})"
    names = []
    for _, name, spec, conversion in parts:
        if name is None:
            continue
        if name not in PATH_FIELDS or spec or conversion:
            allowed = ", ".join("{" + field + "}" for field in PATH_FIELDS)
            return f"may only use plain placeholders {allowed}, not {{{name}}}"
        names.append(name)
    if "slug" not in names:
        return "must contain {slug}, so that every article gets its own file"
    last = pattern.replace("\\", "/").rsplit("/", 1)[-1]
    if not last or last.startswith(".") or pattern.endswith("/"):
        return "must end in a file name that does not start with '.'"
    if pattern.startswith("/"):
        return "must be relative to the content dir"
    return None


_OFFSET = re.compile(r"([+-])(\d\d)(?::?(\d\d))?")


def parse_timezone(name: str) -> tzinfo:
    """An IANA name (``Asia/Jakarta``), ``UTC``, or a fixed offset (``+07:00``, ``+0700``,
    ``+07``); ValueError with a message for the user otherwise."""
    if name.upper() in {"UTC", "Z"}:
        return UTC
    if name.startswith(("+", "-")):
        match = _OFFSET.fullmatch(name)
        if match is None:
            raise ValueError(f"invalid UTC offset {name!r} (write it as +HH:MM, e.g. +07:00)")
        hours, minutes = int(match.group(2)), int(match.group(3) or 0)
        if hours > 23 or minutes > 59:
            raise ValueError(
                f"invalid UTC offset {name!r} (hours run from 00 to 23, minutes from 00 to 59)"
            )
        sign = -1 if match.group(1) == "-" else 1
        return timezone(sign * timedelta(hours=hours, minutes=minutes))
    from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError, OSError):
        shown = name if len(name) <= 60 else name[:57] + "..."
        raise ValueError(
            f"unknown time zone {shown!r} (use a name like Asia/Jakarta, UTC, or +07:00)"
        ) from None


WORKDIR_GONE = (
    "the working directory no longer exists (was it deleted?); "
    "cd to an existing folder, or give -C DIR"
)


def working_directory() -> Path:
    """The working directory; ConfigError (exit 2) when it has been deleted under us."""
    try:
        return Path.cwd()
    except FileNotFoundError:
        raise ConfigError(WORKDIR_GONE) from None


def _absolute(path: Path) -> Path:
    """``path`` made absolute (and resolved), without an internal error for a deleted cwd."""
    if not path.is_absolute():
        path = working_directory() / path
    return path.resolve()


def find_config(start: Path) -> tuple[Path, dict[str, Any]] | None:
    """Walk up from ``start`` to the first lushbeat.toml or pyproject.toml with [tool.lushbeat]."""
    start = _absolute(start)
    for folder in (start, *start.parents):
        # Anything at these names is read (or refused: a FIFO, a device or a folder is a clear
        # error, not skipped, which would silently pick a config further up).
        candidate = folder / CONFIG_NAME
        if candidate.exists():
            return candidate, _read_toml(candidate)
        pyproject = folder / PYPROJECT_NAME
        if pyproject.exists():
            table = _tool_table(pyproject, _read_toml(pyproject))
            if table is not None:
                return pyproject, table
    return None


def _tool_table(path: Path, data: dict[str, Any]) -> dict[str, Any] | None:
    """The ``[tool.lushbeat]`` table of a pyproject.toml, or None when it has none."""
    tool = data.get("tool")
    if tool is None:
        return None
    if not isinstance(tool, dict):
        raise ConfigError("'tool' must be a table", path=path)
    if "lushbeat" not in tool:
        return None
    if not isinstance(tool["lushbeat"], dict):
        raise ConfigError("[tool.lushbeat] must be a table", path=path)
    return tool["lushbeat"]


def load_config(root: Path | None = None, config_file: Path | None = None) -> Config:
    """Settings for the project at ``root`` (default: the working directory), or from a file."""
    if config_file is not None:
        if not _absolute(config_file).exists():
            raise ConfigError("config file not found", path=config_file)
        data = _read_toml(config_file)
        if config_file.name == PYPROJECT_NAME:
            table = _tool_table(config_file, data)
            if table is None:
                raise ConfigError("has no [tool.lushbeat] table", path=config_file)
            data = table
        return build_config(data, _absolute(config_file).parent, config_file)
    start = _absolute(root) if root is not None else working_directory()
    if not start.is_dir():
        raise ConfigError("no such directory", path=root or start)
    found = find_config(start)
    if found is None:
        return build_config({}, start, None)
    path, data = found
    return build_config(data, path.resolve().parent, path)


def build_config(data: dict[str, Any], root: Path, source: Path | None) -> Config:
    values: dict[str, Any] = {}
    sections: dict[str, dict[str, Any]] = {}
    for key, value in data.items():
        if key in SECTIONS:
            if not isinstance(value, dict):
                raise _error(source, key, f"[{key}] must be a table")
            sections[key] = _check_table(value, SECTIONS[key], source, key)
        elif key in SETTINGS:
            values[key] = _check_type(value, SETTINGS[key][0], source, key)
        else:
            raise _error(source, key, f"unknown setting '{key}'{_suggest(key)}")
    if "categories" in values:
        categories = values["categories"]
        if not all(isinstance(item, str) for item in categories):
            raise _error(source, "categories", "'categories' must be a list of strings")
        values["categories"] = tuple(categories)
    if "timezone" in values:
        try:
            parse_timezone(values["timezone"])
        except ValueError as exc:
            raise _error(source, "timezone", str(exc)) from None
    for key in ("content_dir", "templates_dir"):
        if key in values and not values[key].strip():
            raise _error(source, key, f"'{key}' must not be empty")
    if "path_pattern" in values:
        problem = path_pattern_problem(values["path_pattern"])
        if problem:
            raise _error(source, "path_pattern", f"'path_pattern' {problem}")
    if "max_file_size" in values and values["max_file_size"] <= 0:
        raise _error(source, "max_file_size", "'max_file_size' must be positive")
    for key in ("include", "exclude"):
        if key in values:
            if not all(isinstance(item, str) and item.strip() for item in values[key]):
                raise _error(source, key, f"'{key}' must be a list of glob patterns")
            values[key] = tuple(values[key])
    if "fields" in sections:
        for key, value in sections["fields"].items():
            problem = field_problem(key, value)
            if problem:
                raise _error(source, f"fields.{key}", problem)
        values["fields"] = field_map(sections["fields"])
    return Config(root=root, source=source, sections=sections, **values)


def _check_table(
    table: dict[str, Any],
    spec: dict[str, tuple[type | tuple[type, ...], Any]],
    source: Path | None,
    name: str,
) -> dict[str, Any]:
    checked: dict[str, Any] = {}
    for key, value in table.items():
        dotted = f"{name}.{key}"
        if key not in spec:
            raise _error(source, dotted, f"unknown setting '{dotted}'{_suggest(key, spec)}")
        checked[key] = _check_type(value, spec[key][0], source, dotted)
    return checked


def _check_type(
    value: Any, expected: type | tuple[type, ...], source: Path | None, key: str
) -> Any:
    types = expected if isinstance(expected, tuple) else (expected,)
    # bool is an int subclass; `limit = true` must not pass as a number.
    ok = isinstance(value, types) and not (isinstance(value, bool) and bool not in types)
    if float in types and isinstance(value, int) and not isinstance(value, bool):
        ok = True
    if not ok:
        names = " or ".join(_type_name(t) for t in types)
        raise _error(source, key, f"'{key}' must be {names}, not {_type_name(type(value))}")
    return value


def _type_name(kind: type) -> str:
    return {
        str: "a string",
        int: "an integer",
        float: "a number",
        bool: "true or false",
        list: "a list",
        dict: "a table",
        datetime: "a date",
    }.get(kind, kind.__name__)


def _suggest(key: str, spec: dict[str, Any] | None = None) -> str:
    from lushbeat_cli.core.fuzzy import best_match

    match = best_match(key, spec if spec is not None else (*SETTINGS, *SECTIONS))
    return f" (did you mean '{match}'?)" if match else ""


def setting_error(config: Config, key: str, message: str) -> ConfigError:
    """A ConfigError about a setting (``index.path``): the config file and the key's line."""
    return _error(config.source, key, message)


def _error(source: Path | None, key: str, message: str) -> ConfigError:
    line = _key_line(source, key) if source is not None else None
    return ConfigError(message, path=source, line=line)


def _key_line(source: Path, dotted: str) -> int | None:
    """Best-effort line of a key in the config file, for the error message."""
    key = dotted.split(".")[-1]
    try:
        lines = read_input(source, DEFAULT_MAX_FILE_SIZE).decode("utf-8").splitlines()
    except (InputError, UnicodeDecodeError):
        return None
    for number, line in enumerate(lines, start=1):
        stripped = line.strip()
        if stripped.startswith((key + " ", key + "=", f'"{key}"')):
            return number
    return None


def _read_toml(path: Path) -> dict[str, Any]:
    try:
        raw = read_input(path, DEFAULT_MAX_FILE_SIZE)
    except InputError as exc:
        reason = exc.message.removeprefix("cannot read: ").removesuffix("; not read")
        raise ConfigError(f"cannot read config: {reason}", path=path) from None
    try:
        return tomllib.loads(decode_utf8(raw))
    except InputError as exc:  # UTF-16 text, or the line of the first byte that is not UTF-8
        raise ConfigError(exc.message, path=path, line=exc.line) from None
    except tomllib.TOMLDecodeError as exc:
        message = str(exc)
        line = None
        if "(at line " in message:
            try:
                line = int(message.split("(at line ")[1].split(",")[0])
            except ValueError:
                line = None
            message = message.split(" (at line ")[0]
        raise ConfigError(f"invalid TOML: {message}", path=path, line=line) from None
