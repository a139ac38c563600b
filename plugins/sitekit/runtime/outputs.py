"""Which kind of build owns an output folder: a preview (`make html`, `make serve`: output/) or a
publish build (`make publish`: public/). Every build marks its folder with sitekit.runtime.paths.MARKER
(the guards' contract: a folder without it is never emptied); the kind is one more line in it,
``kind: preview`` or ``kind: publish``. A build refuses to replace a folder another kind of build wrote
(EDT004), so a preview can never overwrite a publish build, whatever its settings say, nor a publish build
land in a preview's folder that someone might deploy by mistake.
"""

from __future__ import annotations

from pathlib import Path

from .paths import MARKER, MARKER_TEXT

PREVIEW = "preview"
PUBLISH = "publish"


def kind_of(folder: Path) -> str | None:
    """The kind of build that wrote ``folder`` ('preview' or 'publish'), or None (no marker, no kind)."""
    try:
        text = (Path(folder) / MARKER).read_text(encoding="utf-8")
    except OSError:
        return None
    for line in text.splitlines():
        if line.startswith("kind: "):
            return line.removeprefix("kind: ").strip()
    return None


def mark(folder: Path, kind: str) -> None:
    (Path(folder) / MARKER).write_text(f"{MARKER_TEXT}kind: {kind}\n", encoding="utf-8")


def conflict(final: Path, kind: str) -> str | None:
    """Why a ``kind`` build may not replace ``final``, or None."""
    other = kind_of(final)
    if other is None or other == kind:
        return None
    if kind == PREVIEW:
        return f"{final.name}/ holds a publish build (make publish); a preview build never replaces it"
    return f"{final.name}/ holds a preview build (make html, make serve); a publish build never goes there"
