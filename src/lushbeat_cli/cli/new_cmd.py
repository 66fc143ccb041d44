"""`lushbeat new` (alias `create`): a new article from a template, never overwriting."""

from __future__ import annotations

import contextlib
import os
import shlex
import subprocess
import sys

from lushbeat_cli.cli._corpus import load_articles
from lushbeat_cli.cli._state import State, emit_path
from lushbeat_cli.cli.params import (
    NEW_AUTHOR,
    NEW_CATEGORY,
    NEW_LANG,
    NEW_TAG,
    NO_INDEX,
    NULL_PATHS,
    TEMPLATE,
    Argument,
    Option,
    Values,
)
from lushbeat_cli.core.article import Status
from lushbeat_cli.errors import UsageError
from lushbeat_cli.render.machine import display_path

PARAMS = (
    Argument("title", metavar="TITLE", help="The article's title."),
    NEW_CATEGORY,
    NEW_TAG,
    NEW_AUTHOR,
    Option("date", "--date", metavar="DATE", help="Date (default: now), e.g. 2024-07-29."),
    NEW_LANG,
    Option("slug", "--slug", metavar="SLUG", help="Slug (default: from the title)."),
    Option(
        "draft",
        "--draft/--published",
        kind="bool",
        help="Status (default: the template's, else draft).",
    ),
    Option("summary", "--summary", metavar="TEXT", help="One-sentence summary."),
    TEMPLATE,
    Option(
        "field",
        "--field",
        multiple=True,
        metavar="KEY=VALUE",
        help="Extra front-matter field (repeatable).",
    ),
    Option("dry_run", "--dry-run", default=False, help="Print the file to stdout; write nothing."),
    Option("edit", "--edit", "-e", default=False, help="Open it in $VISUAL / $EDITOR."),
    NULL_PATHS,
    NO_INDEX,
)


def run(values: Values, state: State) -> int:
    """Create a new article and print its path.

    The path comes from path_pattern; an existing file or slug is never overwritten.

    \b
    Examples:
      lushbeat new "Pilpres Venezuela 2024" --category internasional --tag venezuela
      $EDITOR "$(lushbeat new "Rupiah Menguat" --template berita)"
    """
    from lushbeat_cli.core.files.locks import creation_lock
    from lushbeat_cli.core.workflow.create import (
        NewArticleOptions,
        plan_new_article,
        write_new_article,
    )

    editor = _editor_command() if values.edit else None
    config = state.config
    extra: dict[str, str] = {}
    for item in values.field or []:
        key, sep, value = item.partition("=")
        if not sep or not key.strip():
            raise UsageError(f"--field expects KEY=VALUE, got {item!r}")
        extra[key.strip()] = value
    draft = values.draft
    options = NewArticleOptions(
        title=values.title,
        slug=values.slug,
        category=values.category,
        tags=tuple(values.tag or ()),
        authors=tuple(values.author or ()),
        date=values.date,
        lang=values.lang,
        summary=values.summary,
        status=None if draft is None else (Status.DRAFT if draft else Status.PUBLISHED),
        template=values.template,
        fields=extra,
    )
    out = state.output
    # The slug check and the write are one step across processes: a parallel `new` or
    # `import` waits, then sees this article (a dry run writes nothing and takes no lock).
    with contextlib.nullcontext() if values.dry_run else creation_lock(config):
        existing = []
        if config.content_path.is_dir():  # a new project may have no content dir yet
            loaded = load_articles(no_index=values.no_index, report_errors=False)
            existing = loaded.corpus.articles
        plan = plan_new_article(config, options, existing)
        for article, _score in plan.similar_titles[:3]:
            out.warning(f'similar title exists: {display_path(article.path)} ("{article.title}")')
        if values.dry_run:
            sys.stdout.write(plan.text)
            out.info(f"would create {display_path(plan.path)} (dry run: nothing written)")
            return 0
        path = write_new_article(plan)
    emit_path(path, null=values.null)
    out.success(f"created {display_path(path)}")
    if editor:
        try:
            subprocess.run([*editor, str(path)], check=False)
        except OSError as exc:
            raise UsageError(f"cannot start editor {editor[0]!r}: {exc.strerror}") from None
    return 0


def _editor_command() -> list[str]:
    editor = os.environ.get("VISUAL") or os.environ.get("EDITOR")
    if not editor or not editor.strip():
        raise UsageError("--edit needs $VISUAL or $EDITOR to be set")
    try:
        return shlex.split(editor)
    except ValueError:
        raise UsageError(f"cannot parse $VISUAL/$EDITOR: {editor!r}") from None
