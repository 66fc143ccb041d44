"""Plain-text stories (a newsroom's archive) turned into Markdown articles.

A story is: the title on the first line; blank-line paragraphs, the first opening with a
"Site – " dateline; short stand-alone lines as headings; "Baca juga : TITLE" lines; an optional
"Similar Posts" footer. ``parse_story`` reads one; ``plan_import`` links its "Baca juga" lines
to existing articles and plans the new article with ``core.create``. Used by ``lushbeat import``.
"""

from __future__ import annotations

import contextlib
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from datetime import date, datetime, time
from pathlib import Path

from lushbeat_cli.core.article import (
    Article,
    Status,
    build_article,
    current_time,
    parse_date,
    slugify,
)
from lushbeat_cli.core.config import Config
from lushbeat_cli.core.files.inputs import (
    InputError,
    read_input,
    wide_text_encoding,
    wide_text_message,
)
from lushbeat_cli.core.links import markdown_link
from lushbeat_cli.core.reading.frontmatter import parse_text
from lushbeat_cli.core.workflow.create import (
    NewArticleOptions,
    NewArticlePlan,
    article_path,
    plan_new_article,
)
from lushbeat_cli.errors import LushbeatError, UsageError

DEFAULT_SITE = "Lush Beat"
STORY_SUFFIXES = (".txt",)  # what a folder given to `import` is searched for
HEADING_MAX_CHARS = 120
HEADING_MAX_WORDS = 15
TITLE_MAX_CHARS = 250
AMBIGUITY_MARGIN = 3.0

_LINK_LINE = re.compile(
    r"^(?P<label>(?:baca|simak|lihat)\s+juga|read\s+also|see\s+also)\s*:\s*(?P<title>\S.*?)\s*$",
    re.IGNORECASE,
)
_MARKDOWN_LINK = re.compile(r"^\[[^\]]+\]\([^)]+\)$")
_FOOTERS = {"similar posts", "related posts", "artikel terkait", "berita terkait"}
_DASH = "[–—-]"  # en dash, em dash or hyphen
_FINAL_PUNCTUATION = tuple(".!?:;,…")
_CLOSERS = "\"'”’»)]"
_MONTHS = {
    # Indonesian
    "januari": 1, "februari": 2, "pebruari": 2, "maret": 3, "april": 4, "mei": 5, "juni": 6,
    "juli": 7, "agustus": 8, "september": 9, "oktober": 10, "november": 11, "nopember": 11,
    "desember": 12, "agu": 8, "agt": 8, "ags": 8, "okt": 10, "des": 12,
    # English
    "january": 1, "february": 2, "march": 3, "may": 5, "june": 6, "july": 7, "august": 8,
    "october": 10, "december": 12, "aug": 8, "oct": 10, "dec": 12,
    # Shared abbreviations
    "jan": 1, "feb": 2, "mar": 3, "apr": 4, "jun": 6, "jul": 7, "sep": 9, "sept": 9, "nov": 11,
}  # fmt: skip
_DAY_MONTH_YEAR = re.compile(r"\b(\d{1,2})\s+([A-Za-z]+)\.?\s+(\d{4})\b")
_MONTH_DAY_YEAR = re.compile(r"\b([A-Za-z]+)\.?\s+(\d{1,2}),?\s+(\d{4})\b")
_ISO_DATE = re.compile(r"\b(\d{4})-(\d{2})-(\d{2})\b")


@dataclass(frozen=True)
class Block:
    """A paragraph of the story: ``kind`` is lead, paragraph, heading or link."""

    line: int  # 1-based line of the source file where it starts
    text: str
    kind: str = "paragraph"
    label: str = ""  # link: "Baca juga" as written
    cited: str = ""  # link: the headline it cites


@dataclass
class Story:
    source: Path
    title: str
    blocks: list[Block]
    date: date | None = None  # found in the dateline paragraph
    footer_line: int | None = None  # where a dropped "Similar Posts" footer started


@dataclass(frozen=True)
class ImportNote:
    """A warning about one story (a line of it), for the user."""

    path: Path
    line: int | None
    message: str


@dataclass(frozen=True)
class ImportOptions:
    """What ``lushbeat import`` was asked for; empty values fall back to the story or config."""

    site: str = DEFAULT_SITE
    category: str | None = None
    tags: tuple[str, ...] = ()
    authors: tuple[str, ...] = ()
    lang: str | None = None
    date: str | None = None
    status: Status = Status.DRAFT
    template: str | None = None


@dataclass
class ImportPlan:
    source: Path
    story: Story
    plan: NewArticlePlan
    notes: list[ImportNote] = field(default_factory=list)
    links: list[tuple[Block, Article]] = field(default_factory=list)

    def as_article(self, config: Config) -> Article:
        """The planned article as later stories in the same run see it (for links, slugs)."""
        front = parse_text(self.plan.text, self.plan.path)
        return build_article(self.plan.path, front, config.tz, fields=config.fields)


# ---------------------------------------------------------------- reading


def read_story(path: Path, max_size: int) -> str:
    """A story's text; one clear error for a missing, huge, binary, non-UTF-8 or empty file, and
    for anything that is not a regular file (a FIFO or device is never read)."""
    try:
        data = read_input(path, max_size)
    except InputError as exc:
        message = exc.message.replace("; not read", "; not imported")
        raise LushbeatError(message, path=path) from None
    return decode_story(data, path)


def decode_story(data: bytes, path: Path) -> str:
    """The text of a story's bytes (UTF-8, a BOM allowed); LushbeatError naming the line."""
    wide = wide_text_encoding(data)
    if wide is not None:
        raise LushbeatError(wide_text_message(wide), path=path)
    nul = data.find(b"\x00")
    if nul != -1:
        line = data.count(b"\n", 0, nul) + 1
        raise LushbeatError("binary content (NUL byte); not a text story", path=path, line=line)
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        raise LushbeatError(
            f"not UTF-8 (byte 0x{data[exc.start]:02x}); convert it first, "
            "e.g. iconv -f WINDOWS-1252 -t UTF-8",
            path=path,
            line=line,
        ) from None
    if not text.strip():
        raise LushbeatError("empty file; nothing to import", path=path)
    return text


def parse_story(text: str, source: Path, *, site: str = DEFAULT_SITE) -> Story:
    """Split a story into title and typed blocks; raise LushbeatError if it has no body."""
    lines = text.splitlines()
    groups: list[tuple[int, list[str]]] = []
    current: list[str] = []
    start = 0
    for number, raw in enumerate(lines, start=1):
        line = raw.replace("\u00a0", " ").strip()
        if line:
            if not current:
                start = number
            current.append(line)
        elif current:
            groups.append((start, current))
            current = []
    if current:
        groups.append((start, current))
    first_line, head = groups[0]
    title = " ".join(head[0].split())
    if len(title) > TITLE_MAX_CHARS:
        raise LushbeatError(
            f"the first line is {len(title)} characters long; a story starts with its title "
            "on a line of its own",
            path=source,
            line=first_line,
        )
    if len(head) > 1:  # text right under the title, without a blank line
        groups[0] = (first_line + 1, head[1:])
    else:
        groups.pop(0)
    if not groups:
        raise LushbeatError("no text after the title; nothing to import", path=source)

    story = Story(source=source, title=title, blocks=[])
    for index, (line, group) in enumerate(groups):
        if _is_footer(group[0]):  # the marker, maybe with its titles under it
            story.footer_line = line
            break
        story.blocks.append(_block(line, group, index, site))
    story.blocks = _mark_headings(story.blocks)
    lead = story.blocks[0] if story.blocks else None
    story.date = find_date(lead.text) if lead else None
    if not story.blocks:
        raise LushbeatError("no text after the title; nothing to import", path=source)
    return story


def _block(line: int, group: list[str], index: int, site: str) -> Block:
    if len(group) == 1 and (match := _LINK_LINE.match(group[0])):
        cited = match.group("title")
        if not _MARKDOWN_LINK.match(cited):
            return Block(line, group[0], "link", " ".join(match.group("label").split()), cited)
    text = "\n".join(_escape_line(item) for item in group)
    if index == 0:
        dateline = re.match(
            rf"^(?P<site>{re.escape(site)})(?P<place>\s*,\s*[^\n–—-]{{1,60}}?)?\s*{_DASH}\s*",
            text,
            re.IGNORECASE,
        )
        if site and dateline:
            place = (dateline.group("place") or "").strip()
            place = f", {place.lstrip(',').strip()}" if place else ""
            text = f"**{dateline.group('site')}**{place} – {text[dateline.end() :]}"
        return Block(line, text, "lead")
    return Block(line, text, "paragraph")


def _mark_headings(blocks: list[Block]) -> list[Block]:
    """A short single line without final punctuation, standing between paragraphs."""
    marked: list[Block] = []
    for index, block in enumerate(blocks):
        between = 0 < index < len(blocks) - 1
        if between and block.kind == "paragraph" and _looks_like_heading(block.text):
            block = Block(block.line, block.text, "heading")
        marked.append(block)
    return marked


def _looks_like_heading(text: str) -> bool:
    if "\n" in text or len(text) > HEADING_MAX_CHARS or len(text.split()) > HEADING_MAX_WORDS:
        return False
    if "](" in text or _LINK_LINE.match(text):
        return False
    if not (text[0].isupper() or text[0].isdigit() or text[0] in "“\"'‘"):
        return False
    return not text.rstrip(_CLOSERS).endswith(_FINAL_PUNCTUATION)


def _is_footer(line: str) -> bool:
    return line.rstrip(" :").casefold() in _FOOTERS


def _escape_line(line: str) -> str:
    """Keep plain text plain: a leading # > or "1." and rules would turn into Markdown."""
    if line.startswith(("#", ">")):
        return "\\" + line
    if re.fullmatch(r"[-=*_\s]{3,}", line):
        return "\\" + line
    if match := re.match(r"^(\d{1,9})([.)])(\s)", line):
        return f"{match.group(1)}\\{match.group(2)}{line[match.end(2) :]}"
    return line


def find_date(text: str) -> date | None:
    """The first date written in ``text``: "29 Juli 2024", "July 29, 2024", "2024-07-29"."""
    found: list[tuple[int, date]] = []
    for match in _DAY_MONTH_YEAR.finditer(text):
        _add_date(found, match.start(), match.group(3), match.group(2), match.group(1))
    for match in _MONTH_DAY_YEAR.finditer(text):
        _add_date(found, match.start(), match.group(3), match.group(1), match.group(2))
    for match in _ISO_DATE.finditer(text):
        _add_date(found, match.start(), match.group(1), match.group(2), match.group(3))
    return min(found, key=lambda item: item[0])[1] if found else None


def _add_date(found: list[tuple[int, date]], at: int, year: str, month: str, day: str) -> None:
    number = int(month) if month.isdigit() else _MONTHS.get(month.casefold())
    if number is None:
        return
    with contextlib.suppress(ValueError):  # "31 Februari" is not a date
        found.append((at, date(int(year), number, int(day))))


# ---------------------------------------------------------------- planning


def check_import_options(config: Config, options: ImportOptions) -> None:
    """Refuse bad options once, before any story is read (exit 2)."""
    category = (options.category or "").strip()
    if category and config.categories and category not in config.categories:
        allowed = ", ".join(config.categories)
        raise UsageError(f"category {category!r} is not allowed (allowed: {allowed})")
    if options.date:
        import_date(options.date, config)
    if options.status is Status.SCHEDULED:
        raise UsageError("--status must be draft or published (a future --date schedules it)")


def import_date(text: str, config: Config) -> datetime:
    try:
        return parse_date(text, config.tz)
    except ValueError:
        raise UsageError(f"--date expects a date like 2024-07-29, got {text!r}") from None


def plan_import(
    config: Config,
    source: Path,
    options: ImportOptions,
    existing: Sequence[Article],
    now: datetime | None = None,
) -> ImportPlan:
    """Read, parse and plan one story; raise LushbeatError when it cannot be imported."""
    story = parse_story(read_story(source, config.max_file_size), source, site=options.site)
    notes: list[ImportNote] = []
    if options.date:
        when = import_date(options.date, config)
    elif story.date is not None:
        when = datetime.combine(story.date, time(), tzinfo=config.tz)
    else:
        when = (now or current_time()).astimezone(config.tz).replace(microsecond=0)
        notes.append(ImportNote(source, story.blocks[0].line, "no date in the dateline; dated now"))
    lang = options.lang or config.default_lang
    category = (options.category or "").strip()
    wanted = NewArticleOptions(
        title=story.title,
        category=category or None,
        tags=options.tags,
        authors=options.authors,
        date=when,
        lang=lang,
        status=options.status,
        template=options.template,
    )
    folder = article_path(config, slugify(story.title), when, category=category, lang=lang).parent
    body, links, link_notes = render_body(story, existing, folder)
    plan = plan_new_article(config, replace(wanted, body=body), existing, now)
    if plan.path.parent != folder:  # links are relative to where the article really goes
        body, links, link_notes = render_body(story, existing, plan.path.parent)
        plan = plan_new_article(config, replace(wanted, body=body), existing, now)
    return ImportPlan(source, story, plan, notes + link_notes, links)


def render_body(
    story: Story, existing: Sequence[Article], folder: Path
) -> tuple[str, list[tuple[Block, Article]], list[ImportNote]]:
    """The Markdown body; "Baca juga" lines link to the article their headline names."""
    parts: list[str] = []
    links: list[tuple[Block, Article]] = []
    notes: list[ImportNote] = []
    for block in story.blocks:
        if block.kind == "heading":
            parts.append(f"## {block.text}")
        elif block.kind == "link":
            target, problem = match_headline(block.cited, existing)
            if target is None:
                notes.append(ImportNote(story.source, block.line, problem))
                parts.append(f"{block.label} : {block.cited}")
            else:
                links.append((block, target))
                link = markdown_link(target.title, target.path, folder)
                parts.append(f"{block.label} : {link}")
        else:
            parts.append(block.text)
    return "\n\n".join(parts) + "\n", links, notes


def match_headline(cited: str, articles: Iterable[Article]) -> tuple[Article | None, str]:
    """The one article whose title ``cited`` names, or None and why not."""
    from lushbeat_cli.core.fuzzy import headline_matches

    keyed = {str(index): article for index, article in enumerate(articles)}
    matches = headline_matches(cited, ((key, a.title) for key, a in keyed.items()))
    if not matches:
        return None, f'no article matches "{cited}"; left as text'
    best_key, best = matches[0]
    rivals = [keyed[key] for key, score in matches[1:] if best - score <= AMBIGUITY_MARGIN]
    rivals = [a for a in rivals if a.path != keyed[best_key].path]
    if rivals:
        return None, f'"{cited}" matches {len(rivals) + 1} articles equally well; left as text'
    return keyed[best_key], ""
