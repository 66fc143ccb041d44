"""Validate articles: read them, run the selected rules, apply safe fixes, report findings.

``validate_paths(config, paths, options)`` is what ``lushbeat validate`` calls; it never prints.
Collection-wide rules compare each file with the whole content directory (via ``load_corpus``),
however few files are named.
"""

from __future__ import annotations

import os
from collections import Counter
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

from lushbeat_cli.core.article import Article, build_article
from lushbeat_cli.core.config import Config
from lushbeat_cli.core.findings import Finding, Severity
from lushbeat_cli.core.links import normal_path
from lushbeat_cli.core.reading.articles import (
    find_article_paths,
    is_article_path,
    read_article_bytes,
)
from lushbeat_cli.core.reading.corpus import load_corpus
from lushbeat_cli.core.reading.frontmatter import BOM, parse_bytes
from lushbeat_cli.core.rules import (
    Collection,
    FileContext,
    Rule,
    RuleSelection,
    RunContext,
    ValidateSettings,
    parse_error_finding,
    select_rules,
)
from lushbeat_cli.core.schema import load_schema
from lushbeat_cli.errors import ConfigError, EditError, LushbeatError, ParseError

if TYPE_CHECKING:
    from lushbeat_cli.core.edit import FileEdit

CODE_INTERNAL = "LB100"  # a bug in lushbeat, reported as a finding of the file it met


@dataclass(frozen=True)
class ValidateOptions:
    """What to check and whether to repair: the flags of ``lushbeat validate``."""

    select: tuple[str, ...] | None = None  # replaces [validate] select
    ignore: tuple[str, ...] = ()  # added to [validate] ignore
    fix: bool = False  # write safe fixes
    diff: bool = False  # compute the fixes, write nothing
    use_index: bool = True
    now: datetime | None = None
    progress: Callable[[str, int, int], None] | None = None  # (phase, done, total)
    # Text to check instead of a file's bytes on disk (an editor's unsaved buffer, read from
    # stdin by `validate --stdin-filename PATH -`): findings name the path.
    contents: Mapping[Path, bytes] = field(default_factory=dict)


@dataclass
class ValidationReport:
    """Everything one run found; ``findings`` are sorted by file, then line and column."""

    files: list[Path]
    findings: list[Finding] = field(default_factory=list)
    # Named files (or files of named folders) that are no articles of the collection: outside
    # the content dir, or left out by include/exclude (a README.md pre-commit passes along).
    skipped: list[Path] = field(default_factory=list)
    fixes: list[FileEdit] = field(default_factory=list)  # files fixed (or, with diff, fixable)
    fixed: int = 0  # findings repaired (or, with diff, repairable)
    fix_errors: list[LushbeatError] = field(default_factory=list)

    @property
    def errors(self) -> int:
        return sum(1 for f in self.findings if f.severity is Severity.ERROR)

    @property
    def warnings(self) -> int:
        return sum(1 for f in self.findings if f.severity is Severity.WARNING)

    @property
    def fixable(self) -> int:
        return sum(1 for f in self.findings if f.fixable)

    @property
    def files_with_findings(self) -> int:
        return len({f.path for f in self.findings})

    def failed(self, *, strict: bool = False) -> bool:
        """Error findings fail a run; with ``strict``, warnings do too."""
        return bool(self.errors or (strict and self.warnings))


@dataclass
class _Checked:
    path: Path
    article: Article | None = None
    head: str = ""
    error: ParseError | None = None
    in_collection: bool = False
    findings: list[Finding] = field(default_factory=list)


def validate_paths(
    config: Config, paths: Sequence[Path], options: ValidateOptions | None = None
) -> ValidationReport:
    """Check ``paths`` (files or folders; none = the whole content dir) with the selected rules.

    Raises ConfigError / UsageError for bad settings or selectors, before reading any file.
    """
    options = options or ValidateOptions()
    selection = select_rules(config, options.select, options.ignore)
    run = RunContext(
        config=config,
        schema=load_schema(config),
        settings=ValidateSettings.from_config(config),
        now=options.now or datetime.now().astimezone(),
    )
    unreadable: list[ParseError] = []
    skipped: list[Path] = []
    files, whole = _expand(config, paths, unreadable, skipped)
    root_prefix = normal_path(config.content_path) + os.sep
    checked = [_Checked(error.path or Path("."), error=error) for error in unreadable]
    progress = options.progress or _no_progress
    contents = {_file_key(path): data for path, data in options.contents.items()}
    for number, path in enumerate(files, start=1):
        checked.append(_read(path, config, run.now, root_prefix, contents.get(path)))
        if number % 50 == 0 or number == len(files):
            progress("reading", number, len(files))
    rules = selection.rules()
    if any(rule.needs_collection for rule in rules) and any(c.in_collection for c in checked):
        run.collection = _collection(config, checked, whole, options, run)
    report = ValidationReport(files=files, skipped=skipped)
    for number, item in enumerate(checked, start=1):
        item.findings = _check(item, rules, selection, run)
        if number % 50 == 0 or number == len(checked):
            progress("checking", number, len(checked))
    if options.fix or options.diff:
        for item in checked:
            if any(finding.fixable for finding in item.findings):
                _fix(item, rules, selection, run, options, report)
    for item in checked:
        report.findings.extend(item.findings)
    return report


def _no_progress(phase: str, done: int, total: int) -> None:
    return None


def _expand(
    config: Config, paths: Sequence[Path], unreadable: list[ParseError], skipped: list[Path]
) -> tuple[list[Path], bool]:
    """The files to check, in order, and whether they cover the whole content dir; folders
    that cannot be read are added to ``unreadable``, files that are no articles of the
    collection (``config.in_collection``) to ``skipped``."""
    root = config.content_path
    if not paths:
        if not root.is_dir():
            raise ConfigError(
                f"content directory not found: {root} (set content_dir in the config)",
                path=config.source,
            )
        return find_article_paths(root, unreadable, config.path_rules), True
    files: dict[Path, None] = {}
    whole = False
    for given in paths:
        path = Path(os.path.abspath(given))
        if path.is_dir():
            resolved = path.resolve()
            whole = whole or resolved == root or resolved in root.parents
            for found in find_article_paths(resolved, unreadable):
                if config.in_collection(found):
                    files[found] = None
                else:
                    skipped.append(found)
        elif config.in_collection(_file_key(path)):
            files[_file_key(path)] = None
        else:
            skipped.append(path)
    return list(files), whole


def _file_key(given: Path) -> Path:
    path = Path(os.path.abspath(given))
    return path.resolve() if path.exists() else path


def _read(
    path: Path, config: Config, now: datetime, root_prefix: str, data: bytes | None = None
) -> _Checked:
    item = _Checked(path)
    try:
        item.in_collection = is_article_path(path) and normal_path(path).startswith(root_prefix)
        # (every file checked is in the collection: validate_paths skips the others)
        if data is None:
            data = read_article_bytes(path, config)
        item.article, item.head = _parse(path, data, config, now)
    except ParseError as exc:
        item.error = exc
    except Exception as exc:  # a bug must cost one file, not the whole run
        item.error = ParseError(
            f"internal error while reading: {exc.__class__.__name__}: {exc} (please report it)",
            code=CODE_INTERNAL,
            path=path,
            line=1,
            col=1,
        )
    return item


def _parse(path: Path, data: bytes, config: Config, now: datetime) -> tuple[Article, str]:
    """The article and the text of its front matter (what comes before the body)."""
    front = parse_bytes(data, path)
    article = build_article(path, front, config.tz, now, config.fields)
    start = len(BOM) if front.has_bom else 0
    end = start - 1
    for _ in range(front.body_line - 1):  # the head ends where the body's line starts
        end = data.find(b"\n", end + 1)
        if end == -1:
            end = len(data)
            break
    return article, data[start : max(start, end)].decode("utf-8")


def _collection(
    config: Config,
    checked: Sequence[_Checked],
    whole: bool,
    options: ValidateOptions,
    run: RunContext,
) -> Collection:
    fresh = [item.article for item in checked if item.article is not None and item.in_collection]
    articles: list[Article] = list(fresh)
    if not whole:
        progress = options.progress
        if progress is None:
            corpus = load_corpus(config, run.now, use_index=options.use_index)
        else:
            corpus = load_corpus(
                config,
                run.now,
                use_index=options.use_index,
                progress=lambda done, total: progress("indexing", done, total),
            )
        replaced = {normal_path(article.path) for article in fresh}
        articles.extend(a for a in corpus.articles if normal_path(a.path) not in replaced)
    return Collection(config.content_path, articles, fresh, run.settings.similar_title_threshold)


def _check(
    item: _Checked, rules: Iterable[Rule], selection: RuleSelection, run: RunContext
) -> list[Finding]:
    found: list[Finding] = []
    if item.error is not None:
        found.append(parse_error_finding(item.error))
    elif item.article is not None:
        ctx = FileContext(item.article, item.head, run, item.in_collection)
        for rule in rules:
            if rule.needs_collection and (run.collection is None or not item.in_collection):
                continue
            try:
                found.extend(rule.check(ctx))
            except Exception as exc:  # a bug in one rule must not hide the other findings
                message = f"internal error in {rule.code}: {exc.__class__.__name__}: {exc}"
                found.append(
                    Finding(item.path, 1, 1, CODE_INTERNAL, message + " (please report it)")
                )
    kept = [applied for f in found if (applied := selection.apply(f)) is not None]
    kept.sort(key=lambda f: (f.line, f.col, f.code))
    return kept


def _fix(
    item: _Checked,
    rules: Sequence[Rule],
    selection: RuleSelection,
    run: RunContext,
    options: ValidateOptions,
    report: ValidationReport,
) -> None:
    """Repair one file (or, with ``diff``, only compute the repair); then check it again."""
    path = item.path
    try:
        data = read_article_bytes(path, run.config)
        bom = data.startswith(BOM)
        before = data[len(BOM) :].decode("utf-8") if bom else data.decode("utf-8")
    except (ParseError, UnicodeDecodeError):
        return  # changed since it was checked; its findings stand
    fixers = [rule for rule in rules if rule.fixable and selection.enabled(rule.code)]
    text, errors = _apply_fixes(path, before, fixers, run, item.in_collection)
    report.fix_errors.extend(errors)
    if text == before:
        return
    from lushbeat_cli.core.edit import FileEdit, commit_edit  # only when there is a fix

    edit = FileEdit(path, data.decode("utf-8"), (BOM.decode("utf-8") if bom else "") + text)
    if not options.diff:
        try:
            commit_edit(edit)  # refuses if another program changed the file meanwhile
        except LushbeatError as exc:
            report.fix_errors.append(exc)
            return
    report.fixes.append(edit)
    new_data = edit.new.encode("utf-8")
    try:
        item.article, item.head = _parse(path, new_data, run.config, run.now)
        item.error = None
    except ParseError as exc:
        item.article, item.error = None, exc
    before = Counter(finding.code for finding in item.findings)
    item.findings = _check(item, rules, selection, run)
    # Problems fixed: findings gone, rule by rule. A fix may bring up a finding of another
    # rule (a slug added from the title no longer matches the file name): that one is shown,
    # and does not cancel the fix out of the count.
    report.fixed += (before - Counter(finding.code for finding in item.findings)).total()


_FIX_ROUNDS = 4  # one fix can unblock another (trimmed blanks make a line editable)


def _apply_fixes(
    path: Path, text: str, fixers: Sequence[Rule], run: RunContext, in_collection: bool
) -> tuple[str, list[LushbeatError]]:
    """The text with every fixable finding repaired, round after round until nothing changes;
    and the repairs the editor refused in the last round."""
    errors: list[LushbeatError] = []
    for _ in range(_FIX_ROUNDS):
        try:
            article, head = _parse(path, text.encode("utf-8"), run.config, run.now)
        except ParseError:
            break
        ctx = FileContext(article, head, run, in_collection)
        errors = []
        new = text
        for rule in fixers:
            if not any(finding.fixable for finding in rule.check(ctx)):
                continue
            try:
                new = rule.fix(new, ctx)
            except EditError as exc:
                errors.append(
                    EditError(f"cannot fix {rule.code}: {exc.message}", path=path, line=exc.line)
                )
        if new == text:
            break
        text = new
    return text, errors
