"""One worker process per build, so checks can run on a second core beside Pelican.

Pelican reads and writes pages on one core. On a large site (IOP_WORKER_MIN_PAGES Markdown files or
more) the language lint and the output checks are handed, page by page, to one worker process; the
plugins collect the results before they give their verdict, so the findings are the same as
inline. A small site checks inline: starting a process (importing Pelican, the plugins and
textstat) would cost more than it saves. The pool has exactly one process, so tasks run in the
order they were submitted: a plugin may submit its setup first and rely on it.

Tasks travel in batches (BATCH of them, or fewer when a result is wanted sooner): each hand-off to
a process pool costs the build process a pipe write and its pool threads the interpreter lock.
Each task keeps its own outcome: a check that fails or runs out of time is reported for its page,
and the worker tells, through a shared counter, which task it is on, so a worker stuck inside C
code is blamed on the page it was checking; the other tasks of its batch are checked again in the
build process.
"""

from __future__ import annotations

import gc
import multiprocessing
import os
import signal
import traceback
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures import TimeoutError as FutureTimeout
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field

from ..core.diagnostics import DIAG
from .guard import CheckTimeoutError, innermost_plugin_frame, report_exception, report_failure, time_limit

#: How the worker process starts: a fresh interpreter ("spawn"). The preview's build children
#: (sitekit.preview.rebuild) set "fork": each is a one-thread copy of a warm process, so a forked worker
#: starts at once, with textstat's dictionary already loaded.
START_METHOD = "spawn"

#: Python's garbage collector during a build (gc.set_threshold): a young-generation collection
#: every 10,000 allocations instead of 700. A build allocates millions of objects and keeps most
#: of them to the end, so the default collected often and found little: 0.36 s of the build
#: process's time on the 1,000-article corpus, 0.09 s with this (same peak memory).
GC_THRESHOLD = (10_000, 10, 10)

#: Tasks per hand-off to the worker. One hand-off per task (1,600 on the 1,000-article corpus) cost
#: the build process 0.2-0.5 s; a batch of 16 is sent in about the time of one.
BATCH = 16


@dataclass(eq=False)
class Batch:
    """Tasks sent to the worker together, and what became of each one."""

    first: int  # the number of its first task, counted over the build (the worker's counter)
    calls: list = field(default_factory=list)  # (function, arguments)
    future: Future | None = None
    #: Per task: (True, value), (False, Failure), STUCK, or None: not done there, check it here.
    outcomes: list | None = None


@dataclass(eq=False)
class Task:
    """One task handed to the worker (Workers.submit): its place in a batch."""

    batch: Batch
    index: int


@dataclass
class Failure:
    """An exception raised by a task in the worker, as the build process reports it."""

    kind: str
    message: str
    where: str  # " (in plugins/sitekit/x.py:12, name)", from the worker's traceback
    trace: str  # the whole traceback, printed under DEBUG=1
    timed_out: bool


#: The outcome of the task the worker was stuck in.
STUCK = "stuck"

#: Seconds a task may run past twice its time limit before the worker counts as stuck.
GRACE = 5


class Workers:
    """The worker pool of one build (sitekit.runtime.state.RUN.workers)."""

    def __init__(self, run):
        self.run = run
        self.pool: ProcessPoolExecutor | None = None
        self.decided = False
        self.died = False
        self.progress = None  # shared with the worker: the number of the task it is running
        self.count = 0  # tasks submitted so far
        self.open: Batch | None = None  # tasks not yet sent
        self.sent: list[Batch] = []  # batches sent and not yet collected

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
                    context = multiprocessing.get_context(START_METHOD)
                    self.progress = context.RawValue("q", -1)
                    self.pool = ProcessPoolExecutor(
                        1,
                        mp_context=context,
                        initializer=_start,
                        initargs=(str(DIAG.root), self.seconds, self.progress),
                    )
                    self.run.cleanups.append(self.stop)
                except (OSError, ValueError):  # no process support here: check inline
                    self.pool = None
        return self.pool

    def submit(self, fn, *args) -> Task | None:
        """Hand a task to the worker; None when there is none (or it died): then run it inline. It is
        sent with the next BATCH tasks, or when its result is wanted."""
        if self.get() is None:
            return None
        batch = self.open
        if batch is None:
            batch = self.open = Batch(self.count)
        batch.calls.append((fn, args))
        self.count += 1
        task = Task(batch, len(batch.calls) - 1)
        if len(batch.calls) >= BATCH or self.count == 1:  # the first task goes at once: it starts the worker
            self.flush()
        return task

    def flush(self) -> None:
        """Send the tasks not sent yet."""
        batch, self.open = self.open, None
        if batch is None:
            return
        if self.pool is not None:
            try:
                batch.future = self.pool.submit(_run_batch, batch.calls, batch.first)
                self.sent.append(batch)
                return
            except (BrokenProcessPool, RuntimeError):
                self.stop()
        batch.outcomes = [None] * len(batch.calls)

    def result(self, task: Task, path: str):
        """The task's result; None when it has none (the caller then checks the page itself, inline).

        A check that failed or ran out of time in the worker is reported for its page; a dead or
        stuck worker is reported once and stopped, and the remaining checks run in this process."""
        batch = task.batch
        if batch is self.open:
            self.flush()
        if batch.outcomes is None:
            self._collect(batch)
        outcome = batch.outcomes[task.index]
        if outcome is None:
            return None
        if outcome == STUCK:
            DIAG.error(
                "BUILD002", path, 0, f"the worker process did not finish this page in {self.wait:g} s", _TIME_HINT
            )
            return ()
        done, value = outcome
        if done:
            return value
        if value.timed_out:
            DIAG.error("BUILD002", path, 0, f"a check of this page stopped: {value.message}", _TIME_HINT)
        else:
            report_failure(
                value.kind, value.message, value.where, path, "checking it in the worker process", value.trace
            )
        return ()

    @property
    def wait(self) -> float | None:
        """How long the worker may run one task without starting the next: the worker limits each
        check itself, so this longer wait only catches a worker stuck in C code."""
        return 2 * self.seconds + GRACE if self.seconds else None

    def _collect(self, batch: Batch) -> None:
        """Wait for a batch's outcomes. A batch of slow checks is waited for as long as the worker
        moves from one task to the next; a worker that stays on one task is stuck: that task is
        reported and the worker stopped."""
        seen = self.progress.value if self.progress is not None else None
        while True:
            try:
                batch.outcomes = batch.future.result(timeout=self.wait)
                self.sent.remove(batch)
                return
            except FutureTimeout:
                now = self.progress.value
                if now != seen:
                    seen = now
                    continue
                for other in self.sent:  # the stuck task may be in an earlier batch than this one
                    if other.first <= now < other.first + len(other.calls):
                        other.outcomes = [None] * len(other.calls)
                        other.outcomes[now - other.first] = STUCK
                self.stop(kill=True)
                return
            except BrokenProcessPool:
                if not self.died:
                    self.died = True
                    DIAG.warning(
                        "BUILD004", None, 0, "the worker process died; its checks ran again in the build process"
                    )
                self.stop(kill=True)
                return
            except Exception:  # noqa: BLE001 - cancelled, or a result that could not be sent back: these
                self.sent.remove(batch)  # tasks run again here, where any failure is reported
                batch.outcomes = [None] * len(batch.calls)
                return

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
        for batch in self.sent:  # not collected: their tasks run again in this process
            if batch.outcomes is None:
                batch.outcomes = [None] * len(batch.calls)
        self.sent = []
        if self.open is not None:
            self.open.outcomes = [None] * len(self.open.calls)
            self.open = None
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


def _start(diag_root: str, seconds: float, progress) -> None:
    """In the worker: findings name files relative to the same folder as in the build process; Ctrl-C
    is the build process's to handle (it stops the worker); every task has the time limit."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    gc.set_threshold(*GC_THRESHOLD)
    DIAG.reset(root=diag_root)
    IN_WORKER.clear()
    IN_WORKER["seconds"] = seconds
    IN_WORKER["progress"] = progress


def _run_batch(calls: list, first: int) -> list:
    """In the worker: run a batch's tasks in order, each on its own; say which one is running."""
    progress = IN_WORKER.get("progress")
    outcomes = []
    for number, (fn, args) in enumerate(calls, first):
        if progress is not None:
            progress.value = number
        try:
            outcomes.append((True, fn(*args)))
        except Exception as exc:  # noqa: BLE001 - reported for its page by the build process
            outcomes.append((False, _failure(exc)))
    return outcomes


def _failure(exc: Exception) -> Failure:
    """An exception as plain text, which always travels back (not every exception can be pickled)."""
    return Failure(
        type(exc).__name__,
        str(exc),
        innermost_plugin_frame(exc),
        "".join(traceback.format_exception(exc)),
        isinstance(exc, CheckTimeoutError),
    )


def limited(fn, *args):
    """In the worker: run one task within the time limit."""
    with time_limit(IN_WORKER.get("seconds", 0), "the check"):
        return fn(*args)


def collecting(fn, *args):
    """In the worker: run a check that reports to DIAG; return its result and its findings."""
    DIAG.findings.clear()
    value = limited(fn, *args)
    return value, list(DIAG.findings)
