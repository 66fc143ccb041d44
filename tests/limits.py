"""A generous time limit for work that must stay linear in its input: the call runs in a forked
child that is killed when the limit passes. It catches a hang or a quadratic blow-up (minutes,
where the linear code takes a second or two); it is no speed goal."""

from __future__ import annotations

import multiprocessing
from collections.abc import Callable
from typing import Any

import pytest

LIMIT = 60.0  # seconds


def finishes(call: Callable[..., Any], *args: Any, limit: float = LIMIT) -> None:
    """Run ``call(*args)`` in a child process; fail the test if it is still running after
    ``limit`` seconds or if it raised."""
    child = multiprocessing.get_context("fork").Process(target=call, args=args)
    child.start()
    child.join(limit)
    if child.is_alive():
        child.kill()
        child.join()
        pytest.fail(f"{getattr(call, '__name__', call)} still running after {limit:.0f} s")
    assert child.exitcode == 0, f"{getattr(call, '__name__', call)} failed in the child"
