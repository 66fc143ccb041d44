"""Discover and load the articles under a content root.

One unreadable or malformed file never stops the others: it is returned as a ``ParseError``
next to the articles that loaded.
"""

from __future__ import annotations

import os
import stat
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from lushbeat_cli.core.article import Article, build_article
from lushbeat_cli.core.config import Config
from lushbeat_cli.core.frontmatter_io import CODE_TOO_LARGE, CODE_UNREADABLE, parse_bytes
from lushbeat_cli.errors import ConfigError, ParseError

ARTICLE_SUFFIXES = (".md", ".markdown")


@dataclass(slots=True)
class Corpus:
    """The articles that loaded, and the files that did not."""

    root: Path
    articles: list[Article] = field(default_factory=list)
    errors: list[ParseError] = field(default_factory=list)

    def by_slug(self) -> dict[str, list[Article]]:
        slugs: dict[str, list[Article]] = {}
        for article in self.articles:
            slugs.setdefault(article.slug, []).append(article)
        return slugs


def is_article_path(path: Path) -> bool:
    return path.suffix.lower() in ARTICLE_SUFFIXES


def find_article_paths(root: Path, errors: list[ParseError] | None = None) -> list[Path]:
    """Every ``*.md``/``*.markdown`` under ``root``, hidden folders and files skipped, sorted.

    Folders that cannot be read are appended to ``errors`` (LB112) instead of being skipped
    silently.
    """
    if root.is_file():
        return [root] if is_article_path(root) else []

    def unreadable(exc: OSError) -> None:
        if errors is not None:
            where = Path(exc.filename) if exc.filename else root
            reason = exc.strerror or exc.__class__.__name__
            errors.append(
                ParseError(
                    f"cannot read folder: {reason}", code=CODE_UNREADABLE, path=where, line=1, col=1
                )
            )

    found: list[Path] = []
    for directory, dirnames, filenames in os.walk(root, onerror=unreadable, followlinks=False):
        dirnames[:] = [name for name in dirnames if not name.startswith(".")]
        base = Path(directory)
        found.extend(
            base / name
            for name in filenames
            if not name.startswith(".") and name.lower().endswith(ARTICLE_SUFFIXES)
        )
    return sorted(found, key=lambda path: path.relative_to(root).as_posix())


def read_article(path: Path, config: Config, now: datetime | None = None) -> Article:
    """Read and parse one file; raises ParseError (with code, line, col) when it cannot."""
    front = parse_bytes(read_article_bytes(path, config), path)
    return build_article(path, front, config.tz, now)


def read_article_bytes(path: Path, config: Config) -> bytes:
    """A file's bytes, refusing files over ``max_file_size`` before reading; raises ParseError."""
    try:
        info = path.stat()
        if not stat.S_ISREG(info.st_mode):
            raise ParseError(
                "not a regular file (a pipe, device or socket); not read",
                code=CODE_UNREADABLE,
                path=path,
                line=1,
                col=1,
            )
        size = info.st_size
        if size > config.max_file_size:
            raise ParseError(
                f"file too large ({size / 1_048_576:.1f} MiB > "
                f"{config.max_file_size / 1_048_576:.1f} MiB limit); not read",
                code=CODE_TOO_LARGE,
                path=path,
                line=1,
                col=1,
            )
        return path.read_bytes()
    except IsADirectoryError:
        raise ParseError("is a directory", code=CODE_UNREADABLE, path=path, line=1, col=1) from None
    except OSError as exc:
        reason = exc.strerror or exc.__class__.__name__
        raise ParseError(
            f"cannot read: {reason}", code=CODE_UNREADABLE, path=path, line=1, col=1
        ) from None


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


def load_corpus(config: Config, now: datetime | None = None, *, use_index: bool = True) -> Corpus:
    """Every article under the configured content directory.

    ``use_index=False`` (the ``--no-index`` flag) always parses the files directly.
    """
    root = config.content_path
    if not root.is_dir():
        raise ConfigError(
            f"content directory not found: {root} (set content_dir in the config)",
            path=config.source,
        )
    corpus = Corpus(root=root)
    paths = find_article_paths(root, corpus.errors)
    for item in iter_articles(paths, config, now):
        if isinstance(item, ParseError):
            corpus.errors.append(item)
        else:
            corpus.articles.append(item)
    corpus.errors.sort(key=lambda error: str(error.path))
    return corpus
