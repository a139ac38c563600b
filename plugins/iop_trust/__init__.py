"""What lets a reader judge a page and question it: the help page, corrections, the report link and
the facts only the site owner can give.

- The crisis banner links to the full help page (data/crisis.yaml `help_page`) and to each line's
  card on it. Its address is known only once Pelican has read every page, so it joins the template
  context here, in `all_generators_finalized`, before anything is written (IOP_HELP_URL).
- data/corrections.yaml: each entry shows at the end of the page it corrected (`doc.corrections`)
  and on the corrections page (IOP_CORRECTIONS, theme/templates/corrections.html). A correction
  describes a change; it is not part of the page's review fingerprint (the change itself is).
- What the site says about itself follows the build: `::: site-state show=review` (how many guides
  a clinician has checked) and `show=report` (what the report link does) are markers that are
  filled in here, once every page's review state is known (IOP_REVIEW_SUMMARY, also used by the home
  page), so a page kept in the reader cache still says what this build knows.
- Placeholders `[TO FILL IN: ...]` mark facts only the site owner can give: who publishes the site,
  who pays for it, the address for readers' reports (IOP_REPORT_EMAIL). A preview build shows them
  highlighted and lists them (OWN001); a publish build refuses them (OWN002), naming file and line.
"""

from __future__ import annotations

import re
from pathlib import Path

from pelican import signals

from sitekit.checks import review
from sitekit.checks.publishing import siteurl_problem
from sitekit.core.diagnostics import DIAG
from sitekit.core.lang import DEFAULT
from sitekit.core.pages import content_rel
from sitekit.core.settings import PLACEHOLDER_RE, placeholders
from sitekit.data.schema import as_date
from sitekit.runtime.state import RUN

FILL_IN_HINT = "replace it with the real fact before publishing; README.md, 'For the site owner', lists them all"


def start(pelican) -> None:
    """The report link needs a real address; until then the template shows the placeholder. A publish
    build needs the site's real address (EDT001)."""
    settings = pelican.settings
    email = settings["IOP_REPORT_EMAIL"]
    settings["IOP_REPORT_ADDRESS"] = None if PLACEHOLDER_RE.search(email) else email
    if settings["IOP_PUBLISH"]:
        problem = siteurl_problem(settings.get("SITEURL", ""))
        if problem:
            DIAG.error(
                "EDT001",
                None,
                0,
                problem,
                "put the site's https:// address in SITEURL in publishconf.py, or run "
                "SITEURL=https://your.domain make publish",
            )


def finalized(generators) -> None:
    if RUN.data is None or not generators:
        return
    settings = RUN.settings
    context = generators[0].context  # one dict, shared by every generator and template
    by_source = {}
    for generator in generators:
        for attr in ("articles", "pages", "hidden_pages", "translations"):
            for item in getattr(generator, attr, None) or []:
                rel = content_rel(item.source_path, settings["PATH"])
                if rel is not None:
                    by_source[rel] = item
    context["IOP_HELP_URL"] = _help_url(by_source)
    context["IOP_CORRECTIONS"] = _corrections(by_source)
    context["IOP_REVIEW_SUMMARY"] = summary = review.summary(
        item for generator in generators for item in getattr(generator, "articles", None) or []
    )
    _placeholders(settings, by_source)
    _site_state(generators[0].env, settings, summary, by_source)  # after: its placeholder is marked already


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


def _corrections(by_source: dict) -> list[dict]:
    """Every correction, newest first; each also goes on the page it corrected."""
    entries = []
    for entry in RUN.data.corrections:
        item = by_source.get(entry["page"])
        entries.append(
            {
                "date": as_date(entry["date"]),
                "page": entry["page"],
                "what": entry["what"],
                "why": entry["why"],
                "url": item.url if item is not None else None,
                "title": item.title if item is not None else None,
            }
        )
    entries.sort(key=lambda e: e["date"], reverse=True)
    for rel, item in by_source.items():
        item.corrections = [e for e in entries if e["page"] == rel]
    return entries


SITE_STATE_RE = re.compile(r'<p data-site-state="(review|report)"></p>')


def _site_state(env, settings: dict, summary: dict, by_source: dict) -> None:
    """Write the sentence of every `::: site-state` marker (sitekit.content.blocks.site_state), in the page's
    language and about the guides of that language (a Spanish page counts the Spanish guides)."""
    template = env.get_template("partials/site_state.html")
    views = RUN.edition_views
    said: dict[str, dict] = {}

    def sentences(lang: str) -> dict:
        if lang not in said:
            macros = template.make_module({"page_lang": lang})  # `_()` reads the language from page_lang
            view = views.get(lang)
            shown = {
                "review": macros.review(summary if lang == DEFAULT or view is None else view.review_summary),
                "report": macros.report(settings.get("IOP_REPORT_ADDRESS"), settings["IOP_REPORT_EMAIL"]),
            }
            said[lang] = {show: f"<p>{' '.join(str(text).split())}</p>" for show, text in shown.items()}
        return said[lang]

    for item in by_source.values():
        html = getattr(item, "_content", None)
        if html and "data-site-state" in html:
            mine = sentences(getattr(item, "lang", None) or DEFAULT)
            item._content = SITE_STATE_RE.sub(lambda m, mine=mine: mine[m.group(1)], str(html))


def _placeholders(settings: dict, by_source: dict) -> None:
    publish = settings["IOP_PUBLISH"]
    email = settings["IOP_REPORT_EMAIL"]
    if PLACEHOLDER_RE.search(email):
        _report(publish, None, 0, f"setting IOP_REPORT_EMAIL is the placeholder '{email}'")
    for item in by_source.values():
        path = Path(item.source_path)
        info = RUN.pages.get(str(path))  # the reader noted them as it read the file
        found = info.placeholders if info is not None else _in_file(path)
        for number, text in found:
            _report(publish, path, number, f"placeholder '{text}'")
        if found and getattr(item, "_content", None):
            item._content = _mark(item._content)


def _in_file(path: Path) -> list[tuple[int, str]]:
    try:
        return placeholders(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError):  # the reader has reported it already
        return []


def _mark(html: str) -> str:
    """Highlight every placeholder in a page's HTML, so a preview shows clearly what is missing."""
    return PLACEHOLDER_RE.sub(lambda m: f'<mark class="fill-in">{m.group(0)}</mark>', str(html))


def _report(publish: bool, path, line: int, what: str) -> None:
    if publish:
        DIAG.error("OWN002", path, line, f"{what} must be filled in before publishing", FILL_IN_HINT)
    else:
        DIAG.warning("OWN001", path, line, f"{what}: the site owner must fill it in", "a publish build refuses it")


def register() -> None:
    signals.initialized.connect(start)
    signals.all_generators_finalized.connect(finalized)
