"""Start the build: reset its state, check the settings, load and validate ``data/``.

This plugin comes first in PLUGINS: its `initialized` handler is where every build starts, under
`python -m sitekit build` and under plain `pelican` alike.
"""

from __future__ import annotations

from pelican import signals

from sitekit import jinja
from sitekit.data import load_site_data
from sitekit.settings import today
from sitekit.state import RUN


def start(pelican) -> None:
    settings = pelican.settings
    RUN.start(settings)
    jinja.configure(settings)
    data = load_site_data(settings["IOP_DATA_PATH"], today(settings))
    RUN.data = data
    crisis = data.crisis or {}
    settings["IOP_CRISIS"] = crisis
    settings["IOP_CRISIS_BANNER_LINES"] = [line for line in crisis.get("lines", []) if line.get("in_banner")]
    settings["IOP_REVIEWERS"] = data.reviewers
    settings["IOP_CARE_LEVELS"] = data.levels


def register() -> None:
    signals.initialized.connect(start)
