"""`python -m sitekit serve` started as `make serve` starts it, for the tests and `make bench`: ready
when it says it is serving, idle when its state says nothing is pending, stopped as Ctrl+C stops it."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
#: Longer than anything takes on a busy machine: reaching it means a hang (tests/conftest.py HANG).
HANG = 300


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Preview:
    """`python -m sitekit serve` in a folder, as `make serve` starts it; stopped as Ctrl+C stops it."""

    def __init__(self, cwd: Path, settings: Path, plugins: Path = ROOT / "plugins", extra=()):
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        self.log: list[str] = []
        env = {**os.environ, "PYTHONPATH": str(plugins), "PYTHONDONTWRITEBYTECODE": "1"}
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "sitekit", "serve", "-s", str(settings), "--port", str(self.port), *extra],
            cwd=cwd,
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
            start_new_session=True,
        )
        self.ready = threading.Event()
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self) -> None:
        for line in self.proc.stdout:
            self.log.append(line)
            if line.startswith("Serving"):
                self.ready.set()

    def wait_ready(self, timeout: float = HANG) -> None:
        deadline = time.monotonic() + timeout
        while not self.ready.wait(0.2):
            if self.proc.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError("the preview server did not start:\n" + "".join(self.log[-30:]))

    def state(self) -> dict | None:
        """The server's state, or None when it does not answer (not started, or stopped). A slow answer on a
        busy machine is waited for, never taken for "not busy"."""
        try:
            with urllib.request.urlopen(self.base + "/__live/state", timeout=HANG) as r:  # noqa: S310 - our own server
                return json.load(r)
        except (ConnectionError, urllib.error.URLError) as exc:
            if isinstance(exc, urllib.error.URLError) and isinstance(exc.reason, TimeoutError):
                raise
            return None

    def wait_idle(self, timeout: float = HANG) -> None:
        """Until nothing is pending (or the server has stopped); past ``timeout``, a hang."""
        deadline = time.monotonic() + timeout
        while True:
            state = self.state()
            if state is None or not state["busy"]:
                return
            if time.monotonic() > deadline:
                raise RuntimeError(f"the preview server stayed busy for {timeout:g} s: {state}")
            time.sleep(0.05)

    def stop(self) -> None:
        import signal

        if self.proc.poll() is None:
            # SIGTERM, which the server takes as Ctrl+C: a process that a shell without job control starts
            # in the background ignores SIGINT, and so do its children (a server that would never stop).
            os.killpg(self.proc.pid, signal.SIGTERM)
            try:
                self.proc.wait(HANG)
            except subprocess.TimeoutExpired:
                os.killpg(self.proc.pid, signal.SIGKILL)
                self.proc.wait()
