"""The Spanish edition's own pages beside its guides (issue 28).

A missing address under /es/ gets the Spanish 404 page (content/es/pages/404.md, es/404.html): a
Spanish reader who follows a broken link reads "not found", the Spanish crisis banner and the Spanish
sections, from the real hosts (deploy/nginx.conf) and from `make serve` alike. A page of the footer
(Privacy) that has a current Spanish page is linked in Spanish from Spanish pages; otherwise the link
says the page is in English. The same holds for the About page and the editorial policy where a sentence
names them (the corrections page's "our About page", the review line's "How we review pages"), and the
About page's sentences about the site are in Spanish, about the Spanish guides."""

from __future__ import annotations

import datetime as dt

import pytest
from browser import nginx
from bs4 import BeautifulSoup
from test_hosting import fetch
from test_translations import SPANISH_GUIDE, SPANISH_HELP, repin, sign_off

from conftest import serve_preview

SPANISH_404 = """
---
title: Página no encontrada
summary: No está.
status: hidden
save_as: es/404.html
template: "404"
translated_from:
  source: pages/404.md
  fingerprint: "sha256:pending"
  method: transcreation
  translator: fixture-translator
  language_reviewer: fixture-language-reviewer
---
No está.
"""


def reads_as(body: bytes) -> tuple[str, str, list[str]]:
    """(lang, h1, the banner's text-message links) of a 404 page."""
    soup = BeautifulSoup(body, "html.parser")
    banner = soup.select_one("[data-crisis-banner]")
    return soup.html["lang"], soup.h1.get_text(strip=True), [a["href"] for a in banner.select("a[href^='sms:']")]


def test_the_real_site_has_a_spanish_404_page(real_site):
    page = real_site.html("es/404.html")
    assert page.find("meta", attrs={"name": "robots"})["content"] == "noindex"
    assert page.h2.get_text(strip=True) == "Secciones"
    assert reads_as((real_site.output / "es/404.html").read_bytes()) == (
        "es",
        "Página no encontrada",
        ["sms:988?body=AYUDA"],
    )


@pytest.mark.server
def test_nginx_answers_a_missing_spanish_address_with_the_spanish_404(real_site, tmp_path):
    with nginx(real_site.output, tmp_path / "nginx") as base:
        status, headers, body = fetch(base + "/es/guides/no-existe/")
        assert status == 404 and headers["Cache-Control"].startswith("public, max-age=300")
        assert reads_as(body) == ("es", "Página no encontrada", ["sms:988?body=AYUDA"])
        status, _headers, body = fetch(base + "/guides/no-such-page/")
        assert status == 404 and reads_as(body) == ("en", "Page not found", ["sms:988"])
        assert fetch(base + "/es/404.html")[0] == 404, "the page itself is only an answer, as /404.html is"


def test_make_serve_answers_a_missing_spanish_address_with_the_spanish_404(site):
    site.write("content/es/pages/404.md", SPANISH_404)
    site.write("content/es/pages/get-help-now.md", SPANISH_HELP)  # the Spanish banner links to it
    site.exempt += ["es/pages/404.md", "es/pages/get-help-now.md"]
    server = serve_preview(site, IOP_REVIEW_EXEMPT=site.exempt)
    try:
        assert server.state()["ok"], server.state()
        status, _headers, body = fetch(server.base + "/es/nada/")
        assert status == 404 and BeautifulSoup(body, "html.parser").html["lang"] == "es"
        status, _headers, body = fetch(server.base + "/nada/")
        assert status == 404 and BeautifulSoup(body, "html.parser").html["lang"] == "en"
    finally:
        server.stop()


@pytest.mark.parametrize(
    "rel,save_as",
    [("content/es/pages/404.md", "404.html"), ("content/pages/404.md", "es/404.html")],
)
def test_each_language_may_write_only_its_own_404_address(site, rel, save_as):
    if rel.startswith("content/es/"):
        site.write(rel, SPANISH_404.replace("save_as: es/404.html", f"save_as: {save_as}"))
        site.exempt.append("es/pages/404.md")
    else:
        site.edit(rel, "save_as: 404.html", f"save_as: {save_as}")
    result = site.build()
    assert result.code == 1
    assert f"FM020 save_as '{save_as}' is not allowed in a page" in result.log, result.log


def spanish_page(title: str, summary: str, source: str, body: str = "Una página.") -> str:
    """A Spanish page of the fixture, translated from ``source`` (a page under content/) and not yet pinned."""
    return f"""
---
title: {title}
summary: {summary}
translated_from:
  source: {source}
  fingerprint: "sha256:pending"
  method: transcreation
  translator: fixture-translator
  language_reviewer: fixture-language-reviewer
---
{body}
"""


SPANISH_PRIVACY = spanish_page("Privacidad de prueba", "No le seguimos.", "pages/privacy.md")


def footer(result, rel: str) -> dict:
    """The footer's links of a page: label -> (path, hreflang)."""
    links = [described(a) for a in result.html(rel).select(".site-footer__links a")]
    return {label: (path, hreflang) for path, hreflang, label in links}


def spanish_pages(site, privacy: bool):
    site.write("content/es/guides/small.md", SPANISH_GUIDE)
    site.write("content/es/pages/get-help-now.md", SPANISH_HELP)
    site.exempt += ["es/pages/get-help-now.md", "es/pages/privacy.md"]
    if privacy:
        site.write("content/es/pages/privacy.md", SPANISH_PRIVACY)
    sign_off(site, "content/guides/small.md", "content/es/guides/small.md", "data/es/crisis.yaml")
    repin(site, ["content/es/guides/small.md", "content/es/pages/get-help-now.md"])


def test_spanish_pages_link_the_spanish_privacy_page_when_it_is_current(site):
    spanish_pages(site, privacy=True)
    repin(site, ["content/es/pages/privacy.md"])
    result = site.build(publish=True)
    assert result.code == 0, result.log
    links = footer(result, "es/guides/small/index.html")
    assert links["Privacidad de prueba"] == ("es/privacy/", None)
    assert footer(result, "guides/small/index.html")["Privacy"] == ("privacy/", None)


def test_without_a_current_spanish_page_the_link_says_the_page_is_in_english(site):
    spanish_pages(site, privacy=True)  # written but never pinned: publish withholds it
    result = site.build(publish=True)
    assert result.code == 0, result.log
    label = next(k for k in footer(result, "es/guides/small/index.html") if k.startswith("Privacidad"))
    assert footer(result, "es/guides/small/index.html")[label] == ("privacy/", "en")
    assert label.endswith("(en inglés)")
    # A withheld page (not only a guide) gets the short page in its place (its template once assumed a guide).
    stub = result.html("es/privacy/index.html")
    assert stub.select_one("[data-translation-stub] h1").get_text(strip=True) == "Privacidad de prueba"
    assert stub.find("link", rel="canonical")["href"].endswith("/es/privacy/")


# -- dated facts in a translation ------------------------------------------------------------------------

FACT = """facts:
  - id: medicare-rule
    what: "Medicare's 9-hour rule"
    as_of: 2026-02-01
    until: 2099-01-01
    kind: recheck
    citations: [medicare-gov-iop-coverage]
    check: "CMS's yearly rule"
"""


def dated_site(site, spanish_sentence: str):
    """The fixture guide says a dated fact with its marker; its Spanish page says ``spanish_sentence``."""
    site.write("data/dated_facts.yaml", FACT)
    site.append(
        "content/guides/small.md", "\n[As of: medicare-rule], Medicare pays for it[@medicare-gov-iop-coverage].\n"
    )
    site.write("content/es/guides/small.md", SPANISH_GUIDE + f"\n{spanish_sentence}\n")
    site.write("content/es/pages/get-help-now.md", SPANISH_HELP)
    site.exempt.append("es/pages/get-help-now.md")
    return site


def test_a_translation_that_writes_a_dated_facts_date_by_hand_is_refused(site):
    """The Spanish pages once wrote "En diciembre de 2026" where the English page had [As of: id]: the
    build never warned about the rule running out on the Spanish page."""
    dated_site(site, "En febrero de 2026, Medicare lo paga[@medicare-gov-iop-coverage].")
    result = site.build()
    assert result.code == 1
    english_line = next(
        n
        for n, text in enumerate((site.content / "guides/small.md").read_text().splitlines(), 1)
        if "[As of: medicare-rule]" in text
    )
    record_line = next(
        n
        for n, text in enumerate((site.content / "es/guides/small.md").read_text().splitlines(), 1)
        if "source:" in text
    )
    assert [f.format().replace(f"{site.root}/", "") for f in result.findings if f.code == "TRN027"] == [
        f"content/es/guides/small.md:{record_line}: TRN027 content/guides/small.md:{english_line} shows the dated "
        "fact 'medicare-rule' with [As of: medicare-rule]; this translation does not (write [As of: medicare-rule] "
        "(or [as of: medicare-rule] inside a sentence) where it says the same: readers see its date in their "
        "language, and the build warns before it runs out; never write the date by hand)"
    ]


def test_the_marker_shows_its_date_in_spanish_and_the_fact_names_the_spanish_page(site):
    dated_site(site, "[As of: medicare-rule], Medicare lo paga[@medicare-gov-iop-coverage].")
    result = site.build()
    assert "TRN027" not in result.codes(), result.log
    main = result.html("es/guides/small/index.html").find("main")
    shown = main.find("time", datetime="2026-02")
    assert shown.get_text() == "febrero de 2026"
    assert "En febrero de 2026, Medicare lo paga" in main.get_text()
    assert "As of" not in main.get_text()
    late = site.build(IOP_TODAY=dt.date(2098, 12, 20))  # 12 days before the fact's date: the build warns for both pages
    warning = next(f.message for f in late.findings if f.code == "DATE020")
    assert "content/guides/small.md:" in warning and "content/es/guides/small.md:" in warning


def test_a_spanish_faq_answer_keeps_the_english_answers_marker(site):
    site.write("data/dated_facts.yaml", FACT)
    site.edit(
        "data/faqs.yaml", "      Medicare covers IOP when", "      [As of: medicare-rule], Medicare covers IOP when"
    )
    result = site.build()
    assert result.code == 1
    line = (
        next(
            n
            for n, text in enumerate((site.data / "es/faqs.yaml").read_text().splitlines(), 1)
            if "Para los adultos, un IOP" in text
        )
        - 1
    )
    found = [f for f in result.findings if f.code == "TRN027"]
    assert [(f.path.split(f"{site.root}/")[-1], f.line) for f in found] == [("data/es/faqs.yaml", line)]
    assert "('answer' of 'iop-hours') shows the dated fact 'medicare-rule'" in found[0].message
    site.edit(
        "data/es/faqs.yaml",
        "      Medicare paga el IOP cuando",
        "      [As of: medicare-rule], Medicare paga el IOP cuando",
    )
    assert "TRN027" not in site.build().codes()


def test_a_translation_may_not_show_a_dated_fact_its_english_page_does_not(site):
    dated_site(site, "[As of: medicare-rule], Medicare lo paga[@medicare-gov-iop-coverage].")
    site.edit("content/guides/small.md", "[As of: medicare-rule], Medicare", "Medicare")
    result = site.build()
    assert [f.message for f in result.findings if f.code == "TRN027"] == [
        f"[As of: medicare-rule] is not in {site.root}/content/guides/small.md"
    ]


def test_a_spanish_crisis_link_must_dial_the_number_it_shows(site):
    """The Spanish crisis lines get the English lines' checks (sitekit.data.load.action_problems): a link
    that dials another number than its label shows, and a banner label that is not part of the label."""
    site.edit(
        "data/es/crisis.yaml",
        '        href: "tel:988"\n      - label: "Envíe AYUDA',
        '        href: "tel:989"\n      - label: "Envíe AYUDA',
    )
    site.edit("data/es/crisis.yaml", 'banner_label: "AYUDA al 988"', 'banner_label: "Escriba al 988"')
    result = site.build()
    assert result.code == 1
    lines = (site.data / "es/crisis.yaml").read_text(encoding="utf-8").splitlines()
    href = next(n for n, text in enumerate(lines, 1) if 'href: "tel:989"' in text)
    label = next(n for n, text in enumerate(lines, 1) if "Escriba al 988" in text)
    found = sorted((f.line, f.message) for f in result.findings if f.path.endswith("data/es/crisis.yaml"))
    assert found == [
        (href, "link 'tel:989' dials 989 but its text '988 y oprima 2' shows 988"),
        (href, "link 'tel:989' dials 989 but its text 'Llame al 988 y oprima 2' shows 988"),
        (label, "banner_label 'Escriba al 988' is not part of its label 'Envíe AYUDA al 988'"),
    ]


# -- the About page and the editorial policy named in a sentence ---------------------------------------------

SPANISH_ABOUT = spanish_page(
    "Quiénes somos de prueba",
    "Quién hace el sitio.",
    "pages/about.md",
    "Cómo revisamos cada página.\n\n::: site-state show=review\n\nCómo corregimos los errores.\n\n"
    "::: site-state show=report",
)
SPANISH_POLICY = spanish_page("Política editorial de prueba", "Cómo escribimos.", "pages/editorial-policy.md")
TRUST_PAGES = ["content/es/pages/about.md", "content/es/pages/editorial-policy.md"]


def trust_pages(site, spanish: bool) -> None:
    """The fixture's Spanish guide and help page, unpinned and unsigned (a preview shows the review line
    under the guide), with the Spanish About and editorial policy pages when ``spanish``."""
    site.write("content/es/guides/small.md", SPANISH_GUIDE)
    site.write("content/es/pages/get-help-now.md", SPANISH_HELP)
    site.exempt += ["es/pages/get-help-now.md", "es/pages/about.md", "es/pages/editorial-policy.md"]
    if spanish:
        site.write("content/es/pages/about.md", SPANISH_ABOUT)
        site.write("content/es/pages/editorial-policy.md", SPANISH_POLICY)


def described(a) -> tuple[str, str | None, str]:
    """A link as the tests compare it: (its path on the site, without scheme and host; hreflang; label)."""
    return a["href"].split("//", 1)[-1].split("/", 1)[-1], a.get("hreflang"), a.get_text(strip=True)


def review_line(result, rel: str) -> tuple[str, str | None, str]:
    """The link of "Clinical review: not yet reviewed." at the end of a page: (path, hreflang, label)."""
    return described(result.html(rel).select_one("[data-review-info] a"))


def named_links(site, publish: bool) -> list:
    """Build with the theme showing the edition's About link (only the English corrections page shows it on
    the real site) and its review link on every page: {page: [(path, hreflang, label), ...]}."""
    site.edit(
        "theme/templates/base.html",
        "      <nav aria-label=\"{{ _('About this site') }}\">",
        "      <p data-named-links>{{ E.about_link }} {{ E.review_link }}</p>\n"
        "      <nav aria-label=\"{{ _('About this site') }}\">",
    )
    result = site.build(publish=publish)
    assert result.code == 0, result.log
    return {
        rel: [described(a) for a in result.html(rel).select("[data-named-links] a")]
        for rel in ("es/guides/small/index.html", "guides/small/index.html")
    }


ENGLISH_NAMED = [("about/", None, "About page"), ("editorial-policy/", None, "How we review pages")]
SPANISH_NAMED_IN_ENGLISH = [
    ("about/", "en", "página «Quiénes somos» (en inglés)"),
    ("editorial-policy/", "en", "Cómo revisamos las páginas (en inglés)"),
]


def test_the_review_line_of_a_spanish_page_links_the_spanish_editorial_policy(site):
    """Every Spanish page awaiting review said "Cómo revisamos las páginas (en inglés)" and linked the English
    policy, with a Spanish one beside it; an English page's link said hreflang="en" to an English page."""
    trust_pages(site, spanish=True)
    sign_off(site, "content/guides/small.md")  # the English guide only: each language counts its own guides
    result = site.build()
    assert result.code == 0, result.log
    assert review_line(result, "es/guides/small/index.html") == (
        "es/editorial-policy/",
        None,
        "Cómo revisamos las páginas",
    )
    # The Spanish About page's sentences about the site are in Spanish, about the Spanish guides (none
    # checked), where the English page's are about the English ones (all checked).
    about = [
        " ".join(p.get_text(" ", strip=True).split()) for p in result.html("es/about/index.html").select("main .doc p")
    ]
    assert about[about.index("Cómo revisamos cada página.") + 1] == (
        "Ninguna guía ha tenido esta revisión todavía. Hasta que la tenga, cada guía lo dice al principio."
    )
    assert about[about.index("Cómo corregimos los errores.") + 1].startswith(
        "Al final de cada página hay un enlace, «Avísenos de un problema en esta página»."
    )
    assert result.html("guides/small/index.html").select_one("[data-review-byline]") is not None


def test_without_a_spanish_editorial_policy_the_review_line_says_it_is_in_english(site):
    trust_pages(site, spanish=False)
    result = site.build()
    assert result.code == 0, result.log
    assert review_line(result, "es/guides/small/index.html") == (
        "editorial-policy/",
        "en",
        "Cómo revisamos las páginas (en inglés)",
    )
    assert review_line(result, "guides/small/index.html") == ("editorial-policy/", None, "How we review pages")


def test_a_current_spanish_about_page_is_the_one_spanish_pages_name(site):
    trust_pages(site, spanish=True)
    sign_off(site, "content/guides/small.md", "content/es/guides/small.md", "data/es/crisis.yaml")
    repin(site, ["content/es/guides/small.md", "content/es/pages/get-help-now.md", *TRUST_PAGES])
    links = named_links(site, publish=True)
    assert links["es/guides/small/index.html"] == [
        ("es/about/", None, "página «Quiénes somos»"),
        ("es/editorial-policy/", None, "Cómo revisamos las páginas"),
    ]
    assert links["guides/small/index.html"] == ENGLISH_NAMED


@pytest.mark.parametrize("spanish", [False, True], ids=["missing", "withheld"])
def test_without_a_current_spanish_about_page_spanish_pages_name_the_english_one(site, spanish):
    """Missing, or written but never pinned (publish withholds it and writes the short page there)."""
    trust_pages(site, spanish=spanish)
    sign_off(site, "content/guides/small.md", "content/es/guides/small.md", "data/es/crisis.yaml")
    repin(site)
    links = named_links(site, publish=True)
    assert links["es/guides/small/index.html"] == SPANISH_NAMED_IN_ENGLISH
    assert links["guides/small/index.html"] == ENGLISH_NAMED
