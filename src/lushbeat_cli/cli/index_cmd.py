"""`lushbeat index`: bring the index up to date (or rebuild it) and show its statistics."""

from __future__ import annotations

from lushbeat_cli.cli.params import Option, output_format

TYPE_CHECKING = False
if TYPE_CHECKING:
    from lushbeat_cli.cli._state import State
    from lushbeat_cli.cli.params import Values

FAST = True  # the start-up fast path answers it (cli._fast)
PARAMS = (
    Option(
        "rebuild", "--rebuild", default=False, help="Forget the index and read every file again."
    ),
    output_format(("table", "json"), "table"),
)


def run(values: Values, state: State) -> int:
    """Update the search index and show what it holds.

    Every command that reads the articles refreshes the index by itself (only files whose size
    or modification time changed are read again), so this is rarely needed. The index lives in
    .lushbeat/index.sqlite under the project root (the "path" setting of the index table in
    the config); git-ignore it.

    \b
    Examples:
      lushbeat index
      lushbeat index --rebuild
      lushbeat index --format json
    """
    from lushbeat_cli.cli._actions import refresh_index

    config, output = state.config, state.output
    return refresh_index(config, output, rebuild=values.rebuild, output_format=values.output_format)


def uses_index(values: Values) -> bool:
    return True
