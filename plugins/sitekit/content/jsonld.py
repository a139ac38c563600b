"""schema.org JSON-LD built in Python, so it is always valid JSON and matches the visible text.

No FAQPage: Google stopped showing FAQ rich results in May 2026 and no other consumer is known
(content-standards.md 5.2: "keep it only if another consumer needs it"); it repeated every answer of
the page inside the page's first round trip (tests/test_weight.py)."""

from __future__ import annotations

import json

from markupsafe import Markup

from ..core.lang import language


def dumps(data) -> Markup:
    """JSON for a <script> element: '<', '>' and '&' escaped so it cannot end the element."""
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    text = text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
    return Markup(text)


def webpage_jsonld(
    kind: str, name: str, description: str, path: str, siteurl: str, publisher: dict, parts=(), lang: str = "en"
) -> Markup:
    """schema.org WebPage or CollectionPage (home, sections, site pages); ``parts`` are the guides listed."""
    data = {
        "@context": "https://schema.org",
        "@type": kind,
        "name": name,
        "description": " ".join(str(description).split()),
        "inLanguage": language(lang).tag,
        "url": f"{siteurl}/{path}",
        "publisher": {"@type": "Organization", **publisher},
    }
    if parts:
        data["hasPart"] = [
            {"@type": "MedicalWebPage", "name": doc.title, "url": f"{siteurl}/{doc.url}"} for doc in parts
        ]
    return dumps(data)


def _cited(ref: dict) -> str:
    if ref.get("url"):
        return ref["url"]
    if ref.get("doi"):
        return f"https://doi.org/{ref['doi']}"
    return ref["title"]


def page_jsonld(doc, siteurl: str, publisher: dict) -> Markup:
    """A guide is a MedicalWebPage (with its review, sources and dates); a site page is a WebPage."""
    from pelican.contents import Article

    lang = getattr(doc, "lang", "en")
    if not isinstance(doc, Article):  # pages in content/pages: About, Privacy...
        return webpage_jsonld("WebPage", doc.title, getattr(doc, "summary", ""), doc.url, siteurl, publisher, (), lang)
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
        "inLanguage": language(getattr(doc, "lang", "en")).tag,
        "url": f"{siteurl}/{doc.url}",
        "audience": {"@type": "Patient"},
        "publisher": {"@type": "Organization", **publisher},
        # Each source by its address (schema.org citation takes a CreativeWork or Text): the titles are in
        # the reference list the reader sees, and repeating them here cost every page bytes of its first
        # round trip (tests/test_weight.py). A source with no address is named by its title.
        "citation": [_cited(ref) for ref in getattr(doc, "citations", []) or []],
    }
    # A current translation and its English page name each other (schema.org translationOfWork and
    # workTranslation), with who translated it; a translation that has drifted is not named.
    translation = getattr(doc, "translation_state", None)
    if translation is not None and translation.current:
        data["translationOfWork"] = {"@type": "MedicalWebPage", "url": f"{siteurl}/{translation.english_url}"}
        if translation.translator:
            data["translator"] = {"@type": "Person", "name": translation.translator["name"]}
    for other in getattr(doc, "current_translations", None) or []:
        data.setdefault("workTranslation", []).append(
            {"@type": "MedicalWebPage", "url": f"{siteurl}/{other.url}", "inLanguage": language(other.lang).tag}
        )
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
