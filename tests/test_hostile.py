"""Gates against careless and hostile input (issue #14): each class fails at the editor's file and line,
and the nearest legitimate input passes and renders correctly."""

from __future__ import annotations

import os
import re
import subprocess
import sys
import time

import pytest

from conftest import ROOT, assert_no_crash

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


# -- 1. Front matter and data files are escaped, or refused when they carry markup -------------------


@pytest.mark.parametrize(
    "field,value,line",
    [
        ("title", "<script>alert(1)</script>", 2),
        ("summary", "<img src=x onerror=alert(1)>", 3),
    ],
)
def test_markup_in_plain_front_matter_is_an_error_at_its_line(site, field, value, line):
    site.write("content/guides/x.md", guide(**{field: f"'{value}'"}))
    result = site.build()
    assert result.code == 1
    assert ("x.md", line, "FM012") in errors(result)
    assert_no_crash(result)


def test_ampersand_and_angle_text_in_a_title_render_escaped(site):
    site.write("content/guides/x.md", guide(title="'Drugs & alcohol: when 3 < 5'"))
    result = site.build()
    assert result.code == 0, result.log
    html = (result.output / "guides/x/index.html").read_text()
    assert "<h1>Drugs &amp; alcohol: when 3 &lt; 5</h1>" in html
    assert "<title>Drugs &amp; alcohol: when 3 &lt; 5 - IOP Guide</title>" in html


def test_a_slug_that_breaks_out_of_an_attribute_is_refused(site):
    site.write("content/guides/x.md", guide(extra="slug: 'a\" onmouseover=\"alert(1)'\n"))
    result = site.build()
    assert ("x.md", 6, "FM020") in errors(result)
    assert not list(result.output.rglob("*onmouseover*")) if result.output.exists() else True


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


def test_markdown_in_a_faq_answer_still_renders(site):
    site.edit(
        "data/faqs.yaml", "IOP stands for intensive outpatient program.", "IOP stands for *intensive* outpatient."
    )
    site.append("content/guides/small.md", "\n::: faqs topic=basics\n")
    result = site.build()
    assert result.code == 0, result.log
    assert "<em>intensive</em>" in (result.output / "guides/small/index.html").read_text()


# -- 2. Unsafe HTML in Markdown, however it is spelled ---------------------------------------------


@pytest.mark.parametrize(
    "text,code",
    [
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
    ],
)
def test_unsafe_html_in_markdown_is_an_error_at_its_line(site, text, code):
    site.write("content/guides/x.md", guide(body=f"Intro[@asam-criteria-3rd-2013].\n\n{text}\n"))
    result = site.build()
    assert result.code == 1
    assert ("x.md", 11, code) in errors(result), result.log
    assert_no_crash(result)


@pytest.mark.parametrize(
    "text,code,line",
    [
        ("[x][evil]\n\n[evil]: javascript:alert(1)", "SAFE003", 13),  # the definition's line
        ('<a href="#"\nonclick="x()">x</a>', "SAFE002", 12),  # the handler's line
        ('Some text\n{: onclick="x()" }', "SAFE002", 12),  # an attribute list
        ("Some text\n{: .crisis }", "SAFE001", 12),  # a class the site uses for its own markup
    ],
)
def test_unsafe_html_over_several_lines_is_reported_at_the_line_that_holds_it(site, text, code, line):
    site.write("content/guides/x.md", guide(body=f"Intro[@asam-criteria-3rd-2013].\n\n{text}\n"))
    result = site.build()
    assert result.code == 1
    assert errors(result) == [("x.md", line, code)], result.log


@pytest.mark.parametrize(
    "text,expected",
    [
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
    ],
)
def test_legitimate_markup_passes_and_renders(site, text, expected):
    site.write("content/guides/x.md", guide(body=f"Intro[@asam-criteria-3rd-2013].\n\n{text}\n"))
    result = site.build()
    assert result.code == 0, result.log
    assert expected in (result.output / "guides/x/index.html").read_text()


def test_an_editors_html_comment_never_reaches_readers(site):
    site.write("content/guides/x.md", guide(body="Intro[@asam-criteria-3rd-2013]. <!-- internal note: check -->\n"))
    result = site.build()
    assert result.code == 0, result.log
    assert "internal note" not in (result.output / "guides/x/index.html").read_text()


# -- 3. Front matter cannot take over output paths -------------------------------------------------


@pytest.mark.parametrize(
    "front,code,line",
    [
        ("save_as: index.html\n", "FM020", 4),
        ("save_as: ../../x.html\n", "FM020", 4),
        ("url: ../x.html\n", "FM020", 4),
        ("template: nosuch\n", "FM023", 4),
    ],
)
def test_output_keys_of_a_page_are_checked(site, front, code, line):
    site.write("content/pages/evil.md", f"---\ntitle: E\nsummary: E.\n{front}clinical: false\n---\nx\n")
    result = site.build()
    assert result.code == 1
    assert ("evil.md", line, code) in errors(result), result.log
    assert_no_crash(result)


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


@pytest.mark.parametrize(
    "css",
    [
        "header div.crisis[data-crisis-banner] { display: none }",
        ".crisis a[href^='tel'] { visibility: hidden }",
        "@media screen and (max-width: 40em) { .crisis__actions { opacity: 0 } }",
        ".crisis__action:not(:focus) { position: absolute; left: -9999px }",
        "[data-crisis-banner] { height: 0; overflow: hidden }",
    ],
)
def test_css_that_hides_the_banner_or_its_links_is_an_error_at_the_css_line(site, css):
    site.append("theme/static/css/site.css", f"\n{css}\n")
    text = (site.root / "theme/static/css/site.css").read_text()
    line = text.count("\n")
    result = site.build()
    assert result.code == 1
    assert ("site.css", line, "OUT005") in errors(result), result.log


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


@pytest.mark.parametrize(
    "extra,code",
    [("clinical: false\n", "REVW021"), ("status: hidden\n", "FM020")],
)
def test_a_guide_cannot_leave_the_review_gate(site, extra, code):
    site.write("content/guides/x.md", guide(extra=extra))
    result = site.build()
    assert result.code == 1
    assert ("x.md", 6, code) in errors(result), result.log


@pytest.mark.parametrize("flag", ["clinical: false\n", "clinical: no\n", "Clinical: false\n"])
def test_no_front_matter_flag_takes_a_page_out_of_review(site, flag):
    """Issue 26 item 3: an editor's flag, in any spelling, never exempts a page: it stays under review
    (its notice shows) and the flag itself is refused; only the owner's IOP_REVIEW_EXEMPT exempts."""
    site.write("content/pages/x.md", f"---\ntitle: X\nsummary: X.\n{flag}---\nTake two pills a day.\n")
    result = site.build()
    assert result.code == 1
    assert [(n, line) for n, line, _c in errors(result) if n == "x.md"] == [("x.md", 4)], result.log
    assert {c for n, _l, c in errors(result) if n == "x.md"} <= {"REVW021", "FM005"}, result.log
    site.edit("content/pages/x.md", flag, "")
    preview = site.build()
    assert preview.code == 0, preview.log
    notice = preview.html("x/index.html").select_one("[data-review-notice]")
    assert notice is not None, "a page no list exempts is awaiting review"
    assert "content/pages/x.md: REVW010 cannot be published" in site.build(publish=True).log.replace(
        str(site.root) + "/", ""
    )


def test_a_page_on_the_owners_list_must_have_no_clinical_content(site):
    site.write("content/pages/x.md", "---\ntitle: X\nsummary: X.\n---\nIOP[@asam-criteria-3rd-2013].\n")
    result = site.build(IOP_REVIEW_EXEMPT=["pages/x.md"])
    assert ("x.md", 1, "FM024") in errors(result), result.log
    assert "on IOP_REVIEW_EXEMPT but cites sources" in result.log


def test_a_guide_cannot_be_on_the_owners_list(site):
    result = site.build(IOP_REVIEW_EXEMPT=["guides/small.md"])
    assert ("small.md", 1, "FM024") in errors(result), result.log


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


def test_html_files_in_content_are_not_published_and_are_reported(site):
    site.write("content/guides/x.html", "<html><body><p>Unreviewed</p></body></html>")
    result = site.build()
    assert ("x.html", 0, "FM025") in errors(result)


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


def test_yaml_alias_bomb_in_front_matter_is_refused_quickly(site):
    bomb = 'a: &a ["l","l","l","l","l","l","l","l","l"]\nb: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]\nc: [*b,*b,*b,*b,*b]\n'
    site.write("content/guides/x.md", guide(extra=bomb))
    result = site.build()
    assert result.code == 1
    assert ("x.md", 6, "FM010") in errors(result) and "Aliases (*name) are not allowed" in result.log


@pytest.mark.parametrize("rel", ["data/faqs.yaml", "data/references.yaml"])
def test_deeply_nested_yaml_is_refused_with_its_line(site, rel):
    site.append(rel, "\nextra: " + "[" * 3000 + "]" * 3000 + "\n")
    result = site.build()
    assert result.code == 1
    assert "Nested more than 20 levels deep" in result.log
    assert_no_crash(result)


def test_deeply_nested_markdown_is_refused_quickly(site):
    body = "Intro[@asam-criteria-3rd-2013].\n\n" + "\n".join("  " * i + "- x" for i in range(2000))
    site.write("content/guides/x.md", guide(body=body))
    result = site.build()
    assert result.code == 1
    assert errors(result) == [("x.md", 24, "SAFE004")], result.log  # the first line 13 levels deep


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


def test_unknown_section_is_an_error_with_a_suggestion(site):
    site.write("content/guides/x.md", guide().replace("category: Understanding IOP", "category: Undrestanding IOP"))
    result = site.build()
    assert ("x.md", 5, "FM022") in errors(result)
    assert "did you mean 'Understanding IOP'?" in result.log


def test_a_byte_order_mark_is_accepted(site):
    (site.content / "guides/x.md").write_text("\ufeff" + guide(), encoding="utf-8")
    (site.data / "reviewers.yaml").write_text("\ufeff" + (site.data / "reviewers.yaml").read_text(), encoding="utf-8")
    result = site.build()
    assert result.code == 0, result.log
    assert (result.output / "guides/x/index.html").exists()


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


def test_plain_pelican_fails_on_an_error_and_prints_it(site):
    site.append("content/guides/small.md", "\nSee this[@no-such-key]. Every addict deserves care.\n")
    settings = site.settings_file()
    for extra in ([], ["--fatal", "errors"]):
        proc = subprocess.run(
            [sys.executable, "-m", "pelican", str(site.content), "-s", str(settings), *extra],
            capture_output=True,
            text=True,
            cwd=site.root,
            env={"PYTHONPATH": str(ROOT / "plugins"), "PATH": "/usr/bin:/bin"},
            timeout=120,
        )
        out = proc.stdout + proc.stderr
        assert proc.returncode == 1, out
        assert re.search(r"content/guides/small\.md:11: CIT001 citation key 'no-such-key' is not in data/", out), out
        assert "LNG001 'addict'" in out


def test_plain_pelican_passes_a_clean_site(site):
    proc = subprocess.run(
        [sys.executable, "-m", "pelican", str(site.content), "-s", str(site.settings_file())],
        capture_output=True,
        text=True,
        cwd=site.root,
        env={"PYTHONPATH": str(ROOT / "plugins"), "PATH": "/usr/bin:/bin"},
        timeout=120,
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr


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
