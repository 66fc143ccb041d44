"""Every validation rule: it fires where it should (code, line, column, severity), and stays
quiet on the corrected article."""

from __future__ import annotations

import json
import textwrap
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

import pytest

from lushbeat_cli.core.config import load_config
from lushbeat_cli.core.findings import Finding, Severity
from lushbeat_cli.core.rules import RULES, RULES_BY_CODE, trailing_whitespace
from lushbeat_cli.core.validate import ValidateOptions, validate_paths
from tests.conftest import Project
from tests.limits import finishes

NOW = datetime(2025, 6, 1, tzinfo=UTC)
BASE_CONFIG = 'content_dir = "content"\ntimezone = "Asia/Jakarta"\n'


@dataclass
class Case:
    code: str
    text: str | bytes  # the article under test, content/2024/07/a.md unless `rel`
    where: tuple[int, int]  # expected line and column
    clean: str | None = None  # the same article corrected: no finding of `code`
    config: str = ""
    rel: str = "2024/07/a.md"
    others: dict[str, str] = field(default_factory=dict)  # more articles in the content dir
    fixable: bool = False
    message: str = ""  # a fragment the message must contain


def article(*lines: str, body: str = "The story as written.\n") -> str:
    return "---\n" + "".join(line + "\n" for line in lines) + "---\n\n" + body


GOOD = ("title: Rupiah menguat", "slug: a", "date: 2024-07-29")

CASES = [
    Case("LB101", "Just some text.\n", (1, 1), clean=article(*GOOD)),
    Case("LB102", "---\ntitle: x\n\nbody\n", (1, 1), clean=article(*GOOD)),
    Case("LB103", "---\n- a\n- b\n---\nbody\n", (2, 1), clean=article(*GOOD)),
    Case(
        "LB104",
        "---\ntitle: Rupiah\ndate: [2024\n---\nbody\n",
        (3, 7),
        clean=article(*GOOD),
        message="YAML syntax error",
    ),
    Case(
        "LB104",
        '+++\ntitle = "Rupiah"\ndate = \n+++\nbody\n',
        (3, 8),
        clean='+++\ntitle = "Rupiah"\ndate = 2024-07-29\n+++\nbody\n',
        message="TOML syntax error",
    ),
    Case(
        "LB105",
        article("title: A", "date: 2024-07-29", "title: B"),
        (4, 1),
        clean=article(*GOOD),
        message="duplicate key 'title'",
    ),
    Case(
        "LB105",
        '{"title": "A", "date": "2024-07-29", "title": "B"}\nbody\n',
        (1, 2),
        clean='{"title": "A", "date": "2024-07-29"}\nbody\n',
    ),
    Case(
        "LB106",
        article("title: !!python/object/apply:os.system ['echo pwned']", "date: 2024-07-29"),
        (2, 8),
        clean=article(*GOOD),
        message="!!python/object/apply:os.system",
    ),
    Case(
        "LB107",
        "---\na: &a [x, x, x, x, x, x, x, x, x, x]\n"
        + "".join(
            f"{chr(98 + i)}: &{chr(98 + i)} [{', '.join(['*' + chr(97 + i)] * 10)}]\n"
            for i in range(6)
        )
        + "---\nbody\n",
        (2, 14),
        clean=article(*GOOD),
    ),
    Case("LB108", b"---\ntitle: caf\xe9\n---\nbody\n", (2, 11), clean=article(*GOOD)),
    Case("LB109", b"\xef\xbb\xbf" + article(*GOOD).encode(), (1, 1), clean=article(*GOOD)),
    Case("LB110", b"---\ntitle: x\x00y\n---\n", (2, 9), clean=article(*GOOD)),
    Case(
        "LB111",
        article(*GOOD, body="x" * 400),
        (1, 1),
        clean=article(*GOOD),
        config="max_file_size = 300\n",
    ),
    Case("LB113", "", (1, 1), clean=article(*GOOD)),
    Case("LB114", "\n\n" + article(*GOOD), (1, 1), clean=article(*GOOD)),
    Case(
        "LB115",
        "\n".join(GOOD) + "\n---\n\nbody\n",
        (1, 1),
        clean=article(*GOOD),
        fixable=True,
        message="no opening '---' line",
    ),
    # ------------------------------------------------------------------ schema
    Case(
        "LB201",
        article("title: Rupiah", "date: kemarin"),
        (3, 1),
        clean=article(*GOOD),
        message="'date' is not a date",
    ),
    Case(
        "LB201",
        '+++\ntitle = "Rupiah"\ndate = 2024-07-29\ntags = "ekonomi, rupiah"\n+++\nbody\n',
        (4, 1),
        clean='+++\ntitle = "Rupiah"\ndate = 2024-07-29\ntags = ["ekonomi", "rupiah"]\n+++\nb\n',
        fixable=True,
        message="'tags' must be a list, not text",
    ),
    Case(
        "LB201",
        article(*GOOD, "priority: high"),
        (5, 1),
        clean=article(*GOOD, "priority: 2"),
        config='[schema.fields.priority]\ntype = "int"\n',
        message="'priority' must be a whole number",
    ),
    Case(
        "LB202",
        article("slug: a", "date: 2024-07-29"),
        (1, 1),
        clean=article(*GOOD),
        message="missing required field 'title'",
    ),
    Case(
        "LB202",
        article("title: Rupiah", "slug: a"),
        (1, 1),
        clean=article("title: Rupiah", "slug: a", "status: draft"),
        message="missing required field 'date'",
    ),
    Case(
        "LB202",
        article("title: Rupiah", "slug: a", 'date: ""'),
        (4, 1),
        clean=article(*GOOD),
        message="required field 'date' is empty",
    ),
    Case(
        "LB202",
        article("title: Hello from Jekyll"),
        (1, 1),
        clean=article("title: Hello from Jekyll", "date: 2015-03-17"),
        rel="posts/2015-03-17-hello.md",
        fixable=True,
        message="--fix sets it to 2015-03-17",
    ),
    Case(
        "LB202",
        article("title: Rupiah", "date: 2024-07-29"),
        (1, 1),
        clean=article(*GOOD),
        config="[schema.fields.slug]\nrequired = true\n",
        fixable=True,
        message="missing required field 'slug' (--fix sets it to 'a')",
    ),
    Case(
        "LB203",
        article(*GOOD, "category: ekonomy"),
        (5, 1),
        clean=article(*GOOD, "category: ekonomi"),
        config='categories = ["politik", "ekonomi"]\n',
        message="did you mean 'ekonomi'?",
    ),
    Case(
        "LB203",
        article(*GOOD, "source: Reuter"),
        (5, 1),
        clean=article(*GOOD, "source: Reuters"),
        config='[schema.fields.source]\nchoices = ["Reuters", "Antara"]\n',
    ),
    Case(
        "LB204",
        article(*GOOD, "issue: 12a"),
        (5, 1),
        clean=article(*GOOD, "issue: 12"),
        config='[schema.fields.issue]\npattern = "[0-9]+"\n',
    ),
    Case(
        "LB204",
        article(*GOOD, "tags: [ok, Not_OK]"),
        (5, 12),
        clean=article(*GOOD, "tags: [ok, fine]"),
        config='[schema.fields.tags]\nitems = { type = "string", pattern = "[a-z-]+" }\n',
    ),
    Case(
        "LB205",
        article(*GOOD, "summary: Short."),
        (5, 1),
        clean=article(*GOOD, "summary: A long enough summary of the story."),
        config="[schema.fields.summary]\nmin_length = 20\n",
        message="at least 20 needed",
    ),
    Case(
        "LB205",
        article(*GOOD, "tags: [a, b, c, d]"),
        (5, 1),
        clean=article(*GOOD, "tags: [a, b]"),
        config="[schema.fields.tags]\nmax_length = 3\n",
    ),
    Case(
        "LB206",
        article(*GOOD, "tittle: Typo"),
        (5, 1),
        clean=article(*GOOD, "deck: A Hugo theme key", "draft: false", "image: x.jpg"),
        message="did you mean 'title'?",
    ),
    Case(
        "LB206",
        '+++\ntitle = "Rupiah"\ndate = 2024-07-29\ntag = ["a"]\n+++\nbody\n',
        (4, 1),
        clean='+++\ntitle = "Rupiah"\ndate = 2024-07-29\ntags = ["a"]\n+++\nbody\n',
        message="did you mean 'tags'?",
    ),
    Case(
        "LB206",
        article(*GOOD, "kicker: Not declared"),
        (5, 1),
        clean=article(*GOOD, "deck: Declared"),
        config="[schema]\nclosed = true\n[schema.fields.deck]\ntype = 'string'\n",
    ),
    Case(
        "LB207",
        article(*GOOD, "lang: en_US"),
        (5, 1),
        clean=article(*GOOD, "lang: en-US"),
        message="did you mean 'en-US'?",
    ),
    # ------------------------------------------------------------------ editorial
    Case(
        "LB301",
        article("title: " + "Judul " * 13, "slug: a", "date: 2024-07-29"),
        (2, 1),
        clean=article(*GOOD),
    ),
    Case(
        "LB302",
        article(*GOOD, "summary: " + "Ringkasan panjang. " * 10),
        (5, 1),
        clean=article(*GOOD, "summary: Ringkasan pendek."),
    ),
    Case("LB303", article(*GOOD, body="\n  \n"), (6, 1), clean=article(*GOOD)),
    Case(
        "LB304",
        article("title: Rupiah", "slug: Rupiah Menguat", "date: 2024-07-29"),
        (3, 1),
        clean=article(*GOOD),
        message="e.g. 'rupiah-menguat'",
    ),
    Case(
        "LB305",
        article("title: Rupiah", "slug: rupiah-menguat", "date: 2024-07-29"),
        (3, 1),
        clean=article("title: Rupiah", "slug: a", "date: 2024-07-29"),
    ),
    Case(
        "LB306",
        article(*GOOD, "updated: 2024-07-01"),
        (5, 1),
        clean=article(*GOOD, "updated: 2024-08-01"),
    ),
    Case(
        "LB307",
        article("title: Rupiah", "slug: a", "date: 2031-01-01", "status: published"),
        (4, 1),
        clean=article("title: Rupiah", "slug: a", "date: 2031-01-01", "status: scheduled"),
    ),
    Case(
        "LB308",
        article(*GOOD, "tags: [rupiah, Ekonomi, ekonomi]"),
        (5, 25),
        clean=article(*GOOD, "tags: [rupiah, ekonomi]"),
        fixable=True,
        message="'ekonomi' is listed twice (same as 'Ekonomi')",
    ),
    Case(
        "LB308",
        article(*GOOD, "topics:", "  - design", "  - content", "  - design"),
        (8, 5),
        clean=article(*GOOD, "topics:", "  - design", "  - content"),
        fixable=True,
    ),
    Case(
        "LB309",
        article(*GOOD, 'tags: [rupiah, "sepak  bola"]'),
        (5, 16),
        clean=article(*GOOD, "tags: [rupiah, sepak bola]"),
        fixable=True,
    ),
    Case(
        "LB309",
        article(*GOOD, "tags: [Rupiah]"),
        (5, 8),
        clean=article(*GOOD, "tags: [rupiah]"),
        config='[validate]\ntag_case = "lower"\n',
        fixable=True,
        message="is not lower-case",
    ),
    Case(
        "LB310",
        article("title: Rupiah", "slug: a", "date: 2024-07-29 9:05:00 +0700"),
        (4, 1),
        clean=article("title: Rupiah", "slug: a", "date: 2024-07-29 09:05:00 +0700"),
        fixable=True,
        message="--fix writes 2024-07-29T09:05:00+07:00",
    ),
    Case(
        "LB311",
        article("title: Rupiah  ", "slug: a", "date: 2024-07-29"),
        (2, 14),
        clean=article(*GOOD, "summary: |", "  trailing blanks in a block scalar are content  "),
        fixable=True,
    ),
    Case(
        "LB312",
        article(*GOOD, body="Lead paragraph: who, what, when, where and why.\n"),
        (7, 1),
        clean=article(*GOOD, "status: draft", body="Lead paragraph: who, what, when.\n"),
    ),
    # ------------------------------------------------------------------ collection
    Case(
        "LB401",
        article("title: Rupiah", "slug: kurs", "date: 2024-07-29"),
        (3, 1),
        clean=article("title: Rupiah", "slug: a", "date: 2024-07-29"),
        others={"2024/06/kurs.md": article("title: Kurs", "date: 2024-06-01")},
        message="is also used by content/2024/06/kurs.md",
    ),
    Case(
        "LB402",
        article("title: Rupiah Menguat ke Level Terkuat", "slug: a", "date: 2024-07-29"),
        (2, 1),
        clean=article("title: Rupiah Melemah Tajam", "slug: a", "date: 2024-07-29"),
        others={"2024/06/b.md": article("title: Rupiah menguat ke level terkuat!")},
    ),
    Case(
        "LB403",
        article(*GOOD, "related: [b, bb-typo]"),
        (5, 14),
        clean=article(*GOOD, "related: [b]"),
        others={"2024/06/b.md": article("title: B", "date: 2024-06-01")},
    ),
    Case(
        "LB404",
        article(*GOOD, body="Teks.\n\nBaca juga : [Rupiah](../06/rupiah-melemh.md)\n"),
        (9, 22),
        clean=article(*GOOD, body="Teks.\n\nBaca juga : [Rupiah](../06/rupiah-melemah.md)\n"),
        others={"2024/06/rupiah-melemah.md": article("title: B", "date: 2024-06-01")},
        message="did you mean '../06/rupiah-melemah.md'?",
    ),
    Case(
        "LB404",
        article(*GOOD, body="See [the other story](/rupiah-melemh).\n"),
        (7, 23),
        clean=article(*GOOD, body="See [it](/rupiah-melemah/) and [section](/2024/).\n"),
        others={"2024/06/rupiah-melemah.md": article("title: B", "date: 2024-06-01")},
        message="did you mean '/rupiah-melemah'?",
    ),
    Case(
        "LB404",
        article(*GOOD, body="Baca juga : [Rupiah](../06/Rupiah-Melemah.md)\n"),
        (7, 22),
        clean=article(*GOOD, body="Baca juga : [Rupiah](../06/rupiah-melemah.md)\n"),
        others={"2024/06/rupiah-melemah.md": article("title: B", "date: 2024-06-01")},
        message="(letter case differs: '../06/rupiah-melemah.md')",
    ),
]


def run_case(project: Project, case: Case, text: str | bytes) -> list[Finding]:
    project.config(BASE_CONFIG + case.config)
    for rel, other in case.others.items():
        project.write(rel, other, dedent=False)
    path = project.write(case.rel, text, dedent=False)
    config = load_config(project.root)
    report = validate_paths(config, [path], ValidateOptions(now=NOW))
    return [finding for finding in report.findings if finding.path == path]


@pytest.mark.parametrize("case", CASES, ids=lambda case: case.code)
def test_rule_fires_at_the_offending_place(project: Project, case: Case) -> None:
    findings = run_case(project, case, case.text)
    matching = [f for f in findings if f.code == case.code]
    assert matching, f"no {case.code} in {findings}"
    finding = matching[0]
    assert (finding.line, finding.col) == case.where, finding
    assert finding.severity is RULES_BY_CODE[case.code].severity
    assert finding.fixable is case.fixable
    assert case.message in finding.message


@pytest.mark.parametrize("case", [c for c in CASES if c.clean is not None], ids=lambda c: c.code)
def test_rule_is_quiet_on_the_corrected_article(project: Project, case: Case) -> None:
    assert case.clean is not None
    findings = run_case(project, case, case.clean)
    assert [f for f in findings if f.code == case.code] == []


def test_every_rule_has_a_case_and_a_description() -> None:
    covered = {case.code for case in CASES} | {"LB112"}  # LB112: see test_validate.py
    assert covered == {rule.code for rule in RULES}
    for rule in RULES:
        assert rule.name and rule.description and rule.remedy, rule.code
        assert rule.description.endswith("."), rule.code


def test_codes_and_names_are_unique_and_stable_in_shape() -> None:
    codes = [rule.code for rule in RULES]
    names = [rule.name for rule in RULES]
    assert len(set(codes)) == len(codes) and len(set(names)) == len(names)
    assert all(code[:2] == "LB" and code[2:].isdigit() and len(code) == 5 for code in codes)
    assert codes == sorted(codes)


def test_toml_findings_point_at_their_key(project: Project) -> None:
    text = textwrap.dedent(
        """\
        +++
        # a comment
        title = "Rupiah"
        date = "kemarin"
        lang = "Indonesian"
        +++
        body
        """
    )
    findings = run_case(project, Case("LB201", text, (0, 0)), text)
    where = {f.code: (f.line, f.col) for f in findings}
    assert where["LB201"] == (4, 1)
    assert where["LB207"] == (5, 1)


def test_a_known_field_in_other_letter_case_is_reported(project: Project) -> None:
    text = article(*GOOD, "Tags: [a]", "publishDate: 2024-07-29")
    findings = [f for f in run_case(project, Case("", "", (0, 0)), text) if f.code == "LB206"]
    assert [(f.line, f.message) for f in findings] == [
        (5, "unknown key 'Tags' (did you mean 'tags'?)")
    ]


def test_hugo_and_jekyll_keys_are_not_unknown(project: Project) -> None:
    text = article(
        *GOOD,
        "draft: false",
        "aliases: [/old/]",
        "weight: 3",
        "layout: post",
        "authors: [a]",
        "keywords: [k]",
        "lastmod: 2024-08-01",
        "expirydate: 2030-01-01",
        "url: /x/",
        "type: post",
        "end_date: 2024-08-01",
        "updated_by: editor",
        "featured_image: x.jpg",
    )
    findings = run_case(project, Case("LB206", text, (0, 0)), text)
    assert [f for f in findings if f.code == "LB206"] == []


@pytest.mark.parametrize(
    ("setting", "silenced"),
    [("allow_unknown = true", True), ('allow_unknown = ["tittle"]', True), ("", False)],
)
def test_allow_unknown_silences_unknown_keys(
    project: Project, setting: str, silenced: bool
) -> None:
    text = article(*GOOD, "tittle: x")
    case = Case("LB206", text, (0, 0), config=f"[schema]\n{setting}\n")
    findings = [f for f in run_case(project, case, text) if f.code == "LB206"]
    assert (findings == []) is silenced


def test_section_pages_and_link_posts_need_no_date_or_body(project: Project) -> None:
    section = run_case(project, Case("", "", (0, 0), rel="news/_index.md"), article("title: News"))
    link_post = run_case(
        project,
        Case("", "", (0, 0), rel="news/link.md"),
        article(*GOOD, "source_url: https://example.org/story", body=""),
    )
    assert section == []
    assert link_post == []


def test_trailing_blanks_that_are_content_are_not_reported(project: Project) -> None:
    text = article(*GOOD, "summary: |", "  literal text   ", "note: >", "  folded   ", "  text")
    assert run_case(project, Case("", "", (0, 0)), text) == []


def test_translations_may_share_a_slug(project: Project) -> None:
    case = Case(
        "LB401",
        "",
        (0, 0),
        rel="id/kurs.md",
        others={"en/kurs.md": article("title: Rate", "lang: en")},
    )
    findings = run_case(project, case, article("title: Kurs", "date: 2024-07-29", "lang: id"))
    assert [f for f in findings if f.code == "LB401"] == []
    same_language = run_case(project, case, article("title: Kurs", "date: 2024-07-29", "lang: en"))
    assert [f.code for f in same_language] == ["LB401"]


def test_instalments_are_not_near_duplicate_titles(project: Project) -> None:
    case = Case(
        "LB402",
        "",
        (0, 0),
        others={"2024/06/b.md": article("title: USWDS Monthly Call - October 2022")},
    )
    findings = run_case(project, case, article("title: USWDS Monthly Call - October 2024"))
    assert [f for f in findings if f.code == "LB402"] == []


def test_severity_of_every_finding_matches_the_registry(project: Project) -> None:
    text = article("tittle: x", "date: kemarin", "tags: [a, a]")
    findings = run_case(project, Case("", "", (0, 0)), text)
    assert findings
    for finding in findings:
        expected = RULES_BY_CODE[finding.code].severity
        assert finding.severity is expected
        assert isinstance(finding.severity, Severity)


def _trailing_of(text: str) -> None:
    assert trailing_whitespace(text, Path("x.md")) == [(3, 11)]


@pytest.mark.parametrize("blanks", [" " * 1_000_000, " \t" * 500_000])
def test_trailing_blanks_are_found_in_linear_time(blanks: str) -> None:
    """A long run of blanks inside a line is no trailing whitespace; the one at its end is."""
    text = f"---\ntitle: a{blanks}b\nsummary: x \n---\nbody\n"
    finishes(_trailing_of, text)
    assert trailing_whitespace("---\ntitle: a  \r\n---\n", Path("x.md")) == [(2, 9)]


def _item_findings(project: Project, text: str, select: str) -> list[tuple[int, int, str]]:
    path = project.write("items.md", text, dedent=False)
    config = load_config(project.root)
    report = validate_paths(config, [path], ValidateOptions(select=(select,), now=NOW))
    return [(f.line, f.col, f.code) for f in report.findings]


def test_list_items_are_found_where_each_one_is_written(project: Project) -> None:
    """Each item after the one before: a duplicate points at the duplicate, " a" at " a"
    (not at the "a" inside an earlier "a b")."""
    text = '{"title": "T", "tags": ["b", "a b", " a", "kopi", " a"], "related": ["a b", "a"]}\nx\n'
    assert _item_findings(project, text, "LB308") == [(1, 53, "LB308")]
    assert _item_findings(project, text, "LB309") == [(1, 39, "LB309"), (1, 53, "LB309")]
    assert _item_findings(project, '{"tags": ["a", " a"]}\n', "LB308") == [(1, 18, "LB308")]
    block = "---\ntitle: T\nrelated:\n  - x y\n  - y\n  - z\n---\nx\n"
    assert _item_findings(project, block, "LB403") == [
        (4, 5, "LB403"),
        (5, 5, "LB403"),
        (6, 5, "LB403"),
    ]


def _validate_list(root: Path, key: str, items: list[str], select: str) -> None:
    path = root / "content" / "items.md"
    path.write_text(f"---\ntitle: T\n{key}: {json.dumps(items)}\n---\nx\n", encoding="utf-8")
    report = validate_paths(load_config(root), [path], ValidateOptions(select=(select,), now=NOW))
    assert len(report.findings) >= len(items) - 1
    assert report.findings[-1].col > 800_000  # the last item, far along its line


@pytest.mark.parametrize(
    ("key", "items", "select"),
    [
        ("related", [f"missing-article-number-{n:06d}" for n in range(90_000)], "LB403"),
        ("tags", ["cabai"] * 90_000, "LB308"),
        ("tags", [f" tag-{n:06d} " for n in range(90_000)], "LB309"),
    ],
)
def test_findings_on_list_items_are_linear_in_the_list(
    project: Project, key: str, items: list[str], select: str
) -> None:
    finishes(_validate_list, project.root, key, items, select)
