"""The clinician's review desk: `make review` writes it; `make serve` keeps it current at /_review/.

Static HTML (no JavaScript, nothing from another site), never part of the published site: it is
written beside the output folder (``review/``, which git ignores), from the state of the build that
just ran. Everything it says about review comes from that build's `ReviewState`s
(sitekit.checks.review): the same objects that decided the page notices, the "went back to review"
findings and what `make publish` refuses.

- index.html: one row per page (and one for the crisis banner on every page): its state (approved and
  current; changed since sign-off and why; never approved; review overdue or due within 60 days),
  what `make publish` would do with it, open findings, dated facts, reading level, and the command
  that signs every page that is ready.
- page/<file>.html, one per page: a link to the rendered page; the change since the last sign-off,
  word by word, naming the file, record and field (data files, the crisis data and references
  included); every citing sentence beside its reference and the vetted facts that reference may
  stand on (../shared/sources/vetted-sources.yaml, outside the repository: the desk says so when it
  is missing); the open findings with file:line; the dated facts; the reading level; who signed
  before and when; and the page's text as readers see it. A translated page (issue 28) also shows its
  English page, who translated and checked it, and the drift gate's state: every English change since
  the pin, at its English file and line, word by word, and what `make publish` does (a drifted
  translation is withheld, a short page in its place); an English page lists its translations. Each
  translation's crisis banner (data/<lang>/crisis.yaml) has its own row, as it has its own sign-off.
"""

from __future__ import annotations

import datetime as dt
import difflib
import re
import sys
from dataclasses import dataclass, field
from pathlib import Path

from jinja2 import Environment, FileSystemLoader
from markupsafe import Markup, escape

from ..checks.review import (
    BANNER,
    DATA,
    DUE_SOON_DAYS,
    LABELS,
    PAGE,
    RECORD_FILES,
    STATES,
    exempt,
    refused_by_publish,
)
from ..core.lang import LANGUAGES
from ..core.pages import content_rel
from ..text.citations import CITATION_RE, format_reference, parse_keys
from ..text.textprep import plain

#: Where the vetted list lives, from the project folder (outside the repository).
VETTED = Path("..") / "shared" / "sources" / "vetted-sources.yaml"
DESK = "review"
#: The desk's templates and its one stylesheet (inlined in every page; no other file is loaded).
TEMPLATES = Path(__file__).resolve().parent / "desk_templates"


# -- findings that belong to a page -----------------------------------------------------------------


def _last_line(obj, first: int) -> int:
    last = first
    lines = getattr(obj, "lines", None)
    if isinstance(lines, dict):
        last = max([last, *lines.values()])
    elif isinstance(lines, list):
        last = max([last, *lines])
    values = obj.values() if isinstance(obj, dict) else obj if isinstance(obj, list) else []
    for value in values:
        if isinstance(value, (dict, list)):
            last = max(last, _last_line(value, getattr(value, "line", first)))
    return last


def record_spans(data) -> dict[tuple[str, str], tuple[int, int]]:
    """(data file, record label as in a sign-off's payload) -> (first line, last line) of that record."""
    spans = {}
    for schema_name, file in RECORD_FILES.items():
        doc = data.docs.get(file)
        if doc is None:
            continue
        for name, value in doc.items():
            for record in value if isinstance(value, list) else []:
                if not isinstance(record, dict) or not hasattr(record, "line"):
                    continue
                ident = record.get("id") or record.get("key")
                kind = "reference" if file == "references.yaml" else schema_name
                if file == "crisis.yaml":
                    kind = "tier" if name == "tiers" else "line"
                if file == "faqs.yaml":
                    kind = "topic" if name == "topics" else "faq"
                spans[(file, f"{LABELS.get(kind, kind)} {ident}")] = (record.line, _last_line(record, record.line))
    return spans


def page_findings(subject: str, info, findings: list, data) -> list:
    """The findings a clinician must see before signing ``subject``: those of its own file, and those of the
    data records, references and dated facts it shows (at their data file's lines)."""
    from ..core.diagnostics import DIAG

    if subject == BANNER or subject.endswith("/" + BANNER):  # a translation's banner: data/<lang>/crisis.yaml
        crisis = DIAG.relpath(data.file(subject))
        return [f for f in findings if f.path == crisis]
    own = DIAG.relpath(info.path)
    spans = record_spans(data)
    wanted: dict[str, list[tuple[int, int]]] = {}
    for use in info.blocks:
        for schema_name, ident, _seen in getattr(use, "records", []):
            file = RECORD_FILES.get(schema_name, "")
            span = spans.get((file, f"{LABELS.get(schema_name, schema_name)} {ident}"))
            if span:
                wanted.setdefault(DIAG.relpath(data.file(file)), []).append(span)
    for key in info.cited:
        span = spans.get(("references.yaml", f"reference {key}"))
        if span:
            wanted.setdefault(DIAG.relpath(data.file("references.yaml")), []).append(span)
    for ident in info.dated:
        span = spans.get(("dated_facts.yaml", f"dated fact {ident}"))
        if span:
            wanted.setdefault(DIAG.relpath(data.file("dated_facts.yaml")), []).append(span)
    return [f for f in findings if f.path == own or any(a <= f.line <= b for a, b in wanted.get(f.path, []))]


def blocking_findings(findings: list, promote) -> list:
    """What `make publish` would refuse, leaving out the review record's own findings (signing fixes them)."""
    return [f for f in findings if refused_by_publish(f, promote) and not f.code.startswith("REVW")]


# -- the rows of the desk ---------------------------------------------------------------------------


@dataclass
class Row:
    subject: str  # the page's file under content/, or BANNER
    path: str  # as editors name it: content/guides/x.md, data/crisis.yaml
    source: str  # its absolute path
    title: str
    url: str = ""
    state: object = None  # ReviewState; None for a page the owner's list exempts
    info: object = None
    findings: list = field(default_factory=list)
    blocking: list = field(default_factory=list)
    dated: list = field(default_factory=list)  # (fact id, record, status, days)
    desk_page: str = ""  # its page on the desk, relative to the desk's folder
    lang: str = "en"  # the language readers read it in

    @property
    def exempt(self) -> bool:
        return self.state is None

    @property
    def label(self) -> str:
        return STATES["exempt"] if self.state is None else self.state.label

    @property
    def translation(self):
        """A translated page's iop_lang.TranslationState (its English page, its pin); None otherwise."""
        return getattr(self.info, "translation", None)

    @property
    def withheld(self) -> bool:
        """A translation whose English page changed since its pin (or that was never pinned): `make
        publish` puts a short page with the crisis lines and a link to the English page in its place."""
        return self.translation is not None and not self.translation.current

    @property
    def publishes(self) -> bool:
        """What `make publish` decides for it: the gate's state, what it refuses, and the drift gate."""
        if self.state is None:
            return not self.blocking and not self.withheld
        return not self.blocking and not self.state.pending and self.state.state != "example" and not self.withheld

    @property
    def publish_word(self) -> str:
        """yes, REFUSES (the review gate or a finding), or WITHHOLDS (the drift gate: a short page instead)."""
        if self.publishes:
            return "yes"
        refused = self.blocking or (self.state is not None and (self.state.pending or self.state.state == "example"))
        return "REFUSES" if refused else "WITHHOLDS"

    @property
    def ready(self) -> bool:
        """Ready for a clinician to sign: needs a sign-off, and has nothing publish would refuse."""
        needs = self.state is not None and (not self.state.approved or self.state.state == "example")
        return needs and not self.blocking

    @property
    def why(self) -> str:
        if self.state is None:
            return "Listed in IOP_REVIEW_EXEMPT by the site owner: no health content."
        if self.state.state == "never":
            return "Never signed off."
        if self.state.state == "example":
            return "Signed by an example reviewer, which make publish refuses: a real clinician signs it."
        return self.state.reason or ""


def collect(run, findings: list) -> list[Row]:
    """One row for the crisis banner, then one per page of the build that just ran (``run`` is RUN)."""
    from ..core.diagnostics import DIAG
    from ..core.settings import today

    data, settings = run.data, run.settings
    promote = settings["IOP_PROMOTE_WARNINGS"]
    day = today(settings)
    rows = []
    if run.banner is not None:
        crisis = data.file("crisis.yaml")
        row = Row(BANNER, DIAG.relpath(crisis), str(crisis), "Crisis banner and help lines (on every page)")
        row.state = run.banner
        row.findings = page_findings(BANNER, None, findings, data)
        row.blocking = blocking_findings(row.findings, promote)
        row.desk_page = "page/banner.html"
        rows.append(row)
    for lang, state in sorted(run.banners.items()):  # each translation's banner has its own sign-off (issue 28)
        subject = f"{lang}/{BANNER}"
        crisis = data.file(subject)
        title = f"Crisis banner and help lines in {LANGUAGES[lang].name} (on every page in that language)"
        row = Row(subject, DIAG.relpath(crisis), str(crisis), title, state=state, lang=lang)
        row.findings = page_findings(subject, None, findings, data)
        row.blocking = blocking_findings(row.findings, promote)
        row.desk_page = f"page/banner-{lang}.html"
        rows.append(row)
    for path, info in sorted(run.pages.items(), key=lambda item: DIAG.relpath(item[0])):
        if not info.front_matter:
            continue
        subject = content_rel(path, settings["PATH"])
        if subject is None:
            continue
        if info.review is None and not exempt(subject, settings):
            continue  # not built (a draft) or not reached by the gate
        row = Row(subject, DIAG.relpath(path), str(path), str(info.front_matter.get("title", subject)), info.url)
        row.state, row.info, row.lang = info.review, info, info.lang
        row.findings = page_findings(subject, info, findings, data)
        row.blocking = blocking_findings(row.findings, promote)
        row.desk_page = "page/" + re.sub(r"\.md$", ".html", subject)
        for ident in info.dated:
            fact = data.dated.get(ident)
            if fact is not None:
                row.dated.append(_dated(ident, fact, day))
        rows.append(row)
    return rows


def _dated(ident: str, fact, day: dt.date) -> dict:
    from ..checks.dates import FACT_WARN_DAYS
    from ..data.schema import as_date

    until = as_date(fact["until"])
    days = (until - day).days
    status = "passed" if days < 0 else f"within {FACT_WARN_DAYS} days" if days <= FACT_WARN_DAYS else "current"
    return {"id": ident, "fact": fact, "as_of": as_date(fact["as_of"]), "until": until, "days": days, "status": status}


# -- word-level change ------------------------------------------------------------------------------

_TOKEN_RE = re.compile(r"\s+|\w+(?:[’']\w+)*|[^\w\s]")


def word_diff(before: str, after: str) -> Markup:
    """``after`` with what was removed in <del> and what was added in <ins> (each with words for screen
    readers), word by word; long text keeps only the paragraphs that changed, with their neighbours named."""
    old_paras, new_paras = (before or "").split("\n\n"), (after or "").split("\n\n")
    if len(old_paras) + len(new_paras) <= 2:
        return _words(before or "", after or "")
    out = []
    matcher = difflib.SequenceMatcher(None, old_paras, new_paras, autojunk=False)
    for op, a1, a2, b1, b2 in matcher.get_opcodes():
        if op == "equal":
            n = a2 - a1
            out.append(f'<p class="same">({n} paragraph{"s" * (n != 1)} not changed)</p>')
            continue
        old, new = old_paras[a1:a2], new_paras[b1:b2]
        for i in range(max(len(old), len(new))):
            text = _words(old[i] if i < len(old) else "", new[i] if i < len(new) else "")
            out.append(f"<p>{text}</p>")
    return Markup("".join(out))


def _words(before: str, after: str) -> Markup:
    old, new = _TOKEN_RE.findall(before), _TOKEN_RE.findall(after)
    out = []
    matcher = difflib.SequenceMatcher(None, old, new, autojunk=False)
    for op, a1, a2, b1, b2 in matcher.get_opcodes():
        if op == "equal":
            out.append(str(escape("".join(old[a1:a2]))))
            continue
        if op in ("delete", "replace"):
            text = escape("".join(old[a1:a2]))
            out.append(f'<del><span class="vh">[removed: </span>{text}<span class="vh">]</span></del>')
        if op in ("insert", "replace"):
            text = escape("".join(new[b1:b2]))
            out.append(f'<ins><span class="vh">[added: </span>{text}<span class="vh">]</span></ins>')
    return Markup("".join(out).replace("\n", "<br>"))


def change_rows(state, page_label: str) -> list[dict]:
    out = []
    for change in state.changes:
        file = page_label if change.file == PAGE else change.file
        out.append(
            {
                "file": file,
                "record": change.record or "(the page itself)",
                "field": change.field,
                "kind": "added" if change.before is None else "removed" if change.after is None else "changed",
                "diff": word_diff(change.before or "", change.after or ""),
            }
        )
    return out


# -- a translation beside its English page -----------------------------------------------------------


def translation_view(row: Row, rows: list[Row]) -> dict | None:
    """What the desk says of a translated page: its English page, who translated and checked it, and the
    drift gate's state (sitekit.checks.drift, iop_lang): every English change since the pin, at its file
    and line, word by word. For an English page: its translations and whether each is current."""
    from ..core.diagnostics import DIAG

    t = row.translation
    if t is None:
        mine = [r for r in rows if r.translation is not None and r.translation.source == row.subject]
        if not mine:
            return None
        return {
            "translations": [
                {"row": r, "current": r.translation.current, "count": len(r.translation.changes)} for r in mine
            ]
        }
    english = next((r for r in rows if r.subject == t.source), None)
    record = (row.info.front_matter or {}).get("translated_from") or {}
    state = "current" if t.current else "untrusted" if t.untrusted else "drifted" if t.pinned else "unpinned"
    return {
        "state": state,
        "source": t.source,
        "english": english,
        "method": t.method,
        "people": [
            (role, person)
            for role, person in (("Translator", t.translator), ("Language reviewer", t.language_reviewer))
            if person
        ],
        "pinned_by": record.get("pinned_by"),
        "pinned": record.get("pinned"),
        "untrusted": t.untrusted,
        "changes": [
            {
                "where": f"{DIAG.relpath(c.path)}:{c.line}" if c.line else DIAG.relpath(c.path),
                "what": c.what,
                "diff": word_diff(c.before or "", c.after or ""),
            }
            for c in t.changes
        ],
        "pin": f"make translate-pin PAGE={row.path} REVIEWER=your-id",
    }


# -- citations beside what they may stand on --------------------------------------------------------


def _sentences(text: str) -> list[str]:
    """Sentences of Markdown text, each keeping the citations that close it."""
    parts, last = [], 0
    for m in re.finditer(r"(?<=[.!?])((?:\[@[^\]\n]*\])*)\s+(?=[A-ZÁÉÍÓÚÑÜ0-9\"“(\[*¿¡])", text):
        parts.append(text[last : m.end(1)])
        last = m.end()
    parts.append(text[last:])
    return [p.strip() for p in parts if p.strip()]


def _keys(text: str) -> list[str]:
    keys = []
    for m in CITATION_RE.finditer(text):
        for key in parse_keys(m.group(1)) or []:
            if key not in keys:
                keys.append(key)
    return keys


def citing_places(info, data) -> list[dict]:
    """Every place that cites a source: the sentence as readers read it (where it is), and its keys."""
    places = []
    para: list[tuple[int, str]] = []

    def flush():
        if not para:
            return
        text = " ".join(t.strip().lstrip("-*+> ").strip() for _n, t in para)
        for sentence in _sentences(text):
            keys = _keys(sentence)
            if keys:
                places.append(
                    {"where": f"line {para[0][0]}", "text": _reader_text(sentence, data, info.lang), "cited": keys}
                )
        para.clear()

    for line, text in info.prose_lines:
        stripped = text.strip()
        if not stripped or stripped.startswith(("#", "|")) or re.match(r"^(?:[-*+]|\d+\.)\s", stripped):
            flush()
        if stripped and not stripped.startswith(("#", "|")):
            para.append((line, stripped))
    flush()
    for use in info.blocks:
        for schema_name, ident, _seen in getattr(use, "records", []):
            record = _record(data, schema_name, ident)
            if record is None:
                continue
            name = f"{LABELS.get(schema_name, schema_name)} {ident}"
            for fld in ("answer", "fits", "not_fits", "details", "typical_length", "setting"):
                for sentence in _sentences(str(record.get(fld) or "")):
                    keys = _keys(sentence)
                    if keys:
                        places.append(
                            {
                                "where": f"{DATA}{RECORD_FILES[schema_name]}, {name}, {fld}",
                                "text": _reader_text(sentence, data, info.lang),
                                "cited": keys,
                            }
                        )
            if record.get("citations"):
                what = record.get("question") or record.get("name") or name
                places.append(
                    {
                        "where": f"{DATA}{RECORD_FILES[schema_name]}, {name}, citations",
                        "text": f"{what}: {WHOLE.get(schema_name, 'the record')}",
                        "cited": list(record["citations"]),
                    }
                )
    return places


#: What a record's own `citations:` field supports, as the desk says it.
WHOLE = {"faq": "the answer as a whole", "level": "every cell of this row", "line": "this help line"}


def _record(data, schema_name: str, ident):
    if schema_name == "faq":
        return next((f for f in data.faqs if f["id"] == ident), None)
    if schema_name == "level":
        return data.levels_by_id.get(ident)
    if schema_name == "line":
        return next((x for x in (data.crisis or {}).get("lines", []) if x["id"] == ident), None)
    return None


def _reader_text(markdown: str, data, lang: str = "en") -> str:
    from ..text import dated

    def as_of(m):
        fact = data.dated.get(m.group(2))
        return " ".join(dated.said(m.group(1), fact["as_of"], lang)) if fact else m.group(0)

    return " ".join(plain(dated.MARKER_RE.sub(as_of, markdown)).split())


def load_vetted(path: Path) -> tuple[dict | None, str]:
    """The vetted list by key, or (None, why the desk cannot show it)."""
    import yaml

    try:
        text = path.read_text(encoding="utf-8")
    except OSError:
        return None, f"{path} was not found, so the desk cannot show the vetted facts beside each citation."
    try:
        loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
        entries = yaml.load(text, Loader=loader)  # noqa: S506 - a safe loader
        return {e["key"]: e for e in entries if isinstance(e, dict) and "key" in e}, ""
    except (yaml.YAMLError, TypeError):
        return None, f"{path} could not be read as the vetted list, so the desk cannot show the vetted facts."


# -- the page as readers see it ---------------------------------------------------------------------

_KEEP = {
    "h2": "h4",
    "h3": "h5",
    "h4": "h6",
    "p": "p",
    "ul": "ul",
    "ol": "ol",
    "li": "li",
    "table": "table",
    "caption": "caption",
    "thead": "thead",
    "tbody": "tbody",
    "tr": "tr",
    "th": "th",
    "td": "td",
    "dl": "dl",
    "dt": "dt",
    "dd": "dd",
    "blockquote": "blockquote",
    "strong": "strong",
    "em": "em",
    "sup": "sup",
    "time": "time",
    "cite": "cite",
    "br": "br",
}
_DROP = {"script", "style", "template", "svg", "nav", "form", "button", "input"}


def reader_text(output: Path, url: str) -> Markup | None:
    """The page's <main> as plain, safe HTML: its headings one level down, no ids, no links, no scripts."""
    import lxml.html

    page = output / url.lstrip("/") / "index.html" if not url.endswith(".html") else output / url.lstrip("/")
    try:
        main = lxml.html.fromstring(page.read_bytes()).find(".//main")
    except (OSError, ValueError):
        return None
    if main is None:
        return None
    return Markup("".join(_clean(child) for child in main))


def _clean(el) -> str:
    tag = el.tag if isinstance(el.tag, str) else ""
    tail = str(escape(el.tail or ""))
    if tag in _DROP or el.get("data-review-notice") is not None:
        return tail
    inner = str(escape(el.text or "")) + "".join(_clean(child) for child in el)
    out = _KEEP.get(tag)
    if tag == "h1":
        return tail
    if out is None:
        return inner + tail
    if out == "br":
        return "<br>" + tail
    attrs = ""
    if out in ("th", "td") and el.get("scope"):
        attrs = f' scope="{escape(el.get("scope"))}"'
    if out == "time" and el.get("datetime"):
        attrs = f' datetime="{escape(el.get("datetime"))}"'
    return f"<{out}{attrs}>{inner}</{out}>{tail}"


# -- writing the desk -------------------------------------------------------------------------------


def write(folder: Path, rows: list[Row], run, output: Path, vetted_path: Path | None) -> Path:
    """Write the desk into ``folder`` (index.html and one page per row); return index.html."""
    from ..checks.review import flatten

    env = Environment(loader=FileSystemLoader(TEMPLATES), autoescape=True, trim_blocks=True, lstrip_blocks=True)
    base, index, page = (env.get_template(name) for name in ("base.html", "index.html", "page.html"))
    built = dt.datetime.now().strftime("%Y-%m-%d %H:%M")
    vetted, vetted_problem = load_vetted(vetted_path) if vetted_path else (None, "No vetted list was given.")
    data = run.data
    facts = []
    for ident, fact in data.dated.items():
        from ..core.settings import today

        entry = _dated(ident, fact, today(run.settings))
        entry["pages"] = [r.path for r in rows if any(d["id"] == ident for d in r.dated)]
        facts.append(entry)
    folder.mkdir(parents=True, exist_ok=True)
    ready = [r for r in rows if r.ready]
    css = (TEMPLATES / "desk.css").read_text(encoding="utf-8")
    common = {"css": Markup(css), "built": built, "due_days": DUE_SOON_DAYS}
    translations = {r.subject: translation_view(r, rows) for r in rows}
    body = index.render(
        rows=rows, ready=ready, facts=facts, vetted_problem=vetted_problem, translations=translations, **common
    )
    (folder / "index.html").write_text(base.render(title="All pages", body=Markup(body), up="", **common), "utf-8")
    refs = data.references
    for row in rows:
        info, state = row.info, row.state
        numbers = {k: n for n, k in enumerate(info.cited, 1)} if info else {}
        references = {k: {"html": format_reference(refs[k])} for k in numbers if k in refs}
        signoffs = []
        if state is not None and state.snapshot is not None:
            signoffs = [state.snapshot["signed"], *state.snapshot.get("earlier", [])]
        banner = None
        if row.subject == BANNER or row.subject.endswith("/" + BANNER):
            banner = {}
            for (_file, record, name), text in flatten(state.payload).items():
                banner.setdefault(record, []).append((name, text))
        body = page.render(
            r=row,
            changes=change_rows(state, row.path) if state is not None else [],
            signoffs=signoffs,
            places=citing_places(info, data) if info else [],
            references=references,
            numbers=numbers,
            vetted=vetted,
            vetted_problem=vetted_problem,
            reader=reader_text(output, row.url) if row.url else None,
            banner=banner,
            translation=translation_view(row, rows),
            up="../" * row.desk_page.count("/"),
            lang=row.lang,
            targets=run.settings["IOP_READING"],
            **common,
        )
        target = folder / row.desk_page
        target.parent.mkdir(parents=True, exist_ok=True)
        up = "../" * row.desk_page.count("/")
        target.write_text(base.render(title=row.title, body=Markup(body), up=up, **common), encoding="utf-8")
    return folder / "index.html"


def terminal_table(rows: list[Row]) -> str:
    lines = [f"{'page':<44} {'state':<28} {'publish':<8} {'findings':>8}  why"]
    for r in rows:
        flag = " (due soon)" if r.state is not None and r.state.due_soon else ""
        lines.append(
            f"{r.path[-44:]:<44} {(r.label + flag)[:28]:<28} {r.publish_word:<8} "
            f"{len(r.findings):>8}  {r.why if r.state is None or r.state.state != 'never' else 'never signed off'}"
        )
    ready = [r.path for r in rows if r.ready]
    lines.append(
        f"\nReady to sign: {len(ready)}"
        + (f': make approve PAGES="{" ".join(ready)}" REVIEWER=your-id' if ready else "")
    )
    return "\n".join(lines)


def refresh(output: Path, folder: Path | None = None, vetted: Path | None = None) -> Path | None:
    """After a build (the preview server calls this): write the desk from RUN, beside ``output``."""
    from ..core.diagnostics import DIAG
    from ..runtime.state import RUN

    if RUN.data is None or not RUN.settings:
        return None
    folder = folder or Path(output).resolve().parent / DESK
    root = Path(RUN.settings.get("IOP_ROOT", "."))
    vetted = vetted or (root / VETTED)
    rows = collect(RUN, DIAG.findings)
    return write(folder, rows, RUN, Path(output), vetted)


def review(settings: str = "pelicanconf.py", out: str | None = None, vetted: str | None = None) -> int:
    """`make review`: a preview build (into output/, as `make html`), then the desk."""
    import io

    from ..core.diagnostics import DIAG
    from ..runtime.build import build
    from ..runtime.state import RUN

    log = io.StringIO()
    code = build(settings, stream=log)
    if RUN.data is None:
        print(log.getvalue(), file=sys.stderr, end="")
        print("review: the site could not be read; fix the errors above", file=sys.stderr)
        return 1
    from pelican.settings import read_settings

    output = Path(read_settings(str(Path(settings).resolve()))["OUTPUT_PATH"]).resolve()
    root = Path(RUN.settings.get("IOP_ROOT", "."))
    folder = Path(out) if out else output.resolve().parent / DESK
    rows = collect(RUN, DIAG.findings)
    index = write(folder, rows, RUN, output, Path(vetted) if vetted else root / VETTED)
    print(terminal_table(rows))
    if code != 0:
        print(f"\nThe build has errors ({len(DIAG.errors)}): the desk lists them with each page.")
    print(
        f"\nWrote the review desk to {index} (not part of the published site). Open it at "
        "http://127.0.0.1:8000/_review/ while `make serve` runs (it is kept current there)."
    )
    return 0
