"""The similar-posts engine: explainable "Similar Posts" / "Baca juga" suggestions.

Each article becomes a short TF-IDF vector of its most distinctive terms; an inverted index
(term -> articles, tag -> articles) finds candidates without comparing all pairs; candidates are
scored as a weighted sum of parts (text, tags, title, category, recency) that ``--explain`` shows.
Pure core: imported by the ``similar`` command and usable as a library.
"""

from __future__ import annotations

import contextlib
import fnmatch
import heapq
import itertools
import math
import operator
import re
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from dataclasses import replace as _replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from lushbeat_cli.core.article import Article, Status
from lushbeat_cli.core.config import Config
from lushbeat_cli.core.files.inputs import DEFAULT_MAX_FILE_SIZE
from lushbeat_cli.core.similar.text import (
    Analyzer,
    fold_text,
    load_stop_words,
    strip_markup,
    title_head,
)
from lushbeat_cli.errors import ConfigError

if TYPE_CHECKING:
    from lushbeat_cli.core.edit import FileEdit

# The parts of a score, in the order they are shown.
PARTS = ("text", "tags", "title", "category", "recency")

# Engine constants (not settings: they trade speed for nothing a user would notice).
MAX_TERMS = 300  # terms kept per article: its vector, for the exact text score
INDEX_TERMS = 60  # its heaviest terms are in the inverted index (term -> articles) ...
CANDIDATE_TERMS = 30  # ... where its 30 most distinctive ones look for candidates
TITLE_BOOST = 3  # a title word counts as this many body words
SUMMARY_BOOST = 2
MAX_BODY_CHARS = 40_000  # a very long page is judged by its beginning
POSTINGS_CAP = 100  # per term, only the articles where it weighs most are candidates
TAG_POSTINGS_CAP = 300  # a tag on more articles than this finds no candidates (still scores)
CANDIDATE_BUDGET = 2500  # postings visited per article, shared out by term weight
MIN_VISIT = 10
PRESELECT = 40  # candidates (best by a first estimate) that get an exact score
SHORTLIST = 10  # the best of those, scored in full (title match too)
SHARED_TERMS_SHOWN = 6
DAY = 86_400.0
_LOG = [0.0, *(math.log(n) for n in range(1, 64))]

Progress = Callable[[str, int, int], None]  # (phase, done, total)


@dataclass(frozen=True, slots=True)
class Weights:
    text: float = 0.55
    tags: float = 0.25
    title: float = 0.1
    category: float = 0.05
    recency: float = 0.05

    def of(self, part: str) -> float:
        return float(getattr(self, part))


@dataclass(frozen=True, slots=True)
class SimilarSettings:
    """What the engine suggests and how it weighs it; built from ``[similar]`` in the config."""

    limit: int = 5
    threshold: float = 0.15
    include_newer: bool = False
    same_lang: bool = True
    max_age_days: int = 0
    recent_days: int = 365
    weights: Weights = field(default_factory=Weights)
    exclude_tags: tuple[str, ...] = ()
    exclude_categories: tuple[str, ...] = ()
    exclude_paths: tuple[str, ...] = ()
    heading: str = "Similar Posts"
    stop_words: frozenset[str] = frozenset()
    default_lang: str = ""

    @classmethod
    def from_config(cls, config: Config) -> SimilarSettings:
        """Read and check ``[similar]``; a bad value is a ConfigError naming the key."""
        table = config.section("similar")

        def bad(key: str, message: str) -> ConfigError:
            return ConfigError(f"similar.{key} {message}", path=config.source)

        for key in ("limit", "max_age_days"):
            if table[key] < 0:
                raise bad(key, "must be 0 or more")
        if table["recent_days"] < 1:
            raise bad("recent_days", "must be 1 or more")
        if not 0.0 <= float(table["threshold"]) <= 1.0:
            raise bad("threshold", "must be between 0 and 1")
        values = {}
        for part in PARTS:
            value = float(table[f"{part}_weight"])
            if value < 0 or not math.isfinite(value):
                raise bad(f"{part}_weight", "must be a number of 0 or more")
            values[part] = value
        if not any(values.values()):
            raise bad("text_weight", "and the other weights cannot all be 0")
        lists: dict[str, tuple[str, ...]] = {}
        for key in (
            "exclude_tags",
            "exclude_categories",
            "exclude_paths",
            "stop_words",
            "extra_stop_words",
        ):
            items = table[key]
            if not all(isinstance(item, str) for item in items):
                raise bad(key, "must be a list of strings")
            lists[key] = tuple(items)
        stop_words = load_stop_words(
            lists["stop_words"],
            lists["extra_stop_words"],
            root=config.root,
            max_size=config.max_file_size,
        )
        return cls(
            limit=table["limit"],
            threshold=float(table["threshold"]),
            include_newer=table["include_newer"],
            same_lang=table["same_lang"],
            max_age_days=table["max_age_days"],
            recent_days=table["recent_days"],
            weights=Weights(**values),
            exclude_tags=lists["exclude_tags"],
            exclude_categories=lists["exclude_categories"],
            exclude_paths=lists["exclude_paths"],
            heading=table["heading"],
            stop_words=stop_words,
            default_lang=config.default_lang,
        )

    def replace(self, **changes: Any) -> SimilarSettings:
        """A copy with some settings changed (command-line flags override the config)."""
        return _replace(self, **{k: v for k, v in changes.items() if v is not None})


@dataclass(frozen=True, slots=True)
class Suggestion:
    """One suggested article, its score, and why: each part's contribution and what is shared.

    ``contributions[part]`` is ``weights.part * values[part]`` rounded to 4 decimals, and ``score``
    is exactly their sum, so an explanation always adds up.
    """

    article: Article
    score: float
    values: dict[str, float]  # each part's raw similarity, 0-1
    contributions: dict[str, float]
    shared_tags: tuple[str, ...] = ()
    shared_terms: tuple[str, ...] = ()
    title_terms: tuple[str, ...] = ()


def normalize_tag(tag: str) -> str:
    """The form tags are compared in: "Nicolás Maduro " == "nicolas-maduro" == "NICOLAS_MADURO"."""
    return re.sub(r"[\s_\-]+", "-", fold_text(tag).strip()).strip("-")


# ---------------------------------------------------------------- the index


@dataclass(slots=True)
class _Doc:
    article: Article
    vector: dict[str, float]  # term -> weight, heaviest first, top MAX_TERMS, unit length
    tags: frozenset[int]
    tag_norm: float
    category: str
    lang: int
    stamp: float | None
    title_terms: tuple[str, ...]


class SimilarEngine:
    """In-memory structures over a list of articles; ``suggest`` answers for any one of them.

    ``pool`` says which articles may be suggested at all (on top of the settings' rules: only
    published stories, never an excluded tag, category or path).
    """

    def __init__(
        self,
        articles: Sequence[Article],
        settings: SimilarSettings,
        *,
        content_root: Path | None = None,
        pool: Callable[[Article], bool] | None = None,
        progress: Progress | None = None,
    ) -> None:
        self.settings = settings
        self.analyzer = Analyzer(settings.stop_words)
        self.content_root = content_root
        self._tag_ids: dict[str, int] = {}
        self._tag_names: list[str] = []
        self._lang_ids: dict[str, int] = {}
        self.docs: list[_Doc] = []
        self._by_path: dict[Path, int] = {}

        counted: list[dict[str, int]] = []
        total = len(articles)
        df: Counter[str] = Counter()
        for number, article in enumerate(articles, start=1):
            counts = self._count_terms(article)
            df.update(counts.keys())
            counted.append(counts)
            if progress is not None and (number % 500 == 0 or number == total):
                progress("analysing", number, total)
        self._df = df
        self._n = max(total, 1)
        # Smooth IDF of every term, once: ln((1 + N) / (1 + df)) + 1.
        self._idf = {term: math.log((1 + self._n) / (1 + count)) + 1 for term, count in df.items()}

        tag_df: dict[str, int] = {}
        normal_tags = [self._normal_tags(article) for article in articles]
        for tags in normal_tags:
            for tag in tags:
                tag_df[tag] = tag_df.get(tag, 0) + 1
        self._tag_idf = {tag: _idf(count, self._n) for tag, count in tag_df.items()}

        for article, counts, tags in zip(articles, counted, normal_tags, strict=True):
            self._by_path[article.path] = len(self.docs)
            self.docs.append(self._make_doc(article, counts, tags, indexed=True))
        counted.clear()
        self._stamps = [doc.stamp for doc in self.docs]
        self._langs = [doc.lang for doc in self.docs]
        self._tag_norms = [doc.tag_norm for doc in self.docs]
        self._lang_set = set(self._langs)

        # Inverted indexes over the articles that may be suggested, heaviest first, capped.
        eligible = self._eligibility(pool)
        postings: dict[str, list[tuple[float, int]]] = {}
        tag_postings: dict[int, list[int]] = {}
        for index, doc in enumerate(self.docs):
            if not eligible[index]:
                continue
            for term_id, weight in itertools.islice(doc.vector.items(), INDEX_TERMS):
                postings.setdefault(term_id, []).append((weight, index))
            for tag_id in doc.tags:
                tag_postings.setdefault(tag_id, []).append(index)
        self._postings: dict[str, tuple[tuple[int, ...], tuple[float, ...]]] = {}
        for term_id, entries in postings.items():
            if len(entries) > POSTINGS_CAP:
                entries = heapq.nlargest(POSTINGS_CAP, entries)
            self._postings[term_id] = (
                tuple(index for _, index in entries),
                tuple(weight for weight, _ in entries),
            )
        self._tag_postings = {
            tag_id: tuple(entries)
            for tag_id, entries in tag_postings.items()
            if len(entries) <= TAG_POSTINGS_CAP
        }

    # -- building ---------------------------------------------------------

    def _lang_name(self, article: Article) -> str:
        return fold_text(article.lang or self.settings.default_lang or "").strip()

    def _lang_id(self, name: str) -> int:
        return self._lang_ids.setdefault(name, len(self._lang_ids))

    def _count_terms(self, article: Article) -> dict[str, int]:
        lang = self._lang_name(article)
        terms = self.analyzer.terms
        counts = Counter(terms(strip_markup(article.body[:MAX_BODY_CHARS]), lang))
        for term in terms(title_head(article.title), lang):
            counts[term] += TITLE_BOOST
        if article.summary:
            for term in terms(article.summary, lang):
                counts[term] += SUMMARY_BOOST
        return counts

    def _normal_tags(self, article: Article) -> set[str]:
        return {tag for tag in map(normalize_tag, article.tags) if tag}

    def _make_doc(
        self, article: Article, counts: dict[str, int], tags: set[str], *, indexed: bool = False
    ) -> _Doc:
        # Sublinear TF x smooth IDF: measured better than BM25 for article-to-article similarity
        # (see benchmarks/RESULTS.md). A word no other article has cannot make this one similar
        # to any, so it is left out.
        df, idf, log = self._df, self._idf, _LOG
        least = 2 if indexed else 1
        scored = [
            (idf[term] * (1 + (log[tf] if tf < 64 else math.log(tf))), term)
            for term, tf in counts.items()
            if df.get(term, 0) >= least
        ]
        top = heapq.nlargest(MAX_TERMS, scored)
        lang = self._lang_name(article)
        tag_ids = frozenset(self._tag_id(tag) for tag in tags)
        return _Doc(
            article=article,
            vector=self._unit(top),
            tags=tag_ids,
            tag_norm=math.sqrt(sum(self._tag_idf.get(tag, 1.0) ** 2 for tag in tags)),
            category=normalize_tag(article.category or ""),
            lang=self._lang_id(lang),
            stamp=article.date.timestamp() if article.date is not None else None,
            title_terms=tuple(self.analyzer.terms(title_head(article.title), lang)),
        )

    def _unit(self, scored: list[tuple[float, str]]) -> dict[str, float]:
        norm = math.sqrt(sum(weight * weight for weight, _ in scored)) or 1.0
        return {term: weight / norm for weight, term in scored}

    def _tag_id(self, tag: str) -> int:
        found = self._tag_ids.get(tag)
        if found is None:
            found = self._tag_ids[tag] = len(self._tag_names)
            self._tag_names.append(tag)
        return found

    def _eligibility(self, pool: Callable[[Article], bool] | None) -> list[bool]:
        settings = self.settings
        bad_tags = {normalize_tag(tag) for tag in settings.exclude_tags}
        bad_categories = {normalize_tag(name) for name in settings.exclude_categories}
        result = []
        for doc in self.docs:
            article = doc.article
            ok = article.status is Status.PUBLISHED
            if ok and bad_tags:
                ok = not any(self._tag_names[tag] in bad_tags for tag in doc.tags)
            if ok and bad_categories:
                ok = doc.category not in bad_categories
            if ok and settings.exclude_paths:
                ok = not self._path_excluded(article.path)
            if ok and pool is not None:
                ok = pool(article)
            result.append(ok)
        return result

    def _path_excluded(self, path: Path) -> bool:
        relative = path.as_posix()
        if self.content_root is not None:
            with contextlib.suppress(ValueError):
                relative = path.resolve().relative_to(self.content_root.resolve()).as_posix()
        return any(
            fnmatch.fnmatchcase(relative, pattern) or fnmatch.fnmatchcase(relative, pattern + "/*")
            for pattern in self.settings.exclude_paths
        )

    # -- answering --------------------------------------------------------

    def doc_for(self, article: Article) -> _Doc:
        """The indexed form of ``article``; one not in the index (an unsaved story) is analysed.

        Indexed vectors leave out words no other indexed article has, so an unsaved story
        matches best when it is indexed with the others (``lushbeat similar --title`` does that).
        """
        index = self._by_path.get(article.path)
        if index is not None and self.docs[index].article is article:
            return self.docs[index]
        counts = self._count_terms(article)
        return self._make_doc(article, counts, self._normal_tags(article))

    def suggest(self, article: Article, *, limit: int | None = None) -> list[Suggestion]:
        """The best suggestions for ``article``, best first, at most ``limit`` of them."""
        settings = self.settings
        weights = settings.weights
        limit = settings.limit if limit is None else limit
        if limit <= 0:
            return []
        doc = self.doc_for(article)

        # Candidates: articles sharing a distinctive term or a tag, with a first estimate.
        estimate: defaultdict[int, float] = defaultdict(float)
        postings = self._postings
        query = list(itertools.islice(doc.vector.items(), CANDIDATE_TERMS))
        # Each term visits the articles where it weighs most; heavier terms visit more of them.
        budget = CANDIDATE_BUDGET / (sum(weight for _, weight in query) or 1.0)
        for term, weight in query:
            found = postings.get(term)
            if found is not None:
                visit = max(MIN_VISIT, int(budget * weight))
                weight *= weights.text
                for index, other in zip(found[0][:visit], found[1][:visit], strict=True):
                    estimate[index] += weight * other
        if doc.tags:
            shared: dict[int, float] = {}
            for tag_id in doc.tags:
                mass = self._tag_idf.get(self._tag_names[tag_id], 1.0) ** 2
                for index in self._tag_postings.get(tag_id, ()):
                    shared[index] = shared.get(index, 0.0) + mass
            scale = weights.tags / (doc.tag_norm or 1.0)
            norms = self._tag_norms
            for index, mass in shared.items():
                estimate[index] += scale * min(1.0, mass / norms[index])
        estimate.pop(self._by_path.get(article.path, -1), None)

        # The best by that estimate that the rules allow get an exact score of every part but
        # the title (the costly one); the best of those are scored in full.
        docs = self.docs
        allowed = self._rules(doc)
        exact = []
        for index in sorted(estimate, key=estimate.__getitem__, reverse=True):
            if allowed is not None and not allowed(index):
                continue
            other = docs[index]
            text = self._text_value(doc, other)
            value = weights.text * text
            if doc.tags and other.tags:
                value += weights.tags * self._tag_value(doc, other)[0]
            if doc.category and doc.category == other.category:
                value += weights.category
            value += weights.recency * self._recency(doc, other)
            exact.append((value, index, text))
            if len(exact) == PRESELECT:
                break
        from lushbeat_cli.core.fuzzy import matched_title_terms

        final = []
        for value, index, text in heapq.nlargest(max(SHORTLIST, 2 * limit), exact):
            other = docs[index]
            matched = matched_title_terms(doc.title_terms, other.title_terms)
            title = self._title_value(doc, other, matched)
            final.append((value + weights.title * title, index, text, title, matched))
        final.sort(key=lambda item: (-item[0], item[1]))
        if len(final) > limit:  # keep near ties: the rounded scores decide between them
            final = [item for item in final if item[0] >= final[limit - 1][0] - 0.001]
        suggestions = [
            self._suggestion(doc, docs[index], text, title, matched)
            for _, index, text, title, matched in final
        ]
        suggestions = [item for item in suggestions if item.score >= settings.threshold]
        suggestions.sort(key=_rank)
        return suggestions[:limit]

    def suggest_all(
        self,
        articles: Iterable[Article] | None = None,
        *,
        limit: int | None = None,
        progress: Progress | None = None,
        workers: int | None = None,
    ) -> Iterator[tuple[Article, list[Suggestion]]]:
        """Suggestions for each article (default: every indexed one), in order, lazily.

        A large batch is shared out over the machine's CPUs (``workers``: default all, on
        systems that can fork); the results and their order are the same either way.
        """
        chosen = list(articles) if articles is not None else [doc.article for doc in self.docs]
        total = len(chosen)
        if workers is None:
            workers = _default_workers() if total >= PARALLEL_FROM else 1
        if workers > 1:
            results: Iterator[list[Suggestion]] = self._suggest_in_workers(chosen, limit, workers)
        else:
            results = (self.suggest(article, limit=limit) for article in chosen)
        for number, (article, found) in enumerate(zip(chosen, results, strict=True), start=1):
            yield article, found
            if progress is not None and (number % 100 == 0 or number == total):
                progress("scoring", number, total)

    def _suggest_in_workers(
        self, chosen: list[Article], limit: int | None, workers: int
    ) -> Iterator[list[Suggestion]]:
        import multiprocessing

        global _JOB
        _JOB = (self, chosen, limit)  # forked workers inherit it: nothing big is pickled
        try:
            with multiprocessing.get_context("fork").Pool(workers) as pool:
                for packed in pool.imap(_suggest_packed, range(len(chosen)), chunksize=32):
                    yield [
                        Suggestion(self.docs[index].article, *fields) for index, *fields in packed
                    ]
        finally:
            _JOB = None

    def _rules(self, doc: _Doc) -> Callable[[int], bool] | None:
        """Whether the rules allow a candidate: same language, not newer, not too far apart."""
        settings = self.settings
        langs, lang = self._langs, doc.lang
        same_lang = settings.same_lang and (len(self._lang_set) > 1 or lang not in self._lang_set)
        stamps, stamp = self._stamps, doc.stamp
        newer = settings.include_newer or stamp is None
        span = settings.max_age_days * DAY if stamp is not None else 0.0
        if not same_lang and newer and not span:
            return None

        def allowed(index: int) -> bool:
            if same_lang and langs[index] != lang:
                return False
            when = stamps[index]
            if when is None or stamp is None:
                return True
            if not newer and when > stamp:
                return False
            return not span or abs(when - stamp) <= span

        return allowed

    def _text_value(self, doc: _Doc, other: _Doc) -> float:
        """Cosine of the two articles' term vectors."""
        one, two = doc.vector, other.vector
        common = one.keys() & two.keys()
        return min(
            1.0, sum(map(operator.mul, map(one.__getitem__, common), map(two.__getitem__, common)))
        )

    def _tag_value(self, doc: _Doc, other: _Doc) -> tuple[float, list[str]]:
        shared = doc.tags & other.tags
        if not shared:
            return 0.0, []
        names = [self._tag_names[tag] for tag in shared]
        mass = sum(self._tag_idf.get(name, 1.0) ** 2 for name in names)
        return min(1.0, mass / (doc.tag_norm * other.tag_norm)), names

    def _recency(self, doc: _Doc, other: _Doc) -> float:
        if doc.stamp is None or other.stamp is None:
            return 0.0
        days = abs(doc.stamp - other.stamp) / DAY
        return max(0.0, 1.0 - days / self.settings.recent_days)

    def _suggestion(
        self, doc: _Doc, other: _Doc, text: float, title: float, matched: list[str]
    ) -> Suggestion:
        weights = self.settings.weights
        one, two = doc.vector, other.vector
        products = [(one[term] * two[term], term) for term in one.keys() & two.keys()]
        tags, shared_tags = self._tag_value(doc, other)
        values = {
            "text": text,
            "tags": tags,
            "title": title,
            "category": 1.0 if doc.category and doc.category == other.category else 0.0,
            "recency": self._recency(doc, other),
        }
        contributions = {part: round(weights.of(part) * values[part], 4) for part in PARTS}
        by_normal = {normalize_tag(tag): tag for tag in doc.article.tags}
        top_terms = heapq.nlargest(SHARED_TERMS_SHOWN, products)
        return Suggestion(
            article=other.article,
            score=round(sum(contributions.values()), 4),
            values={part: round(value, 4) for part, value in values.items()},
            contributions=contributions,
            shared_tags=tuple(sorted(by_normal.get(name, name) for name in shared_tags)),
            shared_terms=tuple(term for _, term in top_terms),
            title_terms=tuple(dict.fromkeys(matched)),
        )

    def _title_value(self, doc: _Doc, other: _Doc, matched: list[str]) -> float:
        """Share of the titles' weight (by rarity) in words they have in common, 0-1."""
        if not matched:
            return 0.0
        n, df = self._n, self._df

        def mass(words: Iterable[str]) -> float:
            return sum(_idf(df.get(word, 1), n) for word in words)

        total = math.sqrt(mass(doc.title_terms) * mass(other.title_terms))
        return min(1.0, mass(matched) / total) if total else 0.0


PARALLEL_FROM = 2000  # articles; below this, starting workers costs more than it saves
_JOB: tuple[SimilarEngine, list[Article], int | None] | None = None


def _default_workers() -> int:
    import multiprocessing
    import os
    import sys

    if (
        not sys.platform.startswith("linux")
        or "fork" not in multiprocessing.get_all_start_methods()
    ):
        return 1
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except (AttributeError, OSError):
        return max(1, os.cpu_count() or 1)


def _suggest_packed(position: int) -> list[tuple[Any, ...]]:
    """In a worker: one article's suggestions as plain tuples (the article as its index)."""
    assert _JOB is not None
    index, chosen, limit = _JOB
    return [
        (
            index._by_path[item.article.path],
            item.score,
            item.values,
            item.contributions,
            item.shared_tags,
            item.shared_terms,
            item.title_terms,
        )
        for item in index.suggest(chosen[position], limit=limit)
    ]


def _idf(frequency: int, total: int) -> float:
    return math.log(1.0 + (total - frequency + 0.5) / (frequency + 0.5))


def _rank(suggestion: Suggestion) -> tuple[float, float, str]:
    when = suggestion.article.date
    stamp = when.timestamp() if when is not None else -math.inf
    return (-suggestion.score, -stamp, str(suggestion.article.path))


# ---------------------------------------------------------------- storing suggestions

RELATED_KEY = "related"
LOCK_KEY = "related_lock"


def is_locked(article: Article) -> bool:
    """``related_lock: true``: the list is curated by hand and never rewritten."""
    value = article.metadata.get(LOCK_KEY)
    if isinstance(value, str):
        return value.strip().lower() in ("true", "yes", "on", "1")
    return value is True or value == 1


def plan_related_edit(
    article: Article, slugs: Sequence[str], *, max_size: int = DEFAULT_MAX_FILE_SIZE
) -> FileEdit:
    """Read the file afresh and set ``related:`` to ``slugs``, changing nothing else; the edit
    is written with ``core.edit.commit_edit``.

    An article without ``related:`` and without suggestions is left alone (no empty key added).
    Raises EditError / LushbeatError when the file cannot be read or edited safely.
    """
    from lushbeat_cli.core.edit import plan_edit, read_article_text

    text = read_article_text(article.path, max_size)
    if not slugs and RELATED_KEY not in article.metadata:
        return plan_edit(article.path, {}, text=text)
    return plan_edit(article.path, {RELATED_KEY: list(slugs)}, text=text)
