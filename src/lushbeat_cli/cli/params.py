"""How a command declares its parameters, once, as data (names, flags, defaults, choices,
bounds, help), and the declarations several commands share.

No typer here (importing it costs more than a warm search), so two readers share each
declaration: ``cli._typer`` builds the typer command from it, and the start-up fast path
(``cli._fast``) parses a script's command line with it. Each command module holds ``PARAMS``
and ``run(values, state)`` (``cli._state.State``: the global options, the config and the
output), which gets the parsed ``Values`` either way.
"""

from __future__ import annotations

TYPE_CHECKING = False  # typing's costs milliseconds at start-up; names for annotations only
if TYPE_CHECKING:
    from typing import TypeAlias


class Option:
    """A ``--flag VALUE`` option, or a boolean ``--flag`` (``default=False``; a pair
    ``--on/--off`` with ``kind="bool"`` and ``default=None`` tells "not given" apart)."""

    __slots__ = (
        "choices",
        "complete",
        "default",
        "flags",
        "help",
        "kind",
        "max",
        "metavar",
        "min",
        "multiple",
        "name",
        "panel",
        "path",
        "required",
        "show_default",
    )

    def __init__(
        self,
        name: str,
        *flags: str,
        help: str,
        kind: str = "str",
        default: object = None,
        choices: tuple[str, ...] = (),
        multiple: bool = False,
        min: float | None = None,
        max: float | None = None,
        metavar: str | None = None,
        panel: str | None = None,
        path: str | None = None,
        required: bool = False,
        show_default: bool = True,
        complete: str | None = None,
    ) -> None:
        self.name = name  # the Python name: the key in ``Values``
        self.flags = flags
        self.help = help
        self.kind = "bool" if kind == "bool" or default is False else kind  # str, int, float
        self.default = default
        self.choices = choices
        self.multiple = multiple  # repeatable: a list of every value given (None: none given)
        self.min = min
        self.max = max
        self.metavar = metavar
        self.panel = panel  # the help panel it is listed in
        self.path = path  # "file" or "dir": must exist and be readable (typer checks)
        self.required = required  # typer refuses the command line without it
        self.show_default = show_default
        # Shell completion from the archive: a kind of ``cli._complete.KINDS`` (tags, ...).
        self.complete = complete

    @property
    def is_flag(self) -> bool:
        return self.kind == "bool"

    def replace(self, **changes: object) -> Option:
        """A copy with some attributes changed (a shared option with another help text)."""
        fields = {slot: getattr(self, slot) for slot in self.__slots__}
        fields.update(changes)
        name, flags = fields.pop("name"), fields.pop("flags")
        return Option(name, *flags, **fields)  # type: ignore[arg-type]


class Argument:
    """A positional argument (``multiple``: zero or more words)."""

    __slots__ = (
        "complete",
        "default",
        "help",
        "kind",
        "metavar",
        "multiple",
        "name",
        "required",
    )

    def __init__(
        self,
        name: str,
        *,
        help: str,
        metavar: str,
        multiple: bool = False,
        required: bool = True,
        kind: str = "str",
        default: object = None,
        complete: str | None = None,
    ) -> None:
        self.name = name
        self.help = help
        self.metavar = metavar
        self.multiple = multiple
        self.required = required
        self.kind = kind  # str or path
        self.default = default  # when not given (not required)
        self.complete = complete  # shell completion from the archive (see Option)

    def replace(self, **changes: object) -> Argument:
        """A copy with some attributes changed (e.g. an optional ARTICLE)."""
        fields = {slot: getattr(self, slot) for slot in self.__slots__}
        fields.update(changes)
        return Argument(fields.pop("name"), **fields)  # type: ignore[arg-type]


Params: TypeAlias = "tuple[Option | Argument, ...]"


def value_problem(option: Option, text: str) -> str | None:
    """What is wrong with ``text`` as the value of ``option``, in lushbeat's words (typer's
    own messages are its validation library's: "Input should be a valid integer..."), or
    None when nothing is found wrong here."""
    flag = next((f for f in option.flags if f.startswith("--")), option.flags[0]).split("/")[0]
    if option.choices:
        if text in option.choices:
            return None
        return f"{flag} must be one of {', '.join(option.choices)}, not {text!r}"
    if option.path is not None:
        import os

        if option.path == "dir" and os.path.exists(text) and not os.path.isdir(text):
            return f"{flag} needs a folder; {text} is not one"
        if option.path == "file" and os.path.isdir(text):
            return f"{flag} needs a file; {text} is a folder"
        return None
    if option.kind not in ("int", "float"):
        return None
    try:
        number = int(text) if option.kind == "int" else float(text)
    except ValueError:
        kind = "a whole number" if option.kind == "int" else "a number"
        return f"{flag} must be {kind}, not {text!r}"
    low, high = option.min, option.max
    if (low is not None and number < low) or (high is not None and number > high):
        if low is not None and high is not None:
            bounds = f"from {_number(low)} to {_number(high)}"
        elif low is not None:
            bounds = f"{_number(low)} or more"
        else:
            bounds = f"{_number(high)} or less"  # type: ignore[arg-type]
        return f"{flag} must be {bounds}, not {text!r}"
    return None


def _number(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else str(value)


class Values(dict):  # type: ignore[type-arg]
    """Parsed parameter values by name; ``values.limit`` reads ``values["limit"]``."""

    __slots__ = ()

    def __getattr__(self, name: str) -> object:
        try:
            return self[name]
        except KeyError:
            raise AttributeError(name) from None


def defaults(params: Params) -> Values:
    """Every parameter at its default (an argument: None, or [] if multiple)."""
    values = Values()
    for param in params:
        if isinstance(param, Option):
            values[param.name] = param.default
        else:
            values[param.name] = [] if param.multiple else param.default
    return values


# ---------------------------------------------------------------- shared options

FILTERS = "Filters"
OUTPUT = "Output"
FORMATS_TABLE = ("table", "json", "jsonl", "paths")

TAG = Option(
    "tag",
    "--tag",
    "-t",
    multiple=True,
    metavar="TAG",
    help="Only articles with this tag (repeatable; all must match).",
    panel=FILTERS,
    complete="tags",
)
CATEGORY = Option(
    "category",
    "--category",
    metavar="NAME",
    help="Only this category.",
    panel=FILTERS,
    complete="categories",
)
AUTHOR = Option(
    "author",
    "--author",
    metavar="NAME",
    help="Only articles by this author.",
    panel=FILTERS,
    complete="authors",
)
STATUS = Option(
    "status",
    "--status",
    default="all",
    metavar="STATUS",
    help="draft, published, scheduled or all.",
    panel=FILTERS,
)
SINCE = Option("since", "--since", metavar="DATE", help="Dated on or after DATE.", panel=FILTERS)
UNTIL = Option("until", "--until", metavar="DATE", help="Dated on or before DATE.", panel=FILTERS)
LANG = Option(
    "lang",
    "--lang",
    metavar="LANG",
    help="Only this language (e.g. id, en).",
    panel=FILTERS,
    complete="languages",
)
WHERE = Option(
    "where",
    "--where",
    multiple=True,
    metavar="FIELD=VALUE",
    help="Any front-matter field equals (or with != differs from) VALUE. Repeatable.",
    panel=FILTERS,
)
FILTER_OPTIONS = (TAG, CATEGORY, AUTHOR, STATUS, SINCE, UNTIL, LANG, WHERE)

NO_INDEX = Option(
    "no_index",
    "--no-index",
    default=False,
    help="Parse the files directly instead of using the index.",
)
NULL = Option(
    "null",
    "-0",
    "--null",
    default=False,
    help="With --format paths: NUL-separated (for xargs -0).",
    panel=OUTPUT,
)

# For commands that print the paths they write (without a --format paths).
NULL_PATHS = NULL.replace(help="Print the paths NUL-terminated (for xargs -0).", panel=None)

# -n is --limit everywhere (as in head -n); a dry run is always spelled out.
DRY_RUN = Option(
    "dry_run", "--dry-run", default=False, help="Say what would change; write nothing."
)
DIFF = Option(
    "diff", "--diff", default=False, help="Print a unified diff of the change; write nothing."
)

# What the commands that create articles (new, import) set.
NEW_CATEGORY = Option(
    "category", "--category", "-c", metavar="NAME", help="Category.", complete="categories"
)
NEW_TAG = Option(
    "tag", "--tag", "-t", multiple=True, metavar="TAG", help="A tag (repeatable).", complete="tags"
)
NEW_AUTHOR = Option(
    "author",
    "--author",
    "-a",
    multiple=True,
    metavar="NAME",
    help="Author (repeatable; default from config).",
    complete="authors",
)
NEW_LANG = Option(
    "lang", "--lang", metavar="LANG", help="Language (default from config).", complete="languages"
)
TEMPLATE = Option(
    "template",
    "--template",
    metavar="NAME",
    help="Template from templates_dir.",
    complete="templates",
)


def output_format(choices: tuple[str, ...], default: str, help: str = "Output format.") -> Option:
    return Option(
        "output_format", "--format", "-f", choices=choices, default=default, help=help, panel=OUTPUT
    )


def limit_option(
    help: str, default: int | None = None, min: int = 0, panel: str = OUTPUT
) -> Option:
    """``--limit/-n N``: the one meaning of ``-n`` in every command."""
    return Option(
        "limit",
        "--limit",
        "-n",
        kind="int",
        default=default,
        min=min,
        metavar="N",
        help=help,
        panel=panel,
    )


REVERSE = Option(
    "reverse", "--reverse", "-r", default=False, help="Reverse the order.", panel=OUTPUT
)


# ---------------------------------------------------------------- the global options

GLOBAL_OPTIONS = (
    Option(
        "root",
        "-C",
        "--root",
        kind="path",
        path="dir",
        metavar="DIR",
        help="Run as if started in DIR (config lookup).",
    ),
    Option(
        "config_file",
        "--config",
        kind="path",
        path="file",
        metavar="FILE",
        help="Use this config file (lushbeat.toml or pyproject.toml).",
    ),
    Option("no_color", "--no-color", default=False, help="No colours (NO_COLOR is honoured too)."),
    Option("debug", "--debug", default=False, help="Show tracebacks for errors."),
)
