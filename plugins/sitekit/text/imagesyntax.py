"""Images in Markdown, as editors write them: ``![alt](address "title")`` and ``<img src alt>``."""

from __future__ import annotations

import html
import re

#: ![alt](src "title"): the address in <angle brackets> or up to the first space or ')'.
MD_IMAGE_RE = re.compile(r"!\[(?P<alt>[^\]]*)\]\(\s*(?P<src><[^>]*>|[^)\s]+)(?:\s+[\"'(][^)]*)?\s*\)")
HTML_IMAGE_RE = re.compile(r"<img\b(?P<attrs>[^>]*)>", re.I)
ATTR_RE = re.compile(r"""\b(?P<name>[a-z-]+)\s*=\s*(?:"(?P<dq>[^"]*)"|'(?P<sq>[^']*)'|(?P<bare>[^\s"'>]+))""", re.I)
CODE_SPAN_RE = re.compile(r"(`+).+?\1")


def images_in(text: str) -> list[tuple[str, str | None]]:
    """(address, alt text or None when there is no alt attribute) of every image in a Markdown line."""
    text = CODE_SPAN_RE.sub(" ", text)
    found = [(m.group("src").strip("<>"), m.group("alt")) for m in MD_IMAGE_RE.finditer(text)]
    for m in HTML_IMAGE_RE.finditer(text):
        attrs = {
            a.group("name").lower(): a.group("dq") or a.group("sq") or a.group("bare") or ""
            for a in ATTR_RE.finditer(m.group("attrs"))
        }
        found.append((attrs.get("src", ""), attrs.get("alt")))
    return found


def no_alt(alt: str | None) -> bool:
    """Whether an image's alt text is missing or says nothing (``![](x.png)``, ``alt=" "``)."""
    return alt is None or not html.unescape(alt).strip()
