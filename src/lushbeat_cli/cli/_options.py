"""Option declarations shared by several commands (filters, output), declared once.

Commands take these as parameters, gather the filters' values in ``Filters`` and hand them to
``cli._corpus.load_articles`` (``Filters.query`` turns them into an ``ArticleQuery``).
"""

from __future__ import annotations

from typing import Annotated

import typer

FILTERS = "Filters"
OUTPUT = "Output"

TagOption = Annotated[
    list[str] | None,
    typer.Option(
        "--tag",
        "-t",
        metavar="TAG",
        help="Only articles with this tag (repeatable; all must match).",
        rich_help_panel=FILTERS,
    ),
]
CategoryOption = Annotated[
    str | None,
    typer.Option("--category", metavar="NAME", help="Only this category.", rich_help_panel=FILTERS),
]
AuthorOption = Annotated[
    str | None,
    typer.Option(
        "--author", metavar="NAME", help="Only articles by this author.", rich_help_panel=FILTERS
    ),
]
StatusOption = Annotated[
    str,
    typer.Option(
        "--status",
        metavar="STATUS",
        help="draft, published, scheduled or all.",
        rich_help_panel=FILTERS,
    ),
]
SinceOption = Annotated[
    str | None,
    typer.Option(
        "--since", metavar="DATE", help="Dated on or after DATE.", rich_help_panel=FILTERS
    ),
]
UntilOption = Annotated[
    str | None,
    typer.Option(
        "--until", metavar="DATE", help="Dated on or before DATE.", rich_help_panel=FILTERS
    ),
]
LangOption = Annotated[
    str | None,
    typer.Option(
        "--lang", metavar="LANG", help="Only this language (e.g. id, en).", rich_help_panel=FILTERS
    ),
]
WhereOption = Annotated[
    list[str] | None,
    typer.Option(
        "--where",
        metavar="FIELD=VALUE",
        help="Any front-matter field equals (or with != differs from) VALUE. Repeatable.",
        rich_help_panel=FILTERS,
    ),
]
LimitOption = Annotated[
    int | None,
    typer.Option(
        "--limit", "-n", min=0, metavar="N", help="At most N results.", rich_help_panel=OUTPUT
    ),
]
FieldsOption = Annotated[
    str | None,
    typer.Option(
        "--fields",
        metavar="a,b,c",
        help="Comma-separated fields to output (any front-matter key).",
        rich_help_panel=OUTPUT,
    ),
]

# Options of the commands that create articles (new, import).
NewCategoryOption = Annotated[
    str | None, typer.Option("--category", "-c", metavar="NAME", help="Category.")
]
NewTagOption = Annotated[
    list[str] | None, typer.Option("--tag", "-t", metavar="TAG", help="A tag (repeatable).")
]
NewAuthorOption = Annotated[
    list[str] | None,
    typer.Option(
        "--author", "-a", metavar="NAME", help="Author (repeatable; default from config)."
    ),
]
NewLangOption = Annotated[
    str | None, typer.Option("--lang", metavar="LANG", help="Language (default from config).")
]
TemplateOption = Annotated[
    str | None, typer.Option("--template", metavar="NAME", help="Template from templates_dir.")
]

NoIndexOption = Annotated[
    bool,
    typer.Option("--no-index", help="Parse the files directly instead of using the index."),
]
