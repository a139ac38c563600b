"""The Spanish edition's own pages beside its guides (issue 28).

A missing address under /es/ gets the Spanish 404 page (content/es/pages/404.md, es/404.html): a
Spanish reader who follows a broken link reads "not found", the Spanish crisis banner and the Spanish
sections, from the real hosts (deploy/nginx.conf) and from `make serve` alike. A page of the footer
(Privacy) that has a current Spanish page is linked in Spanish from Spanish pages; otherwise the link
says the page is in English."""

from __future__ import annotations

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


SPANISH_PRIVACY = """
---
title: Privacidad de prueba
summary: No le seguimos.
translated_from:
  source: pages/privacy.md
  fingerprint: "sha256:pending"
  method: transcreation
  translator: fixture-translator
  language_reviewer: fixture-language-reviewer
---
Una página.
"""


def footer(result, rel: str) -> dict:
    """The footer's links of a page: label -> (path, hreflang)."""
    links = result.html(rel).select(".site-footer__links a")
    return {a.get_text(strip=True): (a["href"].split("//", 1)[-1].split("/", 1)[-1], a.get("hreflang")) for a in links}


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
