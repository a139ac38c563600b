"""The drift gate of translations (issue 28): a translation is pinned to what its English page showed.

A translated page's `translated_from:` names its English page and the fingerprint of what the
translation must match of it when it was last checked against it: `translated_payload`, the review's
own payload (sitekit.checks.review.payload, by file, record and field) narrowed to what a translator
brings over (the page's own words and the translated fields of the records it shows). Beside it, the
pin keeps that payload as a snapshot in ``data/<lang>/pins/<source>.json``, written by
`make translate-pin`. The build compares:

- The snapshot must hash to the pinned fingerprint: a fingerprint edited by hand, or a snapshot edited
  or lost, is an error (a pin is either the English page as it was, or nothing).
- The English page's fingerprint now against the pinned one: equal, the translation is current;
  different, it has drifted, and `changes` says where, in the English files and at their lines (the
  review's own comparison, sitekit.checks.review.changes): the lines of the English page that changed,
  a front-matter field, a data record's field (an FAQ answer, a care-level cell). Editor-only changes
  (the English page's sign-off, `order`) are not in the review's payload, and the records both pages
  share (references, dated facts) are not in this one, so neither ever causes drift.

Pure functions on plain data: the plugin (iop_lang) reports, the pin command writes.
"""

from __future__ import annotations

import difflib
import json
from dataclasses import dataclass
from pathlib import Path

from ..data.translations import TRANSLATED
from ..text.textprep import ATTR_LIST_RE
from .review import PAGE, digest, payload
from .review import changes as review_changes

PENDING = "sha256:pending"
#: Words of context kept on each side of a change in a message.
CONTEXT_WORDS = 4


@dataclass(frozen=True)
class Change:
    """One difference between the pinned English page and the English page now."""

    path: str  # the English file it is in: content/guides/x.md, data/faqs.yaml, data/references.yaml
    line: int
    what: str  # "the text", "front matter 'title'", "FAQ 'iop-hours' answer", "reference 'x' title"
    before: str
    after: str

    def describe(self) -> str:
        before, after = narrow(self.before, self.after)
        if not before:
            return f"{self.what}: added '{after}'"
        if not after:
            return f"{self.what}: removed '{before}'"
        return f"{self.what}: '{before}' -> '{after}'"


def pin_file(data_path: Path, lang: str, source: str) -> Path:
    """Where the snapshot of a translation's English page is kept: data/<lang>/pins/<source>.json."""
    return Path(data_path) / lang / "pins" / (source.removesuffix(".md") + ".json")


def translated_payload(info, references: dict) -> dict:
    """What a translation must match of its English page: the review's payload (sitekit.checks.review,
    by file, record and field) narrowed to what a translator brings over: the page's own fields (its
    text, title, summary, key points) and the translated fields of the records it shows (an FAQ's
    question and answer, a care level's cells, a crisis line's words and links:
    sitekit.data.translations.TRANSLATED). The records both pages share, the references and the dated
    facts, reach the translation as they are (it shows the same record), so a change to them needs no
    translator: it is the translation's own clinical sign-off that sees it."""
    data = payload(info, references)
    out = {}
    for file, records in data.items():
        if file == PAGE:
            out[file] = records
            continue
        fields = translated_fields(file.removeprefix("data/"))
        if fields:
            out[file] = {label: {k: v for k, v in seen.items() if k in fields} for label, seen in records.items()}
    return out


def translated_fields(name: str) -> set[str]:
    """The fields a translation gives of the records of data file ``name`` (none for a shared file)."""
    return {f for fields in TRANSLATED.get(name, {}).values() for f in fields if f != "lang"}


def _body_of(data: dict) -> dict:
    """The page's own fields of a payload (review.payload: {"page": {"": {..., "body": ...}}})."""
    return data.get(PAGE, {}).get("", {})


def snapshot(info, references: dict, source: str) -> dict:
    """What the pin keeps of an English page: its fingerprint's payload (sitekit.checks.review.payload,
    by file, record and field), with the body as lines so a change to the file reads as a change to a
    few lines of the snapshot."""
    data = translated_payload(info, references)
    kept = json.loads(json.dumps(data, ensure_ascii=False, default=str))
    page = _body_of(kept)
    if isinstance(page.get("body"), str):
        page["body"] = page["body"].split("\n")
    return {"source": source, "fingerprint": digest(data), "payload": kept}


def dump(snap: dict) -> str:
    return json.dumps(snap, ensure_ascii=False, indent=1, sort_keys=True) + "\n"


def restore(snap: dict) -> dict:
    """The payload exactly as the fingerprint hashed it."""
    data = json.loads(json.dumps(snap["payload"]))
    page = _body_of(data)
    if isinstance(page.get("body"), list):
        page["body"] = "\n".join(page["body"])
    return data


def read_pin(path: Path, fingerprint: str) -> tuple[dict | None, str]:
    """(snapshot, "") when the file holds the English page the fingerprint names; (None, the problem)."""
    try:
        snap = json.loads(Path(path).read_text(encoding="utf-8"))
        data = restore(snap)
    except FileNotFoundError:
        return None, "its snapshot is missing"
    except (OSError, ValueError, KeyError, TypeError, AttributeError) as exc:
        return None, f"its snapshot cannot be read ({exc.__class__.__name__})"
    if digest(data) != fingerprint or snap.get("fingerprint") != fingerprint:
        return None, (
            "the snapshot does not hash to that fingerprint (edited by hand, or written before the fingerprint "
            "covered what it covers now)"
        )
    return snap, ""


def changes(snap: dict, info, references: dict, data, data_folder: str = "data") -> list[Change]:
    """Every difference between the pinned English page and the English page now, at its file and line:
    the review gate's own comparison (sitekit.checks.review.changes: by file, record and field), with the
    body's changed lines and each data field's line in its file."""
    old, new = restore(snap), translated_payload(info, references)
    out: list[Change] = []
    for found in review_changes(old, new):
        if found.file == PAGE and found.record == "" and found.field == "body":
            out += _body(found.before or "", found.after or "", info.path, info)
            continue
        if found.file == PAGE:
            name = found.field.split(".")[0].split(" ")[0]
            line = info.front_matter.line_of(name) if hasattr(info.front_matter, "line_of") else 0
            out.append(Change(info.path, line, f"front matter '{found.field}'", found.before or "", found.after or ""))
            continue
        file = found.file.removeprefix("data/")
        out.append(
            Change(
                f"{data_folder}/{file}",
                _data_line(data, file, found.record, found.field),
                f"{found.record} {found.field}",
                _text(found.before),
                _text(found.after),
            )
        )
    return out


def _data_line(data, file: str, record: str, field_name: str) -> int:
    """The line of a record's field in its data file (0 when it cannot be found)."""
    ident = record.rsplit(" ", 1)[-1]
    if file == "references.yaml":
        found = (data.references or {}).get(ident)
    elif file == "faqs.yaml":
        found = next((f for f in data.faqs if f.get("id") == ident), None) or data.topics.get(ident)
    elif file == "care_levels.yaml":
        found = data.levels_by_id.get(ident)
    elif file == "crisis.yaml":
        crisis = data.crisis or {}
        found = next((x for x in [*crisis.get("lines", []), *crisis.get("tiers", [])] if x.get("id") == ident), None)
    else:
        found = None
    if found is None or not hasattr(found, "line_of"):
        return 0
    return found.line_of(field_name.split(".")[0].split(" ")[0])


def _body(old: str, new: str, page: str, info) -> list[Change]:
    a, b = old.split("\n"), new.split("\n")
    out = []
    for tag, i1, i2, j1, j2 in difflib.SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
        if tag == "equal":
            continue
        line = _file_line(info, b, min(j1, max(len(b) - 1, 0)))
        before = " ".join(s.strip() for s in a[i1:i2] if s.strip())
        after = " ".join(s.strip() for s in b[j1:j2] if s.strip())
        if before != after:
            out.append(Change(page, line, "the text", before, after))
    return out


def _file_line(info, lines: list[str], index: int) -> int:
    """The file line of line ``index`` of the normalized body (sitekit.checks.review.normalize_body drops
    leading blank lines, heading ids and runs of blank lines, so the raw body is searched for it)."""
    raw = [ATTR_LIST_RE.sub("", text).rstrip() for text in info.body.replace("\r\n", "\n").split("\n")]
    target = lines[index] if 0 <= index < len(lines) else ""
    guess = index + next((k for k, text in enumerate(raw) if text), 0)
    found = [k for k, text in enumerate(raw) if text == target and text]
    k = min(found, key=lambda k: abs(k - guess)) if found else guess
    return info.body_line + k


def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, str):
        return " ".join(value.split())
    return json.dumps(value, ensure_ascii=False, sort_keys=True)


def narrow(before: str, after: str, context: int = CONTEXT_WORDS) -> tuple[str, str]:
    """The changed words of two texts, with a few words around them: "... until they have recovered"."""
    a, b = before.split(), after.split()
    matcher = difflib.SequenceMatcher(None, a, b, autojunk=False)
    ops = [op for op in matcher.get_opcodes() if op[0] != "equal"]
    if not ops:
        return before, after
    i1, j1 = ops[0][1], ops[0][3]
    i2, j2 = ops[-1][2], ops[-1][4]
    lo_a, lo_b = max(0, i1 - context), max(0, j1 - context)
    hi_a, hi_b = min(len(a), i2 + context), min(len(b), j2 + context)

    def cut(words, lo, hi):
        if lo >= hi:
            return ""
        text = " ".join(words[lo:hi])
        return ("… " if lo > 0 else "") + text + (" …" if hi < len(words) else "")

    return cut(a, lo_a, hi_a), cut(b, lo_b, hi_b)
