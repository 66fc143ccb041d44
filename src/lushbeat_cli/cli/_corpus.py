"""The articles a command works on: filters -> query -> the loaded corpus -> unreadable files
reported. One function for every command that reads the content dir (``list`` has its own).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property

from lushbeat_cli.cli._actions import Filters
from lushbeat_cli.cli._state import CommandExit, load_collection, report_file_errors, state
from lushbeat_cli.core.article import Article
from lushbeat_cli.core.query import ArticleQuery, select_articles
from lushbeat_cli.core.reading.corpus import Corpus
from lushbeat_cli.errors import EXIT_FINDINGS


@dataclass
class Selection:
    """The loaded corpus and the query the filters make; ``articles`` are those it selects."""

    corpus: Corpus
    query: ArticleQuery

    @cached_property
    def articles(self) -> list[Article]:
        """The articles the filters select, sorted and limited as asked."""
        return select_articles(self.corpus.articles, self.query)

    @property
    def unreadable(self) -> str:
        """``"2 files could not be read"`` for a summary line, or ``""``."""
        count = len(self.corpus.errors)
        return f"{count} file{'s' if count != 1 else ''} could not be read" if count else ""

    def exit_if_unreadable(self) -> None:
        """Exit 1 when a file could not be read (after the command has done its work)."""
        if self.corpus.errors:
            raise CommandExit(EXIT_FINDINGS)


def load_articles(
    filters: Filters | None = None,
    *,
    no_index: bool = False,
    sort: str = "date",
    reverse: bool = False,
    limit: int | None = None,
    report_errors: bool = True,
) -> Selection:
    """Check the filters (a bad value is a usage error before anything is read), load the
    corpus (``no_index``: parse the files directly), and report each unreadable file on stderr
    (unless ``report_errors`` is False: the command reports what concerns it)."""
    run = state()
    query = (filters or Filters()).query(run.config.tz, sort=sort, reverse=reverse, limit=limit)
    corpus = load_collection(run.config, use_index=not no_index)
    if report_errors:
        report_file_errors(corpus.errors)
    return Selection(corpus, query)
