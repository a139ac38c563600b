"""Preview server (`make serve`): build, serve output/ on localhost, rebuild on every save, and tell
the open pages to reload, or show them what went wrong.

- **Rebuilds** run one at a time in this process, as Pelican's own ``--autoreload`` does: each is a
  whole `sitekit build` (its state reset when it starts), with Pelican's reader cache and the memo of
  per-page check results (sitekit.runtime.memo), so an edit re-reads and re-checks only what changed.
  Saves that arrive during a build are gathered into one more build after it: never two at once. A
  change to the plugins' code or the settings restarts the server process (what it imported is stale).
- **Live reload**: every HTML page this server sends gets one extra element, an external script
  from this server (``<script src="/__live/reload.js?v=HASH" data-build="N" ...>``), which the site's own
  Content-Security-Policy (script-src 'self') allows. It listens to Server-Sent Events on
  ``/__live/events`` and reloads the page when a newer build is in output/. The snippet exists only
  in this server's responses: nothing is written to output/, so it can never be published.
- **Errors in the browser**: when a build fails, every open page shows its findings over the last
  good page, as the terminal prints them (grouped by file, errors apart from warnings), in an
  accessible dialog; the next good build reloads the page, which clears it.
- **Search**: Pagefind runs after the page is shown, into a folder outside output/ (sitekit.preview.searchindex).
- **Review desk**: after each build the desk (sitekit.commands.desk, handed in as ``after_build``) is
  written to ``review/`` beside the output folder and served at ``/_review/``, never from output/, so it
  cannot be published; its pages carry their own Content-Security-Policy (their one inline style).
- **Headers**: the same security headers as production (the build's own ``_headers``, rendered from
  sitekit.content.headers), so editors see a Content-Security-Policy problem in preview. Pages are never
  cached; the theme's hashed assets and the live files are, so a reload asks only for the page.
"""

from __future__ import annotations

import dataclasses
import hashlib
import io
import json
import os
import re
import shutil
import signal
import sys
import threading
import time
from functools import partial
from http import HTTPStatus
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, unquote, urlsplit

from ..content.headers import CACHE_IMMUTABLE, TRANSLATIONS
from ..core.diagnostics import printable
from . import access

LIVE = Path(__file__).resolve().parent / "live"  # reload.js and panel.css, served under /__live/
LIVE_FILES = {"reload.js": "text/javascript; charset=utf-8", "panel.css": "text/css; charset=utf-8"}
SNIPPET = '<script src="/__live/reload.js?v={version}" data-build="{build}" data-search="{search}" defer></script>'
HEAD_END = re.compile(rb"</head\s*>", re.I)
KEEPALIVE_SECONDS = 15

WAITING_PAGE = """<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Preview: the site has not built yet</title>
</head>
<body>
<main>
<h1>The site has not built yet</h1>
<p>This page shows the site as soon as it builds, and lists what stops it until then.</p>
</main>
</body>
</html>
"""


def inject(page: bytes, build: int, search: int = 0) -> bytes:
    """The page with the live-reload script added at the end of its head (or at the end, if it has none),
    saying which build's pages and which search index the server had when it read the page."""
    tag = SNIPPET.format(version=live_version(), build=int(build), search=int(search)).encode()
    m = HEAD_END.search(page)
    at = m.start() if m else len(page)
    return page[:at] + tag + page[at:]


def live_version() -> str:
    """A hash of the live files, part of their address, so a browser may keep them (a reload then asks
    only for the page) and still fetches them again when they change."""
    data = b"".join((LIVE / name).read_bytes() for name in sorted(LIVE_FILES))
    return hashlib.sha256(data).hexdigest()[:10]


def panel(findings: list[dict]) -> dict:
    """Findings for the error panel: errors first, each grouped by file, in the order given; a follow-on
    (an error caused by another file's error) nested under the error of its cause; then only the
    warnings of the files in error (the site's other warnings are not what stopped the build)."""
    out: dict[str, list] = {"errors": [], "warnings": []}
    groups: dict[tuple[str, str], dict] = {}
    causes: dict[str, dict] = {}
    in_error = {f["path"] for f in findings if f["severity"] == "error" and not f.get("because")}
    later = []
    for f in findings:
        if f.get("because"):
            later.append(f)
            continue
        kind = "errors" if f["severity"] == "error" else "warnings"
        if kind == "warnings" and f["path"] not in in_error:
            continue
        group = groups.get((kind, f["path"]))
        if group is None:
            group = groups[(kind, f["path"])] = {"path": f["path"], "items": []}
            out[kind].append(group)
        item = {"text": f["text"], "refused": bool(f.get("refused")), "follow": []}
        group["items"].append(item)
        if kind == "errors":
            causes.setdefault(_where(f), item)
    for f in later:
        cause = causes.get(f["because"])
        if cause is not None:
            cause["follow"].append(f["text"])
        elif f["severity"] == "error":  # its cause is gone: it stands on its own
            group = groups.get(("errors", f["path"]))
            if group is None:
                group = groups[("errors", f["path"])] = {"path": f["path"], "items": []}
                out["errors"].append(group)
            group["items"].append({"text": f["text"], "refused": False, "follow": []})
    return out


def _where(f: dict) -> str:
    return f"{f['path']}:{f['line']}" if f["line"] else f["path"]


def page_file(page: str) -> str:
    """The output file a page's address is served from: '/guides/x/' -> 'guides/x/index.html'."""
    rel = unquote(urlsplit(page or "/").path).lstrip("/")
    return rel + "index.html" if rel == "" or rel.endswith("/") else rel


def page_warnings(findings: list[dict], sources: dict, page: str, output: str = "output") -> list[dict]:
    """The warnings of the page at address ``page``: those of its Markdown file and of its written page
    (named under ``output``, as the output checks name the build's folder). Each says whether a publish
    build refuses it."""
    rel = page_file(page)
    own = {f"{output}/{rel}"}
    if rel in sources:
        own.add(sources[rel])
    return [
        {"text": f["text"], "line": f["line"], "refused": bool(f.get("refused"))}
        for f in findings
        if f["severity"] == "warning" and f["path"] in own
    ]


def site_headers(output: Path) -> dict[str, str]:
    """The headers production sends with every page: the ``/*`` block of the build's ``_headers``
    (rendered by the build from sitekit.content.headers), or sitekit.content.headers itself before any build."""
    from ..content.headers import SECURITY_HEADERS

    try:
        text = (output / "_headers").read_text(encoding="utf-8")
    except OSError:
        return dict(SECURITY_HEADERS)
    found, current = {}, None
    for line in text.splitlines():
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        if not line[0].isspace():
            current = line.strip()
        elif current == "/*" and ":" in line:
            name, value = line.split(":", 1)
            found[name.strip()] = value.strip()
    found.pop("Cache-Control", None)
    return found or dict(SECURITY_HEADERS)


class Live:
    """What the open pages are told: the last build's result, and which build's pages are in output/."""

    def __init__(self):
        self.cond = threading.Condition()
        self.version = 0  # changes whenever anything below does
        self.build = 0  # builds finished
        self.served = 0  # the build whose pages output/ holds (0: none yet from this server)
        self.ok = True
        self.findings: list[dict] = []
        self.sources: dict[str, str] = {}  # output file -> the Markdown file it came from (kept across builds)
        self.output = "output"  # how the build's findings name its folder (sitekit.checks.outputcheck)
        self.search = 0  # search indexes finished
        self.closed = False

    def finished(self, result: dict) -> None:
        with self.cond:
            self.build += 1
            self.ok = result["code"] == 0
            if self.ok:
                self.served = self.build
            self.findings = result["findings"]
            self.sources.update(result.get("sources", {}))
            self.output = result.get("output", self.output)
            self.version += 1
            self.cond.notify_all()

    def indexed(self, outcome: dict) -> None:
        with self.cond:
            if outcome["ok"]:
                self.search += 1
            else:  # a clean build would fail with this error too
                self.ok = False
                self.findings = [
                    *self.findings,
                    {
                        "path": "<site>",
                        "line": 0,
                        "code": "SRCH001",
                        "severity": "error",
                        "message": f"the Pagefind search index was not built: {outcome['message']}",
                        "hint": "run `make install`; pagefind[bin] comes from requirements.txt",
                        "text": f"<site>: SRCH001 the Pagefind search index was not built: {outcome['message']}"
                        " (run `make install`; pagefind[bin] comes from requirements.txt)",
                    },
                ]
            self.version += 1
            self.cond.notify_all()

    def state(self, page: str | None = None) -> dict:
        """What the pages are told (call with the lock held); ``page``: the address of the page asking,
        whose own warnings it is told."""
        errors = sum(f["severity"] == "error" and not f.get("because") for f in self.findings)
        follow = sum(f["severity"] == "error" and bool(f.get("because")) for f in self.findings)
        more = (
            f" (and {follow} that follow{'s' * (follow == 1)} from {'it' if errors == 1 else 'them'})" if follow else ""
        )
        shown = panel(self.findings)
        warnings = sum(len(group["items"]) for group in shown["warnings"])
        return {
            "build": self.build,
            "served": self.served,
            "ok": self.ok,
            "search": self.search,
            "summary": f"{errors} error{'s' * (errors != 1)}{more}"
            + (f", {warnings} warning{'s' * (warnings != 1)} in the same files" if warnings else ""),
            **shown,
            "page": page_warnings(self.findings, self.sources, page, self.output) if page is not None else [],
        }

    def message(self, page: str | None = None) -> str:
        """The state as one Server-Sent Event (call with the lock held)."""
        return f"event: state\ndata: {json.dumps(self.state(page))}\n\n"

    def wait_first(self, stop: threading.Event, before: int = 0) -> None:
        with self.cond:
            while self.build == before and not stop.is_set() and not self.closed:
                self.cond.wait(0.1)

    def close(self) -> None:
        with self.cond:
            self.closed = True
            self.cond.notify_all()


#: Where the review desk is served (sitekit.commands.desk), from the folder ``review/`` beside output/.
DESK_PREFIX = "/_review/"
DESK_FILE_RE = re.compile(r"^(?:[a-z0-9][a-z0-9_-]*/)*[a-z0-9][a-z0-9_.-]*\.html$")


def desk_csp(page: bytes) -> str:
    """The desk's pages load nothing and run nothing: their one inline <style> is allowed by its hash."""
    import base64

    m = re.search(rb"<style>(.*?)</style>", page, re.S)
    style = "'sha256-" + base64.b64encode(hashlib.sha256(m.group(1)).digest()).decode() + "'" if m else "'none'"
    return (
        f"default-src 'none'; style-src {style}; img-src 'self'; base-uri 'none'; form-action 'self'; "
        "frame-ancestors 'none'"
    )


class PreviewServer(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self, address, output: Path, live: Live, index=None):
        self.output = Path(output)
        self.desk = self.output.resolve().parent / "review"
        self.live = live
        self.index = index
        self.busy = lambda: False  # set by serve(): whether a build or an index is under way or waiting
        self.serving = threading.Event()
        super().__init__(address, partial(PreviewHandler, directory=str(self.output)))


class PreviewHandler(SimpleHTTPRequestHandler):
    server: PreviewServer

    def log_message(self, format, *args):
        pass

    def end_headers(self) -> None:
        headers = {**site_headers(self.server.output), **getattr(self, "own_headers", {})}
        for name, value in headers.items():
            self.send_header(name, value)
        self.send_header("Cache-Control", self._cache_control())
        super().end_headers()

    def _cache_control(self) -> str:
        """As production for the theme's assets (their names carry a content hash) and for the live files
        (their address carries one), so a reload asks only for the page; everything else, and every
        page, is asked for again each time: a reload must show the newest build."""
        path = urlsplit(self.path).path
        if path.startswith("/theme/") or (path.startswith("/__live/") and path.endswith((".js", ".css"))):
            return CACHE_IMMUTABLE
        return "no-cache"

    def parse_request(self) -> bool:
        """Every request, whatever its method or endpoint, passes sitekit.preview.access first."""
        return super().parse_request() and access.request_allowed(self)

    def do_GET(self) -> None:
        path = unquote(urlsplit(self.path).path)
        if path == "/__live/events":
            self._events()
            return
        super().do_GET()

    def translate_path(self, path: str) -> str:
        """Only files under the output folder (sitekit.preview.access.resolve); send_head refuses the rest
        before this is asked."""
        found = access.resolve(self.server.output, urlsplit(path).path)
        return str(found) if found is not None else str(self.server.output / ".refused")

    def list_directory(self, path):
        self.send_error(HTTPStatus.NOT_FOUND)  # a folder without index.html: no listings
        return None

    def send_head(self):
        raw = urlsplit(self.path).path
        path = unquote(raw)
        if path == "/__live/state":  # for scripts (make bench, tests): the state, and whether work is pending
            with self.server.live.cond:
                state = {**self.server.live.state(self._page_asked()), "busy": self.server.busy()}
            return self._bytes(json.dumps(state).encode(), "application/json")
        if path.startswith("/__live/"):
            return self._live_file(path.removeprefix("/__live/"))
        if path == DESK_PREFIX.rstrip("/") or path.startswith(DESK_PREFIX):
            return self._desk_file(path.removeprefix(DESK_PREFIX.rstrip("/")).lstrip("/") or "index.html")
        if raw.startswith("/pagefind/") and self.server.index is not None:
            found = self.server.index.lookup(raw.removeprefix("/pagefind/"))
            if found is not None:
                return self._bytes(found.read_bytes(), self.guess_type(str(found)))
        self._wait_for_output()
        if not self.server.output.is_dir():
            return self._page(WAITING_PAGE.encode(), HTTPStatus.SERVICE_UNAVAILABLE)
        local = access.resolve(self.server.output, raw)
        if local is None:
            self.send_error(HTTPStatus.BAD_REQUEST, "Bad Request", "the path is malformed or leads outside the site")
            return None
        if local.is_dir() and path.endswith("/"):
            local = local / "index.html"
        if local.suffix == ".html" and local.is_file():
            seen = self._seen()  # before the file is read: a page is never older than it says
            return self._page(local.read_bytes(), HTTPStatus.OK, seen)
        return super().send_head()

    def send_error(self, code, message=None, explain=None):
        page = self.server.output / "404.html"
        folder = self.path.split("?")[0].split("/")[1] if self.path.startswith("/") else ""
        if folder in TRANSLATIONS and (self.server.output / folder / "404.html").is_file():
            page = self.server.output / folder / "404.html"  # a translation's own, as deploy/nginx.conf does
        if code == HTTPStatus.NOT_FOUND and page.is_file():  # the site's own 404 page, as the real hosts do
            seen = self._seen()
            body = self._page(page.read_bytes(), HTTPStatus.NOT_FOUND, seen)
            if self.command != "HEAD":
                shutil.copyfileobj(body, self.wfile)
            return
        super().send_error(code, message, explain)

    def _seen(self) -> tuple[int, int]:
        live = self.server.live
        with live.cond:
            return live.served, live.search

    def _page(self, body: bytes, status: int, seen: tuple[int, int] | None = None):
        body = inject(body, *(seen or self._seen()))
        return self._bytes(body, "text/html; charset=utf-8", status)

    def _bytes(self, body: bytes, ctype: str, status: int = HTTPStatus.OK):
        self.send_response(status)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        return io.BytesIO(body)

    def _live_file(self, name: str):
        if name not in LIVE_FILES:
            self.send_error(HTTPStatus.NOT_FOUND)
            return None
        return self._bytes((LIVE / name).read_bytes(), LIVE_FILES[name])

    def _desk_file(self, name: str):
        """A page of the review desk: only .html files of review/, by a name that cannot leave it."""
        # The request passed sitekit.preview.access in parse_request (Host, Origin); the name is one
        # DESK_FILE_RE allows, resolved inside the desk's folder.
        desk = self.server.desk
        target = access.resolve(desk, name) if DESK_FILE_RE.match(name) else None
        if target is None or not target.is_file():
            if name == "index.html":
                body = b"<!doctype html><html lang=en><title>Review desk</title><main><h1>Review desk</h1>"
                body += b"<p>The desk is written after the first build. Reload in a moment.</p></main></html>"
                return self._bytes(body, "text/html; charset=utf-8", HTTPStatus.SERVICE_UNAVAILABLE)
            self.send_error(HTTPStatus.NOT_FOUND)
            return None
        body = target.read_bytes()
        self.own_headers = {"Content-Security-Policy": desk_csp(body)}
        return self._bytes(body, "text/html; charset=utf-8")

    def _wait_for_output(self) -> None:
        """A build replaces output/ with two renames; a request between them waits a moment."""
        if self.server.live.served and not self.server.output.is_dir():
            for _ in range(20):
                time.sleep(0.01)
                if self.server.output.is_dir():
                    return

    def _page_asked(self) -> str | None:
        """The page address a live request names (``?page=/guides/x/``), or None."""
        values = parse_qs(urlsplit(self.path).query).get("page")
        return values[0] if values else None

    def _events(self) -> None:
        """Server-Sent Events: the state now, then whenever it changes; a comment now and then keeps
        the connection open (and notices a closed tab). The page that listens names its address, and is
        told its own warnings."""
        live = self.server.live
        page = self._page_asked()
        self.send_response(HTTPStatus.OK)
        self.send_header("Content-Type", "text/event-stream; charset=utf-8")
        self.end_headers()
        seen = None
        try:
            self.wfile.write(b"retry: 500\n\n")
            while True:
                with live.cond:
                    if live.version == seen and not live.closed:
                        live.cond.wait(KEEPALIVE_SECONDS)
                    if live.closed:
                        return
                    if live.version == seen:
                        text = ": still here\n\n"
                    else:
                        seen, text = live.version, live.message(page)
                self.wfile.write(text.encode("utf-8"))
                self.wfile.flush()
        except (BrokenPipeError, ConnectionResetError, OSError):
            return


class Trash:
    """Output folders that preview builds replaced and left (sitekit.runtime.build.REMOVE_REPLACED): moved out of
    the way at once, deleted in the background after the pages have been told to reload."""

    def __init__(self, output: Path):
        self.output = Path(output)
        self.folder = self.output.with_name(f".{self.output.name}-trash")
        self.thread: threading.Thread | None = None
        self.moved = 0

    def collect(self) -> None:
        for old in self.output.parent.glob(f".{self.output.name}-old-*"):
            self.moved += 1
            try:
                self.folder.mkdir(exist_ok=True)
                os.replace(old, self.folder / f"{self.moved}-{old.name}")
            except OSError:
                continue
        if self.folder.exists() and (self.thread is None or not self.thread.is_alive()):
            self.thread = threading.Thread(target=self._empty, name="trash", daemon=True)
            self.thread.start()

    def _empty(self) -> None:
        for item in list(self.folder.iterdir()):
            shutil.rmtree(item, ignore_errors=True)

    def busy(self) -> bool:
        return self.thread is not None and self.thread.is_alive()


class Rebuilder:
    """Builds on request, one at a time, in this process's main thread (`run`): takes the saves seen
    so far, builds, tells the pages, then indexes search. Saves during a build make one more build."""

    def __init__(self, builds, live: Live, index=None, code: tuple[Path, ...] = (), trash=None, after=None):
        self.builds = builds  # build() -> report; restart(): the plugins or settings changed
        self.after = after  # called after each build, once the pages were told (the review desk)
        self.live = live
        self.index = index
        self.trash = trash
        self.code = tuple(Path(p).resolve() for p in code)  # a change here restarts the server
        self.cond = threading.Condition()
        self.pending: set[str] = set()
        self.stopping = False
        self.busy = False

    def request(self, paths) -> None:
        with self.cond:
            self.pending.update(str(p) for p in paths)
            self.cond.notify_all()

    def idle(self) -> bool:
        with self.cond:
            return not self.busy and not self.pending

    def stop(self) -> None:
        with self.cond:
            self.stopping = True
            self.cond.notify_all()

    def run(self) -> None:
        while True:
            with self.cond:
                while not self.pending and not self.stopping:
                    self.cond.wait(0.5)  # a timeout, so Ctrl-C is seen at once
                if self.stopping:
                    return
                changed, self.pending = self.pending, set()
                self.busy = True
            try:
                if not self._once(changed):
                    return
            finally:
                with self.cond:
                    self.busy = False

    def _once(self, changed: set[str]) -> bool:
        code = any(self._is_code(p) for p in changed)
        if changed != {START}:  # a save, not the server's first build
            names = sorted(_rel(p) for p in changed if Path(p).exists()) or ["a file was removed"]
            shown = ", ".join(names[:3]) + (f" and {len(names) - 3} more" if len(names) > 3 else "")
            what = "Code or settings changed" if code else "Changed"
            print(printable(f"{what}: {shown}. {'Restarting the server' if code else 'Rebuilding'}..."), flush=True)
        if code:
            self.builds.restart(self.live.build)
            return False
        result = self.builds.build()
        if result["code"] == INTERRUPTED:  # Ctrl-C or SIGTERM during the build: the server stops
            return False
        self.live.finished(result)
        if self.trash is not None:
            self.trash.collect()
        if result["code"] == 0 and self.index is not None:
            outcome = self.index.run(cancelled=self._interrupted)
            if outcome is not None:
                self.live.indexed(outcome)
        if self.after is not None:
            try:
                self.after()
            except Exception as exc:  # noqa: BLE001 - the desk must never stop the preview
                print(f"The review desk was not updated: {type(exc).__name__}: {exc}", flush=True)
        return True

    def _interrupted(self) -> bool:
        with self.cond:
            return bool(self.pending) or self.stopping

    def _is_code(self, path: str) -> bool:
        p = Path(path).resolve()
        return p.suffix == ".py" and any(p == c or c in p.parents for c in self.code)


#: What the first build of a server is requested for (no file changed).
START = "(start)"

#: The exit status of a build stopped by Ctrl-C or SIGTERM (sitekit.runtime.build).
INTERRUPTED = 130


class Builds:
    """Preview builds in this process: each a full `sitekit build`, whose state is reset when it starts
    (sitekit.runtime.state), with Pelican's reader cache and the memo of per-page check results."""

    def __init__(self, settings_file: Path, overrides: dict):
        self.settings_file = settings_file
        self.overrides = overrides

    def build(self) -> dict:
        from ..runtime import memo
        from ..runtime.build import build

        started = time.perf_counter()
        code = build(self.settings_file, overrides=dict(self.overrides))
        if code == 0:
            memo.trim()  # keep what this build used
        return report(code, started)

    def restart(self, builds: int) -> None:
        """The plugins or the settings changed: what this process imported is stale, so it starts
        again as it was started, telling the new server how many builds the open pages have seen."""
        os.environ[BUILDS_BEFORE] = str(builds)
        sys.stdout.flush()
        sys.stderr.flush()
        os.execv(sys.executable, sys.orig_argv)  # noqa: S606 - this very command again


#: How many builds an earlier server (before a restart) told the open pages about.
BUILDS_BEFORE = "SITEKIT_SERVE_BUILDS"


def report(code: int, started: float) -> dict:
    """What the pages learn of one build: exit status, time, pages, and the findings in the order the
    terminal printed them (DIAG.summary), as plain data."""
    from ..core.diagnostics import DIAG
    from ..runtime.state import RUN

    return {
        "code": code,
        "seconds": round(time.perf_counter() - started, 3),
        "pages": len(RUN.written),
        "findings": [
            {**dataclasses.asdict(f), "text": f.format(), "refused": f.severity == "warning" and f.code in DIAG.refused}
            for f in DIAG.ordered()
        ],
        "sources": {rel: DIAG.relpath(source) for rel, source in RUN.sources.items()},
        "output": RUN.output.checker.shown if RUN.output is not None else "output",
    }


def _rel(path: str) -> str:
    try:
        return os.path.relpath(path)
    except ValueError:
        return path


def watched(settings: dict, settings_file: Path) -> tuple[list[Path], list[Path]]:
    """(folders and files whose changes mean a rebuild, those whose .py files mean a server restart)."""
    root = Path(settings.get("IOP_ROOT", ".")).resolve()
    code = [root / "plugins", settings_file.resolve(), root / "pelicanconf.py"]
    sources = [Path(settings["PATH"]), Path(settings.get("IOP_DATA_PATH", "data")), Path(settings["THEME"])]
    paths = [p.resolve() for p in sources + code]
    unique = [p for i, p in enumerate(paths) if p.exists() and p not in paths[:i]]
    return unique, [p for p in code if p.exists()]


def serve(settings_file: str, bind: str, port: int, extra: list[str] | None = None, after_build=None) -> int:
    from pelican.settings import read_settings
    from watchfiles import watch

    from ..core.diagnostics import DIAG
    from ..runtime import build as runtime_build
    from ..runtime import memo, paths
    from ..runtime.build import pelican_overrides

    extra = list(extra or [])
    overrides = pelican_overrides(extra)
    if overrides is None:
        return 2
    settings_path = Path(settings_file).resolve()
    settings = read_settings(str(settings_path), override=overrides)
    refused = paths.output_problems(settings["OUTPUT_PATH"], settings, settings_path)
    if refused:  # the server would serve that folder, and its builds replace it
        DIAG.reset()
        for message, hint in refused:
            DIAG.error("GRD001", None, 0, message, hint)
        print(DIAG.summary(), file=sys.stderr)
        return 1
    output = Path(settings["OUTPUT_PATH"]).resolve()
    search = bool(settings.get("IOP_SEARCH", True))
    try:
        live = Live()
        live.build = live.served = int(os.environ.pop(BUILDS_BEFORE, "0") or 0)
        index = None
        if search:
            from .searchindex import SearchIndex

            index = SearchIndex(output)
        server = PreviewServer((bind, port), output, live, index)
    except OSError as exc:
        print(f"Cannot serve on http://{bind}:{port}/: {exc.strerror}. Is another preview running?", file=sys.stderr)
        return 1
    memo.enable()  # unchanged pages are not checked again (sitekit.runtime.memo)
    runtime_build.REMOVE_REPLACED = False  # the replaced output/ goes to the trash, emptied after the page shows
    # The build leaves search to the server, which indexes after the page is shown.
    builds = Builds(settings_path, {**overrides, "IOP_SEARCH": False} if search else overrides)
    paths, code = watched(settings, settings_path)
    trash = Trash(output)
    trash.collect()  # what an earlier server left
    after = (lambda: after_build(output)) if after_build is not None else None
    rebuilder = Rebuilder(builds, live, index, tuple(code), trash, after)
    server.busy = lambda: not rebuilder.idle() or trash.busy()
    stop = threading.Event()
    first = live.build

    def on_sigterm(_signum, _frame):
        raise KeyboardInterrupt  # as Ctrl-C: a build under way stops too (sitekit.runtime.build)

    previous = signal.signal(signal.SIGTERM, on_sigterm)
    threads = [threading.Thread(target=_watch, args=(watch, paths, rebuilder, stop), daemon=True)]
    try:
        print("Building the site...", flush=True)
        threads[0].start()  # saves during the first build are built next
        rebuilder.request([START])
        announce = threading.Thread(target=_announce, args=(server, live, first, bind, stop), daemon=True)
        announce.start()
        rebuilder.run()  # until Ctrl-C, SIGTERM or a change of code
        return 0
    except KeyboardInterrupt:
        return 0
    finally:
        stop.set()
        rebuilder.stop()
        live.close()
        if index is not None:
            index.close()
        server.shutdown() if server.serving.is_set() else None
        server.server_close()
        signal.signal(signal.SIGTERM, previous)
        print("Stopped.", flush=True)


def _announce(server: PreviewServer, live: Live, first: int, bind: str, stop: threading.Event) -> None:
    """Serve once the first build has finished (before, there is nothing to show), and say where."""
    live.wait_first(stop, first)
    if stop.is_set() or live.closed:
        return
    host = f"[{bind}]" if ":" in bind else bind
    print(
        f"Serving the site at http://{host}:{server.server_address[1]}/ - open pages reload themselves "
        "when you save. Press Ctrl+C to stop.",
        flush=True,
    )
    server.serving.set()
    server.serve_forever(poll_interval=0.1)


def _watch(watch, paths: list[Path], rebuilder: Rebuilder, stop: threading.Event) -> None:
    # step: a save is taken once nothing more has changed for 20 ms (an editor's save can be several writes).
    for changes in watch(*paths, stop_event=stop, step=20, debounce=1600, raise_interrupt=False):
        rebuilder.request(path for _change, path in changes)
