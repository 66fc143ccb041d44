"""`lushbeat search` and `lushbeat index` through the real app."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from tests.conftest import SHARED, Project

SEARCH_KEYS = ["path", "slug", "title", "date", "score", "snippet", "matched_terms"]


@pytest.fixture
def news(project: Project) -> Project:
    project.article(
        "2024/07/pilpres.md",
        title="Pilpres Venezuela: Maduro Menang",
        date="2024-07-29T10:00:00+07:00",
        tags=["venezuela", "pemilu"],
        category="internasional",
        lang="id",
        body="Komisi pemilihan umum mengumumkan hasil pemilihan presiden.\n",
    )
    project.article(
        "2024/08/ekonomi.md",
        title="Harga minyak naik",
        date="2024-08-01",
        tags=["minyak"],
        category="ekonomi",
        lang="id",
        body="Analis menyebut Venezuela dan sanksi sebagai penyebab. Bank Indonesia diam.\n",
    )
    project.article(
        "2024/09/energie.md",
        title="Politique de l'Énergie en Europe",
        date="2024-09-01",
        tags=["énergie"],
        category="internasional",
        lang="fr",
        summary="La transition énergétique",
        body="Le débat sur l'ÉNERGIE nucléaire continue à Bruxelles.\n",
    )
    project.article(
        "2024/10/draft.md",
        title="Draf: Bank Indonesia tahan suku bunga",
        date="2024-10-01",
        status="draft",
        tags=["bank-indonesia"],
        category="ekonomi",
        lang="id",
        body="Suku bunga acuan tetap. Bank sentral menunggu data inflasi.\n",
    )
    return project


def paths(run) -> list[str]:
    return run.stdout.splitlines()


def test_title_match_ranks_above_body_match(cli, news) -> None:
    for number in range(6):  # so that "venezuela" is a rare word
        news.article(f"other/{number}.md", title=f"Sepak bola {number}")
    run = cli("search", "venezuela", "--format", "json")
    assert run.exit_code == 0, run.stderr
    data = run.json()
    assert [item["slug"] for item in data] == ["pilpres", "ekonomi"]
    assert data[0]["score"] > data[1]["score"] > 0
    assert run.stderr.strip() == "2 results"


def test_json_record_shape(cli, news) -> None:
    data = cli("search", "maduro", "--format", "json").json()
    assert len(data) == 1
    record = data[0]
    assert list(record) == SEARCH_KEYS
    assert record["path"] == "content/2024/07/pilpres.md"
    assert record["title"] == "Pilpres Venezuela: Maduro Menang"
    assert record["date"] == "2024-07-29T10:00:00+07:00"
    assert record["matched_terms"] == ["maduro"]
    assert isinstance(record["score"], float)
    assert "\ue000" not in record["snippet"] and record["snippet"].startswith("Komisi")


def test_jsonl_and_paths_formats(cli, news) -> None:
    lines = cli("search", "bank", "indonesia", "--format", "jsonl").jsonl()
    assert [line["slug"] for line in lines] == ["draft", "ekonomi"]
    assert all(list(line) == SEARCH_KEYS for line in lines)
    run = cli("search", "bank", "indonesia", "--format", "paths")
    assert paths(run) == ["content/2024/10/draft.md", "content/2024/08/ekonomi.md"]
    nul = cli("search", "bank", "--format", "paths", "-0")
    assert nul.stdout == "content/2024/10/draft.md\0content/2024/08/ekonomi.md\0"


def test_table_has_score_title_date_path_snippet(cli, news) -> None:
    run = cli("search", "maduro")
    assert run.exit_code == 0
    header, row = run.stdout.splitlines()
    assert header.split() == ["score", "title", "date", "path", "snippet"]
    assert "2024-07-29" in row and "content/2024/07/pilpres.md" in row
    assert "\x1b[" not in run.stdout


def test_accents_and_case_are_ignored(cli, news) -> None:
    for query in ("energie", "ÉNERGIE", "Énergie", "bruxelles"):
        run = cli("search", query, "--format", "paths", "--exact")
        assert paths(run) == ["content/2024/09/energie.md"], query


def test_words_fold_like_the_index(cli, news) -> None:
    news.article("2024/12/de.md", title="Die Straße in Köln", body="İstanbul, Ærø.\n")
    for query in ("straße", "STRAßE", "koln", "KÖLN", "istanbul", "ÆRØ"):
        run = cli("search", query, "--exact", "--format", "paths")
        assert paths(run) == ["content/2024/12/de.md"], query


def test_prefix_queries(cli, news) -> None:
    assert paths(cli("search", "pemil*", "--format", "paths")) == ["content/2024/07/pilpres.md"]
    whole = cli("search", "pemil", "--format", "paths", "--exact")
    assert whole.exit_code == 1  # words are matched whole unless asked
    typed = cli("search", "pemil", "--format", "json")
    assert typed.stderr.splitlines()[0] == 'searching for "pemil*" instead of "pemil"'
    assert typed.json()[0]["matched_terms"] == ["pemilihan", "pemilu"]


def test_phrase_must_be_contiguous(cli, news) -> None:
    run = cli("search", '"suku bunga"', "--format", "paths")
    assert paths(run) == ["content/2024/10/draft.md"]
    assert cli("search", '"bunga suku"', "--format", "paths").exit_code == 1
    assert paths(cli("search", '"bank indonesia"', "--format", "paths")) == [
        "content/2024/10/draft.md",
        "content/2024/08/ekonomi.md",
    ]


def test_exclusion_and_or(cli, news) -> None:
    run = cli("search", "venezuela -maduro", "--format", "paths")
    assert paths(run) == ["content/2024/08/ekonomi.md"]
    after_dashes = cli("search", "--format", "paths", "--", "venezuela", "-maduro")
    assert paths(after_dashes) == ["content/2024/08/ekonomi.md"]
    either = cli("search", "maduro", "OR", "inflasi", "--format", "paths")
    assert sorted(paths(either)) == ["content/2024/07/pilpres.md", "content/2024/10/draft.md"]


def test_typo_is_corrected_and_said_on_stderr(cli, news) -> None:
    run = cli("search", "venezulea", "--format", "paths")
    assert run.exit_code == 0
    assert paths(run) == ["content/2024/07/pilpres.md", "content/2024/08/ekonomi.md"]
    assert 'searching for "venezuela" instead of "venezulea"' in run.stderr.splitlines()
    exact = cli("search", "venezulea", "--exact", "--format", "paths")
    assert exact.exit_code == 1
    assert exact.stdout == ""
    assert "instead of" not in exact.stderr


def test_field_restricts_where_words_count(cli, news) -> None:
    title = cli("search", "venezuela", "--field", "title", "--format", "paths")
    assert paths(title) == ["content/2024/07/pilpres.md"]
    body = cli("search", "venezuela", "--field", "body", "--format", "paths")
    assert paths(body) == ["content/2024/08/ekonomi.md"]
    tags = cli("search", "minyak", "--field", "tags", "--format", "paths")
    assert paths(tags) == ["content/2024/08/ekonomi.md"]
    summary = cli("search", "transition", "--field", "summary", "--format", "paths")
    assert paths(summary) == ["content/2024/09/energie.md"]
    bad = cli("search", "x", "--field", "author")
    assert bad.exit_code == 2


def test_list_filters_apply(cli, news) -> None:
    def found(*args: str) -> list[str]:
        return paths(cli("search", "bank", *args, "--format", "paths"))

    assert found("--status", "draft") == ["content/2024/10/draft.md"]
    assert found("--status", "published") == ["content/2024/08/ekonomi.md"]
    assert found("--category", "ekonomi", "--since", "2024-09-01") == ["content/2024/10/draft.md"]
    assert found("--until", "2024-08-31") == ["content/2024/08/ekonomi.md"]
    assert found("--tag", "minyak") == ["content/2024/08/ekonomi.md"]
    assert found("--lang", "id", "--where", "slug=draft") == ["content/2024/10/draft.md"]
    assert cli("search", "bank", "--author", "nobody").exit_code == 1


def test_limit(cli, news) -> None:
    assert len(paths(cli("search", "bank", "--limit", "1", "--format", "paths"))) == 1
    for number in range(25):
        news.article(f"many/{number}.md", title=f"Sepak bola {number}")
    assert len(cli("search", "bola", "--format", "jsonl").jsonl()) == 20  # the default
    assert len(cli("search", "bola", "-n", "30", "--format", "jsonl").jsonl()) == 25


def test_no_result_is_exit_1_with_empty_stdout(cli, news) -> None:
    for fmt in ("table", "json", "jsonl", "paths"):
        run = cli("search", "zzzqqq", "--format", fmt)
        assert run.exit_code == 1
        assert run.stdout == ""
        assert run.stderr.strip() == "no articles match 'zzzqqq'"


@pytest.mark.parametrize(
    "query",
    ['"unclosed phrase', "OR maduro", "maduro OR", "-maduro -x", "!!!", "a OR OR b"],
)
def test_malformed_queries_exit_2_cleanly(cli, news, query: str) -> None:
    run = cli("search", "--", query)
    assert run.exit_code == 2
    assert run.stdout == ""
    assert run.stderr.startswith("error: ")
    assert len(run.stderr.strip().splitlines()) == 1
    assert "sqlite" not in run.stderr.lower() and "Traceback" not in run.stderr


@pytest.mark.parametrize("query", ["title:maduro", "NEAR(maduro menang)", "maduro AND", "^x*"])
def test_fts_syntax_in_user_text_is_just_words(cli, news, query: str) -> None:
    run = cli("search", query, "--exact")
    assert run.exit_code in (0, 1)
    assert "error" not in run.stderr


def test_search_without_index_gives_the_same_results(cli, news) -> None:
    for query in ("bank", "venezulea", "pemil*", '"suku bunga"', "énergie -nucléaire"):
        indexed = cli("search", query, "--format", "json")
        direct = cli("search", query, "--format", "json", "--no-index")
        assert indexed.exit_code == direct.exit_code
        assert indexed.stdout == direct.stdout
        assert indexed.stderr == direct.stderr


def test_search_sees_edits_adds_and_deletes(cli, news) -> None:
    assert cli("search", "kiwi").exit_code == 1
    target = news.content / "2024/08/ekonomi.md"
    target.write_text(target.read_text(encoding="utf-8") + "Kiwi juga.\n", encoding="utf-8")
    assert paths(cli("search", "kiwi", "--format", "paths")) == ["content/2024/08/ekonomi.md"]
    news.article("2024/11/kiwi.md", title="Kiwi", date="2024-11-01")
    assert paths(cli("search", "kiwi", "--format", "paths"))[0] == "content/2024/11/kiwi.md"
    (news.content / "2024/11/kiwi.md").rename(news.content / "2024/11/buah.md")
    assert "content/2024/11/buah.md" in paths(cli("search", "kiwi", "--format", "paths"))
    target.unlink()
    (news.content / "2024/11/buah.md").unlink()
    assert cli("search", "kiwi").exit_code == 1


def test_unreadable_files_are_reported_but_search_goes_on(cli, news) -> None:
    news.write("broken.md", "---\ntitle: [x\n---\nmaduro\n")
    run = cli("search", "maduro", "--format", "paths")
    assert run.exit_code == 0
    assert paths(run) == ["content/2024/07/pilpres.md"]
    assert run.stderr.startswith("content/broken.md:2:")


def test_unwritable_index_warns_once_and_still_works(cli, news) -> None:
    (news.root / "blocker").write_text("not a folder")
    news.config('content_dir = "content"\n[index]\npath = "blocker/x.sqlite"\n')
    run = cli("search", "maduro", "--format", "paths")
    assert run.exit_code == 0
    assert paths(run) == ["content/2024/07/pilpres.md"]
    warnings = [line for line in run.stderr.splitlines() if line.startswith("warning:")]
    assert len(warnings) == 1 and "in-memory index" in warnings[0]
    listing = cli("list", "--format", "paths")
    assert listing.exit_code == 0
    assert sum(line.startswith("warning:") for line in listing.stderr.splitlines()) == 1


def test_damaged_index_is_rebuilt_transparently(cli, news) -> None:
    assert cli("search", "maduro").exit_code == 0
    db = news.root / ".lushbeat" / "index.sqlite"
    db.write_bytes(os.urandom(8192))
    run = cli("search", "maduro", "--format", "paths")
    assert run.exit_code == 0
    assert paths(run) == ["content/2024/07/pilpres.md"]


# ---------------------------------------------------------------- lushbeat index


def test_index_stats_json(cli, news) -> None:
    news.write("bad.md", "no front matter\n")
    run = cli("index", "--format", "json")
    assert run.exit_code == 0, run.stderr
    stats = run.json()
    assert list(stats) == [
        "path",
        "format_version",
        "files",
        "articles",
        "errors",
        "size_bytes",
        "last_refresh",
    ]
    assert stats["path"] == ".lushbeat/index.sqlite"
    assert (stats["files"], stats["articles"], stats["errors"]) == (5, 4, 1)
    assert stats["size_bytes"] > 0
    assert stats["last_refresh"].endswith("+00:00")
    assert "5 files read" in run.stderr


def test_index_table_and_rebuild(cli, news) -> None:
    cli("index")
    run = cli("index", "--rebuild")
    assert run.exit_code == 0
    rows = dict(line.split(None, 1) for line in run.stdout.splitlines() if line.strip())
    assert rows["articles"].strip() == "4"
    assert run.stderr.startswith("rebuilt in ")
    assert "4 files read" in run.stderr


def test_index_location_is_configurable(cli, news) -> None:
    news.config('content_dir = "content"\n[index]\npath = "cache/lb.sqlite"\n')
    run = cli("index", "--format", "json")
    assert run.json()["path"] == "cache/lb.sqlite"
    assert (news.root / "cache" / "lb.sqlite").is_file()
    assert not (news.root / ".lushbeat").exists()


def test_unknown_index_setting_is_a_config_error(cli, news) -> None:
    news.config('content_dir = "content"\n[index]\npaht = "x"\n')
    run = cli("index")
    assert run.exit_code == 2
    assert "did you mean 'path'" in run.stderr


def test_list_is_identical_with_and_without_index(cli, examples_copy: Path) -> None:
    for args in (("--format", "json"), ("--format", "csv", "--sort", "title"), ()):
        indexed = cli("list", *args)
        direct = cli("list", *args, "--no-index")
        assert indexed.stdout == direct.stdout
        assert indexed.stderr == direct.stderr
        assert indexed.exit_code == direct.exit_code
    assert json.loads(cli("list", "--format", "json").stdout)


@pytest.mark.skipif(not (SHARED / "corpora" / "18f").is_dir(), reason="shared corpora absent")
def test_18f_list_and_search_identical_with_and_without_index(cli, project: Project) -> None:
    project.config(f'content_dir = "{SHARED / "corpora" / "18f" / "content"}"\n')
    for args in (("list", "--format", "json"), ("search", "agile", "-n", "50", "-f", "json")):
        cold = cli(*args)
        warm = cli(*args)
        direct = cli(*args, "--no-index")
        assert cold.exit_code == warm.exit_code == direct.exit_code == 0
        assert cold.stdout == warm.stdout == direct.stdout
        assert cold.stderr == warm.stderr == direct.stderr
        assert len(json.loads(direct.stdout)) >= 50
