"""Proof in a real browser on a publish build of the real content (every page signed off by a
test-only clinician, conftest.published_site), served at the address its absolute links point to:
the tests shared with test_browser.py (axe-core, reflow at 320 px, the <h1> in the first screen, the
crisis banner's contract on every page type and screen), the
report link on every page, and the Nu HTML Checker over both builds."""

from __future__ import annotations

import json
import subprocess
from urllib.parse import parse_qs, unquote, urlparse

import pytest
from browser import static_server, tabs
from test_browser import (  # noqa: F401 - collected here too, where `base` is the publish build
    PAGE_TYPES,
    looked,
    on,
    test_at_400_percent_zoom_the_banner_leaves_room_for_the_title,
    test_axe_finds_no_violations,
    test_every_required_crisis_link_can_be_seen_read_and_used_on_every_page_type,
    test_no_horizontal_scrolling_at_320px,
    test_no_two_landmarks_of_the_same_role_share_a_name_on_any_page,
    test_the_pages_h1_is_in_the_first_screen_on_every_page_type,
)

from conftest import FIXTURE_REPORT_EMAIL, ROOT

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def build() -> str:
    return "publish"


@pytest.fixture(scope="module")
def published(published_site):
    """The publish build, served at the address its absolute links point to."""
    with static_server(published_site.output, port=urlparse(published_site.siteurl).port) as base:
        assert base == published_site.siteurl
        yield base


@pytest.fixture(scope="module")
def base(published) -> str:
    return published


@pytest.fixture(scope="module")
def built(published_site):
    return published_site


@pytest.fixture(scope="module")
def seen(base, browser):
    return looked(browser, base)


@pytest.fixture(scope="module")
def browser(chromium_browser):
    """Headless Chromium with shared tabs for the whole module (browser.Tabs)."""
    with tabs(chromium_browser) as t:
        yield t


@pytest.mark.parametrize("kind", list(PAGE_TYPES))
def test_every_page_has_a_report_link_with_its_address(published, seen, kind):
    """Read at 375x667 from each page type's one load (test_browser.look)."""
    links = on(seen, kind, 375, 667)["reports"]
    assert len(links) == 1 and links[0]["visible"], links
    href, box = links[0]["href"], links[0]["box"]
    mail = urlparse(href)
    assert mail.path == FIXTURE_REPORT_EMAIL and set(parse_qs(mail.query)) == {"subject"}
    address = published + PAGE_TYPES[kind]
    words = "Problema en" if kind.startswith("spanish") else "Problem on"
    assert parse_qs(mail.query)["subject"] == [f"{words} {address}"]
    assert box["height"] >= 24


def test_get_help_now_shows_its_first_card_and_its_first_button_in_the_first_phone_screen(published, browser):
    """What readers get (issue 25 item 5a; the card started at y = 1,293 here): at 375x667 the first
    help card, its heading and its first button ("Call 911") are in the first screen, under the title
    and the reviewer's byline."""
    page = browser.visit(published + "/guides/get-help-now/", width=375, height=667)
    card = page.locator(".care-card").first
    box = card.bounding_box()
    button = card.locator(".care-card__action").first
    assert button.inner_text() == "Call 911" and button.get_attribute("href") == "tel:911"
    bottom = button.bounding_box()
    assert box["y"] >= 0 and bottom["y"] + bottom["height"] <= 667, (box, bottom)
    assert page.locator("[data-review-byline]").bounding_box()["y"] < box["y"]


@pytest.mark.parametrize("width,height", [(375, 667), (360, 640)])
def test_the_short_page_of_a_withheld_translation_passes_axe_and_shows_the_spanish_banner(
    published, published_site, browser, width, height
):
    """The publish copy's English glossary changed one word after its Spanish page was pinned (conftest):
    in its place the short Spanish page, checked like every page type (axe, the banner's links seen)."""
    from browser import banner_problems
    from test_browser import BANNER_MAX_PX, needles

    assert "TRN032" in published_site.codes()
    page = browser.visit(published + "/es/guides/glossary/", width=width, height=height)
    assert page.locator("[data-translation-stub]").count() == 1
    assert browser.axe(page) == []
    assert banner_problems(page, needles("spanish")) == []
    banner = page.locator("[data-crisis-banner]").bounding_box()
    assert banner["y"] == 0 and banner["height"] <= BANNER_MAX_PX, banner
    h1 = page.locator("h1").bounding_box()
    assert h1["y"] + h1["height"] <= height


VNU = ROOT / "tests/node_modules/vnu-jar/build/dist/vnu.jar"


def nu_errors(pages: list) -> list:
    """Errors of the Nu HTML Checker (the W3C validator's engine) on these files."""
    from browser import require

    if not VNU.exists():
        pytest.fail("the Nu HTML Checker is missing: run `make install-dev` (npm ci --prefix tests)", pytrace=False)
    java = require("java", "default-jre-headless")
    proc = subprocess.run(
        # One short run: the quick compiler only, one GC thread (half the CPU time of the defaults).
        [
            java,
            "-Xss16m",
            "-XX:TieredStopAtLevel=1",
            "-XX:+UseSerialGC",
            "-jar",
            str(VNU),
            "--format",
            "json",
            "--stdout",
            *map(str, pages),
        ],
        capture_output=True,
        text=True,
    )
    report = json.loads(proc.stdout)
    return [
        (m.get("url", ""), m.get("lastLine"), m["message"])
        for m in report["messages"]
        if m["type"] != "info" or m.get("subType") == "warning"
    ]


@pytest.fixture(scope="module")
def nu_report(real_site, published_site, tmp_path_factory) -> dict:
    """One run of the Nu HTML Checker (one Java start) over both builds and a known-bad file, by file."""
    bad = tmp_path_factory.mktemp("nu") / "bad.html"
    bad.write_text(
        "<!doctype html><html lang=en><head><title>x</title></head><body><table role=table><caption>c</caption>"
        "<tr role=row><td role=cell>1</td></tr></table></body></html>"
    )
    groups = {
        "preview": [p for p in real_site.pages() if "/pagefind/" not in p.as_posix()],
        "publish": [p for p in published_site.pages() if "/pagefind/" not in p.as_posix()],
        "bad": [bad],
    }
    errors = nu_errors([page for pages in groups.values() for page in pages])
    owner = {str(page.resolve()): group for group, pages in groups.items() for page in pages}
    report = {group: [] for group in groups}
    for url, line, message in errors:  # a message the checker cannot tie to a file counts against both builds
        path = unquote(urlparse(url).path)
        for group in [owner[path]] if path in owner else ["preview", "publish"]:
            report[group].append((path.rsplit("/output/", 1)[-1], line, message))
    return report


@pytest.mark.parametrize("build", ["preview", "publish"])
def test_nu_html_checker_finds_nothing_on_any_page(nu_report, build):
    assert nu_report[build] == []


def test_nu_html_checker_rejects_aria_roles_on_a_native_table(nu_report):
    assert any("role" in message for _file, _line, message in nu_report["bad"])
