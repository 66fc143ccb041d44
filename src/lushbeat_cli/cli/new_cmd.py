"""`lushbeat new` (alias `create`): a new article from a template, never overwriting."""

from __future__ import annotations

import contextlib
import os
import shlex
import subprocess
import sys
from typing import Annotated

import typer

from lushbeat_cli.cli import _options as opt
from lushbeat_cli.cli._corpus import load_articles
from lushbeat_cli.cli._state import state
from lushbeat_cli.core.article import Status
from lushbeat_cli.errors import UsageError
from lushbeat_cli.render.machine import display_path


def new_article(
    title: Annotated[str, typer.Argument(metavar="TITLE", help="The article's title.")],
    category: opt.NewCategoryOption = None,
    tag: opt.NewTagOption = None,
    author: opt.NewAuthorOption = None,
    date: Annotated[
        str | None,
        typer.Option("--date", metavar="DATE", help="Date (default: now), e.g. 2024-07-29."),
    ] = None,
    lang: opt.NewLangOption = None,
    slug: Annotated[
        str | None,
        typer.Option("--slug", metavar="SLUG", help="Slug (default: from the title)."),
    ] = None,
    draft: Annotated[
        bool | None,
        typer.Option("--draft/--published", help="Status (default: the template's, else draft)."),
    ] = None,
    summary: Annotated[
        str | None, typer.Option("--summary", metavar="TEXT", help="One-sentence summary.")
    ] = None,
    template: opt.TemplateOption = None,
    field: Annotated[
        list[str] | None,
        typer.Option("--field", metavar="KEY=VALUE", help="Extra front-matter field (repeatable)."),
    ] = None,
    dry_run: Annotated[
        bool, typer.Option("--dry-run", help="Print the file to stdout; write nothing.")
    ] = False,
    edit: Annotated[
        bool, typer.Option("--edit", "-e", help="Open it in $VISUAL / $EDITOR.")
    ] = False,
    no_index: opt.NoIndexOption = False,
) -> None:
    """Create a new article and print its path.

    The path comes from path_pattern; an existing file or slug is never overwritten.

    \b
    Examples:
      lushbeat new "Pilpres Venezuela 2024" --category internasional --tag venezuela
      $EDITOR "$(lushbeat new "Rupiah Menguat" --template berita)"
    """
    from lushbeat_cli.core.create import NewArticleOptions, plan_new_article, write_new_article
    from lushbeat_cli.core.locks import creation_lock

    run = state()
    editor = _editor_command() if edit else None
    config = run.config
    extra: dict[str, str] = {}
    for item in field or []:
        key, sep, value = item.partition("=")
        if not sep or not key.strip():
            raise UsageError(f"--field expects KEY=VALUE, got {item!r}")
        extra[key.strip()] = value
    options = NewArticleOptions(
        title=title,
        slug=slug,
        category=category,
        tags=tuple(tag or ()),
        authors=tuple(author or ()),
        date=date,
        lang=lang,
        summary=summary,
        status=None if draft is None else (Status.DRAFT if draft else Status.PUBLISHED),
        template=template,
        fields=extra,
    )
    out = run.output
    # The slug check and the write are one step across processes: a parallel `new` or
    # `import` waits, then sees this article (a dry run writes nothing and takes no lock).
    with contextlib.nullcontext() if dry_run else creation_lock(config):
        existing = []
        if config.content_path.is_dir():  # a new project may have no content dir yet
            existing = load_articles(no_index=no_index, report_errors=False).corpus.articles
        plan = plan_new_article(config, options, existing)
        for article, _score in plan.similar_titles[:3]:
            out.warning(f'similar title exists: {display_path(article.path)} ("{article.title}")')
        if dry_run:
            sys.stdout.write(plan.text)
            out.info(f"would create {display_path(plan.path)} (dry run: nothing written)")
            return
        path = write_new_article(plan)
    typer.echo(display_path(path))
    out.success(f"created {display_path(path)}")
    if editor:
        try:
            subprocess.run([*editor, str(path)], check=False)
        except OSError as exc:
            raise UsageError(f"cannot start editor {editor[0]!r}: {exc.strerror}") from None


def _editor_command() -> list[str]:
    editor = os.environ.get("VISUAL") or os.environ.get("EDITOR")
    if not editor or not editor.strip():
        raise UsageError("--edit needs $VISUAL or $EDITOR to be set")
    try:
        return shlex.split(editor)
    except ValueError:
        raise UsageError(f"cannot parse $VISUAL/$EDITOR: {editor!r}") from None
