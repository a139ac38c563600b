"""Gate pages on clinical review, before taxonomies are built; say what went back to review.

Every page is reviewed unless the site owner lists it in IOP_REVIEW_EXEMPT (a page with no health
content: it must cite nothing and show no data). The review state of each page, and of the crisis
banner and help lines shown on every page, comes from sitekit.checks.review (the one source of truth).

Preview: every page is built; a page awaiting review gets a visible notice and `noindex`; a page (or
the banner) that was signed off and is now pending is named with what changed (REVW020).
Publish: a page awaiting review fails the build (REVW010, with the same reasons), or with
IOP_REVIEW_UNREVIEWED = "exclude" it is left out (and the link check then catches any published page
that still links to it). The banner cannot be left out: the site is refused until it is signed (REVW023).
Dated facts and the crisis lines' monthly check are checked here too (sitekit.checks.dates).
"""

from __future__ import annotations

from pathlib import Path

from pelican import signals

from sitekit.checks import dates
from sitekit.checks.review import SIGNOFFS, evaluate, evaluate_banner, exempt
from sitekit.core.diagnostics import DIAG
from sitekit.core.lang import LANGUAGES
from sitekit.core.pages import content_rel
from sitekit.core.settings import today
from sitekit.runtime.guard import guarded
from sitekit.runtime.state import RUN

#: Blocks an exempt page may show: help lines, and sentences about the site itself.
NOT_CLINICAL_BLOCKS = ("crisis-help", "site-state")


def _gate(generator, items_attr: str, guides: bool) -> None:
    data = RUN.data
    if data is None:
        return
    settings = RUN.settings
    publish = settings["IOP_PUBLISH"]
    exclude = settings["IOP_REVIEW_UNREVIEWED"] == "exclude"
    day = today(settings)
    items = getattr(generator, items_attr)
    kept = []
    for item in items:
        info = RUN.pages.get(str(item.source_path))
        if info is None or not info.front_matter:
            kept.append(item)
            continue
        fm = info.front_matter
        info.url = str(getattr(item, "url", "") or "")
        if "clinical" in fm:
            DIAG.error(
                "REVW021",
                info.path,
                fm.line_of("clinical"),
                "'clinical:' does not take a page out of clinical review",
                "remove it; the site owner lists pages with no health content in IOP_REVIEW_EXEMPT (pelicanconf.py)",
            )
        rel = content_rel(info.path, RUN.settings["PATH"])
        if rel is not None and exempt(rel, settings):
            _check_exempt(info, guides)
            kept.append(item)
            continue
        withheld = getattr(item, "translation_state", None)
        if withheld is not None and withheld.withheld:  # iop_lang publishes a short page in its place
            kept.append(item)
            continue

        def report(code, line, message, hint, path=info.path):
            DIAG.error(code, path, line, message, hint)

        state = evaluate(
            info,
            data.reviewers,
            data.references,
            day,
            report,
            publish=publish,
            signoffs=data.path / SIGNOFFS,
            subject=rel,
        )
        item.review_state = state
        info.review = state
        if state.went_back and not publish:
            DIAG.warning(
                "REVW020",
                info.path,
                0,
                f"went back to review: {state.reason}",
                "a clinician reads the change on the review desk (make review) and signs again with make approve",
            )
        if publish and state.pending:
            if exclude:
                DIAG.warning("REVW011", info.path, 0, f"left out of the published site: {state.reason}")
                continue
            DIAG.error(
                "REVW010",
                info.path,
                0,
                f"cannot be published: {state.reason}",
                "a clinician reads it on the review desk (make review) and signs with `make approve PAGE=... "
                "REVIEWER=id`",
            )
        kept.append(item)
    # In place: Pelican has already put this very list into the template context.
    items[:] = kept


def _check_exempt(info, guide: bool) -> None:
    """A page the owner took out of review must carry nothing clinical, and cannot be a guide."""
    if guide:
        DIAG.error(
            "FM024",
            info.path,
            1,
            "a guide cannot be on IOP_REVIEW_EXEMPT: every guide is signed off by a clinician",
            "take it off IOP_REVIEW_EXEMPT in pelicanconf.py",
        )
        return
    shown = [use.name for use in info.blocks if use.name not in NOT_CLINICAL_BLOCKS]
    # The crisis lines' own sources (shown by ::: crisis-help full=yes) are not clinical content.
    help_keys = {
        k for use in info.blocks if use.name == "crisis-help" for r in use.shown for k in r.get("citations", [])
    }
    cited = [k for k in info.cited if k not in help_keys]
    what = (
        "cites sources"
        if cited
        else f"shows {', '.join(shown)}"
        if shown
        else "shows a dated fact"
        if info.dated
        else ""
    )
    if what:
        DIAG.error(
            "FM024",
            info.path,
            1,
            f"this page is on IOP_REVIEW_EXEMPT but {what}, so it is clinical content and needs a sign-off",
            "take it off IOP_REVIEW_EXEMPT in pelicanconf.py so a clinician reviews it, or take the clinical "
            "content out",
        )


@guarded
def articles(generator) -> None:
    _gate(generator, "articles", guides=True)
    _gate(generator, "translations", guides=True)  # each translation has its own sign-off, on its own text


@guarded
def pages(generator) -> None:
    _gate(generator, "pages", guides=False)
    # Hidden pages (the 404 page) are written too, so they carry a notice in preview as well.
    _gate(generator, "hidden_pages", guides=False)
    _gate(generator, "translations", guides=False)


@guarded
def site(_generators) -> None:
    """What every page shares: the crisis banner's sign-off, the dated facts, the owner's list."""
    data = RUN.data
    if data is None:
        return
    settings = RUN.settings
    publish = settings["IOP_PUBLISH"]
    day = today(settings)
    _exempt_list(settings)
    if "crisis.yaml" in data.docs:
        file = data.file("crisis.yaml")

        def report(code, line, message, hint):
            DIAG.error(code, file, line, message, hint)

        state = RUN.banner = evaluate_banner(
            data.crisis, data.reviewers, day, report, publish=publish, signoffs=data.path / SIGNOFFS
        )
        what = "the crisis banner and help lines (on every page)"
        if state.went_back and not publish:
            DIAG.warning(
                "REVW020",
                file,
                0,
                f"{what} went back to review: {state.reason}",
                "a clinician reads the change on the review desk and signs with make approve PAGE=data/crisis.yaml",
            )
        if publish and state.pending:
            DIAG.error(
                "REVW023",
                file,
                0,
                f"{what} cannot be published: {state.reason}",
                "a clinician signs them with `make approve PAGE=data/crisis.yaml REVIEWER=id`",
            )
        for report_ in dates.crisis_reports(data.crisis, str(file), day, publish):
            DIAG.report(*report_)
    _translated_banners(data, day, publish)
    if "dated_facts.yaml" in data.docs:
        shown: dict[str, list[str]] = {}
        for info in RUN.pages.values():
            lines = {}
            for ident, line in info.dated_lines:
                lines.setdefault(ident, []).append(line)
            for ident in info.dated:
                at = ",".join(map(str, lines.get(ident, [])))
                shown.setdefault(ident, []).append(DIAG.relpath(info.path) + (f":{at}" if at else ""))
        for ident, places in data.dated_places.items():
            for name, line, what in places:
                shown.setdefault(ident, []).append(f"{DIAG.relpath(data.file(name))}:{line} ({what})")
        for report_ in dates.fact_reports(data.dated, str(data.file("dated_facts.yaml")), shown, day, publish):
            DIAG.report(*report_)


def _translated_banners(data, day, publish: bool) -> None:
    """Each translation's banner and help lines (data/<lang>/crisis.yaml) are signed like the English ones:
    on every page of that language, one sign-off of their own (issue 28)."""
    for lang, edition in RUN.editions.items():
        if "crisis.yaml" not in edition.docs or not edition.data.crisis:
            continue
        if not any(info.lang == lang for info in RUN.pages.values()):
            continue  # no page shows it yet
        file = edition.file("crisis.yaml")

        def report(code, line, message, hint, file=file):
            DIAG.error(code, file, line, message, hint)

        state = RUN.banners[lang] = evaluate_banner(
            edition.data.crisis, data.reviewers, day, report, publish=publish, signoffs=data.path / SIGNOFFS / lang
        )
        what = f"the crisis banner and help lines in {LANGUAGES[lang].name} (on every page in that language)"
        sign = f"make approve PAGE={DIAG.relpath(file)} REVIEWER=id"
        if state.went_back and not publish:
            DIAG.warning(
                "REVW020", file, 0, f"{what} went back to review: {state.reason}", f"a clinician signs with {sign}"
            )
        if publish and state.pending:
            DIAG.error(
                "REVW023", file, 0, f"{what} cannot be published: {state.reason}", f"a clinician signs them with {sign}"
            )


def _exempt_list(settings: dict) -> None:
    content = Path(settings["PATH"])
    for rel in settings.get("IOP_REVIEW_EXEMPT") or ():
        if not (content / rel).is_file():
            DIAG.warning(
                "REVW022",
                None,
                0,
                f"IOP_REVIEW_EXEMPT names '{rel}', which is not a page under {content}",
                "give the Markdown file under content/, e.g. pages/privacy.md, or take it off the list",
            )


def register() -> None:
    signals.article_generator_pretaxonomy.connect(articles)
    signals.page_generator_finalized.connect(pages)
    signals.all_generators_finalized.connect(site)
