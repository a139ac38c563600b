"""Translations (issue 28): the pages of each language, their English pages, and the drift gate.

Pelican's own translation support pairs the pages: a page under content/es/ has `lang: es` (the reader
sets it from the folder) and the slug of its English page, so Pelican lists each as the other's
translation and writes the Spanish one under /es/ (ARTICLE_LANG_URL). This plugin adds what a health
site needs on top of that:

- Each translated page's record (`translated_from:`): its English page, who translated it and who
  checked the language (data/<lang>/translators.yaml), and the pin: the English page's fingerprint
  when the translation was last checked against it, with its snapshot (sitekit.checks.drift).
- The drift gate: when the English page's fingerprint no longer matches the pin, the translation has
  drifted. The build names each English change at its file and line (TRN030). A preview build shows
  the page with a notice (TRN031); `make publish` withholds it and publishes in its place a short page
  in the same language with the crisis lines and a link to the English page (TRN032,
  translation_stub.html), which needs no clinical sign-off. `make translate-pin` records a new pin.
- What pages in each language show around their content (IOP_EDITIONS: home, sections, search,
  crisis banner, footer), the language's home, section and search pages (EditionGenerator), and the
  hreflang sets (IOP_ALTERNATES): a page and its current translation name each other, themselves and
  the English page as x-default; a page whose translation has drifted has none.

Runs before iop_review (PLUGINS order): a withheld page is not sent to the review gate.
"""

from __future__ import annotations

import html as html_lib
import re
from dataclasses import dataclass, field

from markupsafe import Markup, escape
from pelican import signals
from pelican.contents import Page
from pelican.generators import Generator
from pelican.utils import slugify

from sitekit.checks import drift, review
from sitekit.content.i18n import N_
from sitekit.core.diagnostics import DIAG, did_you_mean
from sitekit.core.lang import DEFAULT, LANGUAGES, Language, language
from sitekit.core.pages import content_rel
from sitekit.data.translations import marker_problems
from sitekit.runtime.guard import guarded
from sitekit.runtime.state import RUN
from sitekit.text import dated

#: How many English changes the build lists per drifted page (the pin command shows all of them).
MAX_CHANGES = 5
#: Texts of the pages this plugin writes, for the translation check (sitekit.content.i18n).
TEXTS = [
    N_("translation"),
    N_("transcreation"),
    N_("About page"),  # the corrections page's sentence links it (about_link)
    N_("How we review pages"),  # the review line at the end of a page links the editorial policy (review_link)
    N_("%(page)s (in English)"),  # a link of a translation to a page that is only in English
    # The review notice's headlines (sitekit.checks.review): a page in Spanish shows them in Spanish.
    N_("A clinician has not yet checked this page."),
    N_("A clinician has not yet checked the latest changes to this page."),
    N_("This page is due for another check by a clinician."),
    N_("It changed after a clinician checked it on %(date)s."),
    N_("Its next check was due on %(date)s."),
]


@dataclass
class TranslationState:
    """What the build knows about one translated page and its English page."""

    lang: str
    source: str = ""  # the English page, under content/
    english: object = None  # its PageInfo
    english_url: str = ""
    english_title: str = ""
    method: str = ""
    translator: dict | None = None
    language_reviewer: dict | None = None
    pinned: bool = False  # a pin was recorded (not sha256:pending)
    untrusted: str = ""  # why the pin cannot be trusted (TRN023)
    current: bool = False  # the pin matches the English page now
    withheld: bool = False  # publish: replaced by the short page
    changes: list = field(default_factory=list)  # sitekit.checks.drift.Change, when drifted
    stub_lines: list = field(default_factory=list)  # the crisis lines the short page shows
    stub_sections: list = field(default_factory=list)  # (id, English heading) the short page keeps as anchors
    stub_tiers: list = field(default_factory=list)


# -- the pages: languages, records, drift ----------------------------------------------------------------


def _rel(path) -> str:
    return content_rel(str(path), RUN.settings["PATH"]) or str(path)


@guarded
def articles(generator) -> None:
    _translations(generator, "articles", "translations")
    _translations(generator, "hidden_articles", "hidden_translations")


@guarded
def pages(generator) -> None:
    _translations(generator, "pages", "translations")
    _translations(generator, "hidden_pages", "hidden_translations")


def _translations(generator, originals: str, translations: str) -> None:
    if RUN.data is None:
        return
    items, others = getattr(generator, originals), getattr(generator, translations)
    # A page in another language with no English page of the same slug is still a translation: it is
    # never listed with the English pages (its record names the English page it lacks: TRN021).
    strays = [item for item in items if getattr(item, "lang", DEFAULT) != DEFAULT]
    if strays:
        items[:] = [item for item in items if item not in strays]
        others.extend(strays)
    by_source = {_rel(item.source_path): item for item in [*items, *others]}
    for item in others:
        info = RUN.pages.get(str(item.source_path))
        if info is None or not info.front_matter:
            continue
        state = _state(item, info, by_source)
        item.translation_state = state
        info.translation = state
        if state.current and state.english is not None:
            english_item = by_source.get(state.source)
            if english_item is not None:
                english_item.current_translations = [*getattr(english_item, "current_translations", []), item]


def _state(item, info, by_source: dict) -> TranslationState:
    settings = RUN.settings
    state = TranslationState(info.lang)
    fm = info.front_matter
    record = fm.get("translated_from")
    if not record:
        DIAG.error(
            "TRN020",
            info.path,
            fm.line if hasattr(fm, "line") else 1,
            f"a page in {LANGUAGES[info.lang].name} has no 'translated_from:' record",
            'add translated_from: with source (the English page), fingerprint: "sha256:pending", method, '
            "translator and language_reviewer (README, 'Translations')",
        )
        return state
    edition = RUN.editions.get(info.lang)
    people = edition.translators if edition is not None else {}
    state.source = str(record["source"])
    state.method = str(record["method"])
    for role in ("translator", "language_reviewer"):
        who = record.get(role)
        if who not in people:
            DIAG.error(
                "TRN022",
                info.path,
                record.line_of(role),
                f"unknown {role.replace('_', ' ')} '{who}'",
                did_you_mean(who, people) or f"add them to data/{info.lang}/translators.yaml first",
            )
        setattr(state, role, people.get(who))
    if record.get("translator") == record.get("language_reviewer"):
        DIAG.error(
            "TRN022",
            info.path,
            record.line_of("language_reviewer"),
            "the language reviewer is the translator",
            "the language is checked by a fluent speaker who did not translate the page (content-standards.md es.6)",
        )
    english_item = by_source.get(state.source)
    english = RUN.pages.get(str(english_item.source_path)) if english_item is not None else None
    if english_item is None or getattr(english_item, "lang", DEFAULT) != DEFAULT:
        DIAG.error(
            "TRN021",
            info.path,
            record.line_of("source"),
            f"source '{state.source}' is not an English page of this build",
            did_you_mean(state.source, [k for k, v in by_source.items() if getattr(v, "lang", DEFAULT) == DEFAULT])
            or "name the English page's file under content/, e.g. guides/what-is-iop.md",
        )
        return state
    if english_item.slug != item.slug:
        DIAG.error(
            "TRN021",
            info.path,
            fm.line_of("slug") if "slug" in fm else record.line_of("source"),
            f"the page's slug '{item.slug}' is not its English page's '{english_item.slug}'",
            "give the translation the English page's file name (or slug): Pelican pairs them by it",
        )
    state.english, state.english_url, state.english_title = english, english_item.url, english_item.title
    _citations(info, english)
    _dated_markers(info, english, record)
    pinned = str(record["fingerprint"])
    state.pinned = pinned != drift.PENDING
    now = drift.digest(drift.translated_payload(english, RUN.data.references))
    publish = settings["IOP_PUBLISH"]
    if state.pinned:
        snap, problem = drift.read_pin(drift.pin_file(settings["IOP_DATA_PATH"], info.lang, state.source), pinned)
        if snap is None:
            DIAG.error(
                "TRN023",
                info.path,
                record.line_of("fingerprint"),
                f"the pin on {state.source} cannot be trusted: {problem}",
                f"pin it again: make translate-pin PAGE={DIAG.relpath(info.path)} REVIEWER=id",
            )
            state.pinned, state.untrusted = False, problem
        else:
            state.current = pinned == now
            if not state.current:
                state.changes = drift.changes(snap, english, RUN.data.references, RUN.data, _data_folder())
    if not state.current:
        _report_drift(info, record, state, publish)
    if publish:
        for role in ("translator", "language_reviewer"):
            person = getattr(state, role)
            if person is not None and person.get("example"):
                DIAG.error(
                    "TRN026",
                    info.path,
                    record.line_of(role),
                    f"cannot be published: its {role.replace('_', ' ')} is an example person, not a real one",
                    f"add the real person to data/{info.lang}/translators.yaml and name them here",
                )
        if not state.current:
            state.withheld = True
            item.template = "translation_stub"
            state.stub_sections = _sections(item, english_item)
            crisis = (RUN.data_for(info.lang) or RUN.data).crisis or {}
            state.stub_lines = [line for line in crisis.get("lines", []) if line["id"] in ("lifeline", "emergency")]
            state.stub_tiers = [
                t for t in crisis.get("tiers", []) if any(ln["tier"] == t["id"] for ln in state.stub_lines)
            ]
    return state


_ANCHORED = re.compile(
    r'<(h[23])\b[^>]*\bid="([^"]+)"[^>]*>(.*?)</\1>|<div class="faq" id="([^"]+)">\s*<h3[^>]*>(.*?)</h3>', re.S
)
_TAG = re.compile(r"<[^>]+>")


def _sections(item, english_item) -> list[tuple[str, str]]:
    """The sections and questions of a withheld page that the English page has too: (id, English words).
    The short page keeps each id, as a link to that part of the English page, so a link from another page
    to '#where-to-complain' still arrives somewhere useful (and the link check still finds the anchor)."""

    def anchored(html: str) -> dict:
        out = {}
        for m in _ANCHORED.finditer(str(html or "")):
            ident, words = (m.group(2), m.group(3)) if m.group(2) else (m.group(4), m.group(5))
            out.setdefault(ident, " ".join(html_lib.unescape(_TAG.sub("", words)).split()))
        return out

    mine, theirs = anchored(getattr(item, "_content", "")), anchored(getattr(english_item, "_content", ""))
    return [(ident, theirs[ident]) for ident in mine if theirs.get(ident)]


def _data_folder() -> str:
    return DIAG.relpath(RUN.settings["IOP_DATA_PATH"])


def _report_drift(info, record, state: TranslationState, publish: bool) -> None:
    page = DIAG.relpath(info.path)
    pin = f"make translate-pin PAGE={page} REVIEWER=id"
    hint = (
        f"make the same change in {page}, then record it with {pin}; if the change needs none in the translation, "
        "a language reviewer records that with the same command"
        if state.pinned
        else f"compare the translation with {state.source}, then pin it: {pin}"
    )
    for change in state.changes[:MAX_CHANGES]:
        DIAG.warning("TRN030", change.path, change.line, f"changed since {page} was pinned: {change.describe()}", hint)
    if state.pinned:
        first = state.changes[0] if state.changes else None
        where = f"; first change {DIAG.relpath(first.path)}:{first.line} {first.describe()}" if first else ""
        count = f"{len(state.changes)} change{'s' * (len(state.changes) != 1)}"
        what = f"the English page {state.source} changed since this translation was pinned ({count}{where})"
    elif state.untrusted:
        what = f"its pin on {state.source} cannot be trusted (TRN023)"
    else:
        what = f"this translation has not been pinned to its English page {state.source} yet"
    if publish:
        DIAG.warning(
            "TRN032",
            info.path,
            record.line_of("fingerprint"),
            f"withheld: {what}; a short page with the crisis lines and a link to the English page is published "
            "in its place",
            hint,
        )
    else:
        DIAG.warning("TRN031", info.path, record.line_of("fingerprint"), f"shown with a notice: {what}", hint)


def _dated_markers(info, english, record) -> None:
    """The page shows the dated facts of its English page, each with its marker (sitekit.text.dated); the
    FAQ answers and other records are checked in their data files (sitekit.data.translations)."""

    def text_of(page) -> str:
        fm = page.front_matter or {}
        points = fm.get("key_points") or []
        return "\n".join([str(fm.get("title", "")), str(fm.get("summary", "")), *map(str, points), page.body or ""])

    lines: dict[str, int] = {}
    for ident, line in getattr(english, "dated_lines", []):
        lines.setdefault(ident, line)
    page = DIAG.relpath(english.path)

    def where(ident: str) -> str:
        return f"{page}:{lines[ident]}" if ident in lines else page

    for message, hint in marker_problems(dated.fact_ids(text_of(english)), dated.fact_ids(text_of(info)), where):
        DIAG.error("TRN027", info.path, record.line_of("source"), message, hint)


def _citations(info, english) -> None:
    """Same sources as the English page, and nothing more but sources in the page's own language."""
    references = RUN.data.references
    mine, theirs = set(info.cited), set(english.cited)
    for key in sorted(mine - theirs):
        if (references.get(key) or {}).get("language") != info.lang:
            DIAG.error(
                "TRN024",
                info.path,
                _cited_line(info, key),
                f"cites '{key}', which its English page does not cite",
                "a translation states the English page's facts with its sources; it may add a source in its own "
                f"language (language: {info.lang} in data/references.yaml) beside them for the same fact",
            )
    for key in sorted(theirs - mine):
        DIAG.warning(
            "TRN025",
            info.path,
            info.body_line + 1,  # the body's first line (body_line is the front matter's closing '---')
            f"does not cite '{key}', which its English page cites",
            "keep every [@key] on the sentence that carries the same claim",
        )


def _cited_line(info, key: str) -> int:
    needle = f"@{key}"
    return next((n for n, text in info.prose_lines if needle in text), info.body_line)


# -- what every page in a language shows around its content -------------------------------------------------


@dataclass
class Section:
    key: str  # the English section's slug (the Pelican category), which pages name
    name: str
    slug: str
    url: str
    articles: list = field(default_factory=list)

    @property
    def save_as(self) -> str:
        return self.url + "index.html"


@dataclass
class EditionView:
    """What pages in one language show around their content (IOP_EDITIONS[lang])."""

    lang: Language
    site_name: str
    tagline: str
    home: str
    search: str
    sections: list
    crisis: dict
    banner_actions: list
    help_url: str | None
    footer_links: list
    about_link: Markup  # "our About page", in a sentence (corrections.html)
    review_link: Markup  # "How we review pages": the editorial policy (partials/review.html)
    review_summary: dict
    pages: list = field(default_factory=list)  # its guides in this build (published ones in publish)
    present: bool = False  # the build writes pages in this language (its home and search page with them)

    def section(self, key: str) -> Section:
        found = next((s for s in self.sections if s.key == key), None)
        return found or Section(key, key, key, f"{self.lang.prefix}{self.lang.sections_folder}/{key}/")

    def section_url(self, key: str) -> str:
        return self.section(key).url

    def section_name(self, key: str) -> str:
        return self.section(key).name


@guarded
def finalized(generators) -> None:
    if RUN.data is None or not generators:
        return
    from iop_data import banner_actions

    settings = RUN.settings
    context = generators[0].context
    articles = [a for g in generators for a in getattr(g, "articles", None) or []]
    translations = [a for g in generators if hasattr(g, "articles") for a in getattr(g, "translations", None) or []]
    # Every page of the build, by its file under content/: where the help pages are found.
    everything = {
        _rel(item.source_path): item
        for g in generators
        for attr in ("articles", "translations", "pages", "hidden_pages", "hidden_translations")
        for item in getattr(g, attr, None) or []
    }
    catalogs = RUN.catalogs
    views = {}
    alternates: dict[str, list] = {}
    siteurl = settings.get("SITEURL", "")
    for code in settings["IOP_LANGUAGES"]:
        lang = language(code)
        t = (lambda text, code=code: catalogs.translate(text, code)) if catalogs is not None else (lambda text: text)
        guides = articles if code == DEFAULT else [a for a in translations if a.lang == code and _listed(a)]
        data = RUN.data_for(code)
        crisis = (data.crisis if data is not None else None) or {}
        sections = []
        for name in settings.get("SECTIONS", []):
            members = sorted((a for a in guides if a.category.name == name), key=lambda a: a.order)
            if not members:
                continue
            key = members[0].category.slug
            shown = t(name)
            slug = key if code == DEFAULT else slugify(shown, settings.get("SLUG_REGEX_SUBSTITUTIONS", []))
            sections.append(Section(key, shown, slug, f"{lang.prefix}{lang.sections_folder}/{slug}/", members))
        footer = [_edition_link(everything, code, label, url, t) for label, url in settings.get("FOOTER_LINKS", [])]
        help_page = crisis.get("help_page")
        help_item = everything.get(help_page) if help_page else None
        views[code] = EditionView(
            lang=lang,
            site_name=t(settings.get("SITENAME", "")),
            tagline=t(settings.get("SITE_TAGLINE", "")),
            home=lang.prefix,
            search=f"{lang.prefix}{lang.search_folder}/",
            sections=sections,
            crisis=crisis,
            banner_actions=banner_actions(crisis),
            help_url=help_item.url if help_item is not None and not _withheld(help_item) else None,
            footer_links=footer,
            about_link=_anchor(siteurl, code, _edition_link(everything, code, "About page", "about/", t, titled=False)),
            review_link=_anchor(
                siteurl,
                code,
                _edition_link(everything, code, "How we review pages", "editorial-policy/", t, titled=False),
            ),
            review_summary=review.summary(guides),
            pages=guides,
            present=code == DEFAULT or any(getattr(x, "lang", DEFAULT) == code for x in everything.values()),
        )
    for code, view in views.items():
        if code != DEFAULT and view.present and view.help_url is None:
            crisis_file = RUN.editions[code].file("crisis.yaml")
            DIAG.error(
                "CRISIS007",
                crisis_file,
                view.crisis.line_of("help_page") if hasattr(view.crisis, "line_of") else 0,
                f"help_page '{view.crisis.get('help_page')}' is not a current page of this build, so the "
                f"{view.lang.name} crisis banner cannot link to it",
                "publish the help page in this language (bring its translation up to date) or name another page",
            )
    # hreflang: each page and its current translations; the language's home, search and sections too.
    for item in [*articles, *[p for g in generators for p in getattr(g, "pages", None) or []]]:
        current = getattr(item, "current_translations", None) or []
        if current:
            group = [item, *current]
            _pair(alternates, [(getattr(x, "lang", DEFAULT), x.url) for x in group], item.url)
    editions = [v for c, v in views.items() if c != DEFAULT and v.present]
    english = views.get(DEFAULT)
    if english is not None:
        for view in editions:
            _pair(alternates, [(DEFAULT, english.home), (view.lang.code, view.home)], english.home)
            _pair(alternates, [(DEFAULT, english.search), (view.lang.code, view.search)], english.search)
            for section in view.sections:
                mine = english.section(section.key)
                if mine in english.sections:
                    _pair(alternates, [(DEFAULT, mine.url), (view.lang.code, section.url)], mine.url)
    context["IOP_EDITIONS"] = views
    context["IOP_ALTERNATES"] = alternates
    RUN.edition_views = views


def _listed(item) -> bool:
    state = getattr(item, "translation_state", None)
    return state is None or not state.withheld


def _edition_link(everything: dict, code: str, label: str, url: str, t, titled: bool = True) -> dict:
    """A link of an edition to one of the site's own pages (a footer link; the About page and the editorial
    policy named in a sentence): to the page in the edition's language when there is a current one
    (es/privacy/), labelled by its title (`titled`, as the footer is) or by `label` in that language; else
    to the English page, and its label says so: "Correcciones (en inglés)". A withheld translation (its
    English page changed since it was pinned) is not current: its short page is no page to send a reader to."""
    if code == DEFAULT:
        return {"label": t(label), "url": url, "lang": DEFAULT}
    slug = url.strip("/")
    for item in everything.values():
        if (
            isinstance(item, Page)
            and getattr(item, "lang", DEFAULT) == code
            and item.slug == slug
            and not _withheld(item)
        ):
            return {"label": item.title if titled else t(label), "url": item.url, "lang": code}
    return {"label": t("%(page)s (in English)") % {"page": t(label)}, "url": url, "lang": DEFAULT}


def _anchor(siteurl: str, code: str, link: dict) -> Markup:
    """An `_edition_link` as a link inside a sentence of a page in ``code``: hreflang when it leads to a page
    in another language (as the footer's links)."""
    lang = f' hreflang="{escape(link["lang"])}"' if link["lang"] != code else ""
    return Markup(f'<a href="{escape(siteurl)}/{escape(link["url"])}"{lang}>{escape(link["label"])}</a>')


def _withheld(item) -> bool:
    state = getattr(item, "translation_state", None)
    return bool(state is not None and state.withheld)


def _pair(alternates: dict, members: list[tuple[str, str]], default_url: str) -> None:
    """Give every member the same set: each member (itself included) and x-default, the English page."""
    group = [{"hreflang": code, "url": url, "lang": code, "name": LANGUAGES[code].name} for code, url in members] + [
        {"hreflang": "x-default", "url": default_url, "lang": None, "name": ""}
    ]
    for _code, url in members:
        alternates[url] = group


# -- the home, section and search pages of the other languages ------------------------------------------------


class SectionKey:
    """What category.html is handed for a section of another language: the English section's slug."""

    def __init__(self, slug: str):
        self.slug = slug


class EditionGenerator(Generator):
    """Writes /es/ (home), /es/secciones/<section>/ and /es/buscar/ from the English pages' templates."""

    def generate_context(self) -> None:
        pass

    def generate_output(self, writer) -> None:
        views = RUN.edition_views
        for code, view in views.items():
            if code == DEFAULT or not view.present:
                continue
            write = _safe_write(writer, self.context)
            write(f"{view.home}index.html", self.get_template("index"), page_lang=code)
            for section in view.sections:
                write(section.save_as, self.get_template("category"), page_lang=code, category=SectionKey(section.key))
            write(f"{view.search}index.html", self.get_template("search"), page_lang=code)


def _safe_write(writer, context):
    def write(name, template, **values):
        writer.write_file(name, template, context, relative_urls=RUN.settings.get("RELATIVE_URLS", False), **values)

    return write


def get_generators(_pelican):
    return EditionGenerator


def register() -> None:
    signals.article_generator_pretaxonomy.connect(articles)
    signals.page_generator_finalized.connect(pages)
    signals.all_generators_finalized.connect(finalized)
    signals.get_generators.connect(get_generators)
