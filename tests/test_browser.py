"""Proof in a real browser (Debian's Chromium via Playwright) over every page type:
axe-core with WCAG 2.0/2.1/2.2 A and AA plus target-size, keyboard use, reflow at 320 px, the
crisis banner in the first screen on a phone, and screenshots for people to look at."""

from __future__ import annotations

import json
import subprocess

import pytest
from browser import chromium, static_server

from conftest import ROOT

pytestmark = pytest.mark.browser

AXE = ROOT / "tests/node_modules/axe-core/axe.min.js"
PAGE_TYPES = {
    "home": "/",
    "section": "/sections/understanding-iop/",
    "article": "/guides/what-is-iop/",
    "article with table and FAQs": "/guides/levels-of-care-compared/",
    "page": "/about/",
    "404": "/404.html",
    "search": "/search/",
}
SCREENSHOTS = ROOT / "screenshots"


@pytest.fixture(scope="module")
def site(real_site):
    with static_server(real_site.output) as base:
        yield base


@pytest.fixture(scope="module")
def browser():
    with chromium() as b:
        yield b


def open_page(browser, url, width=1280, height=800):
    context = browser.new_context(viewport={"width": width, "height": height})
    page = context.new_page()
    page.goto(url)
    return context, page


def run_axe(page) -> list:
    if not AXE.exists():
        pytest.fail("axe-core is missing: run `make install` (npm ci --prefix tests)", pytrace=False)
    page.add_script_tag(path=str(AXE))
    result = page.evaluate("""() => axe.run(document, {
        runOnly: {type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa']},
        rules: {'target-size': {enabled: true}}})""")
    return [(v["id"], v["impact"], [n["target"] for n in v["nodes"]][:3]) for v in result["violations"]]


@pytest.mark.parametrize("width", [1280, 375])
@pytest.mark.parametrize("kind", list(PAGE_TYPES))
def test_axe_finds_no_violations(site, browser, kind, width):
    context, page = open_page(browser, site + PAGE_TYPES[kind], width=width)
    if kind == "search":  # test the results too: axe does not see content that is not there yet
        page.fill("#search-input", "insurance")
        page.press("#search-input", "Enter")
        page.wait_for_selector("#search-results li", timeout=15000)
    violations = run_axe(page)
    context.close()
    assert violations == [], violations


@pytest.mark.parametrize("kind", list(PAGE_TYPES))
def test_skip_link_is_first_tab_stop_and_moves_focus_to_main(site, browser, kind):
    context, page = open_page(browser, site + PAGE_TYPES[kind])
    page.keyboard.press("Tab")
    first = page.evaluate(
        "() => ({href: document.activeElement.getAttribute('href'),"
        " top: document.activeElement.getBoundingClientRect().top})"
    )
    assert first["href"] == "#main-content" and first["top"] >= 0, "skip link must be first and shown on focus"
    page.keyboard.press("Enter")
    assert page.evaluate("() => document.activeElement.id") == "main-content"
    context.close()


def test_every_crisis_link_is_reachable_by_keyboard_with_visible_focus(site, browser):
    context, page = open_page(browser, site + "/guides/what-is-iop/")
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
    context.close()
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
def test_no_horizontal_scrolling_at_320px(site, browser, kind):
    context, page = open_page(browser, site + PAGE_TYPES[kind], width=320, height=640)
    sizes = page.evaluate("() => [document.documentElement.scrollWidth, document.documentElement.clientWidth]")
    context.close()
    assert sizes[0] <= sizes[1], f"page is {sizes[0]} px wide in a {sizes[1]} px viewport"


@pytest.mark.parametrize("kind", list(PAGE_TYPES))
def test_crisis_banner_fully_visible_in_first_screen_on_a_phone(site, browser, kind):
    context, page = open_page(browser, site + PAGE_TYPES[kind], width=375, height=667)
    box = page.locator("[data-crisis-banner]").bounding_box()
    context.close()
    assert box["y"] >= 0 and box["y"] + box["height"] <= 667, box


def test_screenshots_for_people_to_look_at(site, browser):
    SCREENSHOTS.mkdir(exist_ok=True)
    written = []
    for name, path in [("home", "/"), ("article", "/guides/levels-of-care-compared/")]:
        for width, height in [(375, 667), (1280, 800)]:
            context, page = open_page(browser, site + path, width=width, height=height)
            target = SCREENSHOTS / f"{name}-{width}.png"
            page.screenshot(path=str(target), full_page=True)
            context.close()
            written.append(target)
    for target in written:
        assert target.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" and target.stat().st_size > 5000


def test_html_is_valid_on_every_page(real_site):
    validator = ROOT / "tests/node_modules/html-validate/bin/html-validate.mjs"
    if not validator.exists():
        pytest.fail("html-validate is missing: run `make install` (npm ci --prefix tests)", pytrace=False)
    pages = [str(p) for p in real_site.pages() if "/pagefind/" not in str(p)]
    proc = subprocess.run(
        ["node", str(validator), "--config", str(ROOT / "tests/.htmlvalidate.cjs"), "--formatter", "json", *pages],
        capture_output=True,
        text=True,
    )
    errors = [
        (r["filePath"], m["line"], m["ruleId"], m["message"])
        for r in json.loads(proc.stdout or "[]")
        for m in r["messages"]
        if m["severity"] == 2
    ]
    assert errors == [] and proc.returncode == 0, errors or proc.stderr


def test_validator_catches_invalid_html(tmp_path):
    bad = tmp_path / "bad.html"
    bad.write_text("<!doctype html><html lang=en><head><title>x</title></head><body><p><div></p></body></html>")
    validator = ROOT / "tests/node_modules/html-validate/bin/html-validate.mjs"
    proc = subprocess.run(
        ["node", str(validator), "--config", str(ROOT / "tests/.htmlvalidate.cjs"), str(bad)],
        capture_output=True,
        text=True,
    )
    assert proc.returncode == 1 and "close-order" in proc.stdout
