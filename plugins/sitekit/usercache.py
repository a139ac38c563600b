"""The user's cache folder for what any build may reuse and check before use (compiled templates,
textstat's syllable counts): ``$XDG_CACHE_HOME/iop-site`` or ``~/.cache/iop-site``."""

from __future__ import annotations

import os
from pathlib import Path


def folder(name: str) -> Path:
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "iop-site" / name
