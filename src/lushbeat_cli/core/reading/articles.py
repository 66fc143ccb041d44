"""Reading articles from disk: which files are articles (``core.scan.walk`` finds them), and
one file's bytes to an ``Article``. The corpus, the index's refresh (and its pool workers) and
validate all read through here, so a file reads the same whichever of them reads it.

Light at import: the parser (PyYAML) loads on the first file read, which a warm index never
needs.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

from lushbeat_cli.core.article import Article, build_article
from lushbeat_cli.core.config import Config
from lushbeat_cli.core.reading.scan import ARTICLE_SUFFIXES, PathRules, walk
from lushbeat_cli.errors import ConfigError, ParseError

if TYPE_CHECKING:
    from lushbeat_cli.core.reading.frontmatter import FrontMatter


def is_article_path(path: Path) -> bool:
    return path.suffix.lower() in ARTICLE_SUFFIXES


def content_root(config: Config) -> Path:
    """The configured content directory; ConfigError (exit 2) when it does not exist."""
    root = config.content_path
    if not root.is_dir():
        raise ConfigError(
            f"content directory not found: {root} (set content_dir in the config)",
            path=config.source,
        )
    return root


def find_article_paths(
    root: Path, errors: list[ParseError] | None = None, rules: PathRules | None = None
) -> list[Path]:
    """Every article file under ``root`` (``core.scan.walk`` says which, with the config's
    ``rules`` for a content dir), sorted by relative path; ``root`` itself when it is an
    article file.

    Folders that cannot be read are appended to ``errors`` (LB112) instead of being skipped
    silently.
    """
    if root.is_file():
        return [root] if is_article_path(root) else []
    unreadable: list[tuple[str, str]] = []
    found = [
        prefix + entry.name
        for prefix, files in walk(str(root), unreadable, rules)
        for entry in files
    ]
    if errors is not None:
        errors.extend(folder_error(root, rel, reason) for rel, reason in unreadable)
    found.sort()
    return [root / rel for rel in found]


def folder_error(root: Path, rel: str, reason: str) -> ParseError:
    """The error of a folder under ``root`` that cannot be read (``rel``: '' for ``root``)."""
    from lushbeat_cli.core.reading.frontmatter import CODE_UNREADABLE

    return ParseError(
        f"cannot read folder: {reason}",
        code=CODE_UNREADABLE,
        path=root / rel if rel else root,
        line=1,
        col=1,
    )


def read_article(path: Path, config: Config, now: datetime | None = None) -> Article:
    """Read and parse one file; raises ParseError (with code, line, col) when it cannot."""
    return build_article(path, read_front_matter(path, config), config.tz, now, config.fields)


def read_front_matter(path: Path, config: Config) -> FrontMatter:
    """Read one file and split its front matter (size limit checked first); or ParseError."""
    from lushbeat_cli.core.reading.frontmatter import parse_bytes

    return parse_bytes(read_article_bytes(path, config), path)


def read_article_bytes(path: Path, config: Config) -> bytes:
    """A file's bytes, refusing files over ``max_file_size`` before reading; raises ParseError."""
    # Imported here: with a warm index most commands never read a file, nor load PyYAML.
    from lushbeat_cli.core.files.inputs import InputError, read_input
    from lushbeat_cli.core.reading.frontmatter import CODE_TOO_LARGE, CODE_UNREADABLE

    try:
        return read_input(path, config.max_file_size)
    except InputError as exc:
        code = CODE_TOO_LARGE if exc.too_large else CODE_UNREADABLE
        raise ParseError(exc.message, code=code, path=path, line=1, col=1) from None


def iter_articles(
    paths: Iterable[Path], config: Config, now: datetime | None = None
) -> Iterator[Article | ParseError]:
    """Parse each path in turn, yielding the article or the error for that file."""
    for path in paths:
        try:
            yield read_article(path, config, now)
        except ParseError as exc:
            yield exc
        except Exception as exc:  # a bug must cost one file, not the whole run
            yield ParseError(
                f"internal error while reading: {exc.__class__.__name__}: {exc}",
                code="LB100",
                path=path,
                line=1,
                col=1,
            )
