"""A guard for tests that write to ``/dev/null``: as root, a regression that renames a file
over it would replace the system's ``/dev/null`` with a regular file. While the guard is on,
renaming or linking anything onto a path under ``/dev`` fails the test instead; and should
``/dev/null`` still end up changed, it is put back (root only) and the test fails."""

from __future__ import annotations

import os
import stat
from collections.abc import Iterator
from pathlib import Path

import pytest

DEV_NULL = Path("/dev/null")


def _under_dev(path: object) -> bool:
    try:
        return os.path.realpath(os.fspath(path)).startswith("/dev/")  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return False


def guard_dev_null(monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """For a fixture: ``yield from guard_dev_null(monkeypatch)`` gives ``/dev/null``, guarded."""
    if not DEV_NULL.exists() or not stat.S_ISCHR(os.stat(DEV_NULL).st_mode):
        pytest.skip("no /dev/null character device")
    before = os.stat(DEV_NULL)
    for name in ("replace", "rename", "link"):
        real = getattr(os, name)

        def guarded(src: object, dst: object, *args: object, _real=real, **kw: object) -> None:
            if _under_dev(dst):
                raise AssertionError(f"a file was about to be renamed or linked onto {dst}")
            _real(src, dst, *args, **kw)

        monkeypatch.setattr(os, name, guarded)
    yield DEV_NULL
    monkeypatch.undo()
    after = os.lstat(DEV_NULL)
    if stat.S_ISCHR(after.st_mode) and after.st_rdev == before.st_rdev:
        return
    if os.geteuid() == 0:  # repair the machine before failing
        os.unlink(DEV_NULL)
        os.mknod(DEV_NULL, 0o666 | stat.S_IFCHR, before.st_rdev)
        os.chmod(DEV_NULL, 0o666)
    pytest.fail("/dev/null was replaced")
