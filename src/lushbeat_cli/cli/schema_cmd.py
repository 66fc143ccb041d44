"""`lushbeat schema`: the effective front-matter schema, as JSON Schema for editors."""

from __future__ import annotations

import sys

from lushbeat_cli.cli.params import Option

TYPE_CHECKING = False
if TYPE_CHECKING:
    from lushbeat_cli.cli._state import State
    from lushbeat_cli.cli.params import Values

PARAMS = (
    Option(
        "output_format",
        "--format",
        "-f",
        choices=("json-schema",),
        default="json-schema",
        help="json-schema (JSON Schema draft-07).",
    ),
)


def run(values: Values, state: State) -> int:
    """Print the front-matter schema (built-in fields and the config's \\[schema]) as JSON Schema.

    Editors and other tools can then check front matter while a writer types: see
    docs/commands/schema.md for VS Code and Front Matter CMS. `lushbeat validate` checks more
    (dates, slugs, links, the whole collection).

    \b
    Examples:
      lushbeat schema --format json-schema > .vscode/lushbeat.schema.json
      lushbeat -C examples schema | jq '.properties.category.enum'
    """
    import json

    from lushbeat_cli.core.json_schema import front_matter_json_schema
    from lushbeat_cli.core.schema import load_schema

    config = state.config
    document = front_matter_json_schema(load_schema(config))
    sys.stdout.write(json.dumps(document, ensure_ascii=False, indent=2) + "\n")
    return 0
