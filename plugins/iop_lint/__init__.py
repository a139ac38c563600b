"""Language, safe-messaging and reading-level checks on every page, from data/language.yaml.

Codes: LNG001 term to avoid (error), LNG002 term to reconsider (warning, or an error term in a
quotation), LNG010 phrase a clinician must look at on a suicide page, SAFE010 suicide page
without an in-body 988 block near the top, RDL001 reading level above the target.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from pelican import signals

from sitekit.diagnostics import DIAG, ERROR
from sitekit.pages import PAGES, PageInfo
from sitekit.run import RUN
from sitekit.textprep import is_heading, is_quote, plain, sentences

WINDOW = 80
QUOTE_RE = re.compile(r"\"[^\"]*\"|“[^”]*”")
HELP_BLOCK = "::: crisis-help"
NEAR_TOP_LINES = 25
DEFAULT_READING = {"target_smog": 8.0, "exclude": []}


@dataclass
class Term:
    id: str
    regex: re.Pattern
    allow: list
    severity: str
    preferred: list
    suicide_only: bool


def compile_terms(language: dict) -> tuple[list[Term], list, re.Pattern, list]:
    allow_all = [re.compile(p, re.I) for p in language["global_allow"]]
    terms = []
    for t in language["terms"]:
        flags = 0 if t.get("case_sensitive") else re.I
        terms.append(Term(t["id"], re.compile(t["pattern"], flags),
                          [re.compile(p, re.I) for p in t.get("allow_contexts") or []],
                          t["severity"], list(t["preferred"]), t.get("scope") == "suicide"))
    detector = re.compile(language["suicide_page_detector"], re.I)
    triggers = [(t["id"], re.compile(t["pattern"], re.I)) for t in language.get("review_triggers") or []]
    return terms, allow_all, detector, triggers


def allowed(text: str, start: int, end: int, patterns: list) -> bool:
    lo, hi = max(0, start - WINDOW), min(len(text), end + WINDOW)
    window = text[lo:hi]
    for pattern in patterns:
        for m in pattern.finditer(window):
            if m.start() + lo < end and m.end() + lo > start:
                return True
    return False


def lint_text(path: str, line: int, text: str, terms, allow_all, suicide_page: bool,
              quoted: bool = False) -> None:
    """Report every term to avoid in one line of plain text."""
    quotes = [(m.start(), m.end()) for m in QUOTE_RE.finditer(text)]
    for term in terms:
        if term.suicide_only and not suicide_page:
            continue
        for m in term.regex.finditer(text):
            if allowed(text, m.start(), m.end(), allow_all + term.allow):
                continue
            in_quote = quoted or any(a <= m.start() < b for a, b in quotes)
            severity = term.severity if not in_quote else "warning"
            code = "LNG001" if severity == ERROR else "LNG002"
            where = " (in a quotation; check it is needed)" if in_quote and term.severity == ERROR else ""
            DIAG.report(severity, code, path, line, f"'{m.group(0)}' ({term.id}){where}",
                        f"say '{term.preferred[0]}' instead")


def is_suicide_page(info: PageInfo, detector: re.Pattern) -> bool:
    if info.front_matter.get("suicide_topic"):
        return True
    hits = 0
    for _line, text in info.prose_lines:
        found = detector.findall(plain(text))
        if found and is_heading(text):
            return True
        hits += len(found)
    return hits >= 2


def reading_level(info: PageInfo, settings: dict) -> None:
    import textstat

    conf = {**DEFAULT_READING, **settings.get("IOP_READING", {})}
    sents = sentences(info.prose_lines)
    if len(sents) < 5:
        return
    excluded = [(re.compile(term, re.I), short) for term, short in conf["exclude"]]

    def adjust(text: str) -> str:
        for pattern, short in excluded:
            text = pattern.sub(short, text)
        return text

    raw = " ".join(s for _l, s in sents)
    adjusted = adjust(raw)
    info.reading = {
        "smog": round(textstat.smog_index(adjusted), 1),
        "fk": round(textstat.flesch_kincaid_grade(adjusted), 1),
        "smog_raw": round(textstat.smog_index(raw), 1),
        "fk_raw": round(textstat.flesch_kincaid_grade(raw), 1),
        "sentences": len(sents),
    }
    if info.reading["smog"] > conf["target_smog"]:
        # SMOG counts words of three or more syllables, so those are what an editor should cut.
        hardest = sorted(sents, key=lambda s: (textstat.polysyllabcount(adjust(s[1])), len(s[1].split())),
                         reverse=True)[:3]
        listed = "; ".join(f"line {line}: '{_short(text)}'" for line, text in hardest)
        DIAG.warning("RDL001", info.path, info.body_line + 1,
                     f"reading level SMOG {info.reading['smog']}, Flesch-Kincaid {info.reading['fk']} "
                     f"(target SMOG {conf['target_smog']:g} or lower)",
                     f"shorten these sentences first: {listed}")


def _short(text: str, n: int = 70) -> str:
    return text if len(text) <= n else text[: n - 1].rstrip() + "…"


def check(_generators) -> None:
    data = RUN.data
    if data is None or not data.language:
        return
    terms, allow_all, detector, triggers = compile_terms(data.language)
    for info in PAGES.values():
        if not info.front_matter:
            continue
        suicide = is_suicide_page(info, detector)
        info.suicide_page = suicide
        fm = info.front_matter
        for key in ("title", "summary"):
            if key in fm:
                lint_text(info.path, fm.line_of(key), str(fm[key]), terms, allow_all, suicide)
        for point_line, point in zip(getattr(fm.get("key_points"), "lines", []),
                                     fm.get("key_points") or [], strict=False):
            lint_text(info.path, point_line, str(point), terms, allow_all, suicide)
        for line, text in info.prose_lines:
            words = plain(text)
            lint_text(info.path, line, words, terms, allow_all, suicide, quoted=is_quote(text))
            if suicide:
                for tid, regex in triggers:
                    m = regex.search(words)
                    if m:
                        DIAG.warning("LNG010", info.path, line,
                                     f"'{m.group(0)}' on a page about suicide ({tid})",
                                     "a clinician must check this gives safety steps, not detail")
        if suicide:
            near_top = [t for line, t in _body_lines(info)[:NEAR_TOP_LINES]]
            if not any(t.strip().startswith(HELP_BLOCK) for t in near_top):
                DIAG.error("SAFE010", info.path, info.body_line + 1,
                           "page about suicide or self-harm has no in-body 988 block near the top",
                           f"add a line '{HELP_BLOCK}' after the first paragraph")
        reading_level(info, RUN.settings)
    for name, records, fields in (("faqs.yaml", data.faqs, ("question", "answer")),
                                  ("care_levels.yaml", data.levels, ("fits", "not_fits", "setting"))):
        for rec in records:
            for fld in fields:
                lint_text(str(data.file(name)), rec.line_of(fld), plain(str(rec.get(fld, ""))),
                          terms, allow_all, False)


def _body_lines(info: PageInfo):
    return list(enumerate(info.body.split("\n"), start=info.body_line))


def register() -> None:
    signals.all_generators_finalized.connect(check)
