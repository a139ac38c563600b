"""Check every written HTML page (sitekit.outputcheck); give the verdict when the build ends.

On a large site the pages are checked in the build's worker process (sitekit.workers) while
Pelican writes the rest; their facts and findings are gathered before the cross-page checks.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlparse

from pelican import signals

from sitekit.diagnostics import DIAG
from sitekit.outputcheck import OutputChecker, worker_check
from sitekit.state import RUN
from sitekit.workers import collecting


@dataclass
class Output:
    """This build's output checks (RUN.output)."""

    checker: OutputChecker
    pending: list = field(default_factory=list)  # (path, future) of pages checked in the worker


def _output() -> Output:
    if RUN.output is None:
        settings = RUN.settings
        RUN.output = Output(
            OutputChecker(Path(settings["OUTPUT_PATH"]).resolve(), urlparse(settings.get("SITEURL") or "").netloc)
        )
    return RUN.output


def written(path, context) -> None:
    if not str(path).endswith(".html"):
        return
    RUN.written.append(str(path))
    output = _output()
    checker = output.checker
    future = RUN.workers.submit(collecting, worker_check, checker.root, checker.site_host, str(path))
    if future is not None:
        output.pending.append((path, future))
    else:
        checker.check_page(path)


def _gather(output: Output) -> None:
    checker = output.checker
    for path, future in output.pending:
        done = RUN.workers.result(future, lambda: None)
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
    output.pending = []


def finish(pelican) -> None:
    output = _output()
    _gather(output)
    output.checker.finish(sorted(output.checker.root.rglob("*.css")))


def register() -> None:
    signals.content_written.connect(written)
    signals.finalized.connect(finish)
