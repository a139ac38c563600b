"""Start the build: reset its state, check the settings, load and validate ``data/``.

This plugin comes first in PLUGINS: its `initialized` handler is where every build starts, under
`python -m sitekit build` and under plain `pelican` alike.
"""

from __future__ import annotations

from pelican import signals

from sitekit.content import jinja
from sitekit.core.settings import today
from sitekit.data.load import load_site_data
from sitekit.runtime.state import RUN


def start(pelican) -> None:
    settings = pelican.settings
    RUN.start(settings)
    jinja.configure(settings)
    data = load_site_data(settings["IOP_DATA_PATH"], today(settings), content=settings["PATH"])
    RUN.data = data
    crisis = data.crisis or {}
    settings["IOP_CRISIS"] = crisis
    settings["IOP_CRISIS_BANNER_ACTIONS"] = banner_actions(crisis)
    settings["IOP_REVIEWERS"] = data.reviewers
    settings["IOP_CARE_LEVELS"] = data.levels


def banner_actions(crisis: dict) -> list[dict]:
    """The banner's buttons: the actions of its lines, calls and texts first, then web links.

    Buttons flow like words on a phone; the short ones first keep 988 (call, text) and 911 on one
    row and the long chat link on the next, so the banner stays small."""
    actions = [
        {**action, "lang": action.get("lang") or line.get("lang")}
        for line in crisis.get("lines", [])
        if line.get("in_banner")
        for action in line["actions"]
        if action.get("banner") is not False
    ]
    return sorted(actions, key=lambda action: action["href"].startswith("https:"))


def register() -> None:
    signals.initialized.connect(start)
