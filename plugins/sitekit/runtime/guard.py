"""What happens when something goes wrong inside the build: no lost error, no hang, one verdict.

- `report_exception` turns an unexpected exception into one BUILD001 finding that names the editor's
  file (when there is one), the exception, and the innermost line of the site's own code under
  plugins/; DEBUG=1 prints the whole traceback too.
- `guarded` wraps a plugin's signal handler so its exception is reported that way and the build goes
  on to report everything else (the error still fails the build).
- `time_limit` stops a check that runs longer than IOP_CHECK_SECONDS (BUILD002) instead of hanging.
- `GatesFailedError` is the verdict: raised at the end of Pelican's run when there is any error finding.
"""

from __future__ import annotations

import functools
import os
import signal
import sys
import threading
import traceback
from contextlib import contextmanager
from pathlib import Path

from ..core.diagnostics import DIAG

PLUGINS = Path(__file__).resolve().parents[2]


class GatesFailedError(SystemExit):
    """The build found errors. A SystemExit, so plain `pelican` exits with status 1 after the findings,
    without a traceback of our own verdict; `python -m sitekit build` catches it."""

    def __init__(self, errors: int):
        super().__init__(1)
        self.errors = errors


class CheckTimeoutError(BaseException):
    """A check ran longer than its time limit. A BaseException, as KeyboardInterrupt is: code that
    catches Exception (a log formatter, a parser's fallback) must not swallow the time limit."""


def innermost_plugin_frame(exc: BaseException) -> str:
    """' (in plugins/sitekit/x.py:123, function)' for the deepest frame of the site's own code."""
    frames = traceback.extract_tb(exc.__traceback__) if exc.__traceback__ else []
    ours = [f for f in frames if Path(f.filename).resolve().is_relative_to(PLUGINS)]
    frame = (ours or frames or [None])[-1]
    if frame is None:
        return ""
    try:
        where = Path(frame.filename).resolve().relative_to(PLUGINS.parent).as_posix()
    except ValueError:
        where = Path(frame.filename).name
    return f" (in {where}:{frame.lineno}, {frame.name})"


def report_exception(exc: BaseException, path=None, what: str = "") -> None:
    """One BUILD001 finding for an unexpected exception; the full traceback under DEBUG=1."""
    trace = "".join(traceback.format_exception(exc)) if os.environ.get("DEBUG") else ""
    report_failure(type(exc).__name__, str(exc), innermost_plugin_frame(exc), path, what, trace)


def report_failure(kind: str, message: str, where: str, path=None, what: str = "", trace: str = "") -> None:
    """BUILD001 for an exception known by its parts (one raised in another process arrives so)."""
    what = f" while {what}" if what else ""
    DIAG.error(
        "BUILD001",
        path,
        0,
        f"unexpected error{what}: {kind}: {message}{where}",
        "a bug in the site's code, not in your file; run with DEBUG=1 to see the Python traceback",
    )
    if trace and os.environ.get("DEBUG"):
        print(trace, end="", file=sys.stderr)


def _path_of(args) -> str | None:
    for arg in args:
        source = getattr(arg, "source_path", None)
        if source:
            return str(source)
        if isinstance(arg, str | os.PathLike):
            return str(arg)
    return None


def guarded(handler):
    """Report an exception in a signal handler (with the page it was handling) and let the build go on."""

    @functools.wraps(handler)
    def run(*args, **kwargs):
        try:
            return handler(*args, **kwargs)
        except GatesFailedError:
            raise
        except Exception as exc:  # noqa: BLE001 - reported as BUILD001, which fails the build
            report_exception(exc, _path_of(args), f"running {handler.__module__}.{handler.__name__}")
            return None

    return run


@contextmanager
def time_limit(seconds: float, what: str):
    """Raise CheckTimeoutError if the block runs longer than ``seconds`` (in the main thread; elsewhere no limit)."""
    if not seconds or threading.current_thread() is not threading.main_thread():
        yield
        return

    def expired(_signum, _frame):
        raise CheckTimeoutError(f"{what} took longer than {seconds:g} s")

    previous = signal.signal(signal.SIGALRM, expired)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)
