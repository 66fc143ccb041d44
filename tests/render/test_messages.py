"""stderr messages off a terminal: plain lines written without rich, the same bytes rich writes.

A piped or hooked command (pre-commit, CI, the fast path of search and list) never imports
rich just to print "15 results"; these tests hold the plain writer to rich's own output.
"""

from __future__ import annotations

import contextlib
import io
import subprocess
import sys

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from rich.console import Console
from rich.text import Text
from rich.theme import Theme

from lushbeat_cli.render.human import STYLES, Output, clean, is_terminal

MESSAGES = st.text(max_size=300) | st.lists(
    st.sampled_from(["kata", "bb", " ", "  ", "é", "漢字", "😀", "\t", "\x1b[31m", "-", "\n"]),
    max_size=120,
).map("".join)


def rich_line(kind: str, message: str, code: str | None = None) -> str:
    """What rich itself prints for one message on a console that is not a terminal."""
    buffer = io.StringIO()
    console = Console(
        file=buffer,
        theme=Theme(STYLES),
        markup=False,
        highlight=False,
        emoji=False,
        soft_wrap=False,
        force_terminal=False,
    )
    text = Text()
    if kind == "problem":
        text.append(clean("docs/a b.md:3:1"), style="path")
        text.append(": ")
        if code:
            text.append(code, style="code")
            text.append(" ")
        text.append(clean(message))
    elif kind in ("info", "success"):
        text.append(clean(message), style=kind)
    else:
        text.append(f"{kind}: ", style=kind)
        text.append(clean(message))
    console.print(text, overflow="ignore", crop=False, soft_wrap=True)
    return buffer.getvalue()


def plain_line(kind: str, message: str, code: str | None = None) -> str:
    """What Output writes to a stderr that is not a terminal (stdout stays empty)."""
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        output = Output()
        if kind == "problem":
            output.problem("docs/a b.md:3:1", message, code)
        else:
            getattr(output, kind)(message)
    assert out.getvalue() == ""
    return err.getvalue()


@settings(max_examples=300, deadline=None)
@given(
    kind=st.sampled_from(["info", "success", "error", "warning", "problem"]),
    message=MESSAGES,
    code=st.sampled_from([None, "LB101"]),
)
def test_plain_messages_are_the_bytes_rich_would_write(
    kind: str, message: str, code: str | None
) -> None:
    assert plain_line(kind, message, code) == rich_line(kind, message, code)


def test_a_long_message_stays_on_one_line() -> None:
    message = "kata " * 60 + "akhir"
    assert plain_line("info", message) == message + "\n"
    assert plain_line("error", "a\nb") == "error: a b\n"


@pytest.mark.parametrize(
    ("env", "expected"),
    [
        ({}, False),
        ({"TTY_COMPATIBLE": "1"}, True),
        ({"TTY_COMPATIBLE": "0", "FORCE_COLOR": "1"}, False),
        ({"FORCE_COLOR": "1"}, True),
        ({"FORCE_COLOR": ""}, False),
    ],
)
def test_terminal_detection_follows_rich(
    monkeypatch: pytest.MonkeyPatch, env: dict[str, str], expected: bool
) -> None:
    monkeypatch.delenv("TTY_COMPATIBLE", raising=False)
    monkeypatch.delenv("FORCE_COLOR", raising=False)
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    stream = io.StringIO()
    assert is_terminal(stream) is expected
    assert Console(file=stream).is_terminal is expected


def test_piped_messages_do_not_import_rich() -> None:
    code = (
        "import sys\n"
        "from lushbeat_cli.render.human import Output\n"
        "out = Output()\n"
        "out.info('12 articles'); out.warning('w'); out.error('e'); out.problem('a.md:1:1', 'm')\n"
        "print('rich' in sys.modules)\n"
    )
    run = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, env={}
    )
    assert run.stdout == "False\n"
    assert run.stderr == "12 articles\nwarning: w\nerror: e\na.md:1:1: m\n"
