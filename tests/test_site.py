"""The real site, built into tmp_path: every page carries the contract of the base template."""

from __future__ import annotations

import re
from urllib.parse import urlparse

import pytest

from conftest import ROOT

FOCUSABLE = "a[href], button, input, select, textarea, [tabindex]:not([tabindex='-1'])"
REQUIRED_CRISIS_LINKS = [
    "tel:988",
    "sms:988",
    "https://988lifeline.org/",
    "tel:911",
    "/guides/get-help-now/#help-veterans",
    "/guides/get-help-now/#help-spanish",
    "/guides/get-help-now/",
]
#: The banner of a page in Spanish (issue 28): 988 press 2, text AYUDA, chat, 911, the Spanish help page.
REQUIRED_CRISIS_LINKS_ES = [
    "tel:988",
    "sms:988?body=AYUDA",
    "https://988lifeline.org/",
    "tel:911",
    "/es/guides/get-help-now/#help-veterans",
    "/es/guides/get-help-now/",
]


def all_pages(real_site):
    pages = [p for p in real_site.pages() if not p.relative_to(real_site.output).as_posix().startswith("pagefind/")]
    assert len(pages) >= 6, "the real site should have home, sections, guides, pages and 404"
    return pages


@pytest.fixture(scope="module")
def parsed(real_site) -> dict:
    """Every page of the real site parsed once for the module's tests that only read them (about 100
    pages: a parse of all of them for each test was most of its time): {path under output/: soup}. A
    test that changes a page's tree parses its own (real_site.html)."""
    return {page.relative_to(real_site.output).as_posix(): real_site.html(page.relative_to(real_site.output))
            for page in all_pages(real_site)}  # fmt: skip


def test_build_reports_no_errors(real_site):
    assert real_site.code == 0
    assert not [f for f in real_site.findings if f.severity == "error"]


def test_every_page_type_is_built(real_site):
    out = real_site.output
    for rel in [
        "index.html",
        "404.html",
        "about/index.html",
        "editorial-policy/index.html",
        "privacy/index.html",
        "guides/what-is-iop/index.html",
        "sections/understanding-iop/index.html",
    ]:
        assert (out / rel).is_file(), rel


def test_turned_off_page_types_are_absent(real_site):
    out = real_site.output
    for rel in ["authors.html", "tags.html", "archives.html", "categories.html", "feeds"]:
        assert not (out / rel).exists(), rel
    assert not list(out.glob("author/*")) and not list(out.glob("tag/*"))


def test_skip_link_is_first_focusable_inside_a_landmark_and_targets_main(real_site, parsed):
    for page in all_pages(real_site):
        soup = parsed[page.relative_to(real_site.output).as_posix()]
        first = soup.select_one(FOCUSABLE)
        assert first is not None and first.get("href") == "#main-content", page
        assert first.parent.name == "header" and first.parent.parent.name == "body", "inside the banner landmark"
        main = soup.find("main")
        assert main is not None and main.get("id") == "main-content", page


def test_the_pages_h1_is_its_first_heading(real_site, parsed):
    for page in all_pages(real_site):
        soup = parsed[page.relative_to(real_site.output).as_posix()]
        first = soup.find(["h1", "h2", "h3", "h4", "h5", "h6"])
        assert first is not None and first.name == "h1", (page, first)
        assert first.find_parent("main") is not None, page


def test_crisis_banner_comes_before_main_with_every_link(real_site, parsed):
    for page in all_pages(real_site):
        soup = parsed[page.relative_to(real_site.output).as_posix()]
        banner = soup.select_one("[data-crisis-banner]")
        assert banner is not None, page
        assert banner.get("aria-labelledby") and soup.find(id=banner["aria-labelledby"]), page
        elements = list(soup.find_all(True))
        assert elements.index(banner) < elements.index(soup.find("main")), page
        hrefs = [a["href"] for a in banner.find_all("a")]
        if soup.html["lang"] == "es":
            for href in REQUIRED_CRISIS_LINKS_ES:
                assert href in hrefs, (page, href)
            assert "oprima 2" in banner.find("a", href="tel:988").get_text(), page
            assert not [h for h in hrefs if h.startswith("/") and not h.startswith("/es/")], (page, hrefs)
        else:
            assert soup.html["lang"] == "en", page
            for href in REQUIRED_CRISIS_LINKS:
                assert href in hrefs, (page, href)
            assert banner.find("a", href=REQUIRED_CRISIS_LINKS[5])["lang"] == "es", page
        assert not banner.find(re.compile("^h[1-6]$")), "the banner's label is not a heading"


def test_banner_links_reach_the_veterans_and_spanish_lines_in_one_step(real_site):
    soup = real_site.html("guides/get-help-now/index.html")
    veterans, spanish = soup.find(id="help-veterans"), soup.find(id="help-spanish")
    assert "Veterans Crisis Line" in veterans.get_text() and veterans.find("a", href="sms:838255")
    assert spanish["lang"] == "es" and "oprima 2" in spanish.get_text() and spanish.find("a", href="sms:988?body=AYUDA")


def test_get_help_now_shows_tiered_care_cards_with_hidden_urgency(real_site):
    soup = real_site.html("guides/get-help-now/index.html")
    cards = soup.select("main .care-card")
    assert [c["class"][1] for c in cards] == ["care-card--emergency", "care-card--urgent", "care-card--non-urgent"]
    for card, prefix, number in zip(
        cards,
        ["Emergency:", "Urgent help:", "Not an emergency:"],
        ["tel:911", "tel:988", "tel:+1-800-662-4357"],
        strict=True,
    ):
        heading = card.find("h3")
        hidden = heading.select_one(".visually-hidden")
        assert hidden.get_text(strip=True) == prefix and heading.get_text().startswith(hidden.get_text()), heading
        assert card.find("a", href=number), (prefix, number)  # each card is complete on its own


def test_crisis_link_digits_match_visible_text(real_site):
    soup = real_site.html("index.html")
    for a in soup.select("[data-crisis-banner] a[href^='tel:'], [data-crisis-banner] a[href^='sms:']"):
        dialled = re.sub(r"\D", "", a["href"].split("?")[0])
        shown = a.get_text()
        shown = re.sub(r"-[A-Z]{4} \((\d{4})\)", r"-\1", shown)
        assert re.sub(r"\D", "", shown) == dialled, a


def test_one_h1_lang_and_unique_titles(real_site, parsed):
    titles = {}
    for page in all_pages(real_site):
        soup = parsed[page.relative_to(real_site.output).as_posix()]
        assert len(soup.find_all("h1")) == 1, page
        rel = page.relative_to(real_site.output).as_posix()
        assert soup.html.get("lang") == ("es" if rel.startswith("es/") else "en"), page
        title = soup.title.get_text(strip=True)
        assert title and title not in titles, (page, titles.get(title))
        titles[title] = page


def test_nothing_loads_from_another_origin(real_site, parsed):
    for page in all_pages(real_site):
        soup = parsed[page.relative_to(real_site.output).as_posix()]
        for tag, attr in [
            ("script", "src"),
            ("link", "href"),
            ("img", "src"),
            ("iframe", "src"),
            ("source", "src"),
            ("video", "src"),
            ("audio", "src"),
        ]:
            for el in soup.find_all(tag):
                url = el.get(attr)
                if url:
                    assert not urlparse(url).netloc, (page, url)
        assert "@import" not in str(soup) and "fonts.googleapis" not in str(soup)
        css = soup.find("style").string
        assert not re.search(r"url\(\s*['\"]?(https?:)?//", css)
        assert "@font-face" not in css


def test_no_javascript_on_reading_pages(real_site, parsed):
    for page in all_pages(real_site):
        rel = page.relative_to(real_site.output).as_posix()
        if rel.startswith("pagefind/"):
            continue
        soup = parsed[rel]
        scripts = [s.get("src") for s in soup.find_all("script") if s.get("type") != "application/ld+json"]
        if rel in ("search/index.html", "es/buscar/index.html"):
            assert len(scripts) == 1 and "/theme/js/search." in scripts[0], scripts
        else:
            assert not scripts, rel


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


def test_canonical_open_graph_description_and_local_favicon(real_site):
    soup = real_site.html("guides/what-is-iop/index.html")
    assert soup.find("link", rel="canonical")["href"] == "/guides/what-is-iop/"
    og = {m["property"]: m["content"] for m in soup.find_all("meta", property=True)}
    assert og["og:type"] == "article" and og["og:url"] == "/guides/what-is-iop/"
    assert og["og:title"].startswith("What is an intensive outpatient program?")
    description = soup.find("meta", attrs={"name": "description"})["content"]
    assert og["og:description"] == description and description.startswith("An intensive outpatient")
    icon = soup.find("link", rel="icon")["href"]
    assert icon.startswith("/theme/") and (real_site.output / icon.lstrip("/")).is_file()
    # /theme/ is cached for a year, so the favicon's name carries its content hash.
    import hashlib

    digest = hashlib.sha256((ROOT / "theme/static/favicon.svg").read_bytes()).hexdigest()[:10]
    assert icon == f"/theme/favicon.{digest}.svg"


def test_sitemap_and_robots(real_site):
    import xml.etree.ElementTree as ET

    robots = (real_site.output / "robots.txt").read_text()
    assert "Sitemap: /sitemap.xml" in robots
    ns = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9"}
    locs = [e.text for e in ET.parse(real_site.output / "sitemap.xml").getroot().findall("s:url/s:loc", ns)]
    assert "/" in locs and "/search/" in locs
    # Every shipped guide awaits review, so none may be in the sitemap; neither may the 404 page.
    assert not [loc for loc in locs if loc.startswith("/guides/") or "404" in loc], locs


def test_search_page_works_without_javascript(real_site):
    soup = real_site.html("search/index.html")
    fallback = soup.find(id="search-nojs")
    assert "needs JavaScript" in fallback.get_text()
    assert {a["href"] for a in fallback.find_all("a")} >= {"/sections/getting-care/", "/sections/understanding-iop/"}
    assert fallback.parent.name == "noscript", "a browser running scripts never paints the notice (issue 25)"
    form = soup.find("form", attrs={"role": "search"})
    assert not form.has_attr("hidden"), "the form is there from the first paint: no swap when the script runs"
    assert soup.find("label", attrs={"for": "search-input"}) and soup.find(id="search-status")["aria-live"] == "polite"
    assert (real_site.output / "pagefind/pagefind.js").is_file()


def _search_fragments(output) -> dict[str, str]:
    """Each page's text as Pagefind indexed it: {url: content}."""
    import gzip
    import json

    out = {}
    for path in (output / "pagefind/fragment").iterdir():
        data = gzip.decompress(path.read_bytes())
        assert data.startswith(b"pagefind_dcd"), path
        fragment = json.loads(data[len(b"pagefind_dcd") :])
        out[fragment["url"]] = " ".join(fragment["content"].split())
    return out


def test_search_indexes_the_guides_text_not_references_citations_or_review_lines(real_site):
    """A result's excerpt is the guide's own words: its paragraphs and FAQ answers are indexed; the
    reference list, the "[Reference 1]" markers and the review lines are not."""
    fragments = _search_fragments(real_site.output)
    guides = sorted(real_site.output.glob("guides/*/index.html"))
    assert len(guides) >= 12
    checked_faq = 0
    for page in guides:
        rel = page.relative_to(real_site.output).parent.as_posix()
        soup = real_site.html(f"{rel}/index.html")
        content = fragments[f"/{rel}/"]
        doc = soup.select_one("article.doc")
        for marker in doc.select("sup.cite"):
            marker.decompose()
        paragraphs = [" ".join(p.get_text().split()) for p in doc.find_all("p", recursive=False)]
        first = next(t for t in paragraphs if len(t) > 40)
        assert first[:40] in content, (rel, first)
        for answer in doc.select(".faq__answer p")[:1]:
            assert " ".join(answer.get_text().split())[:40] in content, rel
            checked_faq += 1
        for item in doc.select(".references__item"):
            title = " ".join(item.get_text().split())[:60]
            assert title not in content, (rel, title)
        for noise in ("Back to citation", "Reference 1", "Clinical review", "Reviewed by", "may have mistakes"):
            assert noise not in content, (rel, noise)
    assert checked_faq >= 3, "FAQ answers were looked for on a few guides"


def test_assets_have_content_hashes_and_the_inlined_css_is_not_published(real_site):
    import hashlib

    js = list((real_site.output / "theme/js").glob("search.*.js"))
    digest = hashlib.sha256((ROOT / "theme/static/js/search.js").read_bytes()).hexdigest()[:10]
    assert [p.name for p in js] == [f"search.{digest}.js"]
    assert not (real_site.output / "theme/favicon.svg").exists()
    assert not list((real_site.output / "theme").rglob("*.css")), "the CSS is inline in every page, not a file"


# -- the site as published (every page signed off by a test-only clinician) ----------------------------


def test_published_guides_show_who_reviewed_them_under_the_title(published_site):
    guides = sorted((published_site.output / "guides").glob("*/index.html"))
    assert len(guides) >= 19
    for page in guides:
        soup = published_site.html(page.relative_to(published_site.output))
        byline = soup.select_one("[data-review-byline]")
        assert soup.find("h1").find_next_sibling() is byline, page
        text = " ".join(byline.get_text(" ", strip=True).split())
        assert text.startswith("Reviewed by Test Clinician (test data only), LCSW · Last reviewed "), text
        assert " · Next review due " in text
        assert not soup.select("[data-review-notice]"), page


def _jsonld(soup) -> list[dict]:
    import json

    return [json.loads(s.string) for s in soup.find_all("script", type="application/ld+json")]


def test_structured_data_types_per_page_type(published_site):
    expected = {
        "index.html": "WebPage",
        "sections/understanding-iop/index.html": "CollectionPage",
        "about/index.html": "WebPage",
        "privacy/index.html": "WebPage",
        "corrections/index.html": "WebPage",
        "guides/what-is-iop/index.html": "MedicalWebPage",
    }
    for rel, kind in expected.items():
        types = [d["@type"] for d in _jsonld(published_site.html(rel)) if d["@type"] != "FAQPage"]
        assert types == [kind], (rel, types)
    section = _jsonld(published_site.html("sections/understanding-iop/index.html"))[0]
    assert f"{published_site.siteurl}/guides/what-is-iop/" in [part["url"] for part in section["hasPart"]]


def test_guides_carry_their_dates_in_structured_data(published_site):
    guide = next(
        d for d in _jsonld(published_site.html("guides/what-is-iop/index.html")) if d["@type"] == "MedicalWebPage"
    )
    text = (ROOT / "content/guides/what-is-iop.md").read_text()
    published = re.search(r"^date: (\S+)", text, re.M).group(1)
    assert guide["datePublished"] == published
    assert guide["dateModified"] >= guide["datePublished"]
    assert guide["lastReviewed"] and guide["reviewedBy"]["name"] == "Test Clinician (test data only)"


def test_markdown_tables_have_a_caption_and_header_scopes(real_site):
    table = real_site.html("guides/typical-week/index.html").select_one("main table")
    assert table.caption.get_text(strip=True) == "An example week in an IOP"
    assert [th["scope"] for th in table.thead.find_all("th")] == ["col", "col"]
    rows = table.tbody.find_all("tr")
    assert [r.find("th", scope="row").get_text() for r in rows][:2] == ["Monday", "Tuesday"]


def test_care_level_table_has_no_aria_table_roles(real_site):
    table = real_site.html("guides/levels-of-care-compared/index.html").select_one(".care-table table")
    assert table.caption and not [el for el in [table, *table.find_all(True)] if el.has_attr("role")]


def test_hreflang_sets_are_reciprocal_and_self_referencing_on_every_page(real_site, parsed):
    """Issue 28: a page and its current translation list the same set (each other, themselves and the
    English page as x-default); a page with no current translation lists none."""
    sets = {}
    for page in all_pages(real_site):
        rel = page.relative_to(real_site.output).as_posix()
        soup = parsed[rel]
        found = {
            (a["hreflang"], urlparse(a["href"]).path)
            for a in soup.find_all("link", rel="alternate")
            if a.get("hreflang")
        }
        if found:
            sets["/" + rel.removesuffix("index.html")] = found
    assert len(sets) >= 2 * 19 + 2 * 5, sorted(sets)  # 19 guides and their translations, home, search, 3 sections
    for path, found in sets.items():
        assert (dict(found).get("x-default"), path in {p for _l, p in found}) == (dict(found)["en"], True), path
        for _lang, other in found:
            assert sets.get(other) == found, (path, other)
    assert sets["/es/guides/staying-safe/"] == {
        ("en", "/guides/staying-safe/"),
        ("es", "/es/guides/staying-safe/"),
        ("x-default", "/guides/staying-safe/"),
    }
    assert sets["/es/about/"] == {("en", "/about/"), ("es", "/es/about/"), ("x-default", "/about/")}
    assert "/corrections/" not in sets, "a page with no translation names none"
