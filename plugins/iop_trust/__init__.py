"""What lets a reader judge a page and question it, starting with the help page the banner links to.

The crisis banner links to the full help page (data/crisis.yaml `help_page`) and to each line's
card on it. Its address is known only once Pelican has read every page, so it joins the template
context here, in `all_generators_finalized`, before anything is written (IOP_HELP_URL).
"""

from __future__ import annotations

from pathlib import Path

from pelican import signals

from sitekit.diagnostics import DIAG
from sitekit.state import RUN


def finalized(generators) -> None:
    if RUN.data is None or not generators:
        return
    settings = RUN.settings
    context = generators[0].context  # one dict, shared by every generator and template
    content = Path(settings["PATH"]).resolve()
    by_source = {}
    for generator in generators:
        for attr in ("articles", "pages", "hidden_pages"):
            for item in getattr(generator, attr, None) or []:
                try:
                    rel = Path(item.source_path).resolve().relative_to(content).as_posix()
                except ValueError:
                    continue
                by_source[rel] = item
    context["IOP_HELP_URL"] = _help_url(by_source)


def _help_url(by_source: dict) -> str | None:
    crisis = RUN.data.crisis or {}
    page = crisis.get("help_page")
    if not page:
        return None
    item = by_source.get(page)
    if item is None:
        DIAG.error(
            "CRISIS007",
            RUN.data.file("crisis.yaml"),
            crisis.line_of("help_page"),
            f"help_page '{page}' is not part of this build, so the crisis banner cannot link to it",
            "publish the help page (it may have been left out awaiting review) or name another page",
        )
        return None
    return item.url


def register() -> None:
    signals.all_generators_finalized.connect(finalized)
