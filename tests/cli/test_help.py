"""Every command has help with an example, and the README shows every command."""

from __future__ import annotations

import pytest

from lushbeat_cli.cli import app
from tests.conftest import REPO


def command_names() -> list[str]:
    return sorted(
        info.name for info in app.registered_commands if info.name and not info.hidden
    ) + sorted(group.name for group in app.registered_groups if group.name)


@pytest.mark.parametrize("name", command_names())
def test_command_help_has_an_example(cli, name: str) -> None:
    run = cli(name, "--help")
    assert run.exit_code == 0
    assert "Example" in run.stdout


@pytest.mark.parametrize("name", command_names())
def test_readme_documents_every_command(name: str) -> None:
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    assert f"lushbeat {name}" in readme or f"-C examples {name}" in readme


def test_top_level_help_lists_commands(cli) -> None:
    run = cli("--help")
    assert run.exit_code == 0
    for name in command_names():
        assert name in run.stdout
