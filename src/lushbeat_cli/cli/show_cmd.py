"""`lushbeat show`: one article's front matter and body, as text, JSON or the raw file."""

from __future__ import annotations

import sys

from lushbeat_cli.cli._article import ARTICLE, find_article
from lushbeat_cli.cli._state import State
from lushbeat_cli.cli.params import NO_INDEX, Option, Values
from lushbeat_cli.errors import UsageError
from lushbeat_cli.render import machine

PARAMS = (
    ARTICLE,
    Option(
        "output_format",
        "--format",
        "-f",
        choices=("text", "json"),
        default="text",
        help="text (table + body) or json.",
    ),
    Option("raw", "--raw", default=False, help="Print the file exactly as it is."),
    NO_INDEX,
)


def run(values: Values, state: State) -> int:
    """Show one article: its front matter as a table and its body as Markdown.

    ARTICLE is a path, a slug or a title (fuzzy: "maduro pilpres" finds it).
    When several articles fit, they are listed on stderr and nothing is shown (exit 2).

    JSON: the record of `list --format json`, plus format, metadata (every key) and body.

    \b
    Examples:
      lushbeat show pilpres-venezuela-menghadirkan-pemimpin-baru-nicholas-maduro
      lushbeat show "maduro pilpres" --format json | jq .metadata.tags
      lushbeat show content/2024/11/cop29-opens-in-baku-with-climate-finance-fight-looming.md --raw
    """
    if values.raw and values.output_format != "text":
        raise UsageError("--raw prints the file as it is; it does not go with --format")
    found, _ = find_article(values.article, no_index=values.no_index)
    if values.raw:
        from lushbeat_cli.core.files.inputs import read_input

        data = read_input(found.path, state.config.max_file_size)  # or one line (exit 1)
        sys.stdout.flush()
        sys.stdout.buffer.write(data)
        sys.stdout.buffer.flush()
        return 0
    if values.output_format == "json":
        from lushbeat_cli.render.shapes import show_record, write_document

        write_document(show_record(found), sys.stdout)
        return 0
    from lushbeat_cli.render.article_view import display_value, print_article

    rows = [("path", machine.display_path(found.path))]
    rows += [(str(key), display_value(value)) for key, value in found.metadata.items()]
    declared = found.metadata.get("status")
    if "status" not in found.metadata or str(declared).strip().lower() != found.status.value:
        rows.append(("effective status", found.status.value))
    print_article(state.output, rows, found.body)
    return 0
