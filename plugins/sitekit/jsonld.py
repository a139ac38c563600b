"""schema.org JSON-LD built in Python, so it is always valid JSON and matches the visible text."""

from __future__ import annotations

import html
import json
import re

from markupsafe import Markup

_CITE_RE = re.compile(r'<sup class="cite">.*?</sup>|<p class="faq__sources">.*?</p>', re.S)
_TAG_RE = re.compile(r"<[^>]+>")


def visible_text(fragment: str) -> str:
    """Plain text of an HTML fragment, without citation markers, whitespace folded."""
    text = _TAG_RE.sub(" ", _CITE_RE.sub("", str(fragment)))
    return " ".join(html.unescape(text).split())


def dumps(data) -> Markup:
    """JSON for a <script> element: '<', '>' and '&' escaped so it cannot end the element."""
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    text = text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
    return Markup(text)


def faq_jsonld(faqs) -> Markup:
    return dumps({
        "@context": "https://schema.org",
        "@type": "FAQPage",
        "mainEntity": [
            {"@type": "Question", "name": faq["question"],
             "acceptedAnswer": {"@type": "Answer", "text": visible_text(faq["answer"])}}
            for faq in faqs
        ],
    })
