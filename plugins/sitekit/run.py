"""State of the current build, shared by the plugins and reset at the start of every run."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from .data import SiteData


@dataclass
class Run:
    data: SiteData | None = None
    settings: dict = field(default_factory=dict)
    written: list = field(default_factory=list)  # output HTML files of this run
    sitemap: list = field(default_factory=list)  # (path, lastmod, noindex) per written page
    cleanups: list = field(default_factory=list)  # called when the build ends, even if it failed

    def reset(self) -> None:
        self.data = None
        self.settings = {}
        self.written = []
        self.sitemap = []
        self.cleanups = []

    @property
    def root(self) -> Path:
        return Path(self.settings.get("IOP_ROOT", "."))


RUN = Run()
