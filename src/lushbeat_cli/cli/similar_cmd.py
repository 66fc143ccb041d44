"""`lushbeat similar`: explainable "Similar Posts" / "Baca juga" suggestions.

``--write`` stores them in each article's ``related:`` field.
"""

from __future__ import annotations

import sys
from collections.abc import Iterable
from pathlib import Path

from lushbeat_cli.cli._actions import Filters
from lushbeat_cli.cli._article import ARTICLE, pick_article
from lushbeat_cli.cli._corpus import load_articles
from lushbeat_cli.cli._state import State, state
from lushbeat_cli.cli.params import (
    AUTHOR,
    CATEGORY,
    LANG,
    NO_INDEX,
    NULL,
    OUTPUT,
    SINCE,
    TAG,
    UNTIL,
    WHERE,
    Option,
    Values,
    limit_option,
)
from lushbeat_cli.core.article import Article, Status
from lushbeat_cli.core.config import Config
from lushbeat_cli.core.similar.engine import (
    PARTS,
    SimilarEngine,
    SimilarSettings,
    Suggestion,
    is_locked,
    plan_related_edit,
)
from lushbeat_cli.errors import EXIT_FINDINGS, EXIT_OK, LushbeatError, UsageError
from lushbeat_cli.render import machine
from lushbeat_cli.render import similar as shapes
from lushbeat_cli.render.progress import progress_bars

SCORING = "Scoring"
FORMATS = ("table", "json", "jsonl", "paths", "markdown")

PARAMS = (
    ARTICLE.replace(required=False),
    Option("title", "--title", metavar="TITLE", help="Suggest for a story not yet saved."),
    Option(
        "body_file",
        "--body-file",
        kind="path",
        path="file",
        metavar="FILE",
        help="With --title: the unsaved story's text ('-' reads stdin; front matter is read).",
    ),
    Option("all_articles", "--all", default=False, help="Suggestions for every article."),
    Option(
        "explain",
        "--explain",
        default=False,
        help="Show each score part, shared tags and key terms.",
        panel=OUTPUT,
    ),
    limit_option("At most N suggestions (default from the config: 5).", panel=SCORING),
    Option(
        "threshold",
        "--threshold",
        kind="float",
        min=0.0,
        max=1.0,
        metavar="SCORE",
        help="Minimum score, 0-1 (default from the config: 0.15).",
        panel=SCORING,
    ),
    Option(
        "include_newer",
        "--include-newer/--older-only",
        kind="bool",
        help="Also suggest stories dated after the article (default: older only).",
        show_default=False,
        panel=SCORING,
    ),
    Option(
        "same_lang",
        "--same-lang/--any-lang",
        kind="bool",
        help="Only stories in the article's language (default) or in any.",
        show_default=False,
        panel=SCORING,
    ),
    TAG,
    CATEGORY,
    AUTHOR,
    SINCE,
    UNTIL,
    LANG,
    WHERE,
    Option(
        "output_format",
        "--format",
        "-f",
        choices=FORMATS,
        help="Output format (default: table).",
        show_default=False,
        panel=OUTPUT,
    ),
    Option(
        "write",
        "--write",
        default=False,
        help="Store the suggested slugs in each article's related: field.",
    ),
    Option("diff", "--diff", default=False, help="Show what --write would change; write nothing."),
    NULL,
    NO_INDEX,
)


def run(values: Values, state: State) -> int:
    """Suggest similar articles ("Baca juga"), and say why each one matched.

    A score (0-1) adds up weighted parts: shared distinctive terms of title, summary and body
    (text), shared tags, title words, same category and closeness in time (recency). Drafts and
    scheduled stories are never suggested; the filters narrow which articles may be suggested.
    Settings live in the \\[similar] table of lushbeat.toml.

    \b
    Examples:
      lushbeat similar pilpres-venezuela-menghadirkan-pemimpin-baru-nicholas-maduro --explain
      lushbeat similar "pilpres venezuela" --include-newer --format markdown
      lushbeat similar --title "Harga minyak naik" --body-file draft.md
      lushbeat similar --all --format jsonl > related.jsonl
      lushbeat similar --all --write --diff
    """
    config = state.config
    article, title, body_file = values.article, values.title, values.body_file
    all_articles, explain = values.all_articles, values.explain
    write, diff = values.write, values.diff
    output_format = values.output_format
    if body_file is not None and title is None:
        raise UsageError("--body-file goes with --title")
    if sum(bool(item) for item in (article, title, all_articles)) != 1:
        raise UsageError("name one ARTICLE, or use --title for an unsaved story, or --all")
    if title is not None and (write or diff):
        raise UsageError("--write and --diff need a saved article (ARTICLE or --all)")
    if values.null and output_format != "paths":
        raise UsageError("-0/--null only goes with --format paths")
    if all_articles and output_format in ("paths", "markdown"):
        raise UsageError(
            f"--format {output_format} shows one article; with --all use table, json or jsonl"
        )
    if all_articles and explain and output_format in (None, "table"):
        raise UsageError("--explain with --all needs --format json or jsonl")
    settings = SimilarSettings.from_config(config).replace(
        limit=values.limit,
        threshold=values.threshold,
        include_newer=values.include_newer,
        # --lang picks the language of the suggestions, whatever the article's own.
        same_lang=False if values.lang is not None else values.same_lang,
    )
    selection = load_articles(Filters.from_values(values), no_index=values.no_index)
    corpus, query = selection.corpus, selection.query
    out = state.output
    failed = bool(corpus.errors)

    storing, writing = write or diff, write and not diff
    # Progress on a terminal: one article's suggestions analyse the whole archive too.
    with progress_bars(out, enabled=out.stderr_is_terminal) as progress:
        if all_articles:
            index = SimilarEngine(
                corpus.articles,
                settings,
                content_root=config.content_path,
                pool=None if query.is_unfiltered else query.matches,
                progress=progress,
            )
            scored = index.suggest_all(progress=progress)
            if not storing:
                _show_all(scored, output_format or "table", explain)  # streamed as scored
            results = list(scored) if storing else []
        else:
            articles = corpus.articles
            if title is not None:
                source = _unsaved_story(config, title, body_file)
                # Analysed with the archive, so words it shares with a single story count.
                articles = [item for item in articles if item.path != source.path] + [source]
            else:
                source = pick_article(article or "", corpus.articles)
            index = SimilarEngine(
                articles,
                settings,
                content_root=config.content_path,
                pool=None if query.is_unfiltered else query.matches,
                progress=progress,
            )
            items = index.suggest(source)
            results = [(source, items)]
    # The files first: a reader that stops reading (`| head`) must not stop the writes.
    if writing:
        failed |= _store(results, dry_run=False)
    if all_articles:
        if storing and output_format is not None:
            _show_all(results, output_format, explain)
    else:
        if output_format is not None or not storing:
            _show_one(
                source,
                items,
                output_format or "table",
                explain,
                settings,
                folder=config.content_path if title is not None else source.path.parent,
                null=values.null,
            )
        if not items and not storing:
            out.info(f"no similar article scores {settings.threshold:g} or more")
    if diff:
        failed |= _store(results, dry_run=True)
    return EXIT_FINDINGS if failed else EXIT_OK


def _unsaved_story(config: Config, title: str, body_file: Path | None) -> Article:
    from lushbeat_cli.core.article import build_article, slugify
    from lushbeat_cli.core.reading.frontmatter import parse_bytes

    placeholder = config.content_path / f"{slugify(title)}.md"
    if body_file is None:
        return Article(path=placeholder, metadata={}, body="", title=title, status=Status.DRAFT)
    from lushbeat_cli.core.files.inputs import InputError, read_input

    try:
        data = read_input(body_file, config.max_file_size, allow_stdin=True)
    except InputError as exc:
        reason = exc.message.removeprefix("cannot read: ")
        raise UsageError(f"cannot read --body-file: {reason}", path=body_file) from None
    path = placeholder if str(body_file) == "-" else body_file.resolve()
    try:
        story = build_article(path, parse_bytes(data, path), config.tz, fields=config.fields)
    except LushbeatError:  # plain text, not an article: all of it is the body
        story = Article(path=path, metadata={}, body=data.decode("utf-8", errors="replace"))
    story.title = title
    story.status = Status.DRAFT  # never suggested, not even to itself
    return story


def _show_one(
    source: Article,
    items: list[Suggestion],
    fmt: str,
    explain: bool,
    settings: SimilarSettings,
    *,
    folder: Path,
    null: bool = False,
) -> None:
    out = state().output
    stream = sys.stdout
    if fmt == "json":
        machine.write_json([shapes.suggestion_record(i, explain=explain) for i in items], stream)
    elif fmt == "jsonl":
        machine.write_jsonl((shapes.suggestion_record(i, explain=explain) for i in items), stream)
    elif fmt == "paths":
        paths = (machine.raw_path(i.article.path) for i in items)
        machine.write_paths(paths, stream, null=null)
    elif fmt == "markdown":
        if items:
            stream.write(shapes.markdown_block(folder, items, settings.heading))
    elif explain:
        weights = {part: settings.weights.of(part) for part in PARTS}
        for rank, item in enumerate(items, start=1):
            lines = shapes.explanation(rank, item, weights)
            out.out.print("\n".join(lines), overflow="ignore", crop=False, soft_wrap=True)
    elif items:
        out.table(("#", "score", "date", "title", "path"), shapes.table_rows(items))


def _show_all(results: Iterable[tuple[Article, list[Suggestion]]], fmt: str, explain: bool) -> None:
    """Every article's suggestions; jsonl is streamed, one line per article as it is scored."""
    stream = sys.stdout
    count = 0
    if fmt == "jsonl":
        for source, items in results:
            record = shapes.article_suggestions_record(source, items, explain=explain)
            machine.write_jsonl([record], stream)
            count += 1
    elif fmt == "json":
        records = [
            shapes.article_suggestions_record(source, items, explain=explain)
            for source, items in results
        ]
        machine.write_json(records, stream)
        count = len(records)
    else:
        rows = []
        for source, items in results:
            count += 1
            where = machine.display_path(source.path)
            for rank, item in enumerate(items, start=1):
                similar = machine.display_path(item.article.path)
                rows.append([where, str(rank), f"{item.score:.3f}", similar])
        state().output.table(("article", "#", "score", "similar"), rows)
    state().output.info(f"{count} article{'s' if count != 1 else ''}")


def _store(results: list[tuple[Article, list[Suggestion]]], *, dry_run: bool) -> bool:
    """Write each changed ``related:`` (``dry_run``: print it as a diff); True if any failed."""
    out = state().output
    changed = unchanged = locked = failed = 0
    for source, items in results:
        if is_locked(source):
            locked += 1
            continue
        try:
            slugs = [item.article.slug for item in items]
            edit = plan_related_edit(source, slugs, max_size=state().config.max_file_size)
            if edit.changed and dry_run:
                from lushbeat_cli.render.diff import print_diff

                print_diff(out, edit)
            elif edit.changed:
                from lushbeat_cli.core.edit import commit_edit

                commit_edit(edit)
        except LushbeatError as exc:
            out.problem(machine.display_path(source.path), exc.message)
            failed += 1
            continue
        if edit.changed:
            changed += 1
        else:
            unchanged += 1
    verb = "would update" if dry_run else "updated"
    summary = f"{verb} {changed} article{'s' if changed != 1 else ''}; {unchanged} unchanged"
    if locked:
        summary += f"; {locked} locked (related_lock)"
    if failed:
        summary += f"; {failed} failed"
    out.info(summary)
    return failed > 0
