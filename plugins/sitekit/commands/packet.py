"""`make review`: the review packet for clinicians, kept out of the published site.

For every page: status, reviewer, dates, whether review is due within 60 days or overdue,
reading level, lint findings and number of citations; and per page the diff of its source
since the commit that recorded its last sign-off (from git), with the citations added or
removed since then. Written as review/index.html (for clinicians) and review/packet.txt.
"""

from __future__ import annotations

import datetime as dt
import io
import subprocess
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from jinja2 import Environment

from ..text.citations import CITATION_RE, parse_keys

DUE_SOON_DAYS = 60


@dataclass
class PageReport:
    path: str
    title: str
    status: str
    reviewer: str
    reviewed: str
    next_review: str
    due_soon: bool
    overdue: bool
    reasons: str
    reading: dict
    findings: list
    citations: int
    approved_in: str = ""
    diff: str = ""
    added: list = field(default_factory=list)
    removed: list = field(default_factory=list)


def cited_keys(text: str) -> set[str]:
    keys = set()
    for m in CITATION_RE.finditer(text):
        keys.update(parse_keys(m.group(1)) or [])
    return keys


def _git(args: list[str], cwd: Path) -> tuple[int, str]:
    try:
        proc = subprocess.run(["git", *args], cwd=cwd, capture_output=True, text=True, timeout=30)
    except (OSError, subprocess.TimeoutExpired) as exc:
        return 1, str(exc)
    return proc.returncode, proc.stdout


def history(path: Path) -> tuple[str, str, str]:
    """(commit of the last sign-off, diff since then, source at that commit)."""
    cwd = path.parent
    code, top = _git(["rev-parse", "--show-toplevel"], cwd)
    if code != 0:
        return "", "(not in a git repository: no history to compare)", ""
    top_dir = Path(top.strip()).resolve()
    rel = path.resolve().relative_to(top_dir).as_posix()
    cwd = top_dir  # pathspecs and `git show REV:path` are relative to the repository top
    _code, commit = _git(["log", "-1", "--format=%H", "-G", r"^  fingerprint:", "--", rel], cwd)
    commit = commit.strip()
    if not commit:
        return "", "(never signed off: the whole page is new to review)", ""
    _code, diff = _git(["diff", commit, "--", rel], cwd)
    _code, old = _git(["show", f"{commit}:{rel}"], cwd)
    return commit[:12], diff or "(no change since the sign-off)", old


def collect(settings: str, today: dt.date | None = None, output: Path | None = None) -> list[PageReport]:
    """Build the site (into ``output``, else a folder removed afterwards) and report on every page."""
    from ..core.diagnostics import DIAG
    from ..runtime.build import build
    from ..runtime.state import RUN

    today = today or dt.date.today()
    with tempfile.TemporaryDirectory() as tmp:
        out = output or Path(tmp) / "output"
        build(settings, overrides={"OUTPUT_PATH": str(out)}, stream=io.StringIO())
    reports = []
    for path, info in sorted(RUN.pages.items()):
        fm = info.front_matter
        if not fm:
            continue
        if fm.get("clinical") is False:  # shown, so nobody can take a page out of review unseen
            reports.append(
                PageReport(
                    path=DIAG.relpath(path),
                    title=str(fm.get("title", "")),
                    status="not clinical",
                    reviewer="",
                    reviewed="",
                    next_review="",
                    due_soon=False,
                    overdue=False,
                    reasons="skips clinical review ('clinical: false' in its front matter; it cites nothing "
                    "and shows no data, which the build checks)",
                    reading=info.reading,
                    findings=[f.format() for f in DIAG.for_path(path)],
                    citations=len(info.cited),
                )
            )
            continue
        record = fm.get("review") or {}
        state = info.review
        next_review = state.next_review if state else None
        report = PageReport(
            path=DIAG.relpath(path),
            title=str(fm.get("title", "")),
            status=record.get("status", "draft"),
            reviewer=(state.reviewer or {}).get("name", "") if state else "",
            reviewed=str(state.reviewed or "") if state else "",
            next_review=str(next_review or ""),
            due_soon=bool(next_review and today <= next_review <= today + dt.timedelta(days=DUE_SOON_DAYS)),
            overdue=bool(next_review and next_review < today),
            reasons=state.reason if state else "",
            reading=info.reading,
            findings=[f.format() for f in DIAG.for_path(path)],
            citations=len(info.cited),
        )
        report.approved_in, report.diff, old = history(Path(path))
        if old:
            now = cited_keys(Path(path).read_text(encoding="utf-8"))
            before = cited_keys(old)
            report.added, report.removed = sorted(now - before), sorted(before - now)
        reports.append(report)
    return reports


def reading_words(reading: dict) -> str:
    """A page's reading figures in words: grade levels for English, reading ease for Spanish."""
    if "smog" in reading:
        return f"SMOG {reading['smog']}, Flesch-Kincaid {reading['fk']}"
    return f"Fernández-Huerta {reading['fernandez_huerta']}, Szigriszt-Pazos {reading['szigriszt_pazos']}"


def text_packet(reports: list[PageReport]) -> str:
    out = io.StringIO()
    out.write(f"Review packet, {dt.date.today()}: {len(reports)} pages\n\n")
    header = f"{'page':<42} {'status':<10} {'next review':<12} {'flag':<9} {'SMOG':>5} {'lint':>4} {'cites':>5}"
    out.write(header + "\n" + "-" * len(header) + "\n")
    for r in reports:
        flag = "OVERDUE" if r.overdue else "due soon" if r.due_soon else ""
        smog = f"{r.reading.get('smog', r.reading.get('fernandez_huerta', '')):>5}" if r.reading else "    -"
        out.write(
            f"{r.path[-42:]:<42} {r.status:<10} {r.next_review or '-':<12} {flag:<9} {smog} "
            f"{len(r.findings):>4} {r.citations:>5}\n"
        )
    for r in reports:
        out.write(f"\n=== {r.path}: {r.title}\n")
        out.write(
            f"status {r.status}; reviewer {r.reviewer or '-'}; reviewed {r.reviewed or '-'}; "
            f"next review {r.next_review or '-'}\n"
        )
        if r.reasons:
            out.write(f"awaiting review: {r.reasons}\n")
        if r.reading:
            out.write(f"reading level: {reading_words(r.reading)} ({r.reading['sentences']} sentences)\n")
        out.write(
            f"citations added since sign-off: {', '.join(r.added) or '-'}; removed: {', '.join(r.removed) or '-'}\n"
        )
        for f in r.findings:
            out.write(f"  {f}\n")
        out.write(f"--- changes since sign-off {r.approved_in or ''}\n{r.diff}\n")
    return out.getvalue()


HTML = """<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex"><title>Review packet {{ today }}</title>
<style>body{font:16px/1.5 system-ui,sans-serif;margin:1rem auto;max-width:70rem;padding:0 1rem;color:#1b1b1b}
table{border-collapse:collapse;width:100%}th,td{border:1px solid #8a8a8a;padding:.25rem .5rem;text-align:left}
.flag{font-weight:700;color:#7d1a1a}pre{background:#f3f2f1;padding:.5rem;overflow-x:auto;white-space:pre-wrap}
.add{color:#0b5d1e}.del{color:#7d1a1a}</style></head><body><main>
<h1>Review packet</h1><p>Built {{ today }} from the preview build. {{ reports|length }} pages.</p>
<table><caption>All pages</caption><thead><tr><th scope="col">Page</th><th scope="col">Status</th>
<th scope="col">Reviewer</th><th scope="col">Last reviewed</th><th scope="col">Next review</th>
<th scope="col">Flag</th><th scope="col">Reading level (SMOG / FK)</th><th scope="col">Lint findings</th>
<th scope="col">Citations</th></tr></thead><tbody>
{% for r in reports %}<tr><th scope="row"><a href="#p{{ loop.index }}">{{ r.title }}</a></th><td>{{ r.status }}</td>
<td>{{ r.reviewer or "-" }}</td><td>{{ r.reviewed or "-" }}</td><td>{{ r.next_review or "-" }}</td>
<td class="flag">{{ "Overdue" if r.overdue else "Due within 60 days" if r.due_soon else "" }}</td>
<td>{% if r.reading.smog %}{{ r.reading.smog }} / {{ r.reading.fk }}
{%- elif r.reading %}F-H {{ r.reading.fernandez_huerta }} / S-P {{ r.reading.szigriszt_pazos }}
{%- else %}-{% endif %}</td>
<td>{{ r.findings|length }}</td><td>{{ r.citations }}</td></tr>{% endfor %}
</tbody></table>
{% for r in reports %}<section id="p{{ loop.index }}"><h2>{{ r.title }}</h2><p><code>{{ r.path }}</code></p>
{% if r.reasons %}<p class="flag">Awaiting review: {{ r.reasons }}</p>{% endif %}
<p>Citations added since sign-off: {{ r.added|join(", ") or "none" }}.
Removed: {{ r.removed|join(", ") or "none" }}.</p>
{% if r.findings %}<h3>Lint findings</h3><ul>{% for f in r.findings %}<li>{{ f }}</li>{% endfor %}</ul>{% endif %}
<h3>Changes since the last sign-off{% if r.approved_in %} ({{ r.approved_in }}){% endif %}</h3>
<pre>{% for line in r.diff.splitlines() %}{% set kind = line[:1] -%}
<span class="{{ {'+': 'add', '-': 'del'}.get(kind, '') }}">{{ line }}</span>
{% endfor %}</pre></section>{% endfor %}
</main></body></html>
"""


#: Pages made from templates alone, whose words (guide summaries, the home page's introduction) have
#: no Markdown file to measure: measured on the written HTML.
LISTING_PAGES = ("index.html", "sections/*/index.html")


def listing_reading(output: Path) -> list[tuple[str, dict]]:
    """(page, reading) of the home page and each section page, measured as the build measures a guide:
    SMOG and Flesch-Kincaid of everything a reader reads in <main> (paragraphs and list items: the
    introduction and each guide's summary), not headings (the guides' titles) or the report line."""
    import lxml.html

    from ..checks.lint import READING_MIN_SENTENCES
    from ..checks.readability import textstat
    from ..text.textprep import sentences

    ts = textstat()
    found = []
    for pattern in LISTING_PAGES:
        for page in sorted(output.glob(pattern)):
            main = lxml.html.fromstring(page.read_bytes()).find(".//main")
            if main is None:
                continue
            blocks = [
                " ".join(el.text_content().split())
                for el in main.iter("p", "li")
                if not el.xpath("ancestor-or-self::*[@data-report]") and not el.xpath(".//p|.//li")
            ]
            sents = sentences([(0, text) for block in blocks if block for text in (block, "")])
            if len(sents) < READING_MIN_SENTENCES:
                continue
            text = " ".join(s for _line, s in sents)
            reading = {
                "smog": round(ts.smog_index(text), 1),
                "fk": round(ts.flesch_kincaid_grade(text), 1),
                "sentences": len(sents),
            }
            found.append((page.relative_to(output).as_posix(), reading))
    return found


def reading_table(settings: str = "pelicanconf.py") -> int:
    """Print the reading level of every page (body, key points and FAQ answers), the guides' median,
    and the home and section pages (their introduction and the guides' summaries)."""
    import statistics

    with tempfile.TemporaryDirectory() as tmp:
        output = Path(tmp) / "output"
        reports = [r for r in collect(settings, output=output) if r.reading]
        listings = listing_reading(output)
    spanish = [r for r in reports if "smog" not in r.reading]
    reports = [r for r in reports if "smog" in r.reading]
    print(f"{'page':<48} {'SMOG':>5} {'FK':>5} {'sentences':>9}")
    for r in reports:
        print(f"{r.path:<48} {r.reading['smog']:>5} {r.reading['fk']:>5} {r.reading['sentences']:>9}")
    for rel, reading in listings:
        print(f"{'output/' + rel:<48} {reading['smog']:>5} {reading['fk']:>5} {reading['sentences']:>9}")
    guides = [r.reading for r in reports if "/guides/" in r.path]
    if guides:
        print(
            f"guides: median SMOG {statistics.median(g['smog'] for g in guides):.1f}, "
            f"highest SMOG {max(g['smog'] for g in guides)}, highest Flesch-Kincaid {max(g['fk'] for g in guides)}"
        )
    if listings:
        print(
            f"home and section pages: highest SMOG {max(r['smog'] for _p, r in listings)}, "
            f"highest Flesch-Kincaid {max(r['fk'] for _p, r in listings)}"
        )
    if spanish:
        # Reading ease, higher is easier (content-standards es.5): Fernández-Huerta and Szigriszt-Pazos (INFLESZ).
        print(f"\n{'página (es)':<48} {'F-H':>5} {'S-P':>5} {'words':>6} {'sentences':>9}")
        for r in spanish:
            g = r.reading
            print(
                f"{r.path:<48} {g['fernandez_huerta']:>5} {g['szigriszt_pazos']:>5} {g['words']:>6} {g['sentences']:>9}"
            )
        print(
            f"Spanish pages: lowest Fernández-Huerta {min(r.reading['fernandez_huerta'] for r in spanish)}, "
            f"lowest Szigriszt-Pazos {min(r.reading['szigriszt_pazos'] for r in spanish)}"
        )
    return 0


def write_packet(settings: str = "pelicanconf.py", out: str = "review") -> int:
    reports = collect(settings)
    folder = Path(out)
    folder.mkdir(parents=True, exist_ok=True)
    text = text_packet(reports)
    (folder / "packet.txt").write_text(text, encoding="utf-8")
    html = Environment(autoescape=True).from_string(HTML).render(reports=reports, today=dt.date.today())
    (folder / "index.html").write_text(html, encoding="utf-8")
    print(text)
    print(f"Wrote {folder / 'index.html'} and {folder / 'packet.txt'} (not part of the published site).")
    return 0
