"""Load, validate and cross-check every data file; the result is shared by all plugins."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from pathlib import Path

from ..core.diagnostics import DIAG, did_you_mean
from ..text.citations import unknown_key
from ..text.phone import digits, hidden_characters, label_number, phone_href_digits
from . import schema as sch
from .schemas import BOOK_TYPES, DATA_FILES, EMPTY_WHEN_MISSING
from .yamlload import YamlError, load_file, loads


@dataclass
class SiteData:
    """The validated content of ``data/``. A file with errors contributes nothing."""

    path: Path
    references: dict = field(default_factory=dict)
    levels: list = field(default_factory=list)
    faqs: list = field(default_factory=list)
    topics: dict = field(default_factory=dict)
    crisis: dict = field(default_factory=dict)
    reviewers: dict = field(default_factory=dict)
    language: dict = field(default_factory=dict)
    corrections: list = field(default_factory=list)
    dated: dict = field(default_factory=dict)  # dated fact id -> record (dated_facts.yaml)
    #: dated fact id -> (data file name, line, what) of each [As of: id] in the data files' Markdown
    dated_places: dict = field(default_factory=dict)
    docs: dict = field(default_factory=dict)  # file name -> its validated content (for schema-driven checks)
    failed: set = field(default_factory=set)  # files that could not be used: errors that follow from it stay quiet
    ok: bool = True

    @property
    def levels_by_id(self) -> dict:
        return {level["id"]: level for level in self.levels}

    def file(self, name: str) -> Path:
        return self.path / name


def load_site_data(path: str | Path, today: dt.date | None = None, content: str | Path | None = None) -> SiteData:
    """Read every data file in ``path``, report all problems through DIAG, return what is valid.

    ``content`` is the content folder: fields that name a page must name a Markdown file in it."""
    today = today or dt.date.today()
    data = SiteData(Path(path))
    raw = {}
    refs_by_file = {}
    for name, (schema, codes) in DATA_FILES.items():
        file = data.file(name)
        if not file.exists() and name not in EMPTY_WHEN_MISSING:
            DIAG.error(
                codes.missing,
                file,
                0,
                f"data file {name} is missing",
                "create it; its fields are documented in docs/data-files.md",
            )
            data.ok = False
            data.failed.add(name)
            continue
        try:
            doc = load_file(file) if file.exists() else loads(EMPTY_WHEN_MISSING[name])
        except YamlError as exc:
            DIAG.error(codes.syntax, file, exc.line, exc.message, exc.hint)
            data.ok = False
            data.failed.add(name)
            continue
        checker = sch.Checker(str(file), codes, today=today)
        checker.record(doc, schema, 1)
        if not checker.ok:
            data.ok = False
            data.failed.add(name)
            continue
        raw[name] = data.docs[name] = doc
        refs_by_file[name] = checker.cross_refs

    if "references.yaml" in raw:
        _check_references(raw["references.yaml"], data, today)
    if "reviewers.yaml" in raw:
        data.reviewers = {r["id"]: r for r in raw["reviewers.yaml"]["reviewers"]}
    if "care_levels.yaml" in raw:
        data.levels = list(raw["care_levels.yaml"]["levels"])
        _check_levels(data)
    if "faqs.yaml" in raw:
        data.topics = {t["id"]: t for t in raw["faqs.yaml"]["topics"]}
        data.faqs = list(raw["faqs.yaml"]["faqs"])
        _check_faq_topics(data)
    if "crisis.yaml" in raw:
        data.crisis = raw["crisis.yaml"]
        _check_crisis(data, today)
    if "language.yaml" in raw:
        data.language = raw["language.yaml"]
        _check_patterns(data)
    if "corrections.yaml" in raw:
        data.corrections = list(raw["corrections.yaml"]["corrections"])
        _check_corrections(data, today)
    if "dated_facts.yaml" in raw:
        data.dated = {fact["id"]: fact for fact in raw["dated_facts.yaml"]["facts"]}
        _check_dated(data)

    # Citations written inside Markdown prose ([@key] in an answer, a table cell, a crisis line's details).
    for name, doc in raw.items():
        schema, codes = DATA_FILES[name]
        for _record, fld, text, line in sch.prose_fields(doc, schema, markdown_only=True):
            _inline_citations(text, fld.name, line, data.file(name), codes, refs_by_file.setdefault(name, []))
    # Dated facts in the prose: [As of: id] markers, and 'as of' dates written by hand.
    for name, doc in raw.items():
        for record, fld, text, line in sch.prose_fields(doc, DATA_FILES[name][0]):
            _dated_markers(data, name, record, fld, text, line)

    # Citation keys named in data files must exist in references.yaml; pages must exist in content/.
    pages = _markdown_files(Path(content)) if content is not None else None
    for name, refs in refs_by_file.items():
        codes = DATA_FILES[name][1]
        for kind, key, line in refs:
            if kind == "page":
                if pages is not None and key not in pages:
                    data.ok = False
                    DIAG.error(
                        codes.unknown_ref,
                        data.file(name),
                        line,
                        f"'{key}' names no Markdown file in the content folder",
                        did_you_mean(key, pages) or "give the path under content/, e.g. guides/what-is-iop.md",
                    )
            elif "references.yaml" in raw and key not in data.references:
                data.ok = False
                DIAG.error(codes.unknown_ref, data.file(name), line, *unknown_key(key, data.references))
    return data


def _markdown_files(content: Path) -> set[str]:
    return {p.relative_to(content).as_posix() for p in content.rglob("*.md")} if content.is_dir() else set()


def _inline_citations(text: str, name: str, line: int, file: Path, codes, refs: list) -> None:
    from ..text.citations import CITATION_RE, parse_keys

    for m in CITATION_RE.finditer(text):
        keys = parse_keys(m.group(1))
        if keys is None:
            DIAG.error(
                codes.malformed,
                file,
                line,
                f"malformed citation '{m.group(0)}' in {name}",
                "write [@key] or [@key1; @key2]",
            )
            continue
        refs.extend(("reference", key, line) for key in keys)


def _dated_markers(data: SiteData, name: str, record, fld, text: str, line: int) -> None:
    from ..text import dated

    file = data.file(name)
    ident = record.get("id") or record.get("key") if isinstance(record, dict) else None
    what = f"{ident} {fld.name}" if ident else fld.name
    for written in dated.literals(text):
        DIAG.error(
            "DATE023",
            file,
            line,
            f"'{written}' in {what} is an 'as of' date written by hand",
            "add the fact to data/dated_facts.yaml (its date and the day it runs to) and write [As of: ID], "
            "so the build warns before it runs out",
        )
    for written in dated.malformed(text):
        DIAG.error("DATE024", file, line, f"malformed marker '{written}' in {what}", "write [As of: ID] with a fact id")
    for written, fact in dated.markers(text):
        if not fld.markdown:
            DIAG.error(
                "DATE024",
                file,
                line,
                f"'{written}' in {what}: {fld.name} is plain text, where a marker shows as written",
                "put the fact in a Markdown field, or name the field in the fact's also_in",
            )
        elif "dated_facts.yaml" not in data.failed and fact not in data.dated:
            DIAG.error(
                "DATE024",
                file,
                line,
                f"'{written}' in {what} names no fact of data/dated_facts.yaml",
                did_you_mean(fact, data.dated) or "add the fact to data/dated_facts.yaml",
            )
        else:
            data.dated_places.setdefault(fact, []).append((name, line, what))


def _check_dated(data: SiteData) -> None:
    file = data.file("dated_facts.yaml")
    for fact in data.dated.values():
        as_of, until = sch.as_date(fact["as_of"]), sch.as_date(fact["until"])
        if as_of and until and until <= as_of:
            DIAG.error(
                "DATE008",
                file,
                fact.line_of("until"),
                f"fact '{fact['id']}' runs until {until}, not after its date {as_of}",
                "until is the day the rule ends or must be checked again, after as_of",
            )


def _check_patterns(data: SiteData) -> None:
    if not check_patterns(data.language, data.file("language.yaml"), "LANG003"):
        data.ok = False


def check_patterns(lang, file: str, code: str) -> bool:
    """Report every regular expression of a language list (data/language.yaml or a translation's) that does
    not compile, at its line; return whether all of them compile."""
    checks = [(lang, "suicide_page_detector", lang["suicide_page_detector"])]
    checks += [(lang["global_allow"], i, p) for i, p in enumerate(lang["global_allow"])]
    for rec in list(lang["terms"]) + list(lang.get("review_triggers") or []):
        checks.append((rec, "pattern", rec["pattern"]))
        checks += [(rec, "allow_contexts", p) for p in rec.get("allow_contexts") or []]
    ok = True
    for owner, key, pattern in checks:
        try:
            re.compile(pattern)
        except re.error as exc:
            ok = False
            line = owner.line_of(key) if hasattr(owner, "line_of") else 0
            DIAG.error(
                code,
                file,
                line,
                f"pattern '{pattern}' is not a valid regular expression ({exc})",
                "fix the regular expression",
            )
    return ok


def _check_references(doc, data: SiteData, today: dt.date) -> None:
    file = data.file("references.yaml")
    for ref in doc["references"]:
        line = ref.line
        has_address = any(ref.get(k) for k in ("url", "doi", "pmid"))
        if not has_address and ref["type"] not in BOOK_TYPES and not ref.get("no_address"):
            data.ok = False
            DIAG.error(
                "REF002",
                file,
                line,
                f"reference '{ref['key']}' has no url, doi or pmid",
                "add the canonical address so readers can find the source, or, if the vetted list gives none, "
                "say why in 'no_address:'",
            )
        elif has_address and ref.get("no_address"):
            data.ok = False
            DIAG.error(
                "REF002",
                file,
                ref.line_of("no_address"),
                f"reference '{ref['key']}' has an address and 'no_address'",
                "keep the address and remove 'no_address'",
            )
        checked = sch.as_date(ref["checked"])
        if checked and checked > today:
            data.ok = False
            DIAG.error(
                "REF008",
                file,
                ref.line_of("checked"),
                f"checked date {checked} of '{ref['key']}' is in the future",
                "use the date you checked the source",
            )
        data.references[ref["key"]] = ref


def _check_levels(data: SiteData) -> None:
    file = data.file("care_levels.yaml")
    for level in data.levels:
        hours = level["hours_per_week"]
        lo, hi = hours.get("min"), hours.get("max")
        if lo is not None and hi is not None and lo > hi:
            data.ok = False
            DIAG.error(
                "CARE008",
                file,
                hours.line,
                f"hours_per_week of '{level['id']}': min {lo} is more than max {hi}",
                "swap them or correct the source figure",
            )


def _check_faq_topics(data: SiteData) -> None:
    file = data.file("faqs.yaml")
    for faq in data.faqs:
        for topic in faq["topics"]:
            if topic not in data.topics:
                data.ok = False
                DIAG.error(
                    "FAQ007",
                    file,
                    faq.line_of("topics"),
                    f"question '{faq['id']}' names unknown topic '{topic}'",
                    did_you_mean(topic, data.topics) or "add it under topics:",
                )


def _check_crisis(data: SiteData, today: dt.date) -> None:
    file = data.file("crisis.yaml")
    crisis = data.crisis
    for text, line in _strings(crisis, crisis.line):
        hidden = hidden_characters(text)
        if hidden:
            data.ok = False
            DIAG.error(
                "CRISIS003",
                file,
                line,
                f"'{text}' holds {', '.join(hidden)}: what readers see or dial could differ from what is checked",
                "type the text again with plain ASCII digits and no invisible characters",
            )
    tiers = {t["id"] for t in crisis["tiers"]}
    for line in crisis["lines"]:
        if line["tier"] not in tiers:
            data.ok = False
            DIAG.error(
                "CRISIS007",
                file,
                line.line_of("tier"),
                f"line '{line['id']}' names unknown tier '{line['tier']}'",
                did_you_mean(line["tier"], tiers) or f"tiers: {', '.join(sorted(tiers))}",
            )
        for action in line["actions"]:
            for at, message, hint in action_problems(line["id"], action):
                data.ok = False
                DIAG.error("CRISIS003", file, at, message, hint)


def action_problems(line_id: str, action) -> list[tuple[int, str, str]]:
    """(line, message, hint) of what is wrong with a crisis line's action (data/crisis.yaml or a
    translation's): a link that is not tel:, sms: or https:, a banner label that is not part of the
    label, a number dialled that is not the number shown."""
    href, label = action["href"], action["label"]
    dialled = phone_href_digits(href)
    out = []
    if dialled is None and not href.startswith("https://"):
        out.append(
            (
                action.line_of("href"),
                f"link '{href}' of '{line_id}' is not a tel:, sms: or https: address",
                "write tel:988, sms:988 or https://...",
            )
        )
    if action.get("banner_label") and action["banner_label"].casefold() not in label.casefold():
        out.append(
            (
                action.line_of("banner_label"),
                f"banner_label '{action['banner_label']}' is not part of its label '{label}'",
                "use words of the label: screen readers hear the label, and the words a reader sees must be in it",
            )
        )
    if dialled is not None:
        for shown in [label] + ([action["banner_label"]] if action.get("banner_label") else []):
            if dialled != digits(label_number(shown)):
                out.append(
                    (
                        action.line_of("href"),
                        f"link '{href}' dials {dialled} but its text '{shown}' shows "
                        f"{digits(label_number(shown)) or 'no number'}",
                        "make the digits in href and label the same",
                    )
                )
    return out


def _strings(value, line: int):
    """(text, line) of every string in a loaded YAML document, nested ones included, keys too."""
    if isinstance(value, str):
        yield value, line
    elif isinstance(value, dict):
        for key, item in value.items():
            at = value.line_of(key) if hasattr(value, "line_of") else line
            yield from _strings(key, at)
            yield from _strings(item, at)
    elif isinstance(value, list):
        for i, item in enumerate(value):
            yield from _strings(item, value.line_of(i) if hasattr(value, "line_of") else line)


def _check_corrections(data: SiteData, today: dt.date) -> None:
    file = data.file("corrections.yaml")
    for entry in data.corrections:
        day = sch.as_date(entry["date"])
        if day and day > today:
            data.ok = False
            DIAG.error(
                "CORR008",
                file,
                entry.line_of("date"),
                f"correction date {day} is in the future",
                "use the date the page was corrected",
            )
