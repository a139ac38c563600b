"""Live preview in a real browser (Debian's Chromium via Playwright) under `python -m sitekit serve`:
a saved edit shows without reloading by hand; a broken edit shows its findings over the page, with the
file and line, accessibly; the fix clears them; search works; the preview's pages stay valid HTML."""

from __future__ import annotations

import urllib.request

import pytest
from browser import chromium, html_validate

from conftest import ROOT, make_site, serve_preview

pytestmark = pytest.mark.browser

AXE = ROOT / "tests/node_modules/axe-core/axe.min.js"
DIALOG = "dialog[role=alertdialog]"


@pytest.fixture(scope="module")
def browser():
    with chromium() as b:
        yield b


@pytest.fixture
def page(browser):
    """A page under the site's real Content-Security-Policy; axe-core comes in as an init script, which
    the browser runs outside the page's CSP (a script tag would be refused, as it should be)."""
    if not AXE.exists():
        pytest.fail("axe-core is missing: run `make install-dev` (npm ci --prefix tests)", pytrace=False)
    context = browser.new_context(viewport={"width": 1280, "height": 800})
    context.add_init_script(path=str(AXE))
    try:
        yield context.new_page()
    finally:
        context.close()


def axe_violations(page) -> list:
    result = page.evaluate("""() => axe.run(document, {
        runOnly: {type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa']},
        rules: {'target-size': {enabled: true}}})""")
    return [(v["id"], [n["target"] for n in v["nodes"]][:3]) for v in result["violations"]]


def test_a_saved_edit_shows_without_reloading_by_hand(live, live_site, page):
    page.goto(live.base + "/guides/small/")
    page.wait_for_load_state("networkidle")
    assert page.get_by_text("IOP gives most adults").count() == 0
    live_site.edit("content/guides/small.md", "IOP gives adults", "IOP gives most adults")
    page.get_by_text("IOP gives most adults").wait_for(timeout=30_000)  # no page.reload() anywhere


def test_a_broken_edit_shows_its_findings_and_the_fix_clears_them(live, live_site, page):
    page.goto(live.base + "/guides/small/")
    page.wait_for_load_state("networkidle")
    page.locator("a").first.focus()
    live_site.append("content/guides/small.md", "\nSee this[@no-such-key].\n")
    dialog = page.locator(DIALOG)
    dialog.wait_for(state="visible", timeout=30_000)
    text = dialog.inner_text()
    assert "The site did not build: 1 error" in text
    assert (
        "content/guides/small.md:11: CIT001 unknown citation key 'no-such-key' "
        "(add the source to data/references.yaml first)"
    ) in text
    # Grouped by file, errors apart from warnings, as the terminal prints them.
    assert dialog.locator("h3").first.inner_text().startswith("Errors (1)")
    assert dialog.locator(".live-panel__part--errors h4").all_inner_texts() == ["content/guides/small.md"]
    # Over the last good page: the page behind is the one that built.
    assert page.get_by_text("See this").count() == 0
    # Announced and focused: a labelled, described alert dialog holds the focus.
    names = page.evaluate(f"""() => {{
        const d = document.querySelector("{DIALOG}");
        return {{
            label: document.getElementById(d.getAttribute("aria-labelledby")).textContent,
            lead: document.getElementById(d.getAttribute("aria-describedby")).textContent,
            focusInside: d.contains(document.activeElement),
            modal: d.matches(":modal"),
        }};
    }}""")
    assert names["label"].startswith("The site did not build")
    assert "last version that built" in names["lead"]
    assert names["focusInside"] and names["modal"]
    assert axe_violations(page) == []
    # Dismissed with Escape; focus goes back where it was.
    page.keyboard.press("Escape")
    dialog.wait_for(state="hidden")
    assert page.evaluate("() => document.activeElement.tagName") == "A"
    # The fix: the page reloads with the new text and no panel.
    live_site.edit("content/guides/small.md", "See this[@no-such-key].", "See this fixed sentence.")
    page.get_by_text("See this fixed sentence.").wait_for(timeout=30_000)
    assert page.locator(DIALOG).count() == 0


def test_the_panel_shows_file_names_and_messages_as_text_never_as_markup(live, live_site, page):
    page.goto(live.base + "/guides/small/")
    page.wait_for_load_state("networkidle")
    live_site.write("content/guides/<img src=x onerror=alert(1)>.md", "No front matter <b>here</b>.\n")
    dialog = page.locator(DIALOG)
    dialog.wait_for(state="visible", timeout=30_000)
    assert "content/guides/<img src=x onerror=alert(1)>.md:1: FM001 missing front matter" in dialog.inner_text()
    assert dialog.locator("img, b").count() == 0


def test_a_second_failure_shows_again_after_a_dismissal(live, live_site, page):
    page.goto(live.base + "/guides/small/")
    page.wait_for_load_state("networkidle")
    live_site.append("content/guides/small.md", "\nOne[@no-such-key].\n")
    dialog = page.locator(DIALOG)
    dialog.wait_for(state="visible", timeout=30_000)
    dialog.get_by_role("button", name="Dismiss").click()
    dialog.wait_for(state="hidden")
    live_site.append("content/guides/small.md", "\nTwo[@another-missing-key].\n")
    page.get_by_text("'another-missing-key'").wait_for(timeout=30_000)
    assert "The site did not build: 2 errors" in dialog.inner_text()


def test_preview_pages_stay_valid_html_and_accessible_with_the_snippet(live, page, tmp_path):
    files = []
    for name, path in [("home", "/"), ("article", "/guides/small/"), ("page", "/about/"), ("missing", "/nope/")]:
        try:
            body = urllib.request.urlopen(live.base + path, timeout=10).read()
        except urllib.error.HTTPError as err:  # the 404 page
            body = err.read()
        assert b'<script src="/__live/reload.js?v=' in body
        target = tmp_path / f"{name}.html"
        target.write_bytes(body)
        files.append(str(target))
    errors, proc = html_validate(files)
    assert errors == [] and proc.returncode == 0, errors or proc.stderr
    page.goto(live.base + "/guides/small/")
    page.wait_for_load_state("networkidle")
    assert axe_violations(page) == []


def test_the_csp_allows_the_live_script_and_blocks_nothing(live, page):
    problems = []
    page.on("console", lambda msg: problems.append(msg.text) if msg.type == "error" else None)
    with page.expect_request(live.base + "/__live/events", timeout=20_000):  # the script ran and connected
        page.goto(live.base + "/guides/small/")
    page.wait_for_timeout(300)  # time for a refusal to reach the console
    assert [p for p in problems if "Content Security Policy" in p or "Refused" in p] == []


def test_search_works_in_preview_and_follows_edits(tmp_path, page):
    site = make_site(tmp_path)  # a server of its own, with search
    live = serve_preview(site, IOP_SEARCH=True)
    try:
        assert live.state()["search"] == 1
        assert not (site.root / "preview-output/pagefind").exists(), "the preview's index lives outside output/"
        page.goto(live.base + "/search/?q=hours")
        page.wait_for_selector("#search-results li", timeout=30_000)
        page.goto(live.base + "/search/?q=zebrafish")
        page.wait_for_function("() => /^0 results/.test(document.getElementById('search-status').textContent)")
        site.edit("content/guides/small.md", "IOP gives adults", "IOP gives zebrafish adults")
        # The open search page reloads by itself once the new index is in, and finds the new word.
        page.wait_for_selector("#search-results li", timeout=60_000)
        assert "A small guide" in page.locator("#search-results").inner_text()
        assert live.state()["search"] == 2
    finally:
        live.stop()
