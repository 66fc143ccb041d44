"""``sqlite``: a database for sqlite3, sqlite-utils or Datasette: ``articles``, ``tags``,
``article_tags`` and ``related``, with primary and foreign keys. Built in a temporary file and
put in place at the end by ``core.fileio.atomic_file`` (renamed over a file, written to a device).
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from lushbeat_cli.core.article import Article
from lushbeat_cli.core.files.atomic import atomic_file
from lushbeat_cli.errors import LushbeatError
from lushbeat_cli.exporters.base import Destination, Exporter, ExportOptions, ExportResult, track
from lushbeat_cli.exporters.export_record import SCHEMA_VERSION, json_safe
from lushbeat_cli.exporters.markdown import MarkdownRenderer
from lushbeat_cli.exporters.taxonomy import group_terms, tag_names
from lushbeat_cli.render.machine import display_path

if TYPE_CHECKING:
    import sqlite3

SCHEMA = """
CREATE TABLE articles (
    id INTEGER PRIMARY KEY,
    path TEXT NOT NULL UNIQUE,      -- relative to the project root
    slug TEXT NOT NULL,
    title TEXT NOT NULL,
    date TEXT,                      -- ISO 8601 with offset
    updated TEXT,
    authors TEXT NOT NULL,          -- JSON array of names
    category TEXT,
    summary TEXT,
    status TEXT NOT NULL CHECK (status IN ('draft', 'published', 'scheduled')),
    lang TEXT,
    format TEXT NOT NULL,           -- yaml, toml or json front matter
    front_matter TEXT NOT NULL,     -- JSON object: every key as written
    body TEXT NOT NULL,             -- Markdown
    body_html TEXT                  -- with --html
);
CREATE INDEX articles_slug ON articles (slug);
CREATE INDEX articles_date ON articles (date);
CREATE TABLE tags (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL UNIQUE,
    slug TEXT NOT NULL UNIQUE
);
CREATE TABLE article_tags (
    article_id INTEGER NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
    tag_id INTEGER NOT NULL REFERENCES tags (id) ON DELETE CASCADE,
    PRIMARY KEY (article_id, tag_id)
);
CREATE INDEX article_tags_tag ON article_tags (tag_id);
CREATE TABLE related (
    article_id INTEGER NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
    position INTEGER NOT NULL,      -- order in the article's related: list, from 1
    slug TEXT NOT NULL,             -- as written
    related_id INTEGER REFERENCES articles (id) ON DELETE SET NULL,  -- null: not exported
    PRIMARY KEY (article_id, position)
);
"""


class SqliteExporter(Exporter):
    name = "sqlite"
    description = "a SQLite database: articles, tags, article_tags, related"
    suffixes = (".db", ".sqlite", ".sqlite3")
    needs_path = True
    options = frozenset({"html_body", "sort"})

    def export(
        self, articles: Sequence[Article], options: ExportOptions, destination: Destination
    ) -> ExportResult:
        import sqlite3

        assert destination.path is not None, "checked by run_export"
        target = destination.path
        try:
            with atomic_file(target, overwrite=True) as built:
                _build(built, articles, options)
        except sqlite3.Error as exc:
            raise LushbeatError(f"cannot build the database: {exc}", path=target) from None
        except OSError as exc:
            raise LushbeatError(f"cannot write: {exc.strerror}", path=target) from None
        return ExportResult(len(articles), destination.path)


def _build(path: Path, articles: Sequence[Article], options: ExportOptions) -> None:
    import sqlite3

    connection = sqlite3.connect(path)
    try:
        connection.execute("PRAGMA foreign_keys = ON")
        connection.executescript(SCHEMA)
        connection.execute(f"PRAGMA user_version = {int(SCHEMA_VERSION)}")
        with connection:
            ids = _insert_articles(connection, articles, options)
            _insert_tags(connection, articles, ids)
            _insert_related(connection, articles, ids)
        connection.execute("VACUUM")
    finally:
        connection.close()


def _insert_articles(
    connection: sqlite3.Connection, articles: Sequence[Article], options: ExportOptions
) -> dict[int, int]:
    renderer = MarkdownRenderer() if options.html_body else None
    ids: dict[int, int] = {}
    for number, article in enumerate(track(articles, options.progress), start=1):
        ids[id(article)] = number
        connection.execute(
            "INSERT INTO articles VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (
                number,
                Path(display_path(article.path, options.project_root)).as_posix(),
                article.slug,
                article.title,
                article.date.isoformat() if article.date else None,
                article.updated.isoformat() if article.updated else None,
                json.dumps(article.authors, ensure_ascii=False),
                article.category,
                article.summary,
                article.status.value,
                article.lang,
                article.format,
                json.dumps(json_safe(article.metadata), ensure_ascii=False),
                article.body,
                renderer.render(article.body) if renderer is not None else None,
            ),
        )
    return ids


def _insert_tags(
    connection: sqlite3.Connection, articles: Sequence[Article], ids: dict[int, int]
) -> None:
    for tag_id, term in enumerate(group_terms(articles, tag_names), start=1):
        connection.execute("INSERT INTO tags VALUES (?, ?, ?)", (tag_id, term.name, term.slug))
        connection.executemany(
            "INSERT INTO article_tags VALUES (?, ?)",
            [(ids[id(article)], tag_id) for article in term.articles],
        )


def _insert_related(
    connection: sqlite3.Connection, articles: Sequence[Article], ids: dict[int, int]
) -> None:
    by_slug: dict[str, int] = {}
    for article in articles:
        by_slug.setdefault(article.slug, ids[id(article)])
    for article in articles:
        connection.executemany(
            "INSERT INTO related VALUES (?, ?, ?, ?)",
            [
                (ids[id(article)], position, slug, by_slug.get(slug))
                for position, slug in enumerate(article.related, start=1)
            ],
        )
