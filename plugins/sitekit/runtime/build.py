"""Build the site into a staging folder, report every finding, replace output/ only on success.

`stage` and `replace` are shared with plain `pelican`, where iop_data and iop_output.verdict call them
from Pelican's signals: either way of building leaves output/ as it was on an error.

Builds in one checkout take turns: each holds a lock (`filelock` on `.<output>.lock` beside the output
folder: an OS lock, released by the system even if the build is killed) from start to swap, so two builds that
start or finish together never mix or lose output/. The lock holder removes staging folders that
killed builds left behind. Ctrl-C and SIGTERM stop the build and its worker at once (BUILD003) and
leave output/ as it was.
"""

from __future__ import annotations

import gc
import logging
import os
import shutil
import signal
import sys
import tempfile
import threading
import time
import traceback
from contextlib import ExitStack, contextmanager
from pathlib import Path

from filelock import FileLock, Timeout

from ..core.diagnostics import DIAG, printable
from . import cache, outputs, paths
from .guard import GatesFailedError, report_exception
from .pool import GC_THRESHOLD
from .state import RUN


class BuildInterruptedError(BaseException):
    """SIGTERM asked the build to stop (Ctrl-C raises KeyboardInterrupt the same way)."""


#: Pelican's warnings that the site reports itself, at the Markdown line and with how to fix it: a link
#: to a file that does not exist (OUT013, IMG003) and an image without alt text (IMG001).
REPORTED_BY_SITEKIT = ("Unable to find '", "Empty alt attribute for image", "Cannot get modification stamp for")


class _PelicanLogCapture(logging.Handler):
    """Turn Pelican's own warnings and errors into findings, so they are fatal and reported."""

    def emit(self, record: logging.LogRecord) -> None:
        if record.name.startswith("sitekit"):
            return
        if record.levelno < logging.ERROR and str(record.msg).startswith(REPORTED_BY_SITEKIT):
            return
        try:
            message = record.getMessage()
        except Exception:  # noqa: BLE001 - a malformed log call must not stop the build
            message = str(record.msg)
        message = " ".join(message.split())
        if record.levelno >= logging.ERROR:
            DIAG.error("PEL001", None, 0, message, "Pelican reported this error")
        elif record.levelno >= logging.WARNING:
            DIAG.warning("PEL002", None, 0, message)


def pelican_overrides(argv: list[str]) -> dict | None:
    """Settings from Pelican's own command-line options (PELICANOPTS), or None after printing why not."""
    if not argv:
        return {}
    from pelican import get_config, parse_arguments

    try:
        args = parse_arguments(argv)
    except SystemExit:  # argparse printed the problem
        return None
    if args.settings or args.path:
        print(
            "sitekit build: give the settings file with -s and put content in PATH, not as Pelican options",
            file=sys.stderr,
        )
        return None
    config = get_config(args)
    if not config.get("DEBUG"):
        config.pop("DEBUG", None)  # get_config always sets it; keep the settings file's value
    return config


def build(settings_file: str | os.PathLike, overrides: dict | None = None, publish: bool = False, stream=None) -> int:
    """Run one build; print the findings to ``stream``; return the exit status."""
    stream = stream or sys.stderr
    started = time.perf_counter()
    settings_file = Path(settings_file).resolve()
    RUN.start({})  # forget the previous build even if these settings cannot be read

    from pelican import Pelican
    from pelican.settings import read_settings

    pelican_logger = logging.getLogger("pelican")
    capture = _PelicanLogCapture(level=logging.WARNING)
    pelican_logger.addHandler(capture)
    old_propagate, old_level = pelican_logger.propagate, pelican_logger.level
    pelican_logger.propagate = False
    verbose = None
    if os.environ.get("DEBUG"):  # DEBUG=1: Pelican's own debug log and its DEBUG setting, as `pelican -D`
        overrides = {**(overrides or {}), "DEBUG": True}
        verbose = logging.StreamHandler(stream)
        verbose.setFormatter(logging.Formatter("%(levelname)s %(name)s: %(message)s"))
        pelican_logger.addHandler(verbose)
        pelican_logger.setLevel(logging.DEBUG)
    staging = None
    final = None
    interrupted = False
    with _fewer_collections(), _stop_on_sigterm(), ExitStack() as hold:
        try:
            settings = read_settings(str(settings_file), override=overrides or {})
            if publish:
                settings["IOP_PUBLISH"] = True
            settings["IOP_DRIVER"] = True
            RUN.start(settings)
            refused = paths.output_problems(settings["OUTPUT_PATH"], settings, settings_file)
            for message, hint in refused:  # before anything is made, locked, written or deleted
                DIAG.error("GRD001", None, 0, message, hint)
            if refused:
                raise GatesFailedError(len(refused))
            final = Path(settings["OUTPUT_PATH"]).resolve()
            cache.configure(settings, final)
            staging = stage(settings, final, hold, stream)
            Pelican(settings).run()
            if RUN.search is not None:  # whatever the plugins did, the index is complete or reported
                RUN.search.wait()
        except GatesFailedError:
            pass  # the verdict: the findings are printed below
        except (KeyboardInterrupt, BuildInterruptedError):
            interrupted = True
            DIAG.error("BUILD003", None, 0, "the build was stopped before it finished", "run it again")
        except Exception as exc:  # noqa: BLE001 - every failure becomes one readable finding
            _report_exception(exc)
        finally:
            RUN.pool.stop(kill=interrupted) if RUN.pool is not None else None
            RUN.stop()
            pelican_logger.removeHandler(capture)
            if verbose is not None:
                pelican_logger.removeHandler(verbose)
            pelican_logger.propagate, pelican_logger.level = old_propagate, old_level

        if not DIAG.errors and staging is not None:
            replace(staging, final, settings)
        print(DIAG.summary(), file=stream) if DIAG.findings else None
        elapsed = time.perf_counter() - started
        if DIAG.errors or final is None or staging is None:
            if staging is not None:
                shutil.rmtree(staging, ignore_errors=True)
            kept = f"{final} was left as it was" if final is not None else "nothing was written or deleted"
            print(printable(f"Build failed: {DIAG.counts()}; {kept}."), file=stream)
            return 130 if interrupted else 1
    if RUN.changes is not None:  # a publish build: what changed since the last one (iop_publish)
        print(RUN.changes[1], file=stream)
    pages = len(RUN.written)
    print(printable(f"Built {pages} pages into {os.path.relpath(final)} in {elapsed:.1f} s."), file=stream)
    return 0


def stage(settings: dict, final: Path, hold: ExitStack, stream) -> Path:
    """Take the output folder's lock (held by ``hold``), refuse a folder another kind of build wrote
    (EDT004), and point the build at a new staging folder beside it, which it returns. `replace` puts the
    staging folder in place once the build has no error. `sitekit build` calls this before Pelican starts,
    iop_data's `initialized` under plain `pelican`: both builds keep output/ as it was on an error."""
    final.parent.mkdir(parents=True, exist_ok=True)
    hold.enter_context(_build_lock(final, stream))
    refused = outputs.conflict(final, _kind(settings))
    if refused:
        DIAG.error(
            "EDT004",
            None,
            0,
            refused,
            "preview builds write output/ (make html, make serve); make publish writes public/",
        )
        raise GatesFailedError(1)
    RUN.final = final
    staging = Path(tempfile.mkdtemp(prefix=f".{final.name}-staging-", dir=final.parent))
    staging.chmod(0o755)  # mkdtemp makes 0700; a web server must be able to read the site
    settings["OUTPUT_PATH"] = str(staging)
    return staging


def replace(staging: Path, final: Path, settings: dict) -> bool:
    """A build with no error: mark the staging folder with its kind of build and put it in ``final``'s place
    (GRD002 if it cannot), and keep a publish build's record of its pages beside it. Whether it did."""
    outputs.mark(staging, _kind(settings))
    try:
        _swap(staging, final)
    except OSError as exc:
        DIAG.error(
            "GRD002",
            None,
            0,
            f"the built site could not replace {final}: {exc.strerror or exc}"
            + (f" ({exc.filename})" if exc.filename else ""),
            "check that the folder and the one it is in can be written, and that nothing holds it open",
        )
        return False
    if RUN.changes is not None:  # a publish build: what it held, for the next one to compare (iop_publish)
        record_file(final).write_text(RUN.changes[0], encoding="utf-8")
    return True


def _kind(settings: dict) -> str:
    return outputs.PUBLISH if settings["IOP_PUBLISH"] else outputs.PREVIEW


def record_file(final: Path) -> Path:
    """Beside a publish folder (never inside it, so it is not deployed): what its last publish held."""
    return final.with_name(f".{final.name}-pages.json")


@contextmanager
def _build_lock(final: Path, stream):
    """One build at a time per output folder; then clear what killed builds left behind."""
    lock = FileLock(final.with_name(f".{final.name}.lock"))
    try:
        lock.acquire(timeout=0)
    except Timeout:
        print(printable(f"Waiting for another build of {final.name}/ to finish..."), file=stream, flush=True)
        lock.acquire()
    try:
        for stale in final.parent.glob(f".{final.name}-staging-*"):
            shutil.rmtree(stale, ignore_errors=True)
        for stale in final.parent.glob(f".{final.name}-old-*"):
            shutil.rmtree(stale, ignore_errors=True)
        yield
    finally:
        lock.release()


@contextmanager
def _stop_on_sigterm():
    """SIGTERM stops the build like Ctrl-C does: clean-up runs, the worker is killed, output/ stays."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return

    def stop(_signum, _frame):
        raise BuildInterruptedError

    previous = signal.signal(signal.SIGTERM, stop)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)


def _report_exception(exc: BaseException) -> None:
    from jinja2 import TemplateError, TemplateSyntaxError

    if isinstance(exc, TemplateSyntaxError):
        DIAG.error(
            "TPL001", exc.filename or exc.name, exc.lineno, f"template error: {exc.message}", "fix the template syntax"
        )
    elif isinstance(exc, TemplateError):
        frame = _template_frame(exc)
        DIAG.error(
            "TPL002",
            frame[0] if frame else None,
            frame[1] if frame else 0,
            f"template error: {exc}",
            "check the variable or filter named here",
        )
    else:
        report_exception(exc, None, "building the site")
        return
    if os.environ.get("DEBUG"):
        traceback.print_exception(exc)


def _template_frame(exc):
    for frame in reversed(traceback.extract_tb(exc.__traceback__)):
        if frame.filename.endswith((".html", ".xml", ".txt")):
            return frame.filename, frame.lineno
    return None


#: Whether a build deletes the output folder it replaced (``.<output>-old-<pid>``) before it ends.
#: The preview server's builds leave it, and the server deletes it after the page is shown:
#: on 1,000 pages the deletion alone takes one to three seconds.
REMOVE_REPLACED = True


@contextmanager
def _fewer_collections():
    """The garbage collector's GC_THRESHOLD (sitekit.runtime.pool) during the build; the caller's after it."""
    before = gc.get_threshold()
    gc.set_threshold(*GC_THRESHOLD)
    try:
        yield
    finally:
        gc.set_threshold(*before)


def _swap(staging: Path, final: Path) -> None:
    """Replace ``final`` with ``staging`` using renames, so no half-written site is ever seen. If the
    second rename fails, the first is undone: ``final`` is as it was (the caller reports the error)."""
    if final.exists():
        old = final.with_name(f".{final.name}-old-{os.getpid()}")
        os.replace(final, old)
        try:
            os.replace(staging, final)
        except OSError:
            os.replace(old, final)
            raise
        if REMOVE_REPLACED:
            shutil.rmtree(old, ignore_errors=True)
    else:
        os.replace(staging, final)
