"""The one home of typer: the app, built lazily from the command table and the declarations in
``cli.params``, and the error boundary every typer command runs behind.

Only the invoked command's module is imported: ``LushbeatGroup.get_command`` builds a typer
command from that module's ``PARAMS`` and ``run`` when typer asks for it.
"""

from __future__ import annotations

import functools
import importlib
import inspect
import sys
from collections.abc import Callable, Sequence
from enum import Enum, StrEnum
from pathlib import Path
from typing import Annotated, Any

import typer
from typer.core import TyperArgument, TyperCommand, TyperGroup, TyperOption

from lushbeat_cli import __version__
from lushbeat_cli.cli._state import State, set_state, state
from lushbeat_cli.cli.params import (
    GLOBAL_OPTIONS,
    Argument,
    Option,
    Params,
    Values,
    value_problem,
)
from lushbeat_cli.errors import EXIT_USAGE
from lushbeat_cli.render.human import Output

CONTEXT = {"help_option_names": ["-h", "--help"]}

# ---------------------------------------------------------------- declarations -> typer


def typer_parameters(params: Params, owner: str) -> list[inspect.Parameter]:
    """One ``inspect.Parameter`` per declaration, annotated the way typer reads them."""
    return [_parameter(param, owner) for param in params]


def _parameter(param: Option | Argument, owner: str) -> inspect.Parameter:
    kind = _python_type(param.kind)
    if isinstance(param, Argument):
        annotation: Any = list[kind] if param.multiple else kind  # type: ignore[valid-type]
        if not param.required and param.default is None:
            annotation = annotation | None
        info = typer.Argument(
            metavar=param.metavar,
            help=param.help,
            show_default=False,
            autocompletion=_completer(param.complete),
        )
        default: Any = inspect.Parameter.empty if param.required else param.default
    else:
        default = param.default
        if param.choices:
            kind = StrEnum(f"{owner}_{param.name}", {choice: choice for choice in param.choices})
            default = None if default is None else kind(default)
        annotation = list[kind] if param.multiple else kind  # type: ignore[valid-type]
        if param.required:
            default = inspect.Parameter.empty
        elif default is None:
            annotation = annotation | None
        extra: dict[str, Any] = {}
        if param.path == "dir":
            extra["file_okay"] = False
        elif param.path == "file":
            extra["dir_okay"] = False
        info = typer.Option(
            *param.flags,
            help=param.help,
            metavar=param.metavar,
            min=param.min,
            max=param.max,
            rich_help_panel=param.panel,
            show_default=param.show_default,
            autocompletion=_completer(param.complete),
            **extra,
        )
    return inspect.Parameter(
        param.name,
        inspect.Parameter.KEYWORD_ONLY,
        default=default,
        annotation=Annotated[annotation, info],
    )


def _completer(kind: str | None) -> Callable[..., Any] | None:
    if kind is None:
        return None
    from lushbeat_cli.cli._complete import completer

    return completer(kind)


def _python_type(kind: str) -> type:
    return {"str": str, "int": int, "float": float, "bool": bool, "path": Path}[kind]


def values_from(kwargs: dict[str, Any]) -> Values:
    """typer's values as the command modules see them: plain strings for choices."""
    return Values(
        (name, value.value if isinstance(value, Enum) else value) for name, value in kwargs.items()
    )


def typer_callback(
    name: str, params: Params, run: Callable[..., int], *, with_context: bool = False
) -> Callable[..., None]:
    """A function typer can register: its signature comes from ``params``, its help from
    ``run``'s docstring; it calls ``run(values, state)`` behind the boundary."""

    def callback(**kwargs: Any) -> int:
        context = kwargs.pop("ctx", None)
        if context is not None and context.invoked_subcommand is not None:
            return 0  # a group's own options: its sub-command does the work
        return run(values_from(kwargs), state())

    parameters = typer_parameters(params, name)
    if with_context:
        context = inspect.Parameter("ctx", inspect.Parameter.KEYWORD_ONLY, annotation=typer.Context)
        parameters.insert(0, context)
    callback.__signature__ = inspect.Signature(parameters)  # type: ignore[attr-defined]
    callback.__doc__ = run.__doc__
    callback.__name__ = callback.__qualname__ = name.replace("-", "_")
    return boundary(callback)


# ---------------------------------------------------------------- the boundary


def boundary(func: Callable[..., int]) -> Callable[..., None]:
    """Run ``func`` (which returns the exit code) and end with that code; turn LushbeatError
    into one stderr line + its exit code; hide tracebacks unless --debug."""
    from lushbeat_cli.cli._actions import report_failure

    @functools.wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> None:
        current = state()
        code: int | None = None
        try:
            code = func(*args, **kwargs)
            sys.stdout.flush()  # a closed pipe shows here, inside the boundary
        except (typer.Exit, typer.Abort, KeyboardInterrupt):
            raise
        except Exception as exc:
            if _is_click_exception(exc):
                raise
            code = report_failure(exc, current.output, debug=current.debug, code=code)
        if code:
            raise typer.Exit(code)

    return wrapper


def _is_click_exception(exc: Exception) -> bool:
    # Usage errors raised by typer itself carry their own exit code and message.
    return any(base.__name__ in ("ClickException", "Exit", "Abort") for base in type(exc).__mro__)


def _report_click_exception(exc: Exception) -> int:
    if type(exc).__name__ == "NoArgsIsHelpError":
        sys.stdout.write(exc.format_message() + "\n")  # type: ignore[attr-defined]
        return 0
    if type(exc).__name__ == "Abort":
        Output().error("aborted")
        return 1
    message = exc.format_message() if hasattr(exc, "format_message") else str(exc)
    ctx = getattr(exc, "ctx", None)
    message = _own_words(exc, ctx) or message
    hint = f" (see '{ctx.command_path} --help')" if ctx is not None else ""
    Output(no_color=state().no_color).error(" ".join(message.split()) + hint)
    return int(getattr(exc, "exit_code", EXIT_USAGE))


_ARGS: list[str] = []  # the command line typer is reading (for the value of a bad option)


def _own_words(exc: Exception, ctx: Any) -> str | None:
    """A bad option value said in lushbeat's words, from the option's declaration and the
    value as typed; None when it is not that kind of error (typer's wording then stands)."""
    param = getattr(exc, "param", None)
    if param is None or ctx is None or not isinstance(param, TyperOption):
        return None
    declared = getattr(ctx.command, "lushbeat_params", None)
    if declared is None:
        declared = GLOBAL_OPTIONS if ctx.parent is None else ()
    option = next((p for p in declared if isinstance(p, Option) and p.name == param.name), None)
    text = _given_value(option.flags if option else (), _ARGS)
    if option is None or text is None:
        return None
    return value_problem(option, text)


def _given_value(flags: Sequence[str], args: Sequence[str]) -> str | None:
    """The last value given to one of ``flags`` on the command line, as typed."""
    names = {part for flag in flags for part in flag.split("/")}
    found = None
    for index, token in enumerate(args):
        if token == "--":
            break
        name, equals, attached = token.partition("=")
        if equals and name in names and name.startswith("--"):
            found = attached
        elif token in names and index + 1 < len(args):
            found = args[index + 1]
        elif token[:2] in names and not token.startswith("--") and len(token) > 2:
            found = token[2:]  # -fyaml
    return found


# ---------------------------------------------------------------- help and the lazy group


def _no_type(ctx: Any = None) -> None:
    return None


def hide_python_types(params: list[Any]) -> list[Any]:
    """Help shows metavars (``NAME``, ``N``, ``DATE``), never Python types: flags get an empty
    metavar, arguments no type column (their metavar is their name already)."""
    for param in params:
        if isinstance(param, TyperOption) and param.is_flag and param.metavar is None:
            param.metavar = ""
        elif isinstance(param, TyperArgument):
            # typer shows an argument's type whatever its metavar; the instance attribute wins
            # over the method, for this parameter only.
            param.display_type_rich = _no_type  # type: ignore[method-assign]
    return params


class HelpCommand(TyperCommand):
    def get_params(self, ctx: Any) -> list[Any]:
        return hide_python_types(super().get_params(ctx))


class HelpGroup(TyperGroup):
    def get_params(self, ctx: Any) -> list[Any]:
        return hide_python_types(super().get_params(ctx))


def build_command(name: str) -> Any:
    """The click command typer builds for command ``name`` of the command table."""
    from lushbeat_cli.cli import COMMANDS

    module = importlib.import_module(COMMANDS[name])
    sub = typer.Typer(
        name=name,
        cls=HelpGroup,
        add_completion=False,
        rich_markup_mode="rich",
        context_settings=CONTEXT,
        pretty_exceptions_enable=False,
    )
    subcommands: dict[str, tuple[Params, Callable[..., int]]] = getattr(module, "SUBCOMMANDS", {})
    if subcommands:
        sub.callback(invoke_without_command=True, no_args_is_help=False)(
            typer_callback(name, module.PARAMS, module.run, with_context=True)
        )
        for sub_name, (params, run) in subcommands.items():
            sub.command(sub_name, cls=HelpCommand)(typer_callback(sub_name, params, run))
    else:
        sub.command(name, cls=HelpCommand)(typer_callback(name, module.PARAMS, module.run))
    command = typer.main.get_command(sub)
    command.name = name
    # The declarations, for errors in lushbeat's words (and completion) from the click side.
    command.lushbeat_params = module.PARAMS
    for sub_name, (params, _run) in subcommands.items():
        command.commands[sub_name].lushbeat_params = params
    return command


class LushbeatGroup(HelpGroup):
    """The top-level command. Commands load on demand from the table in ``cli/__init__``;
    usage errors become one ``error: ...`` line on stderr (exit 2), like every other error."""

    def list_commands(self, ctx: Any) -> list[str]:
        from lushbeat_cli.cli import COMMANDS

        return list(COMMANDS)

    def get_command(self, ctx: Any, cmd_name: str) -> Any:
        from lushbeat_cli.cli import COMMANDS, HIDDEN

        if cmd_name not in COMMANDS:
            return None
        if cmd_name not in self.commands:
            command = build_command(cmd_name)
            command.hidden = cmd_name in HIDDEN
            self.commands[cmd_name] = command
        return self.commands[cmd_name]

    def main(  # type: ignore[override]
        self,
        args: Sequence[str] | None = None,
        prog_name: str | None = None,
        complete_var: str | None = None,
        standalone_mode: bool = True,
        **extra: Any,
    ) -> Any:
        _ARGS[:] = sys.argv[1:] if args is None else list(args)
        try:
            result = super().main(
                args=args,
                prog_name=prog_name,
                complete_var=complete_var,
                standalone_mode=False,
                **extra,
            )
        except Exception as exc:
            if not _is_click_exception(exc):
                raise
            code = _report_click_exception(exc)
            if standalone_mode:
                sys.exit(code)
            raise
        code = result if isinstance(result, int) else 0
        if standalone_mode:
            sys.exit(code)
        return result


# ---------------------------------------------------------------- the app


def _version(value: bool) -> None:
    if value:
        typer.echo(f"lushbeat {__version__}")
        raise typer.Exit()


def _global_options(**kwargs: Any) -> None:
    """lushbeat: a toolkit for newsrooms publishing Markdown articles with front matter."""
    kwargs.pop("version", None)
    set_state(State(**kwargs))


_version_option = inspect.Parameter(
    "version",
    inspect.Parameter.KEYWORD_ONLY,
    default=False,
    annotation=Annotated[
        bool,
        typer.Option("--version", "-V", callback=_version, is_eager=True, help="Show the version."),
    ],
)
_global_options.__signature__ = inspect.Signature(  # type: ignore[attr-defined]
    [*typer_parameters(GLOBAL_OPTIONS, "lushbeat"), _version_option]
)

app = typer.Typer(
    name="lushbeat",
    cls=LushbeatGroup,
    help="Create, validate, list, search and export Markdown articles with front matter.",
    epilog="Exit codes: 0 success, 1 findings or failed items, 2 usage or config error.",
    no_args_is_help=True,
    add_completion=True,  # --install-completion / --show-completion for bash, zsh, fish
    pretty_exceptions_enable=False,
    rich_markup_mode="rich",
    context_settings=CONTEXT,
)
app.callback()(_global_options)
