"""Real servers and a real browser for the tests: Debian's nginx and headless Chromium.

When a program is missing, the test fails with one line saying how to install it: it never
skips, so a green run always means the check really ran.
"""

from __future__ import annotations

import json
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
    """One browser context per screen size, shared by a module's tests: a new context costs about
    0.2 s, a navigation 0.05-0.1 s of CPU. `open` navigates the context's working tab, which resets
    what a test did to a page (focus, typed text, added styles); `view` keeps one loaded tab per
    address, resized as asked, for checks that only read the page; a test that changes the tab itself
    (emulated media) takes a ``fresh`` context."""

    def __init__(self, browser, axe_base: str):
        self.browser = browser
        self.axe_base = axe_base
        self.contexts: dict = {}
        self.tabs: dict = {}
        self.views: dict = {}

    def _context(self, width: int, height: int):
        if (width, height) not in self.contexts:
            self.contexts[width, height] = self.browser.new_context(viewport={"width": width, "height": height})
        return self.contexts[width, height]

    def open(self, url: str, width: int = 1280, height: int = 800):
        if (width, height) not in self.tabs:
            self.tabs[width, height] = self._context(width, height).new_page()
        page = self.tabs[width, height]
        page.goto(url)
        return page

    def view(self, url: str, width: int = 1280, height: int = 800):
        """``url`` loaded once for the module in a tab of its own, resized to this screen size, then
        shared: only for checks that read the page (layout, styles, attributes, text) and never type,
        focus, click, scroll or add to it. The pages' layout is CSS alone, so a resized tab lays out as
        one loaded at that size (media queries are evaluated again)."""
        page = self.views.get(url)
        if page is None:
            page = self.views[url] = self._context(width, height).new_page()
            page.goto(url)
        if page.viewport_size != {"width": width, "height": height}:
            page.set_viewport_size({"width": width, "height": height})
        assert page.url == url and page.evaluate("() => [scrollX, scrollY]") == [0, 0], "a check changed a shared tab"
        return page

    @contextmanager
    def fresh(self, url: str, width: int = 1280, height: int = 800):
        context = self.browser.new_context(viewport={"width": width, "height": height})
        try:
            page = context.new_page()
            page.goto(url)
            yield page
        finally:
            context.close()

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


@contextmanager
def tabs():
    """A headless Chromium with shared tabs (see Tabs), and axe-core served from a local address."""
    if not (AXE_DIR / "axe.min.js").exists():
        pytest.fail("axe-core is missing: run `make install-dev` (npm ci --prefix tests)", pytrace=False)
    with chromium() as browser, static_server(AXE_DIR) as axe_base:
        yield Tabs(browser, axe_base)


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
    thread = threading.Thread(target=server.serve_forever, daemon=True)
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
    call), so it may run on a shared `Tabs.view` tab."""
    from sitekit.checks.outputcheck import REQUIRED

    return page.evaluate(CRISIS_LINKS_VISIBLE_JS, {"needles": list(needles or REQUIRED), "selector": selector})


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
