"""Proof in a real browser (Debian's Chromium via Playwright) over every page type:
axe-core with WCAG 2.0/2.1/2.2 A and AA plus target-size, keyboard use, reflow at 320 px, the
reader's first screen on a phone (a compact crisis banner, the page's own <h1>), forced-colours mode,
screenshots for people to look at, and HTML validity (html-validate), on the preview build.
test_browser_published.py runs the shared tests on a publish build, the report link and the Nu HTML
Checker; the two modules run side by side under pytest-xdist."""

from __future__ import annotations

import subprocess

import pytest
from browser import CRISIS_LINKS_VISIBLE_JS, html_validate, html_validator, static_server, tabs

from conftest import ROOT

pytestmark = pytest.mark.browser

PAGE_TYPES = {
    "home": "/",
    "section": "/sections/understanding-iop/",
    "article": "/guides/what-is-iop/",
    "article with table and FAQs": "/guides/levels-of-care-compared/",
    "page": "/about/",
    "404": "/404.html",
    "search": "/search/",
    "get help now": "/guides/get-help-now/",
    "corrections": "/corrections/",
}
#: Phone screens the first screen is held on (the issue's 375x667 and a smaller Android).
PHONES = [(375, 667), (360, 640)]
#: The banner's budget: about a quarter of a 375x667 screen, padding included.
BANNER_MAX_PX = 170


@pytest.fixture(scope="module")
def site(real_site):
    with static_server(real_site.output) as base:
        yield base


@pytest.fixture(scope="module")
def build() -> str:
    """Which build the tests shared with test_browser_published.py look at here."""
    return "preview"


@pytest.fixture(scope="module")
def base(site) -> str:
    return site


@pytest.fixture(scope="module")
def browser():
    """Headless Chromium with one shared tab per screen size for the whole module."""
    with tabs() as t:
        yield t


# The next three tests run here on the preview build and in test_browser_published.py on the publish build.


@pytest.mark.parametrize("width", [1280, 375])
@pytest.mark.parametrize("kind", list(PAGE_TYPES))
def test_axe_finds_no_violations(base, browser, kind, width):
    page = browser.open(base + PAGE_TYPES[kind], width=width)
    if kind == "search":  # test the results too: axe does not see content that is not there yet
        page.fill("#search-input", "insurance")
        page.press("#search-input", "Enter")
        page.wait_for_selector("#search-results li", timeout=15000)
    violations = browser.axe(page)
    assert violations == [], violations


@pytest.mark.parametrize("kind", list(PAGE_TYPES))
def test_skip_link_is_first_tab_stop_and_moves_focus_to_main(site, browser, kind):
    page = browser.open(site + PAGE_TYPES[kind])
    page.keyboard.press("Tab")
    first = page.evaluate(
        "() => ({href: document.activeElement.getAttribute('href'),"
        " top: document.activeElement.getBoundingClientRect().top})"
    )
    assert first["href"] == "#main-content" and first["top"] >= 0, "skip link must be first and shown on focus"
    page.keyboard.press("Enter")
    assert page.evaluate("() => document.activeElement.id") == "main-content"


def test_every_crisis_link_is_reachable_by_keyboard_with_visible_focus(site, browser):
    page = browser.open(site + "/guides/what-is-iop/")
    reached, invisible = [], []
    for _ in range(12):
        page.keyboard.press("Tab")
        info = page.evaluate("""() => {
            const el = document.activeElement, s = getComputedStyle(el);
            return {href: el.getAttribute('href'), outline: s.outlineStyle, width: s.outlineWidth,
                    shadow: s.boxShadow};
        }""")
        reached.append(info["href"])
        if info["outline"] == "none" and info["shadow"] == "none":
            invisible.append(info["href"])
    for href in [
        "tel:911",
        "tel:988",
        "sms:988",
        "https://988lifeline.org/",
        "/guides/get-help-now/#help-veterans",
        "/guides/get-help-now/#help-spanish",
        "/guides/get-help-now/",
    ]:
        assert href in reached, (href, reached)
    assert invisible == [], f"no visible focus on {invisible}"


@pytest.mark.parametrize("kind", list(PAGE_TYPES))
def test_no_horizontal_scrolling_at_320px(base, browser, kind):
    page = browser.view(base + PAGE_TYPES[kind], width=320, height=640)
    sizes = page.evaluate("() => [document.documentElement.scrollWidth, document.documentElement.clientWidth]")
    assert sizes[0] <= sizes[1], f"page is {sizes[0]} px wide in a {sizes[1]} px viewport"


@pytest.mark.parametrize("kind", list(PAGE_TYPES))
def test_crisis_banner_fully_visible_in_first_screen_on_a_phone(site, browser, kind):
    page = browser.view(site + PAGE_TYPES[kind], width=375, height=667)
    box = page.locator("[data-crisis-banner]").bounding_box()
    assert box["y"] >= 0 and box["y"] + box["height"] <= 667, box


@pytest.mark.parametrize("width,height", [(375, 667), (1280, 800)])
@pytest.mark.parametrize("kind", list(PAGE_TYPES))
def test_every_required_crisis_link_is_visible(site, browser, kind, width, height):
    """Where the reader is: not hidden, not zero-sized, not clipped, not transparent, not covered, not
    inside a closed <details>, with the styles the browser really computes."""
    from sitekit.checks.outputcheck import REQUIRED

    page = browser.view(site + PAGE_TYPES[kind], width=width, height=height)
    problems = page.evaluate(CRISIS_LINKS_VISIBLE_JS, list(REQUIRED))
    assert problems == []


def test_the_visibility_check_sees_a_link_moved_off_screen(site_factory, browser):
    """A transform the build-time CSS check does not model: the browser check must still catch it."""
    from sitekit.checks.outputcheck import REQUIRED

    fixture = site_factory()
    fixture.append("theme/static/css/site.css", "\n.crisis__action[href='sms:988'] { transform: translateX(-300vw) }\n")
    result = fixture.build()
    assert result.code == 0, "the build-time check does not model transforms: " + result.log
    with static_server(result.output) as base:
        page = browser.open(base + "/guides/small/", width=375, height=667)
        problems = page.evaluate(CRISIS_LINKS_VISIBLE_JS, list(REQUIRED))
    assert problems == ['sms:988 ("Text 988"): outside the page'], problems


@pytest.mark.parametrize("width,height", PHONES)
@pytest.mark.parametrize("kind", list(PAGE_TYPES))
def test_banner_is_compact_with_targets_of_at_least_24px(site, browser, kind, width, height):
    page = browser.view(site + PAGE_TYPES[kind], width=width, height=height)
    box = page.locator("[data-crisis-banner]").bounding_box()
    links = page.locator("[data-crisis-banner] a").evaluate_all(
        "els => els.map(a => { const r = a.getBoundingClientRect();"
        " return [a.getAttribute('href'), Math.round(r.width), Math.round(r.height)]; })"
    )
    assert box["y"] == 0 and box["height"] <= BANNER_MAX_PX, box
    assert len(links) >= 7
    small = [link for link in links if link[1] < 24 or link[2] < 24]
    assert small == [], small


@pytest.mark.parametrize("width,height", PHONES)
def test_the_pages_h1_is_in_the_first_screen_on_every_page_type(base, build, browser, width, height):
    """The reader sees what the page is about without scrolling: the whole <h1>, under the banner and
    the header; in preview the notice that a clinician has not checked the page starts there too."""
    outside = []
    for kind, path in PAGE_TYPES.items():
        page = browser.view(base + path, width=width, height=height)
        h1 = page.locator("h1").bounding_box()
        notice = page.locator("[data-review-notice] strong")
        notice_top = notice.bounding_box()["y"] if notice.count() else None
        if not (h1["y"] >= 0 and h1["y"] + h1["height"] <= height):
            outside.append((kind, round(h1["y"]), round(h1["y"] + h1["height"])))
        if notice_top is not None and notice_top >= height:
            outside.append((kind, "notice", round(notice_top)))
    assert outside == [], f"not in the first {width}x{height} screen ({build}): {outside}"


def test_the_first_screen_check_can_fail(site, browser):
    """The same measure on the old layout (banner 385 px high) puts a guide's title off the screen."""
    page = browser.open(site + "/guides/what-is-iop/", width=360, height=640)
    page.add_style_tag(content="[data-crisis-banner] { padding-bottom: 400px; }")
    h1 = page.locator("h1").bounding_box()
    assert h1["y"] + h1["height"] > 640


@pytest.mark.parametrize("path", ["/guides/get-help-now/", "/"])
def test_crisis_buttons_keep_their_boxes_in_forced_colours(site, browser, path):
    """Windows high contrast replaces background colours; the buttons must keep a visible border."""
    with browser.fresh(site + path, width=375, height=667) as page:  # the emulation stays with the tab
        page.emulate_media(forced_colors="active")
        assert page.evaluate("matchMedia('(forced-colors: active)').matches")
        buttons = page.evaluate("""() => [...document.querySelectorAll('.crisis__action, .care-card__action')]
            .map(a => { const s = getComputedStyle(a), box = getComputedStyle(a.parentElement.closest('div, main'));
                return {href: a.getAttribute('href'), width: parseFloat(s.borderTopWidth), style: s.borderTopStyle,
                        color: s.borderTopColor, around: box.backgroundColor}; })""")
    assert len(buttons) >= 4
    boxless = [b for b in buttons if b["width"] < 2 or b["style"] != "solid" or b["color"] == b["around"]]
    assert boxless == [], boxless


def test_preview_shows_the_report_address_placeholder(site, browser):
    page = browser.open(site + "/about/")
    placeholder = page.locator("[data-report] mark.fill-in")
    assert placeholder.is_visible() and placeholder.inner_text().startswith("[TO FILL IN:")
    assert page.locator("[data-report] a[href^='mailto:']").count() == 0


def test_html_is_valid_on_every_page(real_site):
    errors, proc = html_validate([p for p in real_site.pages() if "/pagefind/" not in str(p)])
    assert errors == [] and proc.returncode == 0, errors or proc.stderr


def test_validator_catches_invalid_html(tmp_path):
    bad = tmp_path / "bad.html"
    bad.write_text("<!doctype html><html lang=en><head><title>x</title></head><body><p><div></p></body></html>")
    proc = subprocess.run(
        ["node", str(html_validator()), "--config", str(ROOT / "tests/.htmlvalidate.cjs"), str(bad)],
        capture_output=True,
        text=True,
    )
    assert proc.returncode == 1 and "close-order" in proc.stdout


def test_the_axe_check_can_fail(site, browser):
    """The shared tab and the locally served axe-core still report what is wrong."""
    page = browser.open(site + "/about/", width=375, height=667)
    page.evaluate("() => document.querySelector('main').append(document.createElement('img'))")
    assert [v[0] for v in browser.axe(page)] == ["image-alt"]
