"""Which kind of build owns an output folder: a preview (`make html`, `make serve`: output/) or a
publish build (`make publish`: public/). Each build writes `MARKER` into the folder it builds, saying
its kind; a build refuses to replace a folder another kind of build wrote (EDT004), so a preview can
never overwrite a publish build, whatever its settings say, nor a publish build land in a preview's
folder that someone might deploy by mistake.

(The guards helper validates output paths with a marker too; the marker's name is this one constant.)
"""

from __future__ import annotations

from pathlib import Path

#: The marker file a build writes into the output folder it built.
MARKER = ".sitekit-build"
PREVIEW = "preview"
PUBLISH = "publish"


def kind_of(folder: Path) -> str | None:
    """The kind of build that wrote ``folder`` ('preview' or 'publish'), or None (no marker, no folder)."""
    try:
        text = (Path(folder) / MARKER).read_text(encoding="utf-8").strip()
    except OSError:
        return None
    return text.split()[0] if text else None


def mark(folder: Path, kind: str) -> None:
    (Path(folder) / MARKER).write_text(f"{kind}\n", encoding="utf-8")


def conflict(final: Path, kind: str) -> str | None:
    """Why a ``kind`` build may not replace ``final``, or None."""
    other = kind_of(final)
    if other is None or other == kind:
        return None
    if kind == PREVIEW:
        return f"{final.name}/ holds a publish build (make publish); a preview build never replaces it"
    return f"{final.name}/ holds a preview build (make html, make serve); a publish build never goes there"
