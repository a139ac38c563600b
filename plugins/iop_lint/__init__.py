"""Language, safe-messaging and reading-level checks on every page (rules in sitekit.lint).

Each page is handed to the checks as soon as Pelican has read it: on a large site to the build's
worker process (sitekit.workers), otherwise inline at the end of reading. Results are collected
before anything is written. If the worker dies, the remaining pages are checked inline.
"""

from __future__ import annotations

from concurrent.futures import Future

from pelican import signals

from sitekit.diagnostics import DIAG
from sitekit.jsonld import visible_text
from sitekit.lint import Linter, PageResult, PageText, worker_page, worker_start
from sitekit.pages import PAGES, PageInfo
from sitekit.run import RUN
from sitekit.textprep import plain
from sitekit.workers import WORKERS


class _Lint:
    """The checks of the current build: futures per page when there is a worker, else inline."""

    def __init__(self):
        self.linter: Linter | None = None
        self.futures: dict[str, Future] = {}

    def start(self) -> bool:
        """Set up for this build; False when there are no language rules to check against."""
        data = RUN.data
        if data is None or not data.language:
            return False
        if self.linter is None:
            reading = RUN.settings.get("IOP_READING", {})
            self.linter = Linter(data.language, reading)
            # One worker process (if any): this task runs before any page is checked.
            WORKERS.submit(worker_start, data.language, reading)
        return True

    def submit(self, info: PageInfo) -> None:
        if WORKERS.get() is None or info.path in self.futures:
            return
        page = page_text(info)
        future = WORKERS.submit(worker_page, page) if page is not None else None
        if future is not None:
            self.futures[info.path] = future

    def result(self, info: PageInfo) -> PageResult | None:
        future = self.futures.pop(info.path, None)
        if future is not None:
            return WORKERS.result(future, lambda: self.inline(info))
        return self.inline(info)

    def inline(self, info: PageInfo) -> PageResult | None:
        page = page_text(info)
        return None if page is None else self.linter.page(page)


LINT = _Lint()


def page_text(info: PageInfo) -> PageText | None:
    fm = info.front_matter
    if not fm:
        return None
    fields = [(fm.line_of(key), str(fm[key])) for key in ("title", "summary") if key in fm]
    points = fm.get("key_points") or []
    fields += [(line, str(point)) for line, point in zip(getattr(points, "lines", []), points, strict=False)]
    extra = [(line, str(point)) for line, point in zip(getattr(points, "lines", []), points, strict=False)]
    extra += [(0, visible_text(faq["answer"])) for faq in info.faqs]
    return PageText(info.path, info.body, info.body_line, [(int(n), str(t)) for n, t in info.prose_lines],
                    fields, bool(fm.get("suicide_topic")), extra)


def reset(_pelican) -> None:
    LINT.__init__()


def read(instance) -> None:
    """A page was read: start its checks now, in the worker, if there is one."""
    info = PAGES.get(str(getattr(instance, "source_path", "")))
    if info is not None and LINT.start():
        LINT.submit(info)


def check(_generators) -> None:
    if not LINT.start():
        return
    try:
        for info in list(PAGES.values()):  # pages Pelican did not hand to `read` are submitted here
            LINT.submit(info)
        for info in list(PAGES.values()):
            result = LINT.result(info)
            if result is None:
                continue
            info.suicide_page, info.reading = result.suicide_page, result.reading
            for report in result.reports:
                DIAG.report(*report)
    finally:
        LINT.futures.clear()
    data = RUN.data
    out = []
    for name, records, fields in (("faqs.yaml", data.faqs, ("question", "answer")),
                                  ("care_levels.yaml", data.levels, ("fits", "not_fits", "setting"))):
        for rec in records:
            for fld in fields:
                LINT.linter.text(out, str(data.file(name)), rec.line_of(fld), plain(str(rec.get(fld, ""))), False)
    for report in out:
        DIAG.report(*report)


def register() -> None:
    signals.initialized.connect(reset)
    signals.content_object_init.connect(read)
    signals.all_generators_finalized.connect(check)
