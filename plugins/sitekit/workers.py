"""One worker process per build, so checks can run on a second core beside Pelican.

Pelican reads and writes pages on one core. On a large site (IOP_WORKER_MIN_PAGES Markdown files or
more) the language lint and the output checks are handed, page by page, to one worker process; the
plugins collect the results before they give their verdict, so the findings are the same as
inline. A small site checks inline: starting a process (importing Pelican, the plugins and
textstat) would cost more than it saves. The pool has exactly one process, so tasks run in the
order they were submitted: a plugin may submit its setup first and rely on it.
"""

from __future__ import annotations

import gc
import multiprocessing
import os
import signal
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures import TimeoutError as FutureTimeout
from concurrent.futures.process import BrokenProcessPool

from .diagnostics import DIAG
from .guard import CheckTimeoutError, report_exception, time_limit

#: How the worker process starts: a fresh interpreter ("spawn"). The preview's build children
#: (sitekit.rebuild) set "fork": each is a one-thread copy of a warm process, so a forked worker
#: starts at once, with textstat's dictionary already loaded.
START_METHOD = "spawn"

#: Python's garbage collector during a build (gc.set_threshold): a young-generation collection
#: every 10,000 allocations instead of 700. A build allocates millions of objects and keeps most
#: of them to the end, so the default collected often and found little: 0.36 s of the build
#: process's time on the 1,000-article corpus, 0.09 s with this (same peak memory).
GC_THRESHOLD = (10_000, 10, 10)


class Workers:
    """The worker pool of one build (sitekit.state.RUN.workers)."""

    def __init__(self, run):
        self.run = run
        self.pool: ProcessPoolExecutor | None = None
        self.decided = False
        self.died = False

    @property
    def seconds(self) -> float:
        return self.run.settings.get("IOP_CHECK_SECONDS", 0)

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
                        initargs=(str(DIAG.root), self.seconds),
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

    def result(self, future: Future, path: str):
        """The task's result; None when it has none (the caller then checks the page itself, inline).

        A check that failed or ran out of time in the worker is reported for its page; a dead or
        stuck worker is reported once and stopped, and the remaining checks run in this process."""
        # The worker limits each check itself; this longer wait only catches a worker stuck in C code.
        wait = 2 * self.seconds + 5 if self.seconds else None
        try:
            return future.result(timeout=wait)
        except CheckTimeoutError as exc:
            DIAG.error("BUILD002", path, 0, f"a check of this page stopped: {exc}", _TIME_HINT)
            return ()
        except FutureTimeout:
            DIAG.error("BUILD002", path, 0, f"the worker process did not finish this page in {wait:g} s", _TIME_HINT)
            self.stop(kill=True)
            return ()
        except BrokenProcessPool:
            if not self.died:
                self.died = True
                DIAG.warning("BUILD004", None, 0, "the worker process died; its checks ran again in the build process")
            self.stop(kill=True)
            return None
        except Exception as exc:  # noqa: BLE001 - a bug in a check, reported for its page; the rest go on
            report_exception(exc, path, "checking it in the worker process")
            return ()

    def inline(self, check, path: str, *args):
        """Run a check in this process, within the time limit; report its failure for the page."""
        try:
            with time_limit(self.seconds, f"checking {os.path.basename(path)}"):
                return check(*args)
        except CheckTimeoutError as exc:
            DIAG.error("BUILD002", path, 0, f"a check of this page stopped: {exc}", _TIME_HINT)
        except Exception as exc:  # noqa: BLE001 - a bug in a check, reported for its page; the rest go on
            report_exception(exc, path, "checking it")
        return None

    def stop(self, kill: bool = False) -> None:
        """End of the build, or a dead, stuck or interrupted worker: the remaining checks run inline."""
        pool, self.pool = self.pool, None
        if pool is None:
            return
        if kill:  # do not wait for a task that may never end
            for process in list(getattr(pool, "_processes", {}).values()):
                process.kill()
            pool.shutdown(wait=False, cancel_futures=True)
        else:
            pool.shutdown(wait=True, cancel_futures=True)


def _markdown_files(settings: dict) -> int:
    count = 0
    for _folder, _dirs, files in os.walk(settings.get("PATH", ".")):
        count += sum(name.endswith((".md", ".markdown")) for name in files)
    return count


# -- in the worker process ------------------------------------------------------------------------

#: What the worker process keeps between tasks: the linter and the output checkers it built.
IN_WORKER: dict = {}


_TIME_HINT = "something in this page makes a check very slow; simplify it, or raise IOP_CHECK_SECONDS"


def _start(diag_root: str, seconds: float) -> None:
    """In the worker: findings name files relative to the same folder as in the build process; Ctrl-C
    is the build process's to handle (it stops the worker); every task has the time limit."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    gc.set_threshold(*GC_THRESHOLD)
    DIAG.reset(root=diag_root)
    IN_WORKER.clear()
    IN_WORKER["seconds"] = seconds


def limited(fn, *args):
    """In the worker: run one task within the time limit."""
    with time_limit(IN_WORKER.get("seconds", 0), "the check"):
        return fn(*args)


def collecting(fn, *args):
    """In the worker: run a check that reports to DIAG; return its result and its findings."""
    DIAG.findings.clear()
    value = limited(fn, *args)
    return value, list(DIAG.findings)
