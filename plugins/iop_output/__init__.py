"""Check every written HTML page (sitekit.outputcheck); give the verdict when the build ends."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import urlparse

from pelican import signals

from sitekit.outputcheck import OutputChecker
from sitekit.run import RUN


class _State:
    checker: OutputChecker | None = None


STATE = _State()


def start(pelican) -> None:
    STATE.checker = OutputChecker(Path(pelican.settings["OUTPUT_PATH"]).resolve(),
                                  urlparse(pelican.settings.get("SITEURL") or "").netloc)


def written(path, context) -> None:
    if str(path).endswith(".html"):
        RUN.written.append(str(path))
        if STATE.checker is not None:
            STATE.checker.check_page(path)


def finish(pelican) -> None:
    checker = STATE.checker
    if checker is None:
        return
    checker.finish(sorted(checker.root.rglob("*.css")))
    STATE.checker = None


def register() -> None:
    signals.initialized.connect(start)
    signals.content_written.connect(written)
    signals.finalized.connect(finish)
