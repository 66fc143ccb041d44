"""What every exporter shares: the ``Exporter`` shape, ``ExportOptions``, the destination, and
the pipeline that checks a request and picks the articles. Imported by exporters and cli.
"""

from __future__ import annotations

import io
import re
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, BinaryIO, ClassVar, TextIO, TypeVar
from urllib.parse import urlsplit

from lushbeat_cli.core.article import Article, Status
from lushbeat_cli.core.files.atomic import atomic_writer
from lushbeat_cli.core.reading.articles import is_article_path
from lushbeat_cli.errors import ConfigError, LushbeatError, UsageError

if TYPE_CHECKING:
    from lushbeat_cli.core.similar.engine import SimilarSettings

ProgressCallback = Callable[[int, int], None]  # (done, total)
T = TypeVar("T")

# The optional flags a format may understand; any other given flag is a usage error.
OPTION_FLAGS = {
    "fields": "--fields",
    "html_body": "--html",
    "index_name": "--index",
    "per_page": "--per-page",
    "force": "--force",
    "sort": "--sort/--reverse",
}


@dataclass(frozen=True, slots=True)
class ExportOptions:
    """Everything an exporter may need besides the articles. Built by ``build_options``."""

    project_root: Path  # paths in records are relative to it
    content_root: Path  # article pages mirror the files below it
    title: str
    description: str = ""
    lang: str = "en"  # the site's and the feeds' language
    base_url: str | None = None  # absolute, without a trailing slash
    fields: tuple[str, ...] = ()
    html_body: bool = False
    include_drafts: bool = False
    per_page: int = 20
    limit: int | None = None  # None: the format's default (feeds: feed_limit)
    feed_limit: int = 20
    index_name: str = "articles"
    force: bool = False
    corpus: tuple[Article, ...] = ()  # every loaded article: targets for links between articles
    # The site's "Similar posts": the ``[similar]`` settings (None: their defaults).
    similar: SimilarSettings | None = None
    progress: ProgressCallback | None = field(default=None, compare=False)


@dataclass(frozen=True, slots=True)
class Destination:
    """Where an export goes: a file or folder path, or ``stream`` (stdout) when path is None."""

    path: Path | None
    stream: BinaryIO | None = None

    @property
    def to_stream(self) -> bool:
        return self.path is None

    @property
    def file_name(self) -> str | None:
        return self.path.name if self.path is not None else None


@dataclass(slots=True)
class ExportResult:
    """What an export wrote: how many articles, where, and notes for the user."""

    count: int
    path: Path | None = None
    notes: list[str] = field(default_factory=list)


class Exporter:
    """One output format. Subclasses set the class attributes and implement ``export``."""

    name: ClassVar[str]
    description: ClassVar[str]
    suffixes: ClassVar[tuple[str, ...]] = ()  # output suffixes that imply this format
    writes_directory: ClassVar[bool] = False
    needs_path: ClassVar[bool] = False  # cannot go to stdout
    needs_base_url: ClassVar[bool] = False
    publishes: ClassVar[bool] = False  # for readers: live articles only, newest first
    limited_by_default: ClassVar[bool] = False  # newest feed_limit unless --limit
    dated_only: ClassVar[bool] = False  # undated articles left out (a feed entry needs a date)
    default_file_name: ClassVar[str | None] = None  # where a feed says it lives
    options: ClassVar[frozenset[str]] = frozenset()  # optional flags it understands
    suggests_similar: ClassVar[bool] = False  # uses the similar-posts engine ([similar])

    def export(
        self, articles: Sequence[Article], options: ExportOptions, destination: Destination
    ) -> ExportResult:
        raise NotImplementedError


# ---------------------------------------------------------------- the request


def build_options(
    settings: dict[str, Any],
    *,
    project_root: Path,
    content_root: Path,
    default_lang: str,
    title: str | None = None,
    base_url: str | None = None,
    per_page: int | None = None,
    index_name: str | None = None,
    **flags: Any,
) -> ExportOptions:
    """Merge flags over the ``[export]`` settings and check the values."""
    chosen_title = title if title is not None else settings.get("title") or project_root.name
    url = base_url if base_url is not None else settings.get("base_url") or None
    pages = per_page if per_page is not None else settings.get("per_page", 20)
    feed_limit = settings.get("feed_limit", 20)
    index = index_name if index_name is not None else settings.get("index", "articles")
    source = "--per-page" if per_page is not None else "export.per_page"
    if pages < 1:
        raise _setting_error(per_page is not None, f"{source} must be 1 or more")
    if feed_limit < 1:
        raise ConfigError("export.feed_limit must be 1 or more")
    return ExportOptions(
        project_root=project_root,
        content_root=content_root,
        title=chosen_title.strip() or project_root.name,
        description=settings.get("description", ""),
        lang=default_lang,
        base_url=check_base_url(url, from_flag=base_url is not None) if url else None,
        per_page=pages,
        feed_limit=feed_limit,
        index_name=check_index_name(index, from_flag=index_name is not None),
        **flags,
    )


def check_base_url(url: str, *, from_flag: bool = True) -> str:
    """An absolute http(s) URL, returned without its trailing slash."""
    parts = urlsplit(url.strip())
    if parts.scheme not in ("http", "https") or not parts.netloc or parts.query or parts.fragment:
        name = "--base-url" if from_flag else "export.base_url"
        raise _setting_error(
            from_flag,
            f"{name} must be an absolute http(s) URL like https://example.com, not {url!r}",
        )
    return url.strip().rstrip("/")


_INDEX_FORBIDDEN = re.compile(r'[\\/*?"<>|,# :A-Z]')


def check_index_name(name: str, *, from_flag: bool = True) -> str:
    """OpenSearch/Elasticsearch index naming rules: lower case, no specials, bounded."""
    bad = (
        not name
        or _INDEX_FORBIDDEN.search(name)
        or name[0] in "-_+"
        or name in (".", "..")
        or len(name.encode("utf-8")) > 255
    )
    if bad:
        flag = "--index" if from_flag else "export.index"
        raise _setting_error(
            from_flag,
            f"{flag} {name!r} is not a valid index name (lower case; no spaces or "
            '\\ / * ? " < > | , # :; not starting with - _ +)',
        )
    return name


def _setting_error(from_flag: bool, message: str) -> LushbeatError:
    return UsageError(message) if from_flag else ConfigError(message)


def check_request(
    exporter: Exporter, options: ExportOptions, destination: Destination, given: Iterable[str]
) -> None:
    """Refuse flags and destinations that do not fit the format (usage errors, exit 2)."""
    for name in given:
        if name not in exporter.options:
            flag = OPTION_FLAGS.get(name, name)
            raise UsageError(f"{flag} does not apply to --format {exporter.name}")
    if exporter.needs_base_url and not options.base_url:
        raise UsageError(
            f"--format {exporter.name} needs --base-url (or base_url in [export]): "
            "feed readers need absolute links"
        )
    if exporter.needs_path and destination.to_stream:
        what = "a folder" if exporter.writes_directory else "a file"
        raise UsageError(f"--format {exporter.name} needs --output with {what}, not stdout")


def choose_articles(
    exporter: Exporter, articles: Sequence[Article], options: ExportOptions
) -> tuple[list[Article], list[str]]:
    """The articles to export, in order, and notes about those left out.

    A publishing format (site, feeds) keeps live articles only unless ``include_drafts``,
    newest first; the limit applies after that, so a feed holds the newest N live articles.
    """
    chosen = list(articles)
    notes: list[str] = []
    if exporter.publishes:
        if not options.include_drafts:
            left_out = [a for a in chosen if a.status is not Status.PUBLISHED]
            if left_out:
                chosen = [a for a in chosen if a.status is Status.PUBLISHED]
                notes.append(f"{_not_live(left_out)} left out (use --include-drafts to keep them)")
        chosen = newest_first(chosen)
    if exporter.dated_only:
        undated = sum(1 for a in chosen if a.date is None)
        if undated:
            chosen = [a for a in chosen if a.date is not None]
            notes.append(f"{undated} undated article{'s' if undated != 1 else ''} left out")
    limit = options.limit
    if limit is None and exporter.limited_by_default:
        limit = options.feed_limit
    if limit is not None:
        chosen = chosen[:limit]
    return chosen, notes


def newest_first(articles: Iterable[Article]) -> list[Article]:
    """By date, newest first; ties by path; undated last."""
    by_path = sorted(articles, key=lambda a: a.path.as_posix())
    dated = sorted((a for a in by_path if a.date), key=lambda a: a.date, reverse=True)  # type: ignore[arg-type, return-value]
    return dated + [a for a in by_path if a.date is None]


def _not_live(articles: Sequence[Article]) -> str:
    drafts = sum(1 for a in articles if a.status is Status.DRAFT)
    scheduled = len(articles) - drafts
    parts = []
    if drafts:
        parts.append(f"{drafts} draft{'s' if drafts != 1 else ''}")
    if scheduled:
        parts.append(f"{scheduled} scheduled article{'s' if scheduled != 1 else ''}")
    return " and ".join(parts)


def run_export(
    exporter: Exporter,
    articles: Sequence[Article],
    options: ExportOptions,
    destination: Destination,
    given: Iterable[str] = (),
) -> ExportResult:
    """Check the request, choose the articles, export them; notes from both steps."""
    check_request(exporter, options, destination, given)
    if destination.path is not None:
        check_target(destination.path, options, directory=exporter.writes_directory)
    chosen, notes = choose_articles(exporter, articles, options)
    result = exporter.export(chosen, options, destination)
    result.notes[:0] = notes
    return result


# ---------------------------------------------------------------- writing


def check_target(path: Path, options: ExportOptions, *, directory: bool) -> None:
    """Never write over an article, the config, or the project holding them."""
    target = path.resolve()
    if directory:
        if target.exists() and not target.is_dir():
            raise UsageError(f"--output {path} exists and is not a folder")
        guarded = (options.content_root.resolve(), options.project_root.resolve(), Path.cwd())
        for place in guarded:
            if target == place or target in place.parents:
                raise UsageError(
                    f"--output {path} would replace {place}; choose a folder of its own"
                )
        return
    if target.is_dir():
        raise UsageError(f"--output {path} is a folder; give a file name")
    if target.exists() and (
        (is_article_path(target) and options.content_root.resolve() in target.parents)
        or target.name in ("lushbeat.toml", "pyproject.toml")
    ):
        raise UsageError(f"--output {path} is one of the project's own files; not overwritten")


def write_text(destination: Destination, produce: Callable[[TextIO], None]) -> None:
    """Text output (UTF-8, newlines as written) to the stream, or atomically to the file."""
    if destination.path is None:
        assert destination.stream is not None, "a stream destination needs a stream"
        _write_utf8(destination.stream, produce)
        return
    # Streamed to a temporary file renamed into place at the end: a reader never sees half a
    # file, and a large archive's export needs no memory for its output.
    with atomic_writer(destination.path, overwrite=True) as stream:
        _write_utf8(stream, produce)


def _write_utf8(stream: BinaryIO, produce: Callable[[TextIO], None]) -> None:
    wrapper = io.TextIOWrapper(stream, encoding="utf-8", newline="", write_through=True)
    try:
        produce(wrapper)
        wrapper.flush()
    finally:
        wrapper.detach()


def track(items: Sequence[T], progress: ProgressCallback | None) -> Iterator[T]:
    """Yield the items, reporting (done, total) after each one."""
    total = len(items)
    for done, item in enumerate(items, start=1):
        yield item
        if progress is not None:
            progress(done, total)
