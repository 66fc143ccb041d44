"""Every command reads through [fields]: filters, tags, validate, publish, new and the index; edits
go to the key the file already uses, never a second one; include/exclude keep non-articles out."""

from __future__ import annotations

from pathlib import Path

import pytest

from lushbeat_cli.core.reading.frontmatter import parse_bytes
from tests.conftest import Project


def meta(path: Path) -> dict:
    return parse_bytes(path.read_bytes(), path).metadata


@pytest.fixture
def hugo(project: Project) -> Project:
    """A Hugo archive that keeps its tags in `topics`, dates written Hugo's way."""
    project.write(
        "news/2019/03/2019-03-26-plain.md",
        "---\ntitle: Plain language\ndate: 2019-03-26 9:38:00 -0500\n"
        "topics:\n  - plain-language\n  - accessibility\n---\nBody.\n",
    )
    project.write(
        "news/2020/01/2020-01-02-a11y.md",
        "---\ntitle: Accessible forms\ndate: 2020-01-02\ntopics: [accessibility]\n---\nBody.\n",
    )
    project.write("news/_index.md", "---\ntitle: News\n---\n")
    return project


def test_without_the_map_a_sites_topics_are_no_tags(cli, hugo: Project) -> None:
    run = cli("list", "--tag", "accessibility", "--format", "paths")
    assert (run.exit_code, run.stdout) == (0, "")


def test_the_map_makes_every_command_read_topics(cli, hugo: Project) -> None:
    cli("list")  # an index built before the map: the map's change must rebuild it
    hugo.config('[fields]\ntags = ["topics"]\n')
    listed = cli("list", "--tag", "accessibility", "--format", "paths")
    assert listed.exit_code == 0, listed.stderr
    assert listed.stdout.splitlines() == [
        "content/news/2020/01/2020-01-02-a11y.md",
        "content/news/2019/03/2019-03-26-plain.md",
    ]
    tags = cli("tags", "--format", "json")
    assert {item["tag"]: item["count"] for item in tags.json()} == {  # type: ignore[union-attr]
        "accessibility": 2,
        "plain-language": 1,
    }
    checked = cli("validate", "--select", "LB206")  # topics is no unknown key now
    assert checked.exit_code == 0, checked.stdout


def test_a_tag_rename_writes_the_key_the_file_uses(cli, hugo: Project) -> None:
    hugo.config('[fields]\ntags = ["topics", "tags"]\n')
    path = hugo.content / "news/2019/03/2019-03-26-plain.md"
    before = path.read_text()
    run = cli("tags", "rename", "accessibility", "a11y")
    assert run.exit_code == 0, run.stderr
    after = path.read_text()
    assert after == before.replace("  - accessibility\n", "  - a11y\n")
    assert "tags" not in meta(path)  # never a second key


def test_jekyll_names_give_dates_and_no_missing_date_is_reported(cli, project: Project) -> None:
    project.write("2014-09-25-design-studio.md", "---\ntitle: Design studio\n---\nBody.\n")
    before = cli("validate", "--select", "LB202")
    assert before.exit_code == 1 and "missing required field 'date'" in before.stdout
    project.config('timezone = "Asia/Jakarta"\n[fields]\nfile_name_dates = true\n')
    after = cli("validate", "--select", "LB202")
    assert after.exit_code == 0, after.stdout
    run = cli("list", "--since", "2014-09-01", "--until", "2014-09-30", "--format", "json")
    [record] = run.json()  # type: ignore[misc]
    assert (record["slug"], record["date"]) == ("design-studio", "2014-09-25T00:00:00+07:00")


def test_publish_writes_the_date_key_in_the_sites_format(cli, project: Project) -> None:
    project.config(
        'timezone = "Asia/Jakarta"\n[fields]\ndate = ["ms.date"]\ndate_formats = ["%m/%d/%Y"]\n'
    )
    path = project.write(
        "vba/range.md", "---\ntitle: Range object\nms.date: 06/08/2017\ndraft: true\n---\n"
    )
    listed = cli("list", "--status", "draft", "--format", "json")
    assert listed.json()[0]["date"] == "2017-06-08T00:00:00+07:00"  # type: ignore[index]
    run = cli("publish", "content/vba/range.md", "--date", "2024-07-29")
    assert run.exit_code == 0, run.stderr
    assert meta(path) == {"title": "Range object", "ms.date": "07/29/2024", "draft": False}


def test_unpublish_and_publish_flip_jekylls_published_key(cli, project: Project) -> None:
    path = project.write("a.md", "---\ntitle: A\ndate: 2024-07-29\npublished: true\n---\n")
    assert cli("unpublish", "content/a.md").exit_code == 0
    assert meta(path)["published"] is False and "status" not in meta(path)
    assert cli("list", "--status", "draft", "--format", "paths").stdout == "content/a.md\n"
    assert cli("publish", "content/a.md").exit_code == 0
    assert meta(path)["published"] is True and "status" not in meta(path)


def test_a_draft_by_its_folder_is_not_published_by_a_key(cli, project: Project) -> None:
    project.config('content_dir = "."\ninclude = ["_posts/", "_drafts/"]\n')
    path = project.root / "_drafts" / "idea.md"
    path.parent.mkdir()
    path.write_text("---\ntitle: Idea\n---\n")
    assert cli("list", "--status", "draft", "--format", "paths").stdout == "_drafts/idea.md\n"
    run = cli("publish", "_drafts/idea.md")
    assert run.exit_code == 1
    assert "is a draft by its folder (_drafts/)" in run.stderr
    assert path.read_text() == "---\ntitle: Idea\n---\n"


def test_new_writes_each_field_under_the_templates_key(cli, project: Project) -> None:
    project.config('[fields]\ntags = ["topics"]\nsummary = ["deck", "summary"]\n')
    (project.root / "templates").mkdir()
    (project.root / "templates" / "default.md").write_text(
        '---\ntitle: "{{ title }}"\ndate: {{ date }}\ntopics: []\ndeck: ""\n---\n\nBody.\n'
    )
    run = cli(
        "new", "Rupiah menguat", "--tag", "rupiah", "--summary", "Naik.", "--date", "2024-07-29"
    )
    assert run.exit_code == 0, run.stderr
    written = meta(project.root / run.stdout.strip())
    assert written["topics"] == ["rupiah"] and written["deck"] == "Naik."
    assert "tags" not in written and "summary" not in written


def test_non_articles_are_left_out_of_every_command(cli, project: Project) -> None:
    project.write("2024/a.md", "---\ntitle: A\ndate: 2024-07-29\n---\nBody.\n")
    project.write("README.md", "# About this folder\n")
    project.write("includes/note.md", "> [!NOTE]\n> Shared text.\n")
    project.write("news/_index.md", "---\ntitle: News\n---\n")
    listed = cli("list", "--format", "paths")
    assert (listed.exit_code, listed.stdout) == (0, "content/2024/a.md\n")
    checked = cli("validate")
    assert checked.exit_code == 0, checked.stdout
    assert "All checks passed (1 file)" in checked.stderr
    project.config('exclude = ["2024/"]\n')  # exclude replaces the defaults: README is back
    again = cli("list", "--format", "paths")
    assert again.exit_code == 1
    assert "content/README.md:1:1: LB101" in again.stderr


def test_validate_skips_named_files_outside_the_collection(cli, project: Project) -> None:
    good = project.write("2024/a.md", "---\ntitle: A\ndate: 2024-07-29\n---\nBody.\n")
    (project.root / "README.md").write_text("# Newsroom\n")
    (project.root / "templates").mkdir()
    (project.root / "templates" / "default.md").write_text('---\ntitle: "{{ title }}"\n---\n')
    run = cli("validate", "README.md", "templates/default.md", str(good))
    assert run.exit_code == 0, run.stdout
    assert run.stdout == ""
    assert (
        "2 files are no articles of the collection (content/, include and exclude): "
        "README.md, templates/default.md; not checked"
    ) in run.stderr
    alone = cli("validate", "README.md", "--format", "json")
    assert alone.exit_code == 0
    assert alone.json()["findings"] == []  # type: ignore[index]


def test_an_article_that_lost_its_opening_line_is_listed_and_fixed(cli, project: Project) -> None:
    text = "title: Mentoring\ndate: 2014-11-01\ncategories:\n- laporan\n---\n\nBody.\n"
    path = project.write("2014-11-01-mentoring.markdown", text)
    listed = cli("list", "--format", "paths")
    assert (listed.exit_code, listed.stdout) == (0, "content/2014-11-01-mentoring.markdown\n")
    checked = cli("validate")
    assert checked.exit_code == 1
    assert checked.stdout.startswith(
        "content/2014-11-01-mentoring.markdown:1:1: LB115 the front matter has no opening"
    )
    fixed = cli("validate", "--fix")
    assert fixed.exit_code == 0, fixed.stdout
    assert path.read_text() == "---\n" + text
