"""The languages the site is written in, and how each writes what the build writes for it.

English (`en`) is the site's own language: every page starts in English and English URLs never
change. A translation is a page in another language under `content/<lang>/`, published under
`/<lang>/` (issue 28). A language here is a code and its conventions: the tag JSON-LD gives it
(`inLanguage`), how dates and numbers read, and the names of the folders its pages are written to.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

DEFAULT = "en"


@dataclass(frozen=True)
class Language:
    code: str  # the <html lang> and the folder under content/ and under the site (`es/`)
    name: str  # its own name, as a language switch writes it ("Español")
    tag: str  # BCP 47 tag with the region the site writes for (JSON-LD inLanguage)
    months: tuple  # month names, January first
    date_pattern: str  # "{month} {day}, {year}" or "{day} de {month} de {year}"
    sections_folder: str  # where its section pages are written (`sections`, `secciones`)
    search_folder: str  # where its search page is written (`search`, `buscar`)

    def long_date(self, day: dt.date) -> str:
        """A date as readers write it: November 23, 2026 / 23 de noviembre de 2026."""
        return self.date_pattern.format(month=self.months[day.month - 1], day=day.day, year=day.year)

    def number(self, n: int) -> str:
        """A whole number as readers write it: 108,000 in US English; 108 000 in Spanish (the
        Ortografia's non-breaking space for five digits or more, four digits together: 2500;
        content-standards.md es.3)."""
        if self.code == "es":
            return f"{n:,}".replace(",", "\u00a0") if abs(n) >= 10_000 else str(n)
        return f"{n:,}"

    @property
    def prefix(self) -> str:
        """The start of every address of this language: '' for English, 'es/' for Spanish."""
        return "" if self.code == DEFAULT else f"{self.code}/"


LANGUAGES = {
    "en": Language(
        "en",
        "English",
        "en-US",
        (
            "January",
            "February",
            "March",
            "April",
            "May",
            "June",
            "July",
            "August",
            "September",
            "October",
            "November",
            "December",
        ),
        "{month} {day}, {year}",
        "sections",
        "search",
    ),
    "es": Language(
        "es",
        "Español",
        "es-US",
        (
            "enero",
            "febrero",
            "marzo",
            "abril",
            "mayo",
            "junio",
            "julio",
            "agosto",
            "septiembre",
            "octubre",
            "noviembre",
            "diciembre",
        ),
        "{day} de {month} de {year}",
        "secciones",
        "buscar",
    ),
}


def language(code: str | None) -> Language:
    return LANGUAGES.get(code or DEFAULT, LANGUAGES[DEFAULT])
