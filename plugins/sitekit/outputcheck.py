"""Checks on every written HTML file: the crisis-banner contract, origins, headings, links.

Pages are parsed once with lxml (a C parser: BeautifulSoup is kept for the tests) and the
verdict is given when the build finishes, so every problem of every page is reported.
"""

from __future__ import annotations

import os
import posixpath
import re
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import unquote, urlparse

from lxml import etree

from .data import digits, label_number, phone_href_digits
from .diagnostics import DIAG

#: What the banner must link to (content-standards.md section 3, issue #12): 988 by call, text and
#: chat, 911, and in one step the Veterans line and 988 in Spanish (their cards on the help page,
#: whose anchors the link check resolves). A needle "#x" matches an href ending in it; a needle
#: ending in ".org" matches a link to that host; any other needle matches an href exactly.
REQUIRED = {
    "tel:988": "a 'tel:988' call link",
    "sms:988": "an 'sms:988' text link",
    "988lifeline.org": "a link to chat at 988lifeline.org",
    "tel:911": "a 'tel:911' link",
    "#help-veterans": "a link to the Veterans Crisis Line ('#help-veterans' on the help page)",
    "#help-spanish": "a link to 988 in Spanish ('#help-spanish' on the help page, marked lang=\"es\")",
}
#: Links that must say which language they are in.
REQUIRED_LANG = {"#help-spanish": "es"}
PRESS_3_RE = re.compile(r"\bpress(?:ing)?\s+3\b", re.I)
OLD_LIFELINE_RE = re.compile(r"\b1?[-.\s(]*800[-.\s)]*273[-.\s]*(?:8255|TALK)\b", re.I)
CSS_URL_RE = re.compile(r"url\(\s*['\"]?([^'\")]+)|@import\s+['\"]([^'\"]+)", re.I)
HIDING_RE = re.compile(
    r"display\s*:\s*none|visibility\s*:\s*hidden|clip-path\s*:\s*inset\(\s*50%|"
    r"clip\s*:\s*rect\(\s*0",
    re.I,
)
RESOURCE_ATTRS = {
    "script": "src",
    "img": "src",
    "iframe": "src",
    "source": "src",
    "video": "src",
    "audio": "src",
    "embed": "src",
    "object": "data",
    "track": "src",
    "frame": "src",
}


@dataclass
class PageFacts:
    rel: str
    ids: set = field(default_factory=set)
    links: list = field(default_factory=list)  # (line, href)
    styles: set = field(default_factory=set)  # text of its <style> elements, for the hiding check


@dataclass
class OutputChecker:
    """Collects facts page by page; ``finish`` reports what spans pages (links, CSS classes)."""

    root: Path
    site_host: str = ""
    pages: dict = field(default_factory=dict)
    banner_classes: dict = field(default_factory=dict)  # rel -> classes on the banner and ancestors
    files: set = field(default_factory=set)  # every output file, relative, filled in finish()

    def label(self, rel: str) -> str:
        return f"output/{rel}"

    def check_page(self, path: str) -> None:
        path = Path(path)
        rel = path.relative_to(self.root).as_posix()
        raw = path.read_bytes()
        try:
            # Plain etree elements: lxml.html's element-class lookup cost more than the parse.
            doc = etree.fromstring(raw, _PARSER)
            if doc is None:
                raise ValueError("empty document")
        except (etree.ParserError, etree.XMLSyntaxError, ValueError) as exc:
            DIAG.error("OUT000", self.label(rel), 0, f"page cannot be parsed as HTML ({exc})")
            return
        facts = PageFacts(rel)
        self.pages[rel] = facts
        where = self.label(rel)
        # One walk over the tree gathers everything; XPath per check was most of the cost.
        banner = main = None
        banner_after_main = False
        h1s, hrefs = [], []
        for el in doc.iter():
            tag = el.tag
            if not isinstance(tag, str):  # comments and processing instructions
                continue
            attrib = el.attrib
            if "id" in attrib:
                facts.ids.add(attrib["id"])
            if banner is None and "data-crisis-banner" in attrib:
                banner = el
                banner_after_main = main is not None
            if tag == "main" and main is None:
                main = el
            elif tag == "h1":
                h1s.append(el)
            elif tag == "a":
                if "name" in attrib:
                    facts.ids.add(attrib["name"])
                if "href" in attrib:
                    facts.links.append((el.sourceline, attrib["href"]))
                    hrefs.append(attrib["href"])
            elif tag == "link" and "href" in attrib:
                rel_attr = (attrib.get("rel") or "").lower()
                if rel_attr not in ("canonical", "alternate"):
                    self._origin(attrib["href"], where, el.sourceline, "<link>")
                if rel_attr == "stylesheet":
                    facts.links.append((el.sourceline, attrib["href"]))
            elif tag == "img" and "alt" not in attrib:
                DIAG.error(
                    "OUT011",
                    where,
                    el.sourceline,
                    f"image '{attrib.get('src')}' has no alt text",
                    'describe the image in its alt text, or alt="" if it is decoration',
                )
            elif tag == "style":
                self._css(el.text or "", where, el.sourceline)
                facts.styles.add(el.text or "")
            elif tag == "table":
                self._table(el, where)
            if tag in RESOURCE_ATTRS and RESOURCE_ATTRS[tag] in attrib:
                self._origin(attrib[RESOURCE_ATTRS[tag]], where, el.sourceline, f"<{tag} {RESOURCE_ATTRS[tag]}>")
            if "style" in attrib:
                self._css(attrib["style"], where, el.sourceline)
            if "srcset" in attrib:
                for part in attrib["srcset"].split(","):
                    self._origin(part.strip().split(" ")[0], where, el.sourceline, "srcset")
        self._banner(banner, main, banner_after_main, rel, where)
        if len(h1s) != 1:
            DIAG.error(
                "OUT010",
                where,
                h1s[1].sourceline if len(h1s) > 1 else 0,
                f"page has {len(h1s)} <h1> elements; it needs exactly one",
                "the template gives the title as <h1>; use ## headings in Markdown",
            )
        # The stale-form regexes are slow on long pages; a byte test rules most pages out first.
        lowered = raw.lower()
        if b"press" in lowered and PRESS_3_RE.search(_text(doc)):
            DIAG.error(
                "SAFE021",
                where,
                0,
                "the page shows the ended 988 'press 3' option",
                "remove it: the LGBTQ+ youth option ended on July 17, 2025",
            )
        if b"273" in raw and (OLD_LIFELINE_RE.search(_text(doc)) or "18002738255" in digits(" ".join(hrefs))):
            DIAG.error(
                "SAFE022",
                where,
                0,
                "the page shows the old Lifeline number 1-800-273-8255",
                "show 988 (call or text) and 988lifeline.org instead",
            )

    def _table(self, table, where: str) -> None:
        """Readers of a table need its caption, and screen readers need each header's scope."""
        if table.find("caption") is None:
            DIAG.error(
                "OUT015",
                where,
                table.sourceline,
                "a table has no caption",
                "in Markdown, write 'Table: what it shows' as its own paragraph just before the table",
            )
        for th in table.iter("th"):
            if th.get("scope") not in ("col", "row", "colgroup", "rowgroup"):
                DIAG.error(
                    "OUT015", where, th.sourceline, "a table header cell has no scope", 'add scope="col" or "row"'
                )

    def _css(self, css: str, where: str, line: int) -> None:
        if "url(" in css or "@import" in css:
            for m in CSS_URL_RE.finditer(css):
                self._origin(m.group(1) or m.group(2), where, line, "CSS url()")

    def _banner(self, banner, main, after_main: bool, rel: str, where: str) -> None:
        if banner is None:
            DIAG.error(
                "OUT001",
                where,
                0,
                "page has no crisis banner",
                "extend base.html, which includes partials/crisis_banner.html",
            )
            return
        if main is None:
            DIAG.error("OUT002", where, 0, "page has no <main> element", "extend base.html")
        elif after_main:
            DIAG.error(
                "OUT002",
                where,
                banner.sourceline,
                "the crisis banner comes after <main>",
                "put the banner before <main>, right after the skip link",
            )
        links = banner.xpath(".//a[@href]")
        for needle, what in REQUIRED.items():
            if not any(_satisfies(a, needle) for a in links):
                DIAG.error(
                    "OUT003",
                    where,
                    banner.sourceline,
                    f"the crisis banner lacks {what}",
                    "restore the line in data/crisis.yaml or partials/crisis_banner.html",
                )
        for a in links:
            dialled = phone_href_digits(a.get("href"))
            if dialled is None:
                continue
            shown = digits(label_number(_text(a)))
            if shown != dialled:
                DIAG.error(
                    "OUT004",
                    where,
                    a.sourceline,
                    f"crisis link '{a.get('href')}' dials {dialled} but shows '{_text(a)}'",
                    "make the digits of href and text the same",
                )
        chain = [banner, *banner.iterancestors()]
        classes = set()
        for el in chain:
            style = (el.get("style") or "").replace(" ", "").lower()
            if (
                el.get("hidden") is not None
                or el.get("aria-hidden") == "true"
                or "display:none" in style
                or "visibility:hidden" in style
            ):
                DIAG.error(
                    "OUT005",
                    where,
                    el.sourceline,
                    "the crisis banner is hidden "
                    f"(<{el.tag}> has hidden, aria-hidden or an inline style that hides it)",
                    "the banner must always be visible",
                )
            classes.update((el.get("class") or "").split())
        self.banner_classes[rel] = classes
        if banner.get("data-pagefind-ignore") is None:
            DIAG.error(
                "OUT006",
                where,
                banner.sourceline,
                "the crisis banner is not excluded from the search index",
                'add data-pagefind-ignore="all" to it',
            )

    def _origin(self, url: str | None, where: str, line: int, what: str) -> None:
        if not url:
            return
        parsed = urlparse(url.strip())
        if parsed.scheme == "data":
            return
        if parsed.netloc and parsed.netloc != self.site_host:
            DIAG.error(
                "OUT012",
                where,
                line,
                f"{what} loads '{url}' from another origin",
                "serve it from this site: readers' privacy means no third-party requests",
            )

    def finish(self, css_files: list[Path]) -> None:
        inline = sorted({css for facts in self.pages.values() for css in facts.styles})
        hiding = hidden_classes(css_files) | hidden_classes_in(inline)
        for rel, classes in self.banner_classes.items():
            for cls in sorted(classes & hiding):
                DIAG.error(
                    "OUT005",
                    self.label(rel),
                    0,
                    f"the crisis banner is hidden by the CSS class '{cls}'",
                    "remove the class; the banner must always be visible",
                )
        for css in css_files:
            self._css(
                css.read_text(encoding="utf-8", errors="replace"), f"output/{css.relative_to(self.root).as_posix()}", 0
            )
        self.files = {
            os.path.relpath(os.path.join(d, f), self.root).replace(os.sep, "/")
            for d, _dirs, names in os.walk(self.root)
            for f in names
        }
        for facts in self.pages.values():
            for line, href in facts.links:
                self._link(facts, line, href)

    def _resolve(self, page_rel: str, path: str) -> str | None:
        """The output file a link path leads to (relative to the output root), or None."""
        joined = path if path.startswith("/") else posixpath.join("/" + posixpath.dirname(page_rel), path)
        resolved = posixpath.normpath(joined).lstrip("/")
        if path.endswith("/") or resolved in ("", "."):
            candidates = ["index.html" if resolved in ("", ".") else f"{resolved}/index.html"]
        else:
            candidates = [resolved]
            if not posixpath.splitext(resolved)[1]:
                candidates.append(resolved + "/index.html")
        return next((c for c in candidates if c in self.files), None)

    def _link(self, facts: PageFacts, line: int, href: str) -> None:
        if href.startswith(("tel:", "sms:", "mailto:")):
            return
        if href.startswith("#"):  # most links on a page: citations and back-links
            if unquote(href[1:]) not in facts.ids:
                DIAG.error(
                    "OUT014",
                    self.label(facts.rel),
                    line,
                    f"link to '{href}': no element has id '{href[1:]}'",
                    "fix the #anchor; headings get ids from their text",
                )
            return
        parsed = urlparse(href)
        if parsed.scheme and parsed.scheme not in ("http", "https"):
            return
        if parsed.netloc and parsed.netloc != self.site_host:
            return
        where = self.label(facts.rel)
        if not parsed.path:
            target = facts
        else:
            found = self._resolve(facts.rel, unquote(parsed.path))
            if found is None:
                DIAG.error(
                    "OUT013",
                    where,
                    line,
                    f"link to '{href}' leads to no page",
                    "fix the address; for pages use {filename}/pages/name.md links",
                )
                return
            target = self.pages.get(found)
        if parsed.fragment and target is not None and unquote(parsed.fragment) not in target.ids:
            DIAG.error(
                "OUT014",
                where,
                line,
                f"link to '{href}': no element has id '{parsed.fragment}'",
                "fix the #anchor; headings get ids from their text",
            )


_PARSER = etree.HTMLParser()


def _satisfies(link, needle: str) -> bool:
    """Whether a banner link is the one REQUIRED names."""
    href = link.get("href")
    if needle.startswith("#"):
        lang = REQUIRED_LANG.get(needle)
        return href.endswith(needle) and (lang is None or link.get("lang") == lang)
    if needle.endswith(".org"):
        return urlparse(href).netloc.endswith(needle)
    return href == needle


def _text(el) -> str:
    return "".join(el.itertext())


def hidden_classes(css_files: list[Path]) -> set[str]:
    """Class names that a screen stylesheet hides by themselves (`.name { display: none }`)."""
    return hidden_classes_in(css.read_text(encoding="utf-8", errors="replace") for css in css_files)


def hidden_classes_in(stylesheets) -> set[str]:
    """The same, for stylesheets given as text (the pages' inline <style>)."""
    hiding = set()
    for css in stylesheets:
        text = re.sub(r"/\*.*?\*/", "", css, flags=re.S)
        text = re.sub(r"@media\s+print\s*\{(?:[^{}]*\{[^{}]*\})*[^{}]*\}", "", text)
        for selectors, body in re.findall(r"([^{}@]+)\{([^{}]*)\}", text):
            if HIDING_RE.search(body):
                for sel in selectors.split(","):
                    m = re.fullmatch(r"\s*\.([\w-]+)\s*", sel)
                    if m:
                        hiding.add(m.group(1))
    return hiding


def worker_check(root: Path, site_host: str, path: str):
    """In the worker process: check one page; return its facts for the cross-page checks."""
    from .workers import IN_WORKER

    checker = IN_WORKER.setdefault(("output", root, site_host), OutputChecker(root, site_host))
    checker.check_page(path)
    rel = Path(path).relative_to(root).as_posix()
    return checker.pages.pop(rel, None), checker.banner_classes.pop(rel, None)
