"""Gates against careless and hostile input (issue #14): each class fails at the editor's file and line,
and the nearest legitimate input passes and renders correctly."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import time

import pytest

from conftest import GUIDE as GUIDE_TEXT
from conftest import PLAIN_PELICAN, ROOT, assert_no_crash, make_site, python_lines

GUIDE = """---
title: {title}
summary: {summary}
date: 2026-01-01
category: Understanding IOP
{extra}review:
  status: in_review
---
{body}
"""


def guide(title="A guide", summary="A short guide.", extra="", body="Text[@asam-criteria-3rd-2013]."):
    return GUIDE.format(title=title, summary=summary, extra=extra, body=body)


def errors(result) -> list[tuple[str, int, str]]:
    """(file name, line, code) of every error, for exact assertions."""
    return [(os.path.basename(f.path), f.line, f.code) for f in result.findings if f.severity == "error"]


def page_errors(result, name: str) -> list[tuple[str, int, str]]:
    """The errors of one page of a shared build: at its Markdown file ``name`` or at the page it writes
    (output/guides/<stem>/index.html), as (file name, line, code)."""
    stem = os.path.splitext(name)[0]
    return [
        (os.path.basename(f.path), f.line, f.code)
        for f in result.findings
        if f.severity == "error" and (os.path.basename(f.path) == name or f.path.endswith(f"/{stem}/index.html"))
    ]


# -- Shared builds: one build of a fixture site holds many mistakes, each on a page of its own (no page
# links to another), and each test reads its own page's findings. `test_the_shared_error_build_reports_
# only_its_planted_pages` holds the build to that: no error anywhere else, and one on every planted page.
# The tests that must prove a mistake alone makes no other finding build a site of their own.

#: (page under content/, its text) of the shared error build, filled in by the sections below.
ERROR_PAGES: dict[str, str] = {}
#: (page under content/, its text) of the shared build that must pass, filled in by the sections below.
GOOD_PAGES: dict[str, str] = {}


@pytest.fixture(scope="module")
def bad(tmp_path_factory):
    """One build of every page with a mistake of its own (ERROR_PAGES)."""
    site = make_site(tmp_path_factory.mktemp("bad"))
    for rel, text in ERROR_PAGES.items():
        site.write(f"content/{rel}", text)
    (site.content / "guides/x.html").write_text("<html><body><p>Unreviewed</p></body></html>")
    return site.build()


@pytest.fixture(scope="module")
def good(tmp_path_factory):
    """One build of every legitimate input (GOOD_PAGES, and a FAQ answer with Markdown): it must pass."""
    site = make_site(tmp_path_factory.mktemp("good"))
    for rel, text in GOOD_PAGES.items():
        site.write(f"content/{rel}", text)
    (site.content / "guides/bom.md").write_text("\ufeff" + guide(title="Marked"), encoding="utf-8")
    (site.data / "reviewers.yaml").write_text("\ufeff" + (site.data / "reviewers.yaml").read_text(), encoding="utf-8")
    site.edit(
        "data/faqs.yaml", "IOP stands for intensive outpatient program.", "IOP stands for *intensive* outpatient."
    )
    site.append("content/guides/small.md", "\n::: faqs topic=basics\n")
    return site.build()


# -- 1. Front matter and data files are escaped, or refused when they carry markup -------------------


FRONT_MATTER_MARKUP = [
    ("title", "<script>alert(1)</script>", 2),
    ("summary", "<img src=x onerror=alert(1)>", 3),
]
for _field, _value, _line in FRONT_MATTER_MARKUP:
    ERROR_PAGES[f"guides/markup-{_field}.md"] = guide(**{_field: f"'{_value}'"})


@pytest.mark.parametrize("field,value,line", FRONT_MATTER_MARKUP)
def test_markup_in_plain_front_matter_is_an_error_at_its_line(bad, field, value, line):
    assert bad.code == 1
    assert (f"markup-{field}.md", line, "FM012") in errors(bad)
    assert_no_crash(bad)


GOOD_PAGES["guides/ampersand.md"] = guide(title="'Drugs & alcohol: when 3 < 5'")


def test_ampersand_and_angle_text_in_a_title_render_escaped(good):
    assert good.code == 0, good.log
    html = (good.output / "guides/ampersand/index.html").read_text()
    assert "<h1>Drugs &amp; alcohol: when 3 &lt; 5</h1>" in html
    assert "<title>Drugs &amp; alcohol: when 3 &lt; 5 - IOP Guide</title>" in html


ERROR_PAGES["guides/slug.md"] = guide(extra="slug: 'a\" onmouseover=\"alert(1)'\n")


def test_a_slug_that_breaks_out_of_an_attribute_is_refused(bad):
    assert ("slug.md", 6, "FM020") in errors(bad)
    assert not list(bad.output.rglob("*onmouseover*")) if bad.output.exists() else True


@pytest.mark.parametrize(
    "rel,old,new,code",
    [
        # A folded answer (answer: >-) is reported at its key's line, the line above the text.
        (
            "data/faqs.yaml",
            "answer: >-\n      IOP stands for intensive outpatient program.",
            "answer: >-\n      IOP <script>x</script> means",
            "SAFE001",
        ),
        ("data/care_levels.yaml", 'short_name: "IOP"', 'short_name: "IOP<img src=x onerror=y>"', "CARE012"),
        ("data/crisis.yaml", 'heading: "Need help now?"', 'heading: "<b onmouseover=x>Help</b>"', "CRISIS012"),
        ("data/reviewers.yaml", 'name: "Example Reviewer', 'name: "<i>Example</i> Reviewer', "REV012"),
    ],
)
def test_markup_in_data_files_is_an_error_at_the_data_line(site, rel, old, new, code):
    text = (site.root / rel).read_text()
    line = text[: text.index(old)].count("\n") + 1
    site.edit(rel, old, new)
    result = site.build()
    assert result.code == 1
    assert (os.path.basename(rel), line, code) in errors(result), result.log
    assert len(errors(result)) == 1, "nothing that depends on the file reports again: " + result.log


def test_markdown_in_a_faq_answer_still_renders(good):
    # (the answer is edited and shown on the small guide by the `good` fixture)
    assert good.code == 0, good.log
    assert "<em>intensive</em>" in (good.output / "guides/small/index.html").read_text()


# -- 2. Unsafe HTML in Markdown, however it is spelled ---------------------------------------------


UNSAFE = [
    # (the offending part is on the first line of each text, at line 11; see the next test for the others)
    ("[x](java&#x73;cript:alert(1))", "SAFE003"),
    ("<javascript:alert(1)>", "SAFE001"),
    ("[x](data:text/html;base64,PHNjcmlwdD4=)", "SAFE003"),
    ("<svg/onload=alert(1)>", "SAFE001"),
    ('<meta http-equiv="refresh" content="0;url=https://example.com">', "SAFE001"),
    ('<base href="https://example.com/">', "SAFE001"),
    ('<form action="https://example.com"><button>Go</button></form>', "SAFE001"),
    ('<video poster="https://example.com/x.png"></video>', "SAFE001"),
    ('<input type="image" src="https://example.com/x.png">', "SAFE001"),
    ("[x](http://example.org/plain)", "SAFE003"),
    ("![chart](https://cdn.example.com/chart.png)", "SAFE005"),
]
for _n, (_text, _code) in enumerate(UNSAFE):
    ERROR_PAGES[f"guides/unsafe-{_n}.md"] = guide(body=f"Intro[@asam-criteria-3rd-2013].\n\n{_text}\n")


@pytest.mark.parametrize("text,code", UNSAFE)
def test_unsafe_html_in_markdown_is_an_error_at_its_line(bad, text, code):
    assert bad.code == 1
    assert (f"unsafe-{UNSAFE.index((text, code))}.md", 11, code) in errors(bad), bad.log
    assert_no_crash(bad)


SEVERAL_LINES = [
    ("[x][evil]\n\n[evil]: javascript:alert(1)", "SAFE003", 13),  # the definition's line
    ('<a href="#"\nonclick="x()">x</a>', "SAFE002", 12),  # the handler's line
    ('Some text\n{: onclick="x()" }', "SAFE002", 12),  # an attribute list
    ("Some text\n{: .crisis }", "SAFE001", 12),  # a class the site uses for its own markup
]
for _n, (_text, _code, _line) in enumerate(SEVERAL_LINES):
    ERROR_PAGES[f"guides/lines-{_n}.md"] = guide(body=f"Intro[@asam-criteria-3rd-2013].\n\n{_text}\n")


@pytest.mark.parametrize("text,code,line", SEVERAL_LINES)
def test_unsafe_html_over_several_lines_is_reported_at_the_line_that_holds_it(bad, text, code, line):
    name = f"lines-{SEVERAL_LINES.index((text, code, line))}.md"
    assert bad.code == 1
    assert page_errors(bad, name) == [(name, line, code)], bad.log


LEGITIMATE = [
    ("[Call 988](tel:988) or [text 988](sms:988)", '<a href="tel:988">Call 988</a>'),
    ("[Email us](mailto:help@example.org)", '<a href="mailto:help@example.org">Email us</a>'),
    (
        '<abbr title="Intensive outpatient program">IOP</abbr>',
        '<abbr title="Intensive outpatient program">IOP</abbr>',
    ),
    ('<span lang="es">Llame al 988</span>', '<span lang="es">Llame al 988</span>'),
    ("[About](/about/) and [top](#top-heading)\n\n## Top heading", '<a href="/about/">About</a>'),
    ("Table: Two numbers\n\n| a | b |\n|:--|--:|\n| 1 | 2 |", "<caption>Two numbers</caption>"),
    ("Note[^1].\n\n[^1]: A footnote.", 'class="footnote-ref"'),
]
for _n, (_text, _expected) in enumerate(LEGITIMATE):
    GOOD_PAGES[f"guides/legitimate-{_n}.md"] = guide(
        title=f"Guide {_n}", body=f"Intro[@asam-criteria-3rd-2013].\n\n{_text}\n"
    )


@pytest.mark.parametrize("text,expected", LEGITIMATE)
def test_legitimate_markup_passes_and_renders(good, text, expected):
    assert good.code == 0, good.log
    page = f"guides/legitimate-{LEGITIMATE.index((text, expected))}/index.html"
    assert expected in (good.output / page).read_text()


GOOD_PAGES["guides/comment.md"] = guide(
    title="Commented", body="Intro[@asam-criteria-3rd-2013]. <!-- internal note: check -->\n"
)


def test_an_editors_html_comment_never_reaches_readers(good):
    assert good.code == 0, good.log
    assert "internal note" not in (good.output / "guides/comment/index.html").read_text()


# -- 3. Front matter cannot take over output paths -------------------------------------------------


OUTPUT_KEYS = [
    ("save_as: index.html\n", "FM020", 4),
    ("save_as: ../../x.html\n", "FM020", 4),
    ("url: ../x.html\n", "FM020", 4),
    ("template: nosuch\n", "FM023", 4),
]
for _n, (_front, _code, _line) in enumerate(OUTPUT_KEYS):
    ERROR_PAGES[f"pages/evil-{_n}.md"] = f"---\ntitle: E{_n}\nsummary: E.\n{_front}clinical: false\n---\nx\n"


@pytest.mark.parametrize("front,code,line", OUTPUT_KEYS)
def test_output_keys_of_a_page_are_checked(bad, front, code, line):
    assert bad.code == 1
    assert (f"evil-{OUTPUT_KEYS.index((front, code, line))}.md", line, code) in errors(bad), bad.log
    assert_no_crash(bad)


def test_two_pages_written_to_one_file_is_one_error_per_file(site):
    site.write("content/guides/y.md", guide(extra="slug: small\n"))
    site.write("content/pages/search.md", "---\ntitle: S\nsummary: S.\nclinical: false\n---\nx\n")
    result = site.build()
    assert result.code == 1
    clashes = [f for f in result.findings if f.code == "FM021"]
    assert len(clashes) == 2, result.log
    slug = next(f for f in clashes if "guides/small/index.html" in f.message)
    assert {os.path.basename(slug.path), os.path.basename(slug.message.split("which ")[1].split(" already")[0])} == {
        "small.md",
        "y.md",
    }, slug
    assert any(f.path.endswith("search.md") and "search" in f.message for f in clashes), result.log
    assert_no_crash(result)


def test_the_404_page_may_set_its_file_and_template(site):
    assert site.build().code == 0


# -- 4. The crisis banner cannot be hidden ---------------------------------------------------------


HIDING_CSS = [
    "header div.crisis[data-crisis-banner] { display: none }",
    ".crisis a[href^='tel'] { visibility: hidden }",
    "@media screen and (max-width: 40em) { .crisis__actions { opacity: 0 } }",
    ".crisis__action:not(:focus) { position: absolute; left: -9999px }",
    "[data-crisis-banner] { height: 0; overflow: hidden }",
    # Selectors whose subject is found through an id, a combinator, :is() or :not(), an attribute or a
    # class list (sitekit.checks.csshide skips a rule only when no banner element has what its subject needs).
    "[aria-labelledby='crisis-label'] { visibility: hidden }",
    "body .crisis__inner > ul + ul li:is(li) a:not(.nope)[lang] { font-size: 0 }",
    ".crisis__actions ~ .crisis__more :is(.crisis__link) { opacity: 0.05 }",
    "div.crisis.crisis[role=region] { clip-path: inset(50%) }",
    ".crisis__inner:has(a) { color: transparent }",
]


@pytest.fixture(scope="module")
def hiding(tmp_path_factory):
    """One build of a theme whose stylesheet ends with every rule of HIDING_CSS, each on a line of its
    own: {rule: its line}, and the build."""
    site = make_site(tmp_path_factory.mktemp("hiding"))
    lines = {}
    for css in HIDING_CSS:
        site.append("theme/static/css/site.css", f"\n{css}\n")
        lines[css] = (site.root / "theme/static/css/site.css").read_text().count("\n")
    return lines, site.build()


@pytest.mark.parametrize("css", HIDING_CSS)
def test_css_that_hides_the_banner_or_its_links_is_an_error_at_the_css_line(hiding, css):
    lines, result = hiding
    assert result.code == 1
    assert ("site.css", lines[css], "OUT005") in errors(result), result.log
    assert [e for e in errors(result) if e[0] != "site.css"] == [], "no other error: " + result.log


PREFILTER_DOC = """<html><body><header id="top" class="a  b\tc"><div class="crisis" data-x="1">
<p id="label">Help</p><ul><li><a id="call" class="act" href="tel:988" lang="es">Call</a></li></ul></div></header>
<main><a class="act other" href="#x">x</a></main></body></html>"""


@pytest.mark.parametrize(
    "selector",
    [
        "#top",
        "#call",
        "header#top.a.c",
        ".b .act",
        "div[data-x] a",
        "[lang]",
        "li > a:not(.other)",
        "p ~ ul a",
        ".crisis :is(a)",
        "div:has(a)",
        "*",
        "a[lang!=en]",
        ".nope",
        "#label",
        "main .act",
        "A",
        "[DATA-X]",
    ],
)
def test_the_css_prefilter_never_skips_a_rule_that_matches(selector):
    """sitekit.checks.csshide skips a rule when no element of the banner's chain has what the selector's
    subject needs (tag, classes, id, attributes); it must give what evaluating every rule's XPath gives."""
    from lxml import etree

    from sitekit.checks import csshide

    doc = etree.fromstring(PREFILTER_DOC, etree.HTMLParser())
    chain = [*doc.iter("html", "body", "header", "div", "ul", "li", "a")][:-1]  # not the <a> in <main>
    [rule] = csshide.hiding_rules(selector + " { display: none }", "x.css")
    by_xpath = [el for el in rule.xpath(doc) if el in chain][:1]
    assert [el for _rule, el in csshide.hiding([rule], chain)] == by_xpath, selector


def test_css_that_styles_but_does_not_hide_the_banner_passes(site):
    site.append("theme/static/css/site.css", "\n.crisis a { color: #00529b; text-decoration: underline }\n")
    assert site.build().code == 0


def test_banner_inside_a_closed_details_is_an_error(site):
    site.edit(
        "theme/templates/base.html",
        '{% include "partials/crisis_banner.html" %}',
        '<details><summary>Help</summary>{% include "partials/crisis_banner.html" %}</details>',
    )
    result = site.build()
    assert result.code == 1
    assert "OUT005 the crisis banner is hidden: <details> is a closed <details>" in result.log


# -- 5. Review cannot be skipped --------------------------------------------------------------------


REVIEW_GATE = [("clinical: false\n", "REVW021"), ("status: hidden\n", "FM020")]
for _n, (_extra, _code) in enumerate(REVIEW_GATE):
    ERROR_PAGES[f"guides/gate-{_n}.md"] = guide(extra=_extra)


@pytest.mark.parametrize("extra,code", REVIEW_GATE)
def test_a_guide_cannot_leave_the_review_gate(bad, extra, code):
    assert bad.code == 1
    assert (f"gate-{REVIEW_GATE.index((extra, code))}.md", 6, code) in errors(bad), bad.log


FLAGS = ["clinical: false\n", "clinical: no\n", "Clinical: false\n"]


@pytest.fixture(scope="module")
def flagged(tmp_path_factory):
    """A page for each spelling of FLAGS (pages/flag-<n>.md) built with its flag, then without it as a
    preview and as a publish build: the site, and the three builds."""
    site = make_site(tmp_path_factory.mktemp("flagged"))
    for n, flag in enumerate(FLAGS):
        site.write(f"content/pages/flag-{n}.md", f"---\ntitle: X{n}\nsummary: X.\n{flag}---\nTake two pills a day.\n")
    with_flags = site.build()
    for n, flag in enumerate(FLAGS):
        site.edit(f"content/pages/flag-{n}.md", flag, "")
    return site, with_flags, site.build(), site.build(publish=True)


@pytest.mark.parametrize("flag", FLAGS)
def test_no_front_matter_flag_takes_a_page_out_of_review(flagged, flag):
    """Issue 26 item 3: an editor's flag, in any spelling, never exempts a page: it stays under review
    (its notice shows) and the flag itself is refused; only the owner's IOP_REVIEW_EXEMPT exempts."""
    site, result, preview, published = flagged
    name = f"flag-{FLAGS.index(flag)}.md"
    assert result.code == 1
    assert [(n, line) for n, line, _c in errors(result) if n == name] == [(name, 4)], result.log
    assert {c for n, _l, c in errors(result) if n == name} <= {"REVW021", "FM005"}, result.log
    assert preview.code == 0, preview.log
    notice = preview.html(f"{name[:-3]}/index.html").select_one("[data-review-notice]")
    assert notice is not None, "a page no list exempts is awaiting review"
    assert f"content/pages/{name}: REVW010 cannot be published" in published.log.replace(str(site.root) + "/", "")


@pytest.fixture(scope="module")
def listed(tmp_path_factory):
    """A page that cites a source and the small guide, both on the owner's list: one build."""
    site = make_site(tmp_path_factory.mktemp("listed"))
    site.write("content/pages/x.md", "---\ntitle: X\nsummary: X.\n---\nIOP[@asam-criteria-3rd-2013].\n")
    return site.build(IOP_REVIEW_EXEMPT=["pages/x.md", "guides/small.md"])


def test_a_page_on_the_owners_list_must_have_no_clinical_content(listed):
    assert ("x.md", 1, "FM024") in errors(listed), listed.log
    said = [f.message for f in listed.findings if f.code == "FM024" and f.path.endswith("/pages/x.md")]
    assert any("on IOP_REVIEW_EXEMPT but cites sources" in m for m in said), listed.log


def test_a_guide_cannot_be_on_the_owners_list(listed):
    assert ("small.md", 1, "FM024") in errors(listed), listed.log
    said = [f.message for f in listed.findings if f.code == "FM024" and f.path.endswith("/guides/small.md")]
    assert said == ["a guide cannot be on IOP_REVIEW_EXEMPT: every guide is signed off by a clinician"], listed.log


def test_the_owners_list_names_pages_that_exist(site):
    result = site.build(IOP_REVIEW_EXEMPT=["pages/privacy.md", "pages/no-such-page.md"])
    assert result.code == 0, result.log
    assert [f.message for f in result.findings if f.code == "REVW022"] == [
        f"IOP_REVIEW_EXEMPT names 'pages/no-such-page.md', which is not a page under {site.content}"
    ]


@pytest.mark.parametrize("value", ["pages/privacy.md", ["/etc/passwd.md"], ["../pages/x.md"], [3]])
def test_the_owners_list_is_a_list_of_page_files(site, value):
    result = site.build(IOP_REVIEW_EXEMPT=value)
    assert "SET001" in result.codes(), result.log


def test_html_files_in_content_are_not_published_and_are_reported(bad):
    # (the `bad` fixture writes content/guides/x.html)
    assert ("x.html", 0, "FM025") in errors(bad)


def test_make_review_lists_pages_that_skip_review(site):
    """The desk shows every page the owner's list exempts, so nobody takes a page out of review unseen."""
    from sitekit.commands.desk import collect
    from sitekit.core.diagnostics import DIAG
    from sitekit.runtime.state import RUN

    assert site.build().code == 0
    rows = collect(RUN, DIAG.findings)
    skipped = [r for r in rows if r.exempt]
    assert sorted(os.path.basename(r.path) for r in skipped) == [
        "404.md",
        "about.md",
        "editorial-policy.md",
        "get-help-now.md",
        "privacy.md",
    ]
    assert {r.label for r in skipped} == {"No clinical review (owner's list)"}


# -- 6. Limits instead of hangs ---------------------------------------------------------------------


ERROR_PAGES["guides/bomb.md"] = guide(
    extra='a: &a ["l","l","l","l","l","l","l","l","l"]\nb: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]\nc: [*b,*b,*b,*b,*b]\n'
)


def test_yaml_alias_bomb_in_front_matter_is_refused_quickly(bad):
    assert bad.code == 1
    said = [f.format() for f in bad.findings if f.code == "FM010" and f.path.endswith("/bomb.md")]
    assert ("bomb.md", 6, "FM010") in errors(bad) and any("Aliases (*name) are not allowed" in m for m in said)


NESTED_DATA = ["data/faqs.yaml", "data/references.yaml"]


@pytest.fixture(scope="module")
def nested(tmp_path_factory):
    """Both data files of NESTED_DATA nested 3000 deep: one build."""
    site = make_site(tmp_path_factory.mktemp("nested"))
    for rel in NESTED_DATA:
        site.append(rel, "\nextra: " + "[" * 3000 + "]" * 3000 + "\n")
    return site.build()


@pytest.mark.parametrize("rel", NESTED_DATA)
def test_deeply_nested_yaml_is_refused_with_its_line(nested, rel):
    assert nested.code == 1
    said = [f.format() for f in nested.findings if f.path.endswith(rel) and f.severity == "error"]
    assert any("Nested more than 20 levels deep" in m for m in said), nested.log
    assert_no_crash(nested)


ERROR_PAGES["guides/nested.md"] = guide(
    body="Intro[@asam-criteria-3rd-2013].\n\n" + "\n".join("  " * i + "- x" for i in range(2000))
)


def test_deeply_nested_markdown_is_refused_quickly(bad):
    assert bad.code == 1
    # the first line 13 levels deep
    assert page_errors(bad, "nested.md") == [("nested.md", 24, "SAFE004")], bad.log


def test_a_check_that_runs_too_long_is_stopped_and_reported(site, monkeypatch):
    from sitekit.checks import lint

    real = lint.Linter.page

    def slow(self, page):
        if page.path.endswith("small.md"):
            time.sleep(120)  # were the check not stopped, it would end with no BUILD002
        return real(self, page)

    monkeypatch.setattr(lint.Linter, "page", slow)
    result = site.build(IOP_CHECK_SECONDS=1)
    assert result.code == 1
    assert ("small.md", 0, "BUILD002") in errors(result), result.log


# -- 7. Errors keep their place ---------------------------------------------------------------------


def test_impossible_dates_are_errors_at_their_lines(site):
    text = (site.data / "references.yaml").read_text()
    line = text[: text.index("checked: 2026-11-22")].count("\n") + 1
    site.edit(
        "data/references.yaml",
        "checked: 2026-11-22",
        "checked: 2026-02-30",
    )
    site.write("content/guides/x.md", guide().replace("date: 2026-01-01", "date: 2026-13-01"))
    result = site.build()
    assert ("references.yaml", line, "REF001") in errors(result), result.log
    assert ("x.md", 4, "FM010") in errors(result), result.log
    assert "'2026-02-30' is not a real date" in result.log


ERROR_PAGES["guides/section.md"] = guide().replace("category: Understanding IOP", "category: Undrestanding IOP")


def test_unknown_section_is_an_error_with_a_suggestion(bad):
    assert ("section.md", 5, "FM022") in errors(bad)
    said = [f.format() for f in bad.findings if f.code == "FM022" and f.path.endswith("/section.md")]
    assert any("did you mean 'Understanding IOP'?" in line for line in said), bad.log


def test_a_byte_order_mark_is_accepted(good):
    # (the `good` fixture writes guides/bom.md and data/reviewers.yaml, each with a byte order mark)
    assert good.code == 0, good.log
    assert (good.output / "guides/bom/index.html").exists()


def test_the_shared_error_build_reports_only_its_planted_pages(bad):
    """Each page of ERROR_PAGES has its error, and no error is anywhere else (each test above reads one page)."""
    planted = {os.path.basename(rel) for rel in ERROR_PAGES} | {"x.html"}
    assert {name for name, _line, _code in errors(bad)} == planted, bad.log
    assert_no_crash(bad)


def test_dates_that_cannot_be_in_the_future_are_refused(site):
    import datetime as dt

    text = (site.data / "crisis.yaml").read_text()
    line = text[: text.index("last_verified:")].count("\n") + 1
    site.edit("data/crisis.yaml", f"last_verified: {dt.date.today()}", "last_verified: 2999-01-01")
    site.write("content/guides/x.md", guide().replace("date: 2026-01-01", "date: 2999-01-01"))
    result = site.build()
    assert sorted(errors(result)) == [("crisis.yaml", line, "CRISIS008"), ("x.md", 4, "FM008")], result.log


def test_a_broken_data_file_is_reported_first_and_alone(site):
    site.append("content/guides/small.md", "\n::: faqs topic=basics\n")
    site.edit("data/faqs.yaml", "  - id: cost\n", "  - id: cost\n   bad: [\n")
    site.edit("data/references.yaml", "  - key: mccarty-2014-iop-evidence", "  - key mccarty-2014-iop-evidence")
    result = site.build()
    assert sorted(code for _name, _line, code in errors(result)) == ["FAQ001", "REF001"], result.log
    printed = re.findall(r": ([A-Z]+\d{3}) ", result.log)
    assert printed[:2] == ["FAQ001", "REF001"], "the broken files come first: " + result.log


# -- 8. Plain Pelican fails too ---------------------------------------------------------------------


@pytest.fixture(scope="module")
def plain_pelican(tmp_path_factory) -> dict:
    """Plain `pelican` on a site with an error (as is, and with --fatal errors) and on a clean site, run by
    one Python process: each case's exit code and output."""
    broken, clean = (make_site(tmp_path_factory.mktemp(name)) for name in ("broken", "clean"))
    broken.append("content/guides/small.md", "\nSee this[@no-such-key]. Every addict deserves care.\n")
    cases = {
        "error": (broken, []),
        "error, --fatal errors": (broken, ["--fatal", "errors"]),
        "clean": (clean, []),
    }
    lines = [[str(s.root), [str(s.content), "-s", str(s.settings_file()), *extra]] for s, extra in cases.values()]
    answer = python_lines(
        PLAIN_PELICAN, json.dumps(lines), env={"PYTHONPATH": str(ROOT / "plugins"), "PATH": "/usr/bin:/bin"}
    )
    return dict(zip(cases, answer, strict=True))


@pytest.mark.parametrize("case", ["error", "error, --fatal errors"])
def test_plain_pelican_fails_on_an_error_and_prints_it(plain_pelican, case):
    code, out = plain_pelican[case]
    assert code == 1, out
    assert re.search(r"content/guides/small\.md:11: CIT001 citation key 'no-such-key' is not in data/", out), out
    assert "LNG001 'addict'" in out


def test_plain_pelican_passes_a_clean_site(plain_pelican):
    code, out = plain_pelican["clean"]
    assert code == 0, out


def test_plain_pelican_replaces_the_output_only_when_the_build_is_clean(tmp_path):
    """Plain `pelican` stages its build as `sitekit build` does (iop_data, iop_output.verdict): an error, or
    a folder another kind of build wrote (EDT004), leaves output/ byte for byte as it was, with no staging
    folder beside it; a clean build replaces it, marked as a preview's."""
    broken, clean = make_site(tmp_path / "broken"), make_site(tmp_path / "clean")
    for site in (broken, clean):
        assert site.build().code == 0
    before = snapshot(broken.root / "output")
    broken.append("content/guides/small.md", '\nA <svg><a href="javascript:alert(1)">link</a></svg> here.\n')
    clean.write("content/guides/new.md", GUIDE_TEXT.replace("A small guide", "A new guide"))
    settings = broken.settings_file()
    publish = broken.write("pubconf.py", settings.read_text(encoding="utf-8") + "\nIOP_PUBLISH = True\n")
    lines = [
        [str(broken.root), [str(broken.content), "-s", str(settings)]],
        [str(broken.root), [str(broken.content), "-s", str(publish)]],
        [str(clean.root), [str(clean.content), "-s", str(clean.settings_file())]],
    ]
    (error, out), (refused, refused_out), (ok, ok_out) = python_lines(
        PLAIN_PELICAN, json.dumps(lines), env={"PYTHONPATH": str(ROOT / "plugins"), "PATH": "/usr/bin:/bin"}
    )
    assert error == 1 and "SAFE001" in out and f"{broken.root / 'output'} was left as it was" in out, out
    assert refused == 1 and "EDT004 output/ holds a preview build" in refused_out, refused_out
    assert snapshot(broken.root / "output") == before
    assert ok == 0, ok_out
    assert (clean.root / "output/guides/new/index.html").is_file()
    assert "kind: preview" in (clean.root / "output/.sitekit-output").read_text(encoding="utf-8")
    for site in (broken, clean):
        assert sorted(p.name for p in site.root.iterdir() if p.name.startswith(".output")) == [".output.lock"]


def snapshot(folder) -> dict:
    """Every file under ``folder`` and its bytes."""
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


# -- 9. Exceptions keep their file and do not lose other findings -------------------------------------


def test_an_exception_in_a_plugin_names_the_file_and_the_code(site, monkeypatch):
    from sitekit.content import blocks

    def broken(call):
        raise KeyError("levels")

    monkeypatch.setitem(
        blocks.BLOCKS, "care-levels", blocks.BLOCKS["care-levels"].__class__("care-levels", "broken", (), broken)
    )
    site.append("content/guides/small.md", "\n::: care-levels\n\nEvery addict deserves care.\n")
    result = site.build()
    crash = [f for f in result.findings if f.code == "BUILD001"]
    assert len(crash) == 1 and crash[0].path.endswith("content/guides/small.md"), result.log
    assert "KeyError: 'levels'" in crash[0].message and "tests/test_hostile.py" not in crash[0].message
    assert "(in plugins/sitekit/content/blocks.py:" in crash[0].message, crash[0].message
    assert "LNG001" not in result.codes(), "the page was not read, so not linted; the crash is its one error"


def test_the_crash_detector_catches_an_injected_crash(site, monkeypatch):
    """The property tests below rely on assert_no_crash; it must fail when a crash happens."""
    from sitekit.text import citations

    monkeypatch.setattr(citations.CitationContext, "replace", lambda *a: 1 / 0)
    result = site.build()
    with pytest.raises(AssertionError):
        assert_no_crash(result)


# -- 10. Interrupts, killed builds and builds at the same moment --------------------------------------


def test_a_killed_builds_staging_folder_is_removed_by_the_next_build(site):
    stale = site.root / ".output-staging-killed"
    stale.mkdir()
    (stale / "index.html").write_text("half a site")
    assert site.build().code == 0
    assert not stale.exists()


def test_a_build_waits_for_the_lock_of_another_and_then_finishes(site):
    """Builds of one output folder take turns (sitekit.runtime.build): while another holds the lock,
    a build says it waits and touches nothing; once it is released, the build runs to the end."""
    from filelock import FileLock

    lock = FileLock(site.root / ".output.lock")
    lock.acquire()
    try:
        proc = subprocess.Popen(
            [sys.executable, "-m", "sitekit", "build", "-s", str(site.settings_file())],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            cwd=site.root,
            env={"PYTHONPATH": str(ROOT / "plugins"), "PATH": "/usr/bin:/bin"},
        )
        first = proc.stderr.readline()  # blocks until the build says something: it must be that it waits
        assert first == "Waiting for another build of output/ to finish...\n", first + proc.stderr.read()
        assert not (site.root / "output").exists() and not list(site.root.glob(".output-staging-*"))
    finally:
        lock.release()
    _out, err = proc.communicate(timeout=300)
    assert proc.returncode == 0, err
    assert (site.root / "output/guides/small/index.html").is_file()


# -- 11. Signals and time limits inside nh3's callback ------------------------------------------------

STOP_IN_CLEAN = """
import os
import signal
import time

from sitekit.text import sanitize

decide = sanitize._filter


def stopping(tag, attr, value):
    if value == "stop-here":  # while nh3 cleans this page: Ctrl-C in the terminal reaches the group
        os.killpg(os.getpgrp(), signal.SIGINT)
        time.sleep(600)
    return decide(tag, attr, value)


def register():
    sanitize._filter = stopping
"""


def test_ctrl_c_while_nh3_cleans_a_page_stops_the_build_with_no_false_finding(site):
    """nh3 swallows what its Python callback raises: Ctrl-C there was lost, the attribute dropped, and
    the build ran on to fail with a false SAFE001."""
    site.append("content/guides/small.md", '\n<abbr title="stop-here">IOP</abbr> and <abbr title="x">PHP</abbr>.\n')
    site.write("plugins_extra/stopinclean/__init__.py", STOP_IN_CLEAN)
    settings = site.settings_file()
    settings.write_text(
        settings.read_text()
        + f"\nPLUGIN_PATHS = PLUGIN_PATHS + [{str(site.root / 'plugins_extra')!r}]\n"
        + "PLUGINS = ['stopinclean', *PLUGINS]\n"
    )
    proc = subprocess.run(
        [sys.executable, "-m", "sitekit", "build", "-s", str(settings)],
        capture_output=True,
        text=True,
        cwd=site.root,
        env={"PYTHONPATH": str(ROOT / "plugins"), "PATH": "/usr/bin:/bin"},
        start_new_session=True,  # its own process group, as a terminal's foreground job
        timeout=300,  # the callback sleeps 600 s: only a stopped build ends before
    )
    assert proc.returncode == 130, proc.stderr
    assert "BUILD003 the build was stopped" in proc.stderr
    assert "SAFE001" not in proc.stderr and "Exception ignored" not in proc.stderr, proc.stderr


def test_the_time_limit_holds_while_nh3_cleans_a_page(site, monkeypatch):
    from sitekit.text import sanitize

    decide = sanitize._filter

    def slow(tag, attr, value):
        if value == "slow-here":
            time.sleep(600)  # the time limit's signal lands here, inside nh3's call of the filter
        return decide(tag, attr, value)

    monkeypatch.setattr(sanitize, "_filter", slow)
    site.append("content/guides/small.md", '\n<abbr title="slow-here">IOP</abbr>\n')
    result = site.build(IOP_CHECK_SECONDS=1)
    found = [(f.code, os.path.basename(f.path)) for f in result.findings if f.severity == "error"]
    assert found == [("BUILD002", "small.md")], result.log
