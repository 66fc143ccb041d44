"""Random hostile collections: every reading command and every export format, run as the real
console script, ends with 0, 1 or 2 and its own words, never hangs, and changes nothing but
its own output (and its own index).

Hypothesis builds a project from hostile pieces: odd file names (spaces, a leading dash, a
newline, bytes that are not UTF-8, very long names), odd contents (broken YAML, unsafe tags,
alias bombs, binary, UTF-16, empty, large, terminal escapes, spreadsheet formulas), symlinks
(to another article, to a file outside the project, dangling, a loop, to /dev/zero), FIFOs
named like articles, and a damaged index. The tree (outside the command's output) is
snapshotted before and after each command: bytes, file type and link targets must not change.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import sqlite3
import stat
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

SCRIPT = Path(sys.executable).with_name("lushbeat")
TIMEOUT = 60  # seconds: far beyond any command here on a few dozen files; a hang fails

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(not SCRIPT.exists(), reason="console script not installed beside python"),
    pytest.mark.skipif(sys.platform != "linux", reason="FIFOs, /dev/zero and byte file names"),
]

GOOD = "---\ntitle: {title}\ndate: 2024-07-{day:02d}\ntags: [pemilu, {tag}]\n---\n{body}\n"
CONTENTS = {
    "good": lambda n: GOOD.format(
        title=f"Pemilu Venezuela {n}", day=n % 28 + 1, tag="venezuela", body="Isi berita."
    ).encode(),
    "formula": lambda n: GOOD.format(
        title='"=HYPERLINK(""http://x"",""klik"")"', day=3, tag="'@SUM(A1)'", body="+1 -1"
    ).encode(),
    "escapes": lambda n: (
        b'---\ntitle: "\\e]0;pwned\\a\\e[31mMerah\\u202e"\ndate: 2024-07-05\n'
        b'tags: ["\\e[2J"]\n---\n\x1b]8;;http://evil\x07link\x1b]8;;\x07\n'
    ),
    "broken-yaml": lambda n: b"---\ntitle: [unclosed\n---\nbody\n",
    "unsafe": lambda n: b"---\ntitle: !!python/object/apply:os.system ['touch /tmp/pwned']\n---\n",
    "bomb": lambda n: (
        b"---\na: &a [x, x, x, x, x, x, x, x, x]\nb: &b [*a, *a, *a, *a, *a, *a, *a, *a]\n"
        b"c: &c [*b, *b, *b, *b, *b, *b, *b, *b]\nd: [*c, *c, *c, *c, *c, *c, *c, *c]\n---\n"
    ),
    "binary": lambda n: bytes(range(256)) * 8,
    "utf16": lambda n: "---\ntitle: Judul\n---\nIsi.\n".encode("utf-16"),
    "latin1": lambda n: "---\ntitle: Café\n---\n".encode("latin-1"),
    "empty": lambda n: b"",
    "no-front-matter": lambda n: b"Just text, no front matter.\n",
    "toml": lambda n: b'+++\ntitle = "TOML story"\ndate = 2024-07-09\n+++\nBody.\n',
    "json": lambda n: b'{\n  "title": "JSON story", "date": "2024-07-10"\n}\nBody.\n',
    "large": lambda n: (
        b"---\ntitle: " + b"pemilu " * 20_000 + b"\n---\n" + b"pemilu venezuela " * 60_000
    ),
    "wrong-types": lambda n: b"---\ntitle: 42\ndate: yesterday\ntags: {a: 1}\nslug: [x]\n---\n",
}
NAMES = st.sampled_from(
    [
        "plain.md",
        "with space.md",
        "-rf.md",
        "new\nline.md",
        "caf\udce9.md",  # a byte that is not UTF-8 (surrogate escape of 0xe9)
        "ümlaut-é.md",
        "x" * 180 + ".md",
        "nested/deeper/story.md",
        "2024/07/2024-07-29-jekyll.markdown",
        "CON.md",
    ]
)
LINKS = st.sampled_from(["to-article", "outside", "dangling", "loop", "dev-zero", "to-folder"])


@st.composite
def collections(draw: st.DrawFn) -> dict[str, object]:
    files = draw(
        st.lists(st.tuples(NAMES, st.sampled_from(sorted(CONTENTS))), min_size=1, max_size=8)
    )
    return {
        "files": files,
        "links": draw(st.lists(LINKS, max_size=3, unique=True)),
        "fifo": draw(st.booleans()),
        "index": draw(st.sampled_from(["none", "garbage", "damaged-rows", "warm"])),
    }


def build(root: Path, plan: dict[str, object]) -> tuple[Path, Path]:
    """The project under ``root`` (and a file outside it); returns (project, outside file)."""
    project = root / "proj"
    content = project / "content"
    content.mkdir(parents=True)
    (project / "lushbeat.toml").write_text(
        'content_dir = "content"\ntimezone = "Asia/Jakarta"\ndefault_lang = "id"\n'
    )
    outside = root / "outside" / "secret.md"
    outside.parent.mkdir()
    outside.write_bytes(b"---\ntitle: Secret\n---\nNot yours.\n")
    for number, (name, kind) in enumerate(plan["files"]):  # type: ignore[attr-defined]
        path = content / f"{number}-{name}" if "/" not in name else content / name
        path.parent.mkdir(parents=True, exist_ok=True)
        with open(os.fsencode(path), "wb") as handle:
            handle.write(CONTENTS[kind](number))
    for link in plan["links"]:  # type: ignore[attr-defined]
        target = {
            "to-article": content / "linked-target.md",
            "outside": outside,
            "dangling": content / "missing.md",
            "loop": content / f"{link}.md",
            "dev-zero": Path("/dev/zero"),
            "to-folder": root / "outside",
        }[link]
        if link == "to-article":
            target.write_bytes(CONTENTS["good"](99))
        (content / f"{link}.md").symlink_to(target)
    if plan["fifo"]:
        os.mkfifo(content / "pipe.md")
    if plan["index"] != "none":
        run(project, "index")
        database = project / ".lushbeat" / "index.sqlite"
        if plan["index"] == "garbage":
            database.write_bytes(b"not a database at all" * 100)
        elif plan["index"] == "damaged-rows":
            with sqlite3.connect(database) as connection:
                connection.execute("UPDATE files SET metadata = '{', derived = 'x'")
    return project, outside


def run(project: Path, *args: str) -> subprocess.CompletedProcess[bytes]:
    env = {k: v for k, v in os.environ.items() if k not in ("TTY_COMPATIBLE", "FORCE_COLOR")}
    env.update(NO_COLOR="1", LUSHBEAT_NOW="2026-11-26T12:00:00+00:00")
    try:
        return subprocess.run(
            [str(SCRIPT), *args],
            cwd=project,
            capture_output=True,
            stdin=subprocess.DEVNULL,
            env=env,
            timeout=TIMEOUT,
        )
    except subprocess.TimeoutExpired:
        pytest.fail(f"lushbeat {' '.join(args)} did not finish within {TIMEOUT} s")


def snapshot(root: Path, skip: tuple[Path, ...]) -> dict[bytes, tuple[object, ...]]:
    """Every entry below ``root`` (bytes paths) but those under ``skip``: type, link target or
    content hash. Links are not followed; FIFOs are not opened."""
    found: dict[bytes, tuple[object, ...]] = {}
    skipped = [os.fsencode(path) for path in skip]
    for folder, dirs, files in os.walk(os.fsencode(root)):
        dirs[:] = [d for d in dirs if os.path.join(folder, d) not in skipped]
        for name in [*dirs, *files]:
            path = os.path.join(folder, name)
            if path in skipped:
                continue
            mode = os.lstat(path).st_mode
            if stat.S_ISLNK(mode):
                found[path] = ("link", os.readlink(path))
            elif stat.S_ISREG(mode):
                with open(path, "rb") as handle:
                    found[path] = ("file", hashlib.sha256(handle.read()).hexdigest())
            else:
                found[path] = (stat.S_IFMT(mode),)
    return found


# Every reading command, and every export format (output under out/, the one place written).
COMMANDS = [
    ("list",),
    ("list", "-f", "json"),
    ("list", "-f", "csv", "--where", "lang=id"),
    ("list", "-f", "paths", "-0", "--no-index"),
    ("search", "pemilu", "-f", "jsonl"),
    ("search", "venezuela"),
    ("validate",),
    ("validate", "-f", "json", "--no-index"),
    ("similar", "--all", "-f", "jsonl"),
    ("show", "pemilu-venezuela-0", "-f", "json"),
    ("stats", "-f", "json"),
    ("stats",),
    ("tags", "-f", "csv"),
    ("tags", "--similar"),
    ("index",),
    ("export", "-f", "json"),
    ("export", "-f", "jsonl", "-o", "out/a.jsonl"),
    ("export", "-f", "csv", "-o", "out/a.csv"),
    ("export", "-f", "sqlite", "-o", "out/a.db"),
    ("export", "-f", "opensearch"),
    ("export", "-f", "html", "-o", "out/site", "--include-drafts"),
    ("export", "-f", "rss", "--base-url", "https://example.com"),
    ("export", "-f", "atom", "--base-url", "https://example.com", "-o", "out/atom.xml"),
    ("export", "-f", "jsonfeed", "--base-url", "https://example.com"),
]


@settings(
    max_examples=int(os.environ.get("LUSHBEAT_HOSTILE_EXAMPLES", "6")),
    deadline=None,
    suppress_health_check=list(HealthCheck),
    # Each example runs two dozen processes: shrinking a failure could take many minutes, and
    # the failing plan is printed whole anyway.
    phases=[Phase.explicit, Phase.reuse, Phase.generate],
)
@given(plan=collections())
def test_hostile_collections_never_crash_hang_or_touch_other_files(
    plan: dict[str, object],
) -> None:
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        project, outside = build(root, plan)
        own = (project / ".lushbeat", project / "out")  # the index, and the stated outputs
        before = snapshot(root, own)
        for args in COMMANDS:
            done = run(project, *args)
            stderr = done.stderr.decode("utf-8", errors="replace")
            assert done.returncode in (0, 1, 2), (args, done.returncode, stderr)
            assert "internal error" not in stderr and "Traceback" not in stderr, (args, stderr)
            assert b"\x1b" not in done.stderr, (args, "a raw escape reached stderr")
            after = snapshot(root, own)
            assert after == before, (args, set(before.items()) ^ set(after.items()))
        assert outside.read_bytes() == b"---\ntitle: Secret\n---\nNot yours.\n"
        shutil.rmtree(project / "out", ignore_errors=True)
