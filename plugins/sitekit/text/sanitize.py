"""HTML written by editors (raw HTML in Markdown, and what Markdown makes of links, images and
attribute lists) is cleaned by nh3, the binding to the Rust ammonia sanitizer, with an explicit
allowlist. The build never strips silently: `clean` also says what the sanitizer removed, and the
reader reports each removal as an error at the Markdown line it came from (SAFE001-SAFE005).

Only editor HTML goes through here: the site's own markup (citation markers, data blocks,
the reference list) is put in after cleaning, from templates that autoescape their values.
"""

from __future__ import annotations

import html as html_lib
import re
from collections import Counter
from dataclasses import dataclass
from functools import lru_cache
from urllib.parse import urlparse

import nh3
from lxml import etree
from lxml import html as lxml_html

#: What Markdown (with the extra, toc and smarty extensions) produces, plus a few inline tags editors use.
TAGS = {
    "a", "abbr", "b", "blockquote", "br", "caption", "cite", "code", "dd", "del", "div", "dl", "dt", "em",
    "figcaption", "figure", "h1", "h2", "h3", "h4", "h5", "h6", "hr", "i", "img", "ins", "kbd", "li", "mark",
    "ol", "p", "pre", "q", "s", "small", "span", "strong", "sub", "sup", "table", "tbody", "td", "tfoot", "th",
    "thead", "time", "tr", "ul",
}  # fmt: skip
ATTRIBUTES = {
    "*": {"lang"},
    "a": {"href", "title"},
    "abbr": {"title"},
    "img": {"src", "alt", "title", "width", "height"},
    "h1": {"id"}, "h2": {"id"}, "h3": {"id"}, "h4": {"id"}, "h5": {"id"}, "h6": {"id"},
    "th": {"scope", "colspan", "rowspan", "style"},
    "td": {"colspan", "rowspan", "style"},
    "ol": {"start"},
    "li": {"id"},  # footnotes
    "sup": {"id"},  # footnote references
    "code": {"class"},  # fenced code: language-NAME only (see _filter)
    "q": {"cite"},
    "time": {"datetime"},
}  # fmt: skip
#: Class names editors may not choose: only those Markdown's footnotes produce.
CLASSES = {"div": {"footnote"}, "a": {"footnote-ref", "footnote-backref"}}
#: Addresses a link may use, besides relative ones and #anchors.
SCHEMES = {"https", "mailto", "tel", "sms"}

_ALIGN_RE = re.compile(r"text-align:\s*(?:left|right|center);?")
_CODE_CLASS_RE = re.compile(r"language-[A-Za-z0-9_+-]+")


def _filter(tag: str, attr: str, value: str) -> str | None:
    if attr == "style":  # Markdown's tables align columns with style="text-align: ..."; nothing else
        return value if _ALIGN_RE.fullmatch(value.strip()) else None
    if tag == "code" and attr == "class":
        return value if _CODE_CLASS_RE.fullmatch(value) else None
    if tag == "img" and attr == "src" and _foreign(value):
        return None  # images from another website would tell it who reads the page
    return value


def _foreign(url: str) -> bool:
    parsed = urlparse(url.strip())
    return bool(parsed.netloc) or bool(parsed.scheme)


#: An exception raised while nh3 ran our filter, to raise again once nh3 has returned (see `_guarded`).
_RAISED: list[BaseException] = []


def _guarded(tag: str, attr: str, value: str) -> str | None:
    """`_filter` as nh3 calls it, from Rust. nh3 prints whatever a callback raises as "Exception
    ignored" and drops the attribute, so Ctrl-C, SIGTERM or the time limit landing here would be lost
    (the build ran on, then failed with a false SAFE001). The exception is kept instead, nothing more
    is decided, and `clean` raises it once nh3 returns."""
    if _RAISED:
        return None
    try:
        return _filter(tag, attr, value)
    except BaseException as exc:  # noqa: BLE001 - raised again by clean(), outside nh3
        _RAISED.append(exc)
        return None


CLEANER = nh3.Cleaner(
    tags=TAGS,
    attributes=ATTRIBUTES,
    attribute_filter=_guarded,
    allowed_classes=CLASSES,
    url_schemes=SCHEMES,
    link_rel=None,  # no rel added to every link: the site sends no referrer anyway
    strip_comments=True,  # editors' HTML comments are notes to each other, not for readers
)


@dataclass(frozen=True)
class Removal:
    """One thing the sanitizer removed."""

    code: str  # SAFE001 tag or attribute, SAFE002 event handler, SAFE003 address, SAFE005 foreign image
    tag: str
    attr: str = ""
    value: str = ""

    @property
    def message(self) -> str:
        if self.code == "SAFE002":
            return f"an event handler ({self.attr}=...) on <{self.tag}> is not allowed in content"
        if self.code == "SAFE003":
            return f"the address '{_short(self.value)}' is not allowed in content"
        if self.code == "SAFE005":
            return f"the image '{_short(self.value)}' would load from another website"
        if self.attr:
            return f'the attribute {self.attr}="{_short(self.value)}" on <{self.tag}> is not allowed in content'
        if self.tag:
            return f"raw <{self.tag}> is not allowed in content"
        return "HTML that the sanitizer removes (markup it cannot keep)"

    @property
    def hint(self) -> str:
        return {
            "SAFE002": "remove the attribute; pages carry no scripts",
            "SAFE003": "link to a page of this site, an https:// address, or a mailto:, tel: or sms: link",
            "SAFE005": "readers' privacy: leave the image out, or ask a developer to add it to the site",
        }.get(self.code, "remove it; pages carry no scripts, frames, forms, styles or embedded media")

    def needles(self) -> list[re.Pattern]:
        """What to look for in the Markdown source to find the line this came from."""
        out = []
        if self.value:
            out.append(re.compile(re.escape(self.value.strip()), re.I))
        if self.attr:
            out.append(re.compile(rf"\b{re.escape(self.attr)}\s*=", re.I))
        if self.tag:
            end = r"\b" if self.tag[-1].isalnum() else ""
            out.append(re.compile(rf"<\s*{re.escape(self.tag)}{end}", re.I))
        return out


def clean(html: str) -> tuple[str, list[Removal]]:
    """The sanitized HTML, and what the sanitizer removed from it."""
    try:
        cleaned = CLEANER.clean(html)
    finally:
        raised = _RAISED[:]
        _RAISED.clear()
    if raised:
        raise raised[0]
    if cleaned == html:
        return cleaned, []
    return cleaned, removed(html, cleaned)


def removed(before: str, after: str) -> list[Removal]:
    """Compare the two fragments: elements and attributes that are in ``before`` and not in ``after``."""
    tags_b, attrs_b, text_b = _inventory(before)
    tags_a, attrs_a, text_a = _inventory(after)
    out = []
    for tag in sorted((tags_b - tags_a).elements()):
        if Removal("SAFE001", tag) not in out:
            out.append(Removal("SAFE001", tag))
    for tag, attr, value in sorted((attrs_b - attrs_a).elements()):
        if any(r.tag == tag and not r.attr for r in out):
            continue  # the whole element went; one message is enough
        if attr.startswith("on"):
            code = "SAFE002"
        elif tag == "img" and attr == "src" and _foreign(value) and urlparse(value).scheme in ("http", "https"):
            code = "SAFE005"
        elif attr in ("href", "src", "action", "formaction", "poster", "data", "cite", "background", "xlink:href"):
            code = "SAFE003"
        else:
            code = "SAFE001"
        removal = Removal(code, tag, attr, value)
        if removal not in out:
            out.append(removal)
    if not out and text_b != text_a:
        out.append(Removal("SAFE001", ""))
    return out


def _inventory(fragment: str) -> tuple[Counter, Counter, str]:
    """Tags, (tag, attribute, value) triples and the visible text of an HTML fragment."""
    tags: Counter = Counter()
    attrs: Counter = Counter()
    text = []
    try:
        root = lxml_html.fragment_fromstring(fragment, create_parent="div")
    except (etree.ParserError, ValueError):
        return tags, attrs, ""
    for el in root.iter():
        if not isinstance(el.tag, str):  # comments and processing instructions: stripped on purpose
            if el.tail:
                text.append(el.tail)
            continue
        if el is not root:
            tags[el.tag.lower()] += 1
            for name, value in el.attrib.items():
                attrs[(el.tag.lower(), name.lower(), value)] += 1
        if el.text:
            text.append(el.text)
        if el is not root and el.tail:
            text.append(el.tail)
    return tags, attrs, " ".join(html_lib.unescape(" ".join(text)).split())


def locate(removal: Removal, lines: list[tuple[int, str]]) -> int | None:
    """The Markdown line a removal most likely came from (entities in the source decoded first)."""
    for needle in removal.needles():
        for line, source in lines:
            if needle.search(source) or needle.search(html_lib.unescape(source)):
                return line
    return None


def _short(text: str, n: int = 60) -> str:
    text = " ".join(str(text).split())
    return text if len(text) <= n else text[: n - 1] + "…"


_DATA_MD: list = []


def data_markdown():
    """One Markdown instance for text from data files (FAQ answers, table cells); one per cell was slow."""
    if not _DATA_MD:
        from markdown import Markdown

        from .inlinegate import InlineGateExtension

        _DATA_MD.append(Markdown(extensions=["markdown.extensions.smarty", InlineGateExtension()]))
    return _DATA_MD[0]


@lru_cache(maxsize=8192)
def check_markdown(text: str) -> tuple[Removal, ...]:
    """What the sanitizer would remove from a data file's Markdown field (kept per process: the same
    answer for the same text, so a rebuild does not convert every data field again)."""
    return tuple(clean(data_markdown().reset().convert(text))[1])
