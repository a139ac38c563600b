"""A small schema language for the YAML data files: one definition validates and documents.

Each file reports with its own family of codes (sitekit.core.codes.SchemaCodes: REF001 YAML syntax,
REF002 missing field, REF003 malformed value ...).
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from typing import Any

from ..core.codes import SchemaCodes
from ..core.diagnostics import DIAG, did_you_mean
from ..text.imagesyntax import images_in, no_alt
from .yamlload import LineDict, LineList

# A DOI suffix with no digit at all is almost always a truncated DOI (10.1176/appi).
DOI_RE = re.compile(r"^10\.\d{4,9}/(?=\S*\d)\S+$")
PMID_RE = re.compile(r"^[1-9]\d{0,8}$")
ID_RE = re.compile(r"^[a-z0-9][a-z0-9_-]*$")
MARKUP_RE = re.compile(r"<\s*[A-Za-z!/?]")  # the start of an HTML tag, comment or declaration
PAGE_RE = re.compile(r"^(?!/)(?!.*\.\.)[\w./-]+\.md$")
URL_RE = re.compile(r"^https://[A-Za-z0-9.-]+\.[A-Za-z]{2,}(?::\d+)?(?:/\S*)?$")

# What each kind accepts, for messages and for the generated documentation.
KIND_DOCS = {
    "str": "text on one line",
    "text": "Markdown text",
    "int": "a whole number",
    "bool": "true or false",
    "date": "a date, YYYY-MM-DD",
    "url": "an https:// address",
    "doi": "a DOI, 10.NNNN/...",
    "pmid": "a PubMed ID, digits only",
    "id": "an id: lower-case letters, digits, - and _",
    "enum": "one of the listed values",
    "list": "a list of text values",
    "ids": "a list of ids",
    "citations": "a list of reference keys from references.yaml",
    "page": "a Markdown file in content/, e.g. guides/what-is-iop.md",
    "record": "a mapping with the fields below",
    "records": "a list of mappings with the fields below",
}


#: Who a field is for. The lint, the citation engine, the reading level and the review fingerprint
#: all read this one flag, so no list elsewhere says which fields are prose.
PROSE = "prose"  # our words to the reader: language lint; citations and reading level when Markdown
SHOWN = "shown"  # the reader sees it (names, titles, numbers, links): in the review fingerprint
EDITOR = "editor"  # only editors see it (ids, check dates, flags): never un-approves a page
ROLE_DOCS = {
    PROSE: "prose (shown; checked for language; Markdown fields take citations)",
    SHOWN: "shown to readers",
    EDITOR: "for editors only",
}


@dataclass
class Field:
    """One field of a record: its kind, whether it is required, who it is for, and what it means."""

    name: str
    kind: str
    doc: str
    required: bool = True
    choices: tuple = ()
    schema: Schema | None = None
    minimum: int | None = None
    maximum: int | None = None
    example: Any = None
    role: str = SHOWN
    past: bool = False  # a date that cannot be in the future (a check, a review, a publication)

    @property
    def markdown(self) -> bool:
        """Rendered from Markdown (and sanitized); every other text field is plain text, escaped."""
        return self.kind == "text"


@dataclass
class Schema:
    """The fields of one kind of record; ``key`` names the field that must be unique."""

    name: str
    doc: str
    fields: list[Field]
    key: str | None = None

    def field(self, name: str) -> Field | None:
        return next((f for f in self.fields if f.name == name), None)


def visible(record, schema: Schema, fields=None):
    """The part of a validated record the reader sees (for the review fingerprint): every field that is
    not for editors, nested records included, as plain JSON-ready data. ``fields`` narrows it to the
    fields a block shows."""
    from .yamlload import to_plain

    out = {}
    for fld in schema.fields:
        if fld.role == EDITOR or fld.name not in record or (fields is not None and fld.name not in fields):
            continue
        value = record[fld.name]
        if fld.kind == "record" and isinstance(value, dict):
            value = visible(value, fld.schema)
        elif fld.kind == "records" and isinstance(value, list):
            value = [visible(v, fld.schema) for v in value if isinstance(v, dict)]
        else:
            value = to_plain(value)
        out[fld.name] = value
    return out


def prose_fields(record, schema: Schema, markdown_only: bool = False):
    """Yield (record, field, text, line) for every prose field of a validated record, nested ones
    included; a list field yields each item with its own line."""
    if not isinstance(record, dict):
        return
    for fld in schema.fields:
        value = record.get(fld.name)
        if value is None:
            continue
        if fld.kind == "record":
            yield from prose_fields(value, fld.schema, markdown_only)
        elif fld.kind == "records":
            for item in value if isinstance(value, list) else []:
                yield from prose_fields(item, fld.schema, markdown_only)
        elif fld.role == PROSE and (fld.markdown or not markdown_only):
            if isinstance(value, list):
                for i, item in enumerate(value):
                    yield record, fld, str(item), _item_line(value, i, record.line_of(fld.name))
            else:
                yield record, fld, str(value), record.line_of(fld.name)


@dataclass
class Checker:
    """Validates one file against its schema and reports through DIAG."""

    path: str
    codes: SchemaCodes
    cross_refs: list = field(default_factory=list)  # (kind, value, line)
    ok: bool = True
    today: dt.date = field(default_factory=dt.date.today)

    def err(self, kind: str, line: int, message: str, hint: str = "") -> None:
        """Report a problem of one kind (a field of SchemaCodes: "missing", "malformed", ...). The file
        stays usable after a problem with a value's content (markup shown as text, a date in the
        future): the build fails on the error, but nothing that depends on the file reports again."""
        if kind not in ("markup", "impossible"):
            self.ok = False
        DIAG.error(getattr(self.codes, kind), self.path, line, message, hint)

    def record(self, data, schema: Schema, line: int, where: str = "") -> None:
        if not isinstance(data, dict):
            self.err(
                "wrong_type",
                line,
                f"{where or schema.name} should be a mapping of fields, found {_kind_name(data)}",
                f"expected the fields: {_field_list(schema)}",
            )
            return
        for name in data:
            if schema.fields and schema.field(str(name)) is None:
                hint = did_you_mean(name, [f.name for f in schema.fields]) or (f"known fields: {_field_list(schema)}")
                self.err("unknown_field", _line(data, name, line), f"unknown field '{name}'{_in(where)}", hint)
        for fld in schema.fields:
            if fld.name not in data or data[fld.name] is None:
                if fld.required:
                    self.err(
                        "missing",
                        _line(data, None, line),
                        f"missing required field '{fld.name}'{_in(where)}",
                        f"add '{fld.name}:' ({fld.doc.rstrip('.')}; {KIND_DOCS[fld.kind]})",
                    )
                continue
            self.value(data[fld.name], fld, _line(data, fld.name, line), where)

    def value(self, value, fld: Field, line: int, where: str) -> None:
        label = f"{fld.name}{_in(where)}"
        kind = fld.kind
        if kind == "records":
            if not isinstance(value, list):
                self.err(
                    "wrong_type",
                    line,
                    f"'{label}' should be a list, found {_kind_name(value)}",
                    "write each entry on a line starting with '- '",
                )
                return
            seen: dict = {}
            key = fld.schema.key
            for i, item in enumerate(value):
                item_line = value.line_of(i) if isinstance(value, LineList) else line
                ident = item.get(key) if key and isinstance(item, dict) else None
                self.record(
                    item, fld.schema, item_line, f"{fld.name} '{ident}'" if ident else f"{fld.name} entry {i + 1}"
                )
                if ident is not None:
                    if ident in seen:
                        self.err(
                            "duplicate",
                            _line(item, key, item_line),
                            f"duplicate {key} '{ident}' in {fld.name}",
                            f"it is already used on line {seen[ident]}; each {key} must be unique",
                        )
                    else:
                        seen[ident] = _line(item, key, item_line)
            return
        if kind == "record":
            self.record(value, fld.schema, line, fld.name)
            return
        if kind in ("list", "ids", "citations"):
            if isinstance(value, str) and kind != "list":
                value = [value]
            if not isinstance(value, list) or not all(isinstance(v, (str, int)) for v in value):
                self.err(
                    "wrong_type",
                    line,
                    f"'{label}' should be {KIND_DOCS[kind]}, found {_kind_name(value)}",
                    f"for example: {fld.name}: [{fld.example or 'first, second'}]",
                )
                return
            for v in value:
                if kind == "ids" and not ID_RE.match(str(v)):
                    self.err("malformed", line, f"'{label}' has '{v}', which is not an id", KIND_DOCS["id"])
                if kind == "citations":
                    self.cross_refs.append(("reference", str(v), line))
            return
        problem = check_scalar(value, fld)
        if kind == "page" and not problem:
            self.cross_refs.append(("page", str(value), line))
        if problem:
            problem_kind, message = problem
            self.err(
                problem_kind,
                line,
                f"{fld.name} {message}{_in(where)}",
                f"expected {KIND_DOCS[kind]}" + (f": {', '.join(map(str, fld.choices))}" if fld.choices else ""),
            )
            return
        problem = self.content(value, fld, line, label)
        if problem:
            problem_kind, message = problem
            hint = (
                "write plain text here; only fields marked Markdown in docs/data-files.md take formatting"
                if problem_kind == "markup"
                else "use a date that has passed"
            )
            self.err(problem_kind, line, f"{message}{_in(where)}", hint)

    def content(self, value, fld: Field, line: int, label: str):
        """Checks of a valid value's content: markup where none belongs, dates in the future."""
        if fld.kind == "str" and fld.role != EDITOR and MARKUP_RE.search(str(value)):
            return "markup", (f"{fld.name} is plain text, so '{_short(str(value))}' would show the markup as written")
        if fld.markdown and fld.role != EDITOR:  # shown like a page: what the sanitizer removes is an error here
            from ..text.sanitize import check_markdown

            for removal in check_markdown(str(value)):
                DIAG.error(removal.code, self.path, line, f"{removal.message} (in {label})", removal.hint)
            if "![" in str(value) or "<img" in str(value).lower():
                for src, alt in images_in(str(value)):
                    if no_alt(alt):
                        DIAG.error(
                            "IMG001",
                            self.path,
                            line,
                            f"image '{src}' has no alt text (in {label})",
                            "describe what the image shows between the square brackets: ![What it shows](...)",
                        )
        if fld.kind == "date" and fld.past:
            day = as_date(value)
            if day and day > self.today:
                return "impossible", f"{fld.name} {day} is in the future"
        return None


def check_scalar(value, fld: Field):
    """Return (kind of problem, message) for a bad scalar value, or None."""
    kind = fld.kind
    if kind in ("str", "text", "url", "doi", "id", "enum", "page"):
        if isinstance(value, bool) or not isinstance(value, (str, int, float)):
            return "wrong_type", f"should be {KIND_DOCS[kind]}, found {_kind_name(value)}"
        value = str(value)
        if not value.strip():
            return "missing", "is empty"
        if kind == "str" and "\n" in value.strip():
            return "malformed", "should fit on one line"
        if kind == "url" and not URL_RE.match(value):
            return "malformed", f"'{value}' is not an https:// address"
        if kind == "doi" and not DOI_RE.match(value):
            return "malformed", f"'{value}' is not a DOI"
        if kind == "page" and not PAGE_RE.match(value):
            return "malformed", f"'{value}' is not a Markdown file in content/ (like guides/what-is-iop.md)"
        if kind == "id" and not ID_RE.match(value):
            return "malformed", f"'{value}' is not a valid id"
        if kind == "enum" and value not in fld.choices:
            hint = did_you_mean(value, fld.choices)
            return "malformed", f"'{value}' is not allowed" + (f" ({hint})" if hint else "")
        return None
    if kind == "pmid":
        if isinstance(value, bool) or not PMID_RE.match(str(value)):
            return "malformed", f"'{value}' is not a PubMed ID"
        return None
    if kind == "int":
        if isinstance(value, bool) or not isinstance(value, int):
            return "wrong_type", f"should be {KIND_DOCS[kind]}, found {_kind_name(value)}"
        if fld.minimum is not None and value < fld.minimum:
            return "impossible", f"{value} is below the smallest possible value {fld.minimum}"
        if fld.maximum is not None and value > fld.maximum:
            return "impossible", f"{value} is above the largest possible value {fld.maximum}"
        return None
    if kind == "bool":
        return None if isinstance(value, bool) else ("wrong_type", f"should be true or false, found '{value}'")
    if kind == "date":
        if isinstance(value, dt.datetime):
            value = value.date()
        if isinstance(value, dt.date):
            return None
        try:
            dt.date.fromisoformat(str(value))
        except ValueError:
            return "malformed", f"'{value}' is not a date"
        return None
    raise ValueError(f"unknown field kind {kind!r}")  # a programming error, not an editor's


def as_date(value) -> dt.date | None:
    """Return a date for a validated date value."""
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value))
    except ValueError:
        return None


def _item_line(value, index: int, default: int) -> int:
    return value.line_of(index) if isinstance(value, LineList) else default


def _line(data, key, default: int) -> int:
    if isinstance(data, LineDict):
        return data.line_of(key) if key is not None else data.line
    return default


def _in(where: str) -> str:
    return f" in {where}" if where else ""


def _field_list(schema: Schema) -> str:
    return ", ".join(f.name for f in schema.fields)


def _kind_name(value) -> str:
    if value is None:
        return "nothing"
    if isinstance(value, bool):
        return f"'{str(value).lower()}'"
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, list):
        return "a list"
    return f"'{value}'"


def document(schema: Schema, level: int = 3) -> str:
    """Return Markdown documentation of a schema and its nested records."""
    out = [
        f"{'#' * level} {schema.name}",
        "",
        schema.doc,
        "",
        "| field | required | kind | for | meaning |",
        "| --- | --- | --- | --- | --- |",
    ]
    nested = []
    for f in schema.fields:
        kind = KIND_DOCS[f.kind]
        if f.choices:
            kind += ": " + ", ".join(f"`{c}`" for c in f.choices)
        if f.minimum is not None or f.maximum is not None:
            lo = "" if f.minimum is None else f.minimum
            hi = "" if f.maximum is None else f.maximum
            kind += f" ({lo}–{hi})"
        out.append(f"| `{f.name}` | {'yes' if f.required else 'no'} | {kind} | {ROLE_DOCS[f.role]} | {f.doc} |")
        if f.schema is not None:
            nested.append(f.schema)
    out.append("")
    for sub in nested:
        out.append(document(sub, level + 1))
    return "\n".join(out)


def _short(text: str, n: int = 60) -> str:
    text = " ".join(text.split())
    return text if len(text) <= n else text[: n - 1] + "…"
