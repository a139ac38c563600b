"""What lets a reader judge a page and question it: corrections, the report link, the facts only the
site owner can give (placeholders), the help page the banner links to, tables and the deploy files."""

from __future__ import annotations

import datetime as dt
from urllib.parse import parse_qs, urlparse

import pytest

from conftest import FIXTURE_REPORT_EMAIL, make_site

CORRECTION = """
corrections:
  - date: 2026-11-20
    page: guides/small.md
    what: "The hours for teens now read 6 to 19."
    why: "The page gave the hours for adults only."
"""


def line_of(site, rel: str, text: str) -> int:
    source = (site.root / rel).read_text()
    return source[: source.index(text)].count("\n") + 1


# -- corrections -----------------------------------------------------------------------------------


def test_a_correction_shows_on_its_page_and_on_the_corrections_page(site):
    (site.data / "corrections.yaml").write_text(CORRECTION)
    result = site.build()
    assert result.code == 0, result.log
    block = result.html("guides/small/index.html").select_one("main [data-corrections]")
    text = " ".join(block.get_text(" ", strip=True).split())
    assert text == (
        "Corrections November 20, 2026 . The hours for teens now read 6 to 19. "
        "Why: The page gave the hours for adults only."
    )
    assert block.find("time")["datetime"] == "2026-11-20"
    log = result.html("corrections/index.html").select_one("[data-corrections-log]")
    assert log.find("a", href="/guides/small/").get_text() == "A small guide"
    assert "What changed: The hours for teens now read 6 to 19." in log.get_text()
    assert not result.html("about/index.html").select("[data-corrections]"), "only the corrected page"


def test_no_corrections_is_said_plainly(site):
    result = site.build()
    assert result.code == 0, result.log
    assert "We have not listed any corrections yet." in result.html("corrections/index.html").get_text()
    assert not result.html("guides/small/index.html").select("[data-corrections]")


BAD_CORRECTIONS = [
    ("page: guides/small.md", "page: guides/smal.md", "CORR007", "'guides/smal.md' names no Markdown file"),
    ("page: guides/small.md", "page: /etc/passwd.md", "CORR003", "is not a Markdown file in content/"),
    ("page: guides/small.md", "page: guides/small.html", "CORR003", "is not a Markdown file in content/"),
    ("date: 2026-11-20", "date: 2026-11-24", "CORR008", "correction date 2026-11-24 is in the future"),
    ("date: 2026-11-20", "date: soon", "CORR003", "'soon' is not a date"),
    ('    why: "The page gave the hours for adults only."\n', "", "CORR002", "missing required field 'why'"),
]
#: A record that breaks the file's form (CORR002, CORR003) stops the checks of what the records name
#: (CORR007, CORR008): the cases of each kind share a build, one record each.
FORM_CODES = ("CORR002", "CORR003")


@pytest.fixture(scope="module")
def bad_corrections(tmp_path_factory):
    """For each kind of case of BAD_CORRECTIONS, a corrections file with a record of CORRECTION's for each
    case, with that case's change, built once: {case number: (the build, the line its finding must be
    at)}. A missing field is reported at its record; any other problem at the field's own line."""
    record = CORRECTION.split("corrections:\n", 1)[1]
    cases = {}
    for form in (True, False):
        chosen = [n for n, case in enumerate(BAD_CORRECTIONS) if (case[2] in FORM_CODES) == form]
        site = make_site(tmp_path_factory.mktemp("corrections"))
        lines = {}
        text = "corrections:\n"
        for n in chosen:
            old, new, code, _message = BAD_CORRECTIONS[n]
            at = "- date:" if code == "CORR002" else old.strip()
            lines[n] = text.count("\n") + record[: record.index(at)].count("\n") + 1
            text += record.replace(old, new, 1)
        (site.data / "corrections.yaml").write_text(text)
        result = site.build(IOP_TODAY=dt.date(2026, 11, 23))
        cases.update({n: (result, lines[n]) for n in chosen})
    return cases


@pytest.mark.parametrize("old,new,code,message", BAD_CORRECTIONS)
def test_a_bad_correction_fails_at_its_line(bad_corrections, old, new, code, message):
    result, line = bad_corrections[BAD_CORRECTIONS.index((old, new, code, message))]
    assert result.code == 1
    found = [f for f in result.findings if f.code == code and f.line == line]
    assert found and message in found[0].message, result.log
    assert found[0].path.endswith("/data/corrections.yaml") and found[0].severity == "error", found[0]


def test_a_correction_naming_a_page_suggests_the_closest(site):
    (site.data / "corrections.yaml").write_text(CORRECTION.replace("guides/small.md", "guides/smal.md"))
    result = site.build()
    assert "did you mean 'guides/small.md'?" in result.log


# -- the report link ---------------------------------------------------------------------------------


def test_every_page_has_a_report_link_with_its_own_address_in_the_subject(site):
    result = site.build(SITEURL="https://example.test")
    assert result.code == 0, result.log
    pages = [p.relative_to(result.output).as_posix() for p in result.pages()]
    assert len(pages) >= 8
    for rel in pages:
        soup = result.html(rel)
        links = soup.select("main [data-report] a[href^='mailto:']")
        assert len(links) == 1, rel
        mail = urlparse(links[0]["href"])
        canonical = soup.find("link", rel="canonical")["href"]
        assert mail.path == FIXTURE_REPORT_EMAIL and parse_qs(mail.query) == {"subject": [f"Problem on {canonical}"]}
        assert canonical.startswith("https://example.test/"), rel


def test_a_report_address_that_is_not_one_is_refused(site):
    result = site.build(IOP_REPORT_EMAIL="reports at example dot org")
    assert result.code == 1
    assert "SET001 setting IOP_REPORT_EMAIL = 'reports at example dot org' should be an email address" in result.log


# -- facts only the site owner can give --------------------------------------------------------------

OWNER_FACT = "[TO FILL IN: who publishes this site]"


def test_placeholders_show_in_preview_and_are_listed(site):
    site.append("content/pages/about.md", f"\nPublished by {OWNER_FACT}.\n")
    result = site.build(IOP_REPORT_EMAIL="[TO FILL IN: the report address]")
    assert result.code == 0, result.log
    about = result.html("about/index.html")
    assert about.select_one("main .doc mark.fill-in").get_text() == OWNER_FACT
    assert about.select_one("[data-report] mark.fill-in").get_text() == "[TO FILL IN: the report address]"
    assert not about.select("[data-report] a[href^='mailto:']")
    line = line_of(site, "content/pages/about.md", OWNER_FACT)
    assert f"content/pages/about.md:{line}: OWN001 [warning] placeholder '{OWNER_FACT}'" in result.log
    assert "<site>: OWN001 [warning] setting IOP_REPORT_EMAIL is the placeholder" in result.log


def test_publish_refuses_every_placeholder_naming_file_and_line(site):
    site.append("content/pages/about.md", f"\nPublished by {OWNER_FACT}.\n")
    result = site.build(publish=True, IOP_REPORT_EMAIL="[TO FILL IN: the report address]")
    assert result.code == 1
    line = line_of(site, "content/pages/about.md", OWNER_FACT)
    assert f"content/pages/about.md:{line}: OWN002 placeholder '{OWNER_FACT}' must be filled in before publishing" in (
        result.log
    )
    assert "<site>: OWN002 setting IOP_REPORT_EMAIL is the placeholder '[TO FILL IN: the report address]'" in result.log
    assert not (site.root / "output").exists()


# -- what the site says about itself follows the build (issue 25 item 5e) --------------------------------

STATE_PAGE = """
---
title: About the fixture
summary: What the fixture says about itself.
---
How we check each page.

::: site-state show=review

How we fix mistakes.

::: site-state show=report
"""


def site_state(result) -> tuple[list, str]:
    """The About page's two generated sentences, and the home page's introduction."""
    about = result.html("about/index.html")
    texts = [" ".join(p.get_text(" ", strip=True).split()) for p in about.select("main .doc p")]
    said = [texts[texts.index("How we check each page.") + 1], texts[texts.index("How we fix mistakes.") + 1]]
    return said, " ".join(result.html("index.html").select_one(".intro").get_text(" ", strip=True).split())


def sign_off_guide(site, rel: str) -> None:
    from sitekit.commands.approve import approve

    assert approve([str(site.content / rel)], "fixture-clinician", settings=str(site.settings_file())) == 0


def test_the_review_state_the_site_states_is_the_builds_own(site):
    """The About page said "No guide has had this check yet" in a build where every guide showed
    "Reviewed by": the sentence now comes from the build's own review states, in all three states."""
    site.write("content/pages/about.md", STATE_PAGE)
    site.write(
        "content/guides/second.md", (site.content / "guides/small.md").read_text().replace("A small", "A second")
    )

    result = site.build()
    assert result.code == 0, result.log
    (review, _report), home = site_state(result)
    assert review == "No guide has had this check yet. Until it has, each guide says so at the top."
    assert home.endswith("Each guide lists its sources.")
    assert len(result.html("guides/small/index.html").select("[data-review-notice]")) == 1

    sign_off_guide(site, "guides/small.md")
    result = site.build()
    (review, _report), home = site_state(result)
    assert review == "1 of our 2 guides has had this check so far. Each of the others says so at the top."
    assert home.endswith("Each guide lists its sources.")

    sign_off_guide(site, "guides/second.md")
    for build in (site.build(), site.build(publish=True)):
        assert build.code == 0, build.log
        (review, _report), home = site_state(build)
        assert review == "Every guide on this site has had this check."
        assert home.endswith("Each guide lists its sources, who checked it and when.")
        for guide in ("small", "second"):
            assert build.html(f"guides/{guide}/index.html").select("[data-review-byline]")


def test_a_sign_off_by_the_example_reviewer_is_not_counted_as_a_check(site):
    from conftest import sign_by_hand

    site.write("content/pages/about.md", STATE_PAGE)
    sign_by_hand(site, "guides/small.md", "example-reviewer")
    result = site.build()
    (review, _report), _home = site_state(result)
    assert review == "No guide has had this check yet."


def test_the_report_link_the_site_describes_is_the_one_it_shows(site):
    site.write("content/pages/about.md", STATE_PAGE)
    result = site.build()
    (_review, report), _home = site_state(result)
    assert report.startswith("At the end of every page there is a link, “Report a problem with this page”.")
    assert result.html("about/index.html").select_one("[data-report] a[href^='mailto:']").get_text() == (
        "Report a problem with this page"
    )
    placeholder = "[TO FILL IN: the address for reports]"
    result = site.build(IOP_REPORT_EMAIL=placeholder)
    about = result.html("about/index.html")
    (_review, report), _home = site_state(result)
    assert report == f"At the end of every page you can report a problem by email, to {placeholder} ."
    assert [m.get_text() for m in about.select("main .doc mark.fill-in")] == [placeholder]
    assert not about.select("a[href^='mailto:']")


def test_an_unknown_site_state_is_refused_at_its_line(site):
    site.write("content/pages/about.md", STATE_PAGE.replace("show=report", "show=reviews"))
    result = site.build()
    assert result.code == 1
    found = [f for f in result.findings if f.code == "BLK003"]
    line = line_of(site, "content/pages/about.md", "::: site-state show=reviews")
    assert len(found) == 1 and found[0].path.endswith("about.md") and found[0].line == line, found
    assert "unknown show 'reviews'" in found[0].message and "review, report" in found[0].hint


# -- the help page the banner links to ---------------------------------------------------------------


def test_help_page_must_exist(site):
    line = line_of(site, "data/crisis.yaml", "help_page:")
    site.edit("data/crisis.yaml", "help_page: pages/get-help-now.md", "help_page: pages/get-help.md")
    result = site.build()
    assert result.code == 1
    assert f"data/crisis.yaml:{line}: CRISIS007 'pages/get-help.md' names no Markdown file" in result.log


def test_a_line_needs_a_known_tier(site):
    line = line_of(site, "data/crisis.yaml", "tier: referral")
    site.edit("data/crisis.yaml", "tier: referral", "tier: refferal")
    result = site.build()
    assert result.code == 1
    assert f"data/crisis.yaml:{line}: CRISIS007 line 'samhsa' names unknown tier 'refferal'" in result.log


@pytest.mark.parametrize(
    "old,new,message",
    [
        ('banner_link: "Veterans"', "", "lacks a link to the Veterans Crisis Line"),
        ("    lang: es\n    text:", "    text:", "lacks a link to 988 in Spanish"),
    ],
)
def test_banner_must_reach_veterans_and_spanish_lines_in_one_step(site, old, new, message):
    site.edit("data/crisis.yaml", old, new)
    result = site.build()
    assert result.code == 1
    pages = {f.path for f in result.findings if f.code == "OUT003" and message in f.message}
    assert {"output/index.html", "output/guides/small/index.html", "output/404.html"} <= pages, result.log


def test_banner_links_to_cards_that_exist(site):
    site.edit("content/pages/get-help-now.md", "::: crisis-help full=yes", "No lines here.")
    result = site.build()
    assert result.code == 1
    assert "OUT014 link to '/get-help-now/#help-veterans': no element has id 'help-veterans'" in result.log


# -- tables and the deploy files ---------------------------------------------------------------------


def test_markdown_table_needs_a_caption(site):
    table = "\n| Day | What |\n| --- | --- |\n| Monday | Groups |\n"
    site.append("content/guides/small.md", table)
    result = site.build()
    assert result.code == 1
    assert "output/guides/small/index.html" in result.log and "OUT016 a table has no caption" in result.log
    site.edit("content/guides/small.md", table, "\nTable: A week\n" + table)
    result = site.build()
    assert result.code == 0, result.log
    caption = result.html("guides/small/index.html").select_one("main table caption")
    assert caption.get_text() == "A week"


def test_publish_refuses_deploy_files_that_would_block_the_inline_css(site):
    site.append("theme/static/css/site.css", "\n.extra { color: #000; }\n")
    assert site.build().code == 0, "a preview build does not deploy"
    result = site.build(publish=True)
    assert result.code == 1
    assert "deploy/nginx.conf: HDR001 the Content-Security-Policy in deploy/nginx.conf does not allow" in result.log
