"""Checks on every written HTML file: the crisis-banner contract, origins, headings, links.

Pages are parsed once with lxml (a C parser: BeautifulSoup is kept for the tests) and the
verdict is given when the build finishes, so every problem of every page is reported.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import unquote, urlparse

import lxml.html

from .data import digits, label_number, phone_href_digits
from .diagnostics import DIAG

REQUIRED = {
    "tel:988": "a 'tel:988' call link",
    "sms:988": "an 'sms:988' text link",
    "988lifeline.org": "a link to chat at 988lifeline.org",
    "tel:911": "a 'tel:911' link",
    "tel:+1-800-662-4357": "a 'tel:+1-800-662-4357' link to SAMHSA's National Helpline",
}
PRESS_3_RE = re.compile(r"\bpress(?:ing)?\s+3\b", re.I)
OLD_LIFELINE_RE = re.compile(r"\b1?[-.\s(]*800[-.\s)]*273[-.\s]*(?:8255|TALK)\b", re.I)
CSS_URL_RE = re.compile(r"url\(\s*['\"]?([^'\")]+)|@import\s+['\"]([^'\"]+)", re.I)
HIDING_RE = re.compile(r"display\s*:\s*none|visibility\s*:\s*hidden|clip-path\s*:\s*inset\(\s*50%|"
                       r"clip\s*:\s*rect\(\s*0", re.I)
RESOURCE_ATTRS = [("script", "src"), ("img", "src"), ("iframe", "src"), ("source", "src"),
                  ("video", "src"), ("audio", "src"), ("embed", "src"), ("object", "data"),
                  ("track", "src"), ("frame", "src")]


@dataclass
class PageFacts:
    rel: str
    ids: set = field(default_factory=set)
    links: list = field(default_factory=list)  # (line, href)


@dataclass
class OutputChecker:
    """Collects facts page by page; ``finish`` reports what spans pages (links, CSS classes)."""

    root: Path
    site_host: str = ""
    pages: dict = field(default_factory=dict)
    banner_classes: dict = field(default_factory=dict)  # rel -> classes on the banner and ancestors

    def label(self, rel: str) -> str:
        return f"output/{rel}"

    def check_page(self, path: str) -> None:
        path = Path(path)
        rel = path.relative_to(self.root).as_posix()
        raw = path.read_bytes()
        try:
            doc = lxml.html.document_fromstring(raw)
        except (lxml.etree.ParserError, ValueError) as exc:
            DIAG.error("OUT000", self.label(rel), 0, f"page cannot be parsed as HTML ({exc})")
            return
        facts = PageFacts(rel)
        self.pages[rel] = facts
        where = self.label(rel)
        self._banner(doc, rel, where)
        h1 = doc.xpath("//h1")
        if len(h1) != 1:
            DIAG.error("OUT010", where, h1[1].sourceline if len(h1) > 1 else 0,
                       f"page has {len(h1)} <h1> elements; it needs exactly one",
                       "the template gives the title as <h1>; use ## headings in Markdown")
        for img in doc.xpath("//img[not(@alt)]"):
            DIAG.error("OUT011", where, img.sourceline, f"image '{img.get('src')}' has no alt text",
                       "describe the image in its alt text, or alt=\"\" if it is decoration")
        for tag, attr in RESOURCE_ATTRS:
            for el in doc.xpath(f"//{tag}[@{attr}]"):
                self._origin(el.get(attr), where, el.sourceline, f"<{tag} {attr}>")
        for el in doc.xpath("//link[@href]"):
            if (el.get("rel") or "").lower() not in ("canonical", "alternate"):
                self._origin(el.get("href"), where, el.sourceline, "<link>")
        for el in doc.xpath("//*[@srcset]"):
            for part in el.get("srcset").split(","):
                self._origin(part.strip().split(" ")[0], where, el.sourceline, "srcset")
        for el in doc.xpath("//style|//*[@style]"):
            css = el.text or "" if el.tag == "style" else el.get("style")
            for m in CSS_URL_RE.finditer(css or ""):
                self._origin(m.group(1) or m.group(2), where, el.sourceline, "CSS url()")
        facts.ids = set(doc.xpath("//@id")) | set(doc.xpath("//a/@name"))
        facts.links = [(a.sourceline, a.get("href")) for a in doc.xpath("//a[@href]")]
        facts.links += [(el.sourceline, el.get("href")) for el in doc.xpath("//link[@rel='stylesheet']")]
        text = doc.text_content()
        if PRESS_3_RE.search(text):
            DIAG.error("SAFE021", where, 0, "the page shows the ended 988 'press 3' option",
                       "remove it: the LGBTQ+ youth option ended on July 17, 2025")
        hrefs = " ".join(doc.xpath("//a/@href"))
        if OLD_LIFELINE_RE.search(text) or "18002738255" in digits(hrefs):
            DIAG.error("SAFE022", where, 0, "the page shows the old Lifeline number 1-800-273-8255",
                       "show 988 (call or text) and 988lifeline.org instead")

    def _banner(self, doc, rel: str, where: str) -> None:
        banners = doc.xpath("//*[@data-crisis-banner]")
        if not banners:
            DIAG.error("OUT001", where, 0, "page has no crisis banner",
                       "extend base.html, which includes partials/crisis_banner.html")
            return
        banner = banners[0]
        main = doc.xpath("//main")
        if not main:
            DIAG.error("OUT002", where, 0, "page has no <main> element", "extend base.html")
        else:
            for el in doc.iter():
                if el is banner:
                    break
                if el is main[0]:
                    DIAG.error("OUT002", where, banner.sourceline, "the crisis banner comes after <main>",
                               "put the banner before <main>, right after the skip link")
                    break
        links = banner.xpath(".//a[@href]")
        hrefs = [a.get("href") for a in links]
        for needle, what in REQUIRED.items():
            if not any(h == needle or (needle.endswith(".org") and urlparse(h).netloc.endswith(needle))
                       for h in hrefs):
                DIAG.error("OUT003", where, banner.sourceline, f"the crisis banner lacks {what}",
                           "restore the line in data/crisis.yaml or partials/crisis_banner.html")
        for a in links:
            dialled = phone_href_digits(a.get("href"))
            if dialled is None:
                continue
            shown = digits(label_number(a.text_content()))
            if shown != dialled:
                DIAG.error("OUT004", where, a.sourceline,
                           f"crisis link '{a.get('href')}' dials {dialled} but shows '{a.text_content()}'",
                           "make the digits of href and text the same")
        chain = [banner, *banner.iterancestors()]
        classes = set()
        for el in chain:
            style = (el.get("style") or "").replace(" ", "").lower()
            if el.get("hidden") is not None or el.get("aria-hidden") == "true" or \
                    "display:none" in style or "visibility:hidden" in style:
                DIAG.error("OUT005", where, el.sourceline, "the crisis banner is hidden "
                           f"(<{el.tag}> has hidden, aria-hidden or an inline style that hides it)",
                           "the banner must always be visible")
            classes.update((el.get("class") or "").split())
        self.banner_classes[rel] = classes
        if banner.get("data-pagefind-ignore") is None:
            DIAG.error("OUT006", where, banner.sourceline,
                       "the crisis banner is not excluded from the search index",
                       "add data-pagefind-ignore=\"all\" to it")

    def _origin(self, url: str | None, where: str, line: int, what: str) -> None:
        if not url:
            return
        parsed = urlparse(url.strip())
        if parsed.scheme == "data":
            return
        if parsed.netloc and parsed.netloc != self.site_host:
            DIAG.error("OUT012", where, line, f"{what} loads '{url}' from another origin",
                       "serve it from this site: readers' privacy means no third-party requests")

    def finish(self, css_files: list[Path]) -> None:
        hiding = hidden_classes(css_files)
        for rel, classes in self.banner_classes.items():
            for cls in sorted(classes & hiding):
                DIAG.error("OUT005", self.label(rel), 0,
                           f"the crisis banner is hidden by the CSS class '{cls}'",
                           "remove the class; the banner must always be visible")
        for css in css_files:
            for m in CSS_URL_RE.finditer(css.read_text(encoding="utf-8", errors="replace")):
                self._origin(m.group(1) or m.group(2), f"output/{css.relative_to(self.root).as_posix()}",
                             0, "CSS url()")
        for facts in self.pages.values():
            for line, href in facts.links:
                self._link(facts, line, href)

    def _link(self, facts: PageFacts, line: int, href: str) -> None:
        parsed = urlparse(href)
        if parsed.scheme and parsed.scheme not in ("http", "https"):
            return
        if parsed.netloc and parsed.netloc != self.site_host:
            return
        where = self.label(facts.rel)
        if not parsed.path:
            target = facts
        else:
            base = "/" + facts.rel
            path = unquote(parsed.path)
            resolved = (Path(base).parent / path).as_posix() if not path.startswith("/") else path
            resolved = _normalize(resolved)
            candidates = [resolved.lstrip("/")]
            if resolved.endswith("/") or resolved == "":
                candidates = [(resolved.lstrip("/") + "index.html").lstrip("/")]
            elif not Path(resolved).suffix:
                candidates.append(resolved.lstrip("/") + "/index.html")
            found = next((c for c in candidates if (self.root / c).is_file()), None)
            if found is None:
                DIAG.error("OUT013", where, line, f"link to '{href}' leads to no page",
                           "fix the address; for pages use {filename}/pages/name.md links")
                return
            target = self.pages.get(found)
        if parsed.fragment and target is not None and unquote(parsed.fragment) not in target.ids:
            DIAG.error("OUT014", where, line, f"link to '{href}': no element has id '{parsed.fragment}'",
                       "fix the #anchor; headings get ids from their text")


def _normalize(path: str) -> str:
    parts = []
    for part in path.split("/"):
        if part == "..":
            if parts:
                parts.pop()
        elif part != ".":
            parts.append(part)
    return "/".join(parts)


def hidden_classes(css_files: list[Path]) -> set[str]:
    """Class names that a screen stylesheet hides by themselves (`.name { display: none }`)."""
    hiding = set()
    for css in css_files:
        text = re.sub(r"/\*.*?\*/", "", css.read_text(encoding="utf-8", errors="replace"), flags=re.S)
        text = re.sub(r"@media\s+print\s*\{(?:[^{}]*\{[^{}]*\})*[^{}]*\}", "", text)
        for selectors, body in re.findall(r"([^{}@]+)\{([^{}]*)\}", text):
            if HIDING_RE.search(body):
                for sel in selectors.split(","):
                    m = re.fullmatch(r"\s*\.([\w-]+)\s*", sel)
                    if m:
                        hiding.add(m.group(1))
    return hiding
