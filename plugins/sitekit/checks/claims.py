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
#: The same kinds of claim in Spanish (issue 28): "16 %", "16 por ciento"; "1 de cada 5", "uno de cada
#: tres"; "el doble de", "3 veces más"; "855 adolescentes"; "los estudios muestran", "la investigación
#: sugiere", "según los datos"... Numbers are written as US Spanish writes them (content-standards es.3).
NUMBER_WORDS_ES = r"(?:\d[\d,.\u00a0 ]*|uno|una|dos|tres|cuatro|cinco|seis|siete|ocho|nueve|diez)"
TRIGGERS_ES = [
    ("a percentage", re.compile(r"\b\d+(?:[.,]\d+)?[\s\u00a0]?(?:%|por\s+ciento\b)", re.I)),
    ("a ratio", re.compile(rf"\b{NUMBER_WORDS_ES}\s+de\s+cada\s+{NUMBER_WORDS_ES}\b", re.I)),
    (
        "a multiple",
        re.compile(
            r"\b(?:\d+(?:[.,]\d+)?\s+veces\s+(?:m[aá]s|menos)|el\s+doble\s+de|la\s+mitad\s+de\s+probable|"
            r"(?:dos|tres|cuatro|cinco)\s+veces\s+(?:m[aá]s|menos))\b",
            re.I,
        ),
    ),
    (
        "a sample size",
        re.compile(
            r"\bn\s*=\s*\d|\b\d[\d,.\u00a0 ]*\s+(?:personas|pacientes|participantes|adultos|adultas|adolescentes|"
            r"j[oó]venes|clientes|veteranos|veteranas|ni[nñ]os|ni[nñ]as|mujeres|hombres)\b",
            re.I,
        ),
    ),
    (
        "an appeal to research",
        re.compile(
            r"\b(?:(?:los|las|unos|unas|varios|varias|muchos|muchas)\s+)?(?:estudios|investigaciones|datos|pruebas)\s+"
            r"(?:muestran|demuestran|indican|sugieren|encontraron|han\s+(?:mostrado|demostrado|encontrado)|prueban)\b|"
            r"\b(?:la\s+)?(?:investigaci[oó]n|evidencia|ciencia)\s+(?:muestra|demuestra|indica|sugiere|encontr[oó]|"
            r"ha\s+(?:mostrado|demostrado|encontrado)|prueba)\b|\bseg[uú]n\s+(?:los\s+)?(?:estudios|datos|investigaciones)\b",
            re.I,
        ),
    ),
]
TRIGGERS_BY_LANG = {"en": TRIGGERS, "es": TRIGGERS_ES}
CITATION_MARK = "[@"


def find_claim(text: str, lang: str = "en") -> str | None:
    """Return what kind of claim the text states without a citation, or None, with the triggers of the
    text's language. The text is read as sitekit.text.normalize folds it (40% in fullwidth digits is
    40%; accents dropped, so the Spanish patterns accept both spellings); the message quotes what the
    editor wrote."""
    if CITATION_MARK in text:
        return None
    folded, positions = fold_map(text)
    for kind, pattern in TRIGGERS_BY_LANG.get(lang, TRIGGERS):
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
