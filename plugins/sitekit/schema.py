"""A small schema language for the YAML data files: one definition validates and documents.

Codes, with the file's prefix (``REF``, ``CARE``, ``FAQ``, ``CRISIS``, ``REV``, ``LANG``):
001 YAML syntax, 002 missing field, 003 malformed value, 004 wrong type,
005 unknown field, 006 duplicate id, 007 unknown cross-reference, 008 impossible value.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from .diagnostics import DIAG, did_you_mean
from .yamlload import LineDict, LineList

# A DOI suffix with no digit at all is almost always a truncated DOI (10.1176/appi).
DOI_RE = re.compile(r"^10\.\d{4,9}/(?=\S*\d)\S+$")
PMID_RE = re.compile(r"^[1-9]\d{0,8}$")
ID_RE = re.compile(r"^[a-z0-9][a-z0-9_-]*$")
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
    "record": "a mapping with the fields below",
    "records": "a list of mappings with the fields below",
}


@dataclass
class Field:
    """One field of a record: its kind, whether it is required, and what it means."""

    name: str
    kind: str
    doc: str
    required: bool = True
    choices: tuple = ()
    schema: Schema | None = None
    minimum: int | None = None
    maximum: int | None = None
    example: Any = None


@dataclass
class Schema:
    """The fields of one kind of record; ``key`` names the field that must be unique."""

    name: str
    doc: str
    fields: list[Field]
    key: str | None = None

    def field(self, name: str) -> Field | None:
        return next((f for f in self.fields if f.name == name), None)


@dataclass
class Checker:
    """Validates one file against its schema and reports through DIAG."""

    path: str
    code: str
    cross_refs: list = field(default_factory=list)  # (kind, value, line)
    ok: bool = True

    def err(self, n: int, line: int, message: str, hint: str = "") -> None:
        self.ok = False
        DIAG.error(f"{self.code}{n:03d}", self.path, line, message, hint)

    def record(self, data, schema: Schema, line: int, where: str = "") -> None:
        if not isinstance(data, dict):
            self.err(4, line, f"{where or schema.name} should be a mapping of fields, "
                     f"found {_kind_name(data)}", f"expected the fields: {_field_list(schema)}")
            return
        for name in data:
            if schema.fields and schema.field(str(name)) is None:
                hint = did_you_mean(name, [f.name for f in schema.fields]) or (
                    f"known fields: {_field_list(schema)}")
                self.err(5, _line(data, name, line), f"unknown field '{name}'{_in(where)}", hint)
        for fld in schema.fields:
            if fld.name not in data or data[fld.name] is None:
                if fld.required:
                    self.err(2, _line(data, None, line),
                             f"missing required field '{fld.name}'{_in(where)}",
                             f"add '{fld.name}:' ({fld.doc.rstrip('.')}; {KIND_DOCS[fld.kind]})")
                continue
            self.value(data[fld.name], fld, _line(data, fld.name, line), where)

    def value(self, value, fld: Field, line: int, where: str) -> None:
        label = f"{fld.name}{_in(where)}"
        kind = fld.kind
        if kind == "records":
            if not isinstance(value, list):
                self.err(4, line, f"'{label}' should be a list, found {_kind_name(value)}",
                         "write each entry on a line starting with '- '")
                return
            seen: dict = {}
            key = fld.schema.key
            for i, item in enumerate(value):
                item_line = value.line_of(i) if isinstance(value, LineList) else line
                ident = item.get(key) if key and isinstance(item, dict) else None
                self.record(item, fld.schema, item_line, f"{fld.name} '{ident}'" if ident else
                            f"{fld.name} entry {i + 1}")
                if ident is not None:
                    if ident in seen:
                        self.err(6, _line(item, key, item_line),
                                 f"duplicate {key} '{ident}' in {fld.name}",
                                 f"it is already used on line {seen[ident]}; each {key} must be unique")
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
                self.err(4, line, f"'{label}' should be {KIND_DOCS[kind]}, found {_kind_name(value)}",
                         f"for example: {fld.name}: [{fld.example or 'first, second'}]")
                return
            for v in value:
                if kind == "ids" and not ID_RE.match(str(v)):
                    self.err(3, line, f"'{label}' has '{v}', which is not an id", KIND_DOCS["id"])
                if kind == "citations":
                    self.cross_refs.append(("reference", str(v), line))
            return
        problem = check_scalar(value, fld)
        if problem:
            number, message = problem
            self.err(number, line, f"{fld.name} {message}{_in(where)}",
                     f"expected {KIND_DOCS[kind]}" + (f": {', '.join(map(str, fld.choices))}"
                                                      if fld.choices else ""))


def check_scalar(value, fld: Field):
    """Return (code number, message) for a bad scalar value, or None."""
    kind = fld.kind
    if kind in ("str", "text", "url", "doi", "id", "enum"):
        if isinstance(value, bool) or not isinstance(value, (str, int, float)):
            return 4, f"should be {KIND_DOCS[kind]}, found {_kind_name(value)}"
        value = str(value)
        if not value.strip():
            return 2, "is empty"
        if kind == "str" and "\n" in value.strip():
            return 3, "should fit on one line"
        if kind == "url" and not URL_RE.match(value):
            return 3, f"'{value}' is not an https:// address"
        if kind == "doi" and not DOI_RE.match(value):
            return 3, f"'{value}' is not a DOI"
        if kind == "id" and not ID_RE.match(value):
            return 3, f"'{value}' is not a valid id"
        if kind == "enum" and value not in fld.choices:
            hint = did_you_mean(value, fld.choices)
            return 3, f"'{value}' is not allowed" + (f" ({hint})" if hint else "")
        return None
    if kind == "pmid":
        if isinstance(value, bool) or not PMID_RE.match(str(value)):
            return 3, f"'{value}' is not a PubMed ID"
        return None
    if kind == "int":
        if isinstance(value, bool) or not isinstance(value, int):
            return 4, f"should be {KIND_DOCS[kind]}, found {_kind_name(value)}"
        if fld.minimum is not None and value < fld.minimum:
            return 8, f"{value} is below the smallest possible value {fld.minimum}"
        if fld.maximum is not None and value > fld.maximum:
            return 8, f"{value} is above the largest possible value {fld.maximum}"
        return None
    if kind == "bool":
        return None if isinstance(value, bool) else (4, f"should be true or false, found '{value}'")
    if kind == "date":
        if isinstance(value, dt.datetime):
            value = value.date()
        if isinstance(value, dt.date):
            return None
        try:
            dt.date.fromisoformat(str(value))
        except ValueError:
            return 3, f"'{value}' is not a date"
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
    out = [f"{'#' * level} {schema.name}", "", schema.doc, "",
           "| field | required | kind | meaning |", "| --- | --- | --- | --- |"]
    nested = []
    for f in schema.fields:
        kind = KIND_DOCS[f.kind]
        if f.choices:
            kind += ": " + ", ".join(f"`{c}`" for c in f.choices)
        if f.minimum is not None or f.maximum is not None:
            lo = "" if f.minimum is None else f.minimum
            hi = "" if f.maximum is None else f.maximum
            kind += f" ({lo}–{hi})"
        out.append(f"| `{f.name}` | {'yes' if f.required else 'no'} | {kind} | {f.doc} |")
        if f.schema is not None:
            nested.append(f.schema)
    out.append("")
    for sub in nested:
        out.append(document(sub, level + 1))
    return "\n".join(out)


Validator = Callable[[dict, Checker], None]
