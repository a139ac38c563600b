"""The drift gate of translations (issue 28): a translation is pinned to what its English page showed.

A translated page's `translated_from:` names its English page and that page's review fingerprint
(sitekit.checks.review) when the translation was last checked against it. Beside it, the pin keeps a
snapshot of what that fingerprint covers (`review.payload`: the English text, the front matter a
reader sees, the data records its blocks showed, its references) in ``data/<lang>/pins/<source>.json``,
written by `make translate-pin`. The build compares:

- The snapshot must hash to the pinned fingerprint: a fingerprint edited by hand, or a snapshot edited
  or lost, is an error (a pin is either the English page as it was, or nothing).
- The English page's fingerprint now against the pinned one: equal, the translation is current;
  different, it has drifted, and `changes` says where, in the English files and at their lines: the
  lines of the English page that changed, a front-matter field, a data record's field (an FAQ answer,
  a care-level cell, a reference's title). Editor-only changes (a reference's `checked:` date, the
  English page's sign-off) are not in the fingerprint, so they never cause drift.

Pure functions on plain data: the plugin (iop_lang) reports, the pin command writes.
"""

from __future__ import annotations

import difflib
import json
from dataclasses import dataclass
from pathlib import Path

from ..text.textprep import ATTR_LIST_RE
from .review import digest, payload

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


def snapshot(info, references: dict, source: str) -> dict:
    """What the pin keeps of an English page: its fingerprint's payload (the body as lines, so a change to
    the file reads as a change to a few lines), its cited keys and the records its blocks showed."""
    data = payload(info, references)
    return {
        "source": source,
        "fingerprint": digest(data),
        "cited": list(info.cited),
        "payload": {**data, "body": data["body"].split("\n")},
    }


def dump(snap: dict) -> str:
    return json.dumps(snap, ensure_ascii=False, indent=1, sort_keys=True) + "\n"


def restore(snap: dict) -> dict:
    """The payload exactly as the fingerprint hashed it."""
    data = dict(snap["payload"])
    data["body"] = "\n".join(data["body"])
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
        return None, "the snapshot is not the English page that fingerprint names (edited by hand?)"
    return snap, ""


def changes(snap: dict, info, references: dict, data_folder: str = "data") -> list[Change]:
    """Every difference between the pinned English page and the English page now, where it is now."""
    old = restore(snap)
    new = payload(info, references)
    page = info.path
    out: list[Change] = []
    out += _body(old["body"], new["body"], page, info)
    fm = info.front_matter
    for key in sorted(set(old["front_matter"]) | set(new["front_matter"])):
        a, b = old["front_matter"].get(key), new["front_matter"].get(key)
        if a != b:
            line = fm.line_of(key) if hasattr(fm, "line_of") else 0
            out.append(Change(page, line, f"front matter '{key}'", _text(a), _text(b)))
    out += _blocks(old["blocks"], new["blocks"], info, page, data_folder)
    out += _references(snap.get("cited", []), old["references"], info.cited, new["references"], references, data_folder)
    for key in sorted((set(old) | set(new)) - {"body", "front_matter", "blocks", "references"}):
        if old.get(key) != new.get(key):  # anything the fingerprint covers besides
            out.append(Change(page, 0, key, _text(old.get(key)), _text(new.get(key))))
    return out


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


def _blocks(old: list, new: list, info, page: str, data_folder: str) -> list[Change]:
    out = []
    for i, nb in enumerate(new):
        ob = old[i] if i < len(old) else None
        if ob is None or ob[:2] != nb[:2]:
            continue  # a block added, removed or given other options: the body's own lines say so
        sources = info.blocks[i].sources if i < len(info.blocks) else []
        if len(ob[2]) != len(nb[2]):
            file = sources[0][0] if sources else ""
            out.append(
                Change(
                    f"{data_folder}/{file}" if file else page,
                    0,
                    f"the block '::: {nb[0]}' shows {len(nb[2])} records",
                    f"{len(ob[2])} records",
                    f"{len(nb[2])} records",
                )
            )
            continue
        for k, (orec, nrec) in enumerate(zip(ob[2], nb[2], strict=True)):
            if orec == nrec:
                continue
            file, ident, line, lines = sources[k] if k < len(sources) else ("", None, 0, {})
            for name in sorted(set(orec) | set(nrec)):
                if orec.get(name) != nrec.get(name):
                    label = f"{_RECORD_NAMES.get(file, 'record')} '{ident}' {name}" if ident else f"{file} {name}"
                    out.append(
                        Change(
                            f"{data_folder}/{file}" if file else page,
                            lines.get(name, line),
                            label,
                            _text(orec.get(name)),
                            _text(nrec.get(name)),
                        )
                    )
    return out


_RECORD_NAMES = {"faqs.yaml": "FAQ", "care_levels.yaml": "care level", "crisis.yaml": "crisis line"}


def _references(old_keys, old_refs, new_keys, new_refs, references: dict, data_folder: str) -> list[Change]:
    out = []
    before = dict(zip(old_keys, old_refs, strict=False))
    for key, ref in zip(new_keys, new_refs, strict=False):
        was = before.get(key)
        if was is None or was == ref:
            continue  # a source cited anew: the body's lines that cite it say so
        record = references.get(key)
        for name in sorted(set(was) | set(ref)):
            if was.get(name) != ref.get(name):
                line = record.line_of(name) if hasattr(record, "line_of") else 0
                out.append(
                    Change(
                        f"{data_folder}/references.yaml",
                        line,
                        f"reference '{key}' {name}",
                        _text(was.get(name)),
                        _text(ref.get(name)),
                    )
                )
    return out


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
