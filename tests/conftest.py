"""Shared helpers: build the real site once, and build tiny fixture sites in tmp_path."""

from __future__ import annotations

import datetime as dt
import io
import json
import shutil
import subprocess
import sys
import textwrap
import time
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

ROOT = Path(__file__).resolve().parent.parent
#: The data files of fixture sites: never the editorial data/, so an editor's wording cannot break a test.
FIXTURE_DATA = ROOT / "tests/fixtures/data"
#: The report address of fixture sites (a reserved test domain); the real site ships a placeholder.
FIXTURE_REPORT_EMAIL = "reports@iop-guide.test"
#: The address of fixture sites' publish builds: a local test of the publish build, which `make publish`
#: accepts over http:// (an example domain it refuses: EDT001).
FIXTURE_SITEURL = "http://127.0.0.1:8000"
#: How long a test waits for an event before it calls it a hang (seconds). Never a measure of speed: a
#: loaded machine is slow, and a test must not fail for that (issue 24); only something that never
#: happens reaches this.
HANG = 300
HANG_MS = HANG * 1000
#: The pages of a fixture site that need no clinical sign-off (the owner's list, IOP_REVIEW_EXEMPT).
FIXTURE_EXEMPT = [
    "pages/about.md",
    "pages/editorial-policy.md",
    "pages/privacy.md",
    "pages/get-help-now.md",
    "pages/404.md",
]
sys.path.insert(0, str(ROOT / "plugins"))

from sitekit.core.diagnostics import DIAG  # noqa: E402
from sitekit.runtime.build import build  # noqa: E402
from tools.preview import Preview  # noqa: E402


@dataclass
class Result:
    code: int
    log: str
    output: Path
    findings: list
    siteurl: str = ""  # the address a test serves the site at, when the build made absolute links
    signed: str = ""  # what `make approve` printed, for a build of pages it signed (published_site)
    #: For checks of the pages' text (real_site): what the lint read of each page (iop_lint.page_text),
    #: the language rules and the reading-level settings of the build.
    texts: list = field(default_factory=list)
    language: dict = field(default_factory=dict)
    reading: dict = field(default_factory=dict)

    def html(self, rel: str) -> BeautifulSoup:
        return BeautifulSoup((self.output / rel).read_text(encoding="utf-8"), "html.parser")

    def pages(self) -> list[Path]:
        return sorted(self.output.rglob("*.html"))

    def codes(self) -> set[str]:
        return {f.code for f in self.findings}


def assert_no_crash(result: Result) -> None:
    """The build reported its problems, it did not crash: no unexpected error, no Pelican error, no traceback."""
    assert not ({"BUILD001", "PEL001"} & result.codes()), result.log
    assert "Traceback" not in result.log, result.log


def run_build(output: Path, publish: bool = False, settings: Path | None = None, **overrides) -> Result:
    """Build in this process with the real settings, writing to ``output``."""
    stream = io.StringIO()
    overrides = {"OUTPUT_PATH": str(output), **overrides}
    settings = settings or ROOT / ("publishconf.py" if publish else "pelicanconf.py")
    code = build(settings, overrides=overrides, publish=publish, stream=stream)
    return Result(code, stream.getvalue(), output, list(DIAG.findings))


@dataclass
class Site:
    """A fixture site: its own content/ and data/ (copied from tests/fixtures/data), and the real
    theme, which the site copies into its own folder the first time a test changes it (so the
    templates of untouched sites compile once per session, not once per test)."""

    root: Path
    #: The owner's list of pages with no clinical sign-off (IOP_REVIEW_EXEMPT); a test may add its own pages.
    exempt: list = field(default_factory=lambda: list(FIXTURE_EXEMPT))

    @property
    def theme(self) -> Path:
        return self.root / "theme" if (self.root / "theme").exists() else ROOT / "theme"

    def own_theme(self) -> Path:
        """The site's own copy of the theme, for a test to change; made on first use."""
        if not (self.root / "theme").exists():
            shutil.copytree(ROOT / "theme", self.root / "theme")
        return self.root / "theme"

    def path(self, rel: str) -> Path:
        """A file of this site; a theme file is the site's own copy (see own_theme)."""
        if rel.startswith("theme/"):
            self.own_theme()
        return self.root / rel

    @property
    def content(self) -> Path:
        return self.root / "content"

    @property
    def data(self) -> Path:
        return self.root / "data"

    def write(self, rel: str, text: str) -> Path:
        path = self.path(rel)
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text).lstrip("\n"), encoding="utf-8")
        return path

    def edit(self, rel: str, old: str, new: str) -> None:
        path = self.path(rel)
        text = path.read_text(encoding="utf-8")
        assert old in text, f"{old!r} not in {rel}"
        path.write_text(text.replace(old, new, 1), encoding="utf-8")

    def append(self, rel: str, text: str) -> None:
        path = self.path(rel)
        path.write_text(path.read_text(encoding="utf-8") + text, encoding="utf-8")

    def overrides(self, **extra) -> dict:
        # Fixture builds index no search and keep no reader cache unless a test asks for it.
        return {
            "PATH": str(self.content),
            "IOP_DATA_PATH": str(self.data),
            "THEME": str(self.theme),
            "IOP_SEARCH": False,
            "IOP_CACHE": False,
            "IOP_REPORT_EMAIL": FIXTURE_REPORT_EMAIL,
            "IOP_REVIEW_EXEMPT": self.exempt,
            **extra,
        }

    def build(self, publish: bool = False, **extra) -> Result:
        if publish:  # into public/, as `make publish` builds (a preview's output/ is refused: EDT004)
            # Without the .gz and .br copies of every file (two thirds of a fixture's publish build) unless
            # the test asks for them: the tests that read them (test_review's sitemap test, the real
            # sites' fixtures and test_hosting) build them with the shipped setting.
            extra = {"SITEURL": FIXTURE_SITEURL, "IOP_PRECOMPRESS": "never", **extra}
        return run_build(self.root / ("public" if publish else "output"), publish=publish, **self.overrides(**extra))

    def settings_file(self) -> Path:
        """A settings file for building this site in a subprocess."""
        return self.write(
            "siteconf.py",
            f"""
            import sys
            sys.path.insert(0, {str(ROOT)!r})
            from pelicanconf import *  # noqa
            PATH = {str(self.content)!r}
            IOP_DATA_PATH = {str(self.data)!r}
            THEME = {str(self.theme)!r}
            OUTPUT_PATH = {str(self.root / "output")!r}
            IOP_SEARCH = False
            IOP_CACHE = False
            IOP_REPORT_EMAIL = {FIXTURE_REPORT_EMAIL!r}
            IOP_REVIEW_EXEMPT = {self.exempt!r}
        """,
        )

    def cli_build(self, *extra: str, **env: str) -> subprocess.CompletedProcess:
        return subprocess.run(
            [sys.executable, "-m", "sitekit", "build", "-s", str(self.settings_file()), *extra],
            capture_output=True,
            text=True,
            cwd=self.root,
            env={"PYTHONPATH": str(ROOT / "plugins"), "PATH": "/usr/bin:/bin", **env},
        )


GUIDE = """
---
title: A small guide
summary: A guide used by the tests.
date: 2026-01-01
category: Understanding IOP
review:
  status: in_review
---
IOP gives adults 9 to 19 hours of care a week[@asam-criteria-3rd-2013].
"""


@pytest.fixture
def site(tmp_path) -> Site:
    """A fixture site: one guide, the pages, the fixture data (tests/fixtures/data) and a copy of the theme."""
    return make_site(tmp_path)


@pytest.fixture
def site_factory(tmp_path_factory):
    """For modules whose own `site` fixture means something else: make fixture sites on demand."""
    return lambda: make_site(tmp_path_factory.mktemp("site"))


def python_lines(script: str, *args: str, cwd: Path | None = None, env: dict | None = None):
    """``script`` run by one Python process with ``args`` (several command lines of a test at one start of
    Python and the plugins, each with its own exit code and output): the JSON it prints."""
    proc = subprocess.run(
        [sys.executable, "-c", script, *args], capture_output=True, text=True, cwd=cwd, env=env, timeout=300
    )
    assert proc.returncode == 0, proc.stderr
    return json.loads(proc.stdout)


#: Plain `pelican` for several command lines in one process (one start of Python, Pelican and the plugins
#: for all): each line is (folder to run in, pelican's arguments); each result is the exit code of
#: pelican.main (the one `python -m pelican` exits with) and what it printed.
PLAIN_PELICAN = """
import contextlib, io, json, os, sys
import pelican
results = []
for folder, argv in json.loads(sys.argv[1]):
    os.chdir(folder)
    out = io.StringIO()
    with contextlib.redirect_stderr(out), contextlib.redirect_stdout(out):
        try:
            pelican.main(argv)
            code = 0
        except SystemExit as exc:
            code = exc.code
    results.append([code, out.getvalue()])
print(json.dumps(results))
"""


def make_site(root: Path) -> Site:
    s = Site(root)
    shutil.copytree(FIXTURE_DATA, s.data)
    checked_today(s.data)
    sign_banner(s.data)
    s.write("content/guides/small.md", GUIDE)
    for slug in ("about", "editorial-policy", "privacy"):
        s.write(
            f"content/pages/{slug}.md",
            f"""
            ---
            title: Fixture {slug}
            summary: The {slug} page of the fixture.
            ---
            A page.
        """,
        )
    # The crisis banner links to this page and to its lines' cards (tests/fixtures/data/crisis.yaml).
    s.write(
        "content/pages/get-help-now.md",
        """
        ---
        title: Get help now
        summary: Crisis and help lines.
        ---
        ::: crisis-help full=yes
    """,
    )
    s.write(
        "content/pages/404.md",
        """
        ---
        title: Page not found
        summary: Missing.
        status: hidden
        save_as: 404.html
        template: "404"
        ---
        Gone.
    """,
    )
    return s


def build_with_pages(root: Path, pages: dict[str, str], edits=(), **extra) -> Result:
    """A fixture site in ``root`` with ``pages`` (path under content/ -> text) added and ``edits``
    ((file, old, new) for `Site.edit`) made, built once: for a module fixture whose build serves many
    tests, each reading its own page (`page_findings`)."""
    site = make_site(root)
    for rel, text in pages.items():
        site.write(f"content/{rel}", text)
    for edit in edits:
        site.edit(*edit)
    return site.build(**extra)


def page_findings(result: Result, rel: str, severity: str | None = None) -> list:
    """The findings of one page of a shared build: at its file content/``rel``, or at the page it writes
    (.../<its name>/index.html; the pages of a shared build have names of their own)."""
    stem = Path(rel).stem
    return [
        f
        for f in result.findings
        if (f.path.endswith(f"/content/{rel}") or f.path.endswith(f"/{stem}/index.html"))
        and (severity is None or f.severity == severity)
    ]


def checked_today(data: Path) -> None:
    """The crisis lines checked today, in a copy of the data (their monthly check would otherwise fail
    the copy's publish build once the month is up, whatever the test): as the owner does each month."""
    import re

    crisis = data / "crisis.yaml"
    text = crisis.read_text(encoding="utf-8")
    crisis.write_text(
        re.sub(r"^last_verified: .*$", f"last_verified: {dt.date.today()}", text, count=1, flags=re.M), "utf-8"
    )


def sign_banner(data: Path, reviewer: str = "fixture-clinician") -> None:
    """The fixture's crisis banner signed off (its own sign-off, which a publish build requires), as
    `make approve PAGE=data/crisis.yaml` records it, without a build: a test that changes the banner
    sees it go back to review. (Tests that need the snapshot of what was signed use `make approve`.)"""
    from sitekit.checks.review import banner_fingerprint
    from sitekit.commands.approve import review_block, rewrite_yaml
    from sitekit.data.yamlload import load_file

    crisis = data / "crisis.yaml"
    block = review_block(reviewer, dt.date.today(), 12, banner_fingerprint(load_file(crisis)))
    crisis.write_text(rewrite_yaml(crisis.read_text(encoding="utf-8"), block), encoding="utf-8")


def sign_by_hand(site: Site, rel: str, reviewer: str, today: dt.date | None = None) -> Path:
    """Write a sign-off record as `make approve` would, for a reviewer it refuses (an example one): the
    publish gate must refuse such a record whoever wrote it. One build, for the page's fingerprint."""
    from sitekit.commands.approve import review_block, rewrite
    from sitekit.runtime.state import RUN

    assert site.build().code == 0
    page = site.content / rel
    block = review_block(reviewer, today or dt.date.today(), 12, RUN.pages[str(page)].review.fingerprint)
    page.write_text(rewrite(page.read_text(encoding="utf-8"), block), encoding="utf-8")
    return page


#: A reviewer that exists only in the test copy of the real site (never in data/reviewers.yaml).
TEST_REVIEWER = """
  - id: test-clinician
    name: "Test Clinician (test data only)"
    credentials: "LCSW"
    role: "Clinical social worker in the test copy of the site"
"""


#: A translator and a language reviewer that exist only in the test copy of the real site.
TEST_TRANSLATORS = """
  - id: test-translator
    name: "Test Translator (test data only)"
    credentials: "Certified medical translator, English to Spanish (test data)"
    role: "Translator in the test copy of the site"
  - id: test-language-reviewer
    name: "Test Language Reviewer (test data only)"
    credentials: "Health educator, native Spanish speaker (test data)"
    role: "Language reviewer in the test copy of the site"
"""


def once_per_run(request, tmp_path_factory, name: str, make) -> Result:
    """``make(folder)`` once for the whole test run, also when pytest-xdist runs the tests in several
    processes: the first process to ask builds, under a lock; the others wait and read its result."""
    workerinput = getattr(request.config, "workerinput", None)
    if workerinput is None:  # one process
        return make(tmp_path_factory.mktemp(name))
    import fcntl
    import pickle

    shared = tmp_path_factory.getbasetemp().parent  # the same folder for every worker of this run
    with open(shared / f"{name}.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        done = shared / f"{name}.pickle"
        if done.exists():
            return pickle.loads(done.read_bytes())  # noqa: S301 - written by this test run just now
        result = make(shared / name)
        done.write_bytes(pickle.dumps(result))
        return result


@pytest.fixture(scope="session")
def published_site(request, tmp_path_factory) -> Result:
    """The real content as a publish build would make it once every page is signed off: a copy of
    content/ and data/ in which a test-only clinician approves every clinical page and the site
    owner's placeholders hold test values. Nothing here touches the real files."""
    return once_per_run(request, tmp_path_factory, "published", build_published)


def reserved_port() -> int:
    """A free port below the range the system hands out for port 0: no other server a test starts
    (each asks for port 0) can take it between this build and the test that serves the site there."""
    import random
    import socket

    low = int(Path("/proc/sys/net/ipv4/ip_local_port_range").read_text().split()[0])
    for port in random.sample(range(max(1024, low - 10000), low), 200):
        with socket.socket() as s:
            try:
                s.bind(("127.0.0.1", port))
            except OSError:
                continue
            return port
    raise RuntimeError("no free port below the ephemeral range")


def build_published(root: Path) -> Result:
    """A copy of the real site as its owner and a clinician would make it ready: placeholders filled with
    test values, the crisis lines and the dated facts checked today, and every page and the crisis banner
    signed by a test-only clinician with the real batch command (`make approve PAGES=ready`)."""
    import re

    from sitekit.commands.approve import approve
    from sitekit.core.settings import PLACEHOLDER_RE

    root.mkdir(parents=True, exist_ok=True)
    # Absolute links, as in production, to the address the tests will serve the site at.
    siteurl = f"http://127.0.0.1:{reserved_port()}"
    shutil.copytree(ROOT / "content", root / "content")
    shutil.copytree(ROOT / "data", root / "data")
    shutil.rmtree(root / "data" / "signoffs", ignore_errors=True)
    reviewers = root / "data/reviewers.yaml"
    reviewers.write_text(reviewers.read_text(encoding="utf-8") + TEST_REVIEWER, encoding="utf-8")
    translators = root / "data/es/translators.yaml"
    translators.write_text(translators.read_text(encoding="utf-8") + TEST_TRANSLATORS, encoding="utf-8")
    # One English page changed by one word after its translation was pinned (issue 28): the publish build
    # withholds the Spanish glossary and publishes the short page with the crisis lines in its place.
    glossary = root / "content/guides/glossary.md"
    glossary.write_text(
        glossary.read_text(encoding="utf-8").replace("Terms are in alphabetical order.", "Terms are in A to Z order."),
        encoding="utf-8",
    )
    for page in (root / "content").rglob("*.md"):
        text = page.read_text(encoding="utf-8")
        text = text.replace("translator: example-translator", "translator: test-translator")
        text = text.replace("language_reviewer: example-language-reviewer", "language_reviewer: test-language-reviewer")
        page.write_text(PLACEHOLDER_RE.sub("(test value)", text), encoding="utf-8")
    checked_today(root / "data")
    facts = root / "data/dated_facts.yaml"
    soon = dt.date.today() + dt.timedelta(days=90)  # each fact checked today: the next check is months away
    facts.write_text(
        re.sub(
            r"^(    until: )(\d{4}-\d\d-\d\d)$",
            lambda m: m.group(1) + str(max(soon, dt.date.fromisoformat(m.group(2)))),
            facts.read_text(encoding="utf-8"),
            flags=re.M,
        ),
        encoding="utf-8",
    )
    settings = root / "copyconf.py"
    settings.write_text(
        "\n".join(
            [
                "import sys",
                f"sys.path.insert(0, {str(ROOT)!r})",
                "from pelicanconf import *  # noqa",
                f"PATH = {str(root / 'content')!r}",
                f"IOP_DATA_PATH = {str(root / 'data')!r}",
                f"OUTPUT_PATH = {str(root / 'preview')!r}",
                "IOP_CACHE = False",
                "IOP_SEARCH = False",
                f"IOP_REPORT_EMAIL = {FIXTURE_REPORT_EMAIL!r}",
            ]
        )
        + "\n",
        encoding="utf-8",
    )
    signed = io.StringIO()
    # Every page, the crisis banner and the Spanish banner (its own sign-off, issue 28): the desk lists each.
    assert approve(["ready"], "test-clinician", settings=str(settings), out=signed) == 0, signed.getvalue()
    overrides = {
        "PATH": str(root / "content"),
        "IOP_DATA_PATH": str(root / "data"),
        "IOP_CACHE": False,
        "IOP_REPORT_EMAIL": FIXTURE_REPORT_EMAIL,
    }
    # Without the .gz and .br copies of every file (2.5 of the fixture's 5 s of CPU): the tests serve this
    # build with a plain HTTP server, and nginx serves the copies of real_site (test_hosting).
    result = run_build(root / "output", publish=True, SITEURL=siteurl, IOP_PRECOMPRESS="never", **overrides)
    assert result.code == 0, signed.getvalue() + result.log
    result.siteurl = siteurl
    result.signed = signed.getvalue()
    return result


@pytest.fixture(scope="session")
def real_site(request, tmp_path_factory) -> Result:
    """The real site, built once for the whole test run."""
    return once_per_run(request, tmp_path_factory, "real", build_real)


def build_real(root: Path) -> Result:
    from iop_lint import page_text

    from sitekit.runtime.state import RUN

    # With the .gz and .br copies a publish build writes, for nginx in test_hosting.py.
    result = run_build(root / "output", IOP_PRECOMPRESS="always")
    assert result.code == 0, result.log
    result.texts = [text for text in (page_text(info) for info in RUN.pages.values()) if text is not None]
    result.language, result.reading = RUN.data.language, RUN.settings["IOP_READING"]
    return result


@pytest.fixture(scope="session")
def chromium_browser():
    """One headless Chromium (browser.chromium) for every browser module a test process runs: a launch
    costs about 1.3 s of CPU. Each module works in contexts of its own and closes them."""
    from browser import chromium

    with chromium() as browser:
        yield browser


# -- the preview server (`make serve`) on a fixture site ----------------------------------------------


def preview_settings(site, **extra) -> Path:
    """A settings file for serving a fixture site as `make serve` does (reader cache on)."""
    lines = [f"{name} = {value!r}" for name, value in extra.items()]
    return site.write(
        "previewconf.py",
        "\n".join(
            [
                "import sys",
                f"sys.path.insert(0, {str(ROOT)!r})",
                "from pelicanconf import *  # noqa",
                f"PATH = {str(site.content)!r}",
                f"IOP_DATA_PATH = {str(site.data)!r}",
                f"THEME = {str(site.theme)!r}",
                f"OUTPUT_PATH = {str(site.root / 'preview-output')!r}",
                "IOP_CACHE = True",
                "IOP_SEARCH = False",
                f"IOP_REPORT_EMAIL = {FIXTURE_REPORT_EMAIL!r}",
                f"IOP_REVIEW_EXEMPT = {FIXTURE_EXEMPT!r}",
                *lines,
            ]
        )
        + "\n",
    )


def serve_preview(site, **settings) -> Preview:
    """`make serve` on a fixture site, started and done with its first build."""
    server = Preview(site.root, preview_settings(site, **settings))
    server.wait_ready()
    server.wait_idle()
    return server


@pytest.fixture(scope="module")
def live_server(tmp_path_factory):
    """One fixture site and one preview server for a module's tests (starting one costs about 2 s)."""
    site = make_site(tmp_path_factory.mktemp("site"))
    server = serve_preview(site)
    try:
        yield site, server
    finally:
        server.stop()


@pytest.fixture
def live_site(live_server) -> Site:
    """The fixture site the shared preview server serves (use with `live`)."""
    return live_server[0]


@pytest.fixture
def live(live_server):
    """The shared server; after the test, the site's files as they were and a clean build of them served."""
    site, server = live_server
    before = files(site)
    yield server
    build = server.state()["build"]
    now = files(site)
    for path in now.keys() - before.keys():
        path.unlink()
    for path, data in before.items():
        if now.get(path) != data:
            path.write_bytes(data)
    if now != before:
        deadline = time.monotonic() + HANG
        while not ((state := server.state()) and state["build"] > build and state["ok"] and not state["busy"]):
            assert time.monotonic() < deadline, f"the site was not rebuilt after the test: {state}"
            time.sleep(0.05)


def files(site: Site) -> dict:
    return {
        path: path.read_bytes() for folder in (site.content, site.data) for path in folder.rglob("*") if path.is_file()
    }


#: Every module, the longest first (their time in a full run, 2 processes): pytest-xdist hands whole modules
#: to its processes in this order (--no-loadscope-reorder in pyproject.toml: by default it orders them by
#: their number of tests, which put the 17 s of test_preview_browser.py's 9 tests last), so the long ones
#: start at once and the short ones fill in at the end (both processes finish together).
SLOWEST_FIRST = [
    "test_browser.py",
    "test_browser_published.py",
    "test_preview_browser.py",
    "test_guards.py",
    "test_hostile.py",
    "test_preview.py",
    "test_desk.py",
    "test_build.py",
    "test_review.py",
    "test_pool.py",
    "test_readability.py",
    "test_translations.py",
    "test_evidence.py",
    "test_trust.py",
    "test_editor.py",
    "test_safety.py",
    "test_spanish_pages.py",
    "test_weight.py",
    "test_hosting.py",
    "test_site.py",
    "test_desk_translations.py",
    "test_prefilter.py",
    "test_project.py",
    "test_preview_access.py",
    "test_rooms.py",
]


def pytest_collection_modifyitems(items) -> None:
    def rank(item) -> int:
        name = item.path.name
        return SLOWEST_FIRST.index(name) if name in SLOWEST_FIRST else len(SLOWEST_FIRST)

    items.sort(key=rank)  # stable: the order within a module stays as written
