"""schema.org JSON-LD built in Python, so it is always valid JSON and matches the visible text."""

from __future__ import annotations

import html
import json
import re

from markupsafe import Markup

_CITE_RE = re.compile(r'<sup class="cite"[^>]*>.*?</sup>|<p class="faq__sources">.*?</p>', re.S)
_TAG_RE = re.compile(r"<[^>]+>")
_SPACE_PUNCT_RE = re.compile(r" ([,.;:!?)])")


def visible_text(fragment: str) -> str:
    """Plain text of an HTML fragment, without citation markers, whitespace folded."""
    text = _TAG_RE.sub(" ", _CITE_RE.sub("", str(fragment)))
    # A tag ends where a word does ("<time>May 2025</time>,"): no space before the punctuation after it.
    return _SPACE_PUNCT_RE.sub(r"\1", " ".join(html.unescape(text).split()))


def dumps(data) -> Markup:
    """JSON for a <script> element: '<', '>' and '&' escaped so it cannot end the element."""
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    text = text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
    return Markup(text)


def faq_jsonld(faqs) -> Markup:
    return dumps(
        {
            "@context": "https://schema.org",
            "@type": "FAQPage",
            "mainEntity": [
                {
                    "@type": "Question",
                    "name": faq["question"],
                    "acceptedAnswer": {"@type": "Answer", "text": visible_text(faq["answer"])},
                }
                for faq in faqs
            ],
        }
    )


def webpage_jsonld(
    kind: str, name: str, description: str, path: str, siteurl: str, publisher: dict, parts=()
) -> Markup:
    """schema.org WebPage or CollectionPage (home, sections, site pages); ``parts`` are the guides listed."""
    data = {
        "@context": "https://schema.org",
        "@type": kind,
        "name": name,
        "description": " ".join(str(description).split()),
        "inLanguage": "en-US",
        "url": f"{siteurl}/{path}",
        "publisher": {"@type": "Organization", **publisher},
    }
    if parts:
        data["hasPart"] = [
            {"@type": "MedicalWebPage", "name": doc.title, "url": f"{siteurl}/{doc.url}"} for doc in parts
        ]
    return dumps(data)


def page_jsonld(doc, siteurl: str, publisher: dict) -> Markup:
    """A guide is a MedicalWebPage (with its review, sources and dates); a site page is a WebPage."""
    from pelican.contents import Article

    if not isinstance(doc, Article):  # pages in content/pages: About, Privacy...
        return webpage_jsonld("WebPage", doc.title, getattr(doc, "summary", ""), doc.url, siteurl, publisher)
    return medical_jsonld(doc, siteurl, publisher)


def medical_jsonld(doc, siteurl: str, publisher: dict) -> Markup:
    """schema.org MedicalWebPage for a guide: dates, review facts, citations, publisher, audience."""
    published = doc.date.date()
    changes = [published, *(c["date"] for c in getattr(doc, "corrections", None) or [])]
    if getattr(doc, "modified", None) is not None:
        changes.append(doc.modified.date())
    data = {
        "@context": "https://schema.org",
        "@type": "MedicalWebPage",
        "headline": doc.title,
        "datePublished": published.isoformat(),
        "dateModified": max(changes).isoformat(),
        "description": getattr(doc, "summary", ""),
        "inLanguage": "en-US",
        "url": f"{siteurl}/{doc.url}",
        "audience": {"@type": "Patient"},
        "publisher": {"@type": "Organization", **publisher},
        "citation": [
            {
                "@type": "CreativeWork",
                "name": ref["title"],
                **(
                    {"url": ref["url"]}
                    if ref.get("url")
                    else {"url": f"https://doi.org/{ref['doi']}"}
                    if ref.get("doi")
                    else {}
                ),
            }
            for ref in getattr(doc, "citations", []) or []
        ],
    }
    state = getattr(doc, "review_state", None)
    if state is not None and state.approved:
        data["lastReviewed"] = state.reviewed.isoformat()
        data["reviewedBy"] = {
            "@type": "Person",
            "name": state.reviewer["name"],
            "honorificSuffix": state.reviewer["credentials"],
            "jobTitle": state.reviewer["role"],
        }
    return dumps(data)
