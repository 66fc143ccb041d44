"""Publish and unpublish: which front-matter keys change, and where a moved article goes.

Plans only (``FileEdit``s from the in-place editor); ``core.edit.commit_edit`` writes them.
Used by ``lushbeat publish`` and ``lushbeat unpublish``.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

from lushbeat_cli.core.article import (
    Article,
    Status,
    build_article,
    draft_folders_free,
    effective_status,
    parse_date,
)
from lushbeat_cli.core.config import Config
from lushbeat_cli.core.edit import FieldValue, FileEdit, metadata_of, plan_edit, read_article_text
from lushbeat_cli.core.links import links_to
from lushbeat_cli.core.reading.frontmatter import parse_bytes
from lushbeat_cli.core.workflow.create import article_path
from lushbeat_cli.errors import ArticleExistsError, LushbeatError, UsageError

_DATE_ONLY = re.compile(r"^\s*\d{4}-\d{2}-\d{2}\s*$")


@dataclass(frozen=True)
class PublishPlan:
    """What publishing (or unpublishing) one article changes."""

    article: Article
    edit: FileEdit
    status: Status  # the effective status afterwards
    date: datetime | None  # the article's date afterwards
    changed_keys: tuple[str, ...] = ()
    linked_from: list[Article] = field(default_factory=list)  # links to the old path (--move)

    @property
    def scheduled(self) -> bool:
        return self.status is Status.SCHEDULED

    def unfinished(self, config: Config) -> list[tuple[int, str]]:
        """(line, message) for what still looks unwritten in a story this plan makes public
        (the unfinished-story rule, LB312): template placeholder text, empty wanted fields."""
        if self.status is Status.DRAFT:
            return []
        from lushbeat_cli.core.rules.editorial import WANTED_FIELDS, unfinished_parts
        from lushbeat_cli.core.schema import load_schema
        from lushbeat_cli.core.workflow.templates import template_placeholders

        wanted = (*WANTED_FIELDS, *load_schema(config).fields)
        parts = unfinished_parts(self.article, template_placeholders(config), wanted, config.fields)
        return [
            (where[0] if isinstance(where, tuple) else self.article.position(where)[0], message)
            for where, message in parts
        ]


def parse_when(text: str, config: Config) -> tuple[datetime, bool]:
    """A ``--date`` value like ``lushbeat new`` takes it; also says whether it was a bare date."""
    try:
        return parse_date(text, config.tz), bool(_DATE_ONLY.match(text))
    except ValueError:
        raise UsageError(
            f"--date expects a date like 2024-07-29 or 2024-07-29T10:00, got {text!r}"
        ) from None


def plan_publish(
    article: Article,
    config: Config,
    *,
    when: datetime | None = None,
    date_only: bool = False,
    move: bool = False,
    articles: Iterable[Article] = (),
    now: datetime | None = None,
) -> PublishPlan:
    """Mark an article published, dated ``when`` (or kept; now when it has no date).

    ``status``, Hugo's ``draft`` and Jekyll's ``published`` are set where the file has them;
    none is added (an article with none of them is published already). The date goes to the
    key the file has it under (``[fields] date``). With ``move`` the file goes to the path the
    pattern gives for its (new) date.
    """
    now = now or datetime.now(config.tz).replace(microsecond=0)
    text, article = _reread(article, config, now)
    meta = article.metadata
    _refuse_draft_folder(article, config)
    date_key = config.fields.write_key(meta, "date")
    formats = config.fields.date_formats
    old_date = meta.get(date_key)
    if when is None and article.date is None and old_date not in (None, ""):
        line, _ = article.position(date_key)
        raise LushbeatError(
            f"'{date_key}' is not a date ({old_date!r}); fix it, or give --date or --now",
            path=article.path,
            line=line,
        )
    edits: dict[str, FieldValue] = {}
    if "status" in meta:
        edits["status"] = Status.PUBLISHED.value
    if "draft" in meta:
        edits["draft"] = False
    if "published" in meta:
        edits["published"] = True
    # Without any of them an article is published already; nothing is added.
    new_date = article.date
    if when is not None:
        edits[date_key] = date_value(old_date, when, date_only=date_only, formats=formats)
        new_date = when
    elif article.date is None:
        edits[date_key] = date_value(old_date, now, date_only=False, formats=formats)
        new_date = now
    target = _move_target(article, config, new_date or now) if move else None
    edit = plan_edit(article.path, edits, text=text, target=target)
    status = effective_status(Status.PUBLISHED, new_date, now)
    linked = links_to(article.path, articles, config.content_path) if edit.moves else []
    return _plan(article, edit, status, new_date, linked)


def plan_unpublish(article: Article, config: Config) -> PublishPlan:
    """Mark an article a draft: ``draft: true`` and ``published: false`` where the file has
    those keys, ``status: draft`` where it has that key or neither of the others (added). The
    date is kept."""
    text, article = _reread(article, config, None)
    meta = article.metadata
    edits: dict[str, FieldValue] = {}
    if "status" in meta or ("draft" not in meta and "published" not in meta):
        edits["status"] = Status.DRAFT.value
    if "draft" in meta:
        edits["draft"] = True
    if "published" in meta:
        edits["published"] = False
    edit = plan_edit(article.path, edits, text=text)
    return _plan(article, edit, Status.DRAFT, article.date, [])


def _refuse_draft_folder(article: Article, config: Config) -> None:
    """A draft by its folder (Jekyll's ``_drafts/``) is published by moving it to the posts:
    a changed key would not publish it."""
    folders = config.fields.draft_folders
    if folders and not draft_folders_free(article.path, folders):
        raise LushbeatError(
            "is a draft by its folder (" + ", ".join(f"{f.strip('/')}/" for f in folders) + "); "
            "move it out of that folder (for Jekyll, into _posts/ named YYYY-MM-DD-slug) "
            "to publish it",
            path=article.path,
        )


def _reread(article: Article, config: Config, now: datetime | None) -> tuple[str, Article]:
    """The file as it is now (an index may be a moment behind): its exact text, re-parsed."""
    text = read_article_text(article.path, config.max_file_size)
    front = parse_bytes(text.encode("utf-8"), article.path)
    return text, build_article(article.path, front, config.tz, now, config.fields)


def _plan(
    article: Article,
    edit: FileEdit,
    status: Status,
    when: datetime | None,
    linked: list[Article],
) -> PublishPlan:
    changed: list[str] = []
    if edit.new != edit.old:
        after = metadata_of(edit.new, article.path)
        before = article.metadata
        changed = [key for key in after if key not in before or after[key] != before[key]]
    return PublishPlan(article, edit, status, when, tuple(changed), linked)


def date_value(
    existing: Any, when: datetime, *, date_only: bool, formats: tuple[str, ...] = ()
) -> FieldValue:
    """``when`` in the style of the date it replaces: a bare date stays a bare date, a quoted
    text date stays text (the editor keeps its quotes), and a date in one of the site's
    ``formats`` (``06/08/2017``) is written in that format. Anything else gets a real date."""
    if isinstance(existing, str):
        for fmt in formats:
            try:
                datetime.strptime(existing.strip(), fmt)
            except ValueError:
                continue
            return when.strftime(fmt)
    bare = isinstance(existing, date) and not isinstance(existing, datetime)
    as_text = isinstance(existing, str) and _is_date_text(existing)
    if as_text:
        bare = bool(_DATE_ONLY.match(existing))
    value: date | datetime = when.date() if (date_only and bare) else when
    return value.isoformat() if as_text else value


def _is_date_text(text: str) -> bool:
    try:
        parse_date(text, UTC)
    except ValueError:
        return False
    return True


def _move_target(article: Article, config: Config, when: datetime) -> Path | None:
    if article.path.is_symlink():  # moving would leave a copy here and the link's file stale
        raise UsageError(
            "is a symbolic link; --move does not move links "
            "(move it by hand, or publish without --move)",
            path=article.path,
        )
    if article.path.stem in ("index", "_index"):
        raise UsageError(
            f"{article.path.parent.name}/{article.path.name} is a page bundle; "
            "--move only moves single-file articles"
        )
    target = article_path(
        config, article.slug, when, category=article.category or "", lang=article.lang or ""
    )
    if target.suffix != article.path.suffix:  # keep .markdown files .markdown
        target = target.with_suffix(article.path.suffix)
    if target == article.path.resolve():
        return None
    if target.exists():
        raise ArticleExistsError(
            "cannot move there: the file already exists; nothing changed", path=target
        )
    return target
