"""Uncited-claim lint: a statistic or an appeal to research needs a citation nearby.

A paragraph (or FAQ answer) triggers CLM001 when it has no citation and contains any of:
- a percentage: ``40%``, ``12 percent``;
- a ratio: ``1 in 5``, ``one out of three``;
- a multiple: ``3 times``, ``twice as likely``;
- a sample size: ``n = 120``, ``1,062 patients`` (a number followed by people, patients,
  participants, adults, adolescents, teens, youth, clients, veterans or children);
- an appeal to research: ``studies show``, ``research shows``, ``research suggests``,
  ``evidence suggests``, ``evidence shows``, ``studies have found``, ``data show``.
Dates, phone numbers, ages, hours a week and other plain numbers do not trigger it.
"""

from __future__ import annotations

import re

from ..text.normalize import fold_map, original

NUMBER_WORDS = r"(?:\d[\d,.]*|one|two|three|four|five|six|seven|eight|nine|ten)"
TRIGGERS = [
    ("a percentage", re.compile(r"\b\d+(?:\.\d+)?\s?(?:%|percent\b)", re.I)),
    ("a ratio", re.compile(rf"\b{NUMBER_WORDS}\s+(?:in|out of)\s+{NUMBER_WORDS}\b(?!\s*(?:hours|days|weeks))", re.I)),
    (
        "a multiple",
        re.compile(
            r"\b(?:\d+(?:\.\d+)?\s+times\s+(?:more|less|as|higher|lower)|twice as|"
            r"half as likely)\b",
            re.I,
        ),
    ),
    (
        "a sample size",
        re.compile(
            r"\bn\s*=\s*\d|\b\d[\d,]*\s+(?:people|patients|participants|adults|"
            r"adolescents|teens|youths?|clients|veterans|children)\b",
            re.I,
        ),
    ),
    (
        "an appeal to research",
        re.compile(
            r"\b(?:studies|research|evidence|data)\s+(?:shows?|suggests?|"
            r"finds?|found|proves?|have\s+(?:shown|found))\b",
            re.I,
        ),
    ),
]
CITATION_MARK = "[@"


def find_claim(text: str) -> str | None:
    """Return what kind of claim the text states without a citation, or None. The text is read as
    sitekit.text.normalize folds it (40% in fullwidth digits is 40%); the message quotes what the editor wrote."""
    if CITATION_MARK in text:
        return None
    folded, positions = fold_map(text)
    for kind, pattern in TRIGGERS:
        m = pattern.search(folded)
        if m:
            written = original(text, positions, m.start(), m.end()).strip()
            read = m.group(0).strip()
            return f"{kind} ('{written}'" + ("" if written == read else f", read as '{read}'") + ")"
    return None


def paragraphs(lines: list[tuple[int, str]]):
    """Group (line, text) pairs into paragraphs: yield (first line, joined text)."""
    first, buf = None, []
    for line, text in lines:
        stripped = text.strip()
        starts_new = not stripped or stripped.startswith(("#", "- ", "* ", "|")) or re.match(r"\d+\. ", stripped)
        if starts_new and buf:
            yield first, " ".join(buf)
            first, buf = None, []
        if stripped and not stripped.startswith("#"):
            if first is None:
                first = line
            buf.append(stripped)
    if buf:
        yield first, " ".join(buf)
