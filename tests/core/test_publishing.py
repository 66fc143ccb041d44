"""Publishing plans: date styles, inbound links, changed keys; similarity helpers they use."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta, timezone
from pathlib import Path

import pytest

from lushbeat_cli.core.article import Status, build_article
from lushbeat_cli.core.config import Config
from lushbeat_cli.core.fuzzy import (
    closest_spelling,
    headline_matches,
    headline_similarity,
    typo_groups,
)
from lushbeat_cli.core.reading.frontmatter import parse_text
from lushbeat_cli.core.workflow.publishing import date_value, links_to, plan_publish, plan_unpublish

WIB = timezone(timedelta(hours=7))
WHEN = datetime(2024, 8, 1, 9, 30, tzinfo=WIB)


@pytest.mark.parametrize(
    ("existing", "date_only", "expected"),
    [
        (date(2024, 7, 29), True, date(2024, 8, 1)),
        (date(2024, 7, 29), False, WHEN),
        (datetime(2024, 7, 29, tzinfo=WIB), True, WHEN),
        ("2024-07-29", True, "2024-08-01"),
        ("2024-07-29T10:00:00+07:00", True, "2024-08-01T09:30:00+07:00"),
        (None, True, WHEN),
    ],
)
def test_date_value_keeps_the_style(existing, date_only: bool, expected) -> None:
    assert date_value(existing, WHEN, date_only=date_only) == expected


def make(tmp_path: Path, relative: str, text: str):
    path = tmp_path / relative
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text)
    return build_article(path, parse_text(text, path), UTC)


def test_links_to_finds_relative_markdown_links(tmp_path: Path) -> None:
    target = make(tmp_path, "2024/07/t.md", "---\ntitle: T\n---\n")
    linking = [
        make(tmp_path, "2024/07/same.md", "---\ntitle: A\n---\nLihat [T](t.md).\n"),
        make(tmp_path, "2024/08/up.md", "---\ntitle: B\n---\n[T](../07/t.md#bagian)\n"),
        make(tmp_path, "2025/01/far.md", '---\ntitle: C\n---\n[T](<../../2024/07/t.md> "x")\n'),
    ]
    others = [
        make(tmp_path, "2024/09/web.md", "---\ntitle: D\n---\n[T](https://x.test/07/t.md)\n"),
        make(tmp_path, "2024/09/other.md", "---\ntitle: E\n---\n[T](../07/other.md)\n"),
    ]
    assert links_to(target.path, [target, *linking, *others]) == linking


def test_plans_report_the_keys_they_change(tmp_path: Path) -> None:
    article = make(tmp_path, "a.md", "---\ntitle: A\nstatus: draft\ndate: 2024-01-01\n---\n")
    config = Config(root=tmp_path, content_dir=".")
    plan = plan_publish(article, config, when=WHEN)
    assert plan.changed_keys == ("status", "date")
    assert plan.status is Status.PUBLISHED
    assert not plan.edit.moves
    assert plan.edit.path.read_text() == "---\ntitle: A\nstatus: draft\ndate: 2024-01-01\n---\n"
    later = plan_publish(article, config, when=datetime(2999, 1, 1, tzinfo=UTC))
    assert later.scheduled
    unpublished = plan_unpublish(article, config)
    assert unpublished.changed_keys == ()
    assert not unpublished.edit.changed


def test_headline_matching_forgives_case_and_extra_words() -> None:
    cited = "UNI EROPA TELAH MENGALIHKAN RP31 TRILIUN DARI BUNGA ASET RUSIA UNTUK DUKUNGAN UKRAINA"
    title = "Uni Eropa Alihkan Rp31 Triliun dari Bunga Aset Rusia untuk Ukraina"
    assert headline_similarity(cited, title) >= 80
    assert headline_similarity("Rusia", title) < 80  # one shared word is not a citation
    assert headline_similarity("", title) == 0
    titles = [
        ("eu", title),
        ("bi", "Bank Indonesia Naikkan Suku Bunga Acuan Jadi 6,25 Persen"),
        ("none", ""),
    ]
    assert [key for key, _ in headline_matches(cited, titles)] == ["eu"]
    assert headline_matches("Bank Indonesia pangkas suku bunga", titles) == []


def test_closest_spelling_and_typo_groups() -> None:
    assert closest_spelling("Venezuella", ["rusia", "venezuela"]) == "venezuela"
    assert closest_spelling("a", ["rusia"]) is None
    words = ["venezuela", "venezuella", "rusia", "rusia", "", "pilkada", "pilpres"]
    assert typo_groups(words) == [[0, 1], [2, 3]]
    assert typo_groups(["x"]) == []


def test_an_invalid_text_date_is_replaced_by_a_real_date() -> None:
    assert date_value("soon", WHEN, date_only=True) == WHEN
