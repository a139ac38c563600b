"""Preview server: build, serve output/ on localhost, rebuild whenever a source changes."""

from __future__ import annotations

import functools
import subprocess
import sys
import threading
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

WATCHED = ["content", "data", "theme", "plugins", "pelicanconf.py"]


class _Handler(SimpleHTTPRequestHandler):
    def log_message(self, format, *args):
        pass

    def send_error(self, code, message=None, explain=None):
        # Serve the site's own 404 page, as the real hosts do.
        page = Path(self.directory) / "404.html"
        if code == 404 and page.exists():
            body = page.read_bytes()
            self.send_response(404)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)
            return
        super().send_error(code, message, explain)


def _build(settings: str, extra: list[str]) -> int:
    # A fresh process per build: plugin state can never leak from one build into the next.
    return subprocess.call([sys.executable, "-m", "sitekit", "build", "-s", settings, *extra])


def serve(settings: str, bind: str, port: int, extra: list[str] | None = None) -> int:
    from pelican.settings import read_settings
    from watchfiles import watch

    output = read_settings(settings)["OUTPUT_PATH"]
    extra = list(extra or [])
    if _build(settings, extra) != 0 and not Path(output).exists():
        print("Fix the errors above; the server starts once the site builds.", file=sys.stderr)
    handler = functools.partial(_Handler, directory=str(Path(output).resolve()))
    server = ThreadingHTTPServer((bind, port), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    print(f"Serving the site at http://{bind}:{port}/ - press Ctrl+C to stop.", flush=True)
    try:
        for _changes in watch(*[p for p in WATCHED if Path(p).exists()]):
            print("Change seen; rebuilding...", flush=True)
            _build(settings, extra)
    except KeyboardInterrupt:
        pass
    finally:
        server.shutdown()
    return 0
