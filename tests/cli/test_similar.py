"""`lushbeat similar` through the real app: formats, explain, rules, --title, --all, --write."""

from __future__ import annotations

import json
import os
import shutil
import sys
from pathlib import Path

import pytest

from tests.conftest import EXAMPLES, SHARED, Project

LUSHBEAT = shutil.which("lushbeat", path=os.path.dirname(sys.executable)) or shutil.which(
    "lushbeat"
)

SEED = "content/2024/07/pilpres-venezuela-menghadirkan-pemimpin-baru-nicholas-maduro.md"
VENEZUELA = "Maduro wins the disputed Venezuela election; the opposition in Caracas doubts it."
SANCTIONS = "The European Union adopts sanctions on Russian gas; Moscow calls sanctions illegal."


@pytest.fixture
def news(project: Project) -> Project:
    project.article(
        "2024/07/venezuela.md",
        title="Venezuela votes",
        date="2024-07-29",
        lang="en",
        tags=["Venezuela"],
        category="world",
        body=VENEZUELA,
    )
    project.article(
        "2024/06/maduro.md",
        title="Maduro claims victory",
        date="2024-06-20",
        lang="en",
        tags=["venezuela"],
        category="world",
        body=VENEZUELA + " Again.",
    )
    project.article(
        "2024/05/sanctions.md",
        title="EU sanctions",
        date="2024-05-01",
        lang="en",
        tags=["rusia"],
        body=SANCTIONS,
    )
    project.article(
        "2024/04/draft.md",
        title="Venezuela draft",
        date="2024-04-01",
        lang="en",
        status="draft",
        tags=["venezuela"],
        body=VENEZUELA,
    )
    return project


def test_table_by_slug(cli, news) -> None:
    run = cli("similar", "venezuela")
    assert run.exit_code == 0, run.stderr
    lines = run.stdout.splitlines()
    assert lines[0].split() == ["#", "score", "date", "title", "path"]
    assert lines[1].split()[0] == "1" and lines[1].endswith("content/2024/06/maduro.md")
    assert len(lines) == 2  # the draft and the unrelated story are not suggested
    assert run.stderr == ""


def test_json_explain_adds_up(cli, news) -> None:
    run = cli("similar", "content/2024/07/venezuela.md", "--format", "json", "--explain")
    assert run.exit_code == 0
    (record,) = run.json()
    assert record["slug"] == "maduro"
    assert round(sum(record["parts"].values()), 4) == record["score"]
    assert record["shared_tags"] == ["Venezuela"]
    assert {"maduro", "venezuela"} <= set(record["shared_terms"])
    assert record["parts"]["category"] == 0.05
    assert record["date"].startswith("2024-06-20")


def test_human_explain_shows_the_sum(cli, news) -> None:
    run = cli("similar", "venezuela", "--explain")
    assert run.exit_code == 0
    lines = run.stdout.splitlines()
    assert lines[0].startswith("1. ") and lines[0].endswith("Maduro claims victory")
    sum_line = next(line for line in lines if "score =" in line)
    terms, total = sum_line.split("score =")[1].split(" = ")
    assert round(sum(float(part.split()[1]) for part in terms.split(" + ")), 4) == float(total)
    assert "   shared tags: Venezuela" in lines


def test_plain_json_shape(cli, news) -> None:
    run = cli("similar", "venezuela", "--format", "jsonl")
    assert [set(item) for item in run.jsonl()] == [{"path", "slug", "title", "score"}]


def test_threshold_limit_and_flags(cli, news) -> None:
    assert cli("similar", "venezuela", "--threshold", "1", "--format", "json").json() == []
    assert cli("similar", "venezuela", "-n", "0", "--format", "json").json() == []
    # maduro.md is older than venezuela.md: it only sees venezuela.md with --include-newer.
    assert cli("similar", "maduro", "--format", "json").json() == []
    newer = cli("similar", "maduro", "--include-newer", "--format", "paths")
    assert newer.stdout.splitlines() == ["content/2024/07/venezuela.md"]


def test_nothing_found_says_so_on_stderr(cli, news) -> None:
    run = cli("similar", "sanctions")
    assert run.exit_code == 0
    assert run.stdout == ""
    assert run.stderr.strip() == "no similar article scores 0.15 or more"


def test_filters_restrict_the_pool(cli, news) -> None:
    run = cli("similar", "venezuela", "--tag", "rusia", "--threshold", "0", "--format", "json")
    assert [item["slug"] for item in run.json()] == []
    run = cli("similar", "venezuela", "--category", "world", "--format", "json")
    assert [item["slug"] for item in run.json()] == ["maduro"]


def test_lang_filter_picks_the_language(cli, project) -> None:
    project.article("a.md", title="Venezuela", date="2024-07-29", lang="id", body=VENEZUELA)
    project.article("b.md", title="Venezuela", date="2024-07-01", lang="en", body=VENEZUELA)
    assert cli("similar", "a", "--format", "json").json() == []
    assert [r["slug"] for r in cli("similar", "a", "--any-lang", "-f", "json").json()] == ["b"]
    assert [r["slug"] for r in cli("similar", "a", "--lang", "en", "-f", "json").json()] == ["b"]


def test_config_table(cli, news) -> None:
    news.config('[similar]\nlimit = 1\ntext_weight = 1.0\ntags_weight = 0\nheading = "Baca juga"\n')
    run = cli("similar", "venezuela", "--format", "json", "--explain")
    assert run.exit_code == 0
    (record,) = run.json()
    assert record["parts"]["tags"] == 0.0
    assert cli("similar", "venezuela", "-f", "markdown").stdout.startswith("## Baca juga\n")
    news.config("[similar]\ntext_weigth = 1.0\n")
    bad = cli("similar", "venezuela")
    assert bad.exit_code == 2
    assert "unknown setting 'similar.text_weigth'" in bad.stderr
    assert "did you mean 'text_weight'" in bad.stderr


def test_ambiguous_title_lists_candidates(cli, project) -> None:
    project.article("a/maduro-menang.md", title="Maduro Menang Lagi", body=VENEZUELA)
    project.article("b/maduro-menang-2.md", title="Maduro Menang Lagi!", body=VENEZUELA)
    run = cli("similar", "maduro menang lagi")
    assert run.exit_code == 2
    assert run.stdout == ""
    lines = run.stderr.splitlines()
    assert lines[0] == "error: 'maduro menang lagi' matches 2 articles; name one by path or slug"
    assert sorted(line.split()[0] for line in lines[1:]) == [
        "content/a/maduro-menang.md",
        "content/b/maduro-menang-2.md",
    ]


def test_unknown_article(cli, news) -> None:
    run = cli("similar", "nothing like this at all")
    assert run.exit_code == 2
    assert "no article matches" in run.stderr


@pytest.mark.parametrize(
    ("args", "message"),
    [
        ((), "name one ARTICLE"),
        (("venezuela", "--all"), "name one ARTICLE"),
        (("--body-file", "x.md"), "--body-file goes with --title"),
        (("--title", "X", "--write"), "need a saved article"),
        (("--all", "--format", "markdown"), "with --all use table, json or jsonl"),
        (("--all", "--explain"), "--explain with --all needs --format json or jsonl"),
    ],
)
def test_usage_errors(cli, news, args, message) -> None:
    run = cli("similar", *args)
    assert run.exit_code == 2
    assert message in run.stderr
    assert run.stdout == ""


# ---------------------------------------------------------------- unsaved stories


def test_title_only(cli, news) -> None:
    # An unsaved story is in the default language (id here) unless --lang says otherwise.
    assert cli("similar", "--title", "Venezuela Maduro election", "-f", "json").json() == []
    run = cli("similar", "--title", "Venezuela Maduro election", "--lang", "en", "-f", "json")
    assert run.exit_code == 0
    assert [item["slug"] for item in run.json()][:2] == ["venezuela", "maduro"]


def test_title_with_body_file_and_front_matter(cli, news, tmp_path: Path) -> None:
    draft = tmp_path / "draft.md"
    draft.write_text(f"---\ntags: [rusia]\nlang: en\n---\n{SANCTIONS}\n", encoding="utf-8")
    run = cli("similar", "--title", "Gas", "--body-file", str(draft), "-f", "json", "--explain")
    assert run.exit_code == 0
    (record,) = run.json()
    assert record["slug"] == "sanctions" and record["shared_tags"] == ["rusia"]


def test_body_from_stdin(cli, news) -> None:
    run = cli(
        "similar",
        "--title",
        "Gas",
        "--body-file",
        "-",
        "--any-lang",
        "-f",
        "paths",
        input=SANCTIONS,
    )
    assert run.stdout.splitlines() == ["content/2024/05/sanctions.md"]


def test_markdown_links_are_relative_to_the_article(cli, news) -> None:
    run = cli("similar", "venezuela", "--include-newer", "--format", "markdown")
    assert run.stdout == "## Similar Posts\n\n- [Maduro claims victory](../06/maduro.md)\n"
    unsaved = cli(
        "similar", "--title", "Venezuela Maduro", "--lang", "en", "-n", "1", "-f", "markdown"
    )
    assert unsaved.stdout.endswith("(2024/07/venezuela.md)\n")


# ---------------------------------------------------------------- --all


def test_all_jsonl_shape(cli, news) -> None:
    run = cli("similar", "--all", "--format", "jsonl")
    assert run.exit_code == 0
    records = run.jsonl()
    assert [record["path"] for record in records] == sorted(
        [
            "content/2024/07/venezuela.md",
            "content/2024/06/maduro.md",
            "content/2024/05/sanctions.md",
            "content/2024/04/draft.md",
        ]
    )
    for record in records:
        assert list(record) == ["path", "slug", "similar"]
        for item in record["similar"]:
            assert list(item) == ["path", "slug", "title", "score"]
    by_slug = {record["slug"]: record for record in records}
    assert [item["slug"] for item in by_slug["venezuela"]["similar"]] == ["maduro"]
    assert run.stderr.strip() == "4 articles"


def test_all_json_and_table(cli, news) -> None:
    assert len(cli("similar", "--all", "--format", "json").json()) == 4
    explained = cli("similar", "--all", "--format", "json", "--explain").json()
    (venezuela,) = [record for record in explained if record["slug"] == "venezuela"]
    (item,) = venezuela["similar"]
    assert round(sum(item["parts"].values()), 4) == item["score"]
    table = cli("similar", "--all").stdout.splitlines()
    assert table[0].split() == ["article", "#", "score", "similar"]
    assert table[1].split()[0] == "content/2024/07/venezuela.md"


def test_bad_files_are_reported_and_the_rest_still_works(cli, news) -> None:
    news.write("broken.md", "---\ntitle: [oops\n---\n")
    run = cli("similar", "--all", "--format", "jsonl")
    assert run.exit_code == 1
    assert len(run.jsonl()) == 4
    assert "content/broken.md:" in run.stderr


# ---------------------------------------------------------------- --write


def snapshot(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in root.rglob("*.md")}


def test_write_one_article(cli, news) -> None:
    path = news.content / "2024/07/venezuela.md"
    before = path.read_bytes()
    run = cli("similar", "venezuela", "--write")
    assert run.exit_code == 0
    assert run.stdout == ""
    assert run.stderr.strip() == "updated 1 article; 0 unchanged"
    after = path.read_bytes()
    assert after == before.replace(b"---\nMaduro", b"related: [maduro]\n---\nMaduro")


def test_write_never_overwrites_a_change_made_while_it_worked(cli, news, monkeypatch) -> None:
    from lushbeat_cli.cli import similar_cmd

    path = news.content / "2024/07/venezuela.md"
    real = similar_cmd.plan_related_edit

    def plan_then_edited_elsewhere(*args: object, **kwargs: object) -> object:
        edit = real(*args, **kwargs)  # type: ignore[arg-type]
        path.write_text(edit.old.replace("Venezuela votes", "Venezuela decides"), encoding="utf-8")
        return edit

    monkeypatch.setattr(similar_cmd, "plan_related_edit", plan_then_edited_elsewhere)
    run = cli("similar", "venezuela", "--write")
    assert run.exit_code == 1
    assert "changed on disk while lushbeat was working; not written" in run.stderr
    assert "Venezuela decides" in path.read_text(encoding="utf-8")
    assert "related:" not in path.read_text(encoding="utf-8")


def test_write_all_is_byte_preserving_and_idempotent(cli, project) -> None:
    yaml_crlf = (
        "---\r\ntitle: Venezuela votes  # a comment\r\ndate: 2024-07-29\r\nlang: en\r\n"
        "tags:\r\n  - venezuela\r\nrelated:\r\n  - old-slug\r\n---\r\n" + VENEZUELA + "\r\n"
    )
    toml = (
        '+++\ntitle = "Maduro claims victory"\ndate = 2024-06-20\nlang = "en"\n'
        'tags = ["venezuela"]\n+++\n' + VENEZUELA + " Again.\n"
    )
    json_fm = (
        '{\n  "title": "Caracas protests",\n  "date": "2024-05-20",\n  "lang": "en",\n'
        '  "tags": ["venezuela"],\n  "related": ["stale"]\n}\n' + VENEZUELA + "\n"
    )
    project.write("a.md", yaml_crlf, dedent=False)
    project.write("b.md", toml, dedent=False)
    project.write("c.md", json_fm, dedent=False)
    project.write("d.md", "---\ntitle: Unrelated\nlang: en\n---\nNothing in common here.\n")
    before = snapshot(project.content)
    run = cli("similar", "--all", "--write")
    assert run.exit_code == 0, run.stderr
    assert run.stderr.strip() == "updated 3 articles; 1 unchanged"
    after = snapshot(project.content)
    assert after["d.md"] == before["d.md"]
    # Only the related: entry changed, every other byte (CRLF, comment) is kept.
    assert after["a.md"] == before["a.md"].replace(
        b"related:\r\n  - old-slug\r\n", b"related:\r\n  - b\r\n  - c\r\n"
    )
    assert after["b.md"] == before["b.md"].replace(
        b'tags = ["venezuela"]\n', b'tags = ["venezuela"]\nrelated = ["c"]\n'
    )
    # The oldest has nothing older to suggest: its stale list is emptied.
    assert after["c.md"] == before["c.md"].replace(b'["stale"]', b"[]")
    second = cli("similar", "--all", "--write")
    assert second.stderr.strip() == "updated 0 articles; 4 unchanged"
    assert snapshot(project.content) == after


def test_diff_previews_and_writes_nothing(cli, news) -> None:
    before = snapshot(news.content)
    run = cli("similar", "--all", "--diff")
    assert run.exit_code == 0
    assert snapshot(news.content) == before
    assert run.stdout.startswith("--- a/content/")
    assert "+related: [maduro]\n" in run.stdout.splitlines(keepends=True)
    assert run.stderr.strip().startswith("would update")


def test_related_lock_is_never_rewritten(cli, news) -> None:
    path = news.content / "2024/07/venezuela.md"
    text = path.read_text(encoding="utf-8").replace("lang:", "related_lock: true\nlang:", 1)
    path.write_text(text, encoding="utf-8")
    run = cli("similar", "--all", "--write")
    assert path.read_text(encoding="utf-8") == text
    assert "1 locked (related_lock)" in run.stderr


def test_an_article_that_cannot_be_edited_is_reported(cli, news) -> None:
    path = news.content / "2024/07/venezuela.md"
    text = path.read_text(encoding="utf-8").replace("lang:", "related: &x [a]\nlang:", 1)
    path.write_text(text, encoding="utf-8")
    run = cli("similar", "venezuela", "--write")
    assert run.exit_code == 1
    assert run.stderr.startswith("content/2024/07/venezuela.md:")
    assert path.read_text(encoding="utf-8") == text


def test_examples_seed_story(cli, examples_copy) -> None:
    run = cli("similar", SEED, "--include-newer", "--any-lang", "--format", "json", "--explain")
    assert run.exit_code == 0
    found = run.json()
    assert all("venezuela" in item["shared_tags"] for item in found[:2])
    assert sum("venezuela" in item["shared_tags"] for item in found[:4]) == 3
    default = cli("similar", SEED, "--format", "json").json()
    assert (
        default[0]["slug"] == "uni-eropa-alihkan-rp31-triliun-dari-bunga-aset-rusia-untuk-ukraina"
    )
    block = cli("similar", SEED, "--include-newer", "-f", "markdown").stdout
    assert "](../09/edmundo-gonzalez-tinggalkan-venezuela-terbang-ke-spanyol.md)" in block
    assert json.loads(json.dumps(default))  # plain JSON, nothing else on stdout


@pytest.mark.skipif(LUSHBEAT is None, reason="lushbeat is not installed (pip install -e .)")
def test_all_jsonl_through_a_pipe_has_no_progress_bar_or_ansi(tmp_path: Path) -> None:
    import subprocess

    target = tmp_path / "examples"
    shutil.copytree(EXAMPLES, target)
    env = {k: v for k, v in os.environ.items() if k not in ("NO_COLOR", "FORCE_COLOR")}
    result = subprocess.run(
        [LUSHBEAT, "similar", "--all", "--format", "jsonl"],
        cwd=target,
        capture_output=True,
        text=True,
        env=env,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    records = [json.loads(line) for line in result.stdout.splitlines()]
    assert len(records) == 38
    assert result.stderr == "38 articles\n"
    assert "\x1b[" not in result.stdout + result.stderr


def test_help_names_the_config_table(cli) -> None:
    run = cli("similar", "--help")
    assert run.exit_code == 0
    assert "[similar] table" in run.stdout
    assert "Usage: lushbeat similar [OPTIONS] [ARTICLE]" in " ".join(run.stdout.split())


def test_write_one_article_with_diff_writes_nothing(cli, news) -> None:
    before = snapshot(news.content)
    run = cli("similar", "venezuela", "--diff")
    assert run.exit_code == 0
    assert "+related: [maduro]\n" in run.stdout.splitlines(keepends=True)
    assert run.stderr.strip() == "would update 1 article; 0 unchanged"
    assert snapshot(news.content) == before


@pytest.mark.slow
@pytest.mark.skipif(not (SHARED / "corpora" / "18f").is_dir(), reason="../shared is absent")
def test_a_real_corpus(cli, tmp_path: Path, monkeypatch) -> None:
    """18f: 509 real posts with real-world oddities (88 without a date, Liquid tags)."""
    shutil.copytree(SHARED / "corpora" / "18f" / "content", tmp_path / "content")
    (tmp_path / "lushbeat.toml").write_text('content_dir = "content"\ndefault_lang = "en"\n')
    monkeypatch.chdir(tmp_path)
    run = cli("similar", "--all", "--format", "jsonl", "--include-newer")
    assert run.exit_code == 0, run.stderr
    records = run.jsonl()
    assert len(records) == len(list((tmp_path / "content").rglob("*.md")))
    suggested = [item for record in records for item in record["similar"]]
    assert len(suggested) >= 4 * len(records)
    assert all(0 < item["score"] <= 1 for item in suggested)
    assert all(item["path"] != record["path"] for record in records for item in record["similar"])
