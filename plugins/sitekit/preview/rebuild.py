"""Preview rebuilds: each build in a fresh process, forked from a warm one.

A build started from nothing spends most of a small site's build getting ready: starting Python,
importing Pelican, Markdown and the plugins, loading textstat's pronouncing dictionary (0.15 s
from sitekit.checks.readability's cache), compiling templates and patterns. `make serve` pays for that once:

- a *build host* (``python -m sitekit.preview.rebuild --host``) imports everything, loads the dictionary
  and runs the first build itself;
- every later build runs in a child the host forks: the child starts with all of that in memory
  (textstat's memo, and the first build's per-page check results, sitekit.runtime.memo), runs exactly one
  build and exits, so nothing a build does can leak into the next one (sitekit.runtime.state resets each
  build as well);
- the child sends its exit status and findings back as one line of JSON (`report`).

The host is a process of its own rather than the preview server: the server runs threads (HTTP,
Server-Sent Events, the file watcher), and a process forked from a threaded one can hang on a lock
another thread held at that instant. The host has one thread and its own process group, so the
server stops the host, its build and the build's worker together (`close`).

When the plugins' code or the settings change, what the host imported is stale, so the server
starts a new host (`restart`). Where os.fork does not exist, or with ``serve --no-fork``, every
build is a plain subprocess (``python -m sitekit.preview.rebuild --once``) that reports the same way.
"""

from __future__ import annotations

import argparse
import contextlib
import dataclasses
import gc
import json
import os
import signal
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

#: How long stopped build processes get to clean up before they are killed.
GRACE_SECONDS = 0.5


def report(code: int, started: float) -> dict:
    """What the preview server learns from one build: exit status, time, pages, and the findings in the
    order the terminal printed them (DIAG.summary), as plain data."""
    from ..core.diagnostics import DIAG
    from ..runtime.state import RUN

    order = {line: i for i, line in enumerate(DIAG.summary().splitlines())}
    findings = sorted(DIAG.findings, key=lambda f: order.get(f.format(), len(order)))
    return {
        "code": code,
        "seconds": round(time.perf_counter() - started, 3),
        "pages": len(RUN.written),
        "findings": [{**dataclasses.asdict(f), "text": f.format()} for f in findings],
    }


def crashed(code: int, why: str) -> dict:
    """The report of a build process that ended without sending one."""
    text = f"<site>: BUILD001 the build process {why} (run `make html` to see what happened)"
    finding = {
        "path": "<site>",
        "line": 0,
        "code": "BUILD001",
        "severity": "error",
        "message": f"the build process {why}",
        "hint": "run `make html` to see what happened",
        "text": text,
    }
    return {"code": code or 1, "seconds": 0.0, "pages": 0, "findings": [finding]}


def build_here(settings_file: str, overrides: dict) -> dict:
    """Run one build in this process and report it."""
    from ..runtime.build import build

    started = time.perf_counter()
    try:
        code = build(settings_file, overrides=dict(overrides))
    finally:
        sys.stdout.flush()
        sys.stderr.flush()
    return report(code, started)


def _overrides(extra: list[str], preview: dict) -> dict | None:
    from ..runtime.build import pelican_overrides

    found = pelican_overrides(extra)
    return None if found is None else {**found, **preview}


# -- the build host -------------------------------------------------------------------------------


def warm_up() -> None:
    """Load what every build needs and the first build may not have loaded in this process (its
    language checks run in a worker on large sites): textstat's pronouncing dictionary."""
    from ..checks.readability import textstat

    textstat().smog_index("Load the pronouncing dictionary now. Every build needs it.")


def host(commands, results, settings_file: str, overrides: dict) -> int:
    """Answer each command line with a build report line: the first build here, later ones in children."""
    from ..runtime import memo

    memo.enable()  # the first build's per-page check results serve every child (sitekit.runtime.memo)
    warm_up()
    first = True
    for line in commands:
        if json.loads(line).get("quit"):
            break
        if first:
            result = build_here(settings_file, overrides)
            first = False
            _settle()
        else:
            result = build_in_child(settings_file, overrides, close=(commands.fileno(), results.fileno()))
        results.write(json.dumps(result) + "\n")
        results.flush()
    return 0


def _settle() -> None:
    """Drop the first build's state before forking (build() forgets it first thing anyway) and keep
    what is left out of the children's garbage collections, so their memory stays shared."""
    from ..core.diagnostics import DIAG
    from ..runtime.state import RUN

    RUN.start({})
    DIAG.reset()
    gc.collect()
    gc.freeze()


def build_in_child(settings_file: str, overrides: dict, close: tuple[int, ...] = ()) -> dict:
    """Fork; the child closes ``close`` (the host's pipes), runs one build, writes its report to a file
    and exits. A file, not a pipe: a process the build started (its worker) cannot keep it open."""
    fd, name = tempfile.mkstemp(prefix="sitekit-report-", suffix=".json")
    os.close(fd)
    sys.stdout.flush()
    sys.stderr.flush()
    pid = os.fork()
    if pid == 0:  # the child: one build, then leave without running the host's clean-ups
        code = 70
        try:
            for fd in close:
                os.close(fd)
            _preview_child()
            result = build_here(settings_file, overrides)
            Path(name).write_text(json.dumps(result), encoding="utf-8")
            code = result["code"]
        except BaseException:  # noqa: BLE001 - whatever happens, the child must not return into the host
            import traceback

            traceback.print_exc()
        finally:
            sys.stdout.flush()
            sys.stderr.flush()
            os._exit(code)
    try:
        _pid, status = os.waitpid(pid, 0)
        data = Path(name).read_text(encoding="utf-8")
    finally:
        Path(name).unlink(missing_ok=True)
    if data:
        return json.loads(data)
    if os.WIFSIGNALED(status):
        return crashed(1, f"was stopped by signal {os.WTERMSIG(status)}")
    return crashed(os.waitstatus_to_exitcode(status), "ended without a report")


def _preview_child() -> None:
    """In a build child: `_leave_replaced`."""
    _leave_replaced()


def _leave_replaced() -> None:
    """The preview server deletes the replaced output folder after the page is shown (sitekit.preview.serve.Trash)."""
    from ..runtime import build

    build.REMOVE_REPLACED = False


# -- the preview server's side --------------------------------------------------------------------


class BuildsClosedError(Exception):
    """The builds were stopped (Ctrl-C) while one was waited for."""


class Builds:
    """Run preview builds, one at a time, each in a fresh process; `build` blocks and returns a report."""

    def __init__(self, settings_file: str, extra: list[str], preview: dict):
        self.settings_file = str(settings_file)
        self.extra = list(extra)
        self.preview = dict(preview)
        self.closed = False

    def _command(self, *mode: str) -> list[str]:
        return [
            sys.executable,
            "-m",
            "sitekit.preview.rebuild",
            *mode,
            "-s",
            self.settings_file,
            "--preview",
            json.dumps(self.preview),
            "--",
            *self.extra,
        ]

    def build(self) -> dict:
        raise NotImplementedError

    def restart(self) -> None:
        """The plugins or settings changed: later builds must not use code imported before."""

    def close(self) -> None:
        raise NotImplementedError


class ForkedBuilds(Builds):
    """Builds forked from a warm build host (POSIX)."""

    def __init__(self, settings_file: str, extra: list[str], preview: dict):
        super().__init__(settings_file, extra, preview)
        self.proc: subprocess.Popen | None = None
        self.commands = self.results = None
        self.lock = threading.Lock()  # `close` (another thread) sees every host that was started

    def _start(self) -> None:
        with self.lock:
            if self.closed:
                raise BuildsClosedError
            self._spawn()

    def _spawn(self) -> None:
        cmd_read, cmd_write = os.pipe()
        res_read, res_write = os.pipe()
        try:
            self.proc = subprocess.Popen(
                self._command("--host", str(cmd_read), str(res_write)),
                pass_fds=(cmd_read, res_write),
                stdin=subprocess.DEVNULL,
                env=_env(),
                start_new_session=True,  # its own process group: Ctrl-C reaches the server, which stops it
            )
        finally:
            os.close(cmd_read)
            os.close(res_write)
        self.commands = os.fdopen(cmd_write, "w", encoding="utf-8")
        self.results = os.fdopen(res_read, "r", encoding="utf-8")

    def build(self) -> dict:
        for _attempt in range(2):  # a host that died (killed, out of memory) is replaced once
            if self.closed:
                raise BuildsClosedError
            if self.proc is None or self.proc.poll() is not None:
                self._stop()
                self._start()
            try:
                self.commands.write('{"build": true}\n')
                self.commands.flush()
                line = self.results.readline()
            except (OSError, ValueError):
                line = ""
            if line:
                return json.loads(line)
            self._stop()
            if self.closed:
                raise BuildsClosedError
        return crashed(1, "ended twice without a report")

    def restart(self) -> None:
        self._stop()

    def close(self) -> None:
        """Stop the host and its build now; called from another thread, the waiting `build` then ends."""
        with self.lock:
            self.closed = True
            proc = self.proc
        if proc is not None:
            stop_group(proc)

    def _stop(self) -> None:
        proc, self.proc = self.proc, None
        if proc is not None:
            stop_group(proc)
        for stream in (self.commands, self.results):
            if stream is not None:
                with contextlib.suppress(OSError):
                    stream.close()
        self.commands = self.results = None


class SubprocessBuilds(Builds):
    """A plain `python -m sitekit.preview.rebuild --once` per build: where fork() is missing, or on request."""

    def __init__(self, settings_file: str, extra: list[str], preview: dict):
        super().__init__(settings_file, extra, preview)
        self.proc: subprocess.Popen | None = None
        self.lock = threading.Lock()

    def build(self) -> dict:
        if self.closed:
            raise BuildsClosedError
        fd, name = tempfile.mkstemp(prefix="sitekit-build-", suffix=".json")
        os.close(fd)
        try:
            with self.lock:
                if self.closed:
                    raise BuildsClosedError
                self.proc = subprocess.Popen(
                    self._command("--once", name), stdin=subprocess.DEVNULL, start_new_session=True, env=_env()
                )
            code = self.proc.wait()
            if self.closed:
                raise BuildsClosedError
            data = Path(name).read_text(encoding="utf-8")
            return json.loads(data) if data else crashed(code, "ended without a report")
        finally:
            self.proc = None
            Path(name).unlink(missing_ok=True)

    def close(self) -> None:
        with self.lock:
            self.closed = True
            proc = self.proc
        if proc is not None:
            stop_group(proc)


def start_builds(settings_file, extra: list[str], preview: dict, fork: bool | None = None) -> Builds:
    """Forked builds where the system has fork(), else (or with fork=False) one subprocess per build."""
    if fork is None:
        fork = hasattr(os, "fork")
    kind = ForkedBuilds if fork else SubprocessBuilds
    return kind(str(settings_file), list(extra), dict(preview))


def _env() -> dict:
    """The build processes import sitekit from this checkout's plugins/, however the server was started."""
    plugins = str(Path(__file__).resolve().parents[2])
    path = os.environ.get("PYTHONPATH", "")
    return {**os.environ, "PYTHONPATH": plugins + (os.pathsep + path if path else "")}


def stop_group(proc: subprocess.Popen) -> None:
    """Stop a process started in a process group of its own, and everything it started: SIGTERM to the
    group (a build then cleans up), and after GRACE_SECONDS, SIGKILL to whatever is left."""
    if not hasattr(os, "killpg"):  # no process groups (Windows): stop the process itself
        with contextlib.suppress(OSError):
            proc.kill()
        proc.wait()
        return
    pgid = proc.pid  # started with start_new_session=True: its own group, even after it has exited
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(pgid, signal.SIGTERM)
    deadline = time.monotonic() + GRACE_SECONDS
    while time.monotonic() < deadline:
        proc.poll()  # reap the leader
        if not group_alive(pgid):
            break
        time.sleep(0.02)
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(pgid, signal.SIGKILL)
    proc.wait()


def group_alive(pgid: int) -> bool:
    """Whether a process of the group still runs. Zombies do not count: a build child whose host was
    stopped first waits for the system to collect it, which can take a while."""
    proc_root = Path("/proc")
    if not proc_root.is_dir():  # not Linux: any member, even a zombie, counts
        try:
            os.killpg(pgid, 0)
        except (ProcessLookupError, PermissionError):
            return False
        return True
    for entry in proc_root.iterdir():
        if not entry.name.isdigit():
            continue
        try:
            fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
        except (OSError, IndexError):
            continue
        if int(fields[2]) == pgid and fields[0] != "Z":
            return True
    return False


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(prog="python -m sitekit.preview.rebuild", description=__doc__.split("\n")[0])
    mode = parser.add_mutually_exclusive_group(required=True)
    mode.add_argument("--host", nargs=2, type=int, metavar=("COMMANDS_FD", "RESULTS_FD"))
    mode.add_argument("--once", metavar="REPORT_JSON")
    parser.add_argument("-s", "--settings", required=True)
    parser.add_argument("--preview", default="{}", help="JSON of settings the preview server adds")
    parser.add_argument("extra", nargs="*", help="Pelican's own options (PELICANOPTS)")
    args = parser.parse_args(argv)
    overrides = _overrides(args.extra, json.loads(args.preview))
    if overrides is None:
        return 2
    if args.once:
        _leave_replaced()
        result = build_here(args.settings, overrides)
        Path(args.once).write_text(json.dumps(result), encoding="utf-8")
        return result["code"]
    commands = os.fdopen(args.host[0], "r", encoding="utf-8")
    results = os.fdopen(args.host[1], "w", encoding="utf-8")
    return host(commands, results, args.settings, overrides)


if __name__ == "__main__":
    sys.exit(main())
