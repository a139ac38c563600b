"""`make approve PAGE=content/... REVIEWER=id`: record a clinician's sign-off in the front matter.

It builds the site in memory to compute the page's fingerprint (body, data blocks, references),
then rewrites only the `review:` block of the front matter; every other byte stays as it was.
"""

from __future__ import annotations

import datetime as dt
import io
import re
import sys
import tempfile
from pathlib import Path

from ..checks.review import DEFAULT_MONTHS, MAX_MONTHS, add_months, fingerprint


def review_block(reviewer: str, today: dt.date, months: int, print_: str) -> list[str]:
    return [
        "review:",
        "  status: approved",
        f"  reviewer: {reviewer}",
        f"  reviewed: {today.isoformat()}",
        f"  next_review: {add_months(today, months).isoformat()}",
        f'  fingerprint: "{print_}"',
    ]


def rewrite(text: str, block: list[str]) -> str:
    """Replace (or add) the review block of the front matter, leaving everything else untouched."""
    newline = "\r\n" if "\r\n" in text else "\n"
    lines = text.split(newline)
    if not lines or lines[0].strip() != "---":
        raise ValueError("the file has no front matter")
    end = next(i for i in range(1, len(lines)) if lines[i].strip() in ("---", "..."))
    start = next((i for i in range(1, end) if re.match(r"^review\s*:", lines[i])), None)
    if start is None:
        lines[end:end] = block
    else:
        stop = start + 1
        while stop < end and (lines[stop].startswith((" ", "\t")) or not lines[stop].strip()):
            stop += 1
        lines[start:stop] = block
    return newline.join(lines)


def approve(
    page: str,
    reviewer: str,
    months: int = DEFAULT_MONTHS,
    settings: str = "pelicanconf.py",
    today: dt.date | None = None,
) -> int:
    from ..core.diagnostics import DIAG
    from ..runtime.build import build
    from ..runtime.state import RUN

    path = Path(page).resolve()
    if not path.is_file():
        print(f"approve: {page}: no such file", file=sys.stderr)
        return 2
    if not 1 <= months <= MAX_MONTHS:
        print(f"approve: MONTHS must be 1 to {MAX_MONTHS}", file=sys.stderr)
        return 2
    with tempfile.TemporaryDirectory() as tmp:
        log = io.StringIO()
        code = build(settings, overrides={"OUTPUT_PATH": str(Path(tmp) / "output")}, stream=log)
    info = RUN.pages.get(str(path))
    data = RUN.data
    own = [f for f in DIAG.errors if Path(f.path).resolve() == path or f.path.startswith("data/")]
    if code != 0 and (info is None or own):
        print(log.getvalue(), file=sys.stderr, end="")
        print(f"approve: fix the errors above before signing off {page}", file=sys.stderr)
        return 1
    if info is None or data is None:
        print(f"approve: {page} is not a page of this site (is it under content/?)", file=sys.stderr)
        return 2
    if reviewer not in data.reviewers:
        known = ", ".join(data.reviewers) or "none"
        print(
            f"approve: unknown reviewer '{reviewer}' (known: {known}); add them to data/reviewers.yaml", file=sys.stderr
        )
        return 2
    today = today or dt.date.today()
    print_ = fingerprint(info, data.references)
    text = path.read_text(encoding="utf-8")
    path.write_text(rewrite(text, review_block(reviewer, today, months, print_)), encoding="utf-8")
    who = data.reviewers[reviewer]
    print(
        f"Approved {page}: reviewed by {who['name']}, {who['credentials']} on {today}; "
        f"next review due {add_months(today, months)}."
    )
    if who.get("example"):
        print("Note: this is an example reviewer; the publish build refuses pages they signed off.")
    return 0
