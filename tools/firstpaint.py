"""`make firstpaint`: what a reader on a phone meets first, measured in Debian's Chromium.

For each page type it reports
- the first screen at 375x667, 360x640 and 1280x800: the crisis banner's height and where the
  page's <h1> starts and ends (and saves a screenshot of that screen to screenshots/);
- first paint on a throttled phone: 400 kbit/s both ways, 400 ms round trip, CPU slowed 4x, cold
  cache, brotli as a real host sends it (the server below serves the build's .br copies and the
  security headers of that build's own _headers file, so an older build is measured with its own
  policy, and a CSP violation shows up here too); median of RUNS loads.

Timings are reported, never asserted: a shared two-core machine is no place for timed unit tests.
Run it before and after a change with the same RUNS and compare the medians.

    python -m tools.firstpaint [--site DIR] [--runs 5] [--label after] [--screenshots DIR]

Without --site it builds the preview site (with .br copies) into .output-firstpaint/ first.
"""

from __future__ import annotations

import argparse
import functools
import json
import statistics
import sys
import threading
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import ClassVar

from sitekit.content.headers import SECURITY_HEADERS

ROOT = Path(__file__).resolve().parents[1]
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run"]
PAGE_TYPES = {
    "home": "/",
    "section": "/sections/understanding-iop/",
    "guide": "/guides/what-is-iop/",
    "guide with table": "/guides/levels-of-care-compared/",
    "get help now": "/guides/get-help-now/",
    "page": "/about/",
    "corrections": "/corrections/",
    "search": "/search/",
    "404": "/404.html",
}
SCREENS = [(375, 667), (360, 640), (1280, 800)]
#: Page types also saved whole at 1280 px (the care-level table's layout).
FULL_PAGE = {"guide with table"}
#: The slow phone of issue #12: 400 kbit/s, 400 ms round trip, a CPU four times slower.
NETWORK = {
    "offline": False,
    "latency": 400,
    "downloadThroughput": 400_000 / 8,
    "uploadThroughput": 400_000 / 8,
}
CPU_SLOWDOWN = 4


def site_headers(site: Path) -> dict[str, str]:
    """The headers the build's own _headers file gives every path (/*), else the current ones."""
    path = site / "_headers"
    if not path.is_file():
        return dict(SECURITY_HEADERS)
    headers, block = {}, None
    for line in path.read_text(encoding="utf-8").splitlines():
        if line and not line.startswith((" ", "#")):
            block = line.strip()
        elif block == "/*" and ":" in line:
            name, value = line.strip().split(":", 1)
            headers[name.strip()] = value.strip()
    return headers


class _Handler(SimpleHTTPRequestHandler):
    """Static files with the site's headers; the .br copy when the browser accepts brotli."""

    headers_to_send: ClassVar[dict[str, str]] = {}

    def log_message(self, format, *args):
        pass

    def end_headers(self):
        for name, value in self.headers_to_send.items():
            self.send_header(name, value)
        super().end_headers()

    def send_head(self):
        path = Path(self.translate_path(self.path))
        if path.is_dir():
            path = path / "index.html"
        brotli = path.with_name(path.name + ".br")
        if "br" in self.headers.get("Accept-Encoding", "") and brotli.is_file():
            body = brotli.read_bytes()
            self.send_response(200)
            self.send_header("Content-Type", self.guess_type(str(path)))
            self.send_header("Content-Encoding", "br")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            return _Bytes(body)
        return super().send_head()


class _Bytes:
    def __init__(self, data: bytes):
        self.data = data

    def read(self, *_args) -> bytes:
        data, self.data = self.data, b""
        return data

    def close(self) -> None:
        pass


class _Server(ThreadingHTTPServer):
    def handle_error(self, request, client_address):
        pass  # a browser that closes a connection early is not news


def serve(site: Path) -> tuple[ThreadingHTTPServer, str]:
    handler = type("_SiteHandler", (_Handler,), {"headers_to_send": site_headers(site)})
    server = _Server(("127.0.0.1", 0), functools.partial(handler, directory=str(site)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, f"http://127.0.0.1:{server.server_address[1]}"


_GEOMETRY = """() => {
    const box = el => { if (!el) return null; const r = el.getBoundingClientRect();
                        return {top: Math.round(r.top), bottom: Math.round(r.bottom), height: Math.round(r.height)}; };
    return {banner: box(document.querySelector('[data-crisis-banner]')), h1: box(document.querySelector('h1'))};
}"""

_TIMING = """() => {
    const paint = Object.fromEntries(performance.getEntriesByType('paint').map(e => [e.name, e.startTime]));
    const nav = performance.getEntriesByType('navigation')[0];
    const resources = performance.getEntriesByType('resource');
    return {fp: paint['first-paint'], fcp: paint['first-contentful-paint'],
            requests: 1 + resources.length,
            bytes: nav.transferSize + resources.reduce((n, r) => n + r.transferSize, 0),
            csp: window.__csp || []};
}"""


def first_screen(browser, base: str, shots: Path | None, label: str) -> dict:
    """Banner height and <h1> position per page type and screen size; a screenshot of each screen."""
    out = {}
    for kind, path in PAGE_TYPES.items():
        for width, height in SCREENS:
            context = browser.new_context(viewport={"width": width, "height": height}, is_mobile=width < 600)
            page = context.new_page()
            response = page.goto(base + path)
            if response is None or (response.status == 404 and kind != "404"):
                context.close()
                continue
            geometry = page.evaluate(_GEOMETRY)
            if shots is not None:
                shots.mkdir(parents=True, exist_ok=True)
                name = f"{label}-{kind.replace(' ', '-')}-{width}x{height}.png"
                page.screenshot(path=str(shots / name))
                if width > 600 and kind in FULL_PAGE:
                    page.screenshot(path=str(shots / name.replace(".png", "-full.png")), full_page=True)
                geometry["screenshot"] = str((shots / name).relative_to(ROOT) if shots.is_relative_to(ROOT) else name)
            out[f"{kind} {width}x{height}"] = geometry
            context.close()
    return out


def first_paint(browser, base: str, runs: int) -> dict:
    """Median first paint per page type on the throttled phone (cold cache, brotli)."""
    out = {}
    for kind, path in PAGE_TYPES.items():
        samples = []
        for _ in range(runs):
            context = browser.new_context(viewport={"width": 375, "height": 667}, is_mobile=True)
            page = context.new_page()
            page.add_init_script(
                "window.__csp = []; document.addEventListener('securitypolicyviolation',"
                " e => window.__csp.push(e.violatedDirective + ' ' + e.blockedURI));"
            )
            cdp = context.new_cdp_session(page)
            cdp.send("Network.enable")
            cdp.send("Network.setCacheDisabled", {"cacheDisabled": True})
            cdp.send("Network.emulateNetworkConditions", NETWORK)
            cdp.send("Emulation.setCPUThrottlingRate", {"rate": CPU_SLOWDOWN})
            response = page.goto(base + path, wait_until="load", timeout=60_000)
            if response is None or (response.status == 404 and kind != "404"):
                context.close()
                break
            sample = page.evaluate(_TIMING)
            for _wait in range(100):  # paint entries can arrive after the load event
                if sample["fcp"] is not None:
                    break
                page.wait_for_timeout(100)
                sample = page.evaluate(_TIMING)
            samples.append(sample)
            context.close()
        if not samples:
            continue
        out[kind] = {
            "first_paint_ms": round(statistics.median(s["fp"] or s["fcp"] for s in samples)),
            "first_contentful_paint_ms": round(statistics.median(s["fcp"] for s in samples)),
            "requests": samples[-1]["requests"],
            "bytes": samples[-1]["bytes"],
            "csp_violations": sorted({v for s in samples for v in s["csp"]}),
        }
    return out


def build_site(folder: Path) -> Path:
    from sitekit.runtime.build import build

    code = build(ROOT / "pelicanconf.py", overrides={"OUTPUT_PATH": str(folder), "IOP_PRECOMPRESS": "always"})
    if code != 0:
        raise SystemExit("the site did not build; fix the errors above")
    return folder


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(prog="python -m tools.firstpaint", description=__doc__.split("\n")[0])
    parser.add_argument("--site", type=Path, help="a built site with .br copies (default: build the preview site)")
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--label", default="now", help="prefix of the screenshot names and the results file")
    parser.add_argument("--screenshots", type=Path, default=ROOT / "screenshots")
    parser.add_argument("--no-paint", action="store_true", help="measure the first screen only (fast)")
    args = parser.parse_args(argv)
    site = args.site.resolve() if args.site else build_site(ROOT / ".output-firstpaint")

    from playwright.sync_api import sync_playwright

    server, base = serve(site)
    try:
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            try:
                screens = first_screen(browser, base, args.screenshots, args.label)
                paints = {} if args.no_paint else first_paint(browser, base, args.runs)
            finally:
                browser.close()
    finally:
        server.shutdown()

    print(f"First screen ({args.label}): crisis banner height and <h1> top-bottom, in CSS px")
    for name, g in screens.items():
        banner = g["banner"]["height"] if g["banner"] else "none"
        h1 = f"{g['h1']['top']}-{g['h1']['bottom']}" if g["h1"] else "none"
        print(f"  {name:32} banner {banner:>4}   h1 {h1}")
    print(
        f"First paint on a throttled phone ({args.label}; {NETWORK['latency']} ms round trip, "
        f"400 kbit/s, CPU /{CPU_SLOWDOWN}, median of {args.runs})"
    )
    for kind, t in paints.items():
        print(
            f"  {kind:18} FP {t['first_paint_ms']:>5} ms  FCP {t['first_contentful_paint_ms']:>5} ms  "
            f"{t['requests']} request(s), {t['bytes']} bytes"
            + (f"  CSP violations: {t['csp_violations']}" if t["csp_violations"] else "")
        )
    results = ROOT / "bench/results"
    results.mkdir(parents=True, exist_ok=True)
    target = results / f"firstpaint-{args.label}.json"
    target.write_text(json.dumps({"first_screen": screens, "first_paint": paints}, indent=2), encoding="utf-8")
    print(f"Wrote {target.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
