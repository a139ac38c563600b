"""What a publish build changes, page by page, since the last publish: added, removed, changed (what a
reader sees: the review fingerprint), each with its review state as the review gate worked it out
(sitekit.checks.review.evaluate, read from the page, never worked out again here).

The record of a publish is kept beside the publish folder (never inside it, so it is not deployed) and
replaced only when the build succeeds (sitekit.runtime.build).
"""

from __future__ import annotations

import datetime as dt
import json

from .review import STATES, fingerprint

VERSION = 1


def page_record(info, item, references: dict, published: bool, is_exempt: bool) -> dict:
    """What the record keeps of one page: address, title, what the reader sees, review state."""
    state = getattr(info, "review", None)
    return {
        "url": "/" + str(item.url).lstrip("/") if item is not None else "(not published)",
        "title": str(item.title if item is not None else info.front_matter.get("title", "")),
        "fingerprint": state.fingerprint if state is not None and state.fingerprint else fingerprint(info, references),
        "review": review_words(state, is_exempt),
        "published": published,
    }


def review_words(state, is_exempt: bool) -> str:
    """A page's review state in a few words, from the review gate's ReviewState."""
    if is_exempt:
        return f"{STATES['exempt'].lower()}: IOP_REVIEW_EXEMPT"
    if state is None:
        return "review state unknown"
    if state.approved:
        who = (state.reviewer or {}).get("name", "a reviewer")
        due = f", next review {state.next_review}" if state.next_review else ""
        return f"approved by {who} on {state.reviewed}{due}"
    return f"{STATES.get(state.state, state.state).lower()}: {state.reason}"


def record(pages: dict, when: dt.datetime) -> str:
    return json.dumps({"version": VERSION, "published": when.isoformat(timespec="minutes"), "pages": pages}, indent=1)


def report(previous: str | None, pages: dict, folder: str) -> str:
    """The lines `make publish` prints: what changed since the record ``previous`` (None: first publish)."""
    old = {}
    since = ""
    if previous:
        try:
            data = json.loads(previous)
            old = data.get("pages", {}) if data.get("version") == VERSION else {}
            since = data.get("published", "")
        except (ValueError, AttributeError):
            old = {}
    live = {path: page for path, page in pages.items() if page["published"]}
    before = {path: page for path, page in old.items() if page.get("published")}
    added = sorted(set(live) - set(before))
    removed = sorted(set(before) - set(live))
    changed = sorted(p for p in set(live) & set(before) if live[p]["fingerprint"] != before[p]["fingerprint"])
    left_out = sorted(p for p, page in pages.items() if not page["published"])
    same = len(live) - len(added) - len(changed)
    head = (
        f"Changes since the last publish into {folder}/ ({since}):"
        if previous and before
        else f"First publish into {folder}/ (no record of an earlier one): every page is new."
    )
    lines = [head]
    for word, paths, source in (("added", added, live), ("changed", changed, live), ("removed", removed, before)):
        for path in paths:
            page = source[path]
            lines.append(f"  {word:8} {page['url']}  {page['title']}  [{path}]")
            if word != "removed":
                lines.append(f"           {page['review']}")
    for path in left_out:
        page = pages[path]
        lines.append(f"  left out {page['url']}  {page['title']}  [{path}]")
        lines.append(f"           {page['review']}")
    if not (added or changed or removed or left_out):
        lines.append("  nothing: every page is as it was")
    lines.append(f"  {same} page{'s' * (same != 1)} unchanged")
    return "\n".join(lines)
