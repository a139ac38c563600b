"""The preview server (`make serve`): rebuilds in its own process with the findings a clean build gives,
one build at a time, the reload snippet only in its own responses, production's headers, a clean stop
on Ctrl-C; and `make new`."""

from __future__ import annotations

import datetime
import hashlib
import json
import os
import shutil
import signal
import subprocess
import sys
import threading
import time
import urllib.request
from pathlib import Path

import pytest

from conftest import GUIDE, HANG, ROOT, preview_settings
from sitekit.content.headers import SECURITY_HEADERS
from sitekit.preview import serve
from sitekit.runtime import memo
from tools.preview import Preview

FIELDS = ("path", "line", "code", "severity", "message", "hint")


def printed(result) -> list[str]:
    """The finding lines of a build's terminal output, in the order they were printed."""
    ours = {f.format() for f in result.findings}
    return [line for line in result.log.splitlines() if line in ours]


# -- the pieces ------------------------------------------------------------------------------------


LIVE = ROOT / "plugins/sitekit/preview/live"
VERSION = hashlib.sha256((LIVE / "panel.css").read_bytes() + (LIVE / "reload.js").read_bytes()).hexdigest()[:10]


def test_snippet_goes_at_the_end_of_the_head_once():
    page = b"<!doctype html><html><head><title>x</title></HEAD><body><p>Hi</p></body></html>"
    assert serve.inject(page, 7, 3) == (
        b'<!doctype html><html><head><title>x</title><script src="/__live/reload.js?v=' + VERSION.encode() + b'" '
        b'data-build="7" data-search="3" defer></script></HEAD><body><p>Hi</p></body></html>'
    )
    assert serve.inject(b"<p>no head</p>", 1) == (
        b'<p>no head</p><script src="/__live/reload.js?v=' + VERSION.encode() + b'" data-build="1" '
        b'data-search="0" defer></script>'
    )


def test_panel_lists_errors_by_file_with_follow_ons_under_their_cause_and_only_the_warnings_of_files_in_error():
    def finding(path, line, code, severity, because="", refused=False):
        text = f"{path}:{line}: {code}" + (f" - because {because} did not load" if because else "")
        return {"path": path, "line": line, "code": code, "severity": severity, "text": text, "because": because,
                "refused": refused}  # fmt: skip

    findings = [
        finding("data/faqs.yaml", 40, "FAQ001", "error"),
        finding("data/references.yaml", 3, "REF011", "warning"),
        finding("content/guides/a.md", 4, "CIT001", "error"),
        finding("content/guides/a.md", 9, "CLM001", "warning", refused=True),
        finding("content/guides/a.md", 12, "LNG001", "error"),
        finding("content/guides/b.md", 1, "FM001", "error"),
        finding("content/guides/c.md", 7, "OUT014", "error", because="data/faqs.yaml:40"),
        finding("content/guides/d.md", 2, "OUT013", "error", because="content/guides/gone.md:3"),
    ]
    assert serve.panel(findings) == {
        "errors": [
            {
                "path": "data/faqs.yaml",
                "items": [
                    {
                        "text": "data/faqs.yaml:40: FAQ001",
                        "refused": False,
                        "follow": ["content/guides/c.md:7: OUT014 - because data/faqs.yaml:40 did not load"],
                    }
                ],
            },
            {
                "path": "content/guides/a.md",
                "items": [
                    {"text": "content/guides/a.md:4: CIT001", "refused": False, "follow": []},
                    {"text": "content/guides/a.md:12: LNG001", "refused": False, "follow": []},
                ],
            },
            {
                "path": "content/guides/b.md",
                "items": [{"text": "content/guides/b.md:1: FM001", "refused": False, "follow": []}],
            },
            # A follow-on whose cause is no longer reported stands on its own.
            {
                "path": "content/guides/d.md",
                "items": [
                    {
                        "text": "content/guides/d.md:2: OUT013 - because content/guides/gone.md:3 did not load",
                        "refused": False,
                        "follow": [],
                    }
                ],
            },
        ],
        # Only the warnings of files with an error: references.yaml's is not what stopped the build.
        "warnings": [
            {
                "path": "content/guides/a.md",
                "items": [{"text": "content/guides/a.md:9: CLM001", "refused": True, "follow": []}],
            }
        ],
    }


def test_a_page_is_told_its_own_warnings_those_of_its_markdown_file_and_of_its_written_page():
    live = serve.Live()
    live.finished(
        {
            "code": 0,
            "findings": [
                {"path": "content/guides/a.md", "line": 9, "severity": "warning", "text": "a9", "refused": True},
                {"path": "output/guides/a/index.html", "line": 3, "severity": "warning", "text": "out3"},
                {"path": "content/guides/b.md", "line": 2, "severity": "warning", "text": "b2"},
                {"path": "data/faqs.yaml", "line": 5, "severity": "warning", "text": "faq5"},
            ],
            "sources": {"guides/a/index.html": "content/guides/a.md", "guides/b/index.html": "content/guides/b.md"},
        }
    )
    state = live.state("/guides/a/")
    assert state["page"] == [
        {"text": "a9", "line": 9, "refused": True},
        {"text": "out3", "line": 3, "refused": False},
    ]
    assert [w["text"] for w in live.state("/guides/b/")["page"]] == ["b2"]
    assert live.state("/")["page"] == []
    assert serve.page_file("/guides/a/") == "guides/a/index.html" and serve.page_file("/404.html") == "404.html"


def test_preview_headers_are_the_ones_production_sends(site, tmp_path):
    result = site.build()
    assert result.code == 0, result.log
    assert serve.site_headers(result.output) == SECURITY_HEADERS
    assert serve.site_headers(tmp_path / "no-build-yet") == SECURITY_HEADERS
    assert "unsafe-inline" not in SECURITY_HEADERS["Content-Security-Policy"]


def test_search_index_is_built_beside_output_kept_two_deep_and_cancellable(site):
    from sitekit.preview.searchindex import SearchIndex

    result = site.build()
    assert result.code == 0, result.log
    index = SearchIndex(result.output)
    assert index.run(cancelled=lambda: False) == {"ok": True, "message": ""}
    first = index.lookup("pagefind.js")
    assert first is not None and result.output not in first.parents
    assert not (result.output / "pagefind").exists()
    assert index.run(cancelled=lambda: False)["ok"]
    assert index.run(cancelled=lambda: False)["ok"]
    assert len(list(index.base.iterdir())) == 2, "the current index and the one before"
    assert not first.exists()
    assert index.lookup("../../etc/passwd") is None
    assert index.run(cancelled=lambda: True) is None  # a newer build is coming
    assert len(list(index.base.iterdir())) == 2


def test_a_search_index_that_fails_is_an_error_in_the_browser():
    live = serve.Live()
    live.finished({"code": 0, "findings": []})
    live.indexed({"ok": False, "message": "pagefind: not found"})
    state = live.state()
    assert state["ok"] is False and state["served"] == 1
    assert state["errors"] == [
        {
            "path": "<site>",
            "items": [
                {
                    "text": "<site>: SRCH001 the Pagefind search index was not built: pagefind: not found "
                    "(run `make install`; pagefind[bin] comes from requirements.txt)",
                    "refused": False,
                    "follow": [],
                }
            ],
        }
    ]


class FakeBuilds:
    """Builds that count how many run at once; with ``hold``, each waits until the test releases it."""

    def __init__(self, hold: bool = False):
        self.release = threading.Event()
        if not hold:
            self.release.set()
        self.lock = threading.Lock()
        self.running = self.most = self.calls = self.restarts = 0

    def build(self):
        with self.lock:
            self.running += 1
            self.calls += 1
            self.most = max(self.most, self.running)
        self.release.wait()
        with self.lock:
            self.running -= 1
        return {"code": 0, "findings": [], "pages": 1, "seconds": 0.0}

    def restart(self, builds):
        self.restarts += 1


def wait_until(condition, timeout=HANG):
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError("timed out")
        time.sleep(0.01)


def test_saves_during_a_build_are_queued_into_one_more_build_never_interleaved(tmp_path):
    builds, live = FakeBuilds(hold=True), serve.Live()
    rebuilder = serve.Rebuilder(builds, live)
    threading.Thread(target=rebuilder.run, daemon=True).start()
    try:
        rebuilder.request(["(start)"])
        wait_until(lambda: builds.calls == 1)
        for i in range(5):  # five saves while the first build runs
            rebuilder.request([str(tmp_path / f"page{i}.md")])
        builds.release.set()
        wait_until(rebuilder.idle)
        assert builds.calls == 2
        assert builds.most == 1
        assert live.build == 2 and live.served == 2
    finally:
        rebuilder.stop()


def test_a_change_to_the_plugins_restarts_the_server(tmp_path):
    plugins = tmp_path / "plugins"
    plugins.mkdir()
    builds = FakeBuilds()
    rebuilder = serve.Rebuilder(builds, serve.Live(), code=(plugins,))
    loop = threading.Thread(target=rebuilder.run, daemon=True)
    loop.start()
    try:
        rebuilder.request(["(start)"])
        wait_until(rebuilder.idle)
        rebuilder.request([str(tmp_path / "content.md")])
        wait_until(lambda: builds.calls == 2 and rebuilder.idle())
        assert builds.restarts == 0
        rebuilder.request([str(plugins / "iop_x.py")])
        loop.join(20)
        assert not loop.is_alive(), "the loop ends: the server process starts again"
        assert (builds.restarts, builds.calls) == (1, 2)
    finally:
        rebuilder.stop()


def test_preview_builds_share_the_reader_cache_with_make_html():
    """The preview builds without the search index (it indexes later): same cache folder all the same."""
    from pelican.settings import read_settings

    from sitekit.runtime import cache

    html = read_settings(str(ROOT / "pelicanconf.py"))
    preview = read_settings(str(ROOT / "pelicanconf.py"), override={"IOP_SEARCH": False})
    assert html["IOP_SEARCH"] is True
    assert cache.key(preview) == cache.key(html)
    assert cache.key(read_settings(str(ROOT / "pelicanconf.py"), override={"IOP_READING": {}})) != cache.key(html)


def test_the_cache_key_survives_a_build_in_the_same_process(site):
    """Pelican adds to MARKDOWN in place; a settings file that imports pelicanconf shares that dict with
    later builds in the process (the preview's build host): the key must not change because of it."""
    from pelican.settings import read_settings

    from sitekit.runtime import cache

    settings = preview_settings(site)
    before = cache.key(read_settings(str(settings)))
    assert site.build().code == 0
    after = read_settings(str(settings))
    assert "markdown.extensions.meta" in after["MARKDOWN"]["extensions"]  # what Pelican did
    assert cache.key(after) == before


# -- fast builds report what clean builds report ------------------------------------------------------


BROKEN = "\nSee this[@no-such-key]. Every addict deserves care.\n"


@pytest.fixture
def in_process(monkeypatch):
    """Preview builds as the server runs them: in this process, with the memo of per-page check results."""
    monkeypatch.setattr(memo, "ENABLED", True)
    monkeypatch.setattr(memo, "_RESULTS", {})
    monkeypatch.setattr(memo, "_USED", set())

    def builds(site) -> serve.Builds:
        return serve.Builds(preview_settings(site), {})

    return builds


def test_fast_builds_report_exactly_what_a_clean_build_does(site, in_process):
    builds = in_process(site)
    first = builds.build()
    site.append("content/guides/small.md", BROKEN)
    broken = builds.build()  # the reader cache and the memo warm
    clean_broken = site.build()
    site.edit("content/guides/small.md", BROKEN, "\nSee this. Everyone deserves care.\n")
    fixed = builds.build()
    clean_fixed = site.build()
    assert first["code"] == 0
    assert broken["code"] == clean_broken.code == 1
    assert {"CIT001", "LNG001"} <= {f["code"] for f in broken["findings"]}
    assert sorted(tuple(f[k] for k in FIELDS) for f in broken["findings"]) == sorted(
        tuple(getattr(f, k) for k in FIELDS) for f in clean_broken.findings
    )
    assert [f["text"] for f in broken["findings"]] == printed(clean_broken)
    assert fixed["code"] == clean_fixed.code == 0
    assert [f["text"] for f in fixed["findings"]] == printed(clean_fixed)
    assert (site.root / "preview-output/guides/small/index.html").is_file()


KEPT = (
    GUIDE.replace("A small guide", "A kept guide")
    + """
Studies show most people get better with care.

| Level | Hours |
| ----- | ----- |
| IOP   | 9     |
"""
)


def test_a_page_left_alone_reports_in_a_fast_build_what_a_clean_build_does(site, in_process):
    """The server keeps its builds' per-page check results (sitekit.runtime.memo): a page nobody touched
    still shows its language warning and its output error; a page that changed is checked anew."""
    site.write("content/guides/kept.md", KEPT)
    builds = in_process(site)
    builds.build()  # fills the memo
    site.append("content/guides/small.md", "\nAsk your program what a week looks like.\n")
    other = builds.build()
    clean_other = site.build()
    site.edit("content/guides/kept.md", "Studies show most", "Most")
    site.edit("content/guides/kept.md", "\n| Level", "\nTable: Hours of care\n\n| Level")
    fixed = builds.build()
    clean_fixed = site.build()
    kept = [f for f in other["findings"] if "kept" in f["path"]]
    assert [f["code"] for f in kept] == ["CLM001", "OUT016"]
    assert kept[0]["path"].endswith("content/guides/kept.md") and kept[0]["line"] == 11
    assert kept[1]["path"] == "preview-output/guides/kept/index.html" and kept[1]["line"] > 0
    assert other["code"] == clean_other.code == 1
    assert [f["text"] for f in other["findings"]] == printed(clean_other)
    assert [f for f in fixed["findings"] if "kept" in f["path"]] == []
    assert fixed["code"] == clean_fixed.code == 0
    assert [f["text"] for f in fixed["findings"]] == printed(clean_fixed)


def test_the_memo_keeps_only_what_the_last_good_build_used(site, in_process):
    builds = in_process(site)
    builds.build()
    size = len(memo._RESULTS)
    for n in range(3):  # each edit makes new results for the edited page
        site.append("content/guides/small.md", f"\nEdit {n}.\n")
        assert builds.build()["code"] == 0
    assert len(memo._RESULTS) == size > 0


# -- the server --------------------------------------------------------------------------------------


def get(url: str):
    try:
        with urllib.request.urlopen(url, timeout=HANG) as r:
            return r.status, dict(r.headers), r.read()
    except urllib.error.HTTPError as err:
        return err.code, dict(err.headers), err.read()


@pytest.fixture
def preview(live):
    return live


def test_make_serve_answers_its_own_address_only(preview):
    """sitekit.preview.access is wired into the server `make serve` starts (tests/test_preview_access.py
    tries every other request there)."""
    import http.client

    conn = http.client.HTTPConnection("127.0.0.1", preview.port, timeout=30)
    try:
        for host, expected in ((f"evil.example:{preview.port}", 403), (f"localhost:{preview.port}", 200)):
            conn.putrequest("GET", "/guides/small/", skip_host=True)
            conn.putheader("Host", host)
            conn.endheaders()
            response = conn.getresponse()
            response.read()
            assert response.status == expected, host
    finally:
        conn.close()


def test_server_adds_the_snippet_to_html_only_and_sends_production_headers(preview, live_site):
    served = preview.state()["served"]
    status, headers, body = get(preview.base + "/guides/small/")
    assert status == 200
    snippet = (
        f'<script src="/__live/reload.js?v={VERSION}" data-build="{served}" data-search="0" defer></script></head>'
    )
    assert body.count(snippet.encode()) == 1
    for name, value in SECURITY_HEADERS.items():
        assert headers[name] == value, name
    assert headers["Cache-Control"] == "no-cache"  # pages: a reload always asks for the newest build
    # The stylesheet is inline in every page (issue #12); the search script is the hashed asset here.
    status, headers, js = get(
        preview.base
        + "/"
        + next((live_site.root / "preview-output/theme/js").glob("search.*.js"))
        .relative_to(live_site.root / "preview-output")
        .as_posix()
    )
    assert status == 200 and b"__live" not in js
    assert headers["Cache-Control"] == "public, max-age=31536000, immutable"  # as production: hashed names
    status, headers, script = get(preview.base + f"/__live/reload.js?v={VERSION}")
    assert status == 200 and headers["Content-Type"].startswith("text/javascript")
    assert headers["Cache-Control"] == "public, max-age=31536000, immutable"
    assert headers["Content-Security-Policy"] == SECURITY_HEADERS["Content-Security-Policy"]
    assert b"EventSource" in script
    status, _headers, missing = get(preview.base + "/no/such/page/")
    assert status == 404 and b"/__live/reload.js" in missing  # the site's own 404 page, live too
    assert get(preview.base + "/__live/nothing-here.js")[0] == 404


def test_events_say_which_build_is_served_and_what_failed(preview, live_site):
    def first_event():
        with urllib.request.urlopen(preview.base + "/__live/events", timeout=HANG) as r:
            assert r.headers["Content-Type"].startswith("text/event-stream")
            for raw in r:
                line = raw.decode()
                if line.startswith("data: "):
                    return json.loads(line[6:])
        return None

    state = first_event()
    n = state["build"]  # the server is shared by the module's tests: the builds before this test
    assert (state["served"], state["ok"], state["errors"]) == (n, True, [])
    live_site.append("content/guides/small.md", "\nSee this[@no-such-key].\n")
    wait_until(lambda: preview.state()["build"] == n + 1)
    preview.wait_idle()
    state = first_event()
    assert (state["build"], state["served"], state["ok"]) == (n + 1, n, False)
    assert state["summary"].startswith("1 error")
    [group] = state["errors"]
    assert group["path"] == "content/guides/small.md"
    assert group["items"] == [
        {
            "text": "content/guides/small.md:11: CIT001 citation key 'no-such-key' is not in data/references.yaml "
            "(add the source to data/references.yaml first (only sources from the vetted list; README, 'Cite a "
            "source'))",
            "refused": False,
            "follow": [],
        }
    ]


def test_the_review_desk_is_served_at_review_and_names_what_went_back(preview, live_site):
    """Issue 23 items 1 and 4 under `make serve`: after each build the desk is written beside the output
    and served at /_review/ with its own Content-Security-Policy (never from output/); a data change
    that sends a signed page back to review is a REVW020 warning in the server's state, which the open
    pages' panel shows, naming the file, record and field."""
    from sitekit.commands.approve import approve

    live_site.append("content/guides/small.md", "\n::: care-levels levels=iop columns=hours\n")
    settings = str(live_site.root / "previewconf.py")
    assert approve([str(live_site.content / "guides/small.md")], "fixture-clinician", settings=settings) == 0
    n = preview.state()["build"]
    wait_until(lambda: preview.state()["build"] > n)
    preview.wait_idle()
    status, _headers, body = get(preview.base + "/_review/")
    assert status == 200 and b'data-subject="guides/small.md" data-state="approved"' in body
    live_site.edit("data/care_levels.yaml", "9 to 19 for adults", "9 to 18 for adults")
    went_back = "data/care_levels.yaml care level iop hours_per_week.text"

    def warned():  # the page's own warnings, as the open page is told them (its notice)
        _status, _headers, body = get(preview.base + "/__live/state?page=/guides/small/")
        items = [w["text"] for w in json.loads(body)["page"]]
        return any("REVW020" in i and went_back in i for i in items)

    wait_until(warned)
    preview.wait_idle()
    status, headers, body = get(preview.base + "/_review/")
    assert status == 200 and b'data-subject="guides/small.md" data-state="changed"' in body
    assert headers["Content-Security-Policy"].startswith("default-src 'none'; style-src 'sha256-")
    status, _headers, page = get(preview.base + "/_review/page/guides/small.html")
    assert status == 200 and b"<del>" in page and b"hours_per_week.text" in page
    for escape in ("/_review/../../etc/passwd", "/_review/%2e%2e/%2e%2e/etc/passwd", "/_review/page/x.md.json"):
        assert get(preview.base + escape)[0] == 404, escape
    output = live_site.root / "preview-output"
    assert (live_site.root / "review/index.html").is_file()
    assert not [p for p in output.rglob("*.html") if b"Review desk" in p.read_bytes()]


def test_preview_never_writes_the_snippet_to_output(preview, live_site):
    n = preview.state()["build"]
    live_site.append("content/guides/small.md", "\nA second edit.\n")
    wait_until(lambda: preview.state()["build"] == n + 1)
    preview.wait_idle()
    output = live_site.root / "preview-output"
    written = [p for p in output.rglob("*") if p.is_file()]
    assert written
    assert [p for p in written if b"__live" in p.read_bytes()] == []
    published = live_site.build(publish=True, IOP_REVIEW_UNREVIEWED="exclude")
    assert [p for p in published.output.rglob("*") if p.is_file() and b"__live" in p.read_bytes()] == []


def test_replaced_output_folders_are_deleted_after_the_build(preview, live_site):
    n = preview.state()["build"]
    for i in range(2):
        live_site.append("content/guides/small.md", f"\nEdit {i}.\n")
        wait_until(lambda i=i: preview.state()["build"] == n + 1 + i)
        preview.wait_idle()
    assert sorted(p.name for p in live_site.root.glob(".preview-output-*")) == [
        ".preview-output-cache",
        ".preview-output-trash",
    ]
    assert list((live_site.root / ".preview-output-trash").iterdir()) == []


def test_a_site_that_never_built_shows_a_waiting_page_with_its_errors(site):
    site.edit("data/care_levels.yaml", 'short_name: "IOP"', 'short_name: "IOP')
    server = Preview(site.root, preview_settings(site))
    try:
        server.wait_ready()
        status, _headers, body = get(server.base + "/guides/small/")
        assert status == 503
        assert b"The site has not built yet" in body and b'data-build="0"' in body
        state = server.state()
        assert (state["served"], state["ok"]) == (0, False)
        assert state["errors"][0]["path"] == "data/care_levels.yaml"
        site.edit("data/care_levels.yaml", 'short_name: "IOP', 'short_name: "IOP"')
        wait_until(lambda: server.state()["served"] == 2)
        assert get(server.base + "/guides/small/")[0] == 200
    finally:
        server.stop()


SLOW_PLUGIN = """
import time
from pathlib import Path

from pelican import signals


def slow(_generators):
    marker = Path({folder!r})
    if (marker / "slow").exists():
        (marker / "sleeping").touch()
        time.sleep(600)


def register():
    signals.all_generators_finalized.connect(slow)
"""


def test_ctrl_c_during_a_build_stops_the_server_and_leaves_the_output_as_it_was(site):
    site.write("plugins_extra/slowdown/__init__.py", SLOW_PLUGIN.format(folder=str(site.root)))
    settings = preview_settings(site)
    settings.write_text(
        settings.read_text()
        + f"PLUGIN_PATHS = PLUGIN_PATHS + [{str(site.root / 'plugins_extra')!r}]\n"
        + "PLUGINS = PLUGINS[:-1] + ['slowdown', PLUGINS[-1]]\n"
    )
    server = Preview(site.root, settings)
    try:
        server.wait_ready()
        server.wait_idle()
        page = site.root / "preview-output/guides/small/index.html"
        before = page.read_bytes()
        (site.root / "slow").touch()
        site.append("content/guides/small.md", "\nAn edit to build.\n")
        wait_until(lambda: (site.root / "sleeping").exists(), timeout=120)  # the build is under way
        os.killpg(server.proc.pid, signal.SIGINT)  # what Ctrl+C in the terminal does
        assert server.proc.wait(120) == 0  # long before the plugin's 600 s sleep ends
        wait_until(lambda: "Stopped." in "".join(server.log))
        assert page.read_bytes() == before
        assert not list(site.root.glob(".preview-output-staging-*")), "the stopped build's staging folder is gone"
    finally:
        server.stop()


# -- make new ----------------------------------------------------------------------------------------


@pytest.fixture
def project(tmp_path):
    """A copy of what `make new` touches: the Makefile, the settings and content/; plugins and theme linked."""
    root = tmp_path / "project"  # beside the fixture site, which also lives in tmp_path
    (root / "content/guides").mkdir(parents=True)
    for name in ("Makefile", "pelicanconf.py"):
        shutil.copy2(ROOT / name, root / name)
    for name in ("plugins", "theme"):  # read, never written
        (root / name).symlink_to(ROOT / name, target_is_directory=True)
    return root


def make_new(project: Path, *assignments: str) -> subprocess.CompletedProcess:
    # -o: take `install` as done, and use this interpreter, so the real recipe runs without a new .venv.
    return subprocess.run(
        ["make", "-s", "-o", ".venv/.installed", "new", f"PYTHON={sys.executable}", *assignments],
        cwd=project,
        capture_output=True,
        text=True,
    )


def test_make_new_writes_a_guide_in_review_that_builds_without_errors(project, site):
    proc = make_new(project, 'TITLE=Paying for IOP: "what to ask"', "SECTION=Getting care")
    assert proc.returncode == 0, proc.stderr
    path = project / "content/guides/paying-for-iop-what-to-ask.md"
    text = path.read_text(encoding="utf-8")
    today = datetime.date.today().isoformat()
    assert text.splitlines()[:8] == [
        "---",
        'title: "Paying for IOP: \\"what to ask\\""',
        "summary: Say in one or two plain sentences what the reader will learn.",
        f"date: {today}",
        "category: Getting care",
        "review:",
        "  status: in_review",
        "---",
    ]
    assert len(text.splitlines()) == 9, "one line of hint as the body"
    assert "content/guides/paying-for-iop-what-to-ask.md" in proc.stderr
    shutil.copy2(path, site.content / "guides" / path.name)
    result = site.build()
    assert result.code == 0, result.log
    assert [f for f in result.findings if f.severity == "error"] == []
    page = result.html("guides/paying-for-iop-what-to-ask/index.html")
    assert page.h1.get_text(strip=True) == 'Paying for IOP: "what to ask"'


def test_make_new_refuses_a_section_that_is_not_listed(project):
    proc = make_new(project, "TITLE=Paying for IOP", "SECTION=Money")
    assert proc.returncode != 0
    assert 'SECTION must be one of "Understanding IOP", "Getting care", "Support and help"' in proc.stderr
    assert list((project / "content/guides").iterdir()) == []


def test_make_new_refuses_a_missing_title(project):
    proc = make_new(project, "SECTION=Getting care")
    assert proc.returncode != 0
    assert "TITLE is missing" in proc.stderr


def test_make_new_never_overwrites(project):
    existing = project / "content/guides/paying-for-iop.md"
    existing.write_text("an editor's work\n", encoding="utf-8")
    proc = make_new(project, "TITLE=Paying for IOP", "SECTION=Getting care")
    assert proc.returncode != 0
    assert "already exists" in proc.stderr
    assert existing.read_text(encoding="utf-8") == "an editor's work\n"


def test_a_pages_own_warnings_include_those_of_its_written_page_whatever_the_folder_is_called():
    """The output checks name the build's folder as it is called (output/, public/, preview-output/);
    the page's notice finds the written page's warnings under that same name."""
    from sitekit.preview.serve import page_warnings

    def warning(path):
        return {"path": path, "line": 3, "severity": "warning", "text": f"{path}:3: OUT999 x", "refused": False}

    findings = [warning("preview-output/guides/x/index.html"), warning("content/guides/x.md"), warning("b.md")]
    sources = {"guides/x/index.html": "content/guides/x.md"}
    own = [w["text"] for w in page_warnings(findings, sources, "/guides/x/", "preview-output")]
    assert own == [findings[0]["text"], findings[1]["text"]]
