"""Per-page checks on a second core: a plain ProcessPoolExecutor, for large sites only.

Pelican reads and writes pages on one core. On a site of IOP_WORKER_MIN_PAGES Markdown files or
more, the plugins hand each page's language lint and output checks to one worker process and
collect the results before the verdict, so the findings are those an inline check gives. A small
site checks inline: starting a process costs more than it saves there.

- Tasks travel in chunks of CHUNK (one hand-off per page cost the build more than it saved).
- Each task runs within IOP_CHECK_SECONDS in the worker and keeps its own outcome: a check that fails
  or runs out of time is reported for its own page.
- A chunk that does not come back in time (a worker stuck in native code, which the time limit's
  signal cannot interrupt) or a worker that dies: the worker is stopped and the chunk's tasks run
  again one by one in a new worker, each with its own time-out, so the page that is stuck (or that
  kills the worker) is blamed and every other page is still checked.
- The worker leaves when the build process dies, however it dies (SIGKILL included): it waits on
  its parent's sentinel (`multiprocessing.parent_process()`), and the resource tracker follows it.
"""

from __future__ import annotations

import gc
import multiprocessing
import os
import signal
import threading
import traceback
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures import TimeoutError as FutureTimeout
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field

from ..core.diagnostics import DIAG
from .guard import CheckTimeoutError, innermost_plugin_frame, report_exception, report_failure, time_limit

#: Python's garbage collector during a build (gc.set_threshold): a young-generation collection
#: every 10,000 allocations instead of 700. A build allocates millions of objects and keeps most
#: of them to the end, so the default collected often and found little: 0.36 s of the build
#: process's time on the 1,000-article corpus, 0.09 s with this (same peak memory).
GC_THRESHOLD = (10_000, 10, 10)

#: Tasks per hand-off to the worker.
CHUNK = 16

#: Workers that get stuck or die before the pool gives up and the checks run inline.
MAX_RESTARTS = 8

#: Seconds a chunk may take beyond its tasks' time limits before its worker counts as stuck.
GRACE = 5

_TIME_HINT = "something in this page makes a check very slow; simplify it, or raise IOP_CHECK_SECONDS"


@dataclass
class Failure:
    """An exception raised by a task in the worker, as the build process reports it."""

    kind: str
    message: str
    where: str  # " (in plugins/sitekit/x.py:12, name)", from the worker's traceback
    trace: str  # the whole traceback, printed under DEBUG=1
    timed_out: bool = False


@dataclass(eq=False)
class Task:
    fn: object
    args: tuple
    outcome: tuple | None = None  # (True, value), (False, Failure) or (None, why the worker gave up)


@dataclass(eq=False)
class Chunk:
    tasks: list[Task] = field(default_factory=list)
    future: object = None


class Pool:
    """The worker of one build (RUN.pool): `submit` tasks, then `result` each; None means check inline."""

    def __init__(self, settings: dict, root: str):
        self.settings = settings
        self.wanted: bool | None = None  # decided at the first task
        self.seconds = settings.get("IOP_CHECK_SECONDS", 0)
        self.root = root
        self.setups: list[tuple] = []  # (fn, args) every worker runs before its first task
        self.executor: ProcessPoolExecutor | None = None
        self.processes: list = []  # the executor's worker processes, to stop one that is stuck
        self.open = Chunk()
        self.sent: list[Chunk] = []
        self.failed = False  # no worker can be started: check inline from here on
        self.restarts = 0

    @property
    def active(self) -> bool:
        if self.wanted is None:
            from . import memo

            # The preview's memo (sitekit.runtime.memo) checks only what changed: a worker would not pay.
            settings = self.settings
            self.wanted = not memo.ENABLED and _markdown_files(settings) >= settings.get("IOP_WORKER_MIN_PAGES", 100)
        return self.wanted and not self.failed

    def setup(self, fn, *args) -> None:
        """Run ``fn(*args)`` in every worker before its first task (e.g. compile the rules)."""
        self.setups.append((fn, args))

    def submit(self, fn, *args) -> Task | None:
        """Hand ``fn(*args)`` to the worker; None when there is none: then run it inline."""
        if not self.active:
            return None
        task = Task(fn, args)
        self.open.tasks.append(task)
        if len(self.open.tasks) >= CHUNK or not self.sent:  # the first goes at once: it starts the worker
            self._send()
        return task

    def result(self, task: Task, path: str):
        """The task's value; () when it failed or got stuck (reported for ``path``); None: check it inline."""
        if task.outcome is None:
            self._collect(task)
        done, value = task.outcome
        if done:
            return value
        if done is None:  # no worker could be started
            return None
        if value.timed_out:
            DIAG.error("BUILD002", path, 0, f"a check of this page stopped: {value.message}", _TIME_HINT)
        else:
            report_failure(
                value.kind, value.message, value.where, path, "checking it in the worker process", value.trace
            )
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
        """The build ended (or was stopped): no task is waited for any more."""
        executor, self.executor = self.executor, None
        if executor is None:
            return
        if kill:  # a stuck or interrupted worker: do not wait for it
            for process in self.processes:
                process.kill()
        executor.shutdown(wait=True, cancel_futures=True)
        self.processes = []

    # -- sending and collecting ---------------------------------------------------------------------

    def _executor(self) -> ProcessPoolExecutor | None:
        if self.executor is None and not self.failed:
            if self.restarts > MAX_RESTARTS:  # a worker that cannot even start: check inline
                self.failed = True
                DIAG.warning("BUILD004", None, 0, "the worker process kept dying; the checks ran in the build process")
                return None
            try:
                context = multiprocessing.get_context("spawn")
                self.executor = ProcessPoolExecutor(
                    1, mp_context=context, initializer=_start, initargs=(self.root, self.seconds, self.setups)
                )
            except OSError:  # no processes here: check inline
                self.failed = True
        return self.executor

    def _send(self) -> None:
        chunk, self.open = self.open, Chunk()
        if chunk.tasks:
            self.sent.append(chunk)
            self._dispatch(chunk)

    def _dispatch(self, chunk: Chunk) -> None:
        executor = self._executor()
        if executor is None:
            for task in chunk.tasks:
                task.outcome = (None, None)
            return
        before = set(multiprocessing.active_children()) if not self.processes else None
        chunk.future = executor.submit(_run, [(t.fn, t.args) for t in chunk.tasks])
        if before is not None:  # the executor starts its worker on its first task
            self.processes = [p for p in multiprocessing.active_children() if p not in before]

    def _collect(self, task: Task) -> None:
        if any(t is task for t in self.open.tasks):
            self._send()
        chunk = next(c for c in self.sent if any(t is task for t in c.tasks))
        self.sent.remove(chunk)
        if chunk.future is None:  # sent to a worker that was stopped since: send it again
            self._dispatch(chunk)
        if chunk.future is not None:
            try:
                outcomes = chunk.future.result(timeout=self._wait(len(chunk.tasks)))
            except (FutureTimeout, BrokenProcessPool):
                self._restart()
                for one in chunk.tasks:  # one at a time: the stuck or deadly one is found and blamed
                    self._alone(one)
                return
            for one, outcome in zip(chunk.tasks, outcomes, strict=True):
                one.outcome = outcome

    def _alone(self, task: Task) -> None:
        chunk = Chunk([task])
        self._dispatch(chunk)
        if task.outcome is not None:
            return
        try:
            [task.outcome] = chunk.future.result(timeout=self._wait(1))
        except FutureTimeout:
            task.outcome = (
                False,
                Failure("", f"the worker process did not finish it in {self._wait(1):g} s", "", "", True),
            )
            self._restart()
        except BrokenProcessPool:
            task.outcome = (False, Failure("BrokenProcessPool", "the worker process died while checking it", "", ""))
            self._restart()

    def _restart(self) -> None:
        """Stop the worker; chunks sent to it and not collected go to the next one."""
        self.restarts += 1
        self.stop(kill=True)
        for chunk in self.sent:
            chunk.future = None

    def _wait(self, tasks: int) -> float | None:
        return tasks * self.seconds + GRACE if self.seconds else None


def _markdown_files(settings: dict) -> int:
    count = 0
    for _folder, _dirs, files in os.walk(settings.get("PATH", ".")):
        count += sum(name.endswith((".md", ".markdown")) for name in files)
    return count


# -- in the worker process ------------------------------------------------------------------------

_SECONDS = [0.0]


def _start(root: str, seconds: float, setups: list) -> None:
    """Findings name files as in the build process; Ctrl-C is the build's to handle (it stops the
    worker); the worker leaves when the build process does; then the plugins' set-up."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    gc.set_threshold(*GC_THRESHOLD)
    DIAG.reset(root=root)
    _SECONDS[0] = seconds
    parent = multiprocessing.parent_process()
    if parent is not None:
        threading.Thread(target=_leave_with, args=(parent,), name="leave-with-parent", daemon=True).start()
    for fn, args in setups:
        fn(*args)


def _leave_with(parent) -> None:
    parent.join()  # returns when the build process has ended, however it ended
    os._exit(1)


def _run(calls: list) -> list:
    """Run a chunk's tasks in order, each within the time limit and with its own outcome."""
    outcomes = []
    for fn, args in calls:
        try:
            with time_limit(_SECONDS[0], "the check"):
                outcomes.append((True, fn(*args)))
        except CheckTimeoutError as exc:
            outcomes.append((False, Failure(type(exc).__name__, str(exc), "", "", True)))
        except Exception as exc:  # noqa: BLE001 - reported for its page by the build process
            trace = "".join(traceback.format_exception(exc))  # as text: not every exception pickles
            outcomes.append((False, Failure(type(exc).__name__, str(exc), innermost_plugin_frame(exc), trace)))
    return outcomes


def collecting(fn, *args):
    """In the worker: run a check that reports to DIAG; return its result and its findings."""
    DIAG.findings.clear()
    value = fn(*args)
    return value, list(DIAG.findings)
