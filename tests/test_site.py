"""The real site, built into tmp_path: every page carries the contract of the base template."""

from __future__ import annotations

import re
from urllib.parse import urlparse

import pytest

FOCUSABLE = "a[href], button, input, select, textarea, [tabindex]:not([tabindex='-1'])"
REQUIRED_CRISIS_LINKS = ["tel:988", "sms:988", "https://988lifeline.org/", "tel:911", "tel:+1-800-662-4357"]


def all_pages(real_site):
    pages = real_site.pages()
    assert len(pages) >= 6, "the real site should have home, sections, guides, pages and 404"
    return pages


def test_build_reports_no_errors(real_site):
    assert real_site.code == 0
    assert not [f for f in real_site.findings if f.severity == "error"]


def test_every_page_type_is_built(real_site):
    out = real_site.output
    for rel in ["index.html", "404.html", "about/index.html", "editorial-policy/index.html",
                "privacy/index.html", "guides/what-is-iop/index.html",
                "sections/understanding-iop/index.html"]:
        assert (out / rel).is_file(), rel


def test_turned_off_page_types_are_absent(real_site):
    out = real_site.output
    for rel in ["authors.html", "tags.html", "archives.html", "categories.html", "feeds"]:
        assert not (out / rel).exists(), rel
    assert not list(out.glob("author/*")) and not list(out.glob("tag/*"))


def test_skip_link_is_first_focusable_and_targets_main(real_site):
    for page in all_pages(real_site):
        soup = real_site.html(page.relative_to(real_site.output))
        first = soup.select_one(FOCUSABLE)
        assert first is not None and first.get("href") == "#main-content", page
        main = soup.find("main")
        assert main is not None and main.get("id") == "main-content", page


def test_crisis_banner_comes_before_main_with_every_link(real_site):
    for page in all_pages(real_site):
        soup = real_site.html(page.relative_to(real_site.output))
        banner = soup.select_one("[data-crisis-banner]")
        assert banner is not None, page
        assert banner.get("aria-labelledby") and soup.find(id=banner["aria-labelledby"]), page
        elements = list(soup.find_all(True))
        assert elements.index(banner) < elements.index(soup.find("main")), page
        hrefs = [a["href"] for a in banner.find_all("a")]
        for href in REQUIRED_CRISIS_LINKS:
            assert href in hrefs, (page, href)


def test_crisis_link_digits_match_visible_text(real_site):
    soup = real_site.html("index.html")
    for a in soup.select("[data-crisis-banner] a[href^='tel:'], [data-crisis-banner] a[href^='sms:']"):
        dialled = re.sub(r"\D", "", a["href"].split("?")[0])
        shown = a.get_text()
        shown = re.sub(r"-[A-Z]{4} \((\d{4})\)", r"-\1", shown)
        assert re.sub(r"\D", "", shown) == dialled, a


def test_one_h1_lang_and_unique_titles(real_site):
    titles = {}
    for page in all_pages(real_site):
        soup = real_site.html(page.relative_to(real_site.output))
        assert len(soup.find_all("h1")) == 1, page
        assert soup.html.get("lang") == "en", page
        title = soup.title.get_text(strip=True)
        assert title and title not in titles, (page, titles.get(title))
        titles[title] = page


def test_nothing_loads_from_another_origin(real_site):
    for page in all_pages(real_site):
        soup = real_site.html(page.relative_to(real_site.output))
        for tag, attr in [("script", "src"), ("link", "href"), ("img", "src"), ("iframe", "src"),
                          ("source", "src"), ("video", "src"), ("audio", "src")]:
            for el in soup.find_all(tag):
                url = el.get(attr)
                if url:
                    assert not urlparse(url).netloc, (page, url)
        assert "@import" not in str(soup) and "fonts.googleapis" not in str(soup)
    css = (real_site.output / "theme/css/site.css").read_text()
    assert not re.search(r"url\(\s*['\"]?(https?:)?//", css)
    assert "@font-face" not in css


def test_no_javascript_on_reading_pages(real_site):
    for page in all_pages(real_site):
        soup = real_site.html(page.relative_to(real_site.output))
        scripts = [s for s in soup.find_all("script") if s.get("type") != "application/ld+json"]
        assert not scripts, page


def test_section_navigation_marks_current_section(real_site):
    soup = real_site.html("guides/what-is-iop/index.html")
    nav = soup.find("nav", attrs={"aria-label": "Sections"})
    current = nav.select("[aria-current=page]")
    assert [a.get_text(strip=True) for a in current] == ["Understanding IOP"]
    home = real_site.html("index.html").find("nav", attrs={"aria-label": "Sections"})
    assert not home.select("[aria-current]")


def test_footer_has_disclaimer_and_policy_links(real_site):
    soup = real_site.html("index.html")
    footer = soup.find("footer")
    text = footer.get_text(" ", strip=True)
    assert "not a substitute" in text and "911" in text
    links = {a.get_text(strip=True): a["href"] for a in footer.find_all("a")}
    assert links["About"].endswith("/about/")
    assert links["Editorial policy"].endswith("/editorial-policy/")
    assert links["Privacy"].endswith("/privacy/")


@pytest.mark.parametrize("rel", ["404.html"])
def test_404_is_a_hidden_page_with_noindex(real_site, rel):
    soup = real_site.html(rel)
    assert soup.find("meta", attrs={"name": "robots"})["content"] == "noindex"
    assert "not find" in soup.get_text()
    index = real_site.html("index.html")
    assert not index.find("a", href=re.compile("404"))
