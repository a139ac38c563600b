"""One worker process per build, so checks can run on a second core beside Pelican.

Pelican reads and writes pages on one core. On a large site (IOP_WORKER_MIN_PAGES Markdown files or
more) the language lint and the output checks are handed, page by page, to one worker process; the
plugins collect the results before they give their verdict, so the findings are the same as
inline. A small site checks inline: starting a process (about a second, mostly loading textstat's
dictionary) would cost more than it saves. The pool has exactly one process, so tasks run in the
order they were submitted: a plugin may submit its setup first and rely on it.
"""

from __future__ import annotations

import multiprocessing
import os
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool

from .diagnostics import DIAG

#: How the worker process starts: a fresh interpreter ("spawn"). The preview's build children
#: (sitekit.rebuild) set "fork": each is a one-thread copy of a warm process, so a forked worker
#: starts at once, with textstat's dictionary already loaded.
START_METHOD = "spawn"


class Workers:
    """The worker pool of one build (sitekit.state.RUN.workers)."""

    def __init__(self, run):
        self.run = run
        self.pool: ProcessPoolExecutor | None = None
        self.decided = False

    def get(self) -> ProcessPoolExecutor | None:
        """This build's worker pool, or None when the checks run inline."""
        if not self.decided:
            self.decided = True
            settings = self.run.settings
            if _markdown_files(settings) >= settings["IOP_WORKER_MIN_PAGES"]:
                try:
                    self.pool = ProcessPoolExecutor(
                        1,
                        mp_context=multiprocessing.get_context(START_METHOD),
                        initializer=_start,
                        initargs=(str(DIAG.root),),
                    )
                    self.run.cleanups.append(self.stop)
                except (OSError, ValueError):  # no process support here: check inline
                    self.pool = None
        return self.pool

    def submit(self, fn, *args) -> Future | None:
        """Hand a task to the worker; None when there is none (or it died): then run it inline."""
        pool = self.get()
        if pool is None:
            return None
        try:
            return pool.submit(fn, *args)
        except (BrokenProcessPool, RuntimeError):
            self.stop()
            return None

    def result(self, future: Future, inline):
        """The task's result, or ``inline()`` if the worker died (out of memory, killed)."""
        try:
            return future.result()
        except BrokenProcessPool:
            self.stop()
            return inline()

    def stop(self) -> None:
        """End of the build (or a dead worker): the remaining checks run inline."""
        if self.pool is not None:
            self.pool.shutdown(wait=True, cancel_futures=True)
        self.pool = None


def _markdown_files(settings: dict) -> int:
    count = 0
    for _folder, _dirs, files in os.walk(settings.get("PATH", ".")):
        count += sum(name.endswith((".md", ".markdown")) for name in files)
    return count


# -- in the worker process ------------------------------------------------------------------------

#: What the worker process keeps between tasks: the linter and the output checkers it built.
IN_WORKER: dict = {}


def _start(diag_root: str) -> None:
    """In the worker: findings name files relative to the same folder as in the build process."""
    DIAG.reset(root=diag_root)
    IN_WORKER.clear()


def collecting(fn, *args):
    """In the worker: run a check that reports to DIAG; return its result and its findings."""
    DIAG.findings.clear()
    value = fn(*args)
    return value, list(DIAG.findings)
