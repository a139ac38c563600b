"""`make approve PAGE=... REVIEWER=id` (or PAGES="a b c", or PAGES=ready): record clinicians' sign-offs.

Never blind, and quick:
1. Before any build, the reviewer is checked: an unknown id, a reviewer marked `example` and one
   without credentials are refused, with the list of reviewers who may sign.
2. One build (in a temporary folder) for every page named; each page is pinned to its own fingerprint
   (sitekit.checks.review, the one source of truth).
3. Each page's open findings are printed. A page with an error, or a warning that `make publish` would
   refuse (IOP_PROMOTE_WARNINGS, codes.PUBLISH_ERRORS), is refused unless OVERRIDE="why" is given; the
   override and the findings it covered are recorded with the sign-off. If any page is refused, nothing
   is signed.
4. Only the `review:` block of each page's front matter (or of data/crisis.yaml, for the crisis banner)
   is rewritten, every other byte stays; what was signed is kept beside it in data/signoffs/ (the
   snapshot the review desk and the build compare with, to say what changed).
"""

from __future__ import annotations

import datetime as dt
import io
import json
import re
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

from ..checks.review import (
    BANNER,
    DEFAULT_MONTHS,
    MAX_MONTHS,
    SIGNOFFS,
    add_months,
    refused_by_publish,
    snapshot_file,
    write_snapshot,
)

#: What PAGES=ready stands for: every page the review desk lists as ready to sign.
READY = "ready"


def review_block(reviewer: str, today: dt.date, months: int, print_: str, override: str = "") -> list[str]:
    block = [
        "review:",
        "  status: approved",
        f"  reviewer: {reviewer}",
        f"  reviewed: {today.isoformat()}",
        f"  next_review: {add_months(today, months).isoformat()}",
        f'  fingerprint: "{print_}"',
    ]
    if override:
        block.append(f"  override: {json.dumps(override, ensure_ascii=False)}")
    return block


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


def rewrite_yaml(text: str, block: list[str]) -> str:
    """Replace (or add at the end) the top-level `review:` block of a YAML data file."""
    newline = "\r\n" if "\r\n" in text else "\n"
    lines = text.split(newline)
    start = next((i for i, line in enumerate(lines) if re.match(r"^review\s*:", line)), None)
    if start is None:
        while lines and not lines[-1].strip():
            lines.pop()
        return newline.join([*lines, *block, ""])
    stop = start + 1
    while stop < len(lines) and lines[stop].startswith((" ", "\t")):
        stop += 1
    lines[start:stop] = block
    return newline.join(lines)


@dataclass
class Target:
    """One thing to sign: a page (its file under content/) or the crisis banner (BANNER)."""

    name: str  # as the clinician wrote it
    path: Path
    subject: str  # the page's file under content/, or BANNER
    info: object = None  # PageInfo
    state: object = None  # ReviewState
    findings: list = field(default_factory=list)
    blocking: list = field(default_factory=list)
    refusal: str = ""

    @property
    def banner(self) -> bool:
        """The crisis banner, English (BANNER) or a translation's ("es/crisis.yaml")."""
        return self.subject == BANNER or self.subject.endswith("/" + BANNER)


def known_reviewers(reviewers: dict) -> str:
    real = [f"{rid} ({r['name']}, {r['credentials']})" for rid, r in reviewers.items() if not r.get("example")]
    return "; ".join(real) or "none yet: add a real clinician to data/reviewers.yaml (with their consent)"


def check_reviewer(reviewer: str, reviewers: dict) -> str:
    """Why ``reviewer`` may not sign, or ""."""
    known = known_reviewers(reviewers)
    who = reviewers.get(reviewer)
    if who is None:
        return f"unknown reviewer '{reviewer}' (reviewers who may sign: {known})"
    if who.get("example"):
        return (
            f"'{reviewer}' is an example reviewer, not a real clinician, and cannot sign off pages "
            f"(reviewers who may sign: {known})"
        )
    if not str(who.get("credentials") or "").strip():
        return f"reviewer '{reviewer}' has no credentials in data/reviewers.yaml; add them first (readers see them)"
    return ""


def load_reviewers(settings: dict) -> tuple[dict | None, list[str]]:
    """data/reviewers.yaml alone, validated, before any build: (reviewers, problems)."""
    from ..core.diagnostics import DIAG
    from ..data import schema as sch
    from ..data.schemas import DATA_FILES
    from ..data.yamlload import YamlError, load_file

    path = Path(settings["IOP_DATA_PATH"]) / "reviewers.yaml"
    try:
        doc = load_file(path)
    except FileNotFoundError:
        return None, [f"{path}: no such file (reviewers are listed there)"]
    except YamlError as exc:
        return None, [f"{path}:{exc.line}: {exc.message}"]
    schema, codes = DATA_FILES["reviewers.yaml"]
    DIAG.reset()  # no build has started: the checker's findings are this file's alone
    checker = sch.Checker(str(path), codes)
    checker.record(doc, schema, 1)
    if not checker.ok:
        return None, [f.format() for f in DIAG.findings]
    return {r["id"]: r for r in doc["reviewers"]}, []


def approve(
    pages: list[str] | str,
    reviewer: str,
    months: int = DEFAULT_MONTHS,
    settings: str = "pelicanconf.py",
    today: dt.date | None = None,
    override: str | None = None,
    out=None,
) -> int:
    """Sign off ``pages`` (files, "data/crisis.yaml" for the banner, or READY) for ``reviewer``."""
    out = out or sys.stdout
    started = time.perf_counter()
    names = [pages] if isinstance(pages, str) else list(pages)
    override = (override or "").strip()

    def refuse(message: str, code: int = 2) -> int:
        print(f"approve: {message}", file=sys.stderr)
        return code

    if not names:
        return refuse('name the pages to sign: PAGE=content/guides/x.md, PAGES="a b" or PAGES=ready')
    if not 1 <= months <= MAX_MONTHS:
        return refuse(f"MONTHS must be 1 to {MAX_MONTHS}")
    if READY in names and len(names) > 1:
        return refuse(f"PAGES={READY} signs every page the review desk lists as ready; name no other page with it")
    from pelican.settings import read_settings

    try:
        conf = read_settings(str(Path(settings).resolve()))
    except Exception as exc:  # noqa: BLE001 - a settings file that cannot be read is the editor's to fix
        return refuse(f"the settings file {settings} cannot be read ({exc})")
    reviewers, problems = load_reviewers(conf)
    if reviewers is None:
        return refuse("data/reviewers.yaml has problems; fix them first:\n  " + "\n  ".join(problems))
    why = check_reviewer(reviewer, reviewers)
    if why:
        return refuse(why)
    content = Path(conf["PATH"]).resolve()
    crisis = (Path(conf["IOP_DATA_PATH"]) / BANNER).resolve()
    # Each translation's banner (data/<lang>/crisis.yaml) is signed the same way (issue 28).
    translated = {
        (Path(conf["IOP_DATA_PATH"]) / lang / BANNER).resolve(): f"{lang}/{BANNER}"
        for lang in conf.get("IOP_LANGUAGES", ())
        if lang != "en"
    }
    targets: list[Target] = []
    for name in names if names != [READY] else []:
        path = Path(name).resolve()
        if path == crisis:
            targets.append(Target(name, path, BANNER))
        elif path in translated:
            targets.append(Target(name, path, translated[path]))
        elif not path.is_file():
            return refuse(f"{name}: no such file")
        elif content not in path.parents or path.suffix != ".md":
            return refuse(f"{name} is not a page of this site (a Markdown file under {content}) or {crisis}")
        else:
            targets.append(Target(name, path, path.relative_to(content).as_posix()))

    from ..core.diagnostics import DIAG
    from ..runtime.build import build
    from ..runtime.state import RUN
    from .desk import blocking_findings, page_findings

    with tempfile.TemporaryDirectory() as tmp:
        log = io.StringIO()
        build(settings, overrides={"OUTPUT_PATH": str(Path(tmp) / "output")}, stream=log)
    data = RUN.data
    if data is None or not data.ok or [f for f in DIAG.errors if f.path.startswith("data/")]:
        print(log.getvalue(), file=sys.stderr, end="")
        return refuse("fix the errors in the data files above before signing off (what a page shows is unknown)", 1)
    promote = RUN.settings["IOP_PROMOTE_WARNINGS"]
    by_path = {str(Path(p).resolve()): info for p, info in RUN.pages.items()}
    if names == [READY]:
        from .desk import collect

        targets = [Target(row.path, Path(row.source), row.subject) for row in collect(RUN, DIAG.findings) if row.ready]
        if not targets:
            print("Nothing is ready to sign: the review desk (make review) says what each page needs.", file=out)
            return 0
    for target in targets:
        if target.banner:
            target.state = RUN.banner if target.subject == BANNER else RUN.banners.get(target.subject.split("/")[0])
            if target.state is None:
                target.refusal = "its data file could not be read; the build's errors are above"
                continue
        else:
            target.info = by_path.get(str(target.path))
            if target.info is None or not target.info.front_matter:
                target.refusal = "it could not be read; the build's errors are above"
                continue
            target.state = target.info.review
            if target.state is None:
                target.refusal = "it needs no clinical sign-off (the owner's IOP_REVIEW_EXEMPT lists it)"
                continue
        target.findings = page_findings(target.subject, target.info, DIAG.findings, data)
        target.blocking = blocking_findings(target.findings, promote)
        if target.blocking and not override:
            target.refusal = (
                f"{len(target.blocking)} finding(s) that `make publish` would refuse; fix them, or sign with "
                'OVERRIDE="why you sign anyway" (recorded with the sign-off)'
            )
    refused = [t for t in targets if t.refusal]
    for target in targets:
        _show(target, out, promote)
    if refused:
        if any(t.info is None and not t.banner for t in refused):
            print(log.getvalue(), file=sys.stderr, end="")
        print(f"\nNothing was signed. Refused: {len(refused)} of {len(targets)}:", file=sys.stderr)
        for target in refused:
            print(f"  {target.name}: {target.refusal}", file=sys.stderr)
        return 1

    today = today or dt.date.today()
    who = reviewers[reviewer]
    signoffs = data.path / SIGNOFFS
    for target in targets:
        state = target.state
        covered = [f.format() for f in target.blocking]
        note = override if covered else ""
        block = review_block(reviewer, today, months, state.fingerprint, note)
        text = target.path.read_text(encoding="utf-8")
        target.path.write_text((rewrite_yaml if target.banner else rewrite)(text, block), encoding="utf-8")
        signed = {
            "reviewer": reviewer,
            "name": who["name"],
            "credentials": who["credentials"],
            "reviewed": today.isoformat(),
            "next_review": add_months(today, months).isoformat(),
            "fingerprint": state.fingerprint,
            "override": note,
            "overridden": covered,
        }
        write_snapshot(snapshot_file(signoffs, target.subject), target.subject, signed, state.payload)
    seconds = time.perf_counter() - started
    print(
        f"\nSigned {len(targets)} page{'s' * (len(targets) != 1)} for {who['name']}, {who['credentials']} on {today}; "
        f"next review due {add_months(today, months)}. One build for all: {seconds:.1f} s "
        f"({seconds / len(targets):.2f} s a page).",
        file=out,
    )
    print("Commit the changed files and data/signoffs/ together.", file=out)
    return 0


def _show(target: Target, out, promote) -> None:
    what = (
        "the crisis banner and help lines (on every page)"
        if target.subject == BANNER
        else f"the crisis banner and help lines of {target.subject}"
        if target.banner
        else target.name
    )
    state = target.state
    head = f"{what}: {state.label if state is not None else 'cannot be signed'}"
    if state is not None and state.reasons and state.state != "never":
        head += f" ({state.reason})"
    print(head, file=out)
    for finding in target.findings:
        mark = "would stop publish" if refused_by_publish(finding, promote) else "open"
        print(f"  [{mark}] {finding.format()}", file=out)
