"""The preview's search index: Pagefind, run after the new page is on screen, kept outside output/.

A preview build skips Pagefind (about 0.2 s on the real site, 6 s on 1,000 articles) so the browser
can show the new page sooner; the preview server then indexes output/ into a folder of its own,
``.<output>-search/<n>/pagefind``, and serves ``/pagefind/...`` from it. Keeping the index out of
output/ means a later build's swap of output/ can never lose it or catch it half-written, and a
new index only replaces the old one once Pagefind has finished (the server switches folders). The
previous index stays readable, so a search page that loaded it keeps working until it reloads.
A save during indexing cancels it: the next build is indexed instead.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import subprocess
import sys
import threading
from collections.abc import Callable
from pathlib import Path

from .access import resolve


class SearchIndex:
    def __init__(self, output: Path):
        self.output = Path(output)
        self.base = self.output.with_name(f".{self.output.name}-search")
        self.lock = threading.Lock()
        self.folders: list[Path] = []  # newest first: the current index, then the one before
        self.runs = 0
        self.proc: subprocess.Popen | None = None
        shutil.rmtree(self.base, ignore_errors=True)  # what an earlier server left

    def run(self, cancelled: Callable[[], bool]) -> dict | None:
        """Index output/ now. None when cancelled; else {"ok": bool, "message": str}."""
        self.runs += 1
        folder = self.base / str(self.runs)
        cmd = [sys.executable, "-m", "pagefind", "--site", str(self.output), "--output-path", str(folder / "pagefind")]
        folder.mkdir(parents=True, exist_ok=True)
        log = folder / "pagefind.log"
        with open(log, "w", encoding="utf-8") as out:
            self.proc = subprocess.Popen(
                [*cmd, "--silent"], stdout=out, stderr=subprocess.STDOUT, start_new_session=True
            )
            try:
                code = None
                while code is None and not cancelled():
                    try:
                        code = self.proc.wait(0.05)
                    except subprocess.TimeoutExpired:
                        pass
                if code is None or cancelled():  # a newer build is coming, or the server is stopping
                    stop_group(self.proc)
                    shutil.rmtree(folder, ignore_errors=True)
                    return None
            finally:
                self.proc = None
        if code != 0 or not (folder / "pagefind" / "pagefind.js").is_file():
            message = " ".join(log.read_text(encoding="utf-8", errors="replace").split())[:300] or "no output"
            shutil.rmtree(folder, ignore_errors=True)
            return {"ok": False, "message": message}
        with self.lock:
            self.folders.insert(0, folder)
            old, self.folders = self.folders[2:], self.folders[:2]
        for gone in old:
            shutil.rmtree(gone, ignore_errors=True)
        return {"ok": True, "message": ""}

    def lookup(self, rel: str) -> Path | None:
        """The file for /pagefind/<rel> (``rel`` as sent, still percent-encoded): from the newest index
        that has it, never a file outside the index (sitekit.preview.access.resolve)."""
        with self.lock:
            folders = list(self.folders)
        for folder in folders:
            path = resolve(folder / "pagefind", rel)
            if path is not None and path.is_file():
                return path
        return None

    def close(self) -> None:
        proc = self.proc
        if proc is not None:
            with contextlib.suppress(OSError):
                stop_group(proc)


#: How long a stopped Pagefind run gets to end before it is killed.
GRACE_SECONDS = 0.5


def stop_group(proc: subprocess.Popen) -> None:
    """Stop a process started in a process group of its own (start_new_session), and what it started."""
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(proc.pid, signal.SIGTERM)
    try:
        proc.wait(GRACE_SECONDS)
    except subprocess.TimeoutExpired:
        pass
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(proc.pid, signal.SIGKILL)  # whatever of the group is left
    proc.wait()
