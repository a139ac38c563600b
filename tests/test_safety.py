"""Safety gates: crisis-banner contract, language and safe-messaging lint, reading level, output."""

from __future__ import annotations

import re

import pytest

from conftest import GUIDE, build_with_pages, make_site, page_findings

SUICIDE_GUIDE = """
---
title: When thoughts of suicide come up
summary: What to do when you or someone close to you thinks about suicide.
date: 2026-01-01
category: Support and help
suicide_topic: true
---
Thoughts of suicide can be part of depression, and help works.
{block}
## What to do

Talk to someone you trust today.
"""


def small_guide(text: str) -> str:
    """The fixture's small guide (conftest.GUIDE) with ``text`` appended, on line 11."""
    return GUIDE + f"\n{text}\n"


# -- Shared builds: the pages with a mistake of their own share one build (ERROR_PAGES), the pages that
# must pass another (GOOD_PAGES); each test reads its own page's findings (conftest.page_findings), and
# `test_the_shared_error_build_reports_only_its_planted_pages` holds the first to errors on its planted
# pages only. No page links to another. Tests of the theme, of data files and of the whole site keep a
# site of their own.

#: path under content/ -> text of each page of the shared error build, filled in by the sections below.
ERROR_PAGES: dict[str, str] = {}
#: path under content/ -> text of each page of the shared build that must pass.
GOOD_PAGES: dict[str, str] = {}


#: (file, old, new) edits of the shared error build's data.
ERROR_EDITS = [("data/faqs.yaml", "You get several hours", "An addict gets several hours")]


@pytest.fixture(scope="module")
def bad(tmp_path_factory):
    return build_with_pages(tmp_path_factory.mktemp("bad"), ERROR_PAGES, ERROR_EDITS)


@pytest.fixture(scope="module")
def good(tmp_path_factory):
    return build_with_pages(tmp_path_factory.mktemp("good"), GOOD_PAGES)


def log_of(result, rel: str) -> str:
    """The lines of a shared build's log about one page (its Markdown file or the page it writes)."""
    return "\n".join(f.format() for f in page_findings(result, rel))


# -- crisis banner contract ----------------------------------------------------------------------


def test_theme_without_banner_fails_and_names_every_page(site):
    site.edit("theme/templates/base.html", '{% include "partials/crisis_banner.html" %}', "")
    result = site.build()
    assert result.code == 1
    for rel in [
        "index.html",
        "404.html",
        "guides/small/index.html",
        "about/index.html",
        "sections/understanding-iop/index.html",
    ]:
        assert f"output/{rel}: OUT001 page has no crisis banner" in result.log, rel
    assert not (site.root / "output").exists()


def test_404_without_banner_fails(site):
    site.write(
        "theme/templates/404.html",
        """
        <!doctype html><html lang="en"><head><title>Not found</title></head>
        <body><main id="main-content"><h1>Not found</h1></main></body></html>
    """,
    )
    # The fixture's own 404 page (conftest) now renders through a template without the banner.
    result = site.build()
    assert result.code == 1
    assert "output/404.html: OUT001 page has no crisis banner" in result.log
    assert "output/index.html: OUT001" not in result.log
    # A publish build names the folder it writes (public/), not the preview's and not its staging copy.
    published = site.build(publish=True, IOP_REVIEW_UNREVIEWED="exclude")
    assert "public/404.html: OUT001 page has no crisis banner" in published.log, published.log


def test_banner_hidden_by_a_css_class_fails(site):
    site.edit("theme/templates/partials/crisis_banner.html", 'class="crisis"', 'class="crisis is-hidden"')
    site.append("theme/static/css/site.css", "\n.is-hidden { display: none; }\n")
    result = site.build()
    assert result.code == 1
    css = (site.root / "theme/static/css/site.css").read_text()
    line = css[: css.index(".is-hidden")].count("\n") + 1
    assert (
        f"theme/static/css/site.css:{line}: OUT005 the CSS rule '.is-hidden' (display: none) hides the crisis banner"
        in (result.log)
    ), result.log


def test_print_only_hiding_is_not_hiding(site):
    site.append("theme/static/css/site.css", "\n@media print { .crisis { display: none; } }\n")
    assert site.build().code == 0


@pytest.mark.parametrize(
    "old,new,message",
    [
        ("data-crisis-banner>", "data-crisis-banner hidden>", "OUT005 the crisis banner is hidden"),
        ("data-crisis-banner>", 'data-crisis-banner aria-hidden="true">', "OUT005 the crisis banner is hidden"),
        ('data-pagefind-ignore="all" ', "", "OUT006 the crisis banner is not excluded from the search index"),
    ],
)
def test_banner_hidden_or_indexed_fails(site, old, new, message):
    site.edit("theme/templates/partials/crisis_banner.html", old, new)
    result = site.build()
    assert result.code == 1
    assert message in result.log


def test_banner_after_main_fails(site):
    site.edit("theme/templates/base.html", '{% include "partials/crisis_banner.html" %}', "")
    site.edit("theme/templates/base.html", "</main>", '</main>{% include "partials/crisis_banner.html" %}')
    result = site.build()
    assert "OUT002 the crisis banner comes after <main>" in result.log


def test_banner_missing_a_link_or_with_wrong_digits_fails(site):
    site.edit(
        "theme/templates/partials/crisis_banner.html",
        '<a class="crisis__action" href="{{ action.href }}"',
        "<a class=\"crisis__action\" href=\"{{ action.href|replace('sms:988', 'sms:989') }}\"",
    )
    result = site.build()
    assert result.code == 1
    assert "OUT003 the crisis banner lacks an 'sms:988' text link" in result.log
    assert "OUT004 link 'sms:989' dials 989 but shows 'Text 988'" in result.log


def test_crisis_data_with_mismatched_digits_fails_at_its_line(site):
    text = (site.data / "crisis.yaml").read_text()
    line = text[: text.index('href: "tel:+1-800-662-4357"')].count("\n") + 1
    site.edit("data/crisis.yaml", 'href: "tel:+1-800-662-4357"', 'href: "tel:+1-800-662-4358"')
    result = site.build()
    assert result.code == 1
    assert f"data/crisis.yaml:{line}: CRISIS003 link 'tel:+1-800-662-4358' dials 18006624358" in result.log


@pytest.mark.parametrize(
    "days_ago,preview_code,publish_code",
    [
        (35, "DATE021", "DATE022"),  # a month after the check is 4 to 7 days ago: publish refuses the site
        (26, "DATE020", "DATE020"),  # it is in 2 to 5 days: a warning only
        (20, None, None),  # it is in 8 to 11 days: nothing to say yet
    ],
)
def test_crisis_lines_are_checked_every_month(site, days_ago, preview_code, publish_code):
    """Issue 25 item 3: the crisis lines' monthly check warns a week ahead and stops publish after it."""
    import datetime as dt
    import re

    text = (site.data / "crisis.yaml").read_text()
    checked = dt.date.today() - dt.timedelta(days=days_ago)
    site.write("data/crisis.yaml", re.sub(r"^last_verified: .*$", f"last_verified: {checked}", text, flags=re.M))
    line = text[: text.index("last_verified:")].count("\n") + 1
    for publish, code in ((False, preview_code), (True, publish_code)):
        result = site.build(publish=publish, IOP_REVIEW_UNREVIEWED="exclude")
        dates = [(f.code, f.line) for f in result.findings if f.code.startswith("DATE")]
        assert dates == ([(code, line)] if code else []), result.log
        assert (result.code == 1) == (code == "DATE022"), result.log


STALE_FORMS = [
    ("LGBTQ+ youth can call 988 and press 3.", "SAFE021"),
    ("You can also call 1-800-273-8255.", "SAFE022"),
    ("Or call 1-800-273-TALK.", "SAFE022"),
    # Readers see these as the plain forms: an entity, a tag or an invisible character must not hide them.
    ("LGBTQ+ youth can call 988 and pre&shy;ss 3.", "SAFE021"),
    ("LGBTQ+ youth can call 988 and PRESS\u200b 3.", "SAFE021"),
    ("LGBTQ+ youth can call 988 and pr&#101;ss&nbsp;3.", "SAFE021"),
    ("LGBTQ+ youth can call 988 and **pr**ess 3.", "SAFE021"),
    ("You can also call 1-800-2&#55;3-8255.", "SAFE022"),
    ("You can also call 1-800-27\u20603-TALK.", "SAFE022"),
    ("[Call the Lifeline](tel:1-800-27%33-8255).", "SAFE022"),
]
for _n, (_text, _code) in enumerate(STALE_FORMS):
    ERROR_PAGES[f"guides/stale-{_n}.md"] = small_guide(_text)


@pytest.mark.parametrize("text,code", STALE_FORMS)
def test_stale_crisis_forms_are_errors_anywhere(bad, text, code):
    rel = f"guides/stale-{STALE_FORMS.index((text, code))}.md"
    assert bad.code == 1
    assert f"output/guides/stale-{STALE_FORMS.index((text, code))}/index.html: {code}" in bad.log
    assert code in {f.code for f in page_findings(bad, rel, "error")}, bad.log


ERROR_PAGES["guides/suicide-no-block.md"] = SUICIDE_GUIDE.format(block="")
GOOD_PAGES["guides/suicide-block.md"] = SUICIDE_GUIDE.format(block="\n::: crisis-help\n")


def test_suicide_page_needs_in_body_988_block(bad, good):
    assert bad.code == 1
    expected = "content/guides/suicide-no-block.md:8: SAFE010 page about suicide or self-harm has no in-body 988 block"
    assert expected in bad.log
    assert "SAFE010" not in log_of(good, "guides/suicide-block.md")
    block = good.html("guides/suicide-block/index.html").select_one("main .help-block")
    assert block is not None and block.find("a", href="tel:988") and block.find("a", href="sms:988")


GOOD_PAGES["guides/repeated.md"] = SUICIDE_GUIDE.format(
    block="\n::: crisis-help\n\nMore text.\n\n::: crisis-help\n\n"
    '::: crisis-help heading="If you are worried about someone"\n'
)


def test_a_repeated_help_block_is_not_a_second_landmark_of_the_same_name(good):
    """staying-safe had two asides named "If you are thinking about suicide" (axe and IBM: landmark names
    must be unique). The mechanism, not the page: a later block with the same heading is a plain
    division; a block with another heading is a landmark of its own name."""
    assert good.code == 0, good.log
    main = good.html("guides/repeated/index.html").select_one("main")
    blocks = main.select(".help-block")
    assert [b.name for b in blocks] == ["aside", "div", "aside"]
    names = [main.find(id=b["aria-labelledby"]).get_text() for b in blocks if b.name == "aside"]
    assert names == ["If you are thinking about suicide", "If you are worried about someone"]
    assert not blocks[1].has_attr("aria-labelledby"), "a plain division is not named"
    assert blocks[1].find("h2").get_text() == "If you are thinking about suicide", "it still shows its heading"
    assert blocks[2].find("p").get_text() == "You can call, text or chat 988 if you are worried about someone else."
    for block in blocks:
        assert block.find("a", href="tel:988") and block.find("a", href="tel:911")


HELP_HEADINGS = [
    ('heading="If you need help"', "unknown heading 'If you need help' for 'crisis-help'"),
    ('full=yes heading="If you are worried about someone"', "the full block's heading is always"),
]
for _n, (_options, _message) in enumerate(HELP_HEADINGS):
    ERROR_PAGES[f"guides/heading-{_n}.md"] = SUICIDE_GUIDE.format(block=f"\n::: crisis-help {_options}\n")


@pytest.mark.parametrize("options,message", HELP_HEADINGS)
def test_a_help_block_heading_outside_the_list_is_refused(bad, options, message):
    rel = f"guides/heading-{HELP_HEADINGS.index((options, message))}.md"
    assert bad.code == 1
    found = [f for f in bad.findings if f.code == "BLK003" and f.path.endswith(f"/content/{rel}")]
    assert len(found) == 1 and message in found[0].message, bad.log
    assert found[0].line > 1 and found[0].severity == "error"
    headings = [f"/content/guides/heading-{n}.md" for n in range(len(HELP_HEADINGS))]
    assert [f for f in bad.findings if f.code == "BLK003" and not f.path.endswith(tuple(headings))] == [], bad.log


STATISTICS = [("", {"LNG010"}), ("\n::: crisis-help\n", set())]
for _n, (_block, _expected) in enumerate(STATISTICS):
    # Without a help block the page is also an error (SAFE010): it is in the error build.
    (GOOD_PAGES if _block else ERROR_PAGES)[f"guides/statistics-{_n}.md"] = (
        SUICIDE_GUIDE.format(block=_block) + "\nAbout 4,000 people took part.\n"
    )


@pytest.mark.parametrize("block,expected", STATISTICS)
def test_statistics_on_a_suicide_page_are_flagged_only_without_help_nearby(bad, good, block, expected):
    result = good if block else bad
    rel = f"guides/statistics-{STATISTICS.index((block, expected))}.md"
    found = page_findings(result, rel)
    flagged = {f.code for f in found if f.code == "LNG010" and "statistics-without-help" in f.message}
    assert flagged == expected, result.log


ERROR_PAGES["guides/lifeline-name.md"] = (
    SUICIDE_GUIDE.format(block="") + "\nThe 988 Suicide & Crisis Lifeline answers.\n"
)


def test_the_988_lifeline_name_is_not_a_statistic(bad):
    found = page_findings(bad, "guides/lifeline-name.md")
    assert found, "the page was built and checked"
    assert not [f for f in found if "statistics-without-help" in f.message]


ERROR_PAGES["guides/detected.md"] = small_guide("Suicide is preventable. If suicide is on your mind, reach out.")


def test_suicide_page_detected_from_text(bad):
    assert "SAFE010" in log_of(bad, "guides/detected.md")


# -- language lint ---------------------------------------------------------------------------------


STIGMA = [
    ("Every addict deserves care.", "'addict' (addict-noun)", "person with a substance use disorder"),
    ("Programs treat substance abuse.", "'substance abuse' (substance-abuse)", "substance use disorder"),
    ("Her test came back dirty.", "dirty", None),
]
for _n, (_text, _term, _preferred) in enumerate(STIGMA):
    ERROR_PAGES[f"guides/stigma-{_n}.md"] = small_guide(_text)


@pytest.mark.parametrize("text,term,preferred", STIGMA)
def test_stigmatizing_terms_are_errors_with_suggestion(bad, text, term, preferred):
    rel = f"guides/stigma-{STIGMA.index((text, term, preferred))}.md"
    assert bad.code == 1
    hit = [f for f in page_findings(bad, rel) if f.code == "LNG001"]
    assert hit and hit[0].line == 11 and term in hit[0].message
    assert hit[0].severity == "error"
    if preferred:
        assert preferred in hit[0].hint


INVISIBLE = ["add\u00adict", "add&shy;ict", "add\u200bict", "ad&#8203;dict", "addi\u2060ct"]
for _n, _spelling in enumerate(INVISIBLE):
    ERROR_PAGES[f"guides/invisible-{_n}.md"] = small_guide(f"Every {_spelling} deserves care.").replace(
        "title: A small guide", f"title: Care for every {_spelling}"
    )


@pytest.mark.parametrize("spelling", INVISIBLE)
def test_a_term_split_by_an_invisible_character_is_still_found(bad, spelling):
    """A soft hyphen, zero-width space or word joiner (as a character or an entity) shows nothing:
    the reader reads the word, so the lint does, in the body and in the front matter."""
    found = page_findings(bad, f"guides/invisible-{INVISIBLE.index(spelling)}.md")
    assert bad.code == 1
    lines = sorted(f.line for f in found if f.code == "LNG001" and "'addict'" in f.message)
    assert lines == [2, 11], bad.log
    assert {f.severity for f in found if f.code == "LNG001"} == {"error"}


ALLOWED = [
    "The Substance Abuse and Mental Health Services Administration runs a helpline.",
    "Alcoholics Anonymous is a peer support group.",
    "Avoid alcoholic beverages during treatment.",
    "The child abuser was arrested.",
    "Treatment helps people with addiction.",
]
for _n, _text in enumerate(ALLOWED):
    GOOD_PAGES[f"guides/allowed-{_n}.md"] = small_guide(_text)


@pytest.mark.parametrize("text", ALLOWED)
def test_proper_names_and_other_senses_are_allowed(good, text):
    rel = f"guides/allowed-{ALLOWED.index(text)}.md"
    assert "LNG001" not in {f.code for f in page_findings(good, rel)}, good.log
    assert (good.output / f"guides/allowed-{ALLOWED.index(text)}/index.html").is_file(), good.log


GOOD_PAGES["guides/quoted.md"] = small_guide('> "I was an addict for ten years," one person said.')


def test_quoted_term_is_downgraded_to_warning(good):
    assert good.code == 0
    found = page_findings(good, "guides/quoted.md")
    assert "LNG002" in {f.code for f in found} and "in a quotation" in log_of(good, "guides/quoted.md")


GOOD_PAGES["guides/relapse.md"] = small_guide("Relapse can be part of recovery.")


def test_warning_terms_do_not_fail(good):
    assert good.code == 0
    assert "LNG002" in {f.code for f in page_findings(good, "guides/relapse.md")}


ERROR_PAGES["guides/committed.md"] = (
    SUICIDE_GUIDE.format(block="\n::: crisis-help\n") + "\nHe committed suicide last year.\n"
)


def test_safe_messaging_error_on_suicide_page(bad):
    assert bad.code == 1
    found = page_findings(bad, "guides/committed.md", "error")
    assert any(f.code == "LNG001" and "committed suicide" in f.message for f in found), bad.log


ERROR_PAGES["guides/titled.md"] = GUIDE.replace("title: A small guide", "title: Help for every addict")


def test_language_lint_checks_front_matter_and_faqs(bad):
    # (the FAQ answer is edited by ERROR_EDITS)
    lines = {(f.path.split("/")[-1], f.line) for f in bad.findings if f.code == "LNG001"}
    assert ("titled.md", 2) in lines
    assert any(name == "faqs.yaml" for name, _ in lines)


@pytest.fixture(scope="module")
def inline_and_worker(tmp_path_factory):
    """Large sites check pages in a worker process; forced here with a threshold of 0 pages. One site
    with findings of the language lint (the small guide, a FAQ answer) and of the output checks (another
    guide, the theme), built inline and then with the worker: both builds."""
    site = make_site(tmp_path_factory.mktemp("worker"))
    site.write(
        "content/guides/small.md",
        SUICIDE_GUIDE.format(block="")
        + "\nHe committed suicide last year. Every addict deserves care.\n"
        + '\n> "I was an addict for ten years," one person said.\n\nRelapse can be part of recovery.\n',
    )
    site.edit("data/faqs.yaml", "You get several hours", "An addict gets several hours")  # data files too
    site.write(
        "content/guides/output.md",
        small_guide(
            '<img src="/theme/favicon.svg">\n\n[broken](/no-such-page/) [bad anchor](#no-such-id)\n\n# A second h1'
        ),
    )
    site.edit(
        "theme/templates/base.html", "</head>", '<link rel="preconnect" href="https://fonts.example.com">\n</head>'
    )
    return site.build(IOP_CACHE=False), site.build(IOP_CACHE=False, IOP_WORKER_MIN_PAGES=0)


def test_language_lint_in_a_worker_process_finds_exactly_what_inline_finds(inline_and_worker):
    inline, worker = inline_and_worker
    assert "BUILD004" not in worker.codes(), "the worker ran (it did not die and fall back)"
    lint = ("LNG", "SAFE010", "RDL")
    found = [f for f in worker.findings if f.code.startswith(lint)]
    assert found == [f for f in inline.findings if f.code.startswith(lint)], "the same findings, in the same order"
    assert {"LNG001", "LNG002", "SAFE010"} <= {f.code for f in found}, worker.log
    assert any(f.path.endswith("data/faqs.yaml") and f.code == "LNG001" for f in found), worker.log


# -- reading level ---------------------------------------------------------------------------------


#: The same plain body, without and with hard key points.
PLAIN_BODY = "IOP is a kind of care. You go home each night. You meet in small groups. You learn skills. "
HARD_POINT = "Multidisciplinary interdisciplinary psychotherapeutic interventions necessitate evaluation."
GOOD_PAGES["guides/plain-body.md"] = small_guide(PLAIN_BODY)
GOOD_PAGES["guides/hard-points.md"] = small_guide(PLAIN_BODY).replace(
    "review:", "key_points:\n" + f"  - {HARD_POINT}\n" * 4 + "review:"
)


def test_reading_level_counts_key_points_and_faq_answers(good):
    """The score covers what a reader reads: hard key points alone push a plain body over the target."""
    assert (good.output / "guides/plain-body/index.html").is_file(), good.log
    assert "RDL001" not in {f.code for f in page_findings(good, "guides/plain-body.md")}
    warn = [f for f in page_findings(good, "guides/hard-points.md") if f.code == "RDL001"]
    assert warn and "Multidisciplinary" in warn[0].hint, warn


GOOD_PAGES["guides/hard-prose.md"] = small_guide(
    (
        "Multidisciplinary interdisciplinary psychotherapeutic interventions necessitate "
        "comprehensive individualized biopsychosocial evaluation. "
    )
    * 6
    + "\n\nShort words help. They are read fast. Most people like them."
)


def test_hard_prose_warns_with_three_hardest_sentences(good):
    assert good.code == 0
    warn = [f for f in page_findings(good, "guides/hard-prose.md") if f.code == "RDL001"]
    assert warn and "reading level SMOG" in warn[0].message
    assert warn[0].hint.count("line ") == 3 and "Multidisciplinary" in warn[0].hint


GOOD_PAGES["guides/plain-prose.md"] = small_guide(
    "IOP is a kind of care. You go home each night. You meet in small groups. "
    "You learn skills. Your family can help. You can ask for more help at any time."
)


def test_plain_prose_does_not_warn(good):
    assert (good.output / "guides/plain-prose/index.html").is_file(), good.log
    assert "RDL001" not in {f.code for f in page_findings(good, "guides/plain-prose.md")}, good.log


# -- unsafe HTML in content and output checks ------------------------------------------------------


RAW_UNSAFE = [
    ("<script>alert(1)</script>", "SAFE001"),
    ('<iframe src="https://example.com"></iframe>', "SAFE001"),
    ("<style>p{}</style>", "SAFE001"),
    ('<a href="#" onclick="x()">x</a>', "SAFE002"),
    ("[click](javascript:alert(1))", "SAFE003"),
]
for _n, (_text, _code) in enumerate(RAW_UNSAFE):
    ERROR_PAGES[f"guides/raw-{_n}.md"] = small_guide(_text)


@pytest.mark.parametrize("text,code", RAW_UNSAFE)
def test_raw_unsafe_html_is_an_error_at_its_line(bad, text, code):
    rel = f"guides/raw-{RAW_UNSAFE.index((text, code))}.md"
    assert bad.code == 1
    assert f"content/{rel}:11: {code}" in bad.log
    assert (code, 11) in {(f.code, f.line) for f in page_findings(bad, rel, "error")}


GOOD_PAGES["guides/code-span.md"] = small_guide("Write `<script>` only inside code.")


def test_code_span_with_script_is_fine(good):
    assert good.code == 0
    assert (good.output / "guides/code-span/index.html").is_file()


OUTPUT_CHECKS = [
    # Problems an editor's Markdown causes are reported at the Markdown line that holds the address.
    ('<img src="https://cdn.example.com/x.png" alt="x">', "SAFE005", "content/guides/small.md:11"),
    ('<img src="/theme/favicon.svg">', "OUT011", "content/guides/small.md:11"),
    ('<img src="/pictures/chart.png" alt="A chart">', "IMG002", "content/guides/small.md:11"),
    ("[broken](/no-such-page/)", "OUT013", "content/guides/small.md:11"),
    ("[bad anchor](#no-such-id)", "OUT014", "content/guides/small.md:11"),
    ("# A second h1", "OUT010", "output/guides/small/index.html"),
]
for _n, (_text, _code, _where) in enumerate(OUTPUT_CHECKS):
    ERROR_PAGES[f"guides/output-{_n}.md"] = small_guide(_text)


@pytest.mark.parametrize("text,code,where", OUTPUT_CHECKS)
def test_output_checks(bad, text, code, where):
    """Each on a page of its own (guides/output-<n>.md) in the shared build: `where` names the small
    guide's place, read here for that page."""
    rel = f"guides/output-{OUTPUT_CHECKS.index((text, code, where))}.md"
    where = where.replace("guides/small", rel.removesuffix(".md"))
    assert bad.code == 1
    assert re.search(rf"{re.escape(where)}(?::\d+)?: {code} ", bad.log), bad.log
    assert code in {f.code for f in page_findings(bad, rel, "error")}, bad.log


@pytest.fixture(scope="module")
def theme_faults(tmp_path_factory):
    """One build of a theme with faults only a theme can have (never an editor's Markdown): a stylesheet
    host of another origin, an empty 404 template (a page no parser can read), and alternates listed by
    the template itself (every page's set names the home page, whose set differs; a guide's names a
    page the build did not write)."""
    site = make_site(tmp_path_factory.mktemp("theme-faults"))
    site.write("theme/templates/404.html", "")
    site.edit(
        "theme/templates/base.html",
        '<link rel="canonical"',
        '<link rel="preconnect" href="https://fonts.example.com">\n'
        '<link rel="alternate" hreflang="x-default" href="{{ SITEURL }}/">\n'
        '<link rel="alternate" hreflang="en" href="{{ SITEURL }}/{{ canonical_path }}">\n'
        '{% if canonical_path.startswith("guides/") %}<link rel="alternate" hreflang="fr" href="/fr/nowhere/">'
        "{% endif %}\n"
        '<link rel="canonical"',
    )
    return site.build()


def test_a_resource_the_theme_loads_from_another_origin_is_an_error_at_the_output_file(theme_faults):
    assert theme_faults.code == 1
    assert re.search(
        r"^output/index\.html:\d+: OUT012 <link> loads 'https://fonts\.example\.com'", theme_faults.log, re.M
    )


def test_a_page_no_parser_can_read_is_an_error_at_the_output_file(theme_faults):
    assert theme_faults.code == 1
    assert re.search(r"^output/404\.html(:0)?: OUT000 page cannot be parsed as HTML", theme_faults.log, re.M)


def test_an_hreflang_set_that_is_not_whole_or_not_reciprocal_is_an_error_at_the_output_file(theme_faults):
    log = theme_faults.log
    guide = r"^output/guides/small/index\.html:\d+: TRN040 "
    assert re.search(guide + r"hreflang 'fr' names '/fr/nowhere/', which the build did not write", log, re.M), log
    assert re.search(guide + r"the hreflang set is not the same on output/index\.html, which it names", log, re.M)
    # The home page names only itself (as x-default and en): its set is whole and the same as itself.
    trn040 = [line for line in log.splitlines() if " TRN040 " in line]
    assert trn040 and not [line for line in trn040 if line.startswith("output/index.html:")], trn040


def test_output_checks_in_a_worker_process_find_exactly_what_inline_finds(inline_and_worker):
    inline, worker = inline_and_worker
    assert "BUILD004" not in worker.codes(), "the worker ran (it did not die and fall back)"
    found = sorted(f for f in worker.findings if f.code.startswith("OUT"))
    assert found == sorted(f for f in inline.findings if f.code.startswith("OUT"))
    assert {"OUT010", "OUT011", "OUT012", "OUT013", "OUT014"} <= {f.code for f in found}, worker.log


GOOD_PAGES["guides/links.md"] = small_guide(
    "[About]({filename}/pages/about.md) and [refs](#references-heading) and [home](/) and [out](https://www.samhsa.gov/)."
)


def test_working_internal_links_and_anchors_pass(good):
    assert good.code == 0, good.log
    assert (good.output / "guides/links/index.html").is_file()


def test_a_pattern_that_does_not_compile_is_reported_at_its_line_in_either_language_list(site):
    """Both language lists (English and Spanish) are checked by one function: each bad pattern at its line."""
    site.edit("data/language.yaml", "pattern: '\\baddicts?\\b'", "pattern: '\\baddicts?\\b('")
    site.edit("data/es/language.yaml", "pattern: '\\bdrogadict[oa]s?\\b'", "pattern: '\\bdrogadict[oa]s?\\b('")
    result = site.build()
    assert result.code == 1
    english = [f for f in result.findings if f.path.endswith("data/language.yaml")]
    spanish = [f for f in result.findings if f.path.endswith("data/es/language.yaml")]
    assert [(f.code, f.line) for f in english] == [("LANG003", 72)], result.log
    assert [f.line for f in spanish] == [109], result.log
    for f in english + spanish:
        assert "is not a valid regular expression" in f.message and f.hint == "fix the regular expression"


def test_the_shared_error_build_reports_only_its_planted_pages(bad):
    """Every page of ERROR_PAGES has an error of its own, and there is no error anywhere else but the
    FAQ answer ERROR_EDITS changed (each test above reads one page)."""
    pages = {rel: page_findings(bad, rel, "error") for rel in ERROR_PAGES}
    assert [rel for rel, found in pages.items() if not found] == [], bad.log
    claimed = [f for found in pages.values() for f in found]
    others = [f.format() for f in bad.findings if f.severity == "error" and f not in claimed]
    assert [line.split(": ")[0].rsplit("/", 2)[-2:] for line in others] == [["data", "faqs.yaml:16"]], bad.log
