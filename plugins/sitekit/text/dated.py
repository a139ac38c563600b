"""Dated facts in the text: the ``[As of: ID]`` marker and 'as of' dates written by hand.

A rule that holds only until a date is written with a marker, ``[As of: dea-video-prescribing]`` at
the start of a sentence or ``[as of: ID]`` inside one, in every language (a translation keeps the
English page's markers: iop_lang, TRN027). Readers see "As of December 2026" ("En diciembre de 2026"
on a Spanish page): the month
and year come from the fact's record in data/dated_facts.yaml, which also holds the date it runs to,
so the build can warn before it passes (sitekit.checks.dates). An 'as of' date written by hand
("As of May 2025") has no such record, so it is refused (DATE023).
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata

from markupsafe import escape

#: ``[As of: id]`` (or ``[as of: id]``); the case of "As" is kept in what readers see.
MARKER_RE = re.compile(r"\[(As|as) of:\s*([a-z0-9][a-z0-9_-]*)\s*\]")
#: Anything that looks like a marker, to report a malformed one instead of showing it as written.
LOOSE_RE = re.compile(r"\[\s*as\s+of\s*:[^\]\n]*\]", re.I)

_MONTHS = r"(?:jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\.?"
#: An 'as of' date written by hand: "as of May 2025", "As of February 3, 2026", "as of 2024", "as at mid-2025".
LITERAL_RE = re.compile(
    rf"\bas\s+(?:of|at)\s+(?:(?:early|late|mid|the\s+end\s+of)[\s-]*)?"
    rf"(?:{_MONTHS}\s+(?:\d{{1,2}}(?:st|nd|rd|th)?,?\s+)?)?(?:19|20)\d{{2}}\b",
    re.I,
)


def markers(text: str) -> list[tuple[str, str]]:
    """(the marker as written, the fact id) of every well-formed marker in ``text``."""
    return [(m.group(0), m.group(2)) for m in MARKER_RE.finditer(text)]


def malformed(text: str) -> list[str]:
    """Markers that are not well formed (``[as of:]``, ``[As of: Some Id]``), as written."""
    good = {m.span() for m in MARKER_RE.finditer(text)}
    return [m.group(0) for m in LOOSE_RE.finditer(text) if m.span() not in good]


def literals(text: str) -> list[str]:
    """'As of' dates written by hand in ``text`` (compared after NFKC, so fullwidth digits count too)."""
    folded = unicodedata.normalize("NFKC", text)
    return [m.group(0) for m in LITERAL_RE.finditer(MARKER_RE.sub(" ", folded))]


#: What a marker says in each language, at the start of a sentence ("As") and inside one ("as"):
#: "As of December 2026" / "En diciembre de 2026".
WORDS = {"en": {"As": "As of", "as": "as of"}, "es": {"As": "En", "as": "en"}}


def month_year(day: dt.date, lang: str = "en") -> str:
    """December 2026 / diciembre de 2026."""
    if lang == "es":
        from ..core.lang import LANGUAGES

        return f"{LANGUAGES['es'].months[day.month - 1]} de {day.year}"
    return f"{day:%B} {day.year}"


def said(word: str, as_of: dt.date, lang: str = "en") -> tuple[str, str]:
    """The words of a marker in a language: ('As of', 'December 2026'), ('En', 'diciembre de 2026');
    ``word`` is the marker's 'As' or 'as'."""
    return WORDS.get(lang, WORDS["en"])[word], month_year(as_of, lang)


def render(word: str, as_of: dt.date, lang: str = "en") -> str:
    """What readers see for a marker: 'As of <time datetime="2026-12">December 2026</time>' (on a page in
    Spanish: 'En <time ...>diciembre de 2026</time>')."""
    lead, when = said(word, as_of, lang)
    return f'{escape(lead)} <time datetime="{as_of:%Y-%m}">{when}</time>'


def fact_ids(text: str) -> list[str]:
    """The fact ids of the markers in ``text``, in order."""
    return [m.group(2) for m in MARKER_RE.finditer(text or "")]
