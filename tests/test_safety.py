"""Safety gates: crisis-banner contract, language and safe-messaging lint, reading level, output."""

from __future__ import annotations

import re

import pytest

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


@pytest.mark.parametrize(
    "text,code",
    [
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
    ],
)
def test_stale_crisis_forms_are_errors_anywhere(site, text, code):
    site.append("content/guides/small.md", f"\n{text}\n")
    result = site.build()
    assert result.code == 1
    assert f"output/guides/small/index.html: {code}" in result.log


def test_suicide_page_needs_in_body_988_block(site):
    site.write("content/guides/small.md", SUICIDE_GUIDE.format(block=""))
    result = site.build()
    assert result.code == 1
    assert "content/guides/small.md:8: SAFE010 page about suicide or self-harm has no in-body 988 block" in result.log
    site.write("content/guides/small.md", SUICIDE_GUIDE.format(block="\n::: crisis-help\n"))
    result = site.build()
    assert "SAFE010" not in result.log
    block = result.html("guides/small/index.html").select_one("main .help-block")
    assert block is not None and block.find("a", href="tel:988") and block.find("a", href="sms:988")


def test_a_repeated_help_block_is_not_a_second_landmark_of_the_same_name(site):
    """staying-safe had two asides named "If you are thinking about suicide" (axe and IBM: landmark names
    must be unique). The mechanism, not the page: a later block with the same heading is a plain
    division; a block with another heading is a landmark of its own name."""
    blocks = (
        "\n::: crisis-help\n\nMore text.\n\n::: crisis-help\n\n"
        '::: crisis-help heading="If you are worried about someone"\n'
    )
    site.write("content/guides/small.md", SUICIDE_GUIDE.format(block=blocks))
    result = site.build()
    assert result.code == 0, result.log
    main = result.html("guides/small/index.html").select_one("main")
    blocks = main.select(".help-block")
    assert [b.name for b in blocks] == ["aside", "div", "aside"]
    names = [main.find(id=b["aria-labelledby"]).get_text() for b in blocks if b.name == "aside"]
    assert names == ["If you are thinking about suicide", "If you are worried about someone"]
    assert not blocks[1].has_attr("aria-labelledby"), "a plain division is not named"
    assert blocks[1].find("h2").get_text() == "If you are thinking about suicide", "it still shows its heading"
    assert blocks[2].find("p").get_text() == "You can call, text or chat 988 if you are worried about someone else."
    for block in blocks:
        assert block.find("a", href="tel:988") and block.find("a", href="tel:911")


@pytest.mark.parametrize(
    "options,message",
    [
        ('heading="If you need help"', "unknown heading 'If you need help' for 'crisis-help'"),
        ('full=yes heading="If you are worried about someone"', "the full block's heading is always"),
    ],
)
def test_a_help_block_heading_outside_the_list_is_refused(site, options, message):
    site.write("content/guides/small.md", SUICIDE_GUIDE.format(block=f"\n::: crisis-help {options}\n"))
    result = site.build()
    assert result.code == 1
    found = [f for f in result.findings if f.code == "BLK003"]
    assert len(found) == 1 and message in found[0].message, result.log
    assert found[0].path.endswith("small.md") and found[0].line > 1


@pytest.mark.parametrize(
    "block,expected",
    [("", {"LNG010"}), ("\n::: crisis-help\n", set())],
)
def test_statistics_on_a_suicide_page_are_flagged_only_without_help_nearby(site, block, expected):
    site.write("content/guides/small.md", SUICIDE_GUIDE.format(block=block) + "\nAbout 4,000 people took part.\n")
    result = site.build()
    flagged = {f.code for f in result.findings if f.code == "LNG010" and "statistics-without-help" in f.message}
    assert flagged == expected, result.log


def test_the_988_lifeline_name_is_not_a_statistic(site):
    site.write(
        "content/guides/small.md", SUICIDE_GUIDE.format(block="") + "\nThe 988 Suicide & Crisis Lifeline answers.\n"
    )
    assert not [f for f in site.build().findings if "statistics-without-help" in f.message]


def test_suicide_page_detected_from_text(site):
    site.append("content/guides/small.md", "\nSuicide is preventable. If suicide is on your mind, reach out.\n")
    result = site.build()
    assert "SAFE010" in result.log


# -- language lint ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text,term,preferred",
    [
        ("Every addict deserves care.", "'addict' (addict-noun)", "person with a substance use disorder"),
        ("Programs treat substance abuse.", "'substance abuse' (substance-abuse)", "substance use disorder"),
        ("Her test came back dirty.", "dirty", None),
    ],
)
def test_stigmatizing_terms_are_errors_with_suggestion(site, text, term, preferred):
    site.append("content/guides/small.md", f"\n{text}\n")
    result = site.build()
    assert result.code == 1
    hit = [f for f in result.findings if f.code == "LNG001"]
    assert hit and hit[0].line == 11 and term in hit[0].message
    if preferred:
        assert preferred in hit[0].hint


@pytest.mark.parametrize("spelling", ["add\u00adict", "add&shy;ict", "add\u200bict", "ad&#8203;dict", "addi\u2060ct"])
def test_a_term_split_by_an_invisible_character_is_still_found(site, spelling):
    """A soft hyphen, zero-width space or word joiner (as a character or an entity) shows nothing:
    the reader reads the word, so the lint does, in the body and in the front matter."""
    site.append("content/guides/small.md", f"\nEvery {spelling} deserves care.\n")
    site.edit("content/guides/small.md", "title: A small guide", f"title: Care for every {spelling}")
    result = site.build()
    assert result.code == 1
    lines = sorted(f.line for f in result.findings if f.code == "LNG001" and "'addict'" in f.message)
    assert lines == [2, 11], result.log


@pytest.mark.parametrize(
    "text",
    [
        "The Substance Abuse and Mental Health Services Administration runs a helpline.",
        "Alcoholics Anonymous is a peer support group.",
        "Avoid alcoholic beverages during treatment.",
        "The child abuser was arrested.",
        "Treatment helps people with addiction.",
    ],
)
def test_proper_names_and_other_senses_are_allowed(site, text):
    site.append("content/guides/small.md", f"\n{text}\n")
    result = site.build()
    assert "LNG001" not in result.codes(), result.log


def test_quoted_term_is_downgraded_to_warning(site):
    site.append("content/guides/small.md", '\n> "I was an addict for ten years," one person said.\n')
    result = site.build()
    assert result.code == 0
    assert "LNG002" in result.codes() and "in a quotation" in result.log


def test_warning_terms_do_not_fail(site):
    site.append("content/guides/small.md", "\nRelapse can be part of recovery.\n")
    result = site.build()
    assert result.code == 0
    assert "LNG002" in result.codes()


def test_safe_messaging_error_on_suicide_page(site):
    site.write(
        "content/guides/small.md",
        SUICIDE_GUIDE.format(block="\n::: crisis-help\n") + "\nHe committed suicide last year.\n",
    )
    result = site.build()
    assert result.code == 1
    assert any(f.code == "LNG001" and "committed suicide" in f.message for f in result.findings), result.log


def test_language_lint_checks_front_matter_and_faqs(site):
    site.edit("content/guides/small.md", "title: A small guide", "title: Help for every addict")
    site.edit("data/faqs.yaml", "You get several hours", "An addict gets several hours")
    result = site.build()
    lines = {(f.path.split("/")[-1], f.line) for f in result.findings if f.code == "LNG001"}
    assert ("small.md", 2) in lines
    assert any(name == "faqs.yaml" for name, _ in lines)


def test_language_lint_in_a_worker_process_finds_exactly_what_inline_finds(site):
    """Large sites lint in a worker process; forced here with a threshold of 0 pages."""
    site.write(
        "content/guides/small.md",
        SUICIDE_GUIDE.format(block="")
        + "\nHe committed suicide last year. Every addict deserves care.\n"
        + '\n> "I was an addict for ten years," one person said.\n\nRelapse can be part of recovery.\n',
    )
    site.edit("data/faqs.yaml", "You get several hours", "An addict gets several hours")  # data files too
    inline = site.build(IOP_CACHE=False)
    worker = site.build(IOP_CACHE=False, IOP_WORKER_MIN_PAGES=0)
    assert "BUILD004" not in worker.codes(), "the worker ran (it did not die and fall back)"
    lint = ("LNG", "SAFE010", "RDL")
    found = [f for f in worker.findings if f.code.startswith(lint)]
    assert found == [f for f in inline.findings if f.code.startswith(lint)], "the same findings, in the same order"
    assert {"LNG001", "LNG002", "SAFE010"} <= {f.code for f in found}, worker.log
    assert any(f.path.endswith("data/faqs.yaml") and f.code == "LNG001" for f in found), worker.log


# -- reading level ---------------------------------------------------------------------------------


def test_reading_level_counts_key_points_and_faq_answers(site):
    """The score covers what a reader reads: hard key points alone push a plain body over the target."""
    plain = "IOP is a kind of care. You go home each night. You meet in small groups. You learn skills. "
    site.append("content/guides/small.md", f"\n{plain}\n")
    assert "RDL001" not in site.build().codes()
    hard = "Multidisciplinary interdisciplinary psychotherapeutic interventions necessitate evaluation."
    site.edit("content/guides/small.md", "review:", "key_points:\n" + f"  - {hard}\n" * 4 + "review:")
    warn = [f for f in site.build().findings if f.code == "RDL001"]
    assert warn and "Multidisciplinary" in warn[0].hint, warn


def test_hard_prose_warns_with_three_hardest_sentences(site):
    hard = (
        "Multidisciplinary interdisciplinary psychotherapeutic interventions necessitate "
        "comprehensive individualized biopsychosocial evaluation. "
    ) * 6
    site.append(
        "content/guides/small.md", f"\n{hard}\n\nShort words help. They are read fast. Most people like them.\n"
    )
    result = site.build()
    assert result.code == 0
    warn = [f for f in result.findings if f.code == "RDL001"]
    assert warn and "reading level SMOG" in warn[0].message
    assert warn[0].hint.count("line ") == 3 and "Multidisciplinary" in warn[0].hint


def test_plain_prose_does_not_warn(site):
    site.append(
        "content/guides/small.md",
        "\nIOP is a kind of care. You go home each night. You meet in small groups. "
        "You learn skills. Your family can help. You can ask for more help at any time.\n",
    )
    result = site.build()
    assert "RDL001" not in result.codes(), result.log


# -- unsafe HTML in content and output checks ------------------------------------------------------


@pytest.mark.parametrize(
    "text,code",
    [
        ("<script>alert(1)</script>", "SAFE001"),
        ('<iframe src="https://example.com"></iframe>', "SAFE001"),
        ("<style>p{}</style>", "SAFE001"),
        ('<a href="#" onclick="x()">x</a>', "SAFE002"),
        ("[click](javascript:alert(1))", "SAFE003"),
    ],
)
def test_raw_unsafe_html_is_an_error_at_its_line(site, text, code):
    site.append("content/guides/small.md", f"\n{text}\n")
    result = site.build()
    assert result.code == 1
    assert f"content/guides/small.md:11: {code}" in result.log


def test_code_span_with_script_is_fine(site):
    site.append("content/guides/small.md", "\nWrite `<script>` only inside code.\n")
    assert site.build().code == 0


@pytest.mark.parametrize(
    "text,code,where",
    [
        # Problems an editor's Markdown causes are reported at the Markdown line that holds the address.
        ('<img src="https://cdn.example.com/x.png" alt="x">', "SAFE005", "content/guides/small.md:11"),
        ('<img src="/theme/favicon.svg">', "OUT011", "content/guides/small.md:11"),
        ('<img src="/pictures/chart.png" alt="A chart">', "IMG002", "content/guides/small.md:11"),
        ("[broken](/no-such-page/)", "OUT013", "content/guides/small.md:11"),
        ("[bad anchor](#no-such-id)", "OUT014", "content/guides/small.md:11"),
        ("# A second h1", "OUT010", "output/guides/small/index.html"),
    ],
)
def test_output_checks(site, text, code, where):
    site.append("content/guides/small.md", f"\n{text}\n")
    result = site.build()
    assert result.code == 1
    assert re.search(rf"{re.escape(where)}(?::\d+)?: {code} ", result.log), result.log


def test_a_resource_the_theme_loads_from_another_origin_is_an_error_at_the_output_file(site):
    site.edit(
        "theme/templates/base.html", "</head>", '<link rel="preconnect" href="https://fonts.example.com">\n</head>'
    )
    result = site.build()
    assert result.code == 1
    assert "output/index.html:" in result.log and "OUT012 <link> loads 'https://fonts.example.com'" in result.log


def test_output_checks_in_a_worker_process_find_exactly_what_inline_finds(site):
    site.append(
        "content/guides/small.md",
        '\n<img src="/theme/favicon.svg">\n\n[broken](/no-such-page/) [bad anchor](#no-such-id)\n\n# A second h1\n',
    )
    site.edit(
        "theme/templates/base.html", "</head>", '<link rel="preconnect" href="https://fonts.example.com">\n</head>'
    )
    inline = site.build(IOP_CACHE=False)
    worker = site.build(IOP_CACHE=False, IOP_WORKER_MIN_PAGES=0)
    assert "BUILD004" not in worker.codes(), "the worker ran (it did not die and fall back)"
    found = sorted(f for f in worker.findings if f.code.startswith("OUT"))
    assert found == sorted(f for f in inline.findings if f.code.startswith("OUT"))
    assert {"OUT010", "OUT011", "OUT012", "OUT013", "OUT014"} <= {f.code for f in found}, worker.log


def test_working_internal_links_and_anchors_pass(site):
    site.append(
        "content/guides/small.md",
        "\n[About]({filename}/pages/about.md) and [refs](#references-heading) and "
        "[home](/) and [out](https://www.samhsa.gov/).\n",
    )
    result = site.build()
    assert result.code == 0, result.log


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
