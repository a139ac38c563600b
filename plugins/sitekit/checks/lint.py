"""Language, safe-messaging and reading-level checks of one page, from data/language.yaml.

Each check is one function in RULES (decorated with @page_rule): LNG001 term to avoid (error),
LNG002 term to reconsider (warning, or an error term in a quotation), LNG010 phrase a clinician must
look at on a suicide page, SAFE010 suicide page without an in-body 988 block near the top, CLM001
uncited claim, RDL001 reading level above the target.

Nothing here imports Pelican or reports directly: `Linter.page` takes a picklable `PageText` and
returns a `PageResult`, so the checks can run in a worker process beside the build (see the
iop_lint plugin) and give exactly the findings they give in the build process.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from functools import lru_cache

from ..core.diagnostics import ERROR, WARNING
from ..data.schema import prose_fields
from ..data.schemas import DATA_FILES
from ..text import dated
from ..text.normalize import fold, fold_map, original
from ..text.prefilter import Literals, may_match, required_literals
from ..text.textprep import is_heading, is_quote, plain, sentences, visible
from .claims import find_claim, paragraphs
from .spelling import LANGUAGES, Speller, dictionary, lang_of
from .spelling import group as spell_group
from .spelling import message as spell_message

#: The project's word list, as findings name it.
WORDS_FILE = "data/words.txt"

WINDOW = 80
#: Quotations: the lint's errors become warnings inside them (content-standards 1.3; es: angle quotes too).
QUOTE_RE = re.compile(r"\"[^\"]*\"|“[^”]*”|«[^»]*»|‘[^’]*’")
HELP_BLOCK = "::: crisis-help"
NEAR_TOP_LINES = 25
DEFAULT_READING = {"max_smog": 10.0, "max_fk": 7.0}
DEFAULT_READING_ES = {"min_fernandez_huerta": 70, "min_szigriszt_pazos": 65}

#: (severity, code, path, line, message, hint), as Diagnostics.report takes them.
Report = tuple[str, str, str, int, str, str]


@dataclass
class Term:
    id: str
    regex: re.Pattern
    allow: list
    severity: str
    preferred: list
    suicide_only: bool
    literals: Literals = None  # one of these occurs in every match (sitekit.text.prefilter)


@dataclass
class PageText:
    """What the checks need of one page; plain data, so it can be sent to a worker process."""

    path: str
    body: str
    body_line: int
    prose_lines: list  # (line, Markdown text)
    fields: list  # (line, text) of the title, summary and key points
    suicide_topic: bool = False
    reading_extra: list = field(default_factory=list)  # (line, text) paragraphs: key points, FAQ answers
    lang: str = "en"  # checked with that language's rules (data/language.yaml, data/<lang>/language.yaml);
    # the spelling check knows English only (sitekit.checks.spelling)


@dataclass
class PageResult:
    reports: list[Report] = field(default_factory=list)
    suicide_page: bool = False
    reading: dict = field(default_factory=dict)


class Linter:
    """The compiled rules of data/language.yaml and the reading-level settings."""

    def __init__(
        self,
        language: dict,
        reading: dict | None = None,
        reading_es: dict | None = None,
        words: frozenset = frozenset(),
    ):
        #: The language of the rules (data/es/language.yaml says `language: es`); it picks the reading formulas.
        self.lang = str(language.get("language") or "en")
        self.speller = Speller("en", frozenset(words))
        # Patterns read the text as sitekit.text.normalize folds it, so they are folded the same way
        # (a Spanish term written with its accents still matches).
        self.allow_all = [re.compile(fold(p), re.I) for p in language["global_allow"]]
        self.terms = []
        for t in language["terms"]:
            flags = 0 if t.get("case_sensitive") else re.I
            pattern = fold(t["pattern"])
            self.terms.append(
                Term(
                    t["id"],
                    re.compile(pattern, flags),
                    [re.compile(fold(p), re.I) for p in t.get("allow_contexts") or []],
                    t["severity"],
                    list(t["preferred"]),
                    t.get("scope") == "suicide",
                    required_literals(pattern),
                )
            )
        self.detector = re.compile(fold(language["suicide_page_detector"]), re.I)
        self.triggers = [
            (t["id"], re.compile(fold(t["pattern"]), re.I), bool(t.get("only_without_help")))
            for t in language.get("review_triggers") or []
        ]
        conf = {**DEFAULT_READING, **(reading or {})}
        self.max_smog, self.max_fk = conf["max_smog"], conf["max_fk"]
        conf_es = {**DEFAULT_READING_ES, **(reading_es or {})}
        self.min_fh, self.min_sp = conf_es["min_fernandez_huerta"], conf_es["min_szigriszt_pazos"]

    def text(
        self,
        out: list[Report],
        path: str,
        line: int,
        text: str,
        suicide_page: bool,
        quoted: bool = False,
        terms: list[Term] | None = None,
    ) -> None:
        """Report every term to avoid in one line of plain text, read as sitekit.text.normalize folds it
        (look-alike letters, fullwidth forms, accents and invisible characters are the letters a reader
        reads); the message quotes what the editor wrote."""
        quotes = None
        folded, positions = fold_map(text)
        for term in self.terms if terms is None else terms:
            if term.suicide_only and not suicide_page:
                continue
            for m in term.regex.finditer(folded):
                if _allowed(folded, m.start(), m.end(), self.allow_all + term.allow):
                    continue
                if quotes is None:
                    quotes = [(q.start(), q.end()) for q in QUOTE_RE.finditer(folded)]
                in_quote = quoted or any(a <= m.start() < b for a, b in quotes)
                severity = term.severity if not in_quote else WARNING
                code = "LNG001" if severity == ERROR else "LNG002"
                where = " (in a quotation; check it is needed)" if in_quote and term.severity == ERROR else ""
                out.append(
                    (
                        severity,
                        code,
                        path,
                        line,
                        f"{quoted_as(text, positions, m)} ({term.id}){where}",
                        f"say '{term.preferred[0]}' instead",
                    )
                )

    def is_suicide_page(self, page: PageText, words_of: list[str]) -> bool:
        """Whether the page is about suicide or self-harm; ``words_of``: each prose line's folded words."""
        if page.suicide_topic:
            return True
        hits = 0
        for (_line, text), words in zip(page.prose_lines, words_of, strict=True):
            # A mention inside a name the list allows ("988 Suicide & Crisis Lifeline", "Línea 988 de
            # Prevención del Suicidio y Crisis") names the help line; it is not talk about suicide.
            found = [
                m for m in self.detector.finditer(words) if not _allowed(words, m.start(), m.end(), self.allow_all)
            ]
            if found and is_heading(text):
                return True
            hits += len(found)
        return hits >= 2

    def page(self, page: PageText) -> PageResult:
        """Run every page rule (RULES, in order) over one page."""
        result = PageResult()
        words_of = [plain(text) for _line, text in page.prose_lines]
        folded_of = [fold(words) for words in words_of]
        suicide = result.suicide_page = self.is_suicide_page(page, folded_of)
        has_help = any(t.strip().startswith(HELP_BLOCK) for t in page.body.split("\n")[:NEAR_TOP_LINES])
        view = PageView(page, words_of, folded_of, suicide, has_help, result)
        for rule in RULES:
            rule(self, view)
        return result


@dataclass
class PageView:
    """One page as the rules see it: its text, what was worked out once, and the result they add to."""

    page: PageText
    words_of: list  # the plain words of each prose line
    folded_of: list  # the same, as sitekit.text.normalize folds them: what the checks match
    suicide: bool  # the page is about suicide or self-harm
    has_help: bool  # the page has the in-body 988 block near the top
    result: PageResult

    def report(self, severity: str, code: str, line: int, message: str, hint: str = "") -> None:
        self.result.reports.append((severity, code, self.page.path, line, message, hint))


#: The rules every page is checked with, in order. A new check of a page's text is one function here,
#: decorated with @page_rule, plus its code in sitekit/core/codes.py.
RULES: list = []


def page_rule(rule):
    RULES.append(rule)
    return rule


def _terms_in(terms: list[Term], text: str, gate: re.Pattern | None = None) -> list[Term]:
    """The terms whose required words (sitekit.text.prefilter) occur in ``text``: the only ones that can
    match. ``gate`` (`_gate`): one search for any of those words, so most text is ruled out in C."""
    folded = text.casefold()
    if gate is not None and gate.search(folded) is None:
        return []
    return [t for t in terms if may_match(t.literals, folded)]


@lru_cache(maxsize=1024)
def _any_of(literals: frozenset) -> re.Pattern:
    return re.compile("|".join(re.escape(s) for s in sorted(literals)))


def _gate(terms: list[Term]) -> re.Pattern | None:
    """A regex that finds any required word of any of ``terms``; None when one of them has none."""
    if not terms or any(t.literals is None for t in terms):
        return None
    return _any_of(frozenset().union(*(t.literals for t in terms)))


@page_rule
def language_terms(linter: Linter, view: PageView) -> None:
    """LNG001/LNG002: terms to avoid, from data/language.yaml, in the title, summary, key points and body."""
    page, out = view.page, view.result.reports
    # Only the terms whose required words occur on the line (for the fields) or on the page, and
    # then only on the lines that have them.
    gate = _gate(linter.terms)
    for line, written in page.fields:
        text = plain(written)
        terms = _terms_in(linter.terms, fold(text), gate)
        if terms:
            linter.text(out, page.path, line, text, view.suicide, terms=terms)
    page_terms = _terms_in(linter.terms, "\n".join(view.folded_of), gate)
    if not page_terms:
        return
    gate = _gate(page_terms)
    for (line, text), words, folded in zip(page.prose_lines, view.words_of, view.folded_of, strict=True):
        terms = _terms_in(page_terms, folded, gate)
        if terms:
            linter.text(out, page.path, line, words, view.suicide, quoted=is_quote(text), terms=terms)


@page_rule
def review_triggers(linter: Linter, view: PageView) -> None:
    """LNG010: phrases on a page about suicide that a clinician must look at."""
    if not view.suicide:
        return
    triggers = [(tid, rx) for tid, rx, only_without in linter.triggers if not (only_without and view.has_help)]
    # One finding per trigger and page, with every line: a page about overdose names it on many lines,
    # and one standing finding per mention buried everything else in the terminal.
    found: dict[str, list] = {}
    for (line, _text), words, folded in zip(view.page.prose_lines, view.words_of, view.folded_of, strict=True):
        for tid, regex in triggers:
            m = regex.search(folded)
            if m:
                found.setdefault(tid, []).append((line, quoted_as(words, fold_map(words)[1], m)))
    for tid, hits in found.items():
        said = list(dict.fromkeys(w.lower() for _line, w in hits))
        lines = ", ".join(str(line) for line, _w in hits)
        view.report(
            WARNING,
            "LNG010",
            hits[0][0],
            f"{', '.join(said)} on a page about suicide ({tid})" + (f", on lines {lines}" if len(hits) > 1 else ""),
            "a clinician must check this gives safety steps, not detail",
        )


@page_rule
def crisis_block(linter: Linter, view: PageView) -> None:
    """SAFE010: a page about suicide or self-harm shows the 988 block near the top of its body."""
    if view.suicide and not view.has_help:
        view.report(
            ERROR,
            "SAFE010",
            view.page.body_line + 1,
            "page about suicide or self-harm has no in-body 988 block near the top",
            f"add a line '{HELP_BLOCK}' after the first paragraph",
        )


@page_rule
def uncited_claims(linter: Linter, view: PageView) -> None:
    """CLM001: a statistic or an appeal to research with no citation in its paragraph (sitekit.checks.claims)."""
    for line, text in paragraphs(view.page.prose_lines):
        claim = find_claim(text, view.page.lang)
        if claim:
            view.report(
                WARNING,
                "CLM001",
                line,
                f"{claim} with no citation in the paragraph",
                "cite a source with [@key], or leave the claim out",
            )


#: Numbers as US Spanish should write them (content-standards.md es.3): no comma or point between groups
#: of three digits (1,062 and 1.062 read as decimals to many readers: 1062, or 108 000 with a non-breaking
#: space), and a space before the percent sign (16 %).
SPANISH_THOUSANDS_RE = re.compile(r"\b\d{1,3}(?:[,.]\d{3})+\b(?![,.]\d)")
SPANISH_PERCENT_RE = re.compile(r"\d%")


@page_rule
def spanish_numbers(linter: Linter, view: PageView) -> None:
    """ES021: a number in a Spanish page written the English way."""
    if view.page.lang != "es":
        return
    for line, text in [*view.page.fields, *view.page.prose_lines]:
        words = plain(text)
        for m in SPANISH_THOUSANDS_RE.finditer(words):
            view.report(
                WARNING,
                "ES021",
                line,
                f"'{m.group(0)}' groups digits with a comma or point, which many Spanish readers read as a decimal",
                "write 1062, or 108\u00a0000 with a non-breaking space (content-standards.md es.3)",
            )
        if SPANISH_PERCENT_RE.search(words):
            view.report(
                WARNING,
                "ES021",
                line,
                "a percent sign right after its number",
                "write '16 %' with a (non-breaking) space, as the Ortografía asks (content-standards.md es.3)",
            )


@page_rule
def spelling(linter: Linter, view: PageView) -> None:
    """SPL001: words a reader sees that are in neither the dictionary nor data/words.txt, one finding per
    word with its lines and suggestions (sitekit.checks.spelling)."""
    page = view.page
    if page.lang not in LANGUAGES:
        return
    speller = linter.speller
    found = [(line, w) for line, text in page.fields for w in speller.misspelled(text, page.lang)]
    found += [
        (line, w)
        for (line, text), words in zip(page.prose_lines, view.words_of, strict=True)
        for w in speller.misspelled(text, page.lang, words)
    ]
    for word, lines in spell_group(found).items():
        view.report(WARNING, "SPL001", lines[0], *spell_message(word, lines, speller.suggest(word), WORDS_FILE))


#: Fewer sentences than this give no reading level: the formulas mean nothing on a few lines.
READING_MIN_SENTENCES = 5


@page_rule
def reading_level(linter: Linter, view: PageView) -> None:
    """SMOG and Flesch-Kincaid grade of everything a reader reads on the page: the body, the key
    points and the FAQ answers it shows (not tables, references or headings). Raw scores: no term
    is excused, so the figures mean what the formulas' authors meant. A page in Spanish is measured
    with Spanish formulas and Spanish syllables instead (`spanish_reading`)."""
    from .readability import textstat

    lang = view.page.lang
    sents = sentences(view.page.prose_lines, lang) + [
        s for line, text in view.page.reading_extra for s in sentences([(line, text)], lang)
    ]
    if len(sents) < READING_MIN_SENTENCES:
        return
    # Read as the other checks read it, accents kept (Spanish syllables depend on them); ordinary text
    # is unchanged (tests/test_normalize.py holds every page of the real site to that).
    sents = [(line, fold(s, marks=True)) for line, s in sents]
    if lang == "es":
        spanish_reading(linter, view, sents)
        return
    ts = textstat()
    text = " ".join(s for _l, s in sents)
    smog, fk = ts.smog_index(text), ts.flesch_kincaid_grade(text)
    view.result.reading = {"smog": round(smog, 1), "fk": round(fk, 1), "sentences": len(sents)}
    if smog > linter.max_smog or fk > linter.max_fk:
        # SMOG counts words of three or more syllables, so those are what an editor should cut.
        hardest = sorted(sents, key=lambda s: (ts.polysyllabcount(s[1]), len(s[1].split())), reverse=True)
        _hard_to_read(
            view,
            "RDL001",
            f"reading level SMOG {view.result.reading['smog']}, Flesch-Kincaid {view.result.reading['fk']} "
            f"(targets: SMOG {linter.max_smog:g}, Flesch-Kincaid {linter.max_fk:g} or lower)",
            hardest,
        )


def spanish_reading(linter: Linter, view: PageView, sents: list) -> None:
    """ES020: Fernández-Huerta and Szigriszt-Pazos (INFLESZ) of a page in Spanish, with Spanish syllables
    (sitekit.checks.readability.spanish: its own textstat instance, so English figures never change),
    against IOP_READING_ES (content-standards es.5: 'bastante fácil', about 6th grade)."""
    from .readability import spanish

    ts = spanish()
    text = " ".join(s for _l, s in sents)
    fh, sp = ts.fernandez_huerta(text), ts.szigriszt_pazos(text)
    view.result.reading = {
        "fernandez_huerta": round(fh, 1),
        "szigriszt_pazos": round(sp, 1),
        "sentences": len(sents),
        "words": ts.lexicon_count(text),
    }
    if fh < linter.min_fh or sp < linter.min_sp:
        # Both formulas fall with long sentences and long words: those are what to rework first.
        hardest = sorted(sents, key=lambda s: (len(s[1].split()), ts.syllable_count(s[1])), reverse=True)
        _hard_to_read(
            view,
            "ES020",
            f"reading ease Fernández-Huerta {view.result.reading['fernandez_huerta']}, Szigriszt-Pazos "
            f"{view.result.reading['szigriszt_pazos']} (targets: {linter.min_fh:g} and {linter.min_sp:g} or higher)",
            hardest,
        )


def _hard_to_read(view: PageView, code: str, message: str, hardest: list) -> None:
    """A page's reading-level warning, at its first line, naming the three sentences to rework first."""
    listed = "; ".join(f"{f'line {line}' if line else 'a FAQ answer'}: '{_short(text)}'" for line, text in hardest[:3])
    view.report(WARNING, code, view.page.body_line + 1, message, f"shorten these sentences first: {listed}")


@page_rule
def dated_by_hand(linter: Linter, view: PageView) -> None:
    """DATE023: an 'as of' date written by hand; a dated fact is written [As of: ID] with its dates in
    data/dated_facts.yaml (sitekit.text.dated), so the build can warn before it runs out."""
    page = view.page
    for line, text in [*page.fields, *page.prose_lines]:
        if "as " not in text.lower():
            continue
        for written in dated.literals(visible(plain(text))):
            view.report(
                ERROR,
                "DATE023",
                line,
                f"'{written}' is an 'as of' date written by hand",
                "add the fact to data/dated_facts.yaml (its date and the day it runs to) and write [As of: ID], "
                "so the build warns before it runs out",
            )


def quoted_as(text: str, positions, m: re.Match) -> str:
    """A match in folded text, quoted as the editor wrote it, and as it was read when that differs by more
    than the accents of ordinary Latin letters (Spanish 'desintoxicación' is not worth a note)."""
    written = original(text, positions, m.start(), m.end())
    if written == m.group(0) or _unaccented(written) == m.group(0):
        return f"'{written}'"
    return f"'{written}' (read as '{m.group(0)}')"


def _unaccented(text: str) -> str:
    """Precomposed Latin letters with accents as their bare letters (ó -> o, ñ -> n); nothing else changes."""
    return "".join(
        unicodedata.normalize("NFD", c)[0] if len(c) == 1 and "LATIN" in unicodedata.name(c, "") else c for c in text
    )


def _allowed(text: str, start: int, end: int, patterns: list) -> bool:
    lo, hi = max(0, start - WINDOW), min(len(text), end + WINDOW)
    window = text[lo:hi]
    for pattern in patterns:
        for m in pattern.finditer(window):
            if m.start() + lo < end and m.end() + lo > start:
                return True
    return False


def _short(text: str, n: int = 70) -> str:
    return text if len(text) <= n else text[: n - 1].rstrip() + "…"


#: The worker's linter (sitekit.runtime.pool): made once by `prepare`, used by every task.
_PREPARED: dict = {}


def linters(
    languages: dict, reading: dict, reading_es: dict | None = None, words: frozenset = frozenset()
) -> dict[str, Linter]:
    """One Linter per language: language code -> its compiled rules."""
    return {lang: Linter(doc, reading, reading_es, words) for lang, doc in languages.items()}


def prepare(languages: dict, reading: dict, reading_es: dict | None = None, words: frozenset = frozenset()) -> None:
    """In the worker, before its first task: compile the rules and load textstat's and the spelling
    check's dictionaries."""
    _PREPARED["linters"] = linters(languages, reading, reading_es, words)
    dictionary("en")
    from .readability import textstat

    textstat().smog_index("Load the pronouncing dictionary now, ahead of the first page. The build goes on.")


def data_file_reports(linter: Linter, name: str, doc, path: str, schema=None) -> list:
    """The findings of the language lint and the spelling check in a data file's prose fields (the
    schema says which), with the rules of the file's language (data/<lang>/: that language's Linter);
    a record in another language than English (lang: es) is not spell-checked."""
    out = []
    found = []
    file_lang = linter.lang
    gate = _gate(linter.terms)  # as on pages: only the terms whose required words occur on the line
    for record, _field, text, line in prose_fields(doc, schema or DATA_FILES[name][0]):
        written = plain(text)
        terms = _terms_in(linter.terms, fold(written), gate)
        if terms:
            linter.text(out, path, line, written, False, terms=terms)
        lang = lang_of(record.get("lang") if hasattr(record, "get") else None, file_lang)
        if lang in LANGUAGES:
            found += [(line, w) for w in linter.speller.misspelled(str(text), lang)]
    for word, lines in spell_group(found).items():
        out.append(
            (WARNING, "SPL001", path, lines[0], *spell_message(word, lines, linter.speller.suggest(word), WORDS_FILE))
        )
    return out


def data_file_task(lang: str, name: str, doc, path: str, schema=None) -> list:
    return data_file_reports(_PREPARED["linters"][lang], name, doc, path, schema)


def page_task(page: PageText) -> PageResult:
    linters_ = _PREPARED["linters"]
    return linters_.get(page.lang, linters_["en"]).page(page)
