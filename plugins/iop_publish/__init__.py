"""Finish the site: the inline stylesheet and its CSP hash, fingerprinted assets, sitemap.xml,
robots.txt, _headers, the Pagefind search index, and (publish builds) precompressed .gz and .br files.

The stylesheet is inlined in every page (sitekit.content.inlinecss), so no page links the CSS file and it is
not published. A publish build refuses deploy files (deploy/nginx.conf, deploy/_headers) whose
Content-Security-Policy would block that inline CSS: `make publish` regenerates them first.
Runs in `finalized`, after every page is written and checked, inside the staging folder.
"""

from __future__ import annotations

import datetime as dt
import gzip
import hashlib
import os
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from xml.sax.saxutils import escape

from markupsafe import Markup
from pelican import signals

from sitekit.checks import changes
from sitekit.checks.review import exempt
from sitekit.content.headers import render_headers_file
from sitekit.content.inlinecss import style_hash, theme_css
from sitekit.core.diagnostics import DIAG
from sitekit.core.pages import content_rel
from sitekit.runtime.build import record_file
from sitekit.runtime.guard import guarded
from sitekit.runtime.state import RUN

#: Theme assets whose names get a content hash (so they can be cached for a year).
ASSETS = {"search_js": "js/search.js", "favicon": "favicon.svg"}
#: Theme files that are inlined in every page and so are not published as files.
INLINED = ["css/site.css"]
COMPRESS = (".html", ".css", ".js", ".json", ".xml", ".svg", ".txt", ".webmanifest")
MIN_COMPRESS_BYTES = 256


def _hashed(rel: str, theme: Path) -> str:
    data = (theme / "static" / rel).read_bytes()
    stem, _, ext = rel.rpartition(".")
    return f"{stem}.{hashlib.sha256(data).hexdigest()[:10]}.{ext}"


@guarded
def fingerprint_assets(pelican) -> None:
    settings = pelican.settings
    theme = Path(settings["THEME"])
    names = {key: _hashed(rel, theme) for key, rel in ASSETS.items() if (theme / "static" / rel).exists()}
    settings["IOP_ASSETS"] = {key: f"theme/{name}" for key, name in names.items()}
    css = theme_css(theme)  # built from the theme's own file, never from content: safe to inline
    settings["IOP_INLINE_CSS"] = Markup(css)
    settings["IOP_STYLE_HASH"] = style_hash(css)


@guarded
def page_meta(path, context) -> None:
    """Remember, per written HTML file, what the sitemap needs."""
    if not str(path).endswith(".html"):
        return
    doc = context.get("article") or context.get("page")
    state = getattr(doc, "review_state", None) if doc is not None else None
    lastmod = state.reviewed.isoformat() if state is not None and state.approved else None
    noindex = bool(state is not None and state.pending) or str(path).endswith("404.html")
    RUN.sitemap.append((str(path), lastmod, noindex))


@guarded
def finish(pelican) -> None:
    settings = pelican.settings
    out = Path(settings["OUTPUT_PATH"])
    theme_out = out / "theme"
    for key, rel in ASSETS.items():
        url = settings["IOP_ASSETS"].get(key)
        if url and (theme_out / rel).exists():
            (theme_out / rel).rename(out / url)
    for rel in INLINED:
        (theme_out / rel).unlink(missing_ok=True)
    siteurl = settings.get("SITEURL", "").rstrip("/")
    write_sitemap(out, siteurl)
    (out / "robots.txt").write_text(f"User-agent: *\nAllow: /\nSitemap: {siteurl}/sitemap.xml\n", encoding="utf-8")
    (out / "_headers").write_text(render_headers_file(settings["IOP_STYLE_HASH"]), encoding="utf-8")
    if settings["IOP_PUBLISH"]:
        check_deploy_files(Path(settings["IOP_ROOT"]), settings["IOP_STYLE_HASH"])
    mode = settings["IOP_PRECOMPRESS"]
    compress = mode == "always" or (mode == "publish" and settings["IOP_PUBLISH"])
    if settings["IOP_SEARCH"]:
        index = RUN.search = SearchIndex(out)
        RUN.cleanups.append(index.stop)
        if compress or RUN.search_waiter is None:  # its files are compressed too; or nothing waits later
            index.wait()
    if compress:
        precompress(out)


def check_deploy_files(root: Path, style_src: str) -> None:
    """The deploy files must allow this build's inline CSS, or readers get an unstyled site."""
    for rel in ("deploy/nginx.conf", "deploy/_headers"):
        path = root / rel
        if path.is_file() and style_src not in path.read_text(encoding="utf-8"):
            DIAG.error(
                "HDR001",
                path,
                0,
                f"the Content-Security-Policy in {rel} does not allow this build's inline CSS ({style_src})",
                "run `make deploy-config` (make publish does) and deploy the new file with the site",
            )


def write_sitemap(out: Path, siteurl: str) -> None:
    urls = []
    for path, lastmod, noindex in sorted(RUN.sitemap):
        if noindex:
            continue
        rel = Path(path).relative_to(out).as_posix()
        loc = rel[: -len("index.html")] if rel.endswith("index.html") else rel
        entry = f"  <url><loc>{escape(siteurl + '/' + loc)}</loc>"
        if lastmod:
            entry += f"<lastmod>{lastmod}</lastmod>"
        urls.append(entry + "</url>")
    body = "\n".join(urls)
    (out / "sitemap.xml").write_text(
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        f'<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">\n{body}\n</urlset>\n',
        encoding="utf-8",
    )


class SearchIndex:
    """Pagefind, indexing the written pages while the build's last checks run (iop_output.finish
    checks the links across pages meanwhile, and waits for it before the links into FOLDER).
    ``wait`` reports a failed index as SRCH001; the build always waits (or stops it) before its
    verdict."""

    COMMAND = (sys.executable, "-m", "pagefind")
    FOLDER = "pagefind"
    SECONDS = 600

    def __init__(self, out: Path):
        self.out = out
        self.done = False
        try:
            self.proc = subprocess.Popen(
                [*self.COMMAND, "--site", str(out), "--silent"],
                stdout=subprocess.PIPE,
                stderr=subprocess.PIPE,
                text=True,
            )
        except OSError as exc:
            self.proc = None
            self._failed(str(exc))

    def wait(self) -> None:
        if self.done:
            return
        self.done = True
        try:
            stdout, stderr = self.proc.communicate(timeout=self.SECONDS)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.communicate()
            self._failed(f"Pagefind did not finish in {self.SECONDS} s")
            return
        if self.proc.returncode != 0 or not (self.out / self.FOLDER / "pagefind.js").exists():
            self._failed(stderr or stdout or "no output")

    def stop(self) -> None:
        """At the end of the build: a search index not waited for (the build failed first) is stopped."""
        if self.done or self.proc is None:
            return
        self.done = True
        self.proc.kill()
        self.proc.communicate()

    def _failed(self, output: str) -> None:
        self.done = True
        message = " ".join(output.split())[:300]
        DIAG.error(
            "SRCH001",
            None,
            0,
            f"the Pagefind search index was not built: {message}",
            "run `make install`; pagefind[bin] comes from requirements.txt",
        )


def precompress(out: Path) -> None:
    """A .gz and a .br copy of each text file, on every core: brotli and zlib let other threads run while
    they compress (quality 11 was half the CPU of the real site's publish build)."""
    import brotli

    def compress(path: Path) -> None:
        data = path.read_bytes()
        if len(data) >= MIN_COMPRESS_BYTES:
            path.with_name(path.name + ".gz").write_bytes(gzip.compress(data, 9, mtime=0))
            path.with_name(path.name + ".br").write_bytes(brotli.compress(data, quality=11))

    files = [path for path in out.rglob("*") if path.suffix in COMPRESS and path.is_file()]
    with ThreadPoolExecutor(max_workers=os.cpu_count() or 1) as pool:
        list(pool.map(compress, files))  # the first failure, if any, is raised here


@guarded
def publish_changes(generators) -> None:
    """A publish build: what it changes since the last publish (printed once the new site is in place)."""
    if not RUN.settings.get("IOP_PUBLISH") or RUN.final is None or RUN.data is None:
        return
    published = {
        str(item.source_path): item
        for generator in generators
        for attr in ("articles", "pages", "hidden_pages")
        for item in getattr(generator, attr, None) or []
    }
    pages = {}
    for path, info in sorted(RUN.pages.items()):
        if not info.front_matter:
            continue
        item = published.get(path)
        rel = content_rel(path, RUN.settings["PATH"]) or ""
        pages[DIAG.relpath(path)] = changes.page_record(
            info, item, RUN.data.references, item is not None, exempt(rel, RUN.settings)
        )
    previous_file = record_file(Path(RUN.final))
    previous = previous_file.read_text(encoding="utf-8") if previous_file.is_file() else None
    RUN.changes = (
        changes.record(pages, dt.datetime.now(dt.UTC)),
        changes.report(previous, pages, Path(RUN.final).name),
    )


def register() -> None:
    signals.initialized.connect(fingerprint_assets)
    signals.content_written.connect(page_meta)
    signals.all_generators_finalized.connect(publish_changes)
    signals.finalized.connect(finish)
