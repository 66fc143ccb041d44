"""Shell completion values from the archive: slugs (with titles) for ARTICLE, tags, categories,
authors, template names and rule codes. Typer-free; ``cli._typer`` hands these functions to
typer as ``autocompletion`` callbacks for the parameters declared with ``complete=...``.

A completion runs at every Tab: it loads the collection through the index (only files changed
since the last command are read again), prints nothing, and never fails: whatever goes wrong
(no config, an unreadable folder, a bug) completes to nothing.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable
from typing import Any

Candidates = list[tuple[str, str]]  # (value, help shown beside it by zsh and fish)


def _project(ctx: Any) -> Any:
    """The config the command line names (``-C``/``--config`` are parsed by then)."""
    from lushbeat_cli.core.config import load_config

    params = ctx.find_root().params if ctx is not None else {}
    return load_config(params.get("root"), params.get("config_file"))


def _articles(ctx: Any) -> list[Any]:
    from lushbeat_cli.core.reading.corpus import load_corpus

    return list(load_corpus(_project(ctx)).articles)


def _counted(values: Iterable[str], incomplete: str) -> Candidates:
    counts: dict[str, int] = {}
    for value in values:
        if value:
            counts[value] = counts.get(value, 0) + 1
    ranked = sorted(counts.items(), key=lambda item: (-item[1], item[0].lower()))
    return [
        (value, f"{count} article{'s' if count != 1 else ''}")
        for value, count in ranked
        if value.startswith(incomplete)
    ]


def articles(ctx: Any, incomplete: str) -> Candidates:
    """Slugs, with the title as help; a path when the word typed so far looks like one."""
    if os.sep in incomplete or incomplete.startswith("."):
        return []  # the shell's own file completion is better at paths
    return sorted(
        (article.slug, article.title)
        for article in _articles(ctx)
        if article.slug and article.slug.startswith(incomplete)
    )


def tags(ctx: Any, incomplete: str) -> Candidates:
    return _counted((tag for article in _articles(ctx) for tag in article.tags), incomplete)


def categories(ctx: Any, incomplete: str) -> Candidates:
    found = _counted((article.category or "" for article in _articles(ctx)), incomplete)
    listed = {value for value, _ in found}
    declared = [
        (name, "from the config")
        for name in _project(ctx).categories or ()
        if name not in listed and name.startswith(incomplete)
    ]
    return found + declared


def authors(ctx: Any, incomplete: str) -> Candidates:
    return _counted((name for article in _articles(ctx) for name in article.authors), incomplete)


def templates(ctx: Any, incomplete: str) -> Candidates:
    folder = _project(ctx).templates_path
    names = sorted(path.stem for path in folder.glob("*.md") if path.is_file())
    return [(name, "template") for name in names if name.startswith(incomplete)]


def rules(ctx: Any, incomplete: str) -> Candidates:
    """Rule codes and names; after a comma, the next one (``--select LB2,LB3``)."""
    from lushbeat_cli.core.rules import RULES

    done, comma, last = incomplete.rpartition(",")
    prefix = done + comma
    found = []
    for rule in RULES:
        for value in (rule.code, rule.name):
            if value.startswith(last):
                found.append((prefix + value, rule.description))
    return found


def languages(ctx: Any, incomplete: str) -> Candidates:
    config = _project(ctx)
    found = _counted((article.lang or "" for article in _articles(ctx)), incomplete)
    default = config.default_lang
    if default and default.startswith(incomplete) and all(v != default for v, _ in found):
        found.append((default, "default_lang"))
    return found


KINDS: dict[str, Callable[[Any, str], Candidates]] = {
    "articles": articles,
    "tags": tags,
    "categories": categories,
    "authors": authors,
    "templates": templates,
    "rules": rules,
    "languages": languages,
}


def completer(kind: str) -> Callable[..., Candidates]:
    """The ``autocompletion`` callback for ``kind`` (typer passes ``ctx`` and ``incomplete``
    by name): never raises, never prints."""
    produce = KINDS[kind]

    def complete(ctx: Any, incomplete: str) -> Candidates:
        try:
            return produce(ctx, incomplete or "")
        except Exception:  # a Tab must never print a traceback into the command line
            return []
        except KeyboardInterrupt:
            return []

    complete.__name__ = f"complete_{kind}"
    return complete
