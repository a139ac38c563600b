"""The Markdown side of the site: citations, data blocks, nesting limits and the sanitizer.

One preprocessor walks the body line by line, so every finding carries the source file's line.
It replaces each line by exactly one line, which keeps Markdown's own line count intact.

The site's own HTML (citation markers, data blocks) never passes through Markdown or the
sanitizer: the preprocessor leaves a token in its place; after conversion `PageRender.clean`
cleans the editor's HTML with sitekit.text.sanitize (reporting what it removes at the Markdown line),
and only then puts the site's HTML in for the tokens.
"""

from __future__ import annotations

import html as html_lib
import re
from functools import lru_cache

from jinja2 import Environment, FileSystemLoader, select_autoescape
from markdown.extensions import Extension
from markdown.preprocessors import Preprocessor
from markupsafe import Markup

from ..core.diagnostics import DIAG, did_you_mean
from ..core.pages import PageInfo
from ..data.schema import as_date, visible
from ..data.schemas import DATED_FACT
from ..text import dated, sanitize
from ..text.citations import CITATION_RE, CitationContext, format_reference, parse_keys
from . import blocks, images
from .i18n import N_

REFERENCE_WORD = N_("Reference")

FENCE_RE = re.compile(r"^\s{0,3}(`{3,}|~{3,})")
CODE_SPAN_RE = re.compile(r"(`+)(?:.+?)\1")
#: Deepest list or quote nesting a page may have; Markdown's parser slows down sharply beyond it.
MAX_NESTING = 12
_QUOTES_RE = re.compile(r"^(?:\s*>)+")
#: Private-use characters: Markdown, smarty and the sanitizer leave them alone, and heading ids drop them.
_TOKEN_OPEN, _TOKEN_CLOSE, _DIGIT0 = "\ue000", "\ue001", 0xE010
_TOKEN_RE = re.compile("\ue000([\ue010-\ue01f]+)\ue001")


def _token(n: int) -> str:
    return _TOKEN_OPEN + "".join(chr(_DIGIT0 + int(d, 16)) for d in f"{n:x}") + _TOKEN_CLOSE


def _token_number(digits: str) -> int:
    return int("".join(f"{ord(c) - _DIGIT0:x}" for c in digits), 16)


def nesting(text: str) -> int:
    """How deep a line nests: quote markers, or list indentation in steps of two spaces."""
    quotes = _QUOTES_RE.match(text)
    depth = quotes.group(0).count(">") if quotes else 0
    indent = len(text) - len(text.lstrip(" \t"))
    return max(depth, text[:indent].replace("\t", "    ").count(" ") // 2)


_SLOT_OPEN = "\ue002"
_SLOT_RE = re.compile("\ue002([\ue010-\ue01f]+)\ue001")


@lru_cache(maxsize=8192)
def _data_html(text: str) -> tuple[str, tuple]:
    """Sanitized HTML of a data file's Markdown with a slot per citation, and (text, keys) per slot."""
    slots: list = []

    def slot(match: re.Match) -> str:
        keys = parse_keys(match.group(1))
        if keys is None:
            return match.group(0)
        slots.append((match.group(0), tuple(keys)))
        return _SLOT_OPEN + _token(len(slots) - 1)[1:]

    out, last = [], 0
    for m in CODE_SPAN_RE.finditer(text):
        out.append(CITATION_RE.sub(slot, text[last : m.start()]))
        out.append(m.group(0))
        last = m.end()
    out.append(CITATION_RE.sub(slot, text[last:]))
    cleaned, _removals = sanitize.clean(sanitize.data_markdown().reset().convert("".join(out)))
    return cleaned, tuple(slots)


class Trusted:
    """The site's own HTML, kept out of Markdown and the sanitizer behind tokens."""

    def __init__(self):
        self.parts: list[str] = []

    def token(self, html: str) -> str:
        self.parts.append(str(html))
        return _token(len(self.parts) - 1)

    def insert(self, html: str) -> str:
        def part(m: re.Match) -> str:
            return self.parts[_token_number(m.group(1))]

        # A block on its own line became a paragraph of its own: the block replaces the paragraph.
        html = re.sub(r"<p>(\ue000[\ue010-\ue01f]+\ue001)</p>", lambda m: _TOKEN_RE.sub(part, m.group(1)), html)
        return _TOKEN_RE.sub(part, html)


class PageRender:
    """Everything one page's conversion needs: its data, citations, partials and findings."""

    def __init__(self, info: PageInfo, data, env: Environment, translate=None):
        self.info = info
        self.data = data
        self.env = env
        #: The page's language's words for a text of the build (sitekit.content.i18n): English as it is.
        self.translate = translate or (lambda text: text)
        self.trusted = Trusted()
        # With references.yaml broken, every citation would be "unknown": that error is reported there.
        quiet = data is not None and "references.yaml" in data.failed
        self.cites = CitationContext(
            info.path, data.references if data else {}, quiet=quiet, word=self.translate(REFERENCE_WORD)
        )

    # -- the editor's HTML -------------------------------------------------------------------
    def clean(self, html: str) -> str:
        """Sanitize the page's HTML; report what was removed at its Markdown line; insert the site's HTML."""
        cleaned, removals = sanitize.clean(html)
        for removal in removals:
            first = next((n for n, text in self.info.prose_lines if text.strip()), self.info.body_line)
            line = sanitize.locate(removal, self.info.prose_lines) or first
            DIAG.error(removal.code, self.info.path, line, removal.message, removal.hint)
        return self.trusted.insert(cleaned)

    def cite_line(self, text: str, line: int, stash) -> str:
        """Replace citations and dated-fact markers outside code spans."""
        out, last = [], 0
        for m in CODE_SPAN_RE.finditer(text):
            out.append(self.cites.replace(self.dated_line(text[last : m.start()], line, stash), line, stash))
            out.append(m.group(0))
            last = m.end()
        out.append(self.cites.replace(self.dated_line(text[last:], line, stash), line, stash))
        return "".join(out)

    # -- dated facts -------------------------------------------------------------------------
    def dated_line(self, text: str, line: int, stash) -> str:
        """Replace each ``[As of: id]`` with the fact's 'As of <month year>' (sitekit.text.dated)."""
        if "of" not in text:
            return text
        for written in dated.malformed(text):
            DIAG.error("DATE024", self.info.path, line, f"malformed marker '{written}'", "write [As of: ID]")

        def sub(m: re.Match) -> str:
            html = self.as_of(m)
            if html is None:
                if self.data is not None and "dated_facts.yaml" not in self.data.failed:
                    DIAG.error(
                        "DATE024",
                        self.info.path,
                        line,
                        f"'{m.group(0)}' names no fact of data/dated_facts.yaml",
                        did_you_mean(m.group(2), self.data.dated) or "add the fact to data/dated_facts.yaml",
                    )
                return m.group(0)
            self.info.dated_lines.append((m.group(2), line))
            return stash(html)

        return dated.MARKER_RE.sub(sub, text)

    def as_of(self, m: re.Match) -> str | None:
        """The HTML of one marker, noting the fact as shown on this page; None for an unknown fact."""
        fact = self.data.dated.get(m.group(2)) if self.data is not None else None
        if fact is None:
            return None
        self.info.dated[m.group(2)] = visible(fact, DATED_FACT)
        return dated.render(m.group(1), as_date(fact["as_of"]), self.info.lang)

    # -- data blocks -------------------------------------------------------------------------
    def render_block(self, text: str, line: int) -> str:
        return blocks.render(self, text, line) if self.data is not None else ""

    def cite_keys(self, keys) -> Markup:
        known = [k for k in keys if k in self.cites.references]
        return Markup(self.cites.marker(known)) if known else Markup("")

    def render_data_md(self, text: str, inline: bool = True) -> Markup:
        """Render Markdown from a data file, sanitized; its citations join this page's numbering.

        The same answer or table cell is shown on many pages, so the converted and sanitized HTML is
        kept per process with a slot for each citation; each page fills the slots with its own
        numbers, in the order of the text. Problems in the text (a bad citation, HTML the sanitizer
        removes) were reported at the data file's line when the data was loaded."""
        html, slots = _data_html(str(text))
        markers = []
        for raw, keys in slots:
            known = all(k in self.cites.references for k in keys)
            markers.append(self.cites.marker(keys) if known else html_lib.escape(raw))
        html = _SLOT_RE.sub(lambda m: markers[_token_number(m.group(1))], html)
        if "of:" in html:  # dated facts: an unknown one was reported at its data file's line
            html = dated.MARKER_RE.sub(lambda m: self.as_of(m) or m.group(0), html)
        if inline and html.startswith("<p>") and html.endswith("</p>") and html.count("<p>") == 1:
            html = html[3:-4]
        return Markup(html)

    # -- reference list ----------------------------------------------------------------------
    def references_html(self) -> str:
        if not self.cites.numbers:
            return ""
        items = [
            {
                "n": self.cites.numbers[k],
                "key": k,
                "uses": self.cites.uses.get(k, 1),
                "html": format_reference(self.cites.references[k], self.info.lang),
            }
            for k in self.cites.cited
        ]
        return self.env.get_template("partials/references.html").render(references=items, page_lang=self.info.lang)


class SitePreprocessor(Preprocessor):
    def __init__(self, md, ext):
        super().__init__(md)
        self.ext = ext

    def run(self, lines):
        page: PageRender | None = self.ext.page
        if page is None:
            return lines
        if self.too_deep(page, lines):
            return []  # nothing of this page is converted (Markdown would take minutes); its build fails
        out, fence = [], None
        token = page.trusted.token
        for i, text in enumerate(lines):
            line = page.info.body_line + i
            if fence:
                if text.strip().startswith(fence):
                    fence = None
                out.append(text)
                continue
            m = FENCE_RE.match(text)
            if m:
                fence = m.group(1)[0] * 3
                out.append(text)
                continue
            if text.startswith(":::"):
                html = page.render_block(text, line)
                out.append(token(html) if html else "")
                continue
            page.info.prose_lines.append((line, text))
            page.info.images += images.check_line(page.info.path, line, text)
            out.append(page.cite_line(text, line, token))
        return out

    @staticmethod
    def too_deep(page: PageRender, lines: list[str]) -> bool:
        """Report the first line nested deeper than MAX_NESTING (outside fenced code)."""
        fence = None
        for i, text in enumerate(lines):
            if fence:
                fence = None if text.strip().startswith(fence) else fence
                continue
            m = FENCE_RE.match(text)
            if m:
                fence = m.group(1)[0] * 3
            elif nesting(text) > MAX_NESTING:
                DIAG.error(
                    "SAFE004",
                    page.info.path,
                    page.info.body_line + i,
                    f"this line is nested {nesting(text)} levels deep (lists or quotes); the most is {MAX_NESTING}",
                    "flatten the list or quote; split it into sections with ## headings",
                )
                return True
        return False


class SiteExtension(Extension):
    """Holds the page being converted; the reader sets ``page`` before each conversion."""

    def __init__(self, **kwargs):
        self.page: PageRender | None = None
        super().__init__(**kwargs)

    def extendMarkdown(self, md):  # noqa: N802 - Markdown's API name
        # After whitespace normalization (30), before fenced code (25) changes line counts.
        md.preprocessors.register(SitePreprocessor(md, self), "iop_site", 29)


def partials_env(settings: dict) -> Environment:
    """A Jinja environment for the theme's partials, used while reading Markdown (compiled templates
    shared as Pelican's own environment shares them: sitekit.content.jinja)."""
    env = Environment(
        loader=FileSystemLoader(str(settings["THEME"]) + "/templates"),
        autoescape=select_autoescape(default=True, default_for_string=True),
        bytecode_cache=settings["JINJA_ENVIRONMENT"]["bytecode_cache"],
        auto_reload=False,  # one environment per build, as Pelican's (sitekit.content.jinja)
        trim_blocks=True,
        lstrip_blocks=True,
    )
    # `_()` and the site's filters, as in Pelican's environment (sitekit.content.i18n).
    env.globals.update(settings.get("JINJA_GLOBALS") or {})
    env.filters.update(settings.get("JINJA_FILTERS") or {})
    return env
