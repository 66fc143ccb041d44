"""`lushbeat new`: naming, front matter, templates, refusal to overwrite, dry run, editor."""

from __future__ import annotations

import os
import stat
import sys
from pathlib import Path

import pytest

from lushbeat_cli.core.reading.frontmatter import parse_bytes
from tests.conftest import Project


def front(path: Path) -> dict:
    return parse_bytes(path.read_bytes(), path).metadata


@pytest.fixture
def newsroom(project: Project) -> Project:
    project.config(
        'timezone = "Asia/Jakarta"\ndefault_lang = "id"\ndefault_author = "Redaksi"\n'
        'categories = ["politik", "internasional"]\n'
    )
    return project


def test_new_writes_complete_front_matter_and_prints_only_the_path(cli, newsroom) -> None:
    run = cli(
        "new",
        "Pilpres Venezuela Menghadirkan Pemimpin Baru, Nicholas Maduro",
        "--category",
        "internasional",
        "--tag",
        "venezuela",
        "--tag",
        "pemilu",
        "--date",
        "2024-07-29T10:00:00",
        "--summary",
        "Ringkas: singkat",
    )
    assert run.exit_code == 0, run.stderr
    expected = "content/2024/07/pilpres-venezuela-menghadirkan-pemimpin-baru-nicholas-maduro.md"
    assert run.stdout == expected + "\n"
    assert "created" in run.stderr
    meta = front(newsroom.root / expected)
    assert meta["title"] == "Pilpres Venezuela Menghadirkan Pemimpin Baru, Nicholas Maduro"
    assert meta["slug"] == "pilpres-venezuela-menghadirkan-pemimpin-baru-nicholas-maduro"
    assert meta["date"].isoformat() == "2024-07-29T10:00:00+07:00"
    assert meta["author"] == "Redaksi"
    assert meta["category"] == "internasional"
    assert meta["tags"] == ["venezuela", "pemilu"]
    assert meta["summary"] == "Ringkas: singkat"
    assert meta["status"] == "draft"
    assert meta["lang"] == "id"
    listed = cli("list", "--format", "json").json()
    assert listed[0]["status"] == "draft"


def test_published_authors_lang_slug_and_fields(cli, newsroom) -> None:
    run = cli(
        "new",
        "Hello",
        "--published",
        "--author",
        "Ana",
        "--author",
        "Budi",
        "--lang",
        "en",
        "--slug",
        "Custom Slug!",
        "--date",
        "2024-01-02",
        "--field",
        "priority=3",
        "--field",
        "source=Reuters: wire",
    )
    assert run.exit_code == 0, run.stderr
    path = newsroom.root / run.stdout.strip()
    assert path.name == "custom-slug.md"
    meta = front(path)
    assert meta["status"] == "published"
    assert meta["author"] == ["Ana", "Budi"]
    assert meta["lang"] == "en"
    assert meta["priority"] == 3
    assert meta["source"] == "Reuters: wire"


@pytest.mark.parametrize(
    ("title", "name"),
    [
        ("Énergie à São Paulo", "energie-a-sao-paulo.md"),
        ("🎉🎉", "untitled.md"),
        ("../../../etc/passwd", "etc-passwd.md"),
        ("Kata " * 40, None),
    ],
)
def test_slug_edge_cases_stay_inside_content(cli, newsroom, title: str, name: str | None) -> None:
    run = cli("new", title, "--date", "2024-01-01")
    assert run.exit_code == 0, run.stderr
    path = (newsroom.root / run.stdout.strip()).resolve()
    assert path.is_relative_to(newsroom.content.resolve())
    assert path.parent == (newsroom.content / "2024" / "01").resolve()
    if name:
        assert path.name == name
    assert len(path.stem) <= 80


def test_never_overwrites_an_existing_file(cli, newsroom) -> None:
    target = newsroom.write("2024/01/taken.md", "---\ntitle: Mine\nslug: other\n---\nkeep me\n")
    run = cli("new", "Taken", "--date", "2024-01-05")
    assert run.exit_code == 1
    assert run.stdout == ""
    assert "content/2024/01/taken.md: already exists; not overwritten" in run.stderr
    assert target.read_text() == "---\ntitle: Mine\nslug: other\n---\nkeep me\n"


def test_refuses_a_slug_used_anywhere(cli, newsroom) -> None:
    newsroom.article("2020/05/old.md", title="Old", slug="taken")
    run = cli("new", "Taken", "--date", "2024-01-05")
    assert run.exit_code == 1
    assert "content/2020/05/old.md" in run.stderr and "slug 'taken' is already used" in run.stderr
    assert not (newsroom.content / "2024").exists()


def test_similar_title_warns_on_stderr(cli, newsroom) -> None:
    newsroom.article("2024/01/a.md", title="Rupiah Menguat Tajam Hari Ini", date="2024-01-01")
    run = cli("new", "Rupiah menguat tajam hari ini!", "--slug", "rupiah-2", "--date", "2024-01-02")
    assert run.exit_code == 0
    assert (
        'similar title exists: content/2024/01/a.md ("Rupiah Menguat Tajam Hari Ini")' in run.stderr
    )
    assert run.stdout.strip().endswith("rupiah-2.md")


@pytest.mark.parametrize(
    ("existing", "new", "config"),
    [
        ("Rupiah Menguat Tajam Hari Ini", "Rupiah menguat tajam hari ini!", ""),  # same words
        ("Hari Ini Rupiah Menguat Tajam", "Rupiah Menguat Tajam Hari Ini", ""),  # other order
        ("Laporan Keuangan Bagian 1", "Laporan Keuangan Bagian 2", ""),  # instalments
        ("Harga Cabai Naik di Jakarta", "Harga Cabai Turun di Jakarta", ""),  # another story
        ("Harga Cabai Naik di Jakarta", "Harga Cabe Naik di Jakarta", ""),  # one letter apart
        ("Rupiah Menguat Tajam", "Rupiah Menguat", "[validate]\nsimilar_title_threshold = 60\n"),
        ("Rupiah Menguat Tajam", "Rupiah Menguat Tajam!", '[validate]\nignore = ["LB402"]\n'),
    ],
)
def test_new_warns_exactly_where_validate_reports_a_near_duplicate(
    cli, newsroom, existing: str, new: str, config: str
) -> None:
    """``new`` and the near-duplicate-title rule (LB402) agree: same threshold, same scoring,
    same exceptions, same switch."""
    path = newsroom.root / "lushbeat.toml"
    path.write_text(path.read_text(encoding="utf-8") + config, encoding="utf-8")
    newsroom.article("2024/01/a.md", title=existing, date="2024-01-01", slug="a")
    created = cli("new", new, "--slug", "b", "--date", "2024-01-02", "--published", "--no-index")
    assert created.exit_code == 0, created.stderr
    warned = "similar title exists: content/2024/01/a.md" in created.stderr
    report = cli("validate", created.stdout.strip(), "--format", "json", "--no-index").json()
    reported = any(f["code"] == "LB402" for f in report["findings"])  # type: ignore[index]
    assert warned == reported


def test_pattern_escaping_content_dir_is_refused(cli, newsroom) -> None:
    newsroom.config('path_pattern = "../{slug}.md"\n')
    run = cli("new", "Escape", "--date", "2024-01-01")
    assert run.exit_code == 2
    assert "outside the content dir" in run.stderr
    assert not (newsroom.root / "escape.md").exists()


def test_pattern_with_unknown_placeholder(cli, newsroom) -> None:
    newsroom.config('path_pattern = "{yr}/{slug}.md"\n')
    run = cli("new", "X")
    assert run.exit_code == 2
    assert "path_pattern" in run.stderr


def test_pattern_placeholders(cli, newsroom) -> None:
    newsroom.config('path_pattern = "{lang}/{category}/{year}-{month}-{day}-{slug}.md"\n')
    run = cli(
        "new", "Hi", "--date", "2024-03-09", "--category", "Politik Dalam Negeri", "--lang", "en"
    )
    assert run.stdout.strip() == "content/en/politik-dalam-negeri/2024-03-09-hi.md"


def test_dry_run_prints_the_file_and_writes_nothing(cli, newsroom) -> None:
    run = cli("new", "Dry: Run", "--date", "2024-01-01", "--dry-run")
    assert run.exit_code == 0
    assert run.stdout.startswith("---\n")
    assert 'title: "Dry: Run"' in run.stdout
    assert "would create content/2024/01/dry-run.md" in run.stderr
    assert not (newsroom.content / "2024").exists()


def test_template_with_placeholders(cli, newsroom) -> None:
    (newsroom.root / "templates").mkdir()
    (newsroom.root / "templates" / "berita.md").write_text(
        '---\n# house template\ntitle: "{{ title }}"\nslug: {{ slug }}\ndate: {{ date }}\n'
        'image: "/img/{{ slug }}.jpg"\ncaption: {{ title }}\nsource: Lush Beat\n---\n\n'
        "**Lush Beat** – {{ title }} ({{ year }})\n"
    )
    run = cli("new", 'He said: "go"', "--template", "berita", "--date", "2024-02-03")
    assert run.exit_code == 0, run.stderr
    path = newsroom.root / run.stdout.strip()
    text = path.read_text()
    assert "# house template" in text
    meta = front(path)
    assert meta["title"] == 'He said: "go"'
    assert meta["caption"] == 'He said: "go"'
    assert meta["image"] == "/img/he-said-go.jpg"
    assert meta["source"] == "Lush Beat"
    assert meta["status"] == "draft"
    assert text.endswith('**Lush Beat** – He said: "go" (2024)\n')


def test_default_template_is_used_when_present(cli, newsroom) -> None:
    (newsroom.root / "templates").mkdir()
    (newsroom.root / "templates" / "default.md").write_text(
        "---\ntitle: x\ndesk: metro\n---\nBody\n"
    )
    run = cli("new", "Metro news", "--date", "2024-01-01")
    meta = front(newsroom.root / run.stdout.strip())
    assert meta["desk"] == "metro"
    assert meta["title"] == "Metro news"


@pytest.mark.parametrize(
    ("flags", "desk"),
    [
        (("--category", "olahraga"), "sport"),  # its category's template
        (("--category", "Olahraga"), "sport"),  # found by slug too
        (("--category", "internasional"), "general"),  # no template of its own: default.md
        ((), "general"),
        (("--category", "olahraga", "--template", "berita"), "news"),  # --template wins
    ],
)
def test_a_category_picks_its_own_template(cli, newsroom, flags: tuple[str, ...], desk: str):
    path = newsroom.root / "lushbeat.toml"
    path.write_text(path.read_text().replace('"politik"', '"olahraga", "politik"'))
    templates = newsroom.root / "templates"
    templates.mkdir()
    for name, value in (("default", "general"), ("olahraga", "sport"), ("berita", "news")):
        (templates / f"{name}.md").write_text(f"---\ntitle: x\ndesk: {value}\n---\nBody\n")
    run = cli("new", "Timnas menang", "--date", "2024-01-01", *flags)
    assert run.exit_code == 0, run.stderr
    assert front(newsroom.root / run.stdout.strip())["desk"] == desk


def test_import_picks_the_category_template_too(cli, newsroom) -> None:
    path = newsroom.root / "lushbeat.toml"
    path.write_text(path.read_text().replace('"politik"', '"olahraga", "politik"'))
    (newsroom.root / "templates").mkdir()
    (newsroom.root / "templates" / "olahraga.md").write_text("---\ntitle: x\ndesk: sport\n---\n")
    (newsroom.root / "story.txt").write_text("Timnas menang\n\nIsi berita.\n", encoding="utf-8")
    run = cli("import", "story.txt", "--category", "olahraga", "--date", "2024-01-01")
    assert run.exit_code == 0, run.stderr
    assert front(newsroom.root / run.stdout.strip())["desk"] == "sport"


def test_broken_template_is_a_config_error(cli, newsroom) -> None:
    (newsroom.root / "templates").mkdir()
    (newsroom.root / "templates" / "bad.md").write_text("---\ntitle: [oops\n---\n")
    run = cli("new", "X", "--template", "bad")
    assert run.exit_code == 2
    assert "template is not a valid article" in run.stderr


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["X", "--category", "sport"], "category 'sport' is not allowed"),
        (["X", "--date", "tomorrow"], "--date expects a date"),
        (["   "], "title must not be empty"),
        (["X", "--template", "../x"], "must be a plain name"),
        (["X", "--template", "missing"], "template 'missing' not found"),
        (["X", "--field", "novalue"], "--field expects KEY=VALUE"),
    ],
)
def test_usage_errors(cli, newsroom, args: list[str], message: str) -> None:
    run = cli("new", *args)
    assert run.exit_code == 2
    assert message in run.stderr
    assert run.stdout == ""


def test_create_alias(cli, newsroom) -> None:
    run = cli("create", "Alias works", "--date", "2024-01-01")
    assert run.exit_code == 0
    assert run.stdout.strip() == "content/2024/01/alias-works.md"


def test_edit_opens_the_editor(cli, newsroom, monkeypatch, tmp_path) -> None:
    log = tmp_path / "editor.log"
    script = tmp_path / "fake-editor"
    script.write_text(
        f"#!{sys.executable}\nimport sys\nopen({str(log)!r}, 'w').write(sys.argv[1])\n"
    )
    script.chmod(script.stat().st_mode | stat.S_IEXEC)
    monkeypatch.setenv("EDITOR", str(script))
    run = cli("new", "Edit me", "--date", "2024-01-01", "--edit")
    assert run.exit_code == 0, run.stderr
    assert log.read_text().endswith(os.path.join("content", "2024", "01", "edit-me.md"))


def test_edit_without_editor(cli, newsroom) -> None:
    run = cli("new", "No editor", "--edit")
    assert run.exit_code == 2
    assert "$VISUAL or $EDITOR" in run.stderr
    assert not list(newsroom.content.rglob("*.md"))


def test_template_values_are_defaults_and_flags_win(cli, newsroom) -> None:
    (newsroom.root / "templates").mkdir()
    (newsroom.root / "templates" / "ekonomi.md").write_text(
        "---\ntitle: x\ncategory: internasional\ntags: [breaking, rupiah]\n"
        "summary: Ringkasan default\nauthor: Desk Ekonomi\nlang: en\nstatus: published\n---\n"
    )
    meta = front(newsroom.root / cli("new", "Kept", "--template", "ekonomi").stdout.strip())
    assert meta["category"] == "internasional"
    assert meta["tags"] == ["breaking", "rupiah"]
    assert meta["summary"] == "Ringkasan default"
    assert meta["author"] == "Desk Ekonomi"
    assert meta["lang"] == "en"
    assert meta["status"] == "published"
    run = cli(
        "new",
        "Flags win",
        "--template",
        "ekonomi",
        "--category",
        "POLITIK",
        "--tag",
        "x",
        "--author",
        "Ana",
        "--lang",
        "id",
        "--draft",
        "--summary",
        "Mine",
    )
    meta = front(newsroom.root / run.stdout.strip())
    assert (meta["category"], meta["tags"], meta["author"]) == ("politik", ["x"], "Ana")
    assert (meta["lang"], meta["status"], meta["summary"]) == ("id", "draft", "Mine")


@pytest.mark.parametrize(
    ("name", "template"),
    [
        (
            "json",
            '{\n  "title": "{{ title }}",\n  "kicker": "{{ title }}!",\n  "date": "{{ date }}"\n}\n'
            "\n{{ title }}\n",
        ),
        (
            "toml",
            "+++\ntitle = '{{ title }}'\nkicker = \"{{ title }}\"\ndate = 2000-01-01\n+++\n"
            "\n{{ title }}\n",
        ),
        (
            "yaml",
            "---\ntitle: '{{ title }}'\nkicker: {{ title }}\ndate: {{ date }}\n---\n"
            "\n{{ title }}\n",
        ),
    ],
)
def test_templates_in_every_format_quote_values(cli, newsroom, name: str, template: str) -> None:
    (newsroom.root / "templates").mkdir()
    (newsroom.root / "templates" / f"{name}.md").write_text(template)
    title = 'Jum\'at "Agung": \\ #1'
    run = cli("new", title, "--template", name, "--date", "2024-03-29")
    assert run.exit_code == 0, run.stderr
    path = newsroom.root / run.stdout.strip()
    meta = front(path)
    assert meta["title"] == title
    assert meta["kicker"].startswith(title)
    assert path.read_text().endswith(title + "\n")


@pytest.mark.parametrize("key", ["slug", "status", "date", "title", "tags", "related", "authors"])
def test_field_cannot_bypass_known_fields(cli, newsroom, key: str) -> None:
    run = cli("new", "X", "--field", f"{key}=anything")
    assert run.exit_code == 2
    assert f"--field cannot set the known field '{key}'" in run.stderr


def test_field_types_are_predictable(cli, newsroom) -> None:
    run = cli(
        "new",
        "Typed",
        "--date",
        "2024-01-01",
        "--field",
        "zip=0123",
        "--field",
        "region=NO",
        "--field",
        "dur=1:30",
        "--field",
        "flag=yes",
        "--field",
        "n=42",
        "--field",
        "x=1.5",
        "--field",
        "on=true",
    )
    meta = front(newsroom.root / run.stdout.strip())
    assert meta["zip"] == "0123" and meta["region"] == "NO" and meta["dur"] == "1:30"
    assert meta["flag"] == "yes" and meta["n"] == 42 and meta["x"] == 1.5 and meta["on"] is True


@pytest.mark.parametrize(
    ("pattern", "message"),
    [
        ("", "must contain {slug}"),
        ("{slug.__class__}.md", "may only use plain placeholders"),
        ("{slug!r}.md", "may only use plain placeholders"),
        ("{year:>10}/{slug}.md", "may only use plain placeholders"),
        ("{slug}/", "must end in a file name"),
        ("{year}/.{slug}.md", "must end in a file name"),
        ("/abs/{slug}.md", "must be relative"),
    ],
)
def test_bad_path_patterns_are_config_errors(cli, newsroom, pattern: str, message: str) -> None:
    newsroom.config(f"path_pattern = {pattern!r}\n".replace("'", '"'))
    run = cli("new", "X")
    assert run.exit_code == 2
    assert message in run.stderr


def test_non_utf8_title_is_refused(cli, newsroom) -> None:
    run = cli("new", "bad \udcff byte")
    assert run.exit_code == 2
    assert "not valid UTF-8" in run.stderr
