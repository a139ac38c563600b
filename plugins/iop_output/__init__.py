"""Record every written HTML page; the output checks run over them (see sitekit.outputcheck)."""

from __future__ import annotations

from pelican import signals

from sitekit.run import RUN


def written(path, context) -> None:
    if str(path).endswith(".html"):
        RUN.written.append(str(path))


def register() -> None:
    signals.content_written.connect(written)
