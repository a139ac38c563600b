"""Check every written HTML page (sitekit.checks.outputcheck), then give the build's verdict.

On a large site the pages are checked in the build's worker process (sitekit.runtime.pool) while
Pelican writes the rest; their facts and findings are gathered before the cross-page checks.

The verdict is given here, inside Pelican's own run, so the gates hold however the build is
started: with any error finding, `finalized` raises `GatesFailedError`, which makes plain `pelican`
print every finding and exit non-zero; `python -m sitekit build` catches it and reports the same
findings in its own words. This plugin comes last in PLUGINS so its verdict sees everything.
"""

from __future__ import annotations

import hashlib
import shutil
import sys
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlparse

from pelican import signals

from sitekit.checks.outputcheck import OutputChecker, check_task
from sitekit.core.diagnostics import DIAG, printable
from sitekit.runtime import memo
from sitekit.runtime.build import replace
from sitekit.runtime.guard import GatesFailedError, guarded
from sitekit.runtime.pool import collecting
from sitekit.runtime.state import RUN


@dataclass
class Output:
    """This build's output checks (RUN.output)."""

    checker: OutputChecker
    pending: list = field(default_factory=list)  # (path, source, memo key, task, blame) of pages in the worker
    rules: bytes | None = None  # sitekit.runtime.memo: what every page's check depends on besides the page


def _output() -> Output:
    if RUN.output is None:
        settings = RUN.settings
        checker = OutputChecker(
            Path(settings["OUTPUT_PATH"]).resolve(),
            urlparse(settings.get("SITEURL") or "").netloc,
            Path(settings["THEME"]),
            crisis_ok=RUN.data is not None and "crisis.yaml" not in RUN.data.failed,
            content=Path(settings["PATH"]),
            unavailable=RUN.unavailable,
            images={(info.path, line) for info in RUN.pages.values() for line, _src in info.images},
            shown=_shown(RUN.final or settings["OUTPUT_PATH"]),
        )
        # The output folder is not in it: a page's facts and findings name it by its path inside.
        rules = memo.digest(checker.site_host, checker.crisis_ok, repr(checker.rules), checker.theme_inline)
        RUN.output = Output(checker, rules=rules)
    return RUN.output


def _shown(folder) -> str:
    """The output folder as findings name it: its path from where the build started (output/, public/),
    or its own name when it lies elsewhere."""
    folder = Path(folder).resolve()
    try:
        return folder.relative_to(Path.cwd().resolve()).as_posix()
    except ValueError:
        return folder.name


def _source(context) -> tuple[str, list] | None:
    """The Markdown file a written page came from, with its lines, so problems can be traced there."""
    doc = context.get("article") or context.get("page")
    info = RUN.pages.get(str(getattr(doc, "source_path", ""))) if doc is not None else None
    return (info.path, list(info.prose_lines)) if info is not None else None


@guarded
def written(path, context) -> None:
    if not str(path).endswith(".html"):
        return
    RUN.written.append(str(path))
    output = _output()
    checker = output.checker
    source = _source(context)
    rel = Path(path).relative_to(checker.root).as_posix()
    if source is not None:
        RUN.sources[rel] = source[0]
    info = RUN.pages.get(source[0]) if source is not None else None
    if info is not None and info.unshown and RUN.data is not None:
        checker.degraded[rel] = str(RUN.data.file(info.unshown[0]))
    key = None
    if output.rules is not None:  # the preview server (sitekit.runtime.memo): the same page, the same result
        key = memo.digest(output.rules, rel, source, hashlib.blake2b(Path(path).read_bytes()).digest())
        known = memo.get(key)
        if known is not None:
            _take(checker, source, *known)
            return
    task = RUN.pool.submit(
        collecting,
        check_task,
        checker.root,
        checker.site_host,
        checker.theme,
        checker.crisis_ok,
        str(path),
        source,
    )
    if task is not None:
        output.pending.append((path, source, key, task, _blame(checker, rel, source)))
        return
    before = len(DIAG.findings)
    if RUN.pool.inline(_checked, _blame(checker, rel, source), checker, path, source):
        memo.put(key, (checker.pages.get(rel), DIAG.findings[before:]))


def _blame(checker: OutputChecker, rel: str, source) -> str:
    """Where a check of this page that fails or runs out of time is reported: the Markdown file the
    page came from, else the page as it will be published (never the build's staging folder)."""
    return source[0] if source is not None else checker.label(rel)


def _checked(checker: OutputChecker, path, source) -> bool:
    checker.check_page(str(path), source)
    return True


def _take(checker: OutputChecker, source, facts, findings) -> None:
    """A page's facts and findings from the worker or the memo, as if it had been checked here."""
    if facts is not None:
        checker.pages[facts.rel] = facts
        if source is not None:
            checker.sources[facts.rel] = source
    for f in findings:  # reported again here, so publish builds promote warnings as inline
        DIAG.report(f.severity, f.code, f.path, f.line, f.message, f.hint)


def _gather(output: Output) -> None:
    checker = output.checker
    for path, source, key, task, blame in output.pending:
        done = RUN.pool.result(task, blame)
        if done is None:  # the worker died or gave up: check this page here
            RUN.pool.inline(checker.check_page, blame, path, source)
            continue
        if not done:  # () when the check failed there (already reported)
            continue
        _take(checker, source, *done)
        memo.put(key, done)
    output.pending = []


@guarded
def finish(pelican) -> None:
    output = _output()
    _gather(output)
    checker, index = output.checker, RUN.search
    # The search index may still be writing its folder (iop_publish.SearchIndex): links into it are
    # checked once it is done, everything else meanwhile.
    pending = index.FOLDER if index is not None and not index.done else None
    checker.finish(pending=pending)
    if index is not None:
        index.wait()
    if pending:
        checker.finish_pending()


def verdict(pelican) -> None:
    """Fail the build on any error finding, whoever started it. Under plain `pelican` (nobody else prints
    the findings or swaps the folders) the staged site replaces the output folder only without an error,
    as `sitekit build` does."""
    if RUN.search is not None:  # its failure is a finding (already waited for, unless finish failed)
        RUN.search.wait()
    staging = RUN.staging
    if staging is not None and not DIAG.errors and replace(staging, RUN.final, RUN.settings):
        if RUN.changes is not None:  # a publish build: what changed since the last one (iop_publish)
            print(RUN.changes[1])
        RUN.stop()  # the worker, and the output folder's lock
        return
    if not DIAG.errors:
        return
    if not RUN.settings.get("IOP_DRIVER"):
        print(DIAG.summary(), file=sys.stderr)
        if staging is not None:
            shutil.rmtree(staging, ignore_errors=True)
            print(printable(f"Build failed: {DIAG.counts()}; {RUN.final} was left as it was."), file=sys.stderr)
        RUN.stop()
    raise GatesFailedError(len(DIAG.errors))


def _wait_for_search(pelican) -> None:
    RUN.search_waiter = __name__  # iop_publish may leave the search index running until finish()


def register() -> None:
    signals.initialized.connect(_wait_for_search)
    signals.content_written.connect(written)
    signals.finalized.connect(finish)
    signals.finalized.connect(verdict)
