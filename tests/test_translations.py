"""The Spanish edition (issue 28) on fixture sites with fixture Spanish data (tests/fixtures/data/es):
the drift gate and its short page in publish, the re-pin command, each translation's own sign-off,
hreflang, a missing Spanish string at its file and line, the Spanish lint and reading ease."""

from __future__ import annotations

import datetime as dt
import json
import re
import shutil
from pathlib import Path
from urllib.parse import urlparse

import pytest

from conftest import FIXTURE_EXEMPT, ROOT, Site, make_site
from sitekit.commands.approve import approve
from sitekit.commands.pin import rewrite_record, translate_pin

SPANISH_GUIDE = """
---
title: Una guía pequeña
summary: Una guía que usan las pruebas.
date: 2026-01-01
category: Understanding IOP
translated_from:
  source: guides/small.md
  fingerprint: "sha256:pending"
  method: transcreation
  translator: fixture-translator
  language_reviewer: fixture-language-reviewer
review:
  status: in_review
---
El IOP da a los adultos de 9 a 19 horas de atención a la semana[@asam-criteria-3rd-2013].
"""

SPANISH_HELP = """
---
title: Obtenga ayuda ahora
summary: Líneas de crisis y de ayuda.
translated_from:
  source: pages/get-help-now.md
  fingerprint: "sha256:pending"
  method: transcreation
  translator: fixture-translator
  language_reviewer: fixture-language-reviewer
---
::: crisis-help full=yes
"""


def spanish_site(site, pin: bool = True, approved: bool = True):
    """The fixture site with a Spanish guide and a Spanish help page, pinned and signed off."""
    site.write("content/es/guides/small.md", SPANISH_GUIDE)
    site.write("content/es/pages/get-help-now.md", SPANISH_HELP)
    site.exempt.append("es/pages/get-help-now.md")  # the owner's list, as for the English help page
    if approved:  # one batch, one build
        sign_off(site, "content/guides/small.md", "content/es/guides/small.md", "data/es/crisis.yaml")
    if pin:
        repin(site)
    return site


@pytest.fixture(scope="module")
def spanish_once(tmp_path_factory):
    """`spanish_site` pinned and signed off (one approve build, one pin), once for the module: the folder,
    which holds nothing that names it (each test gets a copy: `spanish`)."""
    site = spanish_site(make_site(tmp_path_factory.mktemp("spanish")))
    (site.root / "siteconf.py").unlink()  # each copy writes its own
    return site.root


@pytest.fixture
def spanish(spanish_once, tmp_path):
    """A copy of the fixture site as `spanish_site(site)` leaves it, for one test to change."""
    shutil.copytree(spanish_once, tmp_path / "spanish")
    return Site(tmp_path / "spanish", exempt=[*FIXTURE_EXEMPT, "es/pages/get-help-now.md"])


def sign_off(site, *pages: str) -> None:
    paths = [str(site.root / page) for page in pages]
    assert approve(paths, "fixture-clinician", settings=str(site.settings_file())) == 0


def repin(
    site, pages=("content/es/guides/small.md", "content/es/pages/get-help-now.md"), reviewer="fixture-language-reviewer"
):
    paths = [str(site.root / p) for p in pages]
    assert translate_pin(paths, reviewer, settings=str(site.settings_file())) == 0


def alternates(result, rel: str) -> set:
    """A page's hreflang set, as (language, path) pairs."""
    soup = result.html(rel)
    links = soup.find_all("link", rel="alternate")
    return {(link["hreflang"], urlparse(link["href"]).path) for link in links if link.get("hreflang")}


def line_of(path: Path, needle: str) -> int:
    """The line of the file that holds ``needle`` (read off the file, not from the build)."""
    return next(n for n, text in enumerate(path.read_text(encoding="utf-8").splitlines(), 1) if needle in text)


# -- the drift gate ------------------------------------------------------------------------------------


def test_a_current_translation_publishes_in_full_with_reciprocal_hreflang(spanish):
    site = spanish
    result = site.build(publish=True)
    assert result.code == 0, result.log
    assert not {"TRN030", "TRN031", "TRN032"} & result.codes(), result.log
    es = result.html("es/guides/small/index.html")
    assert es.html["lang"] == "es" and es.select_one("[data-pagefind-body]") is not None
    assert "de 9 a 19 horas" in es.find("main").get_text()
    pair = {("en", "/guides/small/"), ("es", "/es/guides/small/"), ("x-default", "/guides/small/")}
    assert alternates(result, "guides/small/index.html") == alternates(result, "es/guides/small/index.html") == pair
    switch = result.html("guides/small/index.html").find("a", hreflang="es", lang="es")
    assert switch.get_text(strip=True) == "Español" and urlparse(switch["href"]).path == "/es/guides/small/"
    back = es.find("a", hreflang="en", lang="en")
    assert back.get_text(strip=True) == "English" and urlparse(back["href"]).path == "/guides/small/"


MESES = "enero febrero marzo abril mayo junio julio agosto septiembre octubre noviembre diciembre".split()


def test_a_signed_spanish_page_gives_its_review_dates_in_spanish(spanish):
    """The byline and the review record at the end of a signed Spanish page said "Última revisión December 5,
    2026": the review macros, imported by the page's own template, never saw the page's language."""
    result = spanish.build(publish=True)
    assert result.code == 0, result.log
    es = result.html("es/guides/small/index.html")
    times = es.select("[data-review-byline] time")
    assert len(times) == 2
    shown = []
    for time in times:
        day = dt.date.fromisoformat(time["datetime"])
        shown.append(f"{day.day} de {MESES[day.month - 1]} de {day.year}")
        assert time.get_text() == shown[-1]
    record = " ".join(es.select_one("[data-review-info] p:nth-of-type(2)").get_text(" ", strip=True).split())
    assert record == f"Última revisión de la página: {shown[0]} · Próxima revisión: {shown[1]}"
    english = result.html("guides/small/index.html").select_one("[data-review-byline] time")
    day = dt.date.fromisoformat(english["datetime"])
    assert english.get_text() == f"{day:%B} {day.day}, {day.year}"


def test_a_one_word_english_change_withholds_the_spanish_page_with_the_message_and_the_stub(site):
    spanish_site(site, pin=False, approved=False)
    site.append("content/guides/small.md", "\n## Paying for it\n\nAsk your plan.\n")
    site.append("content/es/guides/small.md", "\n## Cómo pagarlo {#paying-for-it}\n\nPregunte en su plan.\n")
    sign_off(site, "content/guides/small.md", "content/es/guides/small.md", "data/es/crisis.yaml")
    repin(site)
    site.edit("content/guides/small.md", "9 to 19 hours", "9 to 20 hours")
    sign_off(site, "content/guides/small.md")  # the English page itself is signed off again
    result = site.build(publish=True)
    assert result.code == 0, result.log
    english_line = line_of(site.content / "guides/small.md", "9 to 20 hours")
    record_line = line_of(site.content / "es/guides/small.md", "fingerprint:")
    assert re.search(
        rf"content/guides/small\.md:{english_line}: TRN030 \[warning\] changed since \S*content/es/guides/small\.md "
        r"was pinned: the text: '.*9 to 19 hours.*' -> '.*9 to 20 hours.*'",
        result.log,
    ), result.log
    assert f"content/es/guides/small.md:{record_line}: TRN032 [warning] withheld: the English page guides/small.md" in (
        result.log
    )
    stub = result.html("es/guides/small/index.html")
    assert stub.select_one("[data-translation-stub]") is not None
    assert stub.html["lang"] == "es"
    assert stub.find("meta", attrs={"name": "robots"})["content"] == "noindex"
    assert stub.select_one("[data-pagefind-body]") is None, "the short page is not in the search index"
    assert "9 a 19" not in stub.find("main").get_text(), "the withheld translation is not shown"
    back = stub.select_one("[data-translation-stub] a[hreflang=en]")
    assert urlparse(back["href"]).path == "/guides/small/" and "A small guide" in back.get_text()
    cards = stub.select("[data-translation-stub] .care-card__action")
    assert [a["href"] for a in cards] == ["tel:911", "tel:988", "sms:988?body=AYUDA", "https://988lifeline.org/"]
    assert "oprima 2" in cards[1].get_text()
    # Another page's link to a section of the withheld page still finds it: the short page keeps the
    # section's id, as a link to that section of the English page.
    kept = stub.find(id="paying-for-it")
    assert (
        kept.find("a")["href"].endswith("/guides/small/#paying-for-it") and kept.get_text(strip=True) == "Paying for it"
    )
    assert alternates(result, "guides/small/index.html") == set() == alternates(result, "es/guides/small/index.html")
    assert result.html("guides/small/index.html").find("a", hreflang="es") is None, "no switch to a stale page"


def test_an_editor_only_english_change_does_not_withhold_the_spanish_page(spanish):
    site = spanish
    # A reference's check date and the English page's own sign-off are for editors: not in the fingerprint.
    site.edit(
        "data/references.yaml", "checked: 2026-11-22\n    classic: true", "checked: 2026-11-23\n    classic: true"
    )
    site.edit("content/guides/small.md", "date: 2026-01-01", "date: 2026-01-01\norder: 7")
    result = site.build(publish=True)
    assert result.code == 0, result.log
    assert not {"TRN030", "TRN031", "TRN032"} & result.codes(), result.log
    assert result.html("es/guides/small/index.html").select_one("[data-translation-stub]") is None


def test_the_repin_command_publishes_the_spanish_page_again_and_records_who(spanish, capsys):
    site = spanish
    site.edit("content/guides/small.md", "9 to 19 hours", "9 to 20 hours")
    sign_off(site, "content/guides/small.md")
    assert site.build(publish=True).html("es/guides/small/index.html").select_one("[data-translation-stub]")
    capsys.readouterr()
    repin(site, ["content/es/guides/small.md"])
    said = capsys.readouterr().out
    assert "changed in 1 place(s) since the last pin" in said and "9 to 20 hours" in said
    assert "judged by Fixture Language Reviewer (test data only)" in said
    text = (site.content / "es/guides/small.md").read_text(encoding="utf-8")
    assert "  pinned_by: fixture-language-reviewer" in text and f"  pinned: {dt.date.today()}" in text
    result = site.build(publish=True)
    assert result.code == 0, result.log
    page = result.html("es/guides/small/index.html")
    assert page.select_one("[data-translation-stub]") is None and "9 a 19" in page.find("main").get_text()


def test_preview_shows_a_drifted_translation_with_a_notice(site):
    spanish_site(site, approved=False)
    site.edit("content/guides/small.md", "9 to 19 hours", "9 to 20 hours")
    result = site.build()
    assert result.code == 0, result.log
    assert "TRN031" in result.codes()
    notice = result.html("es/guides/small/index.html").select_one("[data-translation-notice]")
    assert "la página en inglés cambió" in notice.get_text()
    assert notice.find("a", hreflang="en")["href"] == "/guides/small/"


def test_a_hand_edited_pin_is_refused(site):
    spanish_site(site, approved=False)
    page = site.content / "es/guides/small.md"
    text = page.read_text(encoding="utf-8")
    pinned = re.search(r'fingerprint: "(sha256:\w+)"', text).group(1)
    page.write_text(text.replace(pinned, "sha256:" + "0" * 32), encoding="utf-8")
    result = site.build()
    assert result.code == 1
    assert "TRN023 the pin on guides/small.md cannot be trusted: the snapshot does not hash to that fingerprint" in (
        result.log
    )


def test_an_unpinned_translation_is_withheld_in_publish(site):
    spanish_site(site, pin=False)
    repin(site, ["content/es/pages/get-help-now.md"])  # the help page is current; the guide was never pinned
    result = site.build(publish=True)
    assert result.code == 0, result.log
    assert "withheld: this translation has not been pinned to its English page guides/small.md yet" in result.log
    assert result.html("es/guides/small/index.html").select_one("[data-translation-stub]") is not None


# -- each translation's own sign-off ------------------------------------------------------------------------


def test_a_spanish_page_has_its_own_sign_off_pinned_to_its_own_text(spanish):
    site = spanish
    site.edit("content/es/guides/small.md", "de 9 a 19 horas", "de 9 a 18 horas")
    result = site.build(publish=True)
    assert result.code == 1
    assert "content/es/guides/small.md: REVW010 cannot be published: changed since it was approved" in result.log
    assert "content/guides/small.md: REVW010" not in result.log, "the English page's sign-off is its own"


def test_a_repin_does_not_touch_the_spanish_pages_own_sign_off(spanish):
    site = spanish
    before = (site.content / "es/guides/small.md").read_text(encoding="utf-8")
    site.edit("content/es/guides/small.md", "translator: fixture-translator", "translator: fixture-translator\n")
    repin(site, ["content/es/guides/small.md"], reviewer="fixture-translator")
    after = (site.content / "es/guides/small.md").read_text(encoding="utf-8")
    review = re.search(r"review:\n(?:  .*\n)+", before).group(0)
    assert review in after
    assert site.build(publish=True).code == 0


def test_publish_refuses_a_translation_by_an_example_person(spanish):
    site = spanish
    site.edit("content/es/guides/small.md", "translator: fixture-translator", "translator: example-translator")
    result = site.build(publish=True)
    assert result.code == 1
    line = line_of(site.content / "es/guides/small.md", "translator: example-translator")
    assert f"content/es/guides/small.md:{line}: TRN026 cannot be published: its translator is an example person" in (
        result.log
    )


# -- the record ------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "old,new,code,message",
    [
        (
            "source: guides/small.md",
            "source: guides/smal.md",
            "TRN021",
            "source 'guides/smal.md' is not an English page",
        ),
        ("translator: fixture-translator", "translator: nobody", "TRN022", "unknown translator 'nobody'"),
        (
            "language_reviewer: fixture-language-reviewer",
            "language_reviewer: fixture-translator",
            "TRN022",
            "the language reviewer is the translator",
        ),
        ("translated_from:", "translated_by:", "FM005", "unknown field 'translated_by'"),
    ],
)
def test_a_broken_record_is_an_error_at_its_line(site, old, new, code, message):
    spanish_site(site, pin=False, approved=False)
    site.edit("content/es/guides/small.md", old, new)
    result = site.build()
    assert result.code == 1
    line = line_of(site.content / "es/guides/small.md", new.split(":")[0] + ":")
    assert f"content/es/guides/small.md:{line}: {code}" in result.log and message in result.log, result.log


def test_the_translators_record_key_is_not_pelicans_reserved_translation(site):
    spanish_site(site, pin=False, approved=False)
    site.edit("content/es/guides/small.md", "translated_from:", "translation:")
    result = site.build()
    assert result.code == 1 and "unknown field 'translation'" in result.log
    assert "BUILD001" not in result.codes() and "Traceback" not in result.log


def test_a_spanish_page_may_add_a_spanish_source_but_no_other(site):
    spanish_site(site, pin=False, approved=False)
    site.append("content/es/guides/small.md", "\nOtra frase[@mccarty-2014-iop-evidence].\n")
    result = site.build()
    assert result.code == 1
    assert "TRN024 cites 'mccarty-2014-iop-evidence', which its English page does not cite" in result.log
    site.edit(
        "data/references.yaml", "key: mccarty-2014-iop-evidence", "key: mccarty-2014-iop-evidence\n    language: es"
    )
    assert "TRN024" not in site.build().codes()


def test_rewrite_record_changes_only_the_pin_lines():
    text = (
        '---\ntitle: T\ntranslated_from:\n  source: guides/a.md\n  fingerprint: "sha256:pending"\n'
        "review:\n  status: in_review\n---\nBody {#x}\n"
    )
    out = rewrite_record(text, {"fingerprint": '"sha256:abc"', "pinned": "2026-12-05"})
    assert out == text.replace('"sha256:pending"', '"sha256:abc"\n  pinned: 2026-12-05')


# -- the Spanish data and words ------------------------------------------------------------------------------


def test_spanish_pages_show_the_spanish_records_and_words_never_the_english_ones(site):
    spanish_site(site, pin=False, approved=False)
    blocks = "\n::: faqs topic=basics\n\n::: care-levels levels=iop columns=hours,overnight\n"
    site.append("content/guides/small.md", blocks)  # the same blocks as the English page: the same sources
    site.append("content/es/guides/small.md", blocks)
    result = site.build()
    assert result.code == 0, result.log
    page = result.html("es/guides/small/index.html")
    main = page.find("main").get_text(" ", strip=True)
    assert "¿Cuántas horas a la semana dura un IOP?" in main and "Preguntas comunes sobre el IOP" in main
    assert (
        "Programa intensivo ambulatorio (IOP)" in main and "Horas a la semana" in main and "Nivel de atención" in main
    )
    english = [
        "How many hours a week is an IOP?",
        "Common questions about IOP",
        "Hours a week",
        "Level of care",
        "Key points",
        "References",
    ]
    assert [w for w in english if w in page.get_text()] == []
    assert page.find(id="references-heading").get_text() == "Referencias"
    ld = [json.loads(s.string) for s in page.find_all("script", type="application/ld+json")]
    assert ld[0]["inLanguage"] == "es-US"


def test_a_missing_spanish_word_of_a_template_fails_at_the_templates_line(site):
    ui = site.data / "es/ui.yaml"
    text = ui.read_text(encoding="utf-8")
    ui.write_text(text.replace('  - en: "Key points"\n    es: "Puntos clave"\n', ""), encoding="utf-8")
    result = site.build()
    assert result.code == 1
    macros = ROOT / "theme/templates/partials/macros.html"
    line = line_of(macros, '_("Key points")')
    assert f"theme/templates/partials/macros.html:{line}: ES013 no Español text for 'Key points'" in result.log


def test_words_written_outside_the_translation_function_fail_at_their_line(site):
    site.edit("theme/templates/partials/macros.html", '{{ _("Key points") }}', "Key points")
    result = site.build()
    assert result.code == 1
    line = line_of(site.path("theme/templates/partials/macros.html"), ">Key points<")
    assert re.search(rf"macros\.html:{line}: ES016 'Key points' is written as it is", result.log), result.log


@pytest.mark.parametrize(
    "old,new,message",
    [
        (
            "  - id: iop-hours\n    question: ¿Cuántas horas a la semana dura un IOP?\n",
            "  - id: iop-hourz\n    question: ¿Cuántas horas a la semana dura un IOP?\n",
            "no Español text for faqs 'iop-hours' (data/faqs.yaml:",
        ),
        ("    question: ¿Me quedo a dormir en un IOP?\n", "", "'question' of 'iop-sleep-home' has no Español text"),
        ('    short_name: "PHP"\n', "", "'short_name' of 'php' has no Español text"),
    ],
)
def test_a_missing_spanish_record_or_field_fails_at_the_spanish_files_line(site, old, new, message):
    site.edit("data/es/faqs.yaml" if "question" in old else "data/es/care_levels.yaml", old, new)
    result = site.build()
    assert result.code == 1
    assert re.search(rf"data/es/(faqs|care_levels)\.yaml:\d+: ES002 {re.escape(message)}", result.log), result.log


# -- Spanish lint and reading ease ---------------------------------------------------------------------------


SPANISH_LINT = [
    ("Su hermano es un adicto.", "LNG001"),
    ("Ella cometió suicidio.", "LNG001"),
    ("El 40 % de las personas mejora.", "CLM001"),
    ("Los estudios muestran que funciona.", "CLM001"),
    ("En 2022 hubo 108,000 muertes registradas en el país[@asam-criteria-3rd-2013].", "ES021"),
]


#: Three long sentences of long words: far below the Spanish reading-ease targets (IOP_READING_ES), and
#: the three a warning must name first (the longest, then the most syllables).
SPANISH_HARD = [
    "La coordinación interdisciplinaria de intervenciones psicoterapéuticas individualizadas "
    "necesita evaluaciones biopsicosociales exhaustivas, documentación administrativa pormenorizada "
    "y autorizaciones institucionales correspondientes.",
    "Las organizaciones aseguradoras determinan habitualmente la autorización correspondiente "
    "mediante verificaciones administrativas extraordinariamente minuciosas, prolongadas y "
    "documentadas por profesionales especializados.",
    "Posteriormente, la planificación terapéutica interdisciplinaria considera "
    "sistemáticamente circunstancias socioeconómicas, ocupacionales, educativas y familiares "
    "particularmente complicadas e interrelacionadas.",
]


@pytest.fixture(scope="module")
def spanish_lint(tmp_path_factory):
    """The Spanish guide with every sentence of SPANISH_LINT and SPANISH_HARD added, each a paragraph of
    its own (one mention of suicide: not a page about it), built once: the site and the build."""
    site = spanish_site(make_site(tmp_path_factory.mktemp("lint")), pin=False, approved=False)
    for sentence in [s for s, _code in SPANISH_LINT] + SPANISH_HARD:
        site.append("content/es/guides/small.md", f"\n{sentence}\n")
    return site, site.build()


@pytest.mark.parametrize("sentence,code", SPANISH_LINT)
def test_the_spanish_lint_reads_spanish(spanish_lint, sentence, code):
    site, result = spanish_lint
    line = line_of(site.content / "es/guides/small.md", sentence)
    assert f"content/es/guides/small.md:{line}: {code}" in result.log, result.log


def test_a_hard_spanish_page_warns_with_spanish_reading_ease_and_its_three_hardest_sentences(spanish_lint):
    site, result = spanish_lint
    page = site.content / "es/guides/small.md"
    found = [f for f in result.findings if f.code == "ES020"]
    assert [(f.path, f.line) for f in found] == [(str(page), line_of(page, "El IOP da a los adultos"))], result.log
    assert found[0].message.startswith("reading ease Fernández-Huerta "), found[0].message
    lines = [line_of(page, sentence[:40]) for sentence in SPANISH_HARD]
    assert sorted(int(n) for n in re.findall(r"line (\d+)", found[0].hint)) == sorted(lines), found[0].hint
    assert "RDL001" not in {f.code for f in result.findings}, "an English formula read a Spanish page"


def test_a_spanish_faq_answer_states_a_claim_in_spanish_words_at_its_own_line(site):
    """data/es/ prose gets the uncited-claim check with the Spanish triggers; the English record's
    citations count for its translation (the Spanish answer of iop-hours cites, the others do not)."""
    spanish_site(site, pin=False, approved=False)
    old = "Usted recibe varias horas de tratamiento a la"
    site.edit("data/es/faqs.yaml", old, "Los estudios muestran que ayuda. " + old)
    result = site.build()
    line = line_of(site.root / "data/es/faqs.yaml", "Los estudios muestran") - 1  # its `answer: >-` line
    found = [(f.line, f.message) for f in result.findings if f.code == "CLM001" and f.path.endswith("es/faqs.yaml")]
    assert found == [
        (line, "answer of 'iop-meaning' states an appeal to research ('Los estudios muestran') with no citation")
    ]


def test_the_spanish_lint_allows_the_preferred_words_and_ignores_heading_ids(site):
    spanish_site(site, pin=False, approved=False)
    site.append(
        "content/es/guides/small.md",
        "\n## Riesgo de sobredosis {#overdose-risk-after-a-break}\n\n"
        "Volver a consumir (a veces se llama recaída) es común.\n",
    )
    result = site.build()
    spanish = [f for f in result.findings if f.path == "content/es/guides/small.md" and f.code.startswith("LNG")]
    assert spanish == []


def test_the_spanish_suicide_detector_counts_spanish_words_not_the_lifelines_name(site):
    spanish_site(site, pin=False, approved=False)
    site.append(
        "content/es/guides/small.md",
        "\nLa Línea 988 de Prevención del Suicidio y Crisis atiende en español. "
        "La Línea 988 de Prevención del Suicidio y Crisis es gratis.\n",
    )
    assert "SAFE010" not in site.build().codes(), "naming the 988 line twice is not a page about suicide"
    site.append(
        "content/es/guides/small.md", "\nSi piensa en quitarse la vida, pida ayuda. El suicidio se puede prevenir.\n"
    )
    result = site.build()
    assert next(f.path for f in result.findings if f.code == "SAFE010").endswith("content/es/guides/small.md"), (
        result.log
    )


def test_a_change_to_a_shared_record_reaches_the_translation_and_its_own_sign_off_not_the_drift_gate(spanish):
    """A reference is shown from the same record on both pages: a change to it needs no translator (no
    drift), and it sends both pages' own sign-offs back to review."""
    site = spanish
    site.edit("data/references.yaml", "Mee-Lee D (ed.), et al.", "Mee-Lee D, et al.")
    result = site.build()
    assert not {"TRN030", "TRN031", "TRN032"} & result.codes(), result.log
    notice = result.html("es/guides/small/index.html").select_one("[data-review-notice]").get_text(" ", strip=True)
    assert "Un profesional clínico todavía no ha revisado los últimos cambios de esta página." in notice
    assert "Cambió después de que un profesional clínico la revisó el" in notice


def test_the_spanish_banner_has_its_own_sign_off(spanish):
    """On every Spanish page: signed like the English banner; a change to it goes back to review and stops
    publish until a clinician signs it again."""
    site = spanish
    assert site.build(publish=True).code == 0
    review = re.search(r"^review:\n((?:  .*\n)+)", (site.data / "es/crisis.yaml").read_text(encoding="utf-8"), re.M)[1]
    assert "reviewer: fixture-clinician" in review and "fingerprint:" in review
    site.edit("data/es/crisis.yaml", 'banner_label: "AYUDA al 988"', 'banner_label: "Envíe AYUDA"')
    result = site.build(publish=True)
    assert result.code == 1
    assert re.search(
        r"data/es/crisis\.yaml: REVW023 the crisis banner and help lines in Español \(on every page in that language\) "
        r"cannot be published: changed since",
        result.log,
    ), result.log
