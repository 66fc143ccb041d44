"""Authors' display names from a site's own authors file, for the bylines of the site and feeds.

Articles often name authors by a key (``authors: [jeremy-zilar]``) that the site generator
looks up. Read, first found wins for each key:
- Hugo: ``data/authors.yaml`` (key -> entry), ``data/authors/<key>.yaml`` (also .yml, .toml,
  .json), ``content/authors/<key>/_index.md`` (the author's term page, front matter);
- Jekyll and Eleventy: ``_data/authors.yml`` and ``_data/authors/<key>.yml`` (also under the
  content folder), ``_authors/<key>.md`` (a collection).
An entry is a name, or a mapping whose ``display_name``, ``name``, ``full_name``, ``title`` or
``first_name`` + ``last_name`` is shown. A name without an entry is shown as written.
Imported by the html and feed exporters.
"""

from __future__ import annotations

import json
import tomllib
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from lushbeat_cli.core.reading.frontmatter import load_yaml_mapping, parse_bytes
from lushbeat_cli.errors import LushbeatError

DATA_SUFFIXES = (".yaml", ".yml", ".toml", ".json")
NAME_KEYS = ("display_name", "name", "full_name", "fullname", "title")
FILE_LIMIT = 4 * 1024 * 1024  # bytes; an authors file larger than this is not read
FOLDER_LIMIT = 20_000  # per-author files read from one folder


@dataclass(slots=True)
class AuthorNames:
    """Key (case-folded) -> display name; ``files``: the files they came from; ``problems``:
    files that could not be read (one line each)."""

    root: Path | None = None  # problems name files relative to it
    names: dict[str, str] = field(default_factory=dict)
    files: list[Path] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)

    def display(self, authors: list[str]) -> list[str]:
        """The display name of each author; a name without an entry as written."""
        return [self.names.get(author.strip().casefold(), author) for author in authors]

    def add(self, key: str, entry: Any) -> None:
        name = display_name(entry)
        key = key.strip().casefold()
        if name and key:
            self.names.setdefault(key, name)

    def problem(self, path: Path, what: str) -> None:
        shown = path
        if self.root is not None and self.root in path.parents:
            shown = path.relative_to(self.root)
        self.problems.append(f"authors file {shown} {what}; bylines show its names as written")


def display_name(entry: Any) -> str | None:
    """The name to show for an entry of an authors file."""
    if isinstance(entry, str):
        return entry.strip() or None
    if not isinstance(entry, dict):
        return None
    for key in NAME_KEYS:
        value = entry.get(key)
        if isinstance(value, str) and value.strip():
            return value.strip()
    first, last = entry.get("first_name"), entry.get("last_name")
    parts = [part.strip() for part in (first, last) if isinstance(part, str) and part.strip()]
    return " ".join(parts) or None


def load_author_names(project_root: Path, content_root: Path) -> AuthorNames:
    """The display names the site's authors files give (empty when it has none)."""
    found = AuthorNames(root=project_root)
    for base in dict.fromkeys((project_root, content_root.parent, content_root)):
        for folder in ("data", "_data"):
            _read_mapping_files(found, base / folder / "authors")
            _read_entry_folder(found, base / folder / "authors")
        _read_term_pages(found, base / "_authors")
    _read_term_pages(found, content_root / "authors")
    return found


def _read_mapping_files(found: AuthorNames, stem: Path) -> None:
    """``authors.yaml`` and the like: one mapping of key -> entry."""
    for suffix in DATA_SUFFIXES:
        path = stem.with_name(stem.name + suffix)
        data = _load(found, path)
        if isinstance(data, dict):
            for key, entry in data.items():
                found.add(str(key), entry)
        elif isinstance(data, list):  # a list of entries that carry their own key
            for entry in data:
                if isinstance(entry, dict):
                    key = entry.get("id") or entry.get("slug") or entry.get("key")
                    if isinstance(key, str):
                        found.add(key, entry)


def _read_entry_folder(found: AuthorNames, folder: Path) -> None:
    """``authors/<key>.yaml``: one entry per file."""
    for path in _files(folder, lambda p: p.is_file() and p.suffix.lower() in DATA_SUFFIXES):
        entry = _load(found, path)
        if entry is not None:
            _add_entry(found, path.stem, entry)


def _read_term_pages(found: AuthorNames, folder: Path) -> None:
    """``authors/<key>/_index.md`` (Hugo) or ``_authors/<key>.md`` (Jekyll): front matter."""
    for path in _files(folder, lambda p: True):
        if path.is_dir():
            page = next((p for p in (path / "_index.md", path / "index.md") if p.is_file()), None)
            key = path.name
        elif path.suffix.lower() in (".md", ".markdown"):
            page, key = path, path.stem
        else:
            continue
        if page is None:
            continue
        try:
            data = page.read_bytes() if page.stat().st_size <= FILE_LIMIT else None
            if data is None:
                found.problem(page, "is too large")
                continue
            metadata = parse_bytes(data, page).metadata
        except (OSError, LushbeatError) as exc:
            found.problem(page, f"not read ({_reason(exc)})")
            continue
        found.files.append(page)
        _add_entry(found, key, metadata)


def _add_entry(found: AuthorNames, key: str, entry: Any) -> None:
    found.add(key, entry)
    if isinstance(entry, dict):
        for alias in ("slug", "id", "key"):
            value = entry.get(alias)
            if isinstance(value, str):
                found.add(value, entry)


def _files(folder: Path, wanted: Callable[[Path], bool]) -> Iterator[Path]:
    try:
        entries = sorted(folder.iterdir()) if folder.is_dir() else []
    except OSError:
        return
    yield from (path for path in entries[:FOLDER_LIMIT] if wanted(path))


def _load(found: AuthorNames, path: Path) -> Any:
    """A data file's content (YAML, TOML or JSON), or None when absent or unreadable."""
    try:
        if not path.is_file():
            return None
        if path.stat().st_size > FILE_LIMIT:
            found.problem(path, "is too large")
            return None
        text = path.read_bytes().decode("utf-8")
        suffix = path.suffix.lower()
        if suffix == ".json":
            data = json.loads(text)
        elif suffix == ".toml":
            data = tomllib.loads(text)
        else:
            data = load_yaml_mapping(text, path)[0]
    except (OSError, ValueError, LushbeatError, RecursionError) as exc:
        found.problem(path, f"not read ({_reason(exc)})")
        return None
    found.files.append(path)
    return data


def _reason(exc: BaseException) -> str:
    if isinstance(exc, OSError):
        return exc.strerror or type(exc).__name__
    if isinstance(exc, LushbeatError):
        return f"line {exc.line}: {exc.message}" if exc.line else exc.message
    if isinstance(exc, UnicodeDecodeError):
        return "not UTF-8"
    return str(exc).splitlines()[0][:120] if str(exc) else type(exc).__name__
