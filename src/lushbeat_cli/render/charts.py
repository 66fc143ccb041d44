"""Bar charts of counts for `lushbeat stats`: rich bars on a terminal, aligned text when piped.

Imported by cli only.
"""

from __future__ import annotations

from collections.abc import Sequence

from lushbeat_cli.render.human import Output, clean

BAR_WIDTH = 32


def print_summary(output: Output, lines: Sequence[tuple[str, str]]) -> None:
    """``label  value`` lines (totals) above the charts."""
    if not output.stdout_is_terminal:
        width = max((len(label) for label, _ in lines), default=0)
        output.write("".join(f"{label.ljust(width)}  {clean(value)}\n" for label, value in lines))
        return
    from rich.table import Table

    table = Table.grid(padding=(0, 2))
    table.add_column(style="header", no_wrap=True)
    table.add_column()
    for label, value in lines:
        table.add_row(label, value)
    output.out.print(table)


def print_chart(
    output: Output, title: str, rows: Sequence[tuple[str, int]], *, hidden: int = 0
) -> None:
    """One titled chart: a bar per row, scaled to the largest count."""
    more = f"… and {hidden} more" if hidden else ""
    if not output.stdout_is_terminal:
        labels = [clean(label) for label, _ in rows]  # one line each, whatever the value holds
        width = max((len(label) for label in labels), default=0)
        digits = max((len(str(count)) for _, count in rows), default=1)
        lines = [f"\n{title}\n"]
        for label, (_, count) in zip(labels, rows, strict=True):
            lines.append(f"  {label.ljust(width)}  {str(count).rjust(digits)}\n")
        if more:
            lines.append(f"  {more}\n")
        output.write("".join(lines))
        return
    from rich.bar import Bar
    from rich.table import Table
    from rich.text import Text

    console = output.out
    console.print()
    console.print(Text(title, style="header"))
    largest = max((count for _, count in rows), default=0) or 1
    table = Table.grid(padding=(0, 2))
    table.add_column(no_wrap=True, max_width=40, overflow="ellipsis")
    table.add_column(justify="right", no_wrap=True)
    table.add_column(no_wrap=True)
    for label, count in rows:
        table.add_row(
            Text(clean(label), style="muted" if label.startswith("(") else ""),
            str(count),
            Bar(largest, 0, count, width=BAR_WIDTH, color="cyan"),
        )
    console.print(table, overflow="ignore")
    if more:
        console.print(Text(more, style="muted"))
