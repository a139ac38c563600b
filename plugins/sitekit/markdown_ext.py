"""The Markdown side of the site: front matter lines, citations, data blocks and unsafe HTML.

One preprocessor walks the body line by line, so every finding carries the source file's line.
It replaces each line by exactly one line, which keeps Markdown's own line count intact.
"""

from __future__ import annotations

import re

from jinja2 import Environment, FileSystemLoader, select_autoescape
from markdown import Markdown
from markdown.extensions import Extension
from markdown.preprocessors import Preprocessor
from markupsafe import Markup

from . import blocks
from .citations import CitationContext, format_reference
from .diagnostics import DIAG
from .jinja import BYTECODE
from .pages import PageInfo

FENCE_RE = re.compile(r"^\s{0,3}(`{3,}|~{3,})")
CODE_SPAN_RE = re.compile(r"(`+)(?:.+?)\1")
UNSAFE = [
    (
        "SAFE001",
        re.compile(r"<\s*(script|iframe|style|object|embed)\b", re.I),
        "raw <{0}> is not allowed in content",
        "remove it; pages carry no scripts, frames or styles",
    ),
    (
        "SAFE002",
        re.compile(r"<[a-z][^>]*\son[a-z]+\s*=", re.I),
        "an on...= event handler is not allowed in content",
        "remove the attribute",
    ),
    (
        "SAFE003",
        re.compile(r"(?:href|src)\s*=\s*[\"']?\s*javascript:|\]\(\s*javascript:", re.I),
        "a javascript: address is not allowed in content",
        "link to a page or an https:// address",
    ),
]


class PageRender:
    """Everything one page's conversion needs: its data, citations, partials and findings."""

    def __init__(self, info: PageInfo, data, env: Environment):
        self.info = info
        self.data = data
        self.env = env
        self.cites = CitationContext(info.path, data.references if data else {})

    # -- line scanning -----------------------------------------------------------------------
    def check_unsafe(self, text: str, line: int) -> None:
        plain = CODE_SPAN_RE.sub("", text)
        for code, pattern, message, hint in UNSAFE:
            m = pattern.search(plain)
            if m:
                DIAG.error(code, self.info.path, line, message.format(*m.groups()), hint)

    def cite_line(self, text: str, line: int, stash) -> str:
        """Replace citations outside code spans."""
        out, last = [], 0
        for m in CODE_SPAN_RE.finditer(text):
            out.append(self.cites.replace(text[last : m.start()], line, stash))
            out.append(m.group(0))
            last = m.end()
        out.append(self.cites.replace(text[last:], line, stash))
        return "".join(out)

    # -- data blocks -------------------------------------------------------------------------
    def render_block(self, text: str, line: int) -> str:
        return blocks.render(self, text, line) if self.data is not None else ""

    def cite_keys(self, keys) -> Markup:
        known = [k for k in keys if k in self.cites.references]
        return Markup(self.cites.marker(known)) if known else Markup("")

    def render_data_md(self, text: str, inline: bool = True) -> Markup:
        """Render Markdown from a data file; its citations join this page's numbering."""
        # Markdown strips its own stash markers from raw input, so citations become plain
        # tokens first and their HTML goes in after conversion.
        markers: list[str] = []

        def keep(html_text: str) -> str:
            markers.append(html_text)
            return f"CITEMARK{len(markers) - 1}X"

        source = self.cite_line(str(text), 0, keep)
        html = _data_markdown().reset().convert(source)
        for i, marker in enumerate(markers):
            html = html.replace(f"CITEMARK{i}X", marker)
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
                "html": format_reference(self.cites.references[k]),
            }
            for k in self.cites.cited
        ]
        return self.env.get_template("partials/references.html").render(references=items)


_DATA_MD: list = []


def _data_markdown() -> Markdown:
    """One Markdown instance for text from data files; creating one per cell was a hot spot."""
    if not _DATA_MD:
        _DATA_MD.append(Markdown(extensions=["markdown.extensions.smarty"]))
    return _DATA_MD[0]


class SitePreprocessor(Preprocessor):
    def __init__(self, md, ext):
        super().__init__(md)
        self.ext = ext

    def run(self, lines):
        page: PageRender | None = self.ext.page
        if page is None:
            return lines
        out, fence = [], None
        stash = self.md.htmlStash.store
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
                out.append(stash(html) if html else "")
                continue
            page.check_unsafe(text, line)
            page.info.prose_lines.append((line, text))
            out.append(page.cite_line(text, line, stash))
        return out


class SiteExtension(Extension):
    """Holds the page being converted; the reader sets ``page`` before each conversion."""

    def __init__(self, **kwargs):
        self.page: PageRender | None = None
        super().__init__(**kwargs)

    def extendMarkdown(self, md):  # noqa: N802 - Markdown's API name
        # After whitespace normalization (30), before fenced code (25) changes line counts.
        md.preprocessors.register(SitePreprocessor(md, self), "iop_site", 29)


def partials_env(theme_path: str) -> Environment:
    """A Jinja environment for the theme's partials, used while reading Markdown."""
    return Environment(
        loader=FileSystemLoader(str(theme_path) + "/templates"),
        autoescape=select_autoescape(default=True, default_for_string=True),
        bytecode_cache=BYTECODE,
        trim_blocks=True,
        lstrip_blocks=True,
    )
