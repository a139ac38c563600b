"""Live preview in a real browser (Debian's Chromium via Playwright) under `python -m sitekit serve`:
a saved edit shows without reloading by hand; a broken edit shows its findings over the page, with the
file and line, accessibly; the fix clears them; search works; the preview's pages stay valid HTML."""

from __future__ import annotations

import time
import urllib.request

import pytest
from browser import html_validate

from conftest import HANG, HANG_MS, ROOT, make_site, serve_preview

pytestmark = pytest.mark.browser

AXE = ROOT / "tests/node_modules/axe-core/axe.min.js"
DIALOG = "dialog[role=alertdialog]"


@pytest.fixture(scope="module")
def browser(chromium_browser):
    """The test process's headless Chromium (conftest.chromium_browser)."""
    return chromium_browser


@pytest.fixture(scope="module")
def context(browser, live_server):
    """One browser context for the module: each test takes a new tab in it (the live script keeps what
    was dismissed in sessionStorage, which is the tab's own; pages are sent with no-cache). A tab on the
    preview's address stays open on its state (JSON, which nothing reloads), so a test's new tab starts
    in a running renderer: about 0.05 s instead of 0.3 s for the first tab of a new context."""
    if not AXE.exists():
        pytest.fail("axe-core is missing: run `make install-dev` (npm ci --prefix tests)", pytrace=False)
    context = browser.new_context(viewport={"width": 1280, "height": 800})
    try:
        context.new_page().goto(live_server[1].base + "/__live/state")
        yield context
    finally:
        context.close()


@pytest.fixture
def page(context):
    """A new tab, its pages under the site's real Content-Security-Policy."""
    page = context.new_page()
    try:
        yield page
    finally:
        page.close()


#: axe-core, evaluated in a page when a test asks for its findings: the browser evaluates what the test
#: sends outside the page's CSP (a script tag would be refused, as it should be).
AXE_SOURCE = AXE.read_text(encoding="utf-8") if AXE.exists() else ""


def axe_violations(page) -> list:
    if not page.evaluate("() => typeof axe !== 'undefined'"):
        page.evaluate("() => {\n" + AXE_SOURCE + "\n}")
    result = page.evaluate("""() => axe.run(document, {
        runOnly: {type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa']},
        rules: {'target-size': {enabled: true}}})""")
    return [(v["id"], [n["target"] for n in v["nodes"]][:3]) for v in result["violations"]]


def open_connected(page, live, path: str) -> None:
    """``path`` loaded, and its live script connected: the server has answered its event stream, which
    sends the state now and on every change, so an edit saved from now on reaches the page. (Not the
    browser's networkidle, which waits 0.5 s after the last request.)"""
    events = live.base + "/__live/events?page="
    with page.expect_response(lambda response: response.url.startswith(events), timeout=HANG_MS):
        page.goto(live.base + path)


def test_a_saved_edit_shows_without_reloading_by_hand(live, live_site, page):
    open_connected(page, live, "/guides/small/")
    assert page.get_by_text("IOP gives most adults").count() == 0
    live_site.edit("content/guides/small.md", "IOP gives adults", "IOP gives most adults")
    page.get_by_text("IOP gives most adults").wait_for(timeout=HANG_MS)  # no page.reload() anywhere


def test_a_broken_edit_shows_its_findings_and_the_fix_clears_them(live, live_site, page):
    open_connected(page, live, "/guides/small/")
    page.locator("a").first.focus()
    live_site.append("content/guides/small.md", "\nSee this[@no-such-key].\n")
    dialog = page.locator(DIALOG)
    dialog.wait_for(state="visible", timeout=HANG_MS)
    text = dialog.inner_text()
    assert "The site did not build: 1 error" in text
    assert (
        "content/guides/small.md:11: CIT001 citation key 'no-such-key' is not in data/references.yaml "
        "(add the source to data/references.yaml first (only sources from the vetted list; README, 'Cite a source'))"
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
    page.get_by_text("See this fixed sentence.").wait_for(timeout=HANG_MS)
    assert page.locator(DIALOG).count() == 0


NOTICE = "aside.live-notice"


def test_a_pages_own_warnings_show_in_a_quiet_notice_that_marks_what_publish_refuses(live, live_site, page):
    """A good build with warnings: this page's own, in a small notice at the bottom that takes no focus,
    covers none of the page's text and can be dismissed; another page's warnings are not there."""
    live_site.append("content/guides/small.md", "\nAbout 40% of people finish the program.\n\nAlcoholism is common.\n")
    live_site.append("content/pages/about.md", "\nAbout 70% of readers like it.\n")
    page.goto(live.base + "/guides/small/")  # after the build: the notice comes with the page's state
    page.get_by_text("About 40% of people").wait_for(timeout=HANG_MS)
    notice = page.locator(NOTICE)
    notice.wait_for(state="visible", timeout=HANG_MS)
    assert notice.get_by_role("status").inner_text() == "2 warnings on this page, 1 that publish refuses"
    assert notice.locator("li").first.is_hidden(), "the list stays folded until asked for"
    assert page.evaluate("() => document.activeElement === document.body"), "the notice never takes the focus"
    notice.get_by_role("button", name="Show").click()
    items = notice.locator("li").all_inner_texts()
    assert items == [
        "Publish refuses this. content/guides/small.md:11: CLM001 [warning] a percentage ('40%') with no citation "
        "in the paragraph (cite a source with [@key], or leave the claim out)",
        "content/guides/small.md:13: LNG002 [warning] 'Alcoholism' (alcoholism) (say 'alcohol use disorder' instead)",
    ], items
    assert "about.md" not in notice.inner_text(), "only this page's warnings"
    # Quiet: a fixed box, styled by the live stylesheet under the site's own CSP, clear of the title and text.
    assert page.evaluate("() => getComputedStyle(document.querySelector('aside.live-notice')).position") == "fixed"
    box = notice.bounding_box()
    for selector in ("h1", ".crisis"):
        other = page.locator(selector).first.bounding_box()
        assert other["y"] + other["height"] <= box["y"], f"the notice covers {selector}"
    assert axe_violations(page) == []
    notice.get_by_role("button", name="Dismiss").click()
    assert page.locator(NOTICE).count() == 0
    page.reload()  # the same warnings stay dismissed for this page
    page.wait_for_function("() => document.querySelector('script[data-build]') !== null")
    page.wait_for_load_state("networkidle")
    assert page.locator(NOTICE).count() == 0


def test_the_error_dialog_lists_errors_first_folds_follow_ons_and_only_warnings_of_files_in_error(
    live, live_site, page
):
    """A tab in data/faqs.yaml: the page that shows those questions has no anchor for a link from another
    page; that link's error is listed under the tab's, not as an error of its own. A warning in a file with
    an error is listed; the site's other warnings are not."""
    live_site.write(
        "content/guides/questions.md",
        """
        ---
        title: Questions
        summary: Common questions.
        date: 2026-01-01
        category: Understanding IOP
        review:
          status: in_review
        ---
        ::: faqs topic=cost
        """,
    )
    live_site.append(
        "content/guides/small.md", "\nSee [the cost questions]({filename}/guides/questions.md#faqs-cost).\n"
    )
    live_site.append("content/pages/about.md", "\nAbout 70% of readers like it.\n")
    page.goto(live.base + "/guides/small/")
    page.get_by_text("See the cost questions").wait_for(timeout=HANG_MS)
    faqs = live_site.path("data/faqs.yaml")
    lines = faqs.read_text().splitlines()
    tab = next(i for i, line in enumerate(lines) if line.startswith("    question:")) + 1
    lines[tab - 1] = "\t" + lines[tab - 1].lstrip()
    live_site.append("content/guides/questions.md", "\nAlcoholism is common[@no-such-key].\n")
    faqs.write_text("\n".join(lines) + "\n")
    dialog = page.locator(DIALOG)
    dialog.wait_for(state="visible", timeout=HANG_MS)
    page.get_by_text("follows from it").wait_for(timeout=HANG_MS)
    assert dialog.locator("h2").inner_text() == (
        "The site did not build: 2 errors (and 1 that follows from them), 1 warning in the same files"
    )
    errors = dialog.locator(".live-panel__part--errors")
    assert errors.locator("h4").all_inner_texts() == ["data/faqs.yaml", "content/guides/questions.md"]
    first = errors.locator(".live-panel__list").first.locator(":scope > li").first
    assert first.locator(":scope > code").inner_text() == (
        f"data/faqs.yaml:{tab}: FAQ001 this line is indented with a tab; YAML files are indented with spaces only "
        "(replace the tab with spaces, as many as the lines around it use)"
    )
    assert first.locator(".live-panel__because").inner_text() == (
        "Because this did not load, 1 more error follows from it (they go away with it):"
    )
    assert first.locator(".live-panel__list--follow li").all_inner_texts() == [
        "content/guides/small.md:11: OUT014 link to '/guides/questions/#faqs-cost': no element has id 'faqs-cost' "
        f"(fix the #anchor; headings get ids from their text) - because data/faqs.yaml:{tab} did not load"
    ]
    warnings = dialog.locator(".live-panel__part--warnings")
    assert warnings.locator("h4").all_inner_texts() == ["content/guides/questions.md"]
    assert "about.md" not in dialog.inner_text(), "a warning of a file with no error is not what stopped the build"
    assert axe_violations(page) == []


def test_the_panel_shows_file_names_and_messages_as_text_never_as_markup(live, live_site, page):
    open_connected(page, live, "/guides/small/")
    live_site.write("content/guides/<img src=x onerror=alert(1)>.md", "No front matter <b>here</b>.\n")
    dialog = page.locator(DIALOG)
    dialog.wait_for(state="visible", timeout=HANG_MS)
    assert "content/guides/<img src=x onerror=alert(1)>.md:1: FM001 missing front matter" in dialog.inner_text()
    assert dialog.locator("img, b").count() == 0


def test_a_second_failure_shows_again_after_a_dismissal(live, live_site, page):
    open_connected(page, live, "/guides/small/")
    live_site.append("content/guides/small.md", "\nOne[@no-such-key].\n")
    dialog = page.locator(DIALOG)
    dialog.wait_for(state="visible", timeout=HANG_MS)
    dialog.get_by_role("button", name="Dismiss").click()
    dialog.wait_for(state="hidden")
    live_site.append("content/guides/small.md", "\nTwo[@another-missing-key].\n")
    page.get_by_text("'another-missing-key'").wait_for(timeout=HANG_MS)
    assert "The site did not build: 2 errors" in dialog.inner_text()


def test_preview_pages_stay_valid_html_and_accessible_with_the_snippet(live, page, tmp_path):
    files = []
    for name, path in [("home", "/"), ("article", "/guides/small/"), ("page", "/about/"), ("missing", "/nope/")]:
        try:
            body = urllib.request.urlopen(live.base + path, timeout=HANG).read()
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


def test_the_csp_allows_the_live_script_and_its_styles_and_blocks_nothing(live, live_site, page):
    problems = []
    page.on("console", lambda msg: problems.append(msg.text) if msg.type == "error" else None)
    with page.expect_request(lambda r: r.url.startswith(live.base + "/__live/events?page="), timeout=HANG_MS):
        page.goto(live.base + "/guides/small/")  # the script ran under the site's CSP and connected
    live_site.append("content/guides/small.md", "\nOne[@no-such-key].\n")
    page.locator(DIALOG).wait_for(state="visible", timeout=HANG_MS)
    # The panel's own stylesheet applies (its red frame), though the CSP allows only the page's own <style>.
    page.wait_for_function(
        f"() => getComputedStyle(document.querySelector('{DIALOG}')).borderTopColor === 'rgb(164, 22, 26)'",
        timeout=HANG_MS,
    )
    assert [p for p in problems if "Content Security Policy" in p or "Refused" in p] == []


def test_search_works_in_preview_and_follows_edits(tmp_path, page):
    site = make_site(tmp_path)  # a server of its own, with search
    live = serve_preview(site, IOP_SEARCH=True)
    try:
        state = live.state()
        assert state is not None, "the server stopped answering:\n" + "".join(live.log)
        assert state["search"] == 1
        assert not (site.root / "preview-output/pagefind").exists(), "the preview's index lives outside output/"
        page.goto(live.base + "/search/?q=hours")
        page.wait_for_selector("#search-results li", timeout=HANG_MS)
        page.goto(live.base + "/search/?q=zebrafish")
        page.wait_for_function("() => /^0 results/.test(document.getElementById('search-status').textContent)")
        site.edit("content/guides/small.md", "IOP gives adults", "IOP gives zebrafish adults")
        # The open search page reloads by itself once the new index is in, and finds the new word.
        page.wait_for_selector("#search-results li", timeout=HANG_MS)
        assert "A small guide" in page.locator("#search-results").inner_text()
        # The server counts the new index once it has finished with it, which can be just after the page has
        # already searched it (the new index files are served as soon as they are in place): wait for that.
        deadline = time.monotonic() + HANG
        while (state := live.state()) is not None and state["search"] < 2 and time.monotonic() < deadline:
            time.sleep(0.05)
        assert state is not None and state["search"] == 2, state
    finally:
        live.stop()
