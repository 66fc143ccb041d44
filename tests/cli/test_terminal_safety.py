"""Text from articles never reaches a person's terminal as control sequences: every human
output (tables, show, stats, tags, similar, findings, messages) replaces them by U+FFFD, on a
terminal (rich) and off it (plain text). Machine formats keep the text exactly."""

from __future__ import annotations

import json
import re

import pytest

from tests.conftest import Project

# Members of the class: CSI (colour, clear screen), OSC 0 (window title), OSC 8 (hyperlink),
# BEL, backspace, a lone CR (overwrites the line), DEL, the C1 CSI byte, bidi overrides and
# isolates (text read in another order than it runs), a line separator.
EVIL = (
    "\x1b[31mRED\x1b[2J \x1b]0;PWNED\x07 \x1b]8;;http://evil.test\x1b\\klik\x1b]8;;\x1b\\"
    " \x08\x08BS \rCR \x7fDEL \x9b2J \u202eRLO\u202c \u2066LRI\u2069 \u2028LS"
)
# Any of these in output means a sequence got through (rich's own styling is "\x1b[...m").
LEAK = re.compile(
    "\x1b\\]|\x1b\\[31mRED|\x1b\\[2J|[\x07\x08\r\x7f\x9b\u202a-\u202e\u2066-\u2069\u2028]"
)


def write(project: Project, name: str, fields: dict[str, object], body: str) -> None:
    """An article whose values hold any character (JSON escapes inside YAML's quotes)."""
    lines = [f"{json.dumps(key)}: {json.dumps(value)}" for key, value in fields.items()]
    project.write(name, "---\n" + "\n".join(lines) + "\n---\n" + body, dedent=False)


@pytest.fixture
def hostile(project: Project) -> Project:
    fields = {
        "title": f"Judul {EVIL}",
        "date": "2024-05-01",
        "category": f"kat {EVIL}",
        "author": [f"Ana {EVIL}"],
        "tags": [f"tag {EVIL}", "umum"],
        "summary": f"ringkas {EVIL}",
        "related": [f"x {EVIL}"],  # an unknown slug: validate quotes it
        f"kunci{EVIL}": f"nilai {EVIL}",
    }
    write(project, "2024/evil.md", fields, f"Isi berita umum {EVIL}\n\n- daftar {EVIL}\n")
    other = {
        "title": "Judul berita umum",
        "date": "2024-05-02",
        "category": f"kat {EVIL}",
        "tags": ["umum", f"tag {EVIL}", f"tagg {EVIL}"],
    }
    write(project, "2024/ok.md", other, "Isi berita umum daftar.\n")
    return project


COMMANDS = [
    ("show", "content/2024/evil.md"),
    ("show", "judul red pwned klik"),  # found by its title
    ("stats",),
    ("tags",),
    ("tags", "--similar"),
    ("list",),
    ("list", "--fields", "title,kunci" + EVIL),
    ("search", "umum"),
    ("similar", "content/2024/ok.md"),
    ("similar", "content/2024/ok.md", "--explain"),
    ("similar", "content/2024/evil.md", "--explain", "--include-newer"),
    ("validate",),
]


@pytest.mark.parametrize("terminal", [False, True], ids=["piped", "terminal"])
@pytest.mark.parametrize("args", COMMANDS, ids=lambda args: " ".join(args)[:40])
def test_no_control_sequence_reaches_a_person(
    cli, hostile: Project, monkeypatch: pytest.MonkeyPatch, args: tuple[str, ...], terminal: bool
) -> None:
    monkeypatch.setenv("TTY_COMPATIBLE", "1" if terminal else "0")
    run = cli(*args)
    assert run.exit_code in (0, 1), run.stderr
    for stream in (run.stdout, run.stderr):
        assert not LEAK.search(stream), LEAK.findall(stream)
    assert "\ufffd" in run.stdout + run.stderr  # replaced, not silently dropped


def test_messages_quoting_article_text_are_clean(cli, hostile: Project) -> None:
    write(hostile, "2024/dup.md", {"title": f"Judul {EVIL}"}, "x\n")
    run = cli("show", "judul red pwned klik")  # two titles fit: both listed on stderr
    assert run.exit_code == 2
    assert "matches 2 articles" in run.stderr
    assert not LEAK.search(run.stderr)
    named = hostile.write(f"2024/{EVIL[:12]}.md", "---\ntitle: [unclosed\n---\n")
    run = cli("list")
    assert run.exit_code == 1
    assert "LB104" in run.stderr and not LEAK.search(run.stderr)
    named.unlink()


def test_machine_formats_keep_the_text_exactly(cli, hostile: Project) -> None:
    record = cli("show", "content/2024/evil.md", "--format", "json").json()
    assert record["title"] == f"Judul {EVIL}"
    assert record["body"].startswith(f"Isi berita umum {EVIL}")
    jsonl = cli("list", "--format", "jsonl").stdout  # (lines end at \n only: not splitlines)
    listed = [json.loads(line) for line in jsonl.split("\n") if line]
    assert [item["category"] for item in listed] == [f"kat {EVIL}"] * 2
    stats = cli("stats", "--format", "json").json()
    assert {"key": f"kat {EVIL}", "count": 2} in stats["by_category"]
    raw = cli("show", "content/2024/evil.md", "--raw")
    assert EVIL in raw.stdout
