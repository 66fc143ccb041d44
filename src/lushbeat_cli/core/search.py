"""Full-text search: the query language, typo correction, and ranked hits from the index.

Used by ``lushbeat search``. User text never reaches FTS5 as syntax: every word is quoted here,
and only the operators below are produced.

Query language: words (all must match), ``"exact phrase"``, ``word*`` (prefix), ``-word`` or
``-"phrase"`` (exclude), ``a OR b`` (either; OR binds tighter than the implicit AND, as in web
search engines: ``pilpres venezuela OR maduro`` = pilpres AND (venezuela OR maduro)).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Iterator
from datetime import datetime
from typing import TYPE_CHECKING, NamedTuple

from lushbeat_cli.core.article import Article
from lushbeat_cli.core.config import Config
from lushbeat_cli.core.query import ArticleQuery
from lushbeat_cli.core.slotted import Slotted
from lushbeat_cli.errors import ParseError, UsageError

if TYPE_CHECKING:
    from lushbeat_cli.core.index import ArticleIndex

FIELDS = ("all", "title", "summary", "tags", "body")
DEFAULT_LIMIT = 20
MIN_PREFIX_LENGTH = 3  # an unknown word this long may be the start of a longer word
MIN_FUZZY_LENGTH = 4  # shorter unknown words are too ambiguous to correct
BATCH = 200  # hits fetched at a time when filters drop some

MARK_OPEN = "\ue000"  # snippet highlight markers (private-use characters, never in articles)
MARK_CLOSE = "\ue001"
ELLIPSIS = "…"
SNIPPET_WORDS = 16  # words in a snippet
# A snippet is cut from the field's first megabyte (about 150,000 words): the work per hit stays
# bounded however long an article is, and no reader looks for the first mention further in.
SNIPPET_SCAN_CHARS = 1_000_000
SNIPPET_MAX_CHARS = 400  # longer (one huge "word", a run of punctuation) is cut with an ellipsis
_SNIPPET_GAP_CHARS = 40  # text between two words beyond this is shortened

_WORD = re.compile(r"[^\W_]+")
# Words as the index's tokenizer sees them, on the original text (accents still attached).
_TOKEN = re.compile(r"[^\W_](?:[^\W_]|[\u0300-\u036f\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff])*")


def fts_fold(text: str) -> str:
    """Text folded the way the index's tokenizer folds it (unicode61, remove_diacritics 2):
    lower case and accents removed, but no case folding beyond that ("ß" stays "ß")."""
    if text.isascii():  # nothing to decompose (the common case for whole bodies)
        return text.lower()
    decomposed = unicodedata.normalize("NFKD", text.lower())
    return "".join(char for char in decomposed if not unicodedata.combining(char))


class Term(NamedTuple):
    """One searched unit: a word, or the words of a phrase, already case- and accent-folded."""

    words: tuple[str, ...]
    phrase: bool = False  # typed in quotes
    prefix: bool = False  # last word is a prefix (word*)
    negate: bool = False  # -word: must not occur
    typed: str = ""  # as the user wrote it, for messages

    def label(self) -> str:
        text = " ".join(self.words)
        text = f'"{text}"' if self.phrase else text
        return text + ("*" if self.prefix else "")


class ParsedQuery(NamedTuple):
    """Groups that must all match; within a group any alternative may (OR); and exclusions."""

    groups: tuple[tuple[Term, ...], ...]
    excluded: tuple[Term, ...] = ()

    def positive_terms(self) -> Iterator[Term]:
        for group in self.groups:
            yield from group


class Correction(NamedTuple):
    typed: str
    used: str  # e.g. 'venezuela' or 'pemil*'

    def message(self) -> str:
        return f'searching for "{self.used}" instead of "{self.typed}"'


class SearchOptions(NamedTuple):
    text: str
    column: str = "all"  # --field: all, title, summary, tags or body
    exact: bool = False  # no typo correction, no automatic prefixes
    limit: int | None = DEFAULT_LIMIT
    filters: ArticleQuery = ArticleQuery()
    details: bool = True  # snippets and matched terms (a list of paths needs neither)


class SearchHit(NamedTuple):
    article: Article
    score: float  # higher is better
    snippet: str  # with MARK_OPEN/MARK_CLOSE around matches
    matched_terms: list[str]


class SearchResult(Slotted):
    __slots__ = ("corrections", "errors", "hits", "notices")

    def __init__(
        self,
        hits: list[SearchHit] | None = None,
        corrections: list[Correction] | None = None,
        errors: list[ParseError] | None = None,  # files that could not be searched
        notices: list[str] | None = None,
    ) -> None:
        self.hits = hits if hits is not None else []
        self.corrections = corrections if corrections is not None else []
        self.errors = errors if errors is not None else []
        self.notices = notices if notices is not None else []


# ---------------------------------------------------------------- the query language


def parse_query(text: str) -> ParsedQuery:
    """Parse what the user typed; UsageError (exit 2) for what cannot be searched."""
    items: list[Term | str] = []  # terms and the "OR" marker
    position = 0
    length = len(text)
    while position < length:
        char = text[position]
        if char.isspace():
            position += 1
            continue
        negate = False
        if char == "-" and position + 1 < length and not text[position + 1].isspace():
            negate = True
            position += 1
            char = text[position]
        if char == '"':
            end = text.find('"', position + 1)
            if end == -1:
                raise UsageError(f"unterminated quote in the query: {text.strip()}")
            raw = text[position + 1 : end]
            position = end + 1
            prefix = False
            while position < length and text[position] == "*":
                prefix = True
                position += 1
            term = _term(raw, typed=f'"{raw}"', phrase=True, prefix=prefix, negate=negate)
        else:
            end = position
            while end < length and not text[end].isspace() and text[end] != '"':
                end += 1
            raw = text[position:end]
            position = end
            if raw == "OR" and not negate:
                items.append("OR")
                continue
            prefix = raw.endswith("*")
            term = _term(raw.rstrip("*"), typed=raw, phrase=False, prefix=prefix, negate=negate)
        if term is not None:
            items.append(term)
    return _group(items, text)


def _term(raw: str, *, typed: str, phrase: bool, prefix: bool, negate: bool) -> Term | None:
    words = tuple(_WORD.findall(fts_fold(raw)))
    if not words:
        return None  # punctuation only: nothing to search for
    return Term(words, phrase or len(words) > 1, prefix, negate, typed)


def _group(items: list[Term | str], text: str) -> ParsedQuery:
    groups: list[list[Term]] = []
    excluded: list[Term] = []
    pending_or = False
    for index, item in enumerate(items):
        if item == "OR":
            previous = items[index - 1] if index else None
            if not isinstance(previous, Term) or previous.negate or pending_or:
                raise UsageError(f"OR needs a search word on each side: {text.strip()}")
            pending_or = True
            continue
        assert isinstance(item, Term)
        if item.negate:
            if pending_or:
                raise UsageError(f"OR cannot join an excluded word (-word): {text.strip()}")
            excluded.append(item)
        elif pending_or:
            groups[-1].append(item)
        else:
            groups.append([item])
        pending_or = False
    if pending_or:
        raise UsageError(f"OR needs a search word on each side: {text.strip()}")
    if not groups:
        if excluded:
            raise UsageError("the query only excludes words; add a word to search for")
        raise UsageError("the query has no words to search for")
    return ParsedQuery(tuple(tuple(group) for group in groups), tuple(excluded))


def fts_expression(query: ParsedQuery, field_name: str = "all") -> str:
    """The FTS5 MATCH expression: every word quoted, only AND/OR/NOT and prefix stars added."""
    if field_name not in FIELDS:
        raise UsageError(f"--field must be one of {', '.join(FIELDS)}, not {field_name!r}")
    column = "" if field_name == "all" else f"{field_name} : "

    def phrase(term: Term) -> str:
        quoted = '"' + " ".join(term.words) + '"'  # words hold letters and digits only
        return column + quoted + (" *" if term.prefix else "")

    def group(terms: tuple[Term, ...]) -> str:
        if len(terms) == 1:
            return phrase(terms[0])
        return "(" + " OR ".join(phrase(term) for term in terms) + ")"

    expression = " AND ".join(group(terms) for terms in query.groups)
    if query.excluded:
        expression = f"({expression}) NOT ({' OR '.join(phrase(term) for term in query.excluded)})"
    return expression


# ---------------------------------------------------------------- typo tolerance


def correct_query(query: ParsedQuery, index: ArticleIndex) -> tuple[ParsedQuery, list[Correction]]:
    """Replace words the index has never seen: by a prefix of known words, else the closest one."""
    corrections: list[Correction] = []
    groups: list[tuple[Term, ...]] = []
    for terms in query.groups:
        fixed: list[Term] = []
        for term in terms:
            if term.phrase or term.prefix or len(term.words) != 1:
                fixed.append(term)
                continue
            word = term.words[0]
            if index.has_term(word) or any(char.isdigit() for char in word):
                fixed.append(term)
                continue
            if len(word) >= MIN_PREFIX_LENGTH and index.terms_with_prefix(word, 1):
                better = term._replace(prefix=True)
            else:
                better = _closest(term, word, index)
            if better is None:
                fixed.append(term)
                continue
            corrections.append(Correction(term.typed, better.label()))
            fixed.append(better)
        groups.append(tuple(fixed))
    return ParsedQuery(tuple(groups), query.excluded), corrections


def _closest(term: Term, word: str, index: ArticleIndex) -> Term | None:
    if len(word) < MIN_FUZZY_LENGTH:
        return None
    from lushbeat_cli.core.fuzzy import LENGTH_SLACK, closest_word

    size = len(word)
    match = closest_word(word, index.vocabulary(size - LENGTH_SLACK, size + LENGTH_SLACK))
    return term._replace(words=(match,)) if match else None


# ---------------------------------------------------------------- running a search


def search_index(
    index: ArticleIndex, options: SearchOptions, now: datetime | None = None
) -> SearchResult:
    """Ranked hits for ``options`` from an index that is already up to date."""
    parsed = parse_query(options.text)
    result = SearchResult()
    if not options.exact:
        parsed, result.corrections = correct_query(parsed, index)
    expression = fts_expression(parsed, options.column)
    from lushbeat_cli.core.index import IndexQueryError

    try:
        result.hits = _collect(index, parsed, expression, options, now)
        room = None if options.limit is None else options.limit - len(result.hits)
        if room is None or room > 0:
            result.hits += _unindexed_hits(index, parsed, expression, options, now)[:room]
    except IndexQueryError as exc:
        raise UsageError(f"cannot search for {options.text.strip()!r}: {exc}") from None
    result.errors = index.load_errors()
    return result


def _unindexed_hits(
    index: ArticleIndex,
    parsed: ParsedQuery,
    expression: str,
    options: SearchOptions,
    now: datetime | None,
) -> list[SearchHit]:
    """Hits among the articles the index cannot hold (a file name that is not UTF-8), searched
    as the index searches, and ranked after the index's hits (their scores are relative to
    each other only)."""
    articles = [article for article in index.unindexed(now) if options.filters.matches(article)]
    if not articles:
        return []
    from lushbeat_cli.core.index import match_articles

    hits = []
    for number, score in match_articles(articles, expression):
        article = articles[number]
        if options.details:
            snippet = make_snippet(article, parsed, options.column)
            terms = matched_terms(article, parsed)
        else:
            snippet, terms = "", []
        hits.append(SearchHit(article, score, snippet, terms))
    return hits


def _collect(
    index: ArticleIndex,
    parsed: ParsedQuery,
    expression: str,
    options: SearchOptions,
    now: datetime | None,
) -> list[SearchHit]:
    limit = options.limit
    if limit == 0:
        return []
    filters = options.filters
    unfiltered = filters.is_unfiltered
    hits: list[SearchHit] = []
    matches = index.match(expression, limit=limit if unfiltered else None)
    while True:
        batch = [match for _, match in zip(range(BATCH), matches, strict=False)]
        if not batch:
            break
        loaded = index.load_rows([match.rowid for match in batch], now)
        for match in batch:
            article = loaded.get(match.rowid)
            if not isinstance(article, Article) or not filters.matches(article):
                continue
            if options.details:
                snippet = make_snippet(article, parsed, options.column)
                terms = matched_terms(article, parsed)
            else:
                snippet, terms = "", []
            hits.append(SearchHit(article, match.score, snippet, terms))
            if limit is not None and len(hits) >= limit:
                return hits
    return hits


# ---------------------------------------------------------------- snippets


def make_snippet(article: Article, query: ParsedQuery, column: str = "all") -> str:
    """A short extract of the body around the matches, MARK_OPEN/MARK_CLOSE around each one.

    The body is preferred even when only the title matched (its opening is the lede); an
    article without a body gets an extract of its best-matching field. The window is chosen as
    FTS5's snippet() chooses it (most different terms, then most matches, a bonus for starting
    a sentence), but in time linear in the field's size: snippet() rescores every window for
    every match, 14 s for one 2 MB article of one repeated word. At most SNIPPET_SCAN_CHARS of
    a field are read.
    """
    terms = list(query.positive_terms())
    fields = [article.body]
    if not _TOKEN.search(article.body[:SNIPPET_SCAN_CHARS]):
        names = ("title", "summary", "tags") if column not in FIELDS[1:4] else (column,)
        values = {"title": article.title, "summary": article.summary or ""}
        values["tags"] = " ".join(article.tags)
        fields = [values[name] for name in names]
    best: tuple[int, _Field, int] | None = None
    for text in fields:
        field = _Field.read(text, terms)
        if field.tokens:
            score, start = field.best_window()
            if best is None or score > best[0]:
                best = (score, field, start)
    return "" if best is None else _extract(best[1], best[2])


class _Field:
    """The words of one field (its first SNIPPET_SCAN_CHARS) and where the terms match."""

    def __init__(self, text: str, starts: list[int], ends: list[int], truncated: bool) -> None:
        self.text = text
        self.starts = starts  # character offsets of each word
        self.ends = ends
        self.truncated = truncated  # the field goes on past the words read
        self.found: list[tuple[int, int, int]] = []  # (first word, words, term number)

    @property
    def tokens(self) -> int:
        return len(self.starts)

    @classmethod
    def read(cls, text: str, terms: list[Term]) -> _Field:
        truncated = len(text) > SNIPPET_SCAN_CHARS
        scanned = text[:SNIPPET_SCAN_CHARS] if truncated else text
        starts: list[int] = []
        ends: list[int] = []
        words: list[str] = []
        folded: dict[str, str] = {}
        for match in _TOKEN.finditer(scanned):
            raw = match.group()
            word = folded.get(raw)
            if word is None:
                word = folded[raw] = fts_fold(raw)
            starts.append(match.start())
            ends.append(match.end())
            words.append(word)
        field = cls(text, starts, ends, truncated)
        field.found = _instances(words, terms)
        return field

    def best_window(self) -> tuple[int, int]:
        """(score, first word) of the best window, scored as FTS5's snippet() scores it: 1000
        for each different term whose match starts in the window, 1 for each further match;
        windows start around each match (centred on the matches they hold) or at the start of
        its sentence (100 more, 120 at the field's start)."""
        found = self.found
        if not found:
            return 0, 0
        size = len(found)
        sentences = self._sentence_starts()
        best_score, best_start = 0, 0
        counts: dict[int, int] = {}
        right = 0
        sentence_window = _Counter(found)
        sentence = 0
        for left in range(size):
            first = found[left][0]
            while right < size and found[right][0] < first + SNIPPET_WORDS:
                counts[found[right][2]] = counts.get(found[right][2], 0) + 1
                right += 1
            score = 999 * len(counts) + (right - left)
            if score > best_score:
                last = found[right - 1][0] + found[right - 1][1]  # the last match's end
                start = first - int((SNIPPET_WORDS - (last - first)) / 2)  # (C's division)
                best_score = score
                best_start = max(0, min(start, self.tokens - SNIPPET_WORDS))
            number = found[left][2]
            counts[number] -= 1
            if not counts[number]:
                del counts[number]
            if self.tokens > SNIPPET_WORDS:
                while sentence + 1 < len(sentences) and sentences[sentence + 1] <= first:
                    sentence += 1
                begin = sentences[sentence]
                if begin < first:
                    score = sentence_window.score(begin) + (120 if begin == 0 else 100)
                    if score > best_score:
                        best_score, best_start = score, begin
        return best_score, best_start

    def _sentence_starts(self) -> list[int]:
        """Words that start a sentence as FTS5 sees it: the first, and each one after a '.'
        or ':' and a space."""
        return [0] + [
            index
            for index in range(1, self.tokens)
            if self.starts[index] > self.ends[index - 1]  # (cheap test first)
            and self._after_stop(index)
        ]

    def _after_stop(self, index: int) -> bool:
        gap = self.text[self.ends[index - 1] : self.starts[index]]
        stripped = gap.rstrip(" \t\n\r")
        return stripped != gap and stripped.endswith((".", ":"))


class _Counter:
    """Matches starting in windows [start, start + SNIPPET_WORDS) for non-decreasing starts."""

    def __init__(self, found: list[tuple[int, int, int]]) -> None:
        self.found = found
        self.left = self.right = 0
        self.counts: dict[int, int] = {}

    def score(self, start: int) -> int:
        found, counts = self.found, self.counts
        while self.right < len(found) and found[self.right][0] < start + SNIPPET_WORDS:
            counts[found[self.right][2]] = counts.get(found[self.right][2], 0) + 1
            self.right += 1
        while self.left < self.right and found[self.left][0] < start:
            number = found[self.left][2]
            counts[number] -= 1
            if not counts[number]:
                del counts[number]
            self.left += 1
        return 999 * len(counts) + (self.right - self.left)


def _instances(words: list[str], terms: list[Term]) -> list[tuple[int, int, int]]:
    """``(first word, word count, term number)`` of every match, in text order (then in term
    order, the order of the phrases in the FTS5 expression)."""
    single: dict[str, list[int]] = {}
    others: list[tuple[int, Term]] = []
    for number, term in enumerate(terms):
        if len(term.words) == 1 and not term.prefix:
            single.setdefault(term.words[0], []).append(number)
        else:
            others.append((number, term))
    found: list[tuple[int, int, int]] = []
    for position, word in enumerate(words):
        at = len(found)
        for number in single.get(word, ()):
            found.append((position, 1, number))
        for number, term in others:
            size = len(term.words)
            if position + size > len(words):
                continue
            if words[position : position + size - 1] == list(term.words[:-1]) and (
                words[position + size - 1].startswith(term.words[-1])
                if term.prefix
                else words[position + size - 1] == term.words[-1]
            ):
                found.append((position, size, number))
        if len(found) - at > 1:  # several terms here: in term order, as FTS5 lists them
            found[at:] = sorted(found[at:], key=lambda item: item[2])
    return found


def _extract(field: _Field, start: int) -> str:
    text, count = field.text, field.tokens
    end = min(start + SNIPPET_WORDS, count)
    opens: set[int] = set()  # words that open a highlight (as FTS5 highlights: one per match,
    closes: set[int] = set()  # overlapping matches merged)
    last = -1
    for first, size, _ in field.found:
        stop = first + size - 1
        if first <= last:  # overlaps the previous match
            if stop > last:
                closes.discard(last)
                closes.add(stop)
                last = stop
            continue
        opens.add(first)
        closes.add(stop)
        last = stop
    starts, ends = field.starts, field.ends
    pieces = [ELLIPSIS if start > 0 else text[: starts[0]]]
    inside = False  # (a match that starts before the window is not highlighted, as in FTS5)
    for position in range(start, end):
        if position > start:
            pieces.append(_short_gap(text[ends[position - 1] : starts[position]]))
        if position in opens and not inside:
            pieces.append(MARK_OPEN)
            inside = True
        pieces.append(text[starts[position] : ends[position]])
        if position in closes and inside:
            pieces.append(MARK_CLOSE)
            inside = False
    if inside:
        pieces.append(MARK_CLOSE)
    if end < count or field.truncated:
        pieces.append(ELLIPSIS)
    else:
        pieces.append(_short_gap(text[ends[-1] :]))
    return _bounded("".join(pieces))


def _short_gap(gap: str) -> str:
    """Text between two words, shortened when long (a run of punctuation or spaces)."""
    if len(gap) <= _SNIPPET_GAP_CHARS:
        return gap
    half = _SNIPPET_GAP_CHARS // 2
    return gap[:half] + ELLIPSIS + gap[-half:]


def _bounded(snippet: str) -> str:
    """At most SNIPPET_MAX_CHARS (not counting markers), never cut inside a highlight."""
    if len(snippet) <= SNIPPET_MAX_CHARS:
        return snippet
    visible = 0
    inside = False
    for position, char in enumerate(snippet):
        if char == MARK_OPEN:
            inside = True
        elif char == MARK_CLOSE:
            inside = False
        else:
            visible += 1
            if visible > SNIPPET_MAX_CHARS:
                return snippet[:position] + (MARK_CLOSE if inside else "") + ELLIPSIS
    return snippet


def matched_terms(article: Article, query: ParsedQuery) -> list[str]:
    """The searched words (and phrases) that occur in the article, in query order.

    For a prefix term, the article's own words that start with it.
    """
    text = " ".join((article.title, article.summary or "", " ".join(article.tags), article.body))
    words = _WORD.findall(fts_fold(text))
    present = set(words)
    found: list[str] = []
    for term in query.positive_terms():
        if term.prefix:
            stem = term.words[-1]
            head = term.words[:-1]
            if head and not _contains_sequence(words, head):
                continue
            found.extend(sorted(word for word in present if word.startswith(stem)))
        elif len(term.words) == 1:
            if term.words[0] in present:
                found.append(term.words[0])
        elif _contains_sequence(words, term.words):
            found.append(" ".join(term.words))
    return list(dict.fromkeys(found))


def _contains_sequence(words: list[str], sequence: tuple[str, ...]) -> bool:
    first, size = sequence[0], len(sequence)
    return any(
        word == first and tuple(words[start : start + size]) == sequence
        for start, word in enumerate(words)
    )


def run_search(
    config: Config,
    options: SearchOptions,
    now: datetime | None = None,
    *,
    use_index: bool = True,
    progress: Callable[[int, int], None] | None = None,
) -> SearchResult:
    """Refresh the project's index (or build a temporary one) and search it."""
    from lushbeat_cli.core.index import open_index
    from lushbeat_cli.core.reading.articles import content_root

    parse_query(options.text)  # a malformed query fails before any indexing work
    content_root(config)
    in_memory = not (use_index and config.index_enabled)
    with open_index(config, in_memory=in_memory) as index:
        index.refresh(progress)
        result = index.recovering(lambda: search_index(index, options, now))
        result.notices[:0] = index.notices
    return result  # type: ignore[no-any-return]
