"""Help output: the command and group classes every lushbeat command is built with.

typer's rich help prints a parameter's Python type (``<bool>``, ``<str>``, ``<path>``) in a
column of its own unless the parameter has a metavar. Here flags (``--help`` included) and
arguments show none: a flag takes no value, and an argument's metavar is its name already.
"""

from __future__ import annotations

from typing import Any

from typer.core import TyperArgument, TyperCommand, TyperGroup, TyperOption


def _no_type(ctx: Any = None) -> None:
    return None


def hide_python_types(params: list[Any]) -> list[Any]:
    """Flags get an empty metavar; arguments no type column (options keep their metavars)."""
    for param in params:
        if isinstance(param, TyperOption) and param.is_flag and param.metavar is None:
            param.metavar = ""
        elif isinstance(param, TyperArgument):
            # typer shows an argument's type whatever its metavar; the instance attribute wins
            # over the method, for this parameter only.
            param.display_type_rich = _no_type  # type: ignore[method-assign]
    return params


class HelpCommand(TyperCommand):
    """A command whose help shows metavars (``NAME``, ``N``, ``DATE``), never Python types."""

    def get_params(self, ctx: Any) -> list[Any]:
        return hide_python_types(super().get_params(ctx))


class HelpGroup(TyperGroup):
    """The same for a command group (its own options, e.g. ``lushbeat tags --similar``)."""

    def get_params(self, ctx: Any) -> list[Any]:
        return hide_python_types(super().get_params(ctx))
