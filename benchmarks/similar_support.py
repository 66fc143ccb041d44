"""Shared by the similar-posts benchmarks: the corpora, the installed command, the machine."""

from __future__ import annotations

import os
import platform
import shutil
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
# ../shared/corpora beside the checkout (or beside the folder of worktrees); --corpora overrides.
CORPORA = next(
    (
        base / "shared" / "corpora"
        for base in (REPO.parent, REPO.parent.parent)
        if (base / "shared" / "corpora").is_dir()
    ),
    REPO.parent / "shared" / "corpora",
)


def lushbeat() -> str:
    """The installed console script next to this Python (the whole process is timed)."""
    found = shutil.which("lushbeat", path=os.path.dirname(sys.executable)) or shutil.which(
        "lushbeat"
    )
    if found is None:
        sys.exit("lushbeat is not installed: pip install -e '.[bench]'")
    return found


def machine_lines() -> list[str]:
    uname = platform.uname()
    return [
        f"# machine: {uname.system} {uname.release} {uname.machine}, {os.cpu_count()} CPUs, "
        f"Python {platform.python_version()}",
        f"# date: {time.strftime('%Y-%m-%d %H:%M %Z')}; load average before: "
        f"{os.getloadavg()[0]:.2f}",
    ]
