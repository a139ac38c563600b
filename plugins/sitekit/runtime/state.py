"""The state of one build, shared by the plugins, in one object that is reset in one place.

`RUN.start(settings)` runs when Pelican starts a build (the `initialized` signal, connected by the
first plugin in PLUGINS): it checks the settings and clears the findings, the pages read, the worker
and every plugin's per-build state. Nothing else keeps state from one build to the next, so two
builds in one process (tests, `make approve`, the preview server) never see each other's pages.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..core.diagnostics import DIAG
from ..core.pages import PageInfo


@dataclass
class Run:
    settings: dict = field(default_factory=dict)
    data: Any = None  # sitekit.data.load.SiteData, loaded when the build starts
    editions: dict = field(default_factory=dict)  # language -> sitekit.data.translations.Edition
    catalogs: Any = None  # sitekit.content.i18n.Catalogs: the theme's words in each language
    edition_views: dict = field(default_factory=dict)  # language -> iop_lang.EditionView, once pages are read
    pages: dict[str, PageInfo] = field(default_factory=dict)  # source path -> what the reader learned
    written: list = field(default_factory=list)  # output HTML files of this build
    sitemap: list = field(default_factory=list)  # (path, lastmod, noindex) per written page
    cleanups: list = field(default_factory=list)  # called when the build ends, even if it failed
    lint: Any = None  # iop_lint's checks of this build
    output: Any = None  # iop_output's checker of this build
    pool: Any = None  # sitekit.runtime.pool.Pool of this build
    reader: Any = None  # iop_content's Markdown converter and partials environment, made once per build
    search: Any = None  # iop_publish.SearchIndex of this build, once the pages are written
    search_waiter: str | None = None  # the plugin that waits for it after its own checks (iop_output)
    unavailable: dict = field(default_factory=dict)  # address of a page that could not be read -> its file
    sources: dict = field(default_factory=dict)  # written page (relative to the output folder) -> its Markdown file
    final: Any = None  # the output folder this build replaces (sitekit.runtime.build.stage)
    staging: Any = None  # plain `pelican`: the folder it writes instead, put in final's place by iop_output.verdict
    changes: Any = None  # publish builds: (record to keep, report to print) of what changed since the last publish
    banner: Any = None  # sitekit.checks.review.ReviewState of the crisis banner's sign-off (iop_review)
    banners: dict = field(default_factory=dict)  # language -> the sign-off of that language's banner

    def start(self, settings: dict) -> None:
        """A build starts: forget everything about the previous one. The build driver calls this before
        Pelican starts (so Pelican's own start-up messages are kept); the `initialized` signal calls it
        again with the same settings, which changes nothing, or first, under plain `pelican`."""
        from ..core import codes
        from ..core import settings as site_settings
        from .pool import Pool

        if settings is self.settings:
            return
        self.stop()
        self.__init__()
        DIAG.reset(root=Path.cwd())  # findings name files relative to where the build was started
        self.settings = settings
        site_settings.apply(settings)
        promoted = frozenset(settings["IOP_PROMOTE_WARNINGS"]) | codes.REFUSED_BY_PUBLISH
        DIAG.promote = promoted if settings["IOP_PUBLISH"] else frozenset()
        DIAG.refused = codes.refused_by_publish(settings["IOP_PROMOTE_WARNINGS"])  # what a preview marks
        self.pool = Pool(settings, str(DIAG.root))
        _reset_pelican_log_filter()

    def stop(self) -> None:
        """The build ended (or failed): stop the worker and run the other clean-ups once."""
        if self.pool is not None:
            self.pool.stop()
        cleanups, self.cleanups = self.cleanups, []
        for cleanup in cleanups:
            cleanup()

    def data_for(self, lang: str):
        """The data a page in ``lang`` shows: the translation's records for a translated page."""
        if lang == "en":
            return self.data
        edition = self.editions.get(lang)
        return edition.data if edition is not None else None  # never the English records

    @property
    def root(self) -> Path:
        return Path(self.settings.get("IOP_ROOT", "."))


#: Pelican's LimitFilter keeps what it has seen in class attributes of its own (private names).
_LIMIT_FILTER_STATE = ("_ignore", "_raised_messages", "_group_count")


def _check_pelican_log_filter() -> None:
    from pelican import __version__
    from pelican.log import LimitFilter

    missing = [name for name in _LIMIT_FILTER_STATE if not hasattr(LimitFilter, name)]
    if missing:
        raise ImportError(
            f"sitekit.runtime.state: Pelican {__version__}'s LimitFilter has no {', '.join(missing)}, which "
            "every build resets (else a second build in one process loses its warnings); pin the Pelican "
            "version of requirements.txt, or update _reset_pelican_log_filter (tests/test_build.py tests it)"
        )


_check_pelican_log_filter()


def _reset_pelican_log_filter() -> None:
    """Pelican's LimitFilter drops a message it has seen before in this process; a second build
    would lose its warnings."""
    from pelican.log import LimitFilter

    LimitFilter._ignore = set()
    LimitFilter._raised_messages = set()
    LimitFilter._group_count = defaultdict(int)


RUN = Run()
