"""Load and validate ``data/`` once per build and put it into the template context."""

from __future__ import annotations

from pelican import signals

from sitekit.data import load_site_data
from sitekit.run import RUN


def load(pelican) -> None:
    RUN.settings = pelican.settings
    data = load_site_data(pelican.settings["IOP_DATA_PATH"])
    RUN.data = data
    pelican.settings["CRISIS"] = data.crisis or {}
    pelican.settings["CRISIS_BANNER_LINES"] = [
        line for line in (data.crisis or {}).get("lines", []) if line.get("in_banner")]
    pelican.settings["REVIEWERS"] = data.reviewers
    pelican.settings["CARE_LEVELS"] = data.levels


def register() -> None:
    signals.initialized.connect(load)
