"""Whether a stream is a terminal, as rich decides it: imported by the start-up fast path before
anything else, so it holds nothing but this (os only)."""

from __future__ import annotations

import os


def is_terminal(stream: object) -> bool:
    """Whether rich treats ``stream`` as a terminal (styles, progress bars), decided without
    importing rich: ``TTY_COMPATIBLE=0/1`` and ``FORCE_COLOR`` (non-empty) override isatty."""
    forced = os.environ.get("TTY_COMPATIBLE", "")
    if forced in ("0", "1"):
        return forced == "1"
    force_color = os.environ.get("FORCE_COLOR")
    if force_color is not None:
        return force_color != ""
    try:
        return bool(stream.isatty())  # type: ignore[attr-defined]
    except (AttributeError, ValueError):  # no isatty, or a closed stream
        return False
