"""Language, safe-messaging and reading-level checks on every page (rules in sitekit.checks.lint).

Each page is handed to the checks as soon as Pelican has read it: on a large site to the build's
worker process (sitekit.runtime.pool), otherwise inline at the end of reading. Results are collected
before anything is written. If the worker dies, the remaining pages are checked inline. The prose
fields of the data files (the schema says which) are checked too, at their own file and line.
"""

from __future__ import annotations

from functools import cached_property

from pelican import signals

from sitekit.checks.lint import (
    PageResult,
    PageText,
    data_file_reports,
    data_file_task,
    linters,
    page_task,
    prepare,
)
from sitekit.checks.spelling import read_words
from sitekit.core.diagnostics import DIAG
from sitekit.core.pages import PageInfo
from sitekit.data.translations import FILES
from sitekit.runtime import memo
from sitekit.runtime.guard import guarded
from sitekit.runtime.pool import Task
from sitekit.runtime.state import RUN
from sitekit.text.textprep import plain


class Lint:
    """The checks of the current build (RUN.lint): worker tasks per page when there is a worker, else inline."""

    def __init__(self):
        data = RUN.data
        reading, reading_es = RUN.settings["IOP_READING"], RUN.settings["IOP_READING_ES"]
        words = read_words(data.file("words.txt"))  # the project's words for the spelling check
        # Each language's rules: data/language.yaml for English, data/<lang>/language.yaml for the others.
        languages = {"en": data.language}
        languages.update({lang: e.data.language for lang, e in RUN.editions.items() if e.data.language})
        # Compiled when a check first runs here: with a worker, only the worker needs them.
        self._compile = (languages, reading, reading_es, words)
        self.tasks: dict[str, Task] = {}
        self.keys: dict[str, bytes | None] = {}  # sitekit.runtime.memo keys of the pages (preview server)
        self.rules = memo.digest(languages, reading, reading_es, sorted(words))
        RUN.pool.setup(prepare, languages, reading, reading_es, words)  # in the worker, if there is one
        # The data files' prose is known now: the worker checks it while the pages are read, each file with
        # the rules of its language.
        self.files = [("en", name, doc, str(data.file(name)), None) for name, doc in data.docs.items()]
        self.files += [
            (lang, name, doc, str(e.file(name)), FILES[name])
            for lang, e in RUN.editions.items()
            if lang in languages
            for name, doc in e.docs.items()
            if name != "language.yaml"
        ]
        self.data_files = {
            (lang, path): RUN.pool.submit(data_file_task, lang, name, doc, path, schema)
            for lang, name, doc, path, schema in self.files
        }

    @cached_property
    def linters(self) -> dict:
        return linters(*self._compile)

    def _page(self, info: PageInfo) -> PageText | None:
        page = page_text(info)
        if page is not None and self.rules is not None:
            self.keys[info.path] = memo.digest(self.rules, page)
        return page

    def submit(self, info: PageInfo) -> None:
        if not RUN.pool.active or info.path in self.tasks or info.path in self.keys:
            return
        page = self._page(info)
        if page is None or memo.get(self.keys.get(info.path)) is not None:
            return  # nothing to check, or checked by an earlier build of the preview server
        task = RUN.pool.submit(page_task, page)
        if task is not None:
            self.tasks[info.path] = task

    def result(self, info: PageInfo) -> PageResult | None:
        key = self.keys.pop(info.path, None)
        task = self.tasks.pop(info.path, None)
        known = memo.get(key)
        if known is not None:
            return known
        if task is not None:
            done = RUN.pool.result(task, info.path)
            if done is not None:
                if isinstance(done, PageResult):  # not () for a check that failed there
                    memo.put(key, done)
                return done or None  # () when the check failed there (already reported)
        return self.inline(info)

    def inline(self, info: PageInfo) -> PageResult | None:
        page = self._page(info)
        key = self.keys.pop(info.path, None)
        if page is None:
            return None
        known = memo.get(key)
        if known is not None:
            return known
        result = RUN.pool.inline(self.linters.get(page.lang, self.linters["en"]).page, info.path, page)
        if isinstance(result, PageResult):  # not None for a check that failed or timed out
            memo.put(key, result)
        return result


def _lint() -> Lint | None:
    """This build's checks, or None when there are no language rules to check against."""
    if RUN.lint is None and RUN.data is not None and RUN.data.language:
        RUN.lint = Lint()
    return RUN.lint


def page_text(info: PageInfo) -> PageText | None:
    fm = info.front_matter
    if not fm:
        return None
    fields = [(fm.line_of(key), str(fm[key])) for key in ("title", "summary") if key in fm]
    points = fm.get("key_points") or []
    fields += [(line, str(point)) for line, point in zip(getattr(points, "lines", []), points, strict=False)]
    extra = [(line, str(point)) for line, point in zip(getattr(points, "lines", []), points, strict=False)]
    extra += [(0, plain(text)) for use in info.blocks for _line, text in use.prose]
    return PageText(
        info.path,
        info.body,
        info.body_line,
        [(int(n), str(t)) for n, t in info.prose_lines],
        fields,
        bool(fm.get("suicide_topic")),
        extra,
        info.lang,
    )


@guarded
def read(instance) -> None:
    """A page was read: start its checks now, in the worker, if there is one."""
    info = RUN.pages.get(str(getattr(instance, "source_path", "")))
    lint = _lint()
    if info is not None and lint is not None:
        lint.submit(info)


@guarded
def check(_generators) -> None:
    lint = _lint()
    if lint is None:
        return
    try:
        for info in list(RUN.pages.values()):  # pages Pelican did not hand to `read` are submitted here
            lint.submit(info)
        for info in list(RUN.pages.values()):
            result = lint.result(info)
            if result is None:
                continue
            info.suicide_page, info.reading = result.suicide_page, result.reading
            for report in result.reports:
                DIAG.report(*report)
    finally:
        lint.tasks.clear()
        lint.keys.clear()
    for lang, name, doc, path, schema in lint.files:
        task = lint.data_files.get((lang, path))
        reports = RUN.pool.result(task, path) if task is not None else None
        if reports is None:  # no worker, or it died: check the file here
            reports = RUN.pool.inline(data_file_reports, path, lint.linters[lang], name, doc, path, schema) or ()
        for report in reports:
            DIAG.report(*report)


def register() -> None:
    signals.content_object_init.connect(read)
    signals.all_generators_finalized.connect(check)
