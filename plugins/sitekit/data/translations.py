"""The data of each translation (issue 28): the same records, with the same ids, in another language.

A translated edition keeps its data in ``data/<lang>/`` (``data/es/`` for Spanish):

- ``faqs.yaml``, ``care_levels.yaml``, ``crisis.yaml``: the words of the English records, record by
  record with the same ids, and nothing else. Numbers, citations, topics and flags stay in the
  English file (one place per fact) and are laid under the translated words (`overlay`). Every English
  record needs its translation and every translated record an English one; every field the English
  record shows needs its translation. A missing one is an error at the translated file's line that
  names the English line, never an English fallback in a translated page. A crisis line's
  `actions` are the translation's own (in Spanish, 988 by text is `sms:988?body=AYUDA`), checked
  like the English ones (digits of the link and of its words).
- ``ui.yaml``: the theme's words, the English text as the id (gettext's rule): `_("Key points")` in a
  template shows the Spanish entry whose `en` is "Key points". Every `_()` of every template needs
  one (sitekit.content.i18n checks them at their template line).
- ``translators.yaml``: who translates and who checks the language, with credentials (shipped names
  are examples, as clinical reviewers are).
- ``language.yaml``: the language's own list of terms to avoid (the format of data/language.yaml).

The files' schemas are derived from the English ones (`overlay_schema`), so a field's kind, its role
(prose is linted in the translation's language) and its documentation are written once.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass, field, replace
from pathlib import Path

from ..core import codes as codes_mod
from ..core.diagnostics import DIAG, did_you_mean
from ..core.lang import LANGUAGES
from . import schema as sch
from .load import check_patterns
from .schema import EDITOR, PROSE, Field, Schema
from .schemas import DATA_FILES, LANGUAGE, REVIEW, REVIEWER
from .yamlload import LineDict, LineList, YamlError, load_file

#: data file -> {list field of the English file ("" for its top level): the fields translated}.
TRANSLATED = {
    "faqs.yaml": {"topics": ("title",), "faqs": ("question", "answer")},
    "care_levels.yaml": {
        "levels": (
            "name",
            "short_name",
            "asam_level",
            "hours_per_week",
            "days_per_week",
            "setting",
            "fits",
            "not_fits",
            "typical_length",
        )
    },
    "crisis.yaml": {
        "": ("heading", "help_page", "help_link_text"),
        "tiers": ("urgency", "heading"),
        "lines": ("name", "lang", "text", "details", "banner_link", "actions"),
    },
}
#: Fields a translation may leave out even where the English record has them.
OPTIONAL = {"lang", "banner_link"}
#: Lists whose records a translation may leave out, with `omit: true`.
OMITTABLE = {"lines"}
#: Fields a translation has in its own right: the whole value is the translation's, not laid over the
#: English one (a crisis line's links: the Spanish text link carries AYUDA).
OWN = {"actions", "help_page", "lang"}

#: The codes of every file of data/<lang>/ (ES001 YAML syntax, ES002 missing record or string, ...).
CODES = codes_mod.family("ES")


def _translated_field(fld: Field) -> Field:
    """The translation's version of one English field: same kind and meaning, required where the
    English record has a value (checked by `_check_complete`, which names the English line)."""
    if fld.kind == "record" and fld.schema is not None:
        inner = [_translated_field(f) for f in fld.schema.fields if f.role != EDITOR and f.kind in ("str", "text")]
        return replace(fld, required=False, schema=Schema(fld.schema.name, fld.schema.doc, inner))
    doc = fld.doc if fld.name in OWN else f"{fld.doc} (translated)"
    return replace(fld, required=False, doc=doc)


def overlay_schema(name: str) -> Schema:
    """The schema of ``data/<lang>/<name>``, derived from the English file's schema."""
    english = DATA_FILES[name][0]
    fields = []
    for list_name, names in TRANSLATED[name].items():
        if list_name == "":
            fields += [_translated_field(english.field(n)) for n in names]
            continue
        fld = english.field(list_name)
        inner = fld.schema
        key = inner.field(inner.key)
        record = Schema(
            inner.name,
            f"The translation of one {inner.name} of data/{name}, by its {inner.key}.",
            [replace(key, doc=f"The {inner.key} of the English record (data/{name}).")]
            + [_translated_field(inner.field(n)) for n in names],
            key=inner.key,
        )
        if list_name in OMITTABLE:
            record.fields.append(
                Field(
                    "omit",
                    "bool",
                    f"true: pages in this language leave this {inner.name} out (say why in a comment), for one "
                    "that would repeat another there (in Spanish, the 988 line is the Spanish line)",
                    required=False,
                    role=EDITOR,
                )
            )
        fields.append(Field(list_name, "records", f"{fld.doc} (translated, same {inner.key}s)", schema=record))
    return Schema(f"<lang>/{name}", f"The translated words of data/{name}, record by record.", fields)


UI_STRING = Schema(
    "ui string",
    "One text of the theme: the English text, as written in the template's `_()`, and its translation.",
    [
        Field("en", "str", 'The English text, exactly as in `_("...")` in a template.', role=EDITOR),
        Field("es", "str", "The Spanish text shown instead.", role=PROSE),
    ],
    key="en",
)
UI = Schema(
    "<lang>/ui.yaml",
    "The theme's words in the translation's language (navigation, labels, notices).",
    [Field("strings", "records", "The texts.", schema=UI_STRING)],
)
TRANSLATOR = Schema(
    "translator",
    "A person who translates pages or checks their language.",
    [
        *[f for f in REVIEWER.fields if f.name != "example"],
        Field(
            "example",
            "bool",
            "true for a made-up example person; the site says so wherever the name is shown.",
            required=False,
            role=EDITOR,
        ),
    ],
    key="id",
)
TRANSLATORS = Schema(
    "<lang>/translators.yaml",
    "Translators and language reviewers of the translated pages (named in each page's `translated_from`).",
    [Field("translators", "records", "The people.", schema=TRANSLATOR)],
)

#: File of data/<lang>/ -> its schema; all are required once the language is in IOP_LANGUAGES.
FILES = {
    "faqs.yaml": overlay_schema("faqs.yaml"),
    "care_levels.yaml": overlay_schema("care_levels.yaml"),
    "crisis.yaml": overlay_schema("crisis.yaml"),
    "ui.yaml": UI,
    "translators.yaml": TRANSLATORS,
    "language.yaml": LANGUAGE,
}
# The translated banner and help lines are on every page of the language: they have a clinical sign-off of
# their own, as data/crisis.yaml has (`make approve PAGE=data/<lang>/crisis.yaml`, iop_review).
FILES["crisis.yaml"].fields.append(
    Field(
        "review",
        "record",
        "The clinical sign-off of the translated banner and help lines (written by `make approve "
        "PAGE=data/<lang>/crisis.yaml`).",
        required=False,
        schema=REVIEW,
        role=EDITOR,
    )
)
codes_mod.add_family("data/<lang>/*.yaml", CODES)


@dataclass
class Edition:
    """One translation's data: the site's data with its words laid over, and its theme words."""

    lang: str
    data: object  # sitekit.data.load.SiteData: faqs, topics, levels, crisis and language translated
    ui: dict = field(default_factory=dict)  # English text -> translation
    ui_lines: dict = field(default_factory=dict)  # English text -> line in ui.yaml
    translators: dict = field(default_factory=dict)
    docs: dict = field(default_factory=dict)  # file name -> validated doc (its prose is linted)
    folder: Path | None = None
    ok: bool = True

    def file(self, name: str) -> Path:
        return self.folder / name


def load_editions(data, languages, today, content=None) -> dict[str, Edition]:
    """Every translation's data, for the languages besides English named in IOP_LANGUAGES."""
    return {lang: load_edition(data, lang, today, content) for lang in languages if lang != "en"}


def load_edition(data, lang: str, today, content=None) -> Edition:
    folder = data.path / lang
    edition = Edition(lang, replace(data, docs={}), folder=folder)
    docs = {}
    for name, schema in FILES.items():
        file = folder / name
        if not file.exists():
            DIAG.error(
                CODES.missing,
                file,
                0,
                f"{LANGUAGES[lang].name} data file {lang}/{name} is missing",
                "create it: every data file of the edition is needed (docs/data-files.md, 'Translations')",
            )
            edition.ok = False
            continue
        try:
            doc = load_file(file)
        except YamlError as exc:
            DIAG.error(CODES.syntax, file, exc.line, exc.message, exc.hint)
            edition.ok = False
            continue
        checker = sch.Checker(str(file), CODES, today=today)
        checker.record(doc, schema, 1)
        if not checker.ok:
            edition.ok = False
            continue
        docs[name] = doc
        for kind, key, line in checker.cross_refs:
            _cross_ref(edition, data, file, kind, key, line, content)
    edition.docs = docs
    out = edition.data
    if "faqs.yaml" in docs and "faqs.yaml" not in data.failed:
        topics = _records(edition, data, "faqs.yaml", "topics", list(data.topics.values()), docs)
        out.topics = {t["id"]: t for t in topics}
        out.faqs = _records(edition, data, "faqs.yaml", "faqs", data.faqs, docs)
    else:
        out.topics, out.faqs = {}, []
        out.failed = out.failed | {"faqs.yaml"}
    if "care_levels.yaml" in docs and "care_levels.yaml" not in data.failed:
        out.levels = _records(edition, data, "care_levels.yaml", "levels", data.levels, docs)
    else:
        out.levels = []
        out.failed = out.failed | {"care_levels.yaml"}
    if "crisis.yaml" in docs and "crisis.yaml" not in data.failed:
        out.crisis = _crisis(edition, data, docs["crisis.yaml"])
    else:
        out.crisis = {}
        out.failed = out.failed | {"crisis.yaml"}
    if "language.yaml" in docs:
        out.language = docs["language.yaml"]
        _check_patterns(edition, docs["language.yaml"])
    else:
        out.language = {}
    if "ui.yaml" in docs:
        for entry in docs["ui.yaml"]["strings"]:
            edition.ui[entry["en"]] = entry["es"]
            edition.ui_lines[entry["en"]] = entry.line_of("es")
    if "translators.yaml" in docs:
        edition.translators = {t["id"]: t for t in docs["translators.yaml"]["translators"]}
    for name, doc in docs.items():
        if name in TRANSLATED:
            _inline_citations(edition, data, name, doc)
    return edition


def _cross_ref(edition, data, file, kind, key, line, content) -> None:
    if kind == "page":
        # Only once the language has pages: a site may carry a translation's data before its first page.
        folder = Path(content) / edition.lang if content is not None else None
        has_pages = folder is not None and folder.is_dir() and any(folder.rglob("*.md"))
        if has_pages and not (Path(content) / key).is_file():
            edition.ok = False
            DIAG.error(
                CODES.unknown_ref,
                file,
                line,
                f"'{key}' names no Markdown file in the content folder",
                f"give the path under content/, e.g. {edition.lang}/guides/get-help-now.md",
            )
    else:
        _check_reference(edition, data, file, key, line)


def _check_reference(edition, data, file, key: str, line: int) -> None:
    """A citation key of a translation's data names a reference of data/references.yaml."""
    if "references.yaml" not in data.failed and key not in data.references:
        edition.ok = False
        DIAG.error(
            CODES.unknown_ref,
            file,
            line,
            f"unknown reference key '{key}'",
            did_you_mean(key, data.references) or "add it to data/references.yaml",
        )


def _english_line(data, name: str, record) -> str:
    line = record.line if hasattr(record, "line") else 0
    return f"data/{name}:{line}" if line else f"data/{name}"


def _records(edition: Edition, data, name: str, list_name: str, english: list, docs: dict) -> list:
    """The English records of one list with their translations laid over, in the English order."""
    file = edition.file(name)
    translated = docs[name][list_name]
    key = FILES[name].field(list_name).schema.key
    by_id = {r[key]: r for r in translated}
    english_ids = {r[key] for r in english}
    for r in translated:
        if r[key] not in english_ids:
            edition.ok = False
            DIAG.error(
                CODES.unknown_ref,
                file,
                r.line_of(key),
                f"{list_name} '{r[key]}' has no English record in data/{name}",
                did_you_mean(r[key], english_ids) or "use the id of the English record, or remove this one",
            )
    out = []
    for rec in english:
        mine = by_id.get(rec[key])
        if mine is not None and mine.get("omit"):
            continue
        if mine is None:
            edition.ok = False
            DIAG.error(
                CODES.missing,
                file,
                translated.line if isinstance(translated, LineList) else 0,
                f"no {LANGUAGES[edition.lang].name} text for {list_name} '{rec[key]}' "
                f"({_english_line(data, name, rec)})",
                f"add '- {key}: {rec[key]}' with its {', '.join(TRANSLATED[name][list_name][:3])}...: a page in "
                f"{edition.lang} never shows English text",
            )
            continue
        schema = FILES[name].field(list_name).schema
        _check_complete(edition, data, name, rec, mine, TRANSLATED[name][list_name], schema)
        out.append(overlay(rec, mine, TRANSLATED[name][list_name]))
    return out


def _check_complete(edition: Edition, data, name: str, english, mine, names, schema: Schema) -> None:
    """Every field the English record shows has its translation (sub-fields of a record too)."""
    file = edition.file(name)
    language = LANGUAGES[edition.lang].name
    for fname in names:
        fld = schema.field(fname)
        if fname in OPTIONAL or english.get(fname) in (None, "", []):
            continue
        value = mine.get(fname)
        where = english.line_of(fname) if hasattr(english, "line_of") else 0
        if value in (None, "", []):
            edition.ok = False
            DIAG.error(
                CODES.missing,
                file,
                mine.line,
                f"'{fname}' of '{mine.get('id', '')}' has no {language} text (data/{name}:{where} has it in English)",
                f"add '{fname}:' with the translation",
            )
        elif fld.markdown and isinstance(value, str):
            _check_markers(
                file,
                mine.line_of(fname) if hasattr(mine, "line_of") else mine.line,
                english[fname],
                value,
                f"data/{name}:{where} ('{fname}' of '{mine.get('id', '')}')",
            )
        elif fld.kind == "record" and fname not in OWN:
            for sub in fld.schema.fields:
                if english[fname].get(sub.name) not in (None, "") and not value.get(sub.name):
                    edition.ok = False
                    DIAG.error(
                        CODES.missing,
                        file,
                        value.line,
                        f"'{fname}.{sub.name}' of '{mine.get('id', '')}' has no {language} text "
                        f"(data/{name}:{english[fname].line_of(sub.name)} has it in English)",
                        f"add '{sub.name}:' under '{fname}:'",
                    )


def _check_markers(file, line: int, english: str, mine: str, where: str) -> None:
    """A translated text shows the same dated facts as its English text, each with its marker ([As of: id],
    shown in the page's language with the fact's date): a date written out by hand instead would never be
    warned about when the rule runs out (sitekit.checks.dates)."""
    from ..text import dated

    for problem in marker_problems(dated.fact_ids(english), dated.fact_ids(mine), lambda _ident: where):
        DIAG.error("TRN027", file, line, *problem)


def marker_problems(english: list[str], mine: list[str], where) -> list[tuple[str, str]]:
    """(message, hint) for each dated-fact marker the English text has and the translation lacks, or the
    reverse; ``where(ident)`` names the English text (a page's own markers each have their line)."""
    out = []
    for ident in sorted(set(english) - set(mine)):
        out.append(
            (
                f"{where(ident)} shows the dated fact '{ident}' with [As of: {ident}]; this translation does not",
                f"write [As of: {ident}] (or [as of: {ident}] inside a sentence) where it says the same: readers see "
                "its date in their language, and the build warns before it runs out; never write the date by hand",
            )
        )
    for ident in sorted(set(mine) - set(english)):
        out.append(
            (
                f"[As of: {ident}] is not in {where(ident)}",
                "a translation shows the dated facts its English text shows, and no others",
            )
        )
    return out


def overlay(english, mine, names) -> LineDict:
    """The English record with the translated fields in place (lines of translated fields point into
    the translation's file)."""
    out = LineDict(copy.copy(english))
    out.line = getattr(mine, "line", 0)
    out.lines = {**getattr(english, "lines", {}), **getattr(mine, "lines", {})}
    for fname in names:
        if fname in OWN:
            if fname in mine:
                out[fname] = mine[fname]
            else:
                out.pop(fname, None)
            continue
        if fname not in mine:
            continue
        if isinstance(english.get(fname), dict) and isinstance(mine[fname], dict):
            merged = LineDict({**english[fname], **mine[fname]})
            merged.line = getattr(mine[fname], "line", 0)
            merged.lines = {**getattr(english[fname], "lines", {}), **getattr(mine[fname], "lines", {})}
            out[fname] = merged
        else:
            out[fname] = mine[fname]
    return out


def _crisis(edition: Edition, data, doc) -> dict:
    from .load import action_problems

    english = data.crisis
    top = overlay(english, doc, TRANSLATED["crisis.yaml"][""])
    top["review"] = doc.get("review") or {}  # its own sign-off, never the English banner's
    _check_complete(edition, data, "crisis.yaml", english, doc, TRANSLATED["crisis.yaml"][""], FILES["crisis.yaml"])
    top["tiers"] = _records(edition, data, "crisis.yaml", "tiers", list(english["tiers"]), {"crisis.yaml": doc})
    top["lines"] = _records(edition, data, "crisis.yaml", "lines", list(english["lines"]), {"crisis.yaml": doc})
    file = edition.file("crisis.yaml")
    for line in doc["lines"]:
        for action in line.get("actions") or []:
            for at, message, hint in action_problems(line["id"], action):
                edition.ok = False
                DIAG.error(CODES.malformed, file, at, message, hint)
    return top


def _check_patterns(edition: Edition, lang_doc) -> None:
    if not check_patterns(lang_doc, edition.file("language.yaml"), CODES.malformed):
        edition.ok = False


def _inline_citations(edition: Edition, data, name: str, doc) -> None:
    from ..text.citations import CITATION_RE, parse_keys

    file = edition.file(name)
    for _record, fld, text, line in sch.prose_fields(doc, FILES[name], markdown_only=True):
        for m in CITATION_RE.finditer(text):
            keys = parse_keys(m.group(1))
            if keys is None:
                edition.ok = False
                DIAG.error(CODES.malformed, file, line, f"malformed citation '{m.group(0)}' in {fld.name}")
                continue
            for key in keys:
                _check_reference(edition, data, file, key, line)
