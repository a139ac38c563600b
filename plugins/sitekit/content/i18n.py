"""The theme's words in each language: `_("Key points")` in a template, gettext's rule.

The English text is written in the template, where it is read and changed; it is also the id of its
translation in ``data/<lang>/ui.yaml`` (sitekit.data.translations). `_()` is a template global that
knows the language of the page being rendered (`page_lang` in the template's context, else the
language of its article or page), so one template renders every language. A text with no translation
is an error at the template's line, found before anything is built (`check`: Jinja's own extractor,
`Environment.extract_translations`, reads every `_()` of every template), and a text the build asks
for at run time without a translation is an error too: a page in Spanish never shows English words.

Texts the build writes from Python (a block's headings, the names of the sections) are listed with
`N_()` where they are defined, so `check` knows them too.
"""

from __future__ import annotations

import inspect
import re
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from jinja2 import Environment, TemplateSyntaxError, pass_context
from jinja2.ext import extract_from_ast
from markupsafe import Markup, escape

from ..core.diagnostics import DIAG
from ..core.lang import DEFAULT, LANGUAGES

#: English text -> (file, line) of every text the build writes from Python (N_).
PYTHON_TEXTS: dict[str, tuple[str, int]] = {}


def N_(text: str) -> str:  # noqa: N802 - gettext's name for "mark for translation, translate later"
    """Mark a text the build shows from Python: `check` then requires its translation."""
    caller = inspect.currentframe().f_back
    PYTHON_TEXTS.setdefault(text, (caller.f_code.co_filename, caller.f_lineno))
    return text


def page_lang(ctx) -> str:
    """The language of what a template is rendering."""
    lang = ctx.get("page_lang")
    if lang:
        return lang
    doc = ctx.get("article") or ctx.get("page")
    return getattr(doc, "lang", None) or DEFAULT


@dataclass
class Catalogs:
    """Every translation of the theme's words: language -> {English text: translation}."""

    texts: dict = field(default_factory=dict)
    files: dict = field(default_factory=dict)  # language -> its ui.yaml, for messages
    lines: dict = field(default_factory=dict)  # language -> {English text: its line in ui.yaml}
    missing: set = field(default_factory=set)  # (language, text) reported at run time

    def translate(self, text: str, lang: str) -> str:
        if lang == DEFAULT:
            return text
        found = self.texts.get(lang, {}).get(text)
        if found is not None:
            return found
        if (lang, text) not in self.missing:
            self.missing.add((lang, text))
            DIAG.error(
                "ES013",
                self.files.get(lang),
                0,
                f"no {LANGUAGES[lang].name} text for '{text}', which a page in {lang} shows",
                f"add '- en: \"{text}\"' with its 'es:' to data/{lang}/ui.yaml",
            )
        return f"[{lang}: {text}]"


#: This build's catalogs (set by `use` when a build starts). `gettext` and `lang_of` are plain module
#: functions, not closures: Pelican's reader cache pickles the settings that hold them.
CATALOGS = Catalogs()


def use(catalogs: Catalogs) -> None:
    global CATALOGS
    CATALOGS = catalogs


@pass_context
def gettext(ctx, text: str, **variables) -> Markup:
    """The `_` of the templates (Jinja's "newstyle" gettext: `_("Hello %(name)s", name=x)`, escaped)."""
    shown = escape(CATALOGS.translate(str(text), page_lang(ctx)))
    return shown % variables if variables or "%" in shown else shown


@pass_context
def lang_of(ctx) -> str:
    """The language of what is being rendered, for `{% set page_lang = lang_of() %}`."""
    return page_lang(ctx)


@pass_context
def notice_details(ctx, state) -> list[str]:
    """The sentences under a review notice's headline, in the page's language. English pages show the
    review gate's own (sitekit.checks.review ReviewState.details); other languages say the same from its
    dates: changed after the sign-off, or past its next review."""
    lang = page_lang(ctx)
    if lang == DEFAULT:
        return list(state.details)
    out = []
    words = LANGUAGES[lang]
    for reason in state.reasons:
        if reason.startswith("changed since") and state.reviewed:
            text, day = "It changed after a clinician checked it on %(date)s.", state.reviewed
        elif reason.startswith("review overdue") and state.next_review:
            text, day = "Its next check was due on %(date)s.", state.next_review
        else:
            continue
        out.append(escape(CATALOGS.translate(text, lang)) % {"date": words.long_date(day)})
    return out


def template_texts(templates: Path) -> list[tuple[str, int, str]]:
    """(template file, line, English text) of every `_("...")` with a literal text in the theme."""
    found = []
    for path in sorted(Path(templates).rglob("*.html")):
        found += [(str(path), line, text) for line, text in _texts_in(path.read_text(encoding="utf-8"), str(path))]
    return found


@lru_cache(maxsize=256)
def _texts_in(source: str, path: str) -> tuple[tuple[int, str], ...]:
    """(line, English text) of one template's `_()` calls. Kept per template text: every build (each
    save in the preview) reads the theme again, and parsing it was a third of a small site's build."""
    try:
        tree = Environment(autoescape=True).parse(source, Path(path).name, path)
    except TemplateSyntaxError:
        return ()  # the build reports it at the template's line when it renders it (TPL001)
    found = []
    for line, _function, message in extract_from_ast(tree, gettext_functions=("_",)):
        if isinstance(message, tuple):  # _("... %(name)s", name=...): the text, then None per keyword
            message = message[0]
        if isinstance(message, str):
            found.append((line, message))
    return tuple(found)


_JINJA = re.compile(r"\{\{.*?\}\}|\{%.*?%\}|\{#.*?#\}", re.S)
_SKIPPED = re.compile(r"<(script|style)\b.*?</\1>|<!--.*?-->", re.S | re.I)
_TAG = re.compile(r"<[^>]*>", re.S)
#: Attributes whose words a reader hears or sees (screen readers read aria-label, alt and title).
_SPOKEN_ATTR = re.compile(r'\b(aria-label|alt|title|placeholder)="([^"]*)"')
_WORD = re.compile(r"[A-Za-z]{2,}")


def untranslatable(path: Path) -> list[tuple[int, str]]:
    """(line, text) of words a template writes as they are, outside `_()`: text between its tags and in
    the attributes a reader hears. In a page of another language they would be English words."""

    return list(_untranslatable_in(Path(path).read_text(encoding="utf-8")))


@lru_cache(maxsize=256)
def _untranslatable_in(source: str) -> tuple[tuple[int, str], ...]:
    def blank(m: re.Match, fill: str = "") -> str:
        return "\n" * m.group(0).count("\n") + fill  # keep the line numbers

    skeleton = _JINJA.sub(lambda m: blank(m, "\ue000"), source)
    skeleton = _SKIPPED.sub(blank, skeleton)
    found = []
    for tag in _TAG.finditer(skeleton):
        for attr in _SPOKEN_ATTR.finditer(tag.group(0)):
            if _WORD.search(attr.group(2)):
                found.append((skeleton[: tag.start()].count("\n") + 1, attr.group(0)))
    text = _TAG.sub(lambda m: blank(m, " "), skeleton)
    for number, line in enumerate(text.split("\n"), 1):
        words = re.sub(r"&\w+;", " ", line)
        if _WORD.search(words):
            found.append((number, " ".join(words.replace("\ue000", "…").split())))
    return tuple(sorted(found))


def check(catalogs: Catalogs, templates: Path, extra: dict[str, tuple[str, int]] | None = None) -> None:
    """Every text of the theme and of the build (PYTHON_TEXTS, ``extra``: settings such as SECTIONS)
    has its translation in every language: ES013 at the line that shows it. A translation no template
    or setting uses is a warning (ES014) at its line of ui.yaml."""
    for path in sorted(Path(templates).rglob("*.html")):
        for line, text in untranslatable(path):
            DIAG.error(
                "ES016",
                str(path),
                line,
                f"'{text}' is written as it is, so a page in another language would show it in English",
                'wrap the words in _("...") and add their translation to data/<lang>/ui.yaml',
            )
    wanted = [(path, line, text) for path, line, text in template_texts(templates)]
    wanted += [(path, line, text) for text, (path, line) in {**PYTHON_TEXTS, **(extra or {})}.items()]
    used = {text for _p, _l, text in wanted}
    for lang, texts in catalogs.texts.items():
        seen = set()
        for path, line, text in wanted:
            if text not in texts and (lang, text) not in seen:
                seen.add((lang, text))
                DIAG.error(
                    "ES013",
                    path,
                    line,
                    f"no {LANGUAGES[lang].name} text for '{text}'",
                    f"add '- en: \"{text}\"' with its 'es:' to data/{lang}/ui.yaml: a page in {lang} never "
                    "shows English words",
                )
        lines = catalogs.lines.get(lang, {})
        for text in texts:
            if text not in used:
                DIAG.warning(
                    "ES014",
                    catalogs.files.get(lang),
                    lines.get(text, 0),
                    f"'{text}' is translated but no template or setting shows it",
                    "remove the entry, or check the English text in the template (it must match exactly)",
                )
