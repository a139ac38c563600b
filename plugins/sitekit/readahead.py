"""Read ahead: on a large site, a forked copy of the build reads guides on the second core.

Pelican reads the guides one by one on one core, and reading (front matter, Markdown, citations,
data blocks) is the largest part of a clean build. When the articles generator starts reading
(IOP_WORKER_MIN_PAGES guides or more, no reader cache), the build forks: the copy reads the list
from its end while the build reads it from its start, each claiming a file before reading it (a
shared byte per file, under a lock), until they meet. The copy then sends what it read, and the
build uses it as if it had read those files itself.

What the copy sends is what our reader returns for a file: the HTML and the metadata, which carry
the page's facts and findings (`sitekit.cache.CachedPage`, as Pelican's reader cache keeps them),
and the result of each check registered in AFTER_READ for that page (the language lint: otherwise
the worker, sharing the second core with the copy, falls behind and the build waits for it).
The build puts those back in the same order, at the moment Pelican asks for the file, so the
findings, the pages and the output are the same as a build that reads every file itself (a test
compares them byte for byte). If the copy dies, stalls or cannot start, the build reads the files
it had claimed itself.

The copy is a fork, so it starts at once with the settings, data and templates loaded; it forks
only while the build is single-threaded (nothing else can hold a lock the copy would inherit), and
it exits with os._exit, so it never runs the build's clean-ups.
"""

from __future__ import annotations

import gc
import multiprocessing
import os
import signal
import threading
from dataclasses import dataclass, field
from multiprocessing.connection import Connection

from .diagnostics import DIAG
from .guard import time_limit
from .state import RUN

UNCLAIMED, BUILD, COPY = 0, 1, 2

#: name -> check(path) run in the copy after it reads a page; its result is sent with the page
#: (None: the build checks the page itself). A check must not report, only return.
AFTER_READ: dict = {}


@dataclass
class ReadAhead:
    """The copy of one build (RUN.readahead)."""

    pid: int
    index: dict[str, int]  # absolute source path -> its place in the list
    claims: object  # multiprocessing shared bytes, one per file
    lock: object
    conn: Connection
    results: dict | None = None
    seconds: float = 0
    stopped: bool = False
    checked: dict = field(default_factory=dict)  # path -> {name: result} of AFTER_READ, for `result`
    sent: int = 0  # how many files the copy read and sent (for tests and `make profile`)

    def take(self, path: str):
        """(content, metadata) the copy read for ``path``; None when the build must read it itself."""
        i = self.index.get(path)
        if i is None:
            return None
        with self.lock:
            if self.claims[i] == UNCLAIMED:
                self.claims[i] = BUILD
                return None
        if self.results is None:
            self.results = self._receive()
        return self.results.pop(path, None)

    def _receive(self) -> dict:
        # The copy claims a file only when it is about to read it, so when the build meets a claimed
        # file the copy has at most that one file left to read: a stall here is a stuck copy.
        wait = 2 * self.seconds + 5 if self.seconds else 60
        try:
            results = self.conn.recv() if self.conn.poll(wait) else None
        except Exception:  # noqa: BLE001 - closed, broken or unreadable: the build reads those files itself
            results = None
        if not isinstance(results, dict):
            self.stop(kill=True)
            return {}
        self.sent = len(results)
        return results

    def stop(self, kill: bool = False) -> None:
        if self.stopped:
            return
        self.stopped = True
        if kill or self.results is None:  # not needed any more, or stuck: do not wait for it
            try:
                os.kill(self.pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
        try:
            os.waitpid(self.pid, 0)
        except ChildProcessError:
            pass
        self.conn.close()


def start(generator, reader) -> None:
    """The articles generator is about to read: fork the copy if it is worth it and safe."""
    settings = RUN.settings
    if RUN.readahead is not None:
        return
    RUN.readahead = False  # decided for this build, whatever follows
    if not hasattr(os, "fork") or settings.get("LOAD_CONTENT_CACHE") or threading.active_count() != 1:
        return  # the cache reads little; a fork would copy no other thread (nor a lock it held)
    from pelican.utils import file_suffix

    # The very list, and order, Pelican's ArticlesGenerator.generate_context reads; files of other
    # readers are left to Pelican.
    files = generator.get_files(settings["ARTICLE_PATHS"], exclude=settings["ARTICLE_EXCLUDES"])
    paths = [
        os.path.abspath(os.path.join(generator.path, f))
        for f in files
        if generator.readers.readers.get(file_suffix(f)) is reader
    ]
    if len(paths) < settings["IOP_WORKER_MIN_PAGES"]:
        return
    seconds = settings.get("IOP_CHECK_SECONDS", 0)
    try:  # no shared memory, semaphores or processes here: the build reads every file itself
        ctx = multiprocessing.get_context("fork")
        claims = ctx.RawArray("b", len(paths))
        lock = ctx.Lock()
        receive, send = ctx.Pipe(duplex=False)
        # Frozen objects are not looked at by the copy's garbage collector, so the copy does not
        # write to (and so copy) the memory pages it shares with the build (Python's gc.freeze docs).
        gc.freeze()
        pid = os.fork()
    except (OSError, ValueError):
        gc.unfreeze()
        return
    if pid == 0:  # the copy
        code = 0
        try:
            receive.close()
            signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the build's; it kills the copy
            signal.signal(signal.SIGTERM, signal.SIG_DFL)
            send.send(_read_from_end(reader, paths, claims, lock, seconds))
        except BaseException:  # noqa: BLE001 - the build reads what the copy did not send
            code = 1
        finally:
            os._exit(code)
    gc.unfreeze()  # the build collects its own objects as before
    send.close()
    ahead = ReadAhead(pid, {p: i for i, p in enumerate(paths)}, claims, lock, receive, seconds=seconds)
    RUN.readahead = ahead
    RUN.cleanups.append(ahead.stop)


def _read_from_end(reader, paths: list[str], claims, lock, seconds: float) -> dict:
    """In the copy: claim and read files from the end of the list until the build's claims are met."""
    results = {}
    for i in range(len(paths) - 1, -1, -1):
        with lock:
            if claims[i] != UNCLAIMED:
                break
            claims[i] = COPY
        path = paths[i]
        content, metadata = reader.read(path)
        checked = {}
        for name, check in AFTER_READ.items():
            try:
                with time_limit(seconds, "the check"):
                    checked[name] = check(path)
            except Exception:  # noqa: BLE001 - the build checks this page itself and reports why
                checked[name] = None
        results[path] = (content, metadata, checked)
    return results


def take(path: str):
    """(content, metadata) read ahead for ``path``, with its findings and page facts put back as the
    reader would have made them; None when the build reads the file itself."""
    ahead = RUN.readahead
    if not ahead:
        return None
    got = ahead.take(path)
    if got is None:
        return None
    content, metadata, checked = got
    cached = metadata.get("iop_page")
    if cached is None:
        return None
    RUN.pages[path] = cached.info
    DIAG.findings.extend(cached.findings)
    ahead.checked[path] = checked
    return content, metadata


def result(name: str, path: str):
    """The result of the AFTER_READ check ``name`` the copy ran on ``path`` (once), or None."""
    ahead = RUN.readahead
    if not ahead:
        return None
    return ahead.checked.get(path, {}).pop(name, None)
