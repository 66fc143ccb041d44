"""Where the index may live, and what is there before SQLite touches it.

lushbeat never writes over a file that is not its own (a cloned repository's config must not
cost anyone a file). ``locate_index``: ``[index] path``, symbolic links resolved, must lie in
the project root or the user's cache folder ($XDG_CACHE_HOME, else ~/.cache), and not be the
config file, a file named like one, or a Markdown file. ``inspect_location`` then looks at what
is there (file type and 100-byte header): nothing, an empty file or an SQLite file without
tables becomes a new index; lushbeat's index (its header carries ``scan.APPLICATION_ID``; one
from before that stamp is known by its tables) is used, and rebuilt if damaged; anything else
is refused (ConfigError, exit 2) and left as it is, with the files SQLite keeps beside it. The
one exception is lushbeat's own folder, ``.lushbeat`` right under the project root: bytes
there that no SQLite can read are a damaged index and are rebuilt; a readable database of
another program, a folder or a FIFO are refused even there.
"""

from __future__ import annotations

import contextlib
import os
import sqlite3
import stat
from pathlib import Path

from lushbeat_cli.core.config import CONFIG_NAME, PYPROJECT_NAME, Config, setting_error
from lushbeat_cli.core.reading.scan import (
    APPLICATION_ID,
    ARTICLE_SUFFIXES,
    DEFAULT_INDEX_PATH,
    application_id,
    read_header,
)
from lushbeat_cli.errors import ConfigError

OWN_FOLDER = ".lushbeat"  # lushbeat's folder under the project root (the default index's)


def index_location(config: Config) -> Path:
    """Where the index lives: ``[index] path`` relative to the project root."""
    return config.index_path


def locate_index(config: Config) -> Path:
    """The index file (symbolic links resolved) when ``[index] path`` names a place lushbeat
    may write; a ConfigError (exit 2) naming the setting otherwise: outside the project and
    the user's cache folder (directly or through a symbolic link), the config file, or a
    Markdown file. Nothing is read or written to decide."""
    target = config.index_path
    root = Path(os.path.realpath(config.root))
    setting = config.index_setting
    fresh = f"the index needs a file of its own (the default is {DEFAULT_INDEX_PATH})"
    inside = target == root or _inside(target, root)
    cache = None if inside else _cache_folder()
    if not (inside or (cache and _inside(target, cache))):
        places = f"inside {root}" + (f" or in the cache folder {cache}" if cache else "")
        written = Path(os.path.normpath(root / os.path.expanduser(setting)))
        if _inside(written, root) or (cache is not None and _inside(written, cache)):
            where = f"leads through a symbolic link to {target}, outside the project"
        else:
            where = f"is outside the project ({target})"
        raise _setting_error(config, f"[index] path {setting!r} {where}: use a path {places}")
    source = config.source
    if source is not None and target == Path(os.path.realpath(source)):
        raise _setting_error(config, f"[index] path {setting!r} is the config file: {fresh}")
    if target.name in (CONFIG_NAME, PYPROJECT_NAME):
        raise _setting_error(config, f"[index] path {setting!r} names a config file: {fresh}")
    if target.name.lower().endswith(ARTICLE_SUFFIXES):
        raise _setting_error(
            config, f"[index] path {setting!r} names a Markdown file ({target}): {fresh}"
        )
    return target


def _setting_error(config: Config, message: str) -> ConfigError:
    if "path" in (config.sections or {}).get("index", {}):
        return setting_error(config, "index.path", message)
    return ConfigError(message)  # the default place: through a symbolic link .lushbeat


def _cache_folder() -> Path | None:
    """The user's cache folder ($XDG_CACHE_HOME, else ~/.cache), where an index may also live."""
    configured = os.environ.get("XDG_CACHE_HOME", "")
    if not os.path.isabs(configured):  # the XDG rule: a relative value is ignored
        home = os.path.expanduser("~")
        if not os.path.isabs(home):
            return None
        configured = os.path.join(home, ".cache")
    return Path(os.path.realpath(configured))


def _inside(path: Path, folder: Path) -> bool:
    return path != folder and path.is_relative_to(folder)


def in_own_folder(config: Config, path: Path) -> bool:
    """Whether the index file ``path`` (from ``locate_index``) is in lushbeat's own folder,
    ``.lushbeat`` right under the project root (not a symbolic link): no one keeps a file of
    their own there, so whatever unreadable file sits there is replaced by a new index."""
    return path.parent == Path(os.path.realpath(config.root)) / OWN_FOLDER


# What ``inspect_location`` finds at the index location.
ABSENT = "absent"  # no file: a new index is created
NEW = "new"  # an empty file, or an SQLite file without tables: nothing to lose
OURS = "ours"  # a lushbeat index (stamped, or an older lushbeat's tables): used or repaired
DAMAGED = "damaged"  # unreadable: replaced in lushbeat's own folder, refused elsewhere
FOREIGN = "foreign"  # someone else's file: always refused
UNKNOWN = "unknown"  # cannot be looked at (no permission...): SQLite will say, or fall back
_OUR_TABLES = frozenset({"meta", "files", "fts"})  # in every INDEX_VERSION so far
SIBLINGS = ("-wal", "-shm", "-journal")  # the files SQLite keeps beside a database


def inspect_location(path: Path) -> tuple[str, str]:
    """What is at ``path`` (one of the states above) and, for a file that is not an index,
    what it is instead; found from its type and 100-byte header (and, for an SQLite file
    without lushbeat's stamp, its table names, read with SQLite's immutable mode, which
    writes and locks nothing), before SQLite is let near it."""
    text = str(path)
    try:
        info = os.stat(text)
    except FileNotFoundError:
        return ABSENT, ""
    except OSError:
        return UNKNOWN, ""
    if not stat.S_ISREG(info.st_mode):
        return FOREIGN, _file_kind(info.st_mode)
    if info.st_size == 0:
        return NEW, ""
    header = read_header(text)
    if header is None:
        return UNKNOWN, ""
    stamp = application_id(header)
    if stamp == APPLICATION_ID:
        return OURS, ""
    if stamp is None:
        return DAMAGED, "not an SQLite database"
    if stamp != 0:
        return FOREIGN, "another program's SQLite database"
    names = _table_names(path)
    if names is None:
        return DAMAGED, "an SQLite database that cannot be read"
    if names >= _OUR_TABLES:
        return OURS, ""  # written by a lushbeat from before the stamp
    if names:
        return FOREIGN, "another program's SQLite database"
    if _has_bytes(text + "-wal"):  # tables in a write-ahead log: whose, no one can say
        return DAMAGED, "an SQLite database that cannot be read"
    return NEW, ""


def _file_kind(mode: int) -> str:
    if stat.S_ISDIR(mode):
        return "a folder"
    if stat.S_ISFIFO(mode):
        return "a FIFO"
    if stat.S_ISSOCK(mode):
        return "a socket"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device"
    return "not a regular file"


def _table_names(path: Path) -> set[str] | None:
    """The tables of an SQLite file, read without changing, creating or locking anything."""
    try:
        conn = sqlite3.connect(path.as_uri() + "?mode=ro&immutable=1", uri=True)
        try:
            rows = conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'").fetchall()
        finally:
            conn.close()
    except sqlite3.Error:
        return None
    return {str(name) for (name,) in rows}


def _has_bytes(path: str) -> bool:
    try:
        return os.stat(path).st_size > 0
    except OSError:
        return False


def not_an_index(path: Path, what: str) -> ConfigError:
    return ConfigError(
        f"not a lushbeat index ({what}); lushbeat never overwrites it: set [index] path in "
        "the config to a new file, or move this one away",
        path=path,
    )


def make_folder(folder: Path) -> None:
    """Create the index folder; a new one gets a ``.gitignore`` so git never picks it up."""
    if folder.is_dir():
        return
    folder.mkdir(parents=True)
    with contextlib.suppress(OSError):
        (folder / ".gitignore").write_text(
            "# Created by lushbeat: the article index is a cache, never commit it.\n*\n",
            encoding="utf-8",
        )
