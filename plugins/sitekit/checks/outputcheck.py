"""Checks on every written HTML file: the crisis-banner contract, origins, headings, links, files.

Pages are parsed once with lxml (a C parser: BeautifulSoup is kept for the tests) and the
verdict is given when the build finishes, so every problem of every page is reported.

A problem that comes from an editor's Markdown (a broken link, an image) is reported at the
Markdown line that holds the address, when the page has a Markdown source; otherwise at the
written file. CSS that hides the banner is reported at the stylesheet's line.
"""

from __future__ import annotations

import difflib
import os
import posixpath
import re
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from urllib.parse import unquote, urlparse

from lxml import etree

from ..content.inlinecss import theme_css
from ..core.diagnostics import DIAG
from ..text.normalize import fold
from ..text.phone import digits, hidden_characters, is_phone_href, label_number, phone_href_digits
from . import csshide
from .publishing import preview_only

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
#: The banner of a page in Spanish (issue 28; content-standards.md es.4): 988 by call (press 2), by text
#: with the word AYUDA and by chat, 911, and the Veterans card on the Spanish help page. Its links into
#: the site lead to the help page in Spanish (REQUIRED_PREFIX).
REQUIRED_ES = {
    "tel:988": "a 'tel:988' call link that says to press 2 ('Llame al 988 y oprima 2')",
    "sms:988?body=AYUDA": "an 'sms:988?body=AYUDA' text link (text AYUDA to 988)",
    "988lifeline.org": "a link to chat at 988lifeline.org",
    "tel:911": "a 'tel:911' link",
    "#help-veterans": "a link to the Veterans Crisis Line ('#help-veterans' on the Spanish help page)",
}
#: The required links of the banner in each language (the <html lang> of the page).
REQUIRED_BY_LANG = {"en": REQUIRED, "es": REQUIRED_ES}
#: Words a required link must show, by language: in Spanish, 988 by phone is "press 2".
REQUIRED_TEXT = {("es", "tel:988"): re.compile(r"\b(?:oprim|presion|marqu)\w*\s+(?:el\s+)?2\b", re.I)}
#: Where the banner's links into the site lead, by language: the help page in that language.
REQUIRED_PREFIX = {"es": "/es/"}


def required_for(lang: str | None) -> dict:
    """The links a page's banner must have, for the language of the page (English for any other)."""
    return REQUIRED_BY_LANG.get(lang or "en", REQUIRED)


#: Searched in the words a reader sees, folded and lowercased (_reader_words, sitekit.text.normalize).
PRESS_3_RE = re.compile(r"\bpress(?:ing)?\s+3\b")
OLD_LIFELINE_RE = re.compile(r"(?<!\d)1?[-./\s(]*800[-./\s)]*273[-./\s]*(?:8255|talk)\b")
CSS_URL_RE = re.compile(r"url\(\s*['\"]?([^'\")]+)|@import\s+['\"]([^'\"]+)", re.I)
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
#: <link rel> values that make the browser fetch the file.
FETCHED_LINKS = {"stylesheet", "icon", "shortcut icon", "apple-touch-icon", "manifest", "preload", "modulepreload"}


@dataclass
class PageFacts:
    rel: str
    ids: set = field(default_factory=set)
    links: list = field(default_factory=list)  # (line, href)
    resources: list = field(default_factory=list)  # (line, url, what) of local files the page loads
    alternates: list = field(default_factory=list)  # (line, hreflang, href) of <link rel="alternate" hreflang>


@dataclass
class OutputChecker:
    """Collects facts page by page; ``finish`` reports what spans pages (links, files, stylesheet URLs)."""

    root: Path
    site_host: str = ""
    theme: Path | None = None  # its static CSS is matched against every banner
    crisis_ok: bool = True  # False when data/crisis.yaml is broken: missing banner links follow from that
    pages: dict = field(default_factory=dict)
    sources: dict = field(default_factory=dict)  # output rel -> (Markdown path, [(line, text)]), for trace-back
    files: set = field(default_factory=set)  # every output file, relative, filled in finish()
    rules: list = field(default_factory=list)
    theme_inline: str | None = None  # the theme stylesheet as every page inlines it
    shown: str = "output"  # how findings name the output folder: the folder the build replaces, not its staging copy
    _resolved: dict = field(default_factory=dict)  # link path -> output file, found once per folder
    pending: str | None = None  # a top folder another process is still writing (the search index)
    deferred: list = field(default_factory=list)  # (check, args) of links into it, for finish_pending
    content: Path | None = None  # the content folder: {filename} links name files in it
    #: Follow-ons: address (as Pelican wrote it) of a page that could not be read -> its Markdown file; output
    #: page that could not show a data block -> the data file that did not load. A link that fails because
    #: of them is listed under that file's error (Finding.because), not as an error of its own.
    unavailable: dict = field(default_factory=dict)
    degraded: dict = field(default_factory=dict)
    images: set = field(default_factory=set)  # (Markdown path, line) of images sitekit.content.images checked
    _content_files: list | None = None

    def __post_init__(self):
        self.rules = theme_hiding_rules(self.theme) if self.theme else []
        # Every page carries the theme's stylesheet inline (sitekit.content.inlinecss); its rules are checked
        # once, at the theme's own file and line, not again at every page.
        css = Path(self.theme) / "static/css/site.css" if self.theme else None
        self.theme_inline = theme_css(self.theme) if css is not None and css.is_file() else None

    def label(self, rel: str) -> str:
        return f"{self.shown}/{rel}"

    def report(
        self, code: str, rel: str, line: int, message: str, hint: str, needle: str | None = None, because: str = ""
    ) -> None:
        """Report at the Markdown line that holds ``needle`` when the page has one, else at the output file."""
        source = self.sources.get(rel)
        if needle and source:
            path, lines = source
            for number, text in lines:
                if needle in text:
                    DIAG.error(code, path, number, message, hint, because)
                    return
        DIAG.error(code, self.label(rel), line, message, hint, because)

    def _markdown_line(self, rel: str, needle: str) -> tuple[str, int] | None:
        source = self.sources.get(rel)
        if source:
            for number, text in source[1]:
                if needle in text:
                    return source[0], number
        return None

    def check_page(self, path: str, source=None) -> None:
        path = Path(path)
        rel = path.relative_to(self.root).as_posix()
        if source is not None:
            self.sources[rel] = source
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
        h1s, hrefs, inline_css = [], [], []
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
                    self._dial(el, rel)
            elif tag == "link" and "href" in attrib:
                rel_attr = (attrib.get("rel") or "").lower()
                if rel_attr == "alternate" and "hreflang" in attrib:
                    facts.alternates.append((el.sourceline, attrib["hreflang"], attrib["href"]))
                if rel_attr not in ("canonical", "alternate"):
                    self._origin(attrib["href"], rel, el.sourceline, "<link>")
                if rel_attr in FETCHED_LINKS:
                    facts.resources.append((el.sourceline, attrib["href"], f"<link rel={rel_attr}>"))
            elif tag == "img" and "alt" not in attrib:
                self.report(
                    "OUT011",
                    rel,
                    el.sourceline,
                    f"image '{attrib.get('src')}' has no alt text",
                    'describe the image in its alt text, or alt="" if it is decoration',
                    needle=attrib.get("src"),
                )
            elif tag == "style":
                inline_css.append((el.text or "", el.sourceline))
                self._css(el.text or "", rel, el.sourceline)
            elif tag == "table":
                self._table(el, where)
            if tag in RESOURCE_ATTRS and RESOURCE_ATTRS[tag] in attrib:
                url = attrib[RESOURCE_ATTRS[tag]]
                self._origin(url, rel, el.sourceline, f"<{tag} {RESOURCE_ATTRS[tag]}>")
                facts.resources.append((el.sourceline, url, f"<{tag}>"))
            if "style" in attrib:
                self._css(attrib["style"], rel, el.sourceline)
            if "srcset" in attrib:
                for part in attrib["srcset"].split(","):
                    url = part.strip().split(" ")[0]
                    self._origin(url, rel, el.sourceline, "srcset")
                    facts.resources.append((el.sourceline, url, "srcset"))
        rules = [
            *self.rules,
            *(
                r
                for css, line in inline_css
                if css != self.theme_inline
                for r in csshide.hiding_rules(css, where, line)
            ),
        ]
        self._banner(banner, main, banner_after_main, rel, where, rules, doc.get("lang"))
        if len(h1s) != 1:
            DIAG.error(
                "OUT010",
                where,
                h1s[1].sourceline if len(h1s) > 1 else 0,
                f"page has {len(h1s)} <h1> elements; it needs exactly one",
                "the template gives the title as <h1>; use ## headings in Markdown",
            )
        # The words the reader sees (the title and the body, not the CSS or JSON-LD in the head), with
        # entities decoded (by the parser), tags gone, and read as sitekit.text.normalize folds them
        # (invisible characters dropped, other digits, dashes and look-alike letters as ASCII), so none
        # of "pre&shy;ss 3", "<b>pr</b>ess 3", "27\u20603", fullwidth digits or other dashes hides a
        # stale form. A substring test rules most pages out before the slower regex.
        seen = fold(_reader_words(doc)).lower()
        if "press" in seen and PRESS_3_RE.search(seen):
            DIAG.error(
                "SAFE021",
                where,
                0,
                "the page shows the ended 988 'press 3' option",
                "remove it: the LGBTQ+ youth option ended on July 17, 2025",
            )
        dialled = fold(unquote(" ".join(hrefs)))  # a phone decodes "tel:1-800-27%33-8255" before it dials
        if ("273" in seen and OLD_LIFELINE_RE.search(seen)) or "18002738255" in digits(dialled):
            DIAG.error(
                "SAFE022",
                where,
                0,
                "the page shows the old Lifeline number 1-800-273-8255",
                "show 988 (call or text) and 988lifeline.org instead",
            )

    def _dial(self, a, rel: str) -> None:
        """Every link on a page (content, FAQs, data blocks, the theme): no characters that draw it
        differently from how it is read (OUT050); a tel:/sms: link dials what its text and its
        aria-label show (OUT004), compared as sitekit.text.phone reads them."""
        href = a.get("href")
        for code, message, hint in _dial_problems(href, _text(a), a.get("aria-label")):
            self.report(code, rel, a.sourceline, message, hint, needle=href)

    def _table(self, table, where: str) -> None:
        """Readers of a table need its caption, and screen readers need each header's scope."""
        if table.find("caption") is None:
            DIAG.error(
                "OUT016",
                where,
                table.sourceline,
                "a table has no caption",
                "in Markdown, write 'Table: what it shows' as its own paragraph just before the table",
            )
        for th in table.iter("th"):
            if th.get("scope") not in ("col", "row", "colgroup", "rowgroup"):
                DIAG.error(
                    "OUT016", where, th.sourceline, "a table header cell has no scope", 'add scope="col" or "row"'
                )

    def _css(self, css: str, rel: str, line: int) -> None:
        if "url(" in css or "@import" in css:
            for m in CSS_URL_RE.finditer(css):
                self._origin(m.group(1) or m.group(2), rel, line, "CSS url()")

    def _banner(self, banner, main, after_main: bool, rel: str, where: str, rules: list, lang=None) -> None:
        if banner is None:
            DIAG.error(
                "OUT001", where, 0, "page has no crisis banner", "extend base.html, which includes the crisis banner"
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
        required = []
        for needle, what in required_for(lang).items():
            found = [a for a in links if _satisfies(a, needle, lang)]
            if not found and self.crisis_ok:
                DIAG.error(
                    "OUT003",
                    where,
                    banner.sourceline,
                    f"the crisis banner lacks {what}",
                    "restore the line in data/crisis.yaml or the banner partial",
                )
            required += found
        prefix = REQUIRED_PREFIX.get(lang or "")
        for a in links if prefix else ():
            path = self._site_path(a.get("href"))
            if path and not path.startswith(prefix):
                DIAG.error(
                    "OUT003",
                    where,
                    a.sourceline,
                    f"the crisis banner of a page in '{lang}' links to '{a.get('href')}', "
                    "not to the help page in its language",
                    "set help_page in data/<lang>/crisis.yaml to the help page in that language",
                )
        # Everything whose hiding hides the banner or a required link: its ancestors, the banner,
        # and each element between the banner and a required link.
        chain = [*reversed(list(banner.iterancestors())), banner]
        for a in required:
            between = []
            for el in a.iterancestors():
                if el is banner:
                    break
                between.append(el)
            chain += [el for el in reversed(between) if el not in chain] + [a]
        for el in chain:
            problem = _hidden_in_markup(el, chain)
            if problem:
                DIAG.error(
                    "OUT005",
                    where,
                    el.sourceline,
                    f"the crisis banner is hidden: <{el.tag}> {problem}",
                    "the banner and its links must always be visible",
                )
        for rule, el in csshide.hiding(rules, chain):
            target = "the crisis banner" if el is banner or el in banner.iterancestors() else "a crisis link"
            DIAG.error(
                "OUT005",
                rule.source,
                rule.line,
                f"the CSS rule '{rule.selector}' ({rule.declaration}) hides {target} (<{el.tag}{_describe(el)}>)",
                "the banner and its links must always be visible; change the selector or the rule",
            )
        if banner.get("data-pagefind-ignore") is None:
            DIAG.error(
                "OUT006",
                where,
                banner.sourceline,
                "the crisis banner is not excluded from the search index",
                'add data-pagefind-ignore="all" to it',
            )

    def _origin(self, url: str | None, rel: str, line: int, what: str) -> None:
        if not url:
            return
        parsed = urlparse(url.strip())
        if parsed.scheme == "data":
            return
        if parsed.netloc and parsed.netloc != self.site_host:
            self.report(
                "OUT012",
                rel,
                line,
                f"{what} loads '{url}' from another origin",
                "serve it from this site: readers' privacy means no third-party requests",
                needle=url,
            )

    def finish(self, pending: str | None = None) -> None:
        """The checks across pages: every output file, stylesheet, link and loaded file. ``pending``:
        a top folder not yet complete; links that lead into it wait for ``finish_pending``."""
        self.pending = pending
        self.files = self._walk(self.root, skip=pending)
        self._stylesheets(self.files)
        for facts in self.pages.values():
            for line, href in facts.links:
                self._link(facts, line, href)
            for line, url, what in facts.resources:
                self._resource(facts, line, url, what)
        self._alternates()

    def _alternates(self) -> None:
        """TRN040: a page's hreflang set names the page itself, x-default and only pages the build wrote,
        and every page it names carries the very same set (Google's rule: reciprocal, self-referencing)."""
        for facts in self.pages.values():
            if not facts.alternates:
                continue
            where = self.label(facts.rel)
            mine = {(lang, href) for _line, lang, href in facts.alternates}
            targets = {}
            for line, lang, href in facts.alternates:
                path = self._site_path(href)
                found = self._resolve(facts.rel, path) if path else None
                if found is None:
                    DIAG.error(
                        "TRN040",
                        where,
                        line,
                        f"hreflang '{lang}' names '{href}', which the build did not write",
                        "the language sets come from iop_lang: report this as a bug",
                    )
                    continue
                targets[found] = lang
            if facts.rel not in targets:
                DIAG.error(
                    "TRN040",
                    where,
                    facts.alternates[0][0],
                    "the page's hreflang set does not name the page itself",
                    "every page of a set lists itself with its own language",
                )
            if not any(lang == "x-default" for _l, lang, _h in facts.alternates):
                DIAG.error(
                    "TRN040",
                    where,
                    facts.alternates[0][0],
                    "the page's hreflang set has no x-default",
                    "add the English page as x-default",
                )
            for other in targets:
                theirs = self.pages.get(other)
                if theirs is not None and {(lang, href) for _l, lang, href in theirs.alternates} != mine:
                    DIAG.error(
                        "TRN040",
                        where,
                        facts.alternates[0][0],
                        f"the hreflang set is not the same on {self.label(other)}, which it names",
                        "a page and its translations list the same set: each other, themselves and x-default",
                    )

    def finish_pending(self) -> None:
        """The pending folder is complete: its files and stylesheets, and the links that lead into it."""
        folder, self.pending = self.pending, None
        added = self._walk(self.root / folder)
        self.files |= added
        self._stylesheets(added)
        self._resolved.clear()
        deferred, self.deferred = self.deferred, []
        for check, args in deferred:
            check(*args)

    def _stylesheets(self, files: set[str]) -> None:
        for rel in sorted(f for f in files if f.endswith(".css")):
            self._css((self.root / rel).read_text(encoding="utf-8", errors="replace"), rel, 0)

    def _walk(self, top: Path, skip: str | None = None) -> set[str]:
        files = set()
        for d, dirs, names in os.walk(top):
            if skip is not None and Path(d) == self.root and skip in dirs:
                dirs.remove(skip)
            files.update(os.path.relpath(os.path.join(d, f), self.root).replace(os.sep, "/") for f in names)
        return files

    def _into_pending(self, page_rel: str, path: str) -> bool:
        """Whether a link path that found no file leads into the folder still being written."""
        if self.pending is None:
            return False
        target = _target(page_rel, path)
        return target == self.pending or target.startswith(self.pending + "/")

    def _resolve(self, page_rel: str, path: str) -> str | None:
        """The output file a link path leads to (relative to the output root), or None."""
        key = path if path.startswith("/") else posixpath.dirname(page_rel) + "\0" + path
        if key not in self._resolved:
            self._resolved[key] = self._resolve_path(page_rel, path)
        return self._resolved[key]

    def _resolve_path(self, page_rel: str, path: str) -> str | None:
        resolved = _target(page_rel, path)
        if path.endswith("/") or resolved in ("", "."):
            candidates = ["index.html" if resolved in ("", ".") else f"{resolved}/index.html"]
        else:
            candidates = [resolved]
            if not posixpath.splitext(resolved)[1]:
                candidates.append(resolved + "/index.html")
        return next((c for c in candidates if c in self.files), None)

    def _site_path(self, url: str) -> str | None:
        """The path part of a URL that points into this site, or None for another site or scheme."""
        return _in_site(url, self.site_host)[0]

    def _resource(self, facts: PageFacts, line: int, url: str, what: str) -> None:
        path = self._site_path(url.strip())
        if path and self._resolve(facts.rel, path) is None:
            if self._into_pending(facts.rel, path):
                self.deferred.append((self._resource, (facts, line, url, what)))
                return
            image = what in ("<img>", "srcset")
            if image and self._markdown_line(facts.rel, url.split("#")[0]) in self.images:
                return  # an image of the page's Markdown: sitekit.content.images reported it at its line
            self.report(
                "OUT015",
                facts.rel,
                line,
                f"{what} loads '{url}', which is not in the built site",
                "put the image in content/images/ and show it with ![What it shows]({static}/images/NAME)"
                if image
                else "fix the address, or add the file to the theme's static folder",
                needle=url,
            )

    def _link(self, facts: PageFacts, line: int, href: str) -> None:
        if href.startswith(("tel:", "sms:", "mailto:")):
            return
        if href.startswith("#"):  # most links on a page: citations and back-links
            if href != "#" and unquote(href[1:]) not in facts.ids:  # a bare "#" is the top of the page
                self.report(
                    "OUT014",
                    facts.rel,
                    line,
                    f"link to '{href}': no element has id '{href[1:]}'",
                    "fix the #anchor; headings get ids from their text",
                    needle=f"({href})",
                    because=self._degraded(facts.rel),
                )
            return
        if href.startswith(PELICAN_LINKS):  # a {filename} link Pelican could not resolve
            self._unresolved(facts, line, href)
            return
        path, fragment, preview = _in_site(href, self.site_host)
        if preview:
            where = self._markdown_line(facts.rel, href) or (self.label(facts.rel), line)
            DIAG.warning(
                "EDT003",
                *where,
                f"link to '{href}': that address exists only in the preview on your computer",
                "link to the page's file instead: [text]({filename}/guides/name.md); publish refuses this link",
            )
            return
        if path is None:
            return
        if not path:
            target = facts
        else:
            found = self._resolve(facts.rel, path)
            if found is None:
                if self._into_pending(facts.rel, path):
                    self.deferred.append((self._link, (facts, line, href)))
                    return
                because = self._unavailable(facts.rel, path)
                source = self.unavailable.get(_target(facts.rel, path))
                self.report(
                    "OUT013",
                    facts.rel,
                    line,
                    f"link to '{href}' leads to no page",
                    "" if because else self._page_hint(path),
                    # The Markdown links to the page's file ({filename}/guides/x.md), not the address Pelican wrote.
                    needle=f"/{Path(source).name}" if because else href,
                    because=because,
                )
                return
            target = self.pages.get(found)
        if fragment and target is not None and unquote(fragment) not in target.ids:
            self.report(
                "OUT014",
                facts.rel,
                line,
                f"link to '{href}': no element has id '{fragment}'",
                "fix the #anchor; headings get ids from their text",
                needle=f"#{fragment}",
                because=self._degraded(target.rel),
            )

    # -- links that fail because of another file's error, and hints that name the right file --------------

    def _degraded(self, rel: str) -> str:
        """The cause ('data/faqs.yaml:40') when page ``rel`` could not show a block: its data file did not load."""
        data_file = self.degraded.get(rel)
        return DIAG.cause(data_file) if data_file else ""

    def _unavailable(self, page_rel: str, path: str) -> str:
        """The cause when a link leads to a page that could not be read ('content/guides/x.md:3'), or ''."""
        source = self.unavailable.get(_target(page_rel, path))
        return DIAG.cause(source) if source else ""

    def _markdown_files(self) -> list[str]:
        """'/guides/what-is-iop.md' for every Markdown file of the content folder, as {filename} names them."""
        if self._content_files is None:
            root = Path(self.content) if self.content else None
            found = root.rglob("*.md") if root is not None and root.is_dir() else []
            self._content_files = sorted("/" + p.relative_to(root).as_posix() for p in found)
        return self._content_files

    def _unresolved(self, facts: PageFacts, line: int, href: str) -> None:
        """A {filename} (or {static}) link whose file does not exist: Pelican left it as written."""
        written = href.split("#")[0]
        kind = next(k for k in PELICAN_LINKS if written.startswith(k))
        name = written[len(kind) :]
        source = self.sources.get(facts.rel)
        if source is not None and self.content and not name.startswith("/"):
            try:
                here = Path(source[0]).resolve().parent.relative_to(Path(self.content).resolve()).as_posix()
            except ValueError:
                here = ""
            name = "/" + posixpath.normpath(posixpath.join(here, name)).lstrip("/")
        close = difflib.get_close_matches(name, self._markdown_files(), n=1, cutoff=0.6)
        self.report(
            "OUT013",
            facts.rel,
            line,
            f"link to '{written}': there is no file content{name}",
            f"did you mean {kind}{close[0]}?" if close else GUIDE_LINK_HINT,
            needle=written,
        )

    def _page_hint(self, path: str) -> str:
        """For a link that leads to no page: the closest page, by the file to link it with."""
        urls = {"/" + rel.removesuffix("index.html"): rel for rel in self.pages if rel.endswith(".html")}
        close = difflib.get_close_matches("/" + path.lstrip("/"), list(urls), n=1, cutoff=0.6)
        if not close:
            return GUIDE_LINK_HINT
        source = self.sources.get(urls[close[0]])
        if source is not None and self.content:
            try:
                name = Path(source[0]).resolve().relative_to(Path(self.content).resolve()).as_posix()
            except ValueError:
                name = None
            if name:
                return f"did you mean the page at {close[0]}? Link to it by its file: [text]({{filename}}/{name})"
        return f"did you mean {close[0]}?"


_PARSER = etree.HTMLParser()
#: How Pelican's links to files of the site start; one still there in the output named no file.
PELICAN_LINKS = ("{filename}", "{static}", "{attach}", "|filename|", "|static|", "|attach|")
GUIDE_LINK_HINT = (
    "link to a guide as [text]({filename}/guides/name.md) and to a page as [text]({filename}/pages/name.md)"
)


@lru_cache(maxsize=16384)
def _in_site(url: str, site_host: str) -> tuple[str | None, str, bool]:
    """(the path of a URL that points into this site, or None for another site or scheme; its #fragment;
    whether it is an address only the preview has). The same links come back on every page."""
    parsed = urlparse(url)
    other = (parsed.scheme and parsed.scheme not in ("http", "https")) or (parsed.netloc and parsed.netloc != site_host)
    return None if other else unquote(parsed.path), parsed.fragment, preview_only(url, site_host)


def _target(page_rel: str, path: str) -> str:
    """The output path (relative to the root) a link path names, from the page at ``page_rel``."""
    joined = path if path.startswith("/") else posixpath.join("/" + posixpath.dirname(page_rel), path)
    return posixpath.normpath(joined).lstrip("/")


def _satisfies(link, needle: str, page_lang: str | None = None) -> bool:
    """Whether a banner link is the one REQUIRED (or REQUIRED_ES) names."""
    href = link.get("href")
    words = REQUIRED_TEXT.get((page_lang, needle))
    if words is not None and not words.search(" ".join(_text(link).split())):
        return False
    if needle.startswith("#"):
        lang = REQUIRED_LANG.get(needle)
        return href.endswith(needle) and (lang is None or link.get("lang") == lang)
    if needle.endswith(".org"):
        return urlparse(href).netloc.endswith(needle)
    return href == needle


def _text(el) -> str:
    return etree.tostring(el, method="text", encoding=str, with_tail=False)


@lru_cache(maxsize=4096)
def _dial_problems(href: str, text: str, label: str | None) -> tuple[tuple[str, str, str], ...]:
    """(code, message, hint) of what is wrong with a link of this address, text and aria-label: the
    same theme and data links come back on every page, so each is worked out once."""
    phone = is_phone_href(href)
    hidden = {
        what: found
        for what, value in (("address", unquote(href)), ("text", text), ("aria-label", label or ""))
        if (found := hidden_characters(value, phone=phone or what == "address"))
    }
    out = []
    if hidden:
        listed = "; ".join(f"its {what} holds {', '.join(found)}" for what, found in hidden.items())
        out.append(
            (
                "OUT050",
                f"link '{href}' ('{text}'): {listed}",
                "type the link again with plain ASCII digits and no invisible or direction-changing characters",
            )
        )
    if not phone:
        return tuple(out)
    dialled = phone_href_digits(href)
    for what, shown in (("shows", text), ("says in its aria-label", label)):
        if shown is None or (what != "shows" and not digits(shown)):
            continue
        number = digits(label_number(shown))
        if number != dialled:
            out.append(
                (
                    "OUT004",
                    f"link '{href}' dials {dialled or 'no number'} but {what} '{shown}'",
                    "show the number the link dials in its text, with the same digits",
                )
            )
    return tuple(out)


def _reader_words(doc) -> str:
    title, body = doc.find("head/title"), doc.find("body")
    return " ".join(_text(el) for el in (title, body) if el is not None)


def _describe(el) -> str:
    bits = []
    if el.get("id"):
        bits.append(f' id="{el.get("id")}"')
    if el.get("class"):
        bits.append(f' class="{el.get("class")}"')
    if el.get("href"):
        bits.append(f' href="{el.get("href")}"')
    return "".join(bits)


_STYLE_HIDES = re.compile(r"display:none|visibility:hidden|visibility:collapse|opacity:0(?:\.0*)?(?:;|$)")


def _hidden_in_markup(el, chain) -> str | None:
    """Why the page's own markup hides this element, or None."""
    if el.get("hidden") is not None:
        return "has the hidden attribute"
    if el.get("aria-hidden") == "true":
        return 'has aria-hidden="true"'
    if el.tag == "template":
        return "is a <template>, which is never shown"
    if el.tag == "details" and el.get("open") is None:
        summary = next((c for c in el if c.tag == "summary"), None)
        inside_summary = summary is not None and any(x is summary for x in chain)
        if not inside_summary:
            return "is a closed <details>: its content is hidden until someone opens it"
    style = (el.get("style") or "").replace(" ", "").lower()
    if _STYLE_HIDES.search(style):
        return f'has an inline style that hides it ("{el.get("style")}")'
    return None


def theme_hiding_rules(theme: Path) -> list:
    """Hiding rules of the theme's stylesheets (their source files, not the copies in the output)."""
    out = []
    static = Path(theme) / "static"
    for css in sorted(static.rglob("*.css")) if static.is_dir() else []:
        out += csshide.hiding_rules(css.read_text(encoding="utf-8", errors="replace"), str(css))
    return out


_CHECKERS: dict = {}  # in the worker (sitekit.runtime.pool): one checker per build's settings


def check_task(root: Path, site_host: str, theme: Path, crisis_ok: bool, path: str, source):
    """In the worker process: check one page; return its facts for the cross-page checks."""
    key = (root, site_host, theme, crisis_ok)
    checker = _CHECKERS.get(key) or _CHECKERS.setdefault(key, OutputChecker(root, site_host, theme, crisis_ok))
    checker.check_page(path, source)
    rel = Path(path).relative_to(root).as_posix()
    return checker.pages.pop(rel, None)
