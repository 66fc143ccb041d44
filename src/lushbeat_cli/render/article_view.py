"""One article for people (`lushbeat show`): its front matter as a table, then the body as
rendered Markdown on a terminal, or as plain text when piped. Imported by cli only.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

from lushbeat_cli.render.human import Output
from lushbeat_cli.render.machine import jsonable


def display_value(value: Any) -> str:
    """A front-matter value as one line of text: ISO dates, lists joined with commas."""
    value = jsonable(value)
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list):
        return ", ".join(display_value(item) for item in value)
    if isinstance(value, dict):
        return json.dumps(value, ensure_ascii=False)
    return str(value)


def print_article(output: Output, rows: Sequence[tuple[str, str]], body: str) -> None:
    """The field table, a blank line, then the body."""
    if not output.stdout_is_terminal:
        output.table(("field", "value"), rows)
        if body.strip():
            output.write("\n" + body.strip("\n") + "\n")
        return
    from rich import box
    from rich.markdown import Markdown
    from rich.table import Table
    from rich.text import Text

    table = Table(box=box.SIMPLE, show_header=False, show_edge=False, pad_edge=False)
    table.add_column("field", style="header", no_wrap=True)
    table.add_column("value", overflow="fold")
    for name, value in rows:
        style = f"status.{value}" if name in ("status", "effective status") else ""
        table.add_row(name, Text(value, style=style))
    console = output.out
    console.print(table)
    if body.strip():
        console.rule(style="muted")
        console.print(Markdown(body, hyperlinks=False))
