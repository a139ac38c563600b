"""Hosting: the real site behind Debian's nginx with deploy/nginx.conf, and search in Chromium."""

from __future__ import annotations

import gzip
import re
import urllib.error
import urllib.request

import pytest
from browser import nginx
from playwright.sync_api import expect

from conftest import HANG, HANG_MS, ROOT
from sitekit.content.headers import (
    CACHE_HTML,
    CACHE_IMMUTABLE,
    SECURITY_HEADERS,
    STYLE_HASH,
    hosting,
    render_headers_file,
    render_nginx,
)
from sitekit.content.inlinecss import style_hash

pytestmark = pytest.mark.server


@pytest.fixture(scope="module")
def served(real_site, tmp_path_factory):
    """The real site (built with its .gz and .br copies, conftest.real_site) behind nginx."""
    with nginx(real_site.output, tmp_path_factory.mktemp("nginx")) as base:
        yield base, real_site


@pytest.fixture(scope="module")
def browser(chromium_browser):
    """The test process's headless Chromium (conftest.chromium_browser) for the module's browser tests."""
    return chromium_browser


@pytest.fixture(scope="module")
def context(browser, served):
    """One context for the tests that only read the site; each takes a new tab in it. A tab on one of the
    site's files stays open, so a test's tab starts in a running renderer (about 0.05 s instead of 0.3 s
    for the first tab of a new context). A test that changes a file of the site takes a context of its
    own: this one's cache may hold a page for five minutes, as a reader's would."""
    base, result = served
    context = browser.new_context()
    try:
        context.new_page().goto(base + asset_path(result))
        yield context
    finally:
        context.close()


#: Collects the page's Content-Security-Policy violations in window.__csp, from before any script runs.
CSP_LISTENER = (
    "window.__csp = []; document.addEventListener('securitypolicyviolation',"
    " e => window.__csp.push(e.violatedDirective + ' ' + e.blockedURI));"
)


def fetch(url: str, encoding: str | None = None):
    request = urllib.request.Request(url, headers={"Accept-Encoding": encoding} if encoding else {})
    try:
        with urllib.request.urlopen(request, timeout=HANG) as response:
            return response.status, response.headers, response.read()
    except urllib.error.HTTPError as err:
        return err.code, err.headers, err.read()


def asset_path(result) -> str:
    """A fingerprinted theme file (the favicon): cached for a year."""
    return "/" + next(result.output.glob("theme/favicon.*.svg")).relative_to(result.output).as_posix()


def test_generated_deploy_files_match_their_source():
    assert (ROOT / "deploy/nginx.conf").read_text() == render_nginx(*hosting()), "run `make deploy-config`"
    assert (ROOT / "deploy/_headers").read_text() == render_headers_file(), "run `make deploy-config`"


def test_headers_file_is_in_the_output(served):
    _base, result = served
    assert (result.output / "_headers").read_text() == render_headers_file()


@pytest.mark.parametrize("path", ["/", "/guides/what-is-iop/", "/search/", "ASSET", "/pagefind/pagefind.js"])
def test_security_headers_on_html_and_assets(served, path):
    base, result = served
    status, headers, _body = fetch(base + (asset_path(result) if path == "ASSET" else path))
    assert status == 200
    for name, value in SECURITY_HEADERS.items():
        assert headers[name] == value, name
    csp = headers["Content-Security-Policy"]
    assert "default-src 'self'" in csp and "unsafe-inline" not in csp and "frame-ancestors 'none'" in csp
    assert "Set-Cookie" not in headers


def test_caching_short_for_html_long_for_fingerprinted_assets(served):
    base, result = served
    assert fetch(base + "/guides/what-is-iop/")[1]["Cache-Control"] == CACHE_HTML
    assert fetch(base + asset_path(result))[1]["Cache-Control"] == CACHE_IMMUTABLE


def test_missing_page_gets_the_404_page_with_status_404(served):
    base, _result = served
    status, headers, body = fetch(base + "/no-such-page/")
    assert status == 404
    assert b"Page not found" in body and b"data-crisis-banner" in body
    assert headers["Content-Security-Policy"] == SECURITY_HEADERS["Content-Security-Policy"]


@pytest.mark.parametrize("encoding", ["gzip", "br"])
def test_precompressed_files_are_served(served, encoding):
    import brotli

    base, result = served
    for path in [
        "/guides/what-is-iop/",
        "/" + next(result.output.glob("theme/js/search.*.js")).relative_to(result.output).as_posix(),
    ]:
        status, headers, body = fetch(base + path, encoding)
        assert status == 200 and headers["Content-Encoding"] == encoding, path
        plain = gzip.decompress(body) if encoding == "gzip" else brotli.decompress(body)
        target = result.output / (path.strip("/") + ("/index.html" if path.endswith("/") else ""))
        assert plain == target.read_bytes()


@pytest.mark.parametrize("path", ["/", "/guides/levels-of-care-compared/", "/search/", "/no-such-page/"])
def test_csp_allows_exactly_the_inline_style_by_its_hash(served, path):
    from bs4 import BeautifulSoup

    base, _result = served
    _status, headers, body = fetch(base + path)
    css = BeautifulSoup(body, "html.parser").find("style").string
    csp = dict(part.strip().split(" ", 1) for part in headers["Content-Security-Policy"].split(";"))
    assert csp["style-src"] == style_hash(css) == STYLE_HASH
    assert "unsafe-inline" not in headers["Content-Security-Policy"]


def test_pages_paint_styled_with_no_csp_violation(served, context):
    """In a real browser behind the real headers: the inline CSS applies and nothing is refused."""
    base, _result = served
    page = context.new_page()
    try:
        page.add_init_script(CSP_LISTENER)  # runs again on every navigation, so each page starts empty
        for path in ["/", "/guides/get-help-now/", "/about/", "/corrections/", "/no-such-page/"]:
            page.goto(base + path)
            assert page.evaluate("window.__csp") == [], path
            banner = page.locator("[data-crisis-banner]").evaluate("el => getComputedStyle(el).backgroundColor")
            assert banner == "rgb(125, 26, 26)", (path, banner)
    finally:
        page.close()


def test_a_style_the_csp_does_not_allow_is_refused(served, browser):
    """The check above can fail: a changed inline style is blocked and reported."""
    base, result = served
    page_file = result.output / "privacy/index.html"
    original = page_file.read_bytes()
    context = browser.new_context()
    try:
        page_file.write_bytes(original.replace(b"<style>", b"<style>body{color:red}", 1))
        for compressed in ("privacy/index.html.br", "privacy/index.html.gz"):
            (result.output / compressed).unlink(missing_ok=True)
        page = context.new_page()
        page.add_init_script(CSP_LISTENER)
        page.goto(base + "/privacy/")
        assert [v.split(" ")[0] for v in page.evaluate("window.__csp")] == ["style-src-elem"]
    finally:
        context.close()
        page_file.write_bytes(original)


def test_search_returns_results_without_csp_violations(served, context):
    base, _result = served
    page = context.new_page()
    try:
        console = []
        page.on("console", lambda msg: console.append(f"{msg.type}: {msg.text}"))
        page.add_init_script(CSP_LISTENER)
        pagefind_bytes = []
        page.on("response", lambda r: pagefind_bytes.append(len(r.body())) if "/pagefind/" in r.url else None)
        page.goto(base + "/search/")
        assert page.locator("#search-nojs").is_hidden() and page.locator("#search-form").is_visible()
        page.fill("#search-input", "Medicare")
        page.press("#search-input", "Enter")
        page.wait_for_selector("#search-results li", timeout=HANG_MS)
        titles = page.locator("#search-results h2 a").all_inner_texts()
        assert any("Paying for IOP" in t for t in titles), titles
        # The results list and the status line are filled in two steps: wait for the status itself, whole
        # (reading it after a wait for "Medicare" once found "Searching…": typing, then Enter, ran the same
        # search twice; search.js now runs it once).
        counted = re.compile(r"\d+ results? for “Medicare”\.")
        expect(page.locator("#search-status")).to_have_text(counted, timeout=HANG_MS)
        options = page.locator("#search-section option").all_inner_texts()
        assert "Getting care" in options
        page.select_option("#search-section", "Support and help")
        # A locator wait, not wait_for_function: Playwright polls a string predicate through eval(),
        # which this page's Content-Security-Policy rightly refuses.
        expect(page.locator("#search-status")).to_contain_text("Support and help", timeout=HANG_MS)
        assert page.evaluate("window.__csp") == []
        assert not [m for m in console if "Content Security Policy" in m or m.startswith("error")], console
        print(f"\nsearch downloaded {sum(pagefind_bytes)} bytes from /pagefind/ for one query")
    finally:
        page.close()
