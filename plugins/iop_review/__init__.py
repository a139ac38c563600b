"""Gate pages on clinical review, before taxonomies are built.

Preview: every page is built; a page awaiting review gets a visible notice and `noindex`.
Publish: such a page fails the build (REVW010), or with IOP_REVIEW_UNREVIEWED = "exclude" it is
left out (and the link check then catches any published page that still links to it).
"""

from __future__ import annotations

from pelican import signals

from sitekit.checks.review import evaluate
from sitekit.core.diagnostics import DIAG
from sitekit.core.settings import today
from sitekit.runtime.guard import guarded
from sitekit.runtime.state import RUN


def _gate(generator, items_attr: str) -> None:
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
        if info is None or not info.front_matter or info.front_matter.get("clinical") is False:
            kept.append(item)
            continue
        withheld = getattr(item, "translation_state", None)
        if withheld is not None and withheld.withheld:  # iop_lang publishes a short page in its place
            kept.append(item)
            continue

        def report(code, line, message, hint, path=info.path):
            DIAG.error(code, path, line, message, hint)

        state = evaluate(info, data.reviewers, data.references, day, report)
        if publish and state.approved and state.example:
            state.reasons.append("signed off by an example reviewer, not a real clinician")
            state.headline = "A clinician has not yet checked this page."
            state.approved = False
        item.review_state = state
        info.review = state
        if publish and state.pending:
            if exclude:
                DIAG.warning("REVW011", info.path, 0, f"left out of the published site: {state.reason}")
                continue
            DIAG.error(
                "REVW010",
                info.path,
                0,
                f"cannot be published: {state.reason}",
                "a clinician signs off with `make approve PAGE=... REVIEWER=id`",
            )
        kept.append(item)
    # In place: Pelican has already put this very list into the template context.
    items[:] = kept


@guarded
def articles(generator) -> None:
    _gate(generator, "articles")
    _gate(generator, "translations")  # each translation has its own sign-off, pinned to its own fingerprint


@guarded
def pages(generator) -> None:
    _gate(generator, "pages")
    # Hidden pages (the 404 page) are written too, so they carry a notice in preview as well.
    _gate(generator, "hidden_pages")
    _gate(generator, "translations")


def register() -> None:
    signals.article_generator_pretaxonomy.connect(articles)
    signals.page_generator_finalized.connect(pages)
