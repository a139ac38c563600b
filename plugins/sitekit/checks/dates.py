"""Dates that run out: dated facts (data/dated_facts.yaml) and the monthly check of the crisis lines.

A dated fact runs to its `until` date (a rule that ends, or one to check again). The build warns
FACT_WARN_DAYS before that day (DATE020); after it, a preview build warns (DATE021) and a publish
build refuses the site (DATE022), naming every page and data field that shows the fact. The crisis
lines are checked every month: the same codes, CRISIS_WARN_DAYS before `last_verified` is a month old
(a month's check with a 30-day warning would warn all the time). Pure: returns reports, as
sitekit.checks.lint does.
"""

from __future__ import annotations

import datetime as dt

from ..core.diagnostics import ERROR, WARNING
from ..data.schema import as_date
from .review import add_months

FACT_WARN_DAYS = 30
CRISIS_WARN_DAYS = 7
CRISIS_CHECK_MONTHS = 1


def crisis_due(crisis: dict) -> dt.date | None:
    """The day the crisis lines must be checked again: a month after their last check."""
    verified = as_date(crisis.get("last_verified")) if crisis.get("last_verified") else None
    return add_months(verified, CRISIS_CHECK_MONTHS) if verified else None


def fact_reports(facts: dict, file: str, shown: dict, today: dt.date, publish: bool) -> list[tuple]:
    """Reports for every dated fact: ``shown`` maps a fact id to the places that show it."""
    out = []
    for ident, fact in facts.items():
        places = shown.get(ident) or []
        line = fact.line_of("until") if hasattr(fact, "line_of") else 0
        if not places:
            out.append(
                (
                    WARNING,
                    "DATE025",
                    file,
                    fact.line_of("id") if hasattr(fact, "line_of") else 0,
                    f"fact '{ident}' is shown on no page",
                    "write [As of: " + ident + "] where the page states it, or remove the fact",
                )
            )
        until = as_date(fact["until"])
        where = f"shown on {', '.join(places)}" if places else "shown on no page"
        ends = fact.get("kind") == "ends"
        if until < today:
            what = f"fact '{ident}' ({fact['what']}) {'ended' if ends else 'was due to be checked again'} on {until}"
            hint = f"check it again ({fact['check']}), then update the text, as_of and until; a clinician signs again"
            code, severity = ("DATE022", ERROR) if publish else ("DATE021", WARNING)
            out.append((severity, code, file, line, f"{what}: {where}", hint))
        elif (until - today).days <= FACT_WARN_DAYS:
            days = (until - today).days
            verb = "ends" if ends else "must be checked again by"
            out.append(
                (
                    WARNING,
                    "DATE020",
                    file,
                    line,
                    f"fact '{ident}' ({fact['what']}) {verb} {until}, in {days} day{'s' * (days != 1)}: {where}",
                    f"check it ({fact['check']}) and update the text, as_of and until before then; "
                    "a publish build refuses it after that day",
                )
            )
    return out


def crisis_reports(crisis: dict, file: str, today: dt.date, publish: bool) -> list[tuple]:
    due = crisis_due(crisis)
    if due is None:
        return []
    line = crisis.line_of("last_verified") if hasattr(crisis, "line_of") else 0
    hint = "check every line on the services' own pages, then set last_verified (and verified_against)"
    if due < today:
        code, severity = ("DATE022", ERROR) if publish else ("DATE021", WARNING)
        message = f"the crisis lines were last checked on {crisis['last_verified']}; their monthly check was due {due}"
        return [(severity, code, file, line, message, hint)]
    if (due - today).days <= CRISIS_WARN_DAYS:
        days = (due - today).days
        message = f"the crisis lines are due for their monthly check on {due}, in {days} day{'s' * (days != 1)}"
        return [(WARNING, "DATE020", file, line, message, hint)]
    return []
