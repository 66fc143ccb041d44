"""validate on the real corpora in ../shared/corpora: it finds the oddities their SOURCE.md
documents, and nothing it should not. Skipped when the corpora are absent."""

from __future__ import annotations

from pathlib import Path

import pytest

from lushbeat_cli.core.config import build_config
from lushbeat_cli.core.validate import ValidateOptions, ValidationReport, validate_paths
from tests.conftest import REPO, SHARED

# ../shared next to the checkout; in a worktree under wt/, next to that folder.
CORPORA = next(
    (
        path
        for path in (SHARED / "corpora", REPO.parent.parent / "shared" / "corpora")
        if path.is_dir()
    ),
    SHARED / "corpora",
)
pytestmark = pytest.mark.slow


def validate_corpus(name: str, *select: str) -> tuple[Path, ValidationReport]:
    root = CORPORA / name / "content"
    if not root.is_dir():
        pytest.skip(f"corpus not available: {root}")
    config = build_config({"content_dir": "."}, root, None)
    options = ValidateOptions(select=select or None, use_index=False)
    return root, validate_paths(config, [], options)


def files_with(report: ValidationReport, code: str) -> set[Path]:
    return {finding.path for finding in report.findings if finding.code == code}


def test_digitalgov_oddities_from_its_source_notes() -> None:
    root, report = validate_corpus("digitalgov", "LB1", "LB206", "LB308", "LB310")
    sections = list(root.rglob("_index.md"))  # Hugo's section pages: not articles
    assert (len(report.files), len(sections)) == (2781 - 18, 18)
    assert not set(sections) & set(report.files)
    assert len(files_with(report, "LB114")) == 6  # "6 files have blank lines before ---"
    assert len(files_with(report, "LB105")) == 15  # "15 repeat a YAML key"
    assert len(files_with(report, "LB308")) == 66  # "66 list the same topic twice"
    assert not files_with(report, "LB104")  # Hugo reads every file; so must we
    # One-digit hours (`2017-12-12 8:00:00 -0500`) are dates, written loosely: a warning
    # with a fix, not "not a date".
    assert len(files_with(report, "LB310")) == 380
    typos = {f.message for f in report.findings if f.code == "LB206"}
    assert typos == {"unknown key 'tag' (did you mean 'tags'?)"}


def test_18f_posts_without_date_get_it_from_their_file_name() -> None:
    _root, report = validate_corpus("18f", "LB1", "LB2")
    assert len(report.files) == 509
    missing = [f for f in report.findings if f.code == "LB202"]
    assert len(missing) == 87
    assert all(f.fixable and "--fix sets it to 20" in f.message for f in missing)
    assert [f for f in report.findings if f.code != "LB202"] == []
