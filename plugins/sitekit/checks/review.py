"""Clinical review: a fingerprint of what the reader sees, and the state of each page's sign-off.

The fingerprint covers what the reader sees and nothing else: the normalized Markdown body, the
front-matter fields a reader sees (title, summary, key points, section), the fields of the data
records each data block shows, and the reader-facing fields of every cited reference. The schema
says which fields those are (sitekit.data.schema roles), so an editor-only change such as a reference's
`checked:` date never un-approves a page, and any change a reader would see sends it back to review.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import re
from dataclasses import dataclass, field

from ..core.pages import PageInfo
from ..data.schema import as_date, visible
from ..data.schemas import FRONT_MATTER, REFERENCE
from ..text.textprep import ATTR_LIST_RE

MAX_MONTHS = 36
DEFAULT_MONTHS = 12


def normalize_body(body: str) -> str:
    # A heading's attr_list id (`## Qué es un IOP {#what-is-an-iop}`, kept from the English page by a
    # translation) is not something a reader sees: the text around it is (sitekit.text.textprep).
    body = ATTR_LIST_RE.sub("", body) if "{" in body else body
    lines = [line.rstrip() for line in body.replace("\r\n", "\n").replace("\r", "\n").split("\n")]
    text = "\n".join(lines).strip("\n")
    return re.sub(r"\n{3,}", "\n\n", text)


def payload(info: PageInfo, references: dict) -> dict:
    """What the fingerprint covers: what the reader sees of the page, as plain JSON-ready data. A
    translation's pin keeps this of its English page (sitekit.checks.drift), to say what changed."""
    return {
        "body": normalize_body(info.body),
        "front_matter": visible(info.front_matter, FRONT_MATTER),
        "blocks": [[use.name, use.options, use.shown] for use in info.blocks],
        "references": [visible(references.get(k, {}), REFERENCE) for k in info.cited],
    }


def digest(data: dict) -> str:
    """The fingerprint of a payload."""
    return f"sha256:{hashlib.sha256(json.dumps(data, sort_keys=True, ensure_ascii=False).encode()).hexdigest()[:32]}"


def fingerprint(info: PageInfo, references: dict) -> str:
    return digest(payload(info, references))


def add_months(day: dt.date, months: int) -> dt.date:
    month = day.month - 1 + months
    year, month = day.year + month // 12, month % 12 + 1
    for d in (day.day, 30, 29, 28):
        try:
            return dt.date(year, month, d)
        except ValueError:
            continue
    raise ValueError(day)


@dataclass
class ReviewState:
    """What a reader and the publish gate need to know about one page's review."""

    approved: bool = False
    reasons: list = field(default_factory=list)
    reviewer: dict | None = None
    reviewed: dt.date | None = None
    next_review: dt.date | None = None
    example: bool = False
    #: What the preview notice tells a reader, in plain words: a headline, then details. The reasons
    #: above are for editors and the publish gate; readers never see their internal words.
    headline: str = ""
    details: list = field(default_factory=list)

    @property
    def pending(self) -> bool:
        return bool(self.reasons)

    @property
    def reason(self) -> str:
        return "; ".join(self.reasons)


def evaluate(info: PageInfo, reviewers: dict, references: dict, today: dt.date, report=None) -> ReviewState:
    """Work out the review state; ``report(code, line, message, hint)`` receives record errors."""
    fm = info.front_matter
    record = fm.get("review") or {}
    state = ReviewState()
    status = record.get("status", "draft")
    line = record.line if hasattr(record, "line") else fm.line_of("review") if hasattr(fm, "line_of") else 1

    def err(code, key, message, hint):
        if report:
            report(code, record.line_of(key) if hasattr(record, "line_of") else line, message, hint)

    reviewer_id = record.get("reviewer")
    if reviewer_id is not None and reviewer_id not in reviewers:
        err("REVW001", "reviewer", f"unknown reviewer '{reviewer_id}'", "add them to data/reviewers.yaml first")
    state.reviewer = reviewers.get(reviewer_id)
    state.example = bool(state.reviewer and state.reviewer.get("example"))
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
    if status != "approved":
        state.reasons.append(f"not yet approved by a clinician (status: {status})")
        state.headline = NOT_CHECKED
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
        return state
    if record["fingerprint"] != fingerprint(info, references):
        state.reasons.append(f"changed since it was approved on {state.reviewed}")
        state.headline = "A clinician has not yet checked the latest changes to this page."
        state.details.append(f"It changed after a clinician checked it on {long_date(state.reviewed)}.")
    if state.next_review and state.next_review < today:
        state.reasons.append(f"review overdue since {state.next_review}")
        state.headline = state.headline or "This page is due for another check by a clinician."
        state.details.append(f"Its next check was due on {long_date(state.next_review)}.")
    state.approved = not state.reasons
    return state


NOT_CHECKED = "A clinician has not yet checked this page."


def long_date(day: dt.date) -> str:
    """A date as readers in the US write it: November 23, 2026."""
    return f"{day:%B} {day.day}, {day.year}"
