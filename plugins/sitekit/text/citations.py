"""Citations: ``[@key]`` and ``[@a; @b]`` become numbered links to the page's reference list."""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass, field

from markupsafe import Markup, escape

from ..core.diagnostics import DIAG

CITATION_RE = re.compile(r"\[@([^\]\n]*)\]")
KEY_RE = re.compile(r"^[a-z0-9][a-z0-9_-]*$", re.IGNORECASE)
OPEN_RE = re.compile(r"\[@(?![^\]\n]*\])")


@dataclass
class CitationContext:
    """Numbering for one page: the same source keeps its number wherever it is cited."""

    path: str
    references: dict
    quiet: bool = False  # references.yaml is broken: unknown keys are its fault, reported there
    numbers: dict = field(default_factory=dict)  # key -> number
    uses: dict = field(default_factory=dict)  # key -> count of citing places
    word: str = "Reference"  # what a screen reader hears before the number, in the page's language

    def number(self, key: str) -> int:
        if key not in self.numbers:
            self.numbers[key] = len(self.numbers) + 1
        return self.numbers[key]

    def marker(self, keys: list[str]) -> str:
        """Return the superscript HTML for one citing place."""
        links = []
        for key in keys:
            n = self.number(key)
            self.uses[key] = self.uses.get(key, 0) + 1
            links.append(
                f'<a href="#ref-{n}" id="cite-{n}-{self.uses[key]}" class="cite__link">'
                f'<span class="visually-hidden">{escape(self.word)} </span>{n}</a>'
            )
        # Not in the search index: "[Reference 1]" is noise in a result's excerpt.
        return f'<sup class="cite" data-pagefind-ignore="all">[{", ".join(links)}]</sup>'

    @property
    def cited(self) -> list[str]:
        return sorted(self.numbers, key=self.numbers.get)

    def replace(self, text: str, line: int, stash) -> str:
        """Replace every citation in one line; report bad ones at ``line``."""

        def sub(match: re.Match) -> str:
            keys = parse_keys(match.group(1))
            if keys is None:
                DIAG.error(
                    "CIT002",
                    self.path,
                    line,
                    f"malformed citation '{match.group(0)}'",
                    "write [@key] or [@key1; @key2]",
                )
                return match.group(0)
            good = []
            for key in keys:
                if key in self.references:
                    good.append(key)
                elif not self.quiet:
                    DIAG.error("CIT001", self.path, line, *unknown_key(key, self.references))
            return stash(self.marker(good)) if good and len(good) == len(keys) else match.group(0)

        out = CITATION_RE.sub(sub, text)
        if OPEN_RE.search(out):
            DIAG.error(
                "CIT002",
                self.path,
                line,
                "citation opened with '[@' but never closed",
                "close it with ']' on the same line",
            )
        return out


#: How close a key must be to a real one to be suggested: a typo, not merely a key of the same shape
#: (difflib's ratio; 'asam-critera-3rd-2013' is 0.98 from the real key, unrelated keys 0.6 to 0.7).
TYPO_RATIO = 0.8
ADD_HINT = "add the source to data/references.yaml first (only sources from the vetted list; README, 'Cite a source')"


def close_key(key: str, keys) -> str | None:
    """The real key ``key`` is a typo or a shortening of, or None: never merely a similar-looking key."""
    keys = [str(k) for k in keys]
    close = difflib.get_close_matches(key, keys, n=1, cutoff=TYPO_RATIO)
    if close:
        return close[0]
    longer = [k for k in keys if len(key) >= 6 and k.startswith(key)]
    return longer[0] if len(longer) == 1 else None


def unknown_key(key: str, keys) -> tuple[str, str]:
    """(message, hint) for a citation key that is not in data/references.yaml."""
    close = close_key(key, keys)
    if close:
        return (
            f"unknown citation key '{key}'",
            f"did you mean '{close}'? A new source goes in data/references.yaml first",
        )
    return f"citation key '{key}' is not in data/references.yaml", ADD_HINT


def parse_keys(inner: str) -> list[str] | None:
    """Return the keys of ``@a; @b`` or None when the syntax is wrong."""
    parts = [p.strip() for p in inner.split(";")]
    keys = []
    for i, part in enumerate(parts):
        if i > 0:
            if not part.startswith("@"):
                return None
            part = part[1:]
        if not KEY_RE.match(part):
            return None
        keys.append(part)
    return keys


#: The words of a reference list in each language (issue 3, pages 614-624 / número 3, páginas 614-624).
REFERENCE_WORDS = {
    "en": {"issue": "issue", "pages": "pages", "page": "page", "in": {"en": "in English", "es": "in Spanish"}},
    "es": {"issue": "número", "pages": "páginas", "page": "página", "in": {"en": "en inglés", "es": "en español"}},
}


def format_reference(ref: dict, lang: str = "en") -> Markup:
    """A reference in a plain, readable style (authors. title. container. year;vol(issue):pages).

    A reference with no authors on record starts with its title (never "Authors not listed"); without a
    volume, the issue and pages are named: "2022, issue 3, pages 614-624" (never "2022;(3):614-624").
    On a page in another language the words are that language's, the source's own title in that
    language is used where the vetted list gives one (`title_es`), and a title in a language other than
    the page's is marked with its language (`<cite lang="en">`), so a screen reader says it right, and
    named in words after its container ("(en inglés)" on a Spanish page, "(in Spanish)" on an English
    one), so a reader knows the page's language before opening it."""
    e = escape
    words = REFERENCE_WORDS.get(lang, REFERENCE_WORDS["en"])
    own_title = ref.get(f"title_{lang}") if lang != "en" else None
    title = str(e(own_title or ref["title"]))
    source_lang = lang if own_title else (ref.get("language") or "en")
    marked = f' lang="{e(source_lang)}"' if source_lang != lang else ""
    stop = "" if title.endswith((".", "?", "!")) else "."
    bits = [_end(e(ref["authors"]))] if ref.get("authors") else []
    container = str(e(ref["container"]))
    said = words["in"].get(source_lang, source_lang)
    if source_lang != lang:
        container = f"{container} ({said})"
    bits += [f"<cite{marked}>{title}</cite>{stop}", _end(container)]
    tail = str(ref.get("year", "")) or ""
    sep = ";" if tail else ""
    if ref.get("volume"):
        tail += f"{sep}{e(ref['volume'])}"
        if ref.get("issue"):
            tail += f"({e(ref['issue'])})"
        if ref.get("pages"):
            tail += f":{e(ref['pages'])}"
    else:
        named = [f"{words['issue']} {e(ref['issue'])}"] if ref.get("issue") else []
        if ref.get("pages"):
            pages = str(e(ref["pages"]))  # a range or a page is named; an article number stands as it is
            named.append(
                f"{words['pages']} {pages}"
                if re.fullmatch(r"\d+-\d+", pages)
                else f"{words['page']} {pages}"
                if pages.isdigit()
                else pages
            )
        tail = ", ".join(([tail] if tail else []) + named)
    if tail:
        bits.append(f"{tail}.")
    if ref.get("doi"):
        bits.append(f'doi:<a href="https://doi.org/{e(ref["doi"])}">{e(ref["doi"])}</a>.')
    if ref.get("pmid"):
        bits.append(f"PMID {e(ref['pmid'])}.")
    if ref.get("url") and not str(ref["url"]).startswith("https://doi.org/"):
        bits.append(f'<a href="{e(ref["url"])}">{e(_short_url(ref["url"]))}</a>')
    return Markup(" ".join(bits))


def _end(text: str) -> str:
    """Close a part of a reference with one full stop."""
    return text if text.endswith((".", "?", "!")) else f"{text}."


def _short_url(url: str) -> str:
    return re.sub(r"^https://(www\.)?", "", url).rstrip("/")
