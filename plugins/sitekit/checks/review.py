"""Clinical review: what a reader sees, what a clinician signed, and the state of each sign-off.

This module is the one source of truth for review: the build's gate (plugins/iop_review), the
"went back to review" findings, the reader's "Last reviewed" line, the review desk (`make review`)
and `make approve` all read the `ReviewState` that `evaluate` (or `evaluate_banner`) returns.

What is signed
- A page: its normalized Markdown body, the front-matter fields a reader sees (title, summary, key
  points, section), every data record its blocks show (the fields they show), the reader-facing
  fields of every cited reference and every dated fact it shows. The schema says which fields a
  reader sees (sitekit.data.schema roles), so an editor-only change (a reference's `checked:` date)
  never un-approves a page, and any change a reader would see sends it back to review.
- The crisis banner and help lines of data/crisis.yaml, which are on every page: one sign-off of
  their own (the `review:` block of crisis.yaml) that a publish build requires. A change to the
  banner is one review of the banner, with its own word-level change, rather than the re-approval of
  every page, which a clinician would repeat without reading. Pages whose body shows crisis lines
  (`::: crisis-help`) also carry those records in their own sign-off.

The payload of a sign-off is ``{file: {record: {field: value}}}``, for example
``{"data/faqs.yaml": {"FAQ iop-hours": {"answer": "..."}}}`` (the page's own fields are under
``"page"``). Its fingerprint, in the sign-off record, is the gate. `make approve` also writes the
payload itself beside the sign-off (``data/signoffs/<page>.json``, the snapshot), so the build, the
desk and `make publish` can name the file, record and field that changed and show the change word by
word. The snapshot only explains: a missing or edited snapshot never approves or un-approves a page.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from ..core import codes
from ..core.pages import PageInfo
from ..data.schema import as_date, visible
from ..data.schemas import DATA_FILES, FRONT_MATTER, REFERENCE
from ..data.yamlload import to_plain
from ..text.textprep import ATTR_LIST_RE

MAX_MONTHS = 36
DEFAULT_MONTHS = 12
DUE_SOON_DAYS = 60
#: The folder of the data folder where `make approve` keeps what each clinician signed.
SIGNOFFS = "signoffs"
#: The subject of the banner's sign-off (its snapshot is signoffs/crisis.yaml.json).
BANNER = "crisis.yaml"
#: The payload's key for the page's own fields (its file's name depends on where the project is).
PAGE = "page"
DATA = "data/"
#: How a reason names the page's own fields: "the page's body", "the page's title".
THE_PAGE = "the page's"
#: Fields of crisis.yaml that no reader sees: when and how the lines were checked, and the sign-off.
BANNER_UNSIGNED = ("last_verified", "verified_against", "review")


def normalize_body(body: str) -> str:
    # A heading's attr_list id (`## Qué es un IOP {#what-is-an-iop}`, kept from the English page by a
    # translation) is not something a reader sees: the text around it is (sitekit.text.textprep).
    body = ATTR_LIST_RE.sub("", body) if "{" in body else body
    lines = [line.rstrip() for line in body.replace("\r\n", "\n").replace("\r", "\n").split("\n")]
    text = "\n".join(lines).strip("\n")
    return re.sub(r"\n{3,}", "\n\n", text)


def _record_files() -> dict[str, str]:
    """Schema name of a kind of record -> the data file that holds such records."""
    files = {}
    for name, (schema, _codes) in DATA_FILES.items():
        for fld in schema.fields:
            if fld.schema is not None:
                files.setdefault(fld.schema.name, name)
    return files


RECORD_FILES = _record_files()
#: How a record is named where editors and clinicians read it: "FAQ iop-hours", "care level iop".
LABELS = {"faq": "FAQ", "level": "care level", "line": "crisis line", "tier": "crisis tier", "topic": "FAQ topic"}


def payload(info: PageInfo, references: dict) -> dict:
    """What a reader of this page sees, by file, record and field (the sign-off's payload)."""
    page = dict(visible(info.front_matter, FRONT_MATTER))
    page["body"] = normalize_body(info.body)
    out: dict = {PAGE: {"": page}}
    blocks = []
    for use in info.blocks:
        labels = []
        for schema_name, ident, seen in getattr(use, "records", []):
            file = DATA + RECORD_FILES.get(schema_name, schema_name)
            label = f"{LABELS.get(schema_name, schema_name)} {ident}"
            records = out.setdefault(file, {})
            records[label] = {**records.get(label, {}), **seen}  # a record shown twice: every field shown
            labels.append(label)
        blocks.append(f"{use.name}: {', '.join(labels)}" if labels else use.name)
    if blocks:
        page["data blocks"] = blocks  # which records, in which order
    for key in info.cited:
        out.setdefault(DATA + "references.yaml", {})[f"reference {key}"] = visible(references.get(key, {}), REFERENCE)
    for ident, seen in info.dated.items():
        out.setdefault(DATA + "dated_facts.yaml", {})[f"dated fact {ident}"] = seen
    return out


def banner_payload(crisis: dict) -> dict:
    """What every page shows of data/crisis.yaml: the banner, the footer line and the lines they link to."""
    records: dict = {"banner": {k: to_plain(v) for k, v in crisis.items() if k not in ("tiers", "lines")}}
    for key in BANNER_UNSIGNED:
        records["banner"].pop(key, None)
    for tier in crisis.get("tiers", []):
        records[f"crisis tier {tier.get('id')}"] = to_plain(tier)
    for line in crisis.get("lines", []):
        records[f"crisis line {line.get('id')}"] = to_plain(line)
    return {DATA + BANNER: records}


def digest(data: dict) -> str:
    text = json.dumps(data, sort_keys=True, ensure_ascii=False, default=str)
    return f"sha256:{hashlib.sha256(text.encode()).hexdigest()[:32]}"


def fingerprint(info: PageInfo, references: dict) -> str:
    return digest(payload(info, references))


def banner_fingerprint(crisis: dict) -> str:
    return digest(banner_payload(crisis))


# -- what changed -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Change:
    """One field that differs between what was signed and what readers would see now."""

    file: str  # "page" (the page's own file) or "data/faqs.yaml"
    record: str  # "" for the page's own fields, else "FAQ iop-hours"
    field: str  # "answer", "hours_per_week.text", "actions 2.label"
    before: str | None  # None: not shown when it was signed
    after: str | None  # None: no longer shown

    def where(self, page: str = "") -> str:
        file = page if self.file == PAGE else self.file
        return " ".join(part for part in (file, self.record, self.field) if part)


def _leaves(value, prefix: str = ""):
    if isinstance(value, dict):
        for key in sorted(value, key=str):
            yield from _leaves(value[key], f"{prefix}.{key}" if prefix else str(key))
    elif isinstance(value, list) and any(isinstance(v, (dict, list)) for v in value):
        for i, item in enumerate(value, 1):
            yield from _leaves(item, f"{prefix} {i}")
    elif isinstance(value, list):
        yield prefix, "\n".join(_text(v) for v in value)
    else:
        yield prefix, _text(value)


def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def flatten(data: dict) -> dict[tuple[str, str, str], str]:
    """(file, record, field) -> the text of that field, for every field of a payload."""
    out = {}
    for file, records in data.items():
        for record, fields in (records or {}).items():
            for name, text in _leaves(fields):
                out[(file, record, name)] = text
    return out


def changes(before: dict, after: dict) -> list[Change]:
    """Every field that differs between two payloads, the page's own fields first."""
    old, new = flatten(before), flatten(after)
    keys = sorted(old.keys() | new.keys(), key=lambda k: (k[0] != PAGE, k))
    return [Change(*k, old.get(k), new.get(k)) for k in keys if old.get(k) != new.get(k)]


def describe(found: list[Change], page: str, limit: int = 6) -> str:
    """'content/guides/x.md body; data/faqs.yaml FAQ iop-hours answer', at most ``limit`` named."""
    names = []
    for change in found:
        name = change.where(page)
        if change.before is None:
            name += " (added)"
        elif change.after is None:
            name += " (removed)"
        names.append(name)
    text = "; ".join(names[:limit])
    return text + (f" and {len(names) - limit} more" if len(names) > limit else "")


# -- snapshots of what was signed ---------------------------------------------------------------

SNAPSHOT_NOTE = (
    "What a clinician signed off, written by `make approve`: the page as readers saw it then, by file, "
    "record and field. The review desk and the build compare it with the page now to say what changed. "
    "Never edit it: the sign-off's fingerprint is the gate, and a snapshot that does not match it is ignored."
)


def snapshot_file(signoffs: Path, subject: str) -> Path:
    """Where the snapshot of ``subject`` (a page under content/, or BANNER) is kept."""
    return Path(signoffs) / f"{subject}.json"


def read_snapshot(path: Path, fingerprint_: str | None = None) -> tuple[dict | None, str]:
    """(the snapshot, "") or (None or the snapshot, what is wrong with it). A snapshot whose payload does
    not match its own fingerprint, or the sign-off's, cannot explain that sign-off."""
    try:
        text = Path(path).read_text(encoding="utf-8")
    except FileNotFoundError:
        return None, f"no snapshot of the sign-off ({path.name} is missing)"
    except OSError as exc:
        return None, f"the snapshot {path.name} cannot be read ({exc.strerror})"
    try:
        snap = json.loads(text)
        signed = snap["signed"]
        ok = isinstance(signed["payload"], dict) and digest(signed["payload"]) == signed["fingerprint"]
    except (ValueError, KeyError, TypeError):
        return None, f"the snapshot {path.name} is not one `make approve` wrote"
    if not ok:
        return None, f"the snapshot {path.name} was changed after the sign-off, so it cannot show what was signed"
    if fingerprint_ is not None and signed["fingerprint"] != fingerprint_:
        return snap, f"the snapshot {path.name} is of another sign-off than the one in the record"
    return snap, ""


def write_snapshot(path: Path, subject: str, signed: dict, data: dict) -> None:
    """Record ``signed`` (reviewer, dates, fingerprint, override) with its payload; the sign-off it
    replaces goes to the front of ``earlier``, without its payload."""
    earlier = []
    old, _problem = read_snapshot(path)
    if old is not None:
        earlier = [{k: v for k, v in old["signed"].items() if k != "payload"}, *old.get("earlier", [])]
    snap = {"note": SNAPSHOT_NOTE, "subject": subject, "signed": {**signed, "payload": data}, "earlier": earlier}
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.tmp")
    tmp.write_text(json.dumps(snap, indent=1, ensure_ascii=False, sort_keys=True) + "\n", encoding="utf-8")
    tmp.replace(path)


# -- the state of one sign-off ------------------------------------------------------------------


def add_months(day: dt.date, months: int) -> dt.date:
    month = day.month - 1 + months
    year, month = day.year + month // 12, month % 12 + 1
    for d in (day.day, 30, 29, 28):
        try:
            return dt.date(year, month, d)
        except ValueError:
            continue
    raise ValueError(day)


#: What the desk calls each state (ReviewState.state).
STATES = {
    "approved": "Approved and current",
    "changed": "Changed since sign-off",
    "overdue": "Review overdue",
    "never": "Never approved",
    "not-approved": "Not approved",
    "incomplete": "Sign-off record incomplete",
    "example": "Signed by an example reviewer",
    "exempt": "No clinical review (owner's list)",
}


@dataclass
class ReviewState:
    """What a reader, the publish gate, the desk and `make approve` need to know about one sign-off."""

    approved: bool = False
    reasons: list = field(default_factory=list)
    reviewer: dict | None = None
    reviewer_id: str | None = None
    reviewed: dt.date | None = None
    next_review: dt.date | None = None
    example: bool = False
    #: What the preview notice tells a reader, in plain words: a headline, then details. The reasons
    #: above are for editors and the publish gate; readers never see their internal words.
    headline: str = ""
    details: list = field(default_factory=list)
    state: str = "never"  # a key of STATES
    status: str = "draft"  # the record's status
    fingerprint: str = ""  # of what readers see now
    payload: dict = field(default_factory=dict)  # what readers see now
    changes: list = field(default_factory=list)  # Change, when the page changed since its sign-off
    snapshot: dict | None = None  # what was signed (data/signoffs/...), when there is one
    snapshot_problem: str = ""
    override: str = ""
    due_soon: bool = False
    went_back: bool = False  # signed off, and now pending: the build names it (REVW020)

    @property
    def pending(self) -> bool:
        return bool(self.reasons)

    @property
    def reason(self) -> str:
        return "; ".join(self.reasons)

    @property
    def label(self) -> str:
        return STATES[self.state]


def evaluate(
    info: PageInfo,
    reviewers: dict,
    references: dict,
    today: dt.date,
    report=None,
    *,
    publish: bool = False,
    signoffs: Path | None = None,
    subject: str | None = None,
    label: str = "",
) -> ReviewState:
    """The review state of a page; ``report(code, line, message, hint)`` receives record errors.
    ``signoffs`` (the data folder's signoffs/) and ``subject`` (the page's file under content/) find
    the snapshot that names what changed; ``label`` is how the page's own file is named in reasons
    (by default "the page's": the finding is at the page's file already)."""
    fm = info.front_matter
    record = fm.get("review") or {}
    line = record.line if hasattr(record, "line") else fm.line_of("review") if hasattr(fm, "line_of") else 1
    data = payload(info, references)
    snap = snapshot_file(signoffs, subject) if signoffs is not None and subject else None
    return judge(record, data, reviewers, today, report, line=line, publish=publish, snapshot=snap, label=label)


def evaluate_banner(
    crisis: dict, reviewers: dict, today: dt.date, report=None, *, publish: bool = False, signoffs: Path | None = None
) -> ReviewState:
    """The review state of the crisis banner and help lines (data/crisis.yaml's own `review:` block)."""
    record = crisis.get("review") or {}
    line = record.line if hasattr(record, "line") else crisis.line_of("review") if hasattr(crisis, "line_of") else 1
    snap = snapshot_file(signoffs, BANNER) if signoffs is not None else None
    return judge(record, banner_payload(crisis), reviewers, today, report, line=line, publish=publish, snapshot=snap)


def judge(
    record: dict,
    data: dict,
    reviewers: dict,
    today: dt.date,
    report: Callable | None = None,
    *,
    line: int = 1,
    publish: bool = False,
    snapshot: Path | None = None,
    label: str = "",
) -> ReviewState:
    """The state of one sign-off ``record`` of what readers now see (``data``, a payload)."""
    state = ReviewState(payload=data, fingerprint=digest(data))
    status = state.status = str(record.get("status", "draft"))

    def err(code, key, message, hint):
        if report:
            report(code, record.line_of(key) if hasattr(record, "line_of") else line, message, hint)

    reviewer_id = record.get("reviewer")
    if reviewer_id is not None and reviewer_id not in reviewers:
        err("REVW001", "reviewer", f"unknown reviewer '{reviewer_id}'", "add them to data/reviewers.yaml first")
    state.reviewer_id = reviewer_id
    state.reviewer = reviewers.get(reviewer_id)
    state.example = bool(state.reviewer and state.reviewer.get("example"))
    state.override = str(record.get("override") or "")
    state.reviewed = as_date(record["reviewed"]) if record.get("reviewed") else None
    state.next_review = as_date(record["next_review"]) if record.get("next_review") else None
    if state.reviewed and state.next_review:
        if state.next_review < state.reviewed:
            err(
                "REVW002",
                "next_review",
                f"next review {state.next_review} is before the review date {state.reviewed}",
                "set next_review after reviewed",
            )
        elif state.next_review > add_months(state.reviewed, MAX_MONTHS):
            err(
                "REVW002",
                "next_review",
                f"next review {state.next_review} is more than {MAX_MONTHS} months after {state.reviewed}",
                f"set it at most {MAX_MONTHS} months after the review",
            )
    if state.reviewed and state.reviewed > today:
        err("REVW002", "reviewed", f"review date {state.reviewed} is in the future", "use the date of the sign-off")
    if snapshot is not None:
        state.snapshot, state.snapshot_problem = read_snapshot(snapshot, record.get("fingerprint"))
    if status != "approved":
        state.reasons.append(f"not yet approved by a clinician (status: {status})")
        state.headline = NOT_CHECKED
        state.state = "not-approved" if state.snapshot is not None else "never"
        return state
    missing = [k for k in ("reviewer", "reviewed", "next_review", "fingerprint") if not record.get(k)]
    if missing:
        err(
            "REVW003",
            "status",
            f"approved without {', '.join(missing)}",
            "sign off with `make approve PAGE=... REVIEWER=id`, which records them",
        )
        state.reasons.append("the sign-off record is incomplete")
        state.headline = NOT_CHECKED
        state.state = "incomplete"
        return state
    who = f" by {state.reviewer['name']}" if state.reviewer else ""
    state.state = "approved"
    if record["fingerprint"] != state.fingerprint:
        state.state = "changed"
        if state.snapshot is not None and not state.snapshot_problem:
            state.changes = changes(state.snapshot["signed"]["payload"], data)
            why = f": {describe(state.changes, label or THE_PAGE)}"
        else:
            why = f" (what changed cannot be named: {state.snapshot_problem or 'no snapshot of the sign-off'})"
        state.reasons.append(f"changed since it was approved on {state.reviewed}{who}{why}")
        state.headline = "A clinician has not yet checked the latest changes to this page."
        state.details.append(f"It changed after a clinician checked it on {long_date(state.reviewed)}.")
    if state.next_review and state.next_review < today:
        state.state = "overdue" if state.state == "approved" else state.state
        state.reasons.append(f"review overdue since {state.next_review}")
        state.headline = state.headline or "This page is due for another check by a clinician."
        state.details.append(f"Its next check was due on {long_date(state.next_review)}.")
    elif state.next_review and (state.next_review - today).days <= DUE_SOON_DAYS:
        state.due_soon = True
    state.went_back = bool(state.reasons)
    if state.example and not state.reasons:
        state.state = "example"  # a preview shows it; a publish build refuses it
        if publish:
            state.reasons.append("signed off by an example reviewer, not a real clinician")
            state.headline = NOT_CHECKED
    state.approved = not state.reasons
    return state


def summary(guides) -> dict:
    """How many of ``guides`` a clinician has checked (a sign-off by an example reviewer, which only tests
    use, is not a check) and how many show the notice that they have not been: what the site says of its
    review state (the site-state sentence, in each language about that language's guides)."""
    states = [g.review_state for g in guides if getattr(g, "review_state", None) is not None]
    return {
        "total": len(states),
        "checked": sum(1 for s in states if s.approved and not s.example),
        "notices": sum(1 for s in states if s.pending),
    }


def exempt(rel: str, settings: dict) -> bool:
    """Whether the page at ``rel`` (under content/) needs no clinical sign-off: only the site owner's
    list IOP_REVIEW_EXEMPT says so, never the page itself."""
    return rel in set(settings.get("IOP_REVIEW_EXEMPT") or ())


def refused_by_publish(finding, promote) -> bool:
    """Whether `make publish` refuses this finding of a preview build: an error, a warning it promotes
    (IOP_PROMOTE_WARNINGS), or one it always refuses or reports under another code (codes.refused_by_publish)."""
    return finding.severity == "error" or finding.code in codes.refused_by_publish(promote)


NOT_CHECKED = "A clinician has not yet checked this page."


def long_date(day: dt.date) -> str:
    """A date as readers in the US write it: November 23, 2026."""
    return f"{day:%B} {day.day}, {day.year}"
