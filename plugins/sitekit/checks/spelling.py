"""Spelling of what readers read, with pyspellchecker (pure Python, its English and Spanish word lists
ship in the package: nothing to download) and the project's own word list.

- What is checked: the words a reader sees (sitekit.text.textprep.plain: no citation keys, addresses,
  code or tags), in the title, summary, key points and body of every page (sitekit.checks.lint) and in
  the prose fields of the data files, at their own lines (FAQ questions and answers, the care-level
  table's cells, the crisis lines' text).
- What is not: words in capitals (IOP, ASAM), words with digits, single letters, and text marked as
  another language (``<span lang="es">...</span>`` on an English page).
- The language: a page's ``lang`` (front matter, else DEFAULT_LANG). Only English pages are checked.
  Spanish pages are not: pyspellchecker's Spanish list is of dictionary headwords, without verb forms
  or plurals ('puede', 'personas' and 1,340 other words of the 18 translated guides were unknown), so
  it would bury a real typo; and no maintained Hunspell Spanish dictionary installs from PyPI.
- The project's words: ``data/words.txt`` (one word a line, ``#`` comments; medical and project words,
  names). Case does not matter.

One finding per word and page (SPL001, a warning), with its lines and the dictionary's suggestions.
"""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path

from ..text.dated import LOOSE_RE
from ..text.textprep import plain

#: Languages whose pages are checked (pyspellchecker's English list; see above for Spanish).
LANGUAGES = ("en",)
#: Text in another language, marked in the page's HTML: <span lang="es">...</span> (any inline element).
OTHER_LANG_RE = re.compile(
    r"<(?P<tag>[a-z][a-z0-9]*)\b[^>]*\blang\s*=\s*[\"']?(?P<lang>[A-Za-z-]+)[^>]*>.*?</(?P=tag)\s*>", re.I | re.S
)
WORD_RE = re.compile(r"[^\W\d_]+(?:['’][^\W\d_]+)*")
#: Web addresses and emails written as text (988lifeline.org, askebsa.dol.gov): not words. TLD_RE finds
#: the few lines that have one, so DOMAIN_RE (slower) runs only on those.
TLD_RE = re.compile(r"\.(?:org|gov|com|net|edu|us|info|io)\b", re.I)
DOMAIN_RE = re.compile(r"[\w+-]+(?:\.[\w+-]+)*\.(?:org|gov|com|net|edu|us|info|io)\b\S*", re.I)
#: Words longer than this get no suggestions (the search for them is slow, and they are rarely typos).
SUGGEST_MAX = 14
SUGGESTIONS = 3


def read_words(path: str | Path) -> frozenset[str]:
    """A word list: one word a line, '#' starts a comment; lowercased."""
    try:
        text = Path(path).read_text(encoding="utf-8")
    except OSError:
        return frozenset()
    words = set()
    for line in text.splitlines():
        word = line.split("#", 1)[0].strip()
        if word:
            words.add(word.lower())
    return frozenset(words)


@lru_cache(maxsize=4)
def dictionary(lang: str):
    """pyspellchecker's dictionary for ``lang`` (loaded once per process: 0.16 s)."""
    from spellchecker import SpellChecker

    return SpellChecker(language=lang, distance=2)


class Speller:
    """The words of one language: the dictionary and the project's list."""

    def __init__(self, lang: str, words: frozenset[str] = frozenset()):
        self.lang = lang
        self.words = words
        self.known: set[str] = set()
        self.unknown: set[str] = set()

    def misspelled(self, text: str, page_lang: str | None = None, words: str | None = None) -> list[str]:
        """The words of one line of Markdown that are in neither list, in order (repeats kept). ``words``:
        the line as sitekit.text.textprep.plain gave it, when the caller has it already."""
        if "lang" in text:
            text, words = _without_other_languages(text, page_lang or self.lang), None
        if "of:" in text:  # a dated fact's [As of: id] marker: the build writes the date there
            text, words = LOOSE_RE.sub(" ", text), None
        if words is None:
            words = plain(text)
        if "." in words and TLD_RE.search(words):
            words = DOMAIN_RE.sub(" ", words)
        known = self.known
        # Most words were seen before on this page or another: one set lookup each; only the others
        # go through the checks below.
        return [w for w in WORD_RE.findall(words) if w.lower() not in known and self._wrong(w)]

    def _wrong(self, word: str) -> bool:
        if len(word) < 2 or word.isupper() or any(c.isupper() for c in word[1:]):
            return False
        low = word.lower().replace("’", "'")
        if low in self.unknown:
            return True
        bare = low[:-2] if low.endswith("'s") else low
        if bare in self.words or bare in dictionary(self.lang) or low in dictionary(self.lang):
            self.known.add(word.lower())
            return False
        self.unknown.add(low)
        return True

    def suggest(self, word: str) -> list[str]:
        return suggestions(self.lang, word.lower())


@lru_cache(maxsize=4096)
def suggestions(lang: str, word: str) -> list[str]:
    if len(word) > SUGGEST_MAX:
        return []
    checker = dictionary(lang)
    found = checker.candidates(word) or set()
    ranked = sorted(found - {word}, key=lambda w: (-checker.word_usage_frequency(w), w))
    return ranked[:SUGGESTIONS]


def _without_other_languages(text: str, lang: str) -> str:
    if "lang" not in text:
        return text

    def drop(m: re.Match) -> str:
        return " " if m.group("lang").lower().split("-")[0] != lang else m.group(0)

    return OTHER_LANG_RE.sub(drop, text)


def lang_of(value: str | None, default: str = "en") -> str:
    """A page's language code ('es' of 'es-US'), lowercased."""
    return str(value or default).lower().split("-")[0]


def group(found: list[tuple[int, str]]) -> dict[str, list]:
    """(line, word) pairs -> word (as first written) -> its lines, in order of first use."""
    out: dict[str, list] = {}
    first: dict[str, str] = {}
    for line, word in found:
        key = word.lower()
        first.setdefault(key, word)
        out.setdefault(first[key], []).append(line)
    return out


def message(word: str, lines: list[int], suggested: list[str], words_file: str) -> tuple[str, str]:
    """(message, hint) of one SPL001 finding."""
    where = (
        f", also on line{'s' * (len(lines) > 2)} {', '.join(map(str, sorted(set(lines[1:]))))}"
        if len(set(lines)) > 1
        else ""
    )
    times = f" ({len(lines)} times{where})" if len(lines) > 1 else ""
    guess = f"did you mean {' or '.join(repr(s) for s in suggested)}? " if suggested else ""
    return (
        f"'{word}' is not in the dictionary{times}",
        f"{guess}If it is spelled right (a name, a medical word), add it to {words_file}",
    )
