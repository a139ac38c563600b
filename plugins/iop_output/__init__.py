"""Check every written HTML page (sitekit.outputcheck); give the verdict when the build ends.

On a large site the pages are checked in the build's worker process (sitekit.workers) while
Pelican writes the rest; their facts and findings are gathered before the cross-page checks.
"""

from __future__ import annotations

from pathlib import Path
from urllib.parse import urlparse

from pelican import signals

from sitekit.diagnostics import DIAG
from sitekit.outputcheck import OutputChecker, worker_check
from sitekit.run import RUN
from sitekit.workers import WORKERS, collecting


class _State:
    def __init__(self):
        self.checker: OutputChecker | None = None
        self.pending: list = []  # (path, future) of pages checked in the worker


STATE = _State()


def start(pelican) -> None:
    STATE.checker = OutputChecker(Path(pelican.settings["OUTPUT_PATH"]).resolve(),
                                  urlparse(pelican.settings.get("SITEURL") or "").netloc)
    STATE.pending = []


def written(path, context) -> None:
    if not str(path).endswith(".html"):
        return
    RUN.written.append(str(path))
    checker = STATE.checker
    if checker is None:
        return
    future = WORKERS.submit(collecting, worker_check, checker.root, checker.site_host, str(path))
    if future is not None:
        STATE.pending.append((path, future))
    else:
        checker.check_page(path)


def _gather(checker: OutputChecker) -> None:
    for path, future in STATE.pending:
        done = WORKERS.result(future, lambda: None)
        if done is None:  # the worker died: check the rest here
            checker.check_page(path)
            continue
        (facts, classes), findings = done
        if facts is not None:
            checker.pages[facts.rel] = facts
        if classes is not None:
            checker.banner_classes[facts.rel] = classes
        for f in findings:  # reported again here, so publish builds promote warnings as inline
            DIAG.report(f.severity, f.code, f.path, f.line, f.message, f.hint)
    STATE.pending = []


def finish(pelican) -> None:
    checker = STATE.checker
    if checker is None:
        return
    _gather(checker)
    checker.finish(sorted(checker.root.rglob("*.css")))
    STATE.checker = None


def register() -> None:
    signals.initialized.connect(start)
    signals.content_written.connect(written)
    signals.finalized.connect(finish)
