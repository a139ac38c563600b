"""Start the build: reset its state, check the settings, guard the output folder and what the build
reads, load and validate ``data/``.

This plugin comes first in PLUGINS: its `initialized` handler is where every build starts, under
`python -m sitekit build` and under plain `pelican` alike. Pelican sends `initialized` before
`Pelican.run` empties OUTPUT_PATH and walks content/: a refused output folder or symlink
(sitekit.runtime.paths) stops the build here, before anything is read, written or deleted. Under plain
`pelican` this is also where the build takes the output folder's lock and turns to a staging folder
(sitekit.runtime.build.stage), which iop_output.verdict puts in the output folder's place if it is clean.
"""

from __future__ import annotations

import atexit
import shutil
import sys
from contextlib import ExitStack
from pathlib import Path

from pelican import signals

from sitekit.content import i18n, jinja
from sitekit.core.diagnostics import DIAG
from sitekit.core.lang import language
from sitekit.core.settings import today
from sitekit.data.load import load_site_data
from sitekit.data.translations import load_editions
from sitekit.runtime import paths
from sitekit.runtime.build import stage
from sitekit.runtime.guard import GatesFailedError
from sitekit.runtime.state import RUN


def start(pelican) -> None:
    settings = pelican.settings
    RUN.start(settings)
    guard_paths(pelican)
    jinja.configure(settings)
    data = load_site_data(settings["IOP_DATA_PATH"], today(settings), content=settings["PATH"])
    RUN.data = data
    # Each translation's data (data/<lang>/), and the theme's words in every language for `_()`.
    RUN.editions = load_editions(data, settings["IOP_LANGUAGES"], today(settings), content=settings["PATH"])
    RUN.catalogs = i18n.Catalogs(
        texts={lang: e.ui for lang, e in RUN.editions.items()},
        files={lang: e.file("ui.yaml") for lang, e in RUN.editions.items()},
        lines={lang: e.ui_lines for lang, e in RUN.editions.items()},
    )
    i18n.use(RUN.catalogs)
    settings["JINJA_GLOBALS"] = {
        **settings.get("JINJA_GLOBALS", {}),
        "_": i18n.gettext,
        "lang_of": i18n.lang_of,
        "notice_details": i18n.notice_details,
    }
    settings["JINJA_FILTERS"] = {**settings.get("JINJA_FILTERS", {}), "long_date": long_date}
    if RUN.editions:
        i18n.check(RUN.catalogs, Path(settings["THEME"]) / "templates", setting_texts(settings))
    crisis = data.crisis or {}
    settings["IOP_CRISIS"] = crisis
    settings["IOP_CRISIS_BANNER_ACTIONS"] = banner_actions(crisis)
    settings["IOP_REVIEWERS"] = data.reviewers
    settings["IOP_CARE_LEVELS"] = data.levels


def long_date(day, lang: str = "en") -> str:
    """A date as readers of the page's language write it (`{{ day|long_date(page_lang) }}`)."""
    return language(lang).long_date(day)


def setting_texts(settings: dict) -> dict[str, tuple[str, int]]:
    """The settings' texts every page shows (site name, tagline, sections, footer links): they need a
    translation as the templates' texts do; reported at pelicanconf.py."""
    where = (str(Path(settings["IOP_ROOT"]) / "pelicanconf.py"), 0)
    texts = [settings.get("SITENAME", ""), settings.get("SITE_TAGLINE", "")]
    texts += list(settings.get("SECTIONS", []))
    texts += [label for label, _url in settings.get("FOOTER_LINKS", [])]
    return {text: where for text in texts if text}


def guard_paths(pelican) -> None:
    """Refuse an output folder the build must not delete, and symlinks that lead out of the project;
    mark the output folder as this build's (kept through Pelican's own emptying of it)."""
    settings = pelican.settings
    problems = []
    if not settings.get("IOP_DRIVER"):  # `sitekit build` checked its real output before making its staging folder
        problems += [("GRD001", None, *p) for p in paths.output_problems(settings["OUTPUT_PATH"], settings)]
    problems += paths.link_problems(settings)
    if problems:
        pelican.delete_outputdir = False  # whatever happens next, Pelican's own deletion never runs
        for code, path, message, hint in problems:
            DIAG.error(code, path, 0, message, hint)
        if not settings.get("IOP_DRIVER"):  # plain `pelican`: nobody else will print the findings
            print(DIAG.summary(), file=sys.stderr)
        raise GatesFailedError(len(DIAG.errors))
    if not settings.get("IOP_DRIVER"):
        # Plain `pelican` writes a staging folder too, as `sitekit build` does: output/ is replaced only by a
        # build with no error (iop_output.verdict), one build at a time, never by another kind of build.
        hold = ExitStack()
        RUN.cleanups.append(hold.close)  # the lock, released when the build ends
        try:
            staging = stage(settings, Path(settings["OUTPUT_PATH"]).resolve(), hold, sys.stderr)
        except GatesFailedError:
            print(DIAG.summary(), file=sys.stderr)
            raise
        RUN.staging = pelican.output_path = staging
        atexit.register(shutil.rmtree, staging, True)  # a build stopped by an exception leaves nothing behind
    paths.write_marker(settings["OUTPUT_PATH"])
    if not hasattr(pelican, "output_retention"):
        raise RuntimeError(
            "this Pelican has no Pelican.output_retention, which keeps the output folder's marker "
            f"({paths.MARKER}) when Pelican empties the folder; pin the Pelican version of requirements.txt"
        )
    pelican.output_retention = [*(pelican.output_retention or ()), paths.MARKER]


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
