"""The user's cache folder for what any build may reuse and checks before use (textstat's syllable
counts): ``$XDG_CACHE_HOME/iop-site`` or ``~/.cache/iop-site``. Only files named by what they hold,
so it cannot grow with every build (compiled templates of temporary test sites would)."""

from __future__ import annotations

import os
from pathlib import Path


def folder(name: str) -> Path:
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "iop-site" / name
