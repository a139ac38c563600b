"""Data blocks: one Markdown line that shows data from ``data/`` through a theme partial.

    ::: care-levels
    ::: care-levels levels=outpatient,iop,php columns=hours,setting
    ::: faqs topic=cost

Every block is one `BlockType` in `BLOCKS`, registered with `@block(...)`: its name, its options
(with which are required) and its renderer. The dispatcher, `render`, parses and checks the line,
calls the renderer and records every data record the block showed (through `Shown`), so the review
fingerprint and the reading level cover it without the block doing anything more.

Errors (at the Markdown line): BLK001 unknown block, BLK002 unknown, malformed or missing option,
BLK003 unknown level, column or topic.
"""

from __future__ import annotations

import re
import shlex
from collections.abc import Callable
from dataclasses import dataclass, field

from markupsafe import Markup

from ..core.diagnostics import DIAG, did_you_mean
from ..data import schema as sch
from ..data.schemas import CARE_LEVEL, CRISIS_LINE, FAQ, TIER
from .i18n import N_

BLOCK_RE = re.compile(r"^:::\s*(?P<name>\S*)(?P<opts>.*)$")


@dataclass(frozen=True)
class Option:
    name: str
    doc: str
    required: bool = False


@dataclass
class Shown:
    """What a block rendered: its HTML and the records it showed (schema, record, fields shown)."""

    html: str
    records: list = field(default_factory=list)


@dataclass
class BlockCall:
    """One use of a block on a page: its options, where it is, and the page's rendering helpers."""

    name: str
    options: dict
    path: str
    line: int
    page: object  # sitekit.content.markdown_ext.PageRender

    @property
    def data(self):
        return self.page.data

    def error(self, message: str, hint: str = "") -> None:
        DIAG.error("BLK003", self.path, self.line, message, hint)

    def template(self, name: str, **values) -> str:
        return self.page.env.get_template(name).render(
            cite=self.page.cite_keys, md=self.page.render_data_md, page_lang=self.page.info.lang, **values
        )


@dataclass(frozen=True)
class BlockType:
    name: str
    doc: str
    options: tuple[Option, ...]
    render: Callable[[BlockCall], Shown | None]
    reading: bool = False  # its prose counts toward the page's reading level (FAQ answers do; tables do not)
    data_file: str = ""  # the data file it shows; when that file is broken the block stays quiet (reported there)

    @property
    def option_names(self) -> list[str]:
        return [o.name for o in self.options]


#: Block name -> its definition. Add a block with @block in this file (or any module imported here).
BLOCKS: dict[str, BlockType] = {}


def block(name: str, doc: str, *options: Option, reading: bool = False, data_file: str = ""):
    """Register a block renderer under ``name``."""

    def register(render: Callable[[BlockCall], Shown | None]):
        BLOCKS[name] = BlockType(name, doc, options, render, reading, data_file)
        return render

    return register


# -- the dispatcher -------------------------------------------------------------------------------


@dataclass
class BlockUse:
    """What a page's block showed, kept on the page (sitekit.core.pages.PageInfo.blocks)."""

    name: str
    options: dict
    shown: list  # the visible part of each record shown (sitekit.data.schema.visible)
    prose: list  # (line, text) of Markdown prose shown, for the reading level when the block counts
    records: list = field(default_factory=list)  # (schema name, record id, visible part) of each record shown


def render(page, text: str, line: int) -> str:
    """Render one ``:::`` line of ``page``; report problems at ``line`` and return "" for a bad block."""
    call = parse(text, page.info.path, line, page)
    if call is None:
        return ""
    kind = BLOCKS[call.name]
    if kind.data_file and kind.data_file in page.data.failed:
        page.info.unshown.append(kind.data_file)  # links to what it would show follow from that file's error
        return ""  # its data file is broken: that error is reported there, once
    shown = kind.render(call)
    if shown is None:
        return ""
    use = BlockUse(call.name, dict(call.options), [], [])
    for schema, record, fields in shown.records:
        seen = sch.visible(record, schema, fields)
        use.shown.append(seen)
        use.records.append((schema.name, record.get(schema.key) if schema.key else None, seen))
        if kind.reading:
            use.prose += [(0, text) for _r, _f, text, _l in sch.prose_fields(record, schema, markdown_only=True)]
    page.info.blocks.append(use)
    return shown.html


def parse(text: str, path: str, line: int, page=None) -> BlockCall | None:
    """Parse a ``:::`` line; report problems and return None when it cannot be used."""
    m = BLOCK_RE.match(text.strip())
    name = m.group("name") if m else ""
    kind = BLOCKS.get(name)
    if kind is None:
        DIAG.error(
            "BLK001",
            path,
            line,
            f"unknown data block '{name}'",
            did_you_mean(name, BLOCKS) or f"known blocks: {', '.join(BLOCKS)}",
        )
        return None
    try:
        words = shlex.split(m.group("opts"))
    except ValueError as exc:
        DIAG.error("BLK002", path, line, f"options of '{name}' cannot be read ({exc})", "close every quote")
        return None
    options, ok = {}, True
    known = kind.option_names
    for word in words:
        key, sep, value = word.partition("=")
        if not sep or not value:
            DIAG.error(
                "BLK002",
                path,
                line,
                f"option '{word}' of '{name}' should be name=value",
                f"options: {', '.join(known)}",
            )
            ok = False
        elif key not in known:
            DIAG.error(
                "BLK002",
                path,
                line,
                f"unknown option '{key}' for '{name}'",
                did_you_mean(key, known) or f"options: {', '.join(known)}",
            )
            ok = False
        else:
            options[key] = value
    for option in kind.options:
        if ok and option.required and option.name not in options:
            DIAG.error(
                "BLK002",
                path,
                line,
                f"'{name}' needs a {option.name}",
                f"write ::: {name} {option.name}=... ({option.doc})",
            )
            ok = False
    return BlockCall(name, options, path, line, page) if ok else None


def _split(value: str | None) -> list[str]:
    return [v.strip() for v in (value or "").split(",") if v.strip()]


# -- the blocks -----------------------------------------------------------------------------------

#: Column id -> header of the care-level table (translated by the page's language: sitekit.content.i18n).
CARE_COLUMNS = {
    "asam": N_("ASAM level"),
    "hours": N_("Hours a week"),
    "days": N_("Days a week"),
    "overnight": N_("Overnight stay"),
    "setting": N_("Where"),
    "fits": N_("Often fits"),
    "not_fits": N_("May need something else"),
    "length": N_("How long"),
}
#: Column id -> the field of data/care_levels.yaml it shows.
CARE_FIELDS = {
    "asam": "asam_level",
    "hours": "hours_per_week",
    "days": "days_per_week",
    "overnight": "overnight",
    "setting": "setting",
    "fits": "fits",
    "not_fits": "not_fits",
    "length": "typical_length",
}
DEFAULT_COLUMNS = ["hours", "days", "overnight", "setting", "fits"]


@block(
    "care-levels",
    "the table comparing levels of care, from data/care_levels.yaml",
    Option("levels", "comma-separated level ids"),
    Option("columns", "comma-separated column ids"),
    Option("caption", "table caption in quotes"),
    data_file="care_levels.yaml",
)
def care_levels(call: BlockCall) -> Shown | None:
    by_id = call.data.levels_by_id
    ids = _split(call.options.get("levels")) or list(by_id)
    columns = _split(call.options.get("columns")) or DEFAULT_COLUMNS
    ok = True
    for i in ids:
        if i not in by_id:
            ok = False
            call.error(f"unknown level '{i}'", did_you_mean(i, by_id) or f"levels: {', '.join(by_id)}")
    for c in columns:
        if c not in CARE_COLUMNS:
            ok = False
            call.error(f"unknown column '{c}'", did_you_mean(c, CARE_COLUMNS) or f"columns: {', '.join(CARE_COLUMNS)}")
    if not ok:
        return None
    levels = [by_id[i] for i in ids]
    shown_fields = ["name", "citations", *(CARE_FIELDS[c] for c in columns)]
    html = call.template(
        "partials/care_levels.html",
        levels=levels,
        columns=[(c, CARE_COLUMNS[c]) for c in columns],
        caption=call.options.get("caption"),
    )
    return Shown(html, [(CARE_LEVEL, level, shown_fields) for level in levels])


@block(
    "faqs",
    "the questions of one topic from data/faqs.yaml",
    Option("topic", "a topic id from data/faqs.yaml", required=True),
    Option("heading", "heading in quotes"),
    reading=True,
    data_file="faqs.yaml",
)
def faqs(call: BlockCall) -> Shown | None:
    data = call.data
    topic = call.options["topic"]
    if topic not in data.topics:
        call.error(
            f"unknown FAQ topic '{topic}'", did_you_mean(topic, data.topics) or f"topics: {', '.join(data.topics)}"
        )
        return None
    page = call.page
    rendered = []
    chosen = [f for f in data.faqs if topic in f["topics"]]
    for faq in chosen:
        answer = page.render_data_md(faq["answer"], inline=False)
        if faq.get("citations"):
            sources = page.translate(SOURCES)
            answer = Markup(f'{answer}<p class="faq__sources">{sources} {page.cite_keys(faq["citations"])}</p>')
        rendered.append({"id": faq["id"], "question": faq["question"], "answer": answer})
    page.info.faqs.extend(rendered)
    html = call.template(
        "partials/faqs.html", topic=data.topics[topic], faqs=rendered, heading=call.options.get("heading")
    )
    return Shown(html, [(FAQ, faq, None) for faq in chosen])


#: The headings a short `::: crisis-help` block may take (heading="..."), each with the line under it;
#: the first is the default. The full block is always "Crisis and help lines".
HELP_HEADINGS = {
    N_("If you are thinking about suicide"): N_("You are not alone, and help is available right now."),
    N_("If you are worried about someone"): N_("You can call, text or chat 988 if you are worried about someone else."),
}
FULL_HELP_HEADING = N_("Crisis and help lines")
SOURCES = N_("Sources:")


@block(
    "crisis-help",
    "help lines from data/crisis.yaml as care cards, most urgent first: 988 and 911 (required near the top of "
    "pages about suicide), or with full=yes every line, each with the anchor #help-ID the banner links to. "
    "The block is a landmark (an aside named by its heading); a later block with the same heading on the "
    "same page is not, so no two landmarks of a page share a name",
    Option("full", "yes to show every line of data/crisis.yaml, not only 988 and 911 (once per page)"),
    Option(
        "heading",
        "heading of the short block, in quotes: "
        + " or ".join(f'"{h}"' for h in HELP_HEADINGS)
        + " (for family pages); the first is the default",
    ),
    data_file="crisis.yaml",
)
def crisis_help(call: BlockCall) -> Shown | None:
    crisis = call.data.crisis or {}
    full = call.options.get("full") == "yes"
    heading = call.options.get("heading")
    if heading is not None and (full or heading not in HELP_HEADINGS):
        if full:
            call.error(f"the full block's heading is always '{FULL_HELP_HEADING}'", "leave out heading=")
        else:
            call.error(
                f"unknown heading '{heading}' for 'crisis-help'",
                "choose one of: " + "; ".join(f'heading="{h}"' for h in HELP_HEADINGS),
            )
        return None
    heading = _help_heading(call.options)
    # A second block with the same heading on this page would be a second landmark with the same name.
    landmark = not any(
        use.name == "crisis-help" and _help_heading(use.options) == heading for use in call.page.info.blocks
    )
    lines = [line for line in crisis.get("lines", []) if full or line["id"] in ("lifeline", "emergency")]
    tiers = [tier for tier in crisis.get("tiers", []) if any(line["tier"] == tier["id"] for line in lines)]
    # The line number keeps the heading's id unique when a page has the block twice.
    translate = call.page.translate
    html = call.template(
        "partials/crisis_help.html",
        lines=lines,
        tiers=tiers,
        full=full,
        heading=translate(heading),
        intro=translate(HELP_HEADINGS[heading]) if heading in HELP_HEADINGS else "",
        landmark=landmark,
        block_id=f"crisis-help-{call.line}",
    )
    fields = None if full else ["name", "lang", "text", "actions"]
    records = [(TIER, tier, None) for tier in tiers] + [(CRISIS_LINE, line, fields) for line in lines]
    return Shown(html, records)


def _help_heading(options: dict) -> str:
    if options.get("full") == "yes":
        return FULL_HELP_HEADING
    return options.get("heading") or next(iter(HELP_HEADINGS))


#: What `::: site-state show=...` can say; iop_trust writes the sentence once every page is read.
SITE_STATES = ("review", "report")


@block(
    "site-state",
    "a sentence about the site as this very build makes it, written when every page has been read: "
    "show=review says how many guides a clinician has checked; show=report says what the report link at "
    "the end of every page does (or shows the placeholder for its address)",
    Option("show", "review or report", required=True),
)
def site_state(call: BlockCall) -> Shown | None:
    show = call.options["show"]
    if show not in SITE_STATES:
        call.error(f"unknown show '{show}' for 'site-state'", f"choose one of: {', '.join(SITE_STATES)}")
        return None
    # A marker only: the sentence depends on other pages (and on settings), so it is written after
    # every page is read (iop_trust), and a page kept in the reader cache still gets today's sentence.
    return Shown(f'<p data-site-state="{show}"></p>')
