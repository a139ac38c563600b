"""Real servers and a real browser for the tests: Debian's nginx and headless Chromium.

When a program is missing, the test fails with one line saying how to install it: it never
skips, so a green run always means the check really ran.
"""

from __future__ import annotations

import json
import re
import shutil
import socket
import subprocess
import time
import urllib.request
from contextlib import contextmanager
from pathlib import Path

import pytest

from conftest import HANG, ROOT

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
BROTLI_MODULE = Path("/usr/lib/nginx/modules/ngx_http_brotli_static_module.so")


def require(path: str, package: str) -> str:
    found = shutil.which(path) or (path if Path(path).exists() else None)
    if not found:
        pytest.fail(
            f"{path} is missing: run 'sudo apt-get install {package}' (or `make system-deps` as root)", pytrace=False
        )
    return found


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextmanager
def nginx(site: Path, workdir: Path):
    """Serve ``site`` with deploy/nginx.conf on 127.0.0.1; yield the base URL."""
    binary = require("/usr/sbin/nginx", "nginx")
    if not BROTLI_MODULE.exists():
        pytest.fail(
            "the brotli module is missing: run 'sudo apt-get install libnginx-mod-http-brotli-static'", pytrace=False
        )
    port = free_port()
    server = (ROOT / "deploy/nginx.conf").read_text()
    from sitekit.content.headers import hosting

    root, listen = hosting()  # the hosting settings deploy/nginx.conf was written from (publishconf.py)
    assert f"listen {listen};" in server and f"root {root};" in server, "run `make deploy-config`"
    server = server.replace(f"listen {listen};", f"listen 127.0.0.1:{port};")
    server = server.replace(f"root {root};", f"root {site};")
    workdir.mkdir(parents=True, exist_ok=True)
    (workdir / "site.conf").write_text(server)
    (workdir / "nginx.conf").write_text(f"""
user root;
load_module {BROTLI_MODULE};
worker_processes 1;
pid {workdir}/nginx.pid;
error_log {workdir}/error.log;
events {{ worker_connections 64; }}
http {{
    include /etc/nginx/mime.types;
    default_type application/octet-stream;
    access_log off;
    client_body_temp_path {workdir}/body;
    proxy_temp_path {workdir}/proxy;
    fastcgi_temp_path {workdir}/fastcgi;
    uwsgi_temp_path {workdir}/uwsgi;
    scgi_temp_path {workdir}/scgi;
    include {workdir}/site.conf;
}}
""")
    proc = subprocess.Popen(
        [binary, "-c", str(workdir / "nginx.conf"), "-p", str(workdir), "-g", "daemon off;"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + HANG  # nginx answers, or says why not: a busy machine only takes longer
        while True:
            if proc.poll() is not None:
                pytest.fail(f"nginx did not start: {proc.stderr.read().decode()[:500]}", pytrace=False)
            try:
                urllib.request.urlopen(base + "/", timeout=HANG)
                break
            except OSError:
                assert time.monotonic() < deadline, "nginx neither answered nor stopped"
                time.sleep(0.05)
        yield base
    finally:
        proc.terminate()
        proc.wait(timeout=HANG)


@contextmanager
def chromium():
    """A headless Chromium from Debian, driven by Playwright (no browser download)."""
    require(CHROMIUM, "chromium")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            yield browser
        finally:
            browser.close()


class Tabs:
    """Two tabs shared by a module's tests, each navigated from page to page, so its renderer and
    axe-core's compiled code stay warm (a new tab or context costs a new renderer and a cold compile of
    axe-core, about 0.2 s; a navigation 0.05-0.1 s of CPU). `open` navigates the working tab at the
    screen size asked, for tests that change the page (focus, typed text, added styles): the next
    navigation resets it. `visit` navigates the reading tab, in a context of its own whose pages get
    axe-core before their own scripts, for checks that read pages. A test that changes the tab itself
    (emulated media) takes a context of its own."""

    def __init__(self, browser, axe_base: str):
        self.browser = browser
        self.axe_base = axe_base
        self.context = browser.new_context(viewport={"width": 1280, "height": 800})
        self.tab = None
        self.walker = None
        #: The reading tab holds a page that ran no script of its own (see `landmarks`).
        self.scriptless = False

    @staticmethod
    def resize(page, width: int, height: int):
        if page.viewport_size != {"width": width, "height": height}:
            page.set_viewport_size({"width": width, "height": height})
        return page

    def open(self, url: str, width: int = 1280, height: int = 800):
        """The working tab, at this screen size, navigated to ``url`` (loaded at that size)."""
        if self.tab is None:
            self.tab = self.context.new_page()
        self.resize(self.tab, width, height).goto(url)
        return self.tab

    def visit(self, url: str, width: int = 375, height: int = 667):
        """The reading tab, at this screen size, navigated to ``url``: axe-core is in the page as an
        init script put it there (before the page's own scripts, with no request and no <script>
        added). Whatever a caller does to the page ends with the next visit."""
        if self.walker is None:
            context = self.browser.new_context(viewport={"width": width, "height": height})
            context.add_init_script(path=str(AXE_DIR / "axe.min.js"))
            self.walker = context.new_page()
        self.scriptless = False  # until `landmarks` says otherwise
        self.resize(self.walker, width, height).goto(url)
        assert self.walker.url == url, self.walker.url
        return self.walker

    def landmarks(self, url: str, html: str | None = None) -> list:
        """axe-core's landmark-unique rule on ``url`` at 375x667 in the reading tab. Given ``html``, the
        file the server sends for ``url``, a page with no script of its own is written into the tab
        (Playwright's set_content: document.open and write) at its own address when the tab already
        holds such a page, instead of loaded: the browser parses, styles and lays out the same HTML as a
        load would, without a new document, window and axe-core (half the CPU of a load). Any other
        page, and the first of a walk, is loaded (`visit`), so no script of another page is left in the
        window the written pages share."""
        quiet = html is not None and not has_script(html)
        if quiet and self.scriptless:
            page = self.resize(self.walker, 375, 667)
            page.evaluate("url => history.replaceState(null, '', url)", url)
            page.set_content(html)
            assert page.url == url, page.url
        else:
            page = self.visit(url, 375, 667)
        self.scriptless = quiet
        return self.axe(page, rules=["landmark-unique"])

    def axe(self, page, rules: list | None = None) -> list:
        """axe-core's violations on this page (WCAG 2.0/2.1/2.2 A and AA, with target-size; or only the
        named ``rules``). axe comes from a local address, so the browser compiles it once and reuses the
        code on every page."""
        if not page.evaluate("() => typeof axe !== 'undefined'"):
            page.add_script_tag(url=self.axe_base + "/axe.min.js")
        options = (
            {"runOnly": {"type": "rule", "values": rules}}
            if rules
            else {
                "runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]},
                "rules": {"target-size": {"enabled": True}},
            }
        )
        result = page.evaluate("options => axe.run(document, {...options, resultTypes: ['violations']})", options)
        return [(v["id"], v["impact"], [n["target"] for n in v["nodes"]][:3]) for v in result["violations"]]


AXE_DIR = ROOT / "tests/node_modules/axe-core"


def has_script(html: str) -> bool:
    """Whether a page has a script that runs: any <script> but JSON-LD data, or an on... handler."""
    return bool(
        re.search(r"<script\b(?![^>]*\btype=[\"']?application/ld\+json)", html, re.I)
        or re.search(r"<[^>]+\son[a-z]+\s*=", html, re.I)
    )


@contextmanager
def tabs(browser):
    """Shared tabs (see Tabs) in ``browser``, and axe-core served from a local address; their contexts
    are closed at the end (the browser is the test process's, conftest.chromium_browser)."""
    if not (AXE_DIR / "axe.min.js").exists():
        pytest.fail("axe-core is missing: run `make install-dev` (npm ci --prefix tests)", pytrace=False)
    with static_server(AXE_DIR) as axe_base:
        shared = Tabs(browser, axe_base)
        try:
            yield shared
        finally:
            if shared.walker is not None:
                shared.walker.context.close()
            shared.context.close()


@contextmanager
def static_server(site: Path, port: int = 0):
    """A plain local HTTP server for browser tests that do not need nginx's headers."""
    import functools
    import threading
    from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer

    class Quiet(SimpleHTTPRequestHandler):
        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", port), functools.partial(Quiet, directory=str(site)))
    # Stopping waits for the serving loop to look at its flag: every 0.05 s, not every 0.5 s.
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


#: In the page: why each required crisis link could not be seen, read or used, as a reader's browser lays
#: it out after the page's own CSS (the banner's contract; tests/crisis_visible.js says what it checks).
CRISIS_LINKS_VISIBLE_JS = (ROOT / "tests/crisis_visible.js").read_text(encoding="utf-8")


def banner_problems(page, needles=None, selector: str = "[data-crisis-banner]") -> list[str]:
    """The crisis banner's contract on a loaded page at scroll 0: one line per problem, [] when every
    required link (``needles``, by default sitekit.checks.outputcheck.REQUIRED; another edition passes
    its own) is there, on the first screen, uncovered, big enough and readable against what is behind
    it. It only reads the page (a style that forces pointer-events on is added and removed within the
    call), so it may run on a page other checks read too."""
    from sitekit.checks.outputcheck import REQUIRED

    return page.evaluate(CRISIS_LINKS_VISIBLE_JS, {"needles": list(needles or REQUIRED), "selector": selector})


#: In the page, at scroll 0: what the first-screen tests read, in one call per screen. A box is what
#: Playwright's bounding_box gives (x, y, width, height in CSS px of the screen), or None for an element
#: with no box (display: none); each count says how many elements the selector matched, for the tests
#: that held a page to exactly one (a Playwright locator is strict).
FIRST_SCREEN_JS = """({needles, selector}) => {
  const all = s => [...document.querySelectorAll(s)];
  const box = el => { if (!el || !el.getClientRects().length) return null;
    const r = el.getBoundingClientRect(); return {x: r.x, y: r.y, width: r.width, height: r.height}; };
  // Playwright's is_visible: a non-empty box, and visibility: visible.
  const visible = el => { const r = el.getBoundingClientRect();
    return r.width > 0 && r.height > 0 && getComputedStyle(el).visibility === 'visible'; };
  const [banner] = all('[data-crisis-banner]'), [h1] = all('h1'), [notice] = all('[data-review-notice] strong');
  return {
    screen: [innerWidth, innerHeight, scrollX, scrollY],
    banners: all('[data-crisis-banner]').length,
    banner: box(banner),
    // Each link of the banner: its href, its box rounded as the compact test reads it, and unrounded.
    links: all('[data-crisis-banner] a').map(a => { const r = a.getBoundingClientRect();
      return [a.getAttribute('href'), Math.round(r.width), Math.round(r.height), r.width, r.height]; }),
    h1s: all('h1').length,
    h1: box(h1),
    h1Top: h1 ? h1.getBoundingClientRect().top : null,
    h1Line: h1 ? parseFloat(getComputedStyle(h1).lineHeight) : null,
    notices: all('[data-review-notice] strong').length,
    notice: box(notice),
    reports: all("[data-report] a[href^='mailto:']").map(a =>
      ({href: a.getAttribute('href'), visible: visible(a), box: box(a)})),
    scroll: [document.documentElement.scrollWidth, document.documentElement.clientWidth],
    problems: needles ? (CRISIS)({needles, selector}) : null,
  };
}"""


def first_screen(page, needles=None, selector: str = "[data-crisis-banner]") -> dict:
    """What FIRST_SCREEN_JS reads on a loaded page at scroll 0, with the banner's contract
    (`banner_problems`) for these ``needles`` when given. It only reads the page, as banner_problems does."""
    return page.evaluate(
        FIRST_SCREEN_JS.replace("(CRISIS)", f"({CRISIS_LINKS_VISIBLE_JS.strip()})"),
        {"needles": list(needles) if needles else None, "selector": selector},
    )


def html_validator() -> Path:
    """html-validate's command line (tests/package.json); the test fails with how to install it."""
    validator = ROOT / "tests/node_modules/html-validate/bin/html-validate.mjs"
    if not validator.exists():
        pytest.fail("html-validate is missing: run `make install-dev` (npm ci --prefix tests)", pytrace=False)
    return validator


def html_validate(paths: list) -> tuple[list, subprocess.CompletedProcess]:
    """html-validate with the project's config on these files: its errors (file, line, rule,
    message) and the finished process."""
    proc = subprocess.run(
        ["node", str(html_validator()), "--config", str(ROOT / "tests/.htmlvalidate.cjs"), "--formatter", "json"]
        + [str(p) for p in paths],
        capture_output=True,
        text=True,
    )
    errors = [
        (r["filePath"], m["line"], m["ruleId"], m["message"])
        for r in json.loads(proc.stdout or "[]")
        for m in r["messages"]
        if m["severity"] == 2
    ]
    return errors, proc
