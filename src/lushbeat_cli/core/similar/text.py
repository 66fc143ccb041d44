"""Text to terms for the similar-posts engine: clean Markdown, fold, split, drop stop words, stem.

Pure functions; the Indonesian and English stop-word lists ship as data in ``core/stopwords/``.
Imported by ``core.related`` (and by anything else that needs the same terms).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from functools import lru_cache
from importlib import resources
from pathlib import Path

from lushbeat_cli.core.files.inputs import (
    DEFAULT_MAX_FILE_SIZE,
    InputError,
    decode_utf8,
    read_input,
)
from lushbeat_cli.errors import ConfigError

BUILTIN_STOP_WORDS = ("en", "id")
# Titles are compared (near-duplicates, fuzzy look-ups, similar posts) on their first characters
# only: a title is rarely over 120, and fuzzy comparison of two titles costs the product of their
# lengths (30 s for one 2 MB title compared with itself).
TITLE_CHARS = 300

# Markup that is not prose: fenced code, HTML comments and tags, Hugo shortcodes and Liquid tags,
# link and image targets (the visible text of a link is kept), bare URLs. What is opened and
# never closed runs to the end of the text (a link target: of its line), as an unclosed fence
# or comment does in Markdown; were it left out, every later opener would look for the end
# again, and a body of unclosed openers would cost its length squared.
_NOISE = re.compile(
    r"(?=[`<{\]hw])"  # (a cheap first test: every alternative starts with one of these)
    r"(?:```.*?(?:```|\Z)"  # fenced code blocks
    r"|<!--.*?(?:-->|\Z)"  # HTML comments
    r"|\{\{[<%].*?(?:[%>]\}\}|\Z)"  # Hugo shortcodes {{< ... >}} / {{% ... %}}
    r"|\{%.*?(?:%\}|\Z)|\{\{.*?(?:\}\}|\Z)"  # Liquid / Go template tags
    r"|<[^>\n]{1,400}>"  # HTML tags
    r"|\]\([^)\n]*(?:\)|(?=\n)|\Z)"  # Markdown link/image targets: [text](target)
    r"|\bhttps?://\S+|\bwww\.\S+)",  # bare URLs
    re.S,
)
_WORD = re.compile(r"[^\W_]+(?:['’][^\W_]+)*")
_COMBINING = re.compile(r"[\u0300-\u036f\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\ufe20-\ufe2f]")


def title_head(title: str) -> str:
    """The part of a title that comparisons look at (its first TITLE_CHARS characters)."""
    return title[:TITLE_CHARS]


def fold_text(text: str) -> str:
    """Lower-case without accents: "Marín" -> "marin" (the same folding as queries use)."""
    if text.isascii():
        return text.lower()
    return _COMBINING.sub("", unicodedata.normalize("NFKD", text.casefold()))


def strip_markup(text: str) -> str:
    """The prose of a Markdown body: code, tags, shortcodes and link targets blanked out."""
    return _NOISE.sub(" ", text)


def words(text: str) -> list[str]:
    """Folded words of ``text`` in order; hyphenated words split, pure numbers dropped."""
    folded = fold_text(text)
    if "’" in folded:
        folded = folded.replace("’", "'")
    found = _WORD.findall(folded)
    if "'" in folded:
        found = [word[:-2] if word.endswith("'s") else word for word in found]
    return [word for word in found if len(word) > 1 and not word.isdigit()]


class Analyzer:
    """Turns text into terms: words minus stop words, lightly stemmed by language.

    English gets Harman's "S" stemmer (plurals only: "agencies" -> "agency"); Indonesian loses the
    enclitic ``-nya`` ("kemenangannya" -> "kemenangan"). Both are conservative on purpose: a wrong
    conflation makes unrelated stories look alike, a missed one only costs a little recall.
    """

    def __init__(self, stop_words: frozenset[str]) -> None:
        self.stop_words = stop_words
        self._stems: dict[str, dict[str, str]] = {}  # lang -> word -> term ('' for none)

    def terms(self, text: str, lang: str = "") -> list[str]:
        """The terms of ``text``, in order (the same as ``words`` minus stop words, stemmed)."""
        stems = self._stems.get(lang)
        if stems is None:
            stems = self._stems[lang] = {}
        folded = fold_text(text)
        if "’" in folded:
            folded = folded.replace("’", "'")
        found = _WORD.findall(folded)
        for word in set(found).difference(stems):
            stems[word] = self._term(word, lang)
        # Looked up and filtered in C: this runs over every word of every article.
        return list(filter(None, map(stems.__getitem__, found)))

    def _term(self, word: str, lang: str) -> str:
        """The term for one word as ``_WORD`` finds it, or '' when it is not one."""
        if word.endswith("'s"):
            word = word[:-2]
        if len(word) < 2 or word.isdigit() or word in self.stop_words:
            return ""
        term = stem(word, lang)
        return "" if term in self.stop_words else term


def stem(word: str, lang: str) -> str:
    """A light, language-aware stem (see ``Analyzer``); other languages are left as they are."""
    if lang.startswith("en"):
        return _english_s(word)
    if lang.startswith("id") or lang.startswith("ms"):
        return _indonesian(word)
    return word


def _english_s(word: str) -> str:
    if len(word) <= 3 or not word.endswith("s") or "'" in word:
        return word
    if word.endswith("ies") and not word.endswith(("eies", "aies")) and len(word) > 4:
        return word[:-3] + "y"
    if word.endswith("es") and not word.endswith(("aes", "ees", "oes")):
        return word[:-1]
    if word.endswith(("us", "ss", "is")):
        return word
    return word[:-1]


def _indonesian(word: str) -> str:
    if word.endswith("nya") and len(word) >= 7:
        return word[:-3]
    return word


# ---------------------------------------------------------------- stop words


@lru_cache(maxsize=8)
def builtin_stop_words(name: str) -> frozenset[str]:
    """A shipped list by name ("en", "id")."""
    data = resources.files("lushbeat_cli.core").joinpath("stopwords", f"{name}.txt")
    return frozenset(_parse_word_list(data.read_text(encoding="utf-8")))


def load_stop_words(
    names: Iterable[str],
    extra: Iterable[str] = (),
    *,
    root: Path | None = None,
    max_size: int = DEFAULT_MAX_FILE_SIZE,
) -> frozenset[str]:
    """The union of built-in lists (by name) or word-list files (``*.txt``, relative to ``root``,
    regular files of at most ``max_size`` bytes), plus ``extra`` words. Raises ConfigError for
    an unknown list or a file that cannot be read.
    """
    found: set[str] = set()
    for name in names:
        if name in BUILTIN_STOP_WORDS:
            found |= builtin_stop_words(name)
        elif name.endswith(".txt"):
            path = Path(name) if root is None else root / name
            try:
                text = decode_utf8(read_input(path, max_size), bom=True)
            except InputError as exc:
                reason = exc.message.removeprefix("cannot read: ").removesuffix("; not read")
                raise ConfigError(
                    f"similar.stop_words: cannot read {name}: {reason}", path=path
                ) from None
            found.update(_parse_word_list(text))
        else:
            raise ConfigError(
                f"similar.stop_words: unknown list {name!r} (built in: "
                f"{', '.join(BUILTIN_STOP_WORDS)}; or a .txt file of words)"
            )
    for word in extra:
        found.update(words(word))
    return frozenset(found)


def _parse_word_list(text: str) -> list[str]:
    items: list[str] = []
    for line in text.splitlines():
        line = line.strip()
        if line and not line.startswith("#"):
            items.extend(words(line) or [fold_text(line)])
    return items
