"""NO_COLOR as no-color.org defines it: set and not empty turns colours off; empty does not."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from tests.conftest import Project, Run


@pytest.mark.parametrize(("value", "coloured"), [("1", False), ("", True), (None, True)])
def test_only_a_non_empty_no_color_turns_colours_off(
    cli: Callable[..., Run],
    project: Project,
    monkeypatch: pytest.MonkeyPatch,
    value: str | None,
    coloured: bool,
) -> None:
    project.write("bad.md", "---\ntittle: X\n---\nBody.\n")
    monkeypatch.setenv("TTY_COMPATIBLE", "1")  # stdout and stderr count as terminals
    if value is None:
        monkeypatch.delenv("NO_COLOR", raising=False)
    else:
        monkeypatch.setenv("NO_COLOR", value)
    run = cli("validate")
    assert run.exit_code == 1
    assert ("\x1b[" in run.stdout + run.stderr) is coloured
    assert "LB202" in run.stdout
